// PkiNode: everything one entity needs to serve and call ES functions, read from a directory
// written by `m2mrsp pki init` (docs/formats/pki.md): the entity (OID, role, name) from
// entities.json, the EntityDirectory of every entity's TLS certificates, and the mutual TLS
// contexts — server (own tls-server.pem + key, clients must chain to the CI) and client (own
// tls-client.pem + key, servers must chain to the CI). Key files are the certificate path with
// ".pem" replaced by ".key.pem" (pki init's naming). Private keys go straight into SecretBytes.
// Plain function; the returned contexts are immutable and shareable across threads.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include "base/status.h"
#include "net/entity_directory_json.h"
#include "net/tls.h"

namespace m2mrsp::binding {

struct PkiNode {
  net::Entity self;
  std::shared_ptr<const net::EntityDirectory> directory;
  std::shared_ptr<const net::ServerTls> server_tls;
  std::shared_ptr<const net::ClientTls> client_tls;
  net::EntitiesFile entities;
};

// `entity`: the folder name ("smsr", "smdp", "mno-a"), the OID, or a role held by exactly one
// entity ("SM-SR"; kInvalidArgument when several share it). The CI certificate is the
// certificate of kind "ci" of the entity with role "CI".
Result<PkiNode> LoadPkiNode(const std::filesystem::path& dir, std::string_view entity);

}  // namespace m2mrsp::binding
