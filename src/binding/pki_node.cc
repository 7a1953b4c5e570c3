#include "binding/pki_node.h"

#include "base/secret.h"

namespace m2mrsp::binding {
namespace {

Result<std::string> KeyPath(const std::string& cert_path) {
  constexpr std::string_view kPem = ".pem";
  if (!cert_path.ends_with(kPem)) return InvalidArgument(cert_path + " is not a .pem file");
  return cert_path.substr(0, cert_path.size() - kPem.size()) + ".key.pem";
}

Result<std::string> CertificateOf(const net::EntityRecord& r, const std::string& kind) {
  auto it = r.certificates.find(kind);
  if (it == r.certificates.end()) {
    return Status::Error(ErrorKind::kNotFound, "entity " + r.entity.name + " has no " + kind);
  }
  return it->second;
}

}  // namespace

Result<PkiNode> LoadPkiNode(const std::filesystem::path& dir, std::string_view entity) {
  PkiNode node;
  M2_ASSIGN_OR_RETURN(auto directory, net::LoadEntityDirectory(dir, &node.entities));
  node.directory = directory;
  const net::EntityRecord* self = node.entities.Find(entity);
  if (self == nullptr) {
    // A role ("SM-SR") names the entity when exactly one has it (MNO A and B share "MNO").
    size_t matches = 0;
    for (const net::EntityRecord& r : node.entities.entities) {
      if (r.entity.role == entity) {
        self = &r;
        ++matches;
      }
    }
    if (matches > 1) {
      return InvalidArgument("role '" + std::string(entity) + "' names several entities");
    }
  }
  if (self == nullptr) {
    return Status::Error(ErrorKind::kNotFound, "no entity '" + std::string(entity) + "'");
  }
  node.self = self->entity;
  const net::EntityRecord* ci = nullptr;
  for (const net::EntityRecord& r : node.entities.entities) {
    if (r.entity.role == "CI") ci = &r;
  }
  if (ci == nullptr) return Status::Error(ErrorKind::kNotFound, "entities.json has no CI");
  M2_ASSIGN_OR_RETURN(std::string ci_path, CertificateOf(*ci, "ci"));
  M2_ASSIGN_OR_RETURN(std::string trust, net::ReadPkiFile(dir, ci_path));

  M2_ASSIGN_OR_RETURN(std::string server_cert, CertificateOf(*self, "tls-server"));
  M2_ASSIGN_OR_RETURN(std::string server_key_path, KeyPath(server_cert));
  net::MutualTlsServerConfig server;
  M2_ASSIGN_OR_RETURN(server.certificate_chain_pem, net::ReadPkiFile(dir, server_cert));
  {
    M2_ASSIGN_OR_RETURN(std::string key, net::ReadPkiFile(dir, server_key_path));
    server.private_key_pem = SecretBytes(AsBytes(key));
    SecureWipe(key.data(), key.size());
  }
  server.trust_store_pem = trust;
  server.directory = node.directory;
  M2_ASSIGN_OR_RETURN(node.server_tls, net::MakeMutualTlsServer(server));

  M2_ASSIGN_OR_RETURN(std::string client_cert, CertificateOf(*self, "tls-client"));
  M2_ASSIGN_OR_RETURN(std::string client_key_path, KeyPath(client_cert));
  net::MutualTlsClientConfig client;
  M2_ASSIGN_OR_RETURN(client.certificate_chain_pem, net::ReadPkiFile(dir, client_cert));
  {
    M2_ASSIGN_OR_RETURN(std::string key, net::ReadPkiFile(dir, client_key_path));
    client.private_key_pem = SecretBytes(AsBytes(key));
    SecureWipe(key.data(), key.size());
  }
  client.trust_store_pem = std::move(trust);
  client.directory = node.directory;
  M2_ASSIGN_OR_RETURN(node.client_tls, net::MakeMutualTlsClient(client));
  return node;
}

}  // namespace m2mrsp::binding
