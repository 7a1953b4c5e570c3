// `m2mrsp id eid|iccid`: validate an identifier, or complete it with its check digit(s), and
// show its on-card encodings. Output is text or, with --json, one JSON object.
#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "base/eid.h"
#include "base/iccid.h"

namespace m2mrsp::app {
namespace {

struct IdOptions {
  std::string value;
  bool complete = false;
  bool json = false;
};

void Fail(const IdOptions& o, const Status& s) {
  if (o.json) {
    std::cout << nlohmann::json{{"valid", false}, {"error", s.message()}}.dump(
                     -1, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
  } else {
    std::cerr << "m2mrsp: " << s.message() << "\n";
  }
  SetExitCode(1);
}

void Print(const IdOptions& o, const nlohmann::json& j) {
  if (o.json) {
    std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return;
  }
  for (const auto& [k, v] : j.items())
    std::cout << k << ": "
              << (v.is_string() ? v.get<std::string>()
                                : v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
              << "\n";
}

void RunEid(const IdOptions& o) {
  auto eid = o.complete ? Eid::FromPrefix(o.value) : Eid::Parse(o.value);
  if (!eid.ok()) return Fail(o, eid.status());
  Print(o, {{"valid", true}, {"eid", eid->ToString()}, {"bcd", ToHexUpper(eid->ToBcd())}});
}

void RunIccid(const IdOptions& o) {
  auto iccid = o.complete ? Iccid::FromPayload(o.value) : Iccid::Parse(o.value);
  if (!iccid.ok()) return Fail(o, iccid.status());
  Print(o, {{"valid", true},
            {"iccid", iccid->ToString()},
            {"ef_iccid", ToHexUpper(iccid->ToSwappedBcd())},
            {"saip_header", ToHexUpper(iccid->ToPlainBcd())}});
}

void RegisterIdCommands(CLI::App& app) {
  auto* id = app.add_subcommand("id", "Check or complete an EID or ICCID and show its encodings");
  id->require_subcommand(1);
  struct Spec {
    const char* name;
    const char* help;
    const char* complete_help;
    void (*run)(const IdOptions&);
  };
  static const Spec kSpecs[] = {
      {"eid", "EID: 32 digits, ISO 7064 MOD 97-10 check digits",
       "VALUE is the first 30 digits: append the two check digits", RunEid},
      {"iccid", "ICCID: 18-20 digits, Luhn check digit",
       "VALUE is the ICCID without its check digit: append it", RunIccid},
  };
  for (const Spec& spec : kSpecs) {
    auto opts = std::make_shared<IdOptions>();
    auto* sub = id->add_subcommand(spec.name, spec.help);
    sub->add_option("VALUE", opts->value, "the digits")->required();
    sub->add_flag("--complete", opts->complete, spec.complete_help);
    sub->add_flag("--json", opts->json, "print one JSON object");
    sub->callback([opts, run = spec.run] { run(*opts); });
  }
}

const CommandRegistrar kRegistrar{"id", "check or complete an EID/ICCID, show its card encodings",
                                  RegisterIdCommands};

}  // namespace

}  // namespace m2mrsp::app
