// IsdpSecurity, the card side of one ISD-P, driven by the off-card code of src/scp:
// key establishment with a generated test PKI, an SCP03 APDU session and an SCP03t download
// with the established keys, PUT KEY of the token key (tests/vectors/isdp_token.vec, computed by
// gen/isdp_token.py), and Serialize/Restore in the middle of both sessions.
#include "euicc/isdp_security.h"

#include <gtest/gtest.h>

#include <map>

#include "crypto/secure_random.h"
#include "crypto/x509.h"
#include "pki/chain.h"
#include "pki/gp_certificate.h"
#include "pki/test_pki.h"
#include "support/vectors.h"

namespace m2mrsp::euicc {
namespace {

using crypto::EcPrivateKey;
using crypto::EcPublicKey;

const Aid kIsdpAid = *Aid::Parse("A0000005591010FFFFFFFF8900001000");

struct TestPki {
  std::map<std::string, Bytes> files;
  std::map<std::string, std::string> keys;
};

const TestPki& Pki(const Clock& clock) {
  static const TestPki pki = [&clock] {
    pki::TestPkiOptions options;
    options.now = clock.Now();
    auto files = pki::GenerateTestPki(options);
    if (!files.ok()) throw std::runtime_error(files.status().ToString());
    TestPki out;
    for (const pki::PkiFile& f : *files) {
      if (f.is_secret()) {
        out.keys[f.path] = std::string(f.secret.view().begin(), f.secret.view().end());
      } else {
        out.files[f.path] = f.data;
      }
    }
    return out;
  }();
  return pki;
}

uint16_t Sw(const Bytes& rapdu) {
  return static_cast<uint16_t>((rapdu[rapdu.size() - 2] << 8) | rapdu.back());
}
ByteView Data(const Bytes& rapdu) { return ByteView(rapdu).first(rapdu.size() - 2); }

scp::Scp03Keys KeysFrom(const scp::EstablishedKeys& k) {
  return scp::Scp03Keys{k.kvn, k.keys[0].Clone(), k.keys[1].Clone(), k.keys[2].Clone()};
}

scp::Scp03Keys FixedKeys(ByteView dek = HexOrDie("404142434445464748494a4b4c4d4e4f")) {
  return scp::Scp03Keys{0x30, SecretBytes(HexOrDie("000102030405060708090a0b0c0d0e0f")),
                        SecretBytes(HexOrDie("101112131415161718191a1b1c1d1e1f")),
                        SecretBytes(dek)};
}

class IsdpSecurityTest : public ::testing::Test {
 protected:
  // Runs ES8.EstablishISDPKeySet between scp's host and `card`; returns the host's keys.
  Result<scp::EstablishedKeys> Establish(IsdpSecurity& card, const std::string& cert_path,
                                         const std::string& key_path) {
    const TestPki& pki = Pki(clock_);
    M2_ASSIGN_OR_RETURN(crypto::X509Certificate ci,
                        crypto::X509Certificate::Parse(pki.files.at("ci/ci.pem")));
    M2_ASSIGN_OR_RETURN(crypto::X509Certificate eum,
                        crypto::X509Certificate::Parse(pki.files.at("eum/eum.pem")));
    M2_ASSIGN_OR_RETURN(pki::GpCertificate euicc,
                        pki::GpCertificate::Decode(pki.files.at("eum/euicc-sample.ecasd.bin")));
    M2_ASSIGN_OR_RETURN(EcPublicKey ecasd_pub,
                        pki::VerifyEuiccCertificate(euicc, eum, ci, clock_.Now()));
    M2_ASSIGN_OR_RETURN(ecasd_,
                        EcPrivateKey::FromPem(pki.keys.at("eum/euicc-sample.ecasd.key.pem")));
    M2_ASSIGN_OR_RETURN(EcPrivateKey signer, EcPrivateKey::FromPem(pki.keys.at(key_path)));
    scp::KeyEstablishmentHost host(signer, ecasd_pub, scp::KeyAgreementCrt{}, rnd_);
    M2_ASSIGN_OR_RETURN(Bytes cert_data,
                        scp::KeyEstablishmentHost::CertificateData(pki.files.at(cert_path)));
    M2_ASSIGN_OR_RETURN(
        Bytes rc, card.HandleCertificate(cert_data, *ecasd_, SmDpCertificateVerifier(ci, clock_)));
    M2_RETURN_IF_ERROR(host.AcceptChallenge(rc));
    M2_ASSIGN_OR_RETURN(Bytes params, host.KeyParametersData());
    M2_ASSIGN_OR_RETURN(Bytes response, card.HandleKeyParameters(params));
    return host.Finish(response);
  }

  // Opens an authenticated SCP03 session (security level 33) between `host` and `card`.
  void OpenSession(scp::Scp03Host& host, IsdpSecurity& card) {
    auto iu = host.InitializeUpdate();
    ASSERT_TRUE(iu.ok());
    const Bytes r1 = card.ProcessSessionApdu(*iu);
    ASSERT_EQ(Sw(r1), 0x9000);
    ASSERT_TRUE(host.CheckInitializeUpdateResponse(Data(r1), Sw(r1)).ok());
    auto ea = host.ExternalAuthenticate(0x33);
    ASSERT_TRUE(ea.ok());
    const Bytes r2 = card.ProcessSessionApdu(*ea);
    ASSERT_TRUE(host.CheckExternalAuthenticateResponse(Sw(r2)).ok());
    ASSERT_TRUE(card.session_open());
  }

  // One wrapped command through the card; checks the plain APDU and the protected response.
  void RoundTrip(scp::Scp03Host& host, IsdpSecurity& card, const Bytes& plain) {
    auto wrapped = host.Wrap(plain);
    ASSERT_TRUE(wrapped.ok());
    auto inner = card.UnwrapCommand(*wrapped);
    ASSERT_TRUE(inner.ok()) << inner.status().ToString();
    EXPECT_EQ(ToHex(*inner), ToHex(plain));
    const Bytes rsp = card.WrapResponse(HexOrDie("AABB9000"));
    auto data = host.Unwrap(Data(rsp), Sw(rsp));
    ASSERT_TRUE(data.ok()) << data.status().ToString();
    EXPECT_EQ(ToHex(*data), "aabb");
  }

  FakeClock clock_{std::chrono::system_clock::now()};
  crypto::SecureRandom& rnd_ = crypto::SecureRandom::Instance();
  std::optional<EcPrivateKey> ecasd_;
};

TEST_F(IsdpSecurityTest, KeyEstablishmentThenScp03Session) {
  IsdpSecurity card(kIsdpAid, rnd_);
  auto keys = Establish(card, "smdp/cert.dp.ecdsa.bin", "smdp/cert.dp.ecdsa.key.pem");
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  EXPECT_EQ(card.kvn(), 0x30);  // resolutions §1.6
  scp::Scp03Host host(KeysFrom(*keys), rnd_);
  OpenSession(host, card);
  // STORE DATA (ES8.UpdateConnectivityParameters, DGI 3A07) unwrapped byte for byte.
  RoundTrip(host, card, HexOrDie("80E288000D3A070BA0090607913386994211F1"));
  RoundTrip(host, card, HexOrDie("80CA00E000"));
  EXPECT_EQ(card.sequence_counter(), 1u);
}

TEST_F(IsdpSecurityTest, KeyEstablishmentRefusals) {
  IsdpSecurity card(kIsdpAid, rnd_);
  // The SM-SR's certificate is not CERT.DP.ECDSA.
  auto r = Establish(card, "smsr/cert.sr.ecdsa.bin", "smsr/cert.sr.ecdsa.key.pem");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(IsdpSecurity::KeyEstablishmentStatusWord(r.status()), 0x6982);
  EXPECT_FALSE(card.has_keys());
  // 3A02 without 3A01.
  auto k = card.HandleKeyParameters(HexOrDie("3A0200"));
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(IsdpSecurity::KeyEstablishmentStatusWord(k.status()), 0x6985);
  // Without keys no session opens.
  EXPECT_EQ(ToHex(card.ProcessSessionApdu(HexOrDie("8050300008000102030405060700"))), "6a88");
  const Bytes no_key = card.ProcessScp03t(HexOrDie("840A30000102030405060708"),
                                          [](ByteView) -> Result<Bytes> { return Bytes{}; });
  EXPECT_EQ(ToHex(no_key), "9f440103");
}

TEST_F(IsdpSecurityTest, MacFailureClosesTheSession) {
  IsdpSecurity card(kIsdpAid, rnd_);
  ASSERT_TRUE(card.SetKeys(FixedKeys()).ok());
  scp::Scp03Host host(FixedKeys(), rnd_);
  OpenSession(host, card);
  auto wrapped = host.Wrap(HexOrDie("80CA00E000"));
  ASSERT_TRUE(wrapped.ok());
  (*wrapped)[wrapped->size() - 2] ^= 0x01;  // inside the C-MAC (Le follows)
  auto inner = card.UnwrapCommand(*wrapped);
  EXPECT_FALSE(inner.ok());
  EXPECT_EQ(card.session_status_word(), 0x6982);
  EXPECT_FALSE(card.session_open());
  EXPECT_FALSE(card.UnwrapCommand(*wrapped).ok());  // still closed
  EXPECT_EQ(card.session_status_word(), 0x6982);
}

TEST_F(IsdpSecurityTest, PutTokenKeyAndVerifyTokens) {
  for (const auto& rec : testing::InSection(testing::LoadVectors("isdp_token.vec"), "PutKey")) {
    SCOPED_TRACE(rec.Where());
    IsdpSecurity card(kIsdpAid, rnd_);
    ASSERT_TRUE(card.SetKeys(FixedKeys(rec.Hex("Dek"))).ok());
    const Bytes put_key = Concat({HexOrDie("80D8000118"), rec.Hex("Data")});
    // Outside a session: refused.
    EXPECT_FALSE(card.PutTokenKey(put_key).ok());
    EXPECT_EQ(card.session_status_word(), 0x6985);
    scp::Scp03Host host(FixedKeys(rec.Hex("Dek")), rnd_);
    OpenSession(host, card);
    auto wrapped = host.Wrap(put_key);
    ASSERT_TRUE(wrapped.ok());
    auto plain = card.UnwrapCommand(*wrapped);
    ASSERT_TRUE(plain.ok());
    auto response = card.PutTokenKey(*plain);
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    EXPECT_EQ(ToHex(*response), ToHex(rec.Hex("Response")));
    ASSERT_TRUE(card.token_key().has_value());
    EXPECT_EQ(ToHex(card.token_key()->view()), ToHex(rec.Hex("TokenKey")));
    // A wrong KCV is refused and keeps the key.
    Bytes bad = put_key;
    bad.back() ^= 0x01;
    EXPECT_FALSE(card.PutTokenKey(bad).ok());
    EXPECT_EQ(card.session_status_word(), 0x6A80);
    EXPECT_FALSE(card.PutTokenKey(HexOrDie("80D8000103708811")).ok());
    EXPECT_FALSE(card.PutTokenKey(HexOrDie("80D8008118")).ok());
  }
  IsdpSecurity card(kIsdpAid, rnd_);
  ASSERT_TRUE(card.SetKeys(FixedKeys()).ok());
  scp::Scp03Host host(FixedKeys(), rnd_);
  OpenSession(host, card);
  const auto puts = testing::InSection(testing::LoadVectors("isdp_token.vec"), "PutKey");
  auto wrapped = host.Wrap(Concat({HexOrDie("80D8000118"), puts[0].Hex("Data")}));
  ASSERT_TRUE(card.PutTokenKey(*card.UnwrapCommand(*wrapped)).ok());
  for (const auto& rec : testing::InSection(testing::LoadVectors("isdp_token.vec"), "Token")) {
    SCOPED_TRACE(rec.Where());
    EXPECT_TRUE(card.VerifyToken(rec.Hex("SignedData"), rec.Hex("Token")).ok());
    Bytes bad = rec.Hex("Token");
    bad[0] ^= 0x80;
    EXPECT_FALSE(card.VerifyToken(rec.Hex("SignedData"), bad).ok());
  }
}

Result<Bytes> Collect(std::vector<Bytes>& out, ByteView segment) {
  out.emplace_back(segment.begin(), segment.end());
  return Bytes{};
}

TEST_F(IsdpSecurityTest, Scp03tSegmentsInOrderAndRestoreMidDownload) {
  IsdpSecurity card(kIsdpAid, rnd_);
  auto keys = Establish(card, "smdp/cert.dp.ecdsa.bin", "smdp/cert.dp.ecdsa.key.pem");
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  scp::Scp03tHost host(KeysFrom(*keys), rnd_);
  std::vector<Bytes> got;
  auto handler = [&got](ByteView s) { return Collect(got, s); };

  auto iu = host.InitializeUpdate();
  ASSERT_TRUE(iu.ok());
  ASSERT_TRUE(host.CheckInitializeUpdateResponse(card.ProcessScp03t(*iu, handler)).ok());
  auto ea = host.ExternalAuthenticate();
  ASSERT_TRUE(ea.ok());
  ASSERT_TRUE(host.CheckExternalAuthenticateResponse(card.ProcessScp03t(*ea, handler)).ok());
  EXPECT_TRUE(card.scp03t_open());

  Bytes package(2600);
  for (size_t i = 0; i < package.size(); ++i) package[i] = static_cast<uint8_t>(i * 7 + 3);
  auto segments = host.ProtectPackage(package);
  ASSERT_TRUE(segments.ok());
  ASSERT_EQ(segments->size(), 3u);
  // Two segments in one script, then the card is persisted and restored into a new object.
  const Bytes rsp = card.ProcessScp03t(Concat({(*segments)[0], (*segments)[1]}), handler);
  EXPECT_EQ(ToHex(rsp), "86008600");
  ASSERT_TRUE(host.CheckDataResponse(HexOrDie("8600")).ok());
  ASSERT_TRUE(host.CheckDataResponse(HexOrDie("8600")).ok());
  const Bytes state = card.Serialize();

  IsdpSecurity restored(*Aid::Parse("A0000005591010FFFFFFFF8900001100"), rnd_);
  ASSERT_TRUE(restored.Restore(state).ok());
  EXPECT_EQ(restored.aid().ToHex(), kIsdpAid.ToHex());
  EXPECT_TRUE(restored.scp03t_open());
  auto last = [&got](ByteView s) -> Result<Bytes> {
    got.emplace_back(s.begin(), s.end());
    return HexOrDie("A0053003800100");  // an EUICCResponse-like answer to the last segment
  };
  const Bytes final_rsp = restored.ProcessScp03t((*segments)[2], last);
  auto answer = host.CheckDataResponse(final_rsp);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(ToHex(*answer), "a0053003800100");
  Bytes joined;
  for (const Bytes& s : got) Append(joined, s);
  EXPECT_EQ(got.size(), 3u);
  EXPECT_EQ(ToHex(joined), ToHex(package));
}

TEST_F(IsdpSecurityTest, Scp03tWrongMacIsAnErrorTlv) {
  IsdpSecurity card(kIsdpAid, rnd_);
  ASSERT_TRUE(card.SetKeys(FixedKeys()).ok());
  scp::Scp03tHost host(FixedKeys(), rnd_);
  std::vector<Bytes> got;
  auto handler = [&got](ByteView s) { return Collect(got, s); };
  ASSERT_TRUE(
      host.CheckInitializeUpdateResponse(card.ProcessScp03t(*host.InitializeUpdate(), handler))
          .ok());
  ASSERT_TRUE(host.CheckExternalAuthenticateResponse(
                      card.ProcessScp03t(*host.ExternalAuthenticate(), handler))
                  .ok());
  auto seg = host.ProtectSegment(HexOrDie("A0820100"));
  ASSERT_TRUE(seg.ok());
  seg->back() ^= 0x01;
  EXPECT_EQ(ToHex(card.ProcessScp03t(*seg, handler)), "9f460102");
  EXPECT_FALSE(card.scp03t_open());
  EXPECT_TRUE(got.empty());
  // `86` without a session, and an undelimitable script.
  EXPECT_EQ(ToHex(card.ProcessScp03t(*seg, handler)), "9f460102");
  EXPECT_EQ(ToHex(card.ProcessScp03t(HexOrDie("8605AA"), handler)), "9f460101");
}

TEST_F(IsdpSecurityTest, RestoreMidApduSessionAndRefuseDamage) {
  IsdpSecurity card(kIsdpAid, rnd_);
  ASSERT_TRUE(card.SetKeys(FixedKeys()).ok());
  scp::Scp03Host host(FixedKeys(), rnd_);
  OpenSession(host, card);
  RoundTrip(host, card, HexOrDie("80E2880003AABBCC"));
  const Bytes state = card.Serialize();
  IsdpSecurity restored(kIsdpAid, rnd_);
  ASSERT_TRUE(restored.Restore(state).ok());
  EXPECT_TRUE(restored.session_open());
  EXPECT_EQ(restored.sequence_counter(), 1u);
  RoundTrip(host, restored, HexOrDie("80E2890003DDEEFF"));
  // Serialising the restored object gives what a never-restored card would give.
  EXPECT_GT(restored.Serialize().size(), state.size());

  // Truncations and single-byte damage never crash. A cut at an element boundary is a valid
  // shorter state (no session); any cut inside the session is refused.
  for (size_t n = 0; n < state.size(); ++n) {
    IsdpSecurity victim(kIsdpAid, rnd_);
    if (victim.Restore(ByteView(state).first(n)).ok()) {
      EXPECT_FALSE(victim.session_open()) << n;
    }
  }
  size_t refused = 0;
  for (size_t i = 0; i < state.size(); ++i) {
    Bytes bad = state;
    bad[i] ^= 0x5A;
    IsdpSecurity victim(kIsdpAid, rnd_);
    if (!victim.Restore(bad).ok()) ++refused;
  }
  EXPECT_GT(refused, state.size() / 2);
  // A session log whose C-MAC was altered fails the replay.
  Bytes tampered = state;
  tampered[tampered.size() - 1] ^= 0x01;
  IsdpSecurity victim(kIsdpAid, rnd_);
  EXPECT_FALSE(victim.Restore(tampered).ok());
}

TEST_F(IsdpSecurityTest, SerializeWithoutSessionKeepsKeysAndCounter) {
  IsdpSecurity card(kIsdpAid, rnd_);
  EXPECT_TRUE(IsdpSecurity(kIsdpAid, rnd_).Restore(card.Serialize()).ok());
  ASSERT_TRUE(card.SetKeys(FixedKeys()).ok());
  scp::Scp03Host host(FixedKeys(), rnd_);
  OpenSession(host, card);
  auto bad = host.Wrap(HexOrDie("80CA00E000"));
  (*bad)[5] ^= 1;
  EXPECT_FALSE(card.UnwrapCommand(*bad).ok());  // session closed, counter stays 1
  IsdpSecurity restored(kIsdpAid, rnd_);
  ASSERT_TRUE(restored.Restore(card.Serialize()).ok());
  EXPECT_TRUE(restored.has_keys());
  EXPECT_FALSE(restored.session_open());
  EXPECT_EQ(restored.sequence_counter(), 1u);
  // The next session continues from counter 2 (the host reads it from INITIALIZE UPDATE).
  scp::Scp03Host host2(FixedKeys(), rnd_);
  OpenSession(host2, restored);
  EXPECT_EQ(restored.sequence_counter(), 2u);
}

}  // namespace
}  // namespace m2mrsp::euicc
