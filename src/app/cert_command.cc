// `m2mrsp cert show FILE` and `m2mrsp cert verify --ca FILE [--eum FILE] FILE`: decode and check
// GP compact certificates (7F21, binary or hex text) and X.509 certificates (PEM or DER).
// verify exits 0 when valid, otherwise 1 with one line naming the problem (and the SGP.02
// subject/reason codes where they apply). Format detection: docs/formats/pki.md.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <variant>

#include "app/commands.h"
#include "crypto/x509.h"
#include "pki/chain.h"
#include "pki/gp_certificate.h"

namespace m2mrsp::app {
namespace {

namespace chr = std::chrono;
using crypto::X509Certificate;
using pki::GpCertificate;

constexpr size_t kMaxFile = 64 * 1024;

using AnyCert = std::variant<GpCertificate, X509Certificate>;

Result<Bytes> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(ErrorKind::kIo, "cannot open");
  Bytes data(kMaxFile + 1);
  in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<size_t>(in.gcount()));
  if (data.size() > kMaxFile) return LimitExceeded("larger than 64 KiB");
  return data;
}

std::string_view Text(const Bytes& b) {
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}

bool LooksHex(const Bytes& b) {
  if (b.empty()) return false;
  for (uint8_t c : b) {
    if (!std::isxdigit(c) && !std::isspace(c)) return false;
  }
  return true;
}

// 7F21 binary, 7F21 as hex text, else X.509 (PEM or DER).
Result<AnyCert> LoadCertificate(const std::string& path) {
  M2_ASSIGN_OR_RETURN(Bytes data, ReadFile(path));
  if (LooksHex(data)) {
    M2_ASSIGN_OR_RETURN(data, FromHex(Text(data)));
  }
  if (data.size() >= 2 && data[0] == 0x7F && data[1] == 0x21) {
    M2_ASSIGN_OR_RETURN(GpCertificate gp, GpCertificate::Decode(data));
    return AnyCert(std::move(gp));
  }
  M2_ASSIGN_OR_RETURN(X509Certificate x, X509Certificate::Parse(data));
  return AnyCert(std::move(x));
}

Result<X509Certificate> LoadX509(const std::string& path) {
  auto data = ReadFile(path);
  if (!data.ok()) return data.status().WithContext(path);
  auto c = X509Certificate::Parse(*data);
  if (!c.ok()) return c.status().WithContext(path);
  return c;
}

std::string IsoTime(Clock::WallTime t) {
  const auto secs = chr::floor<chr::seconds>(t);
  const auto day = chr::floor<chr::days>(secs);
  const chr::hh_mm_ss hms{secs - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ",
                pki::FormatDate(chr::year_month_day{day}).c_str(),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

nlohmann::ordered_json Describe(const GpCertificate& c) {
  nlohmann::ordered_json j;
  j["format"] = "GP 7F21";
  auto role = c.Role();
  j["role"] = role.ok() ? std::string(pki::GpRoleName(*role)) : "unknown";
  j["serial"] = ToHexUpper(c.serial());
  j["caIdentifier"] = ToHexUpper(c.ca_id());
  j["subjectIdentifier"] = ToHexUpper(c.subject_id());
  j["keyUsage"] = ToHexUpper(c.key_usage_raw());
  if (c.effective()) j["effective"] = pki::FormatDate(*c.effective());
  j["expiration"] = pki::FormatDate(c.expiration());
  if (c.entity_type()) j["entityType"] = *c.entity_type();
  if (!c.authority_key_id().empty()) j["authorityKeyId"] = ToHexUpper(c.authority_key_id());
  auto curve = pki::CurveFromReference(c.key_parameter_reference());
  j["curve"] = curve.ok() ? std::string(crypto::CurveName(*curve)) : "unsupported";
  j["publicKey"] = ToHexUpper(c.public_point());
  j["signature"] = ToHexUpper(c.signature());
  return j;
}

nlohmann::ordered_json Describe(const X509Certificate& c) {
  nlohmann::ordered_json j;
  j["format"] = "X.509";
  j["subject"] = c.subject_text();
  j["issuer"] = c.issuer_text();
  j["serial"] = ToHexUpper(c.serial());
  j["notBefore"] = IsoTime(c.not_before());
  j["notAfter"] = IsoTime(c.not_after());
  j["ca"] = c.is_ca();
  if (c.path_len()) j["pathLen"] = *c.path_len();
  if (c.key_usage()) {
    nlohmann::ordered_json ku = nlohmann::ordered_json::array();
    const std::pair<uint32_t, const char*> bits[] = {
        {crypto::kKuDigitalSignature, "digitalSignature"},
        {crypto::kKuKeyAgreement, "keyAgreement"},
        {crypto::kKuKeyCertSign, "keyCertSign"},
        {crypto::kKuCrlSign, "cRLSign"}};
    for (const auto& [bit, name] : bits) {
      if (*c.key_usage() & bit) ku.push_back(name);
    }
    j["keyUsage"] = ku;
  }
  if (c.server_auth()) j["serverAuth"] = true;
  if (c.client_auth()) j["clientAuth"] = true;
  if (!c.dns_names().empty()) j["dnsNames"] = c.dns_names();
  if (!c.entity_oid().empty()) j["entityId"] = c.entity_oid();
  if (!c.subject_key_id().empty()) j["subjectKeyId"] = ToHexUpper(c.subject_key_id());
  if (!c.authority_key_id().empty()) j["authorityKeyId"] = ToHexUpper(c.authority_key_id());
  j["curve"] = std::string(crypto::CurveName(c.public_key().curve()));
  j["publicKey"] = ToHexUpper(c.public_key().ToUncompressed());
  return j;
}

struct CertOptions {
  std::string file, ca, eum, role, at;
  bool json = false;
};

void Fail(const std::string& what, const Status& s) {
  std::cerr << "m2mrsp cert " << what << ": " << s.message();
  if (s.sgp()) std::cerr << " [" << s.sgp()->subject() << "/" << s.sgp()->reason() << "]";
  std::cerr << "\n";
  SetExitCode(1);
}

void RunShow(const CertOptions& o) {
  auto cert = LoadCertificate(o.file);
  if (!cert.ok()) return Fail("show", cert.status().WithContext(o.file));
  const auto j = std::visit([](const auto& c) { return Describe(c); }, *cert);
  if (o.json) {
    std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return;
  }
  for (const auto& [k, v] : j.items()) {
    std::cout << k << ": "
              << (v.is_string() ? v.get<std::string>()
                                : v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
              << "\n";
  }
}

Result<Clock::WallTime> VerificationTime(const std::string& at) {
  if (at.empty()) return SystemClock::Instance().Now();
  unsigned y = 0, m = 0, d = 0;
  char tail = 0;
  if (std::sscanf(at.c_str(), "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3) {
    return InvalidArgument("--at must be YYYY-MM-DD");
  }
  const chr::year_month_day ymd{chr::year(static_cast<int>(y)), chr::month(m), chr::day(d)};
  if (!ymd.ok()) return InvalidArgument("--at is not a calendar date");
  return Clock::WallTime(chr::sys_days(ymd)) + chr::hours(12);
}

Result<pki::GpRole> RoleFromName(const std::string& name) {
  for (pki::GpRole r : {pki::GpRole::kEcasdEcka, pki::GpRole::kDpEcdsa, pki::GpRole::kDpEcka,
                        pki::GpRole::kSrEcdsa, pki::GpRole::kSrEcka}) {
    if (name == pki::GpRoleName(r)) return r;
  }
  return InvalidArgument("unknown role " + name + " (CERT.DP.ECDSA, CERT.SR.ECKA, ...)");
}

// The issuer given with --ca: a CI certificate, or (for bare GP vectors) a public key as PEM
// or as a P-256 uncompressed point in hex.
Result<std::string> VerifyGp(const GpCertificate& c, const CertOptions& o, Clock::WallTime now) {
  auto read = ReadFile(o.ca);
  if (!read.ok()) return read.status().WithContext(o.ca);
  const Bytes ca_data = std::move(read).value();
  if (Text(ca_data).find("BEGIN PUBLIC KEY") != std::string_view::npos || LooksHex(ca_data)) {
    auto key = LooksHex(ca_data) ? [&]() -> Result<crypto::EcPublicKey> {
      M2_ASSIGN_OR_RETURN(Bytes point, FromHex(Text(ca_data)));
      return crypto::EcPublicKey::FromUncompressed(crypto::Curve::kNistP256, point);
    }()
        : crypto::EcPublicKey::FromPem(Text(ca_data));
    if (!key.ok()) return key.status().WithContext(o.ca);
    M2_RETURN_IF_ERROR(c.Verify(*key));
    const chr::year_month_day today{chr::floor<chr::days>(now)};
    if (chr::sys_days(today) > chr::sys_days(c.expiration())) {
      return SecurityError("certificate expired on " + pki::FormatDate(c.expiration()));
    }
    if (c.effective() && chr::sys_days(today) < chr::sys_days(*c.effective())) {
      return SecurityError("certificate not valid before " + pki::FormatDate(*c.effective()));
    }
    return std::string("signature verifies with the issuer key (no chain: bare key)");
  }
  M2_ASSIGN_OR_RETURN(X509Certificate ci, LoadX509(o.ca));
  if (!o.eum.empty()) {
    M2_ASSIGN_OR_RETURN(X509Certificate eum, LoadX509(o.eum));
    M2_RETURN_IF_ERROR(pki::VerifyEuiccCertificate(c, eum, ci, now).status());
    return "CERT.ECASD.ECKA chained to " + eum.subject_text() + " and " + ci.subject_text();
  }
  pki::GpRole role;
  if (!o.role.empty()) {
    M2_ASSIGN_OR_RETURN(role, RoleFromName(o.role));
  } else {
    M2_ASSIGN_OR_RETURN(role, c.Role());
  }
  if (role == pki::GpRole::kEcasdEcka) {
    return InvalidArgument("an eUICC certificate is verified with --eum EUM-CERTIFICATE");
  }
  M2_RETURN_IF_ERROR(pki::VerifyEntityCertificate(c, role, ci, now).status());
  return std::string(pki::GpRoleName(role)) + " chained to " + ci.subject_text();
}

Result<std::string> VerifyX509(const X509Certificate& c, const CertOptions& o,
                               Clock::WallTime now) {
  M2_ASSIGN_OR_RETURN(X509Certificate ci, LoadX509(o.ca));
  if (c.der() == ci.der()) {
    M2_RETURN_IF_ERROR(pki::VerifyCiCertificate(ci, now));
    return "CI certificate " + ci.subject_text() + " (self-signed)";
  }
  if (c.is_ca()) {
    M2_RETURN_IF_ERROR(pki::VerifyEumCertificate(c, ci, now));
    return "CA " + c.subject_text() + " chained to " + ci.subject_text();
  }
  M2_RETURN_IF_ERROR(pki::VerifyX509Leaf(c, ci, now));
  return c.subject_text() + " chained to " + ci.subject_text();
}

void RunVerify(const CertOptions& o) {
  auto now = VerificationTime(o.at);
  if (!now.ok()) return Fail("verify", now.status());
  auto cert = LoadCertificate(o.file);
  if (!cert.ok()) return Fail("verify", cert.status().WithContext(o.file));
  Result<std::string> r = std::holds_alternative<GpCertificate>(*cert)
                              ? VerifyGp(std::get<GpCertificate>(*cert), o, *now)
                              : VerifyX509(std::get<X509Certificate>(*cert), o, *now);
  if (!r.ok()) return Fail("verify", r.status().WithContext(o.file));
  std::cout << o.file << ": OK: " << *r << "\n";
}

void RegisterCertCommands(CLI::App& app) {
  auto* cert = app.add_subcommand("cert", "Show or verify GP (7F21) and X.509 certificates");
  cert->require_subcommand(1);
  auto show = std::make_shared<CertOptions>();
  auto* s = cert->add_subcommand("show", "Decode a certificate (7F21 binary/hex, X.509 PEM/DER)");
  s->add_option("FILE", show->file, "certificate file")->required();
  s->add_flag("--json", show->json, "print one JSON object");
  s->callback([show] { RunShow(*show); });

  auto verify = std::make_shared<CertOptions>();
  auto* v = cert->add_subcommand("verify", "Verify a certificate against the CI (and EUM)");
  v->add_option("FILE", verify->file, "certificate file")->required();
  v->add_option("--ca", verify->ca,
                "CI certificate (PEM/DER), or an issuer public key (PEM, or hex P-256 point)")
      ->required();
  v->add_option("--eum", verify->eum, "EUM certificate, for an eUICC (CERT.ECASD.ECKA) cert");
  v->add_option("--role", verify->role, "expected GP role, e.g. CERT.SR.ECDSA");
  v->add_option("--at", verify->at, "verify at this date (YYYY-MM-DD, default now)");
  v->callback([verify] { RunVerify(*verify); });
}

const CommandRegistrar kRegistrar{"cert", "show and verify GP (7F21) and X.509 certificates",
                                  RegisterCertCommands};

}  // namespace
}  // namespace m2mrsp::app
