// Loading an EntityDirectory from the `entities.json` that `m2mrsp pki init DIR` writes
// (docs/formats/pki.md): OID → {role, name, certificates{kind: relative path}}.
//
// ParseEntitiesJson() reads the file's text (bounded: size, entity and certificate counts, string
// lengths; it never throws). LoadEntityDirectory() then reads every TLS certificate listed
// ("tls-server", "tls-client"), checks that its entityId extension names the same OID as the
// JSON key (a directory must not map a certificate to an entity it was not issued for), and keys
// the directory by the SHA-256 of each certificate's DER (net/entity_directory.h explains why
// never by subject). Relative paths only; "..", absolute paths and backslashes are refused, so a
// tampered file cannot make us read outside DIR. Plain functions; thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "net/entity_directory.h"

namespace m2mrsp::net {

struct EntityRecord {
  Entity entity;  // oid = the JSON key; role, name from the record
  std::map<std::string, std::string> certificates;  // kind ("tls-server", ...) → relative path
};

struct EntitiesFile {
  std::string curve;
  std::string entity_arc;
  std::vector<EntityRecord> entities;

  // The record with this folder name ("smsr") or OID; nullptr when none.
  const EntityRecord* Find(std::string_view name_or_oid) const;
};

inline constexpr size_t kMaxEntitiesJsonBytes = 256 * 1024;
inline constexpr size_t kMaxEntities = 1024;

// Errors: kParse (not JSON, wrong shape, bad OID, bad path), kLimitExceeded.
Result<EntitiesFile> ParseEntitiesJson(std::string_view text);

// Reads `dir/relative` after checking `relative` stays inside `dir` (at most `max_bytes`).
Result<std::string> ReadPkiFile(const std::filesystem::path& dir, std::string_view relative,
                                size_t max_bytes = 64 * 1024);

// DIR/entities.json plus the TLS certificates it lists → a directory keyed by fingerprint.
// `file_out` (optional) receives the parsed file.
Result<std::shared_ptr<InMemoryEntityDirectory>> LoadEntityDirectory(
    const std::filesystem::path& dir, EntitiesFile* file_out = nullptr);

}  // namespace m2mrsp::net
