// Certificate chain verification for the SGP.02 PKI (SGP.02 §2.3; digest
// shared/spec/sgp02-security-wire.md §2.3):
//   eUICC:        CERT.ECASD.ECKA (GP 7F21, signed by the EUM) → CERT.EUM.ECDSA (X.509) → CI
//   SM-DP, SM-SR: CERT.DP/SR.ECDSA|ECKA (GP 7F21, signed by the CI) → CI
//   TLS:          X.509 leaf (signed by the CI) → CI
// The CI certificate is the trust anchor the caller chose (self-signed, CA, keyCertSign).
// Checks: signatures, issuer names/key identifiers, CA flags and key usage, roles, validity at
// `now` (off-card entities check dates; the eUICC has no trusted clock and uses GpCertificate
// directly). Errors are kSecurity and carry SGP.02 codes where the spec has them: subject
// 8.1.2 (EUM certificate) / 8.1.3 (eUICC certificate) / 8.5.3 (SM-SR certificate [C]) with reason
// 6.1 (verification failed) or 6.3 (expired). Stateless functions; thread-safe.
#pragma once

#include "base/clock.h"
#include "base/status.h"
#include "crypto/ec.h"
#include "crypto/x509.h"
#include "pki/gp_certificate.h"

namespace m2mrsp::pki {

// SGP.02 §5.1.6 codes used here (shared/spec/sgp02-architecture.md §7.4 [S]).
inline constexpr const char* kSubjectEumCertificate = "8.1.2";
inline constexpr const char* kSubjectEuiccCertificate = "8.1.3";
inline constexpr const char* kSubjectSmSrCertificate = "8.5.3";
inline constexpr const char* kReasonVerificationFailed = "6.1";
inline constexpr const char* kReasonExpired = "6.3";

// The CI root: self-signed (signature checked), CA, keyCertSign, valid at `now`.
Status VerifyCiCertificate(const crypto::X509Certificate& ci, Clock::WallTime now);

// CERT.EUM.ECDSA: issued by the CI, CA with keyCertSign (it signs eUICC certificates),
// valid at `now`. Errors carry 8.1.2.
Status VerifyEumCertificate(const crypto::X509Certificate& eum, const crypto::X509Certificate& ci,
                            Clock::WallTime now);

// CERT.ECASD.ECKA through the EUM to the CI; returns PK.ECASD.ECKA. Errors carry 8.1.3 (or
// 8.1.2 when the EUM certificate is the problem).
Result<crypto::EcPublicKey> VerifyEuiccCertificate(const GpCertificate& euicc,
                                                   const crypto::X509Certificate& eum,
                                                   const crypto::X509Certificate& ci,
                                                   Clock::WallTime now);

// CERT.DP.* / CERT.SR.* signed by the CI, of the `expected` role; returns its public key.
Result<crypto::EcPublicKey> VerifyEntityCertificate(const GpCertificate& cert, GpRole expected,
                                                    const crypto::X509Certificate& ci,
                                                    Clock::WallTime now);

// Any X.509 leaf (TLS client/server) issued by the CI and valid at `now`.
Status VerifyX509Leaf(const crypto::X509Certificate& leaf, const crypto::X509Certificate& ci,
                      Clock::WallTime now);

}  // namespace m2mrsp::pki
