#include "net/entity_directory_json.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "crypto/hash.h"
#include "crypto/x509.h"

namespace m2mrsp::net {
namespace {

using Json = nlohmann::json;

constexpr size_t kMaxString = 512;
constexpr size_t kMaxCertificatesPerEntity = 64;

Status Bad(std::string why) { return ParseError("entities.json: " + std::move(why)); }

// ObjectIdentifierType ([\d]+[.])*[\d]+ (GSMA common types); the JSON keys are entity OIDs.
bool IsOid(std::string_view s) {
  if (s.empty() || s.size() > 256 || s.front() == '.' || s.back() == '.') return false;
  char prev = '.';
  for (char c : s) {
    if (c == '.' && prev == '.') return false;
    if (c != '.' && (c < '0' || c > '9')) return false;
    prev = c;
  }
  return true;
}

// A relative '/'-separated path without "..", "." or empty components (docs/formats/pki.md).
bool IsSafeRelativePath(std::string_view p) {
  if (p.empty() || p.size() > kMaxString || p.front() == '/') return false;
  size_t start = 0;
  while (start <= p.size()) {
    const size_t end = std::min(p.find('/', start), p.size());
    const std::string_view part = p.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    for (char c : part) {
      if (c == '\\' || static_cast<unsigned char>(c) < 0x20) return false;
    }
    start = end + 1;
  }
  return true;
}

Result<std::string> StringField(const Json& object, const char* key, bool required) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (required) return Bad(std::string("missing \"") + key + "\"");
    return std::string();
  }
  if (!it->is_string()) return Bad(std::string("\"") + key + "\" is not a string");
  const auto& s = it->get_ref<const std::string&>();
  if (s.size() > kMaxString) return LimitExceeded(std::string("entities.json: \"") + key + "\"");
  return s;
}

}  // namespace

const EntityRecord* EntitiesFile::Find(std::string_view name_or_oid) const {
  for (const EntityRecord& r : entities) {
    if (r.entity.name == name_or_oid || r.entity.oid == name_or_oid) return &r;
  }
  return nullptr;
}

Result<EntitiesFile> ParseEntitiesJson(std::string_view text) {
  if (text.size() > kMaxEntitiesJsonBytes) return LimitExceeded("entities.json: file too large");
  // allow_exceptions = false: malformed input gives a discarded value, never a throw.
  const Json root = Json::parse(text.begin(), text.end(), nullptr, false);
  if (root.is_discarded() || !root.is_object()) return Bad("not a JSON object");
  EntitiesFile out;
  M2_ASSIGN_OR_RETURN(out.curve, StringField(root, "curve", false));
  M2_ASSIGN_OR_RETURN(out.entity_arc, StringField(root, "entityArc", false));
  auto entities = root.find("entities");
  if (entities == root.end() || !entities->is_object()) return Bad("missing \"entities\" object");
  if (entities->size() > kMaxEntities) return LimitExceeded("entities.json: too many entities");
  for (const auto& [oid, record] : entities->items()) {
    if (!IsOid(oid)) return Bad("entity key '" + oid.substr(0, 64) + "' is not a dotted OID");
    if (!record.is_object()) return Bad("entity " + oid + " is not an object");
    EntityRecord r;
    r.entity.oid = oid;
    M2_ASSIGN_OR_RETURN(r.entity.role, StringField(record, "role", true));
    M2_ASSIGN_OR_RETURN(r.entity.name, StringField(record, "name", true));
    auto certs = record.find("certificates");
    if (certs != record.end()) {
      if (!certs->is_object()) return Bad("certificates of " + oid + " is not an object");
      if (certs->size() > kMaxCertificatesPerEntity) return LimitExceeded("entities.json: certs");
      for (const auto& [kind, path] : certs->items()) {
        if (!path.is_string()) return Bad("certificate path of " + oid + " is not a string");
        const auto& p = path.get_ref<const std::string&>();
        if (!IsSafeRelativePath(p)) return Bad("unsafe certificate path for " + oid);
        r.certificates[kind] = p;
      }
    }
    out.entities.push_back(std::move(r));
  }
  return out;
}

Result<std::string> ReadPkiFile(const std::filesystem::path& dir, std::string_view relative,
                                size_t max_bytes) {
  if (!IsSafeRelativePath(relative)) return InvalidArgument("unsafe path in PKI directory");
  const std::filesystem::path path = dir / std::filesystem::path(std::string(relative));
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(ErrorKind::kIo, "cannot read " + path.string());
  std::string data(max_bytes + 1, '\0');
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  const auto n = static_cast<size_t>(in.gcount());
  if (n > max_bytes) return LimitExceeded(path.string() + " is too large");
  data.resize(n);
  return data;
}

Result<std::shared_ptr<InMemoryEntityDirectory>> LoadEntityDirectory(
    const std::filesystem::path& dir, EntitiesFile* file_out) {
  M2_ASSIGN_OR_RETURN(std::string text, ReadPkiFile(dir, "entities.json", kMaxEntitiesJsonBytes));
  M2_ASSIGN_OR_RETURN(EntitiesFile file, ParseEntitiesJson(text));
  auto directory = std::make_shared<InMemoryEntityDirectory>();
  for (const EntityRecord& r : file.entities) {
    for (const char* kind : {"tls-server", "tls-client"}) {
      auto it = r.certificates.find(kind);
      if (it == r.certificates.end()) continue;
      M2_ASSIGN_OR_RETURN(std::string pem, ReadPkiFile(dir, it->second));
      auto cert = crypto::X509Certificate::FromPem(pem);
      if (!cert.ok()) return cert.status().WithContext(it->second);
      // The certificate must have been issued for this entity (docs/formats/pki.md entityId).
      if (cert->entity_oid() != r.entity.oid) {
        return SecurityError(it->second + ": entityId extension is not " + r.entity.oid);
      }
      M2_ASSIGN_OR_RETURN(Bytes fingerprint, crypto::Sha256(cert->der()));
      directory->AddFingerprint(fingerprint, r.entity);
    }
  }
  if (file_out != nullptr) *file_out = std::move(file);
  return directory;
}

}  // namespace m2mrsp::net
