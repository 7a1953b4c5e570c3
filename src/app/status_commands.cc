// The command registry, `m2mrsp demo` (until the demo exists: what this build can do) and the
// subcommands that are planned but not built yet, which say so plainly instead of pretending.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "app/commands.h"

namespace m2mrsp::app {
namespace {

int g_exit_code = 0;

struct Entry {
  std::string name;
  std::string summary;
  RegisterFn fn;
};

// Function-local static: registrars in other files run during static initialisation.
std::vector<Entry>& Registry() {
  static std::vector<Entry> entries;
  return entries;
}

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

bool Available(const std::string& name) {
  for (const Entry& e : Registry()) {
    if (e.name == name) return true;
  }
  return false;
}

void PrintStatus(std::ostream& out) {
  out << "Available now:\n";
  for (const Entry& e : Registry()) {
    if (e.name == "demo") continue;
    out << "  " << e.name << std::string(e.name.size() < 15 ? 15 - e.name.size() : 1, ' ')
        << e.summary << "\n";
  }
  out << "Planned, not yet available:\n";
  for (const Planned& p : kPlanned) {
    if (Available(p.name)) continue;
    const std::string n(p.name);
    out << "  " << n << std::string(15 - n.size(), ' ') << p.what << "\n";
  }
}

void RegisterDemo(CLI::App& app) {
  auto* demo = app.add_subcommand(
      "demo", "The whole system on loopback with SQLite (not yet available: shows status)");
  demo->callback([] {
    std::cout << "m2mrsp demo: the end-to-end demo (SM-SR, SM-DP, operators and a device fleet\n"
                 "on loopback) is not built yet. This build contains the libraries listed in\n"
                 "ARCHITECTURE.md and the commands below.\n\n";
    PrintStatus(std::cout);
  });
}

const CommandRegistrar kDemo{"demo", "status of this build", RegisterDemo};

}  // namespace

CommandRegistrar::CommandRegistrar(const char* name, const char* summary, RegisterFn fn) {
  Registry().push_back(Entry{name, summary, fn});
}

void RegisterAll(CLI::App& app) {
  for (const Entry& e : Registry()) e.fn(app);
  for (const Planned& p : kPlanned) {
    if (Available(p.name)) continue;
    auto* sub = app.add_subcommand(p.name, std::string(p.what) + " (planned, not yet available)");
    sub->allow_extras();
    sub->callback([name = p.name] {
      std::cerr << "m2mrsp: '" << name << "' is planned but not yet available\n";
      SetExitCode(2);
    });
  }
}

void SetExitCode(int code) { g_exit_code = code; }
int ExitCode() { return g_exit_code; }

}  // namespace m2mrsp::app
