// A complete test PKI for one m2mrsp deployment (what `m2mrsp pki init DIR` writes): the CI
// root, one EUM with a sample eUICC certificate, SM-DP and SM-SR GP certificates (signing and
// key agreement), TLS server and client certificates for SM-DP, SM-SR, MNO A, MNO B, an M2M SP
// and the EUM, each carrying its entity OID, and `entities.json` (OID → role, name, files).
// Layout and OID plan: docs/formats/pki.md.
//
// Generation does no I/O: it returns the files (relative path, bytes, whether secret) and the
// caller writes them (private keys with mode 0600). Keys come from OpenSSL's DRBG. Stateless;
// thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/clock.h"
#include "base/secret.h"
#include "base/status.h"
#include "crypto/ec.h"

namespace m2mrsp::pki {

struct TestPkiOptions {
  crypto::Curve curve = crypto::Curve::kNistP256;
  Clock::WallTime now{};
  int validity_days = 3650;  // every certificate: [now - 1 day, now + validity_days]
  // Entity OIDs are <entity_arc>.<n> (docs/formats/pki.md); default under m2mrsp's own arc.
  std::string entity_arc;
  std::string organization = "m2mrsp test PKI";
  std::string sample_eid = "89049032123451234512345678901235";  // SGP.26 test EID
};

struct PkiFile {
  std::string path;    // relative, '/'-separated
  Bytes data;          // public content (certificates, JSON)
  SecretBytes secret;  // private key PEM; non-empty only for key files
  bool is_secret() const { return !secret.empty(); }
};

// The default entity arc: crypto::kM2mrspOidArc + ".2".
std::string DefaultEntityArc();

Result<std::vector<PkiFile>> GenerateTestPki(const TestPkiOptions& options);

}  // namespace m2mrsp::pki
