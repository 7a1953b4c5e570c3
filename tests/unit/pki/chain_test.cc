// Chain verification: eUICC (7F21) → EUM (X.509) → CI and SM-DP/SM-SR (7F21) → CI, with the
// SGP.02 codes of each failure; X.509 chains made by the openssl CLI (tests/vectors/x509).
#include "pki/chain.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace m2mrsp::pki {
namespace {

namespace chr = std::chrono;
using crypto::Curve;
using crypto::EcPrivateKey;
using crypto::X509Certificate;
using crypto::X509Request;

const Clock::WallTime kNow = Clock::WallTime(chr::seconds(1'800'000'000));  // 2027-01-15

X509Certificate OpensslVector(const std::string& name) {
  std::ifstream in(std::filesystem::path(M2MRSP_VECTOR_DIR) / "x509" / name);
  std::stringstream ss;
  ss << in.rdbuf();
  return *X509Certificate::FromPem(ss.str());
}

void ExpectCodes(const Status& s, const char* subject, const char* reason) {
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.kind(), ErrorKind::kSecurity) << s.ToString();
  ASSERT_TRUE(s.sgp().has_value()) << s.ToString();
  EXPECT_EQ(s.sgp()->subject(), subject) << s.ToString();
  EXPECT_EQ(s.sgp()->reason(), reason) << s.ToString();
}

// A small PKI built in memory: CI, EUM, an eUICC certificate, SM-DP/SM-SR certificates.
struct Pki {
  EcPrivateKey ci_key, eum_key, subject_key;
  X509Certificate ci, eum;

  static Pki Make(Curve curve = Curve::kNistP256, int eum_days = 365) {
    auto ci_key = EcPrivateKey::Generate(curve);
    auto eum_key = EcPrivateKey::Generate(curve);
    auto subject_key = EcPrivateKey::Generate(curve);
    X509Request ci_req;
    ci_req.subject = {"CI", "test", ""};
    ci_req.not_before = kNow - chr::days(30);
    ci_req.not_after = kNow + chr::days(3650);
    ci_req.ca = true;
    ci_req.key_usage = crypto::kKuKeyCertSign;
    auto ci = X509Certificate::Create(ci_req, ci_key->PublicKey(), *ci_key, nullptr);
    X509Request eum_req = ci_req;
    eum_req.subject = {"EUM", "test", ""};
    eum_req.not_after = kNow + chr::days(eum_days);
    eum_req.key_usage = crypto::kKuKeyCertSign | crypto::kKuDigitalSignature;
    auto eum = X509Certificate::Create(eum_req, eum_key->PublicKey(), *ci_key, &*ci);
    return {std::move(ci_key).value(), std::move(eum_key).value(), std::move(subject_key).value(),
            std::move(ci).value(), std::move(eum).value()};
  }

  GpCertificate Gp(GpKeyUsage usage, std::optional<uint8_t> type, const EcPrivateKey& signer,
                   const X509Certificate& issuer, int days_valid = 365) const {
    GpCertificateFields f;
    f.serial = {0x42};
    f.ca_id = issuer.subject_key_id();
    f.subject_id = Bytes(16, 0x89);
    f.usage = usage;
    f.entity_type = type;
    f.authority_key_id = issuer.subject_key_id();
    const chr::sys_days today = chr::floor<chr::days>(kNow);
    f.effective = chr::year_month_day{today - chr::days(1)};
    f.expiration = chr::year_month_day{today + chr::days(days_valid)};
    f.public_key = subject_key.PublicKey();
    return *GpCertificate::Sign(f, signer);
  }
};

TEST(Chain, EuiccThroughEumToCi) {
  const Pki p = Pki::Make();
  const GpCertificate euicc = p.Gp(GpKeyUsage::kKeyAgreement, std::nullopt, p.eum_key, p.eum);
  auto key = VerifyEuiccCertificate(euicc, p.eum, p.ci, kNow);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_TRUE(*key == p.subject_key.PublicKey());
  EXPECT_TRUE(VerifyEumCertificate(p.eum, p.ci, kNow).ok());
}

TEST(Chain, EntityCertificatesToCi) {
  for (Curve curve : {Curve::kNistP256, Curve::kBrainpoolP256r1}) {
    const Pki p = Pki::Make(curve);
    for (auto [usage, type, role] :
         {std::tuple{GpKeyUsage::kVerification, kEntitySmDp, GpRole::kDpEcdsa},
          std::tuple{GpKeyUsage::kKeyAgreement, kEntitySmDp, GpRole::kDpEcka},
          std::tuple{GpKeyUsage::kVerification, kEntitySmSr, GpRole::kSrEcdsa},
          std::tuple{GpKeyUsage::kKeyAgreement, kEntitySmSr, GpRole::kSrEcka}}) {
      const GpCertificate c = p.Gp(usage, type, p.ci_key, p.ci);
      auto key = VerifyEntityCertificate(c, role, p.ci, kNow);
      ASSERT_TRUE(key.ok()) << key.status().ToString();
      EXPECT_TRUE(*key == p.subject_key.PublicKey());
    }
  }
}

TEST(Chain, WrongRoleIsRefused) {
  const Pki p = Pki::Make();
  const GpCertificate dp = p.Gp(GpKeyUsage::kVerification, kEntitySmDp, p.ci_key, p.ci);
  auto as_sr = VerifyEntityCertificate(dp, GpRole::kSrEcdsa, p.ci, kNow);
  ExpectCodes(as_sr.status(), "8.5.3", "6.1");
  EXPECT_NE(as_sr.status().message().find("CERT.DP.ECDSA"), std::string::npos);
  EXPECT_FALSE(VerifyEntityCertificate(dp, GpRole::kDpEcka, p.ci, kNow).ok());
  // A key-agreement certificate where the eUICC certificate is expected, signed by the EUM.
  const GpCertificate dp_by_eum = p.Gp(GpKeyUsage::kKeyAgreement, kEntitySmDp, p.eum_key, p.eum);
  ExpectCodes(VerifyEuiccCertificate(dp_by_eum, p.eum, p.ci, kNow).status(), "8.1.3", "6.1");
  // The EUM's X.509 certificate as an issuer of SM-DP certificates is not the CI.
  const GpCertificate dp_by_eum_sig =
      p.Gp(GpKeyUsage::kVerification, kEntitySmDp, p.eum_key, p.eum);
  EXPECT_FALSE(VerifyEntityCertificate(dp_by_eum_sig, GpRole::kDpEcdsa, p.ci, kNow).ok());
}

TEST(Chain, NotChainedToTheCi) {
  const Pki p = Pki::Make();
  const Pki other = Pki::Make();
  const GpCertificate euicc = p.Gp(GpKeyUsage::kKeyAgreement, std::nullopt, p.eum_key, p.eum);
  // EUM of another CI.
  ExpectCodes(VerifyEuiccCertificate(euicc, p.eum, other.ci, kNow).status(), "8.1.2", "6.1");
  // eUICC certificate of another EUM.
  ExpectCodes(VerifyEuiccCertificate(euicc, other.eum, other.ci, kNow).status(), "8.1.3", "6.1");
  const GpCertificate sr = p.Gp(GpKeyUsage::kVerification, kEntitySmSr, p.ci_key, p.ci);
  ExpectCodes(VerifyEntityCertificate(sr, GpRole::kSrEcdsa, other.ci, kNow).status(), "8.5.3",
              "6.1");
  // Signed by the right name but the wrong key: same C9, other signature.
  const GpCertificate forged = p.Gp(GpKeyUsage::kVerification, kEntitySmDp, other.ci_key, p.ci);
  auto r = VerifyEntityCertificate(forged, GpRole::kDpEcdsa, p.ci, kNow);
  EXPECT_EQ(r.status().kind(), ErrorKind::kSecurity);
  EXPECT_NE(r.status().message().find("signature"), std::string::npos) << r.status().ToString();
}

TEST(Chain, ExpiredCertificates) {
  const Pki p = Pki::Make(Curve::kNistP256, /*eum_days=*/10);
  const GpCertificate euicc =
      p.Gp(GpKeyUsage::kKeyAgreement, std::nullopt, p.eum_key, p.eum, /*days_valid=*/5);
  EXPECT_TRUE(VerifyEuiccCertificate(euicc, p.eum, p.ci, kNow).ok());
  ExpectCodes(VerifyEuiccCertificate(euicc, p.eum, p.ci, kNow + chr::days(7)).status(), "8.1.3",
              "6.3");
  ExpectCodes(VerifyEuiccCertificate(euicc, p.eum, p.ci, kNow + chr::days(11)).status(), "8.1.2",
              "6.3");
  const GpCertificate sr = p.Gp(GpKeyUsage::kKeyAgreement, kEntitySmSr, p.ci_key, p.ci, 5);
  ExpectCodes(VerifyEntityCertificate(sr, GpRole::kSrEcka, p.ci, kNow + chr::days(6)).status(),
              "8.5.3", "6.3");
  // Not yet valid (effective date tomorrow relative to two days ago).
  ExpectCodes(VerifyEntityCertificate(sr, GpRole::kSrEcka, p.ci, kNow - chr::days(2)).status(),
              "8.5.3", "6.1");
  // The CI itself expired.
  EXPECT_FALSE(VerifyCiCertificate(p.ci, kNow + chr::days(3651)).ok());
}

TEST(Chain, WrongCurveIsRefused) {
  // An eUICC key on brainpoolP256r1 signed by an EUM on P-256 is fine (SGP.02 allows both), but
  // a signature by a brainpool key cannot verify under a P-256 EUM key.
  const Pki p = Pki::Make(Curve::kNistP256);
  const Pki bp = Pki::Make(Curve::kBrainpoolP256r1);
  const GpCertificate euicc = p.Gp(GpKeyUsage::kKeyAgreement, std::nullopt, bp.eum_key, p.eum);
  ExpectCodes(VerifyEuiccCertificate(euicc, p.eum, p.ci, kNow).status(), "8.1.3", "6.1");
}

TEST(Chain, OpensslMadeX509Chains) {
  const auto now = std::chrono::system_clock::now();
  const X509Certificate ci = OpensslVector("ci.pem");
  EXPECT_TRUE(VerifyCiCertificate(ci, now).ok());
  EXPECT_TRUE(VerifyEumCertificate(OpensslVector("eum.pem"), ci, now).ok());
  EXPECT_TRUE(VerifyX509Leaf(OpensslVector("tls-server.pem"), ci, now).ok());
  EXPECT_TRUE(VerifyX509Leaf(OpensslVector("bp-leaf.pem"), OpensslVector("bp-ci.pem"), now).ok());
  // Expired (2001), not chained, a leaf posing as the EUM CA, a CA that is not self-signed.
  EXPECT_FALSE(VerifyX509Leaf(OpensslVector("expired.pem"), ci, now).ok());
  EXPECT_FALSE(VerifyX509Leaf(OpensslVector("other-leaf.pem"), ci, now).ok());
  ExpectCodes(VerifyEumCertificate(OpensslVector("tls-server.pem"), ci, now), "8.1.2", "6.1");
  ExpectCodes(VerifyEumCertificate(OpensslVector("other-leaf.pem"), ci, now), "8.1.2", "6.1");
  EXPECT_FALSE(VerifyCiCertificate(OpensslVector("eum.pem"), now).ok());
  EXPECT_FALSE(VerifyX509Leaf(OpensslVector("bp-leaf.pem"), ci, now).ok());  // wrong curve/CI
}

}  // namespace
}  // namespace m2mrsp::pki
