#include "pki/test_pki.h"

#include <chrono>
#include <map>

#include "base/eid.h"
#include "crypto/x509.h"
#include "pki/gp_certificate.h"

namespace m2mrsp::pki {
namespace {

namespace chr = std::chrono;
using crypto::EcPrivateKey;
using crypto::X509Certificate;
using crypto::X509Request;

struct Entity {
  const char* name;  // folder and DNS label
  const char* role;  // entities.json "role"
  const char* cn;
  int number;  // entity OID = <arc>.<number>
};

// The deployment's entities (DESIGN.md §1).
constexpr Entity kCi{"ci", "CI", "m2mrsp test CI", 1};
constexpr Entity kEum{"eum", "EUM", "EUM", 2};
constexpr Entity kSmDp{"smdp", "SM-DP", "SM-DP", 3};
constexpr Entity kSmSr{"smsr", "SM-SR", "SM-SR", 4};
constexpr Entity kMnoA{"mno-a", "MNO", "MNO A", 5};
constexpr Entity kMnoB{"mno-b", "MNO", "MNO B", 6};
constexpr Entity kM2mSp{"m2msp", "M2M SP", "M2M SP", 7};

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;  // never produced by our names
    out += c;
  }
  return out + "\"";
}

class Generator {
 public:
  explicit Generator(const TestPkiOptions& o)
      : o_(o), arc_(o.entity_arc.empty() ? DefaultEntityArc() : o.entity_arc) {}

  Result<std::vector<PkiFile>> Run();

 private:
  std::string Oid(const Entity& e) const { return arc_ + "." + std::to_string(e.number); }
  X509Request Request(const Entity& e, const std::string& cn) const {
    X509Request r;
    r.subject = {cn, o_.organization, ""};
    r.not_before = o_.now - chr::hours(24);
    r.not_after = o_.now + chr::days(o_.validity_days);
    r.entity_oid = Oid(e);
    return r;
  }
  Status AddKey(const Entity& e, const std::string& path, const EcPrivateKey& key);
  void AddPublic(const Entity& e, const std::string& kind, const std::string& path, Bytes data);
  Result<X509Certificate> AddX509(const Entity& e, const std::string& kind, const X509Request& req,
                                  const EcPrivateKey& key, const EcPrivateKey& signer,
                                  const X509Certificate* issuer);
  Status AddTls(const Entity& e);
  Status AddGp(const Entity& e, const std::string& kind, GpCertificateFields fields,
               const EcPrivateKey& signer, const X509Certificate& issuer);
  Bytes Json() const;

  const TestPkiOptions& o_;
  const std::string arc_;
  std::vector<PkiFile> files_;
  std::map<std::string, std::map<std::string, std::string>> directory_;  // name → kind → path
  std::optional<EcPrivateKey> ci_key_;
  std::optional<X509Certificate> ci_;
  uint8_t next_gp_serial_ = 1;
};

Status Generator::AddKey(const Entity& e, const std::string& path, const EcPrivateKey& key) {
  M2_ASSIGN_OR_RETURN(std::string pem, key.ExportPem());
  PkiFile f;
  f.path = std::string(e.name) + "/" + path;
  f.secret = SecretBytes(AsBytes(pem));
  SecureWipe(pem.data(), pem.size());
  files_.push_back(std::move(f));
  return Status::Ok();
}

void Generator::AddPublic(const Entity& e, const std::string& kind, const std::string& path,
                          Bytes data) {
  PkiFile f;
  f.path = std::string(e.name) + "/" + path;
  f.data = std::move(data);
  directory_[e.name][kind] = f.path;
  files_.push_back(std::move(f));
}

Result<X509Certificate> Generator::AddX509(const Entity& e, const std::string& kind,
                                           const X509Request& req, const EcPrivateKey& key,
                                           const EcPrivateKey& signer,
                                           const X509Certificate* issuer) {
  M2_ASSIGN_OR_RETURN(X509Certificate cert,
                      X509Certificate::Create(req, key.PublicKey(), signer, issuer));
  M2_ASSIGN_OR_RETURN(std::string pem, cert.ToPem());
  AddPublic(e, kind, kind + ".pem", Bytes(pem.begin(), pem.end()));
  M2_RETURN_IF_ERROR(AddKey(e, kind + ".key.pem", key));
  return cert;
}

// One server and one client certificate per entity, issued by the CI (SGP.02 §2.3: TLS with
// certificates of the CI chain on ES1-ES4, ES7).
Status Generator::AddTls(const Entity& e) {
  for (bool server : {true, false}) {
    M2_ASSIGN_OR_RETURN(EcPrivateKey key, EcPrivateKey::Generate(o_.curve));
    X509Request r = Request(e, std::string(e.cn) + (server ? " TLS server" : " TLS client"));
    r.key_usage = crypto::kKuDigitalSignature;
    r.server_auth = server;
    r.client_auth = !server;
    if (server) r.dns_names = {std::string(e.name) + ".m2mrsp.test", "localhost"};
    auto cert = AddX509(e, server ? "tls-server" : "tls-client", r, key, *ci_key_, &*ci_);
    if (!cert.ok()) return cert.status();
  }
  return Status::Ok();
}

Status Generator::AddGp(const Entity& e, const std::string& kind, GpCertificateFields fields,
                        const EcPrivateKey& signer, const X509Certificate& issuer) {
  M2_ASSIGN_OR_RETURN(EcPrivateKey key, EcPrivateKey::Generate(o_.curve));
  const chr::year_month_day today{chr::floor<chr::days>(o_.now)};
  fields.serial = {next_gp_serial_++};
  fields.ca_id = issuer.subject_key_id();
  fields.authority_key_id = issuer.subject_key_id();
  if (fields.subject_id.empty()) {
    M2_ASSIGN_OR_RETURN(fields.subject_id, crypto::KeyIdentifier(key.PublicKey()));
  }
  fields.effective = today;
  fields.expiration = chr::year_month_day{chr::sys_days(today) + chr::days(o_.validity_days)};
  fields.public_key = key.PublicKey();
  M2_ASSIGN_OR_RETURN(GpCertificate cert, GpCertificate::Sign(fields, signer));
  AddPublic(e, kind, kind + ".bin", cert.encoded());
  return AddKey(e, kind + ".key.pem", key);
}

Result<std::vector<PkiFile>> Generator::Run() {
  // CI root (CERT.CI.ECDSA): self-signed, signs certificates only.
  M2_ASSIGN_OR_RETURN(EcPrivateKey ci_key, EcPrivateKey::Generate(o_.curve));
  X509Request ci_req = Request(kCi, kCi.cn);
  ci_req.ca = true;
  ci_req.key_usage = crypto::kKuKeyCertSign | crypto::kKuCrlSign;
  ci_req.not_after = o_.now + chr::days(o_.validity_days + 365);
  M2_ASSIGN_OR_RETURN(X509Certificate ci, AddX509(kCi, "ci", ci_req, ci_key, ci_key, nullptr));
  ci_key_ = std::move(ci_key);
  ci_ = std::move(ci);

  // EUM (CERT.EUM.ECDSA): a CA under the CI that signs eUICC certificates (and EIS data).
  M2_ASSIGN_OR_RETURN(EcPrivateKey eum_key, EcPrivateKey::Generate(o_.curve));
  X509Request eum_req = Request(kEum, "EUM");
  eum_req.ca = true;
  eum_req.path_len = 0;
  eum_req.key_usage = crypto::kKuKeyCertSign | crypto::kKuDigitalSignature;
  M2_ASSIGN_OR_RETURN(X509Certificate eum, AddX509(kEum, "eum", eum_req, eum_key, *ci_key_, &*ci_));

  // A sample CERT.ECASD.ECKA; subject identifier = the EID in BCD (16 bytes) [?].
  M2_ASSIGN_OR_RETURN(Eid eid, Eid::Parse(o_.sample_eid));
  GpCertificateFields ecasd;
  ecasd.usage = GpKeyUsage::kKeyAgreement;
  ecasd.subject_id = eid.ToBcd();
  M2_RETURN_IF_ERROR(AddGp(kEum, "euicc-sample.ecasd", std::move(ecasd), eum_key, eum));

  // SM-DP and SM-SR: signing (ECDSA) and key agreement (ECKA) GP certificates by the CI.
  for (const auto& [e, type, prefix] :
       {std::tuple{kSmDp, kEntitySmDp, "dp"}, std::tuple{kSmSr, kEntitySmSr, "sr"}}) {
    for (GpKeyUsage usage : {GpKeyUsage::kVerification, GpKeyUsage::kKeyAgreement}) {
      GpCertificateFields f;
      f.usage = usage;
      f.entity_type = type;
      const std::string kind =
          std::string("cert.") + prefix + (usage == GpKeyUsage::kVerification ? ".ecdsa" : ".ecka");
      M2_RETURN_IF_ERROR(AddGp(e, kind, std::move(f), *ci_key_, *ci_));
    }
  }
  for (const Entity& e : {kEum, kSmDp, kSmSr, kMnoA, kMnoB, kM2mSp}) {
    M2_RETURN_IF_ERROR(AddTls(e));
  }
  PkiFile json;
  json.path = "entities.json";
  json.data = Json();
  files_.push_back(std::move(json));
  return std::move(files_);
}

Bytes Generator::Json() const {
  std::string j = "{\n  \"curve\": " + JsonString(crypto::CurveName(o_.curve)) +
                  ",\n  \"entityArc\": " + JsonString(arc_) +
                  ",\n  \"entityIdExtension\": " + JsonString(crypto::kEntityIdExtensionOid) +
                  ",\n  \"entities\": {";
  bool first = true;
  for (const Entity& e : {kCi, kEum, kSmDp, kSmSr, kMnoA, kMnoB, kM2mSp}) {
    j += first ? "\n" : ",\n";
    first = false;
    j += "    " + JsonString(Oid(e)) + ": {\"role\": " + JsonString(e.role) +
         ", \"name\": " + JsonString(e.name) + ", \"certificates\": {";
    bool first_file = true;
    auto it = directory_.find(e.name);
    if (it != directory_.end()) {
      for (const auto& [kind, path] : it->second) {
        j += (first_file ? "" : ", ") + JsonString(kind) + ": " + JsonString(path);
        first_file = false;
      }
    }
    j += "}}";
  }
  j += "\n  }\n}\n";
  return Bytes(j.begin(), j.end());
}

}  // namespace

std::string DefaultEntityArc() { return std::string(crypto::kM2mrspOidArc) + ".2"; }

Result<std::vector<PkiFile>> GenerateTestPki(const TestPkiOptions& options) {
  if (options.validity_days < 1 || options.validity_days > 36500) {
    return InvalidArgument("validity must be 1..36500 days");
  }
  return Generator(options).Run();
}

}  // namespace m2mrsp::pki
