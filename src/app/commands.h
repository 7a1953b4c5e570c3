// Registration of the m2mrsp subcommands. Each command file defines one registrar at namespace
// scope:
//     const CommandRegistrar kReg{"id", "one-line summary", RegisterIdCommands};
// main() registers every available command, then the planned ones not yet built (which answer
// "planned, not yet available"). Callbacks record the exit status with SetExitCode().
#pragma once

namespace CLI {
class App;
}

namespace m2mrsp::app {

inline constexpr const char* kVersion = "m2mrsp 0.1.0 (SGP.02 v4.2)";

using RegisterFn = void (*)(CLI::App& app);

struct CommandRegistrar {
  // name: the top-level subcommand; summary: one line for `m2mrsp demo`'s status list.
  CommandRegistrar(const char* name, const char* summary, RegisterFn fn);
};

// Registers every available command, then the planned ones that no file provides yet.
void RegisterAll(CLI::App& app);

void SetExitCode(int code);
int ExitCode();

}  // namespace m2mrsp::app
