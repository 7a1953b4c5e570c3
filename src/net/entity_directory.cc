#include "net/entity_directory.h"

namespace m2mrsp::net {

void InMemoryEntityDirectory::AddFingerprint(ByteView sha256, Entity entity) {
  by_fingerprint_[Bytes(sha256.begin(), sha256.end())] = std::move(entity);
}

void InMemoryEntityDirectory::AddSubject(std::string subject, Entity entity) {
  by_subject_[std::move(subject)] = std::move(entity);
}

std::optional<Entity> InMemoryEntityDirectory::Lookup(const CertificateInfo& cert) const {
  if (auto it = by_fingerprint_.find(cert.sha256); it != by_fingerprint_.end()) return it->second;
  if (auto it = by_subject_.find(cert.subject); it != by_subject_.end()) return it->second;
  return std::nullopt;
}

}  // namespace m2mrsp::net
