// The m2mrsp binary: one subcommand per file (DESIGN.md §2, "app").
#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"m2mrsp: GSMA SGP.02 (v4.2) remote SIM provisioning for M2M eUICCs"};
  app.require_subcommand(1);
  app.set_version_flag("--version", m2mrsp::app::kVersion);
  m2mrsp::app::RegisterIdCommands(app);
  m2mrsp::app::RegisterDemoCommand(app);
  m2mrsp::app::RegisterPlannedCommands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return m2mrsp::app::ExitCode();
}
