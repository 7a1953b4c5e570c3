// The m2mrsp binary: one subcommand (group) per file, each registering itself (commands.h).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "app/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"m2mrsp: GSMA SGP.02 (v4.2) remote SIM provisioning for M2M eUICCs"};
  app.require_subcommand(1);
  app.set_version_flag("--version", m2mrsp::app::kVersion);
  m2mrsp::app::RegisterAll(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    // Last line of defence: our code returns errors as values, but a library may throw
    // (allocation failure, a formatting library refusing its input). One line, non-zero exit.
    std::fprintf(stderr, "m2mrsp: internal error: %s\n", e.what());
    return 70;  // EX_SOFTWARE
  }
  return m2mrsp::app::ExitCode();
}
