#include "net/entity_directory.h"

namespace m2mrsp::net {

void InMemoryEntityDirectory::AddFingerprint(ByteView sha256, Entity entity) {
  by_fingerprint_[Bytes(sha256.begin(), sha256.end())] = std::move(entity);
}

std::optional<Entity> InMemoryEntityDirectory::Lookup(const CertificateInfo& cert) const {
  // Only the exact certificate counts. A subject match is not enough: any CA under the CI (an
  // EUM is one) could issue itself a leaf with another entity's subject.
  if (auto it = by_fingerprint_.find(cert.sha256); it != by_fingerprint_.end()) return it->second;
  return std::nullopt;
}

}  // namespace m2mrsp::net
