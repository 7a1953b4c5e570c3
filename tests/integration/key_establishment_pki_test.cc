// Key establishment with real certificates: a test PKI (pki::GenerateTestPki), the SM-DP
// presenting CERT.DP.ECDSA, the card accepting only an SM-DP signing certificate chained to its
// CI — the wrong role, the wrong CI or an expired certificate is refused before any key is made.
#include <gtest/gtest.h>

#include <map>

#include "crypto/secure_random.h"
#include "crypto/x509.h"
#include "pki/chain.h"
#include "pki/gp_certificate.h"
#include "pki/test_pki.h"
#include "scp/key_establishment.h"

namespace m2mrsp {
namespace {

using crypto::EcPrivateKey;
using crypto::EcPublicKey;

struct Pki {
  std::map<std::string, Bytes> public_files;
  std::map<std::string, std::string> keys;  // PEM
};

Pki Generate(Clock::WallTime now) {
  pki::TestPkiOptions options;
  options.now = now;
  auto files = pki::GenerateTestPki(options);
  if (!files.ok()) throw std::runtime_error(files.status().ToString());
  Pki out;
  for (const pki::PkiFile& f : *files) {
    if (f.is_secret()) {
      out.keys[f.path] = std::string(f.secret.view().begin(), f.secret.view().end());
    } else {
      out.public_files[f.path] = f.data;
    }
  }
  return out;
}

class KeyEstablishmentWithPki : public ::testing::Test {
 protected:
  void SetUp() override {
    pki_ = Generate(clock_.Now());
    other_ = Generate(clock_.Now());
  }

  crypto::X509Certificate Ci(const Pki& p) {
    const Bytes& pem = p.public_files.at("ci/ci.pem");
    return *crypto::X509Certificate::Parse(pem);
  }

  // The card's trust decision: an SM-DP signing certificate chained to its CI.
  scp::KeyEstablishmentCard::CertificateVerifier CardVerifier(const crypto::X509Certificate& ci) {
    return [this, ci](ByteView cert) -> Result<EcPublicKey> {
      M2_ASSIGN_OR_RETURN(pki::GpCertificate gp, pki::GpCertificate::Decode(cert));
      return pki::VerifyEntityCertificate(gp, pki::GpRole::kDpEcdsa, ci, clock_.Now());
    };
  }

  // Runs the exchange with `presented` as the SM-DP certificate; returns the card's status.
  Status Run(const Bytes& presented, const EcPrivateKey& signer) {
    const crypto::X509Certificate ci = Ci(pki_);
    const Bytes& eum_pem = pki_.public_files.at("eum/eum.pem");
    auto eum = crypto::X509Certificate::Parse(eum_pem);
    auto euicc = pki::GpCertificate::Decode(pki_.public_files.at("eum/euicc-sample.ecasd.bin"));
    if (!eum.ok() || !euicc.ok()) return InternalError("test PKI files");
    // Off-card: PK.ECASD.ECKA comes from the eUICC certificate verified through EUM and CI.
    M2_ASSIGN_OR_RETURN(EcPublicKey ecasd_pub,
                        pki::VerifyEuiccCertificate(*euicc, *eum, ci, clock_.Now()));
    M2_ASSIGN_OR_RETURN(EcPrivateKey ecasd,
                        EcPrivateKey::FromPem(pki_.keys.at("eum/euicc-sample.ecasd.key.pem")));
    auto& rnd = crypto::SecureRandom::Instance();
    scp::KeyEstablishmentHost host(signer, ecasd_pub, scp::KeyAgreementCrt{}, rnd);
    scp::KeyEstablishmentCard card(ecasd, CardVerifier(ci), rnd);
    M2_ASSIGN_OR_RETURN(Bytes cert_data, scp::KeyEstablishmentHost::CertificateData(presented));
    M2_ASSIGN_OR_RETURN(Bytes rc, card.HandleCertificate(cert_data));
    M2_RETURN_IF_ERROR(host.AcceptChallenge(rc));
    M2_ASSIGN_OR_RETURN(Bytes params, host.KeyParametersData());
    scp::EstablishedKeys card_keys;
    M2_ASSIGN_OR_RETURN(Bytes response, card.HandleKeyParameters(params, card_keys));
    M2_ASSIGN_OR_RETURN(scp::EstablishedKeys host_keys, host.Finish(response));
    if (host_keys.keys.size() != 3 ||
        ToHex(host_keys.keys[0].view()) != ToHex(card_keys.keys[0].view())) {
      return InternalError("keys differ");
    }
    return Status::Ok();
  }

  EcPrivateKey Key(const Pki& p, const std::string& path) {
    return *EcPrivateKey::FromPem(p.keys.at(path));
  }

  FakeClock clock_{std::chrono::system_clock::now()};
  Pki pki_;
  Pki other_;
};

TEST_F(KeyEstablishmentWithPki, SmDpSigningCertificateIsAccepted) {
  const Status s =
      Run(pki_.public_files.at("smdp/cert.dp.ecdsa.bin"), Key(pki_, "smdp/cert.dp.ecdsa.key.pem"));
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST_F(KeyEstablishmentWithPki, WrongRoleIsRefused) {
  // The SM-SR's signing certificate and the SM-DP's key-agreement certificate are both chained
  // to the CI but are not CERT.DP.ECDSA.
  Status s =
      Run(pki_.public_files.at("smsr/cert.sr.ecdsa.bin"), Key(pki_, "smsr/cert.sr.ecdsa.key.pem"));
  EXPECT_EQ(scp::KeyEstablishmentStatusWord(s), 0x6982) << s.ToString();
  s = Run(pki_.public_files.at("smdp/cert.dp.ecka.bin"), Key(pki_, "smdp/cert.dp.ecka.key.pem"));
  EXPECT_EQ(scp::KeyEstablishmentStatusWord(s), 0x6982) << s.ToString();
}

TEST_F(KeyEstablishmentWithPki, CertificateFromAnotherCiIsRefused) {
  const Status s = Run(other_.public_files.at("smdp/cert.dp.ecdsa.bin"),
                       Key(other_, "smdp/cert.dp.ecdsa.key.pem"));
  EXPECT_EQ(scp::KeyEstablishmentStatusWord(s), 0x6982) << s.ToString();
}

TEST_F(KeyEstablishmentWithPki, SignerMustHoldTheCertifiedKey) {
  // A valid CERT.DP.ECDSA presented by someone signing with another key: the signature over the
  // key parameters fails.
  const Status s = Run(pki_.public_files.at("smdp/cert.dp.ecdsa.bin"),
                       Key(other_, "smdp/cert.dp.ecdsa.key.pem"));
  EXPECT_EQ(s.kind(), ErrorKind::kSecurity) << s.ToString();
}

TEST_F(KeyEstablishmentWithPki, ExpiredCertificateIsRefused) {
  clock_.Advance(std::chrono::hours(24 * 4000));  // past the 3650-day validity
  const Status s =
      Run(pki_.public_files.at("smdp/cert.dp.ecdsa.bin"), Key(pki_, "smdp/cert.dp.ecdsa.key.pem"));
  EXPECT_FALSE(s.ok());
}

}  // namespace
}  // namespace m2mrsp
