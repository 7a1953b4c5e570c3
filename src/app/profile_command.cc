// `m2mrsp profile show|personalise`: inspect and personalise SAIP profile packages (TCA eUICC
// Profile Package, DER). Key values (K, OPc, PINs, SD keys) are never printed: they appear as
// "<N bytes>". Keys given on the command line go straight into SecretBytes and are not echoed,
// not even in errors. Exit status: 0 success, 1 bad input (one line on stderr).
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "base/iccid.h"
#include "base/secret.h"
#include "saip/package.h"
#include "saip/personalise.h"

namespace m2mrsp::app {
namespace {

constexpr size_t kMaxPackageFile = 4 << 20;  // saip::DecodeLimits default

std::string Hidden(size_t n) { return "<" + std::to_string(n) + " bytes>"; }

std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void Fail(const std::string& message) {
  std::cerr << "m2mrsp profile: " << message << "\n";
  SetExitCode(1);
}

Result<Bytes> ReadPackageFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(ErrorKind::kIo, "cannot read " + path);
  Bytes data;
  char buf[8192];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    data.insert(data.end(), buf, buf + in.gcount());
    if (data.size() > kMaxPackageFile) return LimitExceeded(path + ": larger than 4 MiB");
  }
  return data;
}

std::string FidPath(const std::vector<uint16_t>& path) {
  std::string s;
  for (uint16_t f : path) {
    Bytes b;
    AppendBigEndian(b, f, 2);
    s += (s.empty() ? "" : "/") + ToHexUpper(b);
  }
  return s;
}

Result<nlohmann::json> Describe(const Bytes& der) {
  M2_ASSIGN_OR_RETURN(saip::Package pkg, saip::Decode(der));
  nlohmann::json j;
  j["size"] = der.size();
  nlohmann::json els = nlohmann::json::array();
  for (const auto& e : pkg.elements) {
    Bytes tag;
    AppendBigEndian(tag, e.tag, e.tag > 0xFF ? 2 : 1);
    els.push_back({{"type", std::string(saip::ElementTypeName(e.type))},
                   {"tag", ToHex(tag)},
                   {"length", e.raw.size()}});
  }
  j["elements"] = els;
  M2_ASSIGN_OR_RETURN(saip::ProfileHeader h, saip::GetHeader(pkg));
  j["version"] = std::to_string(h.major_version) + "." + std::to_string(h.minor_version);
  j["profile_type"] = h.profile_type;
  j["iccid"] = h.iccid;
  j["mandatory_services"] = h.mandatory_services;
  if (h.connectivity_parameters) {
    j["connectivity_parameters"] = ToHex(*h.connectivity_parameters);
  }
  auto imsi_file = saip::ImsiFile(pkg);
  if (imsi_file.ok()) {
    auto imsi = saip::DecodeImsi(imsi_file->content);
    j["imsi"] = imsi.ok() ? *imsi : "invalid: " + imsi.status().message();
  }
  M2_ASSIGN_OR_RETURN(auto akas, saip::AkaParameters(pkg));
  nlohmann::json aka = nlohmann::json::array();
  for (const auto& a : akas) {
    if (a.is_mapping) {
      aka.push_back({{"element", a.element_index}, {"mapping_source", ToHex(a.mapping_source)}});
      continue;
    }
    aka.push_back({{"element", a.element_index},
                   {"algorithm", std::string(saip::AkaAlgorithmName(a.algorithm_id))},
                   {"k", Hidden(a.key.size())},
                   {"opc", Hidden(a.opc.size())}});
  }
  j["aka"] = aka;
  M2_ASSIGN_OR_RETURN(auto sds, saip::SecurityDomains(pkg));
  nlohmann::json sdj = nlohmann::json::array();
  for (const auto& sd : sds) {
    nlohmann::json keys = nlohmann::json::array();
    for (const auto& k : sd.keys) {
      for (const auto& c : k.components) {
        keys.push_back({{"kvn", k.kvn},
                        {"id", k.key_id},
                        {"type", ToHex(Bytes{c.key_type})},
                        {"usage", ToHex(k.usage_qualifier)},
                        {"data", Hidden(c.key_data.size())}});
      }
    }
    sdj.push_back({{"aid", ToHex(sd.instance_aid)}, {"keys", keys}});
  }
  j["security_domains"] = sdj;
  M2_ASSIGN_OR_RETURN(auto files, saip::Files(pkg));
  j["files"] = files.size();
  if (auto f = saip::IccidFile(pkg); f.ok()) j["ef_iccid"] = FidPath(f->path);
  if (imsi_file.ok()) j["ef_imsi"] = FidPath(imsi_file->path);
  Status valid = saip::Validate(pkg);
  j["valid"] = valid.ok() ? "yes" : valid.message();
  return j;
}

void PrintText(const nlohmann::json& j) {
  std::cout << "size: " << j["size"] << " bytes\n";
  std::cout << "elements: " << j["elements"].size() << "\n";
  size_t i = 0;
  for (const auto& e : j["elements"]) {
    std::cout << "  " << i++ << " " << e["type"].get<std::string>() << " ("
              << e["tag"].get<std::string>() << ", " << e["length"] << " bytes)\n";
  }
  for (const char* k : {"version", "profile_type", "iccid", "imsi", "ef_iccid", "ef_imsi"}) {
    if (j.contains(k)) std::cout << k << ": " << j[k].get<std::string>() << "\n";
  }
  for (const auto& a : j["aka"]) {
    if (a.contains("algorithm")) {
      std::cout << "aka (element " << a["element"] << "): " << a["algorithm"].get<std::string>()
                << ", K " << a["k"].get<std::string>() << ", OPc " << a["opc"].get<std::string>()
                << "\n";
    } else {
      std::cout << "aka (element " << a["element"] << "): mapping to "
                << a["mapping_source"].get<std::string>() << "\n";
    }
  }
  for (const auto& sd : j["security_domains"]) {
    std::cout << "security domain " << sd["aid"].get<std::string>() << "\n";
    for (const auto& k : sd["keys"]) {
      std::cout << "  key " << k["kvn"] << ":" << k["id"] << " type "
                << k["type"].get<std::string>() << " usage " << k["usage"].get<std::string>() << " "
                << k["data"].get<std::string>() << "\n";
    }
  }
  std::cout << "files: " << j["files"] << "\n";
  std::cout << "valid: " << j["valid"].get<std::string>() << "\n";
}

struct PersonaliseOptions {
  std::string templ, out, iccid, imsi, k, opc, algorithm;
  std::vector<std::string> ota;
};

Result<uint8_t> HexByte(const std::string& s, const char* what) {
  auto b = FromHex(s.size() == 1 ? "0" + s : s);
  if (!b.ok() || b->size() != 1)
    return InvalidArgument(std::string(what) + " must be one hex byte");
  return (*b)[0];
}

Result<SecretBytes> KeyArg(const std::string& hex, const char* what) {
  auto k = SecretBytes::FromHex(hex);
  if (!k.ok()) return InvalidArgument(std::string(what) + " is not valid hex");
  return k;
}

Status RunPersonalise(const PersonaliseOptions& o) {
  M2_ASSIGN_OR_RETURN(Bytes der, ReadPackageFile(o.templ));
  auto templ = saip::Decode(der);
  if (!templ.ok()) return templ.status().WithContext(o.templ);
  saip::Personalisation p;
  if (!o.iccid.empty()) {
    M2_ASSIGN_OR_RETURN(Iccid iccid, Iccid::Parse(o.iccid));
    p.iccid = iccid;
  }
  if (!o.imsi.empty()) p.imsi = o.imsi;
  if (!o.k.empty()) {
    M2_ASSIGN_OR_RETURN(p.k, KeyArg(o.k, "--k"));
  }
  if (!o.opc.empty()) {
    M2_ASSIGN_OR_RETURN(p.opc, KeyArg(o.opc, "--opc"));
  }
  if (o.algorithm == "milenage") {
    p.algorithm_id = 1;
  } else if (o.algorithm == "test") {
    p.algorithm_id = 3;
  } else if (!o.algorithm.empty()) {
    return InvalidArgument("--algorithm must be milenage or test");
  }
  for (const auto& spec : o.ota) {
    // KVN:ID:HEX, KVN and key identifier as hex bytes (GP notation, e.g. 02:01:...).
    const size_t a = spec.find(':');
    const size_t b = a == std::string::npos ? a : spec.find(':', a + 1);
    if (b == std::string::npos) return InvalidArgument("--ota-key must be KVN:ID:HEX");
    saip::OtaKey key;
    M2_ASSIGN_OR_RETURN(key.kvn, HexByte(spec.substr(0, a), "--ota-key KVN"));
    M2_ASSIGN_OR_RETURN(key.key_id, HexByte(spec.substr(a + 1, b - a - 1), "--ota-key ID"));
    M2_ASSIGN_OR_RETURN(key.value, KeyArg(spec.substr(b + 1), "--ota-key value"));
    p.ota_keys.push_back(std::move(key));
  }
  M2_ASSIGN_OR_RETURN(saip::Package out, saip::Personalise(*templ, p));
  Bytes encoded = saip::Encode(out);
  std::ofstream f(o.out, std::ios::binary | std::ios::trunc);
  if (!f) return Status::Error(ErrorKind::kIo, "cannot write " + o.out);
  f.write(reinterpret_cast<const char*>(encoded.data()),
          static_cast<std::streamsize>(encoded.size()));
  SecureWipe(encoded);
  if (!f) return Status::Error(ErrorKind::kIo, "cannot write " + o.out);
  std::cout << "wrote " << o.out << " (" << out.elements.size() << " elements)\n";
  return Status::Ok();
}

void RegisterProfileCommands(CLI::App& app) {
  auto* profile = app.add_subcommand("profile", "show and personalise SAIP profile packages");
  profile->require_subcommand(1);
  {
    struct ShowOptions {
      std::string file;
      bool json = false;
    };
    auto o = std::make_shared<ShowOptions>();
    auto* show = profile->add_subcommand("show", "decode a profile package (DER)");
    show->add_option("FILE", o->file, "profile package (DER)")->required();
    show->add_flag("--json", o->json, "print one JSON object");
    show->callback([o] {
      auto der = ReadPackageFile(o->file);
      if (!der.ok()) return Fail(der.status().message());
      auto j = Describe(*der);
      if (!j.ok()) return Fail(o->file + ": " + j.status().message());
      if (o->json) {
        std::cout << Dump(*j) << "\n";
      } else {
        PrintText(*j);
      }
    });
  }
  {
    auto o = std::make_shared<PersonaliseOptions>();
    auto* pers = profile->add_subcommand("personalise", "write ICCID, IMSI, K, OPc, OTA keys");
    pers->add_option("TEMPLATE", o->templ, "template profile package (DER)")->required();
    pers->add_option("-o,--output", o->out, "output file")->required();
    pers->add_option("--iccid", o->iccid, "ICCID, 18-20 digits with Luhn check digit");
    pers->add_option("--imsi", o->imsi, "IMSI, 6-15 digits");
    pers->add_option("--k", o->k, "K (hex); never printed");
    pers->add_option("--opc", o->opc, "OPc (hex); never printed");
    pers->add_option("--algorithm", o->algorithm,
                     "AKA algorithm: milenage (1) or test (3, TS 34.108 §8.1.2)");
    pers->add_option("--ota-key", o->ota, "MNO-SD key KVN:ID:HEX (hex bytes); repeatable");
    pers->callback([o] {
      if (Status s = RunPersonalise(*o); !s.ok()) Fail(s.message());
    });
  }
}

const CommandRegistrar kRegistrar{"profile", "show and personalise SAIP profile packages",
                                  RegisterProfileCommands};

}  // namespace
}  // namespace m2mrsp::app
