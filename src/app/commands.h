// Registration of the m2mrsp subcommands. Each Register* adds its subcommands to the CLI11 app;
// their callbacks record the process exit code through SetExitCode().
#pragma once

namespace CLI {
class App;
}

namespace m2mrsp::app {

inline constexpr const char* kVersion = "m2mrsp 0.1.0 (SGP.02 v4.2)";

void RegisterIdCommands(CLI::App& app);       // id eid / id iccid
void RegisterDemoCommand(CLI::App& app);      // demo
void RegisterPlannedCommands(CLI::App& app);  // the roles and tools still to come

void SetExitCode(int code);
int ExitCode();

}  // namespace m2mrsp::app
