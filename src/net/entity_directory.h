// EntityDirectory: maps a verified TLS client (or server) certificate to the off-card entity it
// belongs to (SGP.02 Annex B: the requester is identified by its TLS certificate and the
// EntityId in WS-Addressing From; the binding checks both agree).
//
// The transport calls Lookup only for certificates that already chained to the trust store; the
// directory answers "which entity is this", never "is this trusted". InMemoryEntityDirectory is
// keyed by the SHA-256 fingerprint of the DER certificate (preferred: unique per certificate) or,
// as a fallback, by the exact subject string (survives re-issuing a certificate with the same
// subject). The pki tooling will later produce a JSON directory behind the same interface.
// Implementations must be safe to call from several threads at once (servers run one io_context
// per thread); InMemoryEntityDirectory is immutable after construction and therefore is.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "base/bytes.h"
#include "net/http.h"

namespace m2mrsp::net {

struct CertificateInfo {
  Bytes sha256;         // over the DER encoding
  std::string subject;  // RFC 2253 form
};

class EntityDirectory {
 public:
  virtual ~EntityDirectory() = default;
  virtual std::optional<Entity> Lookup(const CertificateInfo& cert) const = 0;
};

class InMemoryEntityDirectory final : public EntityDirectory {
 public:
  // Adders are for construction time only (not synchronised with Lookup).
  void AddFingerprint(ByteView sha256, Entity entity);

  // By the SHA-256 of the DER certificate only (never by subject: see the .cc).
  std::optional<Entity> Lookup(const CertificateInfo& cert) const override;

 private:
  std::map<Bytes, Entity> by_fingerprint_;
};

}  // namespace m2mrsp::net
