#include "pki/chain.h"

#include <string>

namespace m2mrsp::pki {
namespace {

namespace chr = std::chrono;
using crypto::X509Certificate;

// A failure about one certificate: kSecurity, with SGP.02 codes when `subject` is known.
Status Fail(const char* subject, const char* reason, std::string message) {
  if (subject == nullptr) return SecurityError(std::move(message));
  return Status::Sgp(ErrorKind::kSecurity, subject, reason, std::move(message));
}

Status CheckX509Validity(const X509Certificate& c, Clock::WallTime now, const char* subject,
                         const char* what) {
  if (now > c.not_after()) return Fail(subject, kReasonExpired, std::string(what) + " expired");
  if (now < c.not_before()) {
    return Fail(subject, kReasonVerificationFailed, std::string(what) + " is not yet valid");
  }
  return Status::Ok();
}

// `child` names `issuer` (name and, when present, key identifier) and carries its signature.
Status CheckIssuedBy(const X509Certificate& child, const X509Certificate& issuer,
                     const char* subject, const std::string& what) {
  if (!child.IssuerNameIs(issuer)) {
    return Fail(subject, kReasonVerificationFailed,
                what + " was not issued by " + issuer.subject_text() + " (issuer " +
                    child.issuer_text() + ")");
  }
  if (!child.authority_key_id().empty() && !issuer.subject_key_id().empty() &&
      child.authority_key_id() != issuer.subject_key_id()) {
    return Fail(subject, kReasonVerificationFailed,
                what + ": authority key identifier does not match the issuer");
  }
  if (!child.VerifySignature(issuer.public_key()).ok()) {
    return Fail(subject, kReasonVerificationFailed, what + ": signature does not verify");
  }
  return Status::Ok();
}

bool CanSignCertificates(const X509Certificate& c) {
  return c.is_ca() && (!c.key_usage() || (*c.key_usage() & crypto::kKuKeyCertSign) != 0);
}

// Issuer link, role and dates of a GP certificate issued by the holder of `issuer`.
Result<crypto::EcPublicKey> CheckGpCertificate(const GpCertificate& cert, GpRole expected,
                                               const X509Certificate& issuer, Clock::WallTime now,
                                               const char* subject) {
  const std::string what(GpRoleName(expected));
  auto role = cert.Role();
  if (!role.ok())
    return Fail(subject, kReasonVerificationFailed, what + ": " + role.status().message());
  if (*role != expected) {
    return Fail(subject, kReasonVerificationFailed,
                what + " expected, certificate is " + std::string(GpRoleName(*role)));
  }
  // SGP.02 discretionary data C9 names the signer's key; 42 may hold another identifier (GP
  // examples put an AID there), so only C9 is compared.
  if (!cert.authority_key_id().empty() && !issuer.subject_key_id().empty() &&
      cert.authority_key_id() != issuer.subject_key_id()) {
    return Fail(subject, kReasonVerificationFailed,
                what + ": authority key identifier C9 does not match " + issuer.subject_text());
  }
  if (!cert.Verify(issuer.public_key()).ok()) {
    return Fail(subject, kReasonVerificationFailed,
                what + ": signature does not verify with the key of " + issuer.subject_text());
  }
  auto key = cert.PublicKey();
  if (!key.ok())
    return Fail(subject, kReasonVerificationFailed, what + ": " + key.status().message());
  const chr::year_month_day today{chr::floor<chr::days>(now)};
  if (chr::sys_days(today) > chr::sys_days(cert.expiration())) {
    return Fail(subject, kReasonExpired, what + " expired on " + FormatDate(cert.expiration()));
  }
  if (cert.effective() && chr::sys_days(today) < chr::sys_days(*cert.effective())) {
    return Fail(subject, kReasonVerificationFailed,
                what + " is not valid before " + FormatDate(*cert.effective()));
  }
  return key;
}

}  // namespace

Status VerifyCiCertificate(const X509Certificate& ci, Clock::WallTime now) {
  if (!CanSignCertificates(ci)) {
    return Fail(nullptr, nullptr, "CI certificate is not a CA with keyCertSign");
  }
  if (!ci.IssuerNameIs(ci) || !ci.VerifySignature(ci.public_key()).ok()) {
    return Fail(nullptr, nullptr, "CI certificate is not self-signed");
  }
  return CheckX509Validity(ci, now, nullptr, "CI certificate");
}

Status VerifyEumCertificate(const X509Certificate& eum, const X509Certificate& ci,
                            Clock::WallTime now) {
  M2_RETURN_IF_ERROR(VerifyCiCertificate(ci, now));
  M2_RETURN_IF_ERROR(CheckIssuedBy(eum, ci, kSubjectEumCertificate, "EUM certificate"));
  if (!CanSignCertificates(eum)) {
    return Fail(kSubjectEumCertificate, kReasonVerificationFailed,
                "EUM certificate is not a CA with keyCertSign");
  }
  return CheckX509Validity(eum, now, kSubjectEumCertificate, "EUM certificate");
}

Result<crypto::EcPublicKey> VerifyEuiccCertificate(const GpCertificate& euicc,
                                                   const X509Certificate& eum,
                                                   const X509Certificate& ci, Clock::WallTime now) {
  M2_RETURN_IF_ERROR(VerifyEumCertificate(eum, ci, now));
  return CheckGpCertificate(euicc, GpRole::kEcasdEcka, eum, now, kSubjectEuiccCertificate);
}

Result<crypto::EcPublicKey> VerifyEntityCertificate(const GpCertificate& cert, GpRole expected,
                                                    const X509Certificate& ci,
                                                    Clock::WallTime now) {
  if (expected == GpRole::kEcasdEcka) {
    return InvalidArgument("CERT.ECASD.ECKA is verified through the EUM");
  }
  M2_RETURN_IF_ERROR(VerifyCiCertificate(ci, now));
  const bool sr = expected == GpRole::kSrEcdsa || expected == GpRole::kSrEcka;
  return CheckGpCertificate(cert, expected, ci, now, sr ? kSubjectSmSrCertificate : nullptr);
}

Status VerifyX509Leaf(const X509Certificate& leaf, const X509Certificate& ci, Clock::WallTime now) {
  M2_RETURN_IF_ERROR(VerifyCiCertificate(ci, now));
  M2_RETURN_IF_ERROR(CheckIssuedBy(leaf, ci, nullptr, "certificate " + leaf.subject_text()));
  return CheckX509Validity(leaf, now, nullptr, "certificate");
}

}  // namespace m2mrsp::pki
