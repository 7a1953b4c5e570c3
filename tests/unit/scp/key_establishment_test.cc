// Key establishment (GP Amd E scenario #3) against an exchange computed independently with
// python3-cryptography (tests/vectors/gen/key_establishment.py), from both sides, plus refusals.
#include "scp/key_establishment.h"

#include <gtest/gtest.h>

#include "crypto/secure_random.h"
#include "support/vectors.h"
#include "tlv/ber.h"

namespace m2mrsp::scp {
namespace {

using crypto::Curve;
using crypto::EcPrivateKey;
using crypto::EcPublicKey;

struct Vector {
  testing::VectorRecord rec;
  EcPrivateKey ecasd;
  EcPrivateKey dp;
  EcPublicKey dp_pub;
};

Vector Load(const std::string& section) {
  const auto rec = testing::InSection(testing::LoadVectors("key_establishment.vec"), section).at(0);
  auto ecasd = EcPrivateKey::FromScalar(Curve::kNistP256, rec.Hex("SkEcasd"));
  auto dp = EcPrivateKey::FromScalar(Curve::kNistP256, rec.Hex("SkDpEcdsa"));
  auto dp_pub = EcPublicKey::FromUncompressed(Curve::kNistP256, rec.Hex("PkDpEcdsa"));
  if (!ecasd.ok() || !dp.ok() || !dp_pub.ok()) throw std::runtime_error("bad key in vector");
  return Vector{rec, std::move(ecasd).value(), std::move(dp).value(), std::move(dp_pub).value()};
}

const Bytes kCert = HexOrDie("7F2103930101");

Bytes Tlv85(const Bytes& rc) {
  return tlv::Encode(0x85, rc);
}  // opaque to this layer; the verifier judges it

void ExpectKeys(const EstablishedKeys& keys, const testing::VectorRecord& rec) {
  ASSERT_EQ(keys.keys.size(), 3u);
  EXPECT_EQ(keys.kvn, 0x30);
  EXPECT_EQ(keys.first_key_id, 0x01);
  EXPECT_EQ(ToHex(keys.keys[0].view()), ToHex(rec.Hex("KeyEnc")));
  EXPECT_EQ(ToHex(keys.keys[1].view()), ToHex(rec.Hex("KeyMac")));
  EXPECT_EQ(ToHex(keys.keys[2].view()), ToHex(rec.Hex("KeyDek")));
}

class KeyEstablishmentVector : public ::testing::TestWithParam<const char*> {};

TEST_P(KeyEstablishmentVector, CardSideMatchesIndependentComputation) {
  const Vector v = Load(GetParam());
  ScriptedRandom random(Concat({v.rec.Hex("Rc"), v.rec.Hex("Dr")}));
  KeyEstablishmentCard card(
      v.ecasd, [&](ByteView) -> Result<EcPublicKey> { return v.dp_pub; }, random);
  auto rc = card.HandleCertificate(*KeyEstablishmentHost::CertificateData(kCert));
  ASSERT_TRUE(rc.ok()) << rc.status().ToString();
  EXPECT_EQ(ToHex(*rc), "8510" + ToHex(v.rec.Hex("Rc")));
  EstablishedKeys keys;
  auto response = card.HandleKeyParameters(v.rec.Hex("StoreData"), keys);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(ToHex(*response), ToHex(v.rec.Hex("Response")));
  ExpectKeys(keys, v.rec);
}

TEST_P(KeyEstablishmentVector, HostSideMatchesIndependentComputation) {
  const Vector v = Load(GetParam());
  auto crt = KeyAgreementCrt::Decode(v.rec.Hex("Crt"));
  ASSERT_TRUE(crt.ok()) << crt.status().ToString();
  EXPECT_EQ(crt->Encode(), v.rec.Hex("Crt"));
  ScriptedRandom random(v.rec.Hex("EskDp"));
  auto ecasd_pub = EcPublicKey::FromUncompressed(Curve::kNistP256, v.rec.Hex("PkEcasd"));
  KeyEstablishmentHost host(v.dp, *ecasd_pub, *crt, random);
  ASSERT_TRUE(host.AcceptChallenge(Tlv85(v.rec.Hex("Rc"))).ok());
  auto data = host.KeyParametersData();
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  // Everything but the (randomised) signature is byte-identical: 3A02 and 7F49 DGIs.
  const Bytes expected = v.rec.Hex("StoreData");
  const size_t sig_dgi = 3 + 64;
  ASSERT_EQ(data->size(), expected.size());
  EXPECT_EQ(ToHex(ByteView(*data).first(data->size() - sig_dgi)),
            ToHex(ByteView(expected).first(expected.size() - sig_dgi)));
  // Our signature verifies over the independently computed signed data.
  EXPECT_TRUE(
      crypto::EcdsaVerifyRaw(v.dp_pub, v.rec.Hex("SignedData"), ByteView(*data).last(64)).ok());
  auto keys = host.Finish(v.rec.Hex("Response"));
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  ExpectKeys(*keys, v.rec);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, KeyEstablishmentVector,
                         ::testing::Values("Scenario-09", "Scenario-0B-DR"));

// Host against card, both curves, fresh keys.
class KeyEstablishmentRoundTrip : public ::testing::TestWithParam<Curve> {};

TEST_P(KeyEstablishmentRoundTrip, BothSidesAgree) {
  auto ecasd = EcPrivateKey::Generate(GetParam());
  auto dp = EcPrivateKey::Generate(GetParam());
  ASSERT_TRUE(ecasd.ok() && dp.ok());
  crypto::SecureRandom& rnd = crypto::SecureRandom::Instance();
  KeyAgreementCrt crt;
  crt.scenario_params = 0x0B;
  KeyEstablishmentHost host(*dp, ecasd->PublicKey(), crt, rnd);
  KeyEstablishmentCard card(
      *ecasd, [&](ByteView) -> Result<EcPublicKey> { return dp->PublicKey(); }, rnd);
  auto rc = card.HandleCertificate(*KeyEstablishmentHost::CertificateData(kCert));
  ASSERT_TRUE(rc.ok());
  ASSERT_TRUE(host.AcceptChallenge(*rc).ok());
  auto data = host.KeyParametersData();
  ASSERT_TRUE(data.ok());
  EstablishedKeys card_keys;
  auto response = card.HandleKeyParameters(*data, card_keys);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  auto host_keys = host.Finish(*response);
  ASSERT_TRUE(host_keys.ok()) << host_keys.status().ToString();
  ASSERT_EQ(host_keys->keys.size(), card_keys.keys.size());
  for (size_t i = 0; i < card_keys.keys.size(); ++i) {
    EXPECT_EQ(ToHex(host_keys->keys[i].view()), ToHex(card_keys.keys[i].view()));
  }
}

INSTANTIATE_TEST_SUITE_P(Curves, KeyEstablishmentRoundTrip,
                         ::testing::Values(Curve::kNistP256, Curve::kBrainpoolP256r1));

TEST(KeyEstablishment, CardRefusals) {
  const Vector v = Load("Scenario-09");
  const Bytes cert_data = *KeyEstablishmentHost::CertificateData(kCert);
  const Bytes store = v.rec.Hex("StoreData");
  auto run = [&](const Bytes& data, bool refuse_cert = false) -> Status {
    ScriptedRandom random(v.rec.Hex("Rc"));
    KeyEstablishmentCard card(
        v.ecasd,
        [&](ByteView) -> Result<EcPublicKey> {
          if (refuse_cert) return SecurityError("not chained to the CI");
          return v.dp_pub;
        },
        random);
    auto rc = card.HandleCertificate(cert_data);
    if (!rc.ok()) return rc.status();
    EstablishedKeys keys;
    return card.HandleKeyParameters(data, keys).status();
  };
  EXPECT_TRUE(run(store).ok());
  // Certificate refused by the verifier: 6982.
  Status s = run(store, /*refuse_cert=*/true);
  EXPECT_EQ(KeyEstablishmentStatusWord(s), 0x6982);
  // Wrong signature.
  Bytes bad_sig = store;
  bad_sig.back() ^= 0x01;
  s = run(bad_sig);
  EXPECT_EQ(s.kind(), ErrorKind::kSecurity);
  EXPECT_EQ(KeyEstablishmentStatusWord(s), 0x6982);
  // A changed CRT breaks the signature (it is signed).
  Bytes bad_crt = store;
  bad_crt[3 + 2 + 3] ^= 0x01;  // the scenario parameter byte
  EXPECT_FALSE(run(bad_crt).ok());
  // Truncated, reordered.
  EXPECT_EQ(KeyEstablishmentStatusWord(run(Bytes(store.begin(), store.end() - 1))), 0x6A80);
  EXPECT_EQ(KeyEstablishmentStatusWord(run(HexOrDie("3A0100"))), 0x6A80);
}

TEST(KeyEstablishment, ChallengeIsSingleUse) {
  const Vector v = Load("Scenario-09");
  ScriptedRandom random(v.rec.Hex("Rc"));
  KeyEstablishmentCard card(
      v.ecasd, [&](ByteView) -> Result<EcPublicKey> { return v.dp_pub; }, random);
  EstablishedKeys keys;
  // Key parameters before any certificate: out of sequence.
  EXPECT_EQ(
      KeyEstablishmentStatusWord(card.HandleKeyParameters(v.rec.Hex("StoreData"), keys).status()),
      0x6985);
  ASSERT_TRUE(card.HandleCertificate(*KeyEstablishmentHost::CertificateData(kCert)).ok());
  ASSERT_TRUE(card.HandleKeyParameters(v.rec.Hex("StoreData"), keys).ok());
  // Replaying the same key parameters (same RC) is refused.
  EXPECT_EQ(
      KeyEstablishmentStatusWord(card.HandleKeyParameters(v.rec.Hex("StoreData"), keys).status()),
      0x6985);
}

TEST(KeyEstablishment, HostRefusesTamperedReceiptAndWrongCurve) {
  const Vector v = Load("Scenario-09");
  auto crt = KeyAgreementCrt::Decode(v.rec.Hex("Crt"));
  ScriptedRandom random(v.rec.Hex("EskDp"));
  auto ecasd_pub = EcPublicKey::FromUncompressed(Curve::kNistP256, v.rec.Hex("PkEcasd"));
  KeyEstablishmentHost host(v.dp, *ecasd_pub, *crt, random);
  EXPECT_FALSE(host.KeyParametersData().ok());  // no challenge yet
  EXPECT_FALSE(host.AcceptChallenge(HexOrDie("8508 0011223344556677")).ok());
  ASSERT_TRUE(host.AcceptChallenge(Tlv85(v.rec.Hex("Rc"))).ok());
  ASSERT_TRUE(host.KeyParametersData().ok());
  Bytes bad = v.rec.Hex("Response");
  bad.back() ^= 0x80;
  auto keys = host.Finish(bad);
  ASSERT_FALSE(keys.ok());
  EXPECT_EQ(keys.status().kind(), ErrorKind::kSecurity);

  // A brainpool ECASD refuses a P-256 ephemeral key (the F0 reference and the point).
  auto bp = EcPrivateKey::Generate(Curve::kBrainpoolP256r1);
  ScriptedRandom rc(v.rec.Hex("Rc"));
  KeyEstablishmentCard card(
      *bp, [&](ByteView) -> Result<EcPublicKey> { return v.dp_pub; }, rc);
  ASSERT_TRUE(card.HandleCertificate(*KeyEstablishmentHost::CertificateData(kCert)).ok());
  EstablishedKeys k;
  EXPECT_EQ(
      KeyEstablishmentStatusWord(card.HandleKeyParameters(v.rec.Hex("StoreData"), k).status()),
      0x6A80);
}

TEST(KeyAgreementCrt, RefusesUnsupportedOrMalformed) {
  EXPECT_TRUE(
      KeyAgreementCrt::Decode(HexOrDie("A615900203099501108001888101108201018301309100")).ok());
  for (const char* hex : {
           "A615900202099501108001888101108201018301309100",    // scenario 2
           "A6159002030D9501108001888101108201018301309100",    // HostID bit
           "A615900203099501118001888101108201018301309100",    // key usage 11
           "A615900203099501108001808101108201018301309100",    // key type DES
           "A615900203099501108001888101118201018301309100",    // key length 17
           "A6149002030995011080018881011082010183013091",      // truncated
           "A615950110900203098001888101108201018301309100",    // out of order
           "A61590020309950110800188810110820101830130910000",  // trailing byte
       }) {
    EXPECT_FALSE(KeyAgreementCrt::Decode(HexOrDie(hex)).ok()) << hex;
  }
  KeyAgreementCrt c;
  c.initial_counter = HexOrDie("0000000001");
  EXPECT_EQ(KeyAgreementCrt::Decode(c.Encode())->initial_counter, c.initial_counter);
}

}  // namespace
}  // namespace m2mrsp::scp
