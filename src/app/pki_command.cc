// `m2mrsp pki init DIR`: writes a complete test PKI for one deployment (pki/test_pki.h): CI,
// EUM with a sample eUICC certificate, SM-DP/SM-SR GP certificates, TLS server/client
// certificates with entity OIDs, and entities.json. Private keys are written with mode 0600.
// An existing PKI is never overwritten without --force. Layout: docs/formats/pki.md.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "app/commands.h"
#include "app/file_io.h"
#include "pki/test_pki.h"

namespace m2mrsp::app {
namespace {

namespace fs = std::filesystem;

struct PkiInitOptions {
  std::string dir;
  std::string curve = "P-256";
  std::string entity_arc;
  int validity_days = 3650;
  bool force = false;
};

int Fail(const std::string& message) {
  std::cerr << "m2mrsp pki init: " << message << "\n";
  SetExitCode(1);
  return 1;
}

void RunInit(const PkiInitOptions& o) {
  auto curve = crypto::CurveFromName(o.curve);
  if (!curve.ok()) {
    Fail("unknown curve '" + o.curve + "' (P-256 or brainpoolP256r1)");
    return;
  }
  const fs::path dir(o.dir);
  std::error_code ec;
  if (!o.force && (fs::exists(dir / "entities.json", ec) || fs::exists(dir / "ci", ec))) {
    Fail("a PKI already exists in " + o.dir + " (use --force to replace it)");
    return;
  }
  pki::TestPkiOptions opts;
  opts.curve = *curve;
  opts.now = SystemClock::Instance().Now();
  opts.validity_days = o.validity_days;
  opts.entity_arc = o.entity_arc;
  auto files = pki::GenerateTestPki(opts);
  if (!files.ok()) {
    Fail(files.status().message());
    return;
  }
  size_t keys = 0;
  for (const pki::PkiFile& f : *files) {
    const fs::path path = dir / f.path;
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
      Fail(path.parent_path().string() + ": " + ec.message());
      return;
    }
    // Atomic, with the mode set whatever the umask or an older file's mode (app/file_io.h).
    Status s = f.is_secret() ? WriteFileAtomic(path.string(), f.secret.view(), 0600)
                             : WriteFileAtomic(path.string(), f.data, 0644);
    if (!s.ok()) {
      Fail(s.message());
      return;
    }
    keys += f.is_secret() ? 1 : 0;
  }
  std::cout << "test PKI (" << o.curve << ") written to " << o.dir << ": " << files->size() - keys
            << " certificates/files, " << keys
            << " private keys (mode 0600); directory: " << (dir / "entities.json").string() << "\n";
}

void RegisterPkiCommands(CLI::App& app) {
  auto* pki = app.add_subcommand("pki", "Test PKI for a deployment");
  pki->require_subcommand(1);
  auto o = std::make_shared<PkiInitOptions>();
  auto* init = pki->add_subcommand(
      "init", "Create CI, EUM, SM-DP, SM-SR and TLS certificates with keys in DIR");
  init->add_option("DIR", o->dir, "output directory")->required();
  init->add_option("--curve", o->curve, "P-256 (default) or brainpoolP256r1");
  init->add_option("--validity-days", o->validity_days, "certificate lifetime (default 3650)");
  init->add_option("--entity-arc", o->entity_arc,
                   "OID arc for entity identifiers (default: m2mrsp's 2.25 arc + .2)");
  init->add_flag("--force", o->force, "replace an existing PKI in DIR");
  init->callback([o] { RunInit(*o); });
}

const CommandRegistrar kRegistrar{"pki", "test PKI: CI, EUM, SM-DP, SM-SR, TLS certificates",
                                  RegisterPkiCommands};

}  // namespace
}  // namespace m2mrsp::app
