// `m2mrsp profile show|personalise`: inspect and personalise SAIP profile packages (TCA eUICC
// Profile Package, DER). Key values (K, OPc, PINs, SD keys) are never printed: they appear as
// "<N bytes>". Keys are never command-line arguments (visible in ps and shell history): they
// come from a key file (`--keys FILE`, mode 0600 or stricter, or `-` for stdin) read into
// SecretBytes, and are not echoed, not even in errors. The personalised package holds keys:
// it is written atomically with mode 0600 (app/file_io.h). Text output escapes control
// characters of the package's strings. Exit status: 0 success, 1 bad input (one line on
// stderr). Key file format: docs/formats/saip.md "Key file".
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/file_io.h"
#include "base/iccid.h"
#include "base/secret.h"
#include "saip/package.h"
#include "saip/personalise.h"
#include "tlv/ber.h"

namespace m2mrsp::app {
namespace {

constexpr size_t kMaxPackageFile = 4 << 20;  // saip::DecodeLimits default
constexpr size_t kMaxKeyFile = 64 << 10;

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
    AppendBigEndian(tag, e.tag, tlv::TagSize(e.tag));  // 1..4 bytes (BF 81 00 has 3)
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
  // A file system over the limits is reported, not fatal: the rest of the package still shows.
  auto files = saip::Files(pkg);
  if (files.ok()) {
    j["files"] = files->size();
  } else {
    j["files"] = "refused: " + files.status().message();
  }
  if (auto f = saip::IccidFile(pkg); f.ok()) j["ef_iccid"] = FidPath(f->path);
  if (imsi_file.ok()) j["ef_imsi"] = FidPath(imsi_file->path);
  Status valid = saip::Validate(pkg);
  j["valid"] = valid.ok() ? "yes" : valid.message();
  return j;
}

// Strings from the package (profileType is any UTF8String) reach a terminal: C0/C1 controls,
// DEL, backslash and bytes that are not well-formed UTF-8 are written as \xNN / \\.
std::string Printable(std::string_view s) {
  std::string out;
  auto escape = [&out](uint8_t b) {
    char hex[5];
    std::snprintf(hex, sizeof hex, "\\x%02x", b);
    out += hex;
  };
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<uint8_t>(s[i]);
    if (b == '\\') {
      out += "\\\\";
      ++i;
    } else if (b < 0x20 || b == 0x7F) {
      escape(b);
      ++i;
    } else if (b < 0x80) {
      out += static_cast<char>(b);
      ++i;
    } else {
      // RFC 3629: 2..4-byte sequences; refuse overlong forms, surrogates, > U+10FFFF and C1.
      const size_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
      uint32_t cp = n == 4 ? b & 0x07u : n == 3 ? b & 0x0Fu : b & 0x1Fu;
      bool ok = n != 0 && i + n <= s.size();
      for (size_t k = 1; ok && k < n; ++k) {
        const auto c = static_cast<uint8_t>(s[i + k]);
        ok = (c & 0xC0) == 0x80;
        cp = (cp << 6) | (c & 0x3Fu);
      }
      ok = ok &&
           cp >= (n == 4   ? 0x10000u
                  : n == 3 ? 0x800u
                           : 0xA0u) &&
           cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
      if (ok) {
        out.append(s.substr(i, n));
        i += n;
      } else {
        escape(b);
        ++i;
      }
    }
  }
  return out;
}

std::string Text(const nlohmann::json& v) {
  return Printable(v.is_string() ? v.get<std::string>() : v.dump());
}

void PrintText(const nlohmann::json& j) {
  std::cout << "size: " << j["size"] << " bytes\n";
  std::cout << "elements: " << j["elements"].size() << "\n";
  size_t i = 0;
  for (const auto& e : j["elements"]) {
    std::cout << "  " << i++ << " " << Text(e["type"]) << " (" << Text(e["tag"]) << ", "
              << e["length"] << " bytes)\n";
  }
  for (const char* k : {"version", "profile_type", "iccid", "imsi", "ef_iccid", "ef_imsi"}) {
    if (j.contains(k)) std::cout << k << ": " << Text(j[k]) << "\n";
  }
  for (const auto& a : j["aka"]) {
    if (a.contains("algorithm")) {
      std::cout << "aka (element " << a["element"] << "): " << Text(a["algorithm"]) << ", K "
                << Text(a["k"]) << ", OPc " << Text(a["opc"]) << "\n";
    } else {
      std::cout << "aka (element " << a["element"] << "): mapping to " << Text(a["mapping_source"])
                << "\n";
    }
  }
  for (const auto& sd : j["security_domains"]) {
    std::cout << "security domain " << Text(sd["aid"]) << "\n";
    for (const auto& k : sd["keys"]) {
      std::cout << "  key " << k["kvn"] << ":" << k["id"] << " type " << Text(k["type"])
                << " usage " << Text(k["usage"]) << " " << Text(k["data"]) << "\n";
    }
  }
  std::cout << "files: " << Text(j["files"]) << "\n";
  std::cout << "valid: " << Text(j["valid"]) << "\n";
}

struct PersonaliseOptions {
  std::string templ, out, iccid, imsi, keys, algorithm;
};

Result<uint8_t> HexByte(std::string_view s, const std::string& what) {
  auto b = FromHex(s.size() == 1 ? "0" + std::string(s) : std::string(s));
  if (!b.ok() || b->size() != 1) return InvalidArgument(what + " must be one hex byte");
  return (*b)[0];
}

std::string_view Trim(std::string_view s) {
  const size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string_view::npos) return {};
  return s.substr(a, s.find_last_not_of(" \t\r") - a + 1);
}

// The key file (docs/formats/saip.md "Key file"): one `name = value` per line, `#` starts a
// comment; names k, opc (hex, at most once each) and ota (KVN:ID:HEX, repeatable). Values are
// parsed straight from the SecretBytes buffer; errors name the line, never its value.
Status ParseKeyFile(const SecretBytes& file, const std::string& path, saip::Personalisation& p) {
  const std::string_view text(reinterpret_cast<const char*>(file.view().data()), file.size());
  size_t line_no = 0;
  for (size_t pos = 0; pos < text.size();) {
    const size_t eol = std::min(text.find('\n', pos), text.size());
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    line = Trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    const std::string where = path + ": line " + std::to_string(line_no);
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) return InvalidArgument(where + ": expected NAME = VALUE");
    const std::string_view name = Trim(line.substr(0, eq));
    const std::string_view value = Trim(line.substr(eq + 1));
    auto secret = [&where](std::string_view hex) -> Result<SecretBytes> {
      auto k = SecretBytes::FromHex(hex);
      if (!k.ok()) return InvalidArgument(where + ": the key is not valid hex");
      return k;
    };
    if (name == "k" || name == "opc") {
      std::optional<SecretBytes>& slot = name == "k" ? p.k : p.opc;
      if (slot) return InvalidArgument(where + ": " + std::string(name) + " given twice");
      M2_ASSIGN_OR_RETURN(SecretBytes v, secret(value));
      slot = std::move(v);
    } else if (name == "ota") {
      // KVN:ID:HEX, KVN and key identifier as hex bytes (GP notation, e.g. 02:01:...).
      const size_t a = value.find(':');
      const size_t b = a == std::string_view::npos ? a : value.find(':', a + 1);
      if (b == std::string_view::npos) return InvalidArgument(where + ": ota must be KVN:ID:HEX");
      saip::OtaKey key;
      M2_ASSIGN_OR_RETURN(key.kvn, HexByte(value.substr(0, a), where + ": ota KVN"));
      M2_ASSIGN_OR_RETURN(key.key_id, HexByte(value.substr(a + 1, b - a - 1), where + ": ota ID"));
      M2_ASSIGN_OR_RETURN(key.value, secret(value.substr(b + 1)));
      p.ota_keys.push_back(std::move(key));
    } else {
      return InvalidArgument(where + ": unknown name (k, opc or ota)");
    }
  }
  return Status::Ok();
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
  if (!o.keys.empty()) {
    // The file's SecretBytes buffer is wiped when it goes out of scope, whatever happens.
    M2_ASSIGN_OR_RETURN(SecretBytes file, ReadPrivateFile(o.keys, kMaxKeyFile));
    M2_RETURN_IF_ERROR(ParseKeyFile(file, o.keys == "-" ? "stdin" : o.keys, p));
  }
  if (o.algorithm == "milenage") {
    p.algorithm_id = 1;
  } else if (o.algorithm == "tuak") {
    p.algorithm_id = 2;
  } else if (o.algorithm == "test") {
    p.algorithm_id = 3;
  } else if (!o.algorithm.empty()) {
    return InvalidArgument("--algorithm must be milenage, tuak or test");
  }
  M2_ASSIGN_OR_RETURN(saip::Package out, saip::Personalise(*templ, p));
  Bytes encoded = saip::Encode(out);
  for (auto& e : out.elements) SecureWipe(e.raw);
  Status written = WriteFileAtomic(o.out, encoded, 0600);  // the package holds K/OPc/OTA keys
  SecureWipe(encoded);
  M2_RETURN_IF_ERROR(written);
  std::cout << "wrote " << o.out << " (" << out.elements.size() << " elements, mode 0600)\n";
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
    pers->add_option("--keys", o->keys,
                     "key file with k = HEX, opc = HEX, ota = KVN:ID:HEX lines (mode 0600; "
                     "'-' reads stdin); keys are never command-line arguments");
    pers->add_option("--algorithm", o->algorithm,
                     "AKA algorithm: milenage (1), tuak (2) or test (3, TS 34.108 §8.1.2)");
    pers->callback([o] {
      if (Status s = RunPersonalise(*o); !s.ok()) Fail(s.message());
    });
  }
}

const CommandRegistrar kRegistrar{"profile", "show and personalise SAIP profile packages",
                                  RegisterProfileCommands};

}  // namespace
}  // namespace m2mrsp::app
