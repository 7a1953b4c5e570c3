// `m2mrsp demo` and the subcommands that are planned but not built yet. They say so plainly
// (DESIGN.md §1 lists what each will do) instead of pretending to work.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/commands.h"

namespace m2mrsp::app {
namespace {

int g_exit_code = 0;

struct Planned {
  const char* name;
  const char* what;
};

constexpr Planned kPlanned[] = {
    {"smsr", "SM-SR server: EIS, ES1/ES3/ES4/ES4A/ES7, ES5 over SMS (SCP80) and HTTPS (SCP81)"},
    {"smdp", "SM-DP server: ES2, profile preparation, ES8 key establishment and download"},
    {"mno", "MNO / M2M SP client and notification receiver (ES2, ES4, ES4A)"},
    {"eum", "EUM tool: register signed EIS (ES1)"},
    {"fleet", "device fleet simulator: eUICCs, networks, virtual SMSC"},
    {"pki", "test PKI: CI, EUM, SM-DP, SM-SR, TLS certificates"},
    {"ota", "OTA debugging: wrap/unwrap SCP80 packets and SMS"},
    {"cert", "show and verify GP (7F21) and X.509 certificates"},
    {"profile", "show and personalise SAIP profile packages"},
};

void PrintStatus(std::ostream& out) {
  out << "Available now:\n"
         "  id eid|iccid   check or complete an EID/ICCID, show its card encodings\n"
         "Planned, not yet available:\n";
  for (const Planned& p : kPlanned) {
    out << "  " << p.name << std::string(15 - std::string(p.name).size(), ' ') << p.what << "\n";
  }
}

}  // namespace

void SetExitCode(int code) { g_exit_code = code; }
int ExitCode() { return g_exit_code; }

void RegisterDemoCommand(CLI::App& app) {
  auto* demo = app.add_subcommand(
      "demo", "The whole system on loopback with SQLite (not yet available: shows status)");
  demo->callback([] {
    std::cout << "m2mrsp demo: the end-to-end demo (SM-SR, SM-DP, operators and a device fleet\n"
                 "on loopback) is not built yet. This build contains the foundation libraries\n"
                 "(base, tlv, crypto, milenage).\n\n";
    PrintStatus(std::cout);
  });
}

void RegisterPlannedCommands(CLI::App& app) {
  for (const Planned& p : kPlanned) {
    auto* sub = app.add_subcommand(p.name, std::string(p.what) + " (planned, not yet available)");
    sub->allow_extras();
    sub->callback([name = p.name] {
      std::cerr << "m2mrsp: '" << name << "' is planned but not yet available\n";
      SetExitCode(2);
    });
  }
}

}  // namespace m2mrsp::app
