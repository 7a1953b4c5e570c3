// EC keys, ECDH (RFC 5903, RFC 7027, a third-party SM-DP+ trace) and ECDSA (the
// GlobalPlatformPro 7F21 certificate signature), plus refusal of bad points and scalars.
#include "crypto/ec.h"

#include <gtest/gtest.h>

#include "base/random.h"
#include "support/vectors.h"

namespace m2mrsp::crypto {
namespace {

TEST(Ecdh, PublishedVectors) {
  const auto records = testing::LoadVectors("ecdh.vec");
  for (const auto& rec : records) {
    SCOPED_TRACE(rec.Where());
    auto curve = CurveFromName(rec.Get("Curve"));
    ASSERT_TRUE(curve.ok());
    auto own = EcPrivateKey::FromScalar(*curve, rec.Hex("Priv"));
    ASSERT_TRUE(own.ok()) << own.status().ToString();
    if (rec.Has("OwnPub")) {
      EXPECT_EQ(own->PublicKey().ToUncompressed(), rec.Hex("OwnPub"));
    }
    auto peer = EcPublicKey::FromUncompressed(*curve, rec.Hex("PeerPub"));
    ASSERT_TRUE(peer.ok()) << peer.status().ToString();
    auto shared = Ecdh(*own, *peer);
    ASSERT_TRUE(shared.ok()) << shared.status().ToString();
    EXPECT_EQ(ToHex(shared->view()), ToHex(rec.Hex("Shared")));
    // Scalar export gives back what went in.
    EXPECT_EQ(ToHex(own->ExportScalar()->view()), ToHex(rec.Hex("Priv")));
  }
  EXPECT_GE(records.size(), 5u);
}

TEST(Ecdsa, VerifiesGpCertificateSignature) {
  // GlobalPlatformPro TestGPCertificate: plain r||s ECDSA-SHA256 over the certificate body.
  const auto rec = testing::LoadVectors("gp_cert.vec").at(0);
  auto issuer = EcPublicKey::FromUncompressed(Curve::kNistP256, rec.Hex("IssuerPub"));
  ASSERT_TRUE(issuer.ok());
  const Bytes signed_data = rec.Hex("SignedData"), sig = rec.Hex("Sig");
  EXPECT_TRUE(EcdsaVerifyRaw(*issuer, signed_data, sig).ok());
  Bytes tampered = signed_data;
  tampered[10] ^= 0x01;
  EXPECT_EQ(EcdsaVerifyRaw(*issuer, tampered, sig).kind(), ErrorKind::kSecurity);
  Bytes bad_sig = sig;
  bad_sig[63] ^= 0x01;
  EXPECT_EQ(EcdsaVerifyRaw(*issuer, signed_data, bad_sig).kind(), ErrorKind::kSecurity);
}

class EcBothCurves : public ::testing::TestWithParam<Curve> {};

TEST_P(EcBothCurves, SignVerifyRoundTripAndFormats) {
  auto key = EcPrivateKey::Generate(GetParam());
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->curve(), GetParam());
  const Bytes msg = HexOrDie("3A0200AA");
  auto raw = EcdsaSignRaw(*key, msg);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->size(), kRawSignatureSize);
  EXPECT_TRUE(EcdsaVerifyRaw(key->PublicKey(), msg, *raw).ok());
  auto der = EcdsaRawToDer(*raw);
  ASSERT_TRUE(der.ok());
  EXPECT_EQ(*EcdsaDerToRaw(*der), *raw);
  EXPECT_TRUE(EcdsaVerifyDer(key->PublicKey(), msg, *der).ok());
  EXPECT_EQ(EcdsaVerifyDer(key->PublicKey(), HexOrDie("3A0200AB"), *der).kind(),
            ErrorKind::kSecurity);

  // PEM round trips (private and public) keep the same key.
  auto pem = key->ExportPem();
  ASSERT_TRUE(pem.ok());
  auto again = EcPrivateKey::FromPem(*pem);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->PublicKey(), key->PublicKey());
  auto pub_pem = key->PublicKey().ToPem();
  ASSERT_TRUE(pub_pem.ok());
  EXPECT_EQ(*EcPublicKey::FromPem(*pub_pem), key->PublicKey());
  EXPECT_EQ(*EcPublicKey::FromDer(*key->PublicKey().ToDer()), key->PublicKey());

  // ECDH agrees from both sides.
  auto other = EcPrivateKey::Generate(GetParam());
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(ToHex(Ecdh(*key, other->PublicKey())->view()),
            ToHex(Ecdh(*other, key->PublicKey())->view()));
}

TEST_P(EcBothCurves, RefusesInvalidPoints) {
  auto key = EcPrivateKey::Generate(GetParam());
  ASSERT_TRUE(key.ok());
  Bytes point = key->PublicKey().ToUncompressed();
  Bytes off_curve = point;
  off_curve[64] ^= 0x01;
  EXPECT_FALSE(EcPublicKey::FromUncompressed(GetParam(), off_curve).ok());
  Bytes compressed(point.begin(), point.begin() + 33);
  compressed[0] = 0x02;
  EXPECT_FALSE(EcPublicKey::FromUncompressed(GetParam(), compressed).ok());
  Bytes zero(65, 0);
  zero[0] = 0x04;
  EXPECT_FALSE(EcPublicKey::FromUncompressed(GetParam(), zero).ok());
  EXPECT_FALSE(EcPublicKey::FromUncompressed(GetParam(), Bytes{0x00}).ok());  // infinity
  // The same coordinates are (overwhelmingly likely) not a point of the other curve.
  const Curve other = GetParam() == Curve::kNistP256 ? Curve::kBrainpoolP256r1 : Curve::kNistP256;
  EXPECT_FALSE(EcPublicKey::FromUncompressed(other, point).ok());
}

INSTANTIATE_TEST_SUITE_P(Curves, EcBothCurves,
                         ::testing::Values(Curve::kNistP256, Curve::kBrainpoolP256r1));

TEST(Ec, RefusesWrongCurveEcdh) {
  auto p256 = EcPrivateKey::Generate(Curve::kNistP256);
  auto bp = EcPrivateKey::Generate(Curve::kBrainpoolP256r1);
  ASSERT_TRUE(p256.ok() && bp.ok());
  auto shared = Ecdh(*p256, bp->PublicKey());
  ASSERT_FALSE(shared.ok());
  EXPECT_NE(shared.status().message().find("peer key on brainpoolP256r1"), std::string::npos);
  EXPECT_FALSE(EcdsaVerifyRaw(bp->PublicKey(), {}, *EcdsaSignRaw(*p256, {})).ok());
}

TEST(Ec, RefusesScalarsOutOfRange) {
  // n, the order of P-256 (FIPS 186-4 D.1.2.3), and n of brainpoolP256r1 (RFC 5639 §3.4).
  const Bytes n_p256 = HexOrDie("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
  const Bytes n_bp = HexOrDie("A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7");
  EXPECT_FALSE(EcPrivateKey::FromScalar(Curve::kNistP256, n_p256).ok());
  EXPECT_FALSE(EcPrivateKey::FromScalar(Curve::kBrainpoolP256r1, n_bp).ok());
  EXPECT_FALSE(EcPrivateKey::FromScalar(Curve::kNistP256, Bytes(32, 0)).ok());
  EXPECT_FALSE(EcPrivateKey::FromScalar(Curve::kNistP256, Bytes(31, 1)).ok());
  Bytes n_minus_1 = n_p256;
  n_minus_1[31] -= 1;
  EXPECT_TRUE(EcPrivateKey::FromScalar(Curve::kNistP256, n_minus_1).ok());
  // A scalar valid on P-256 but >= n of brainpoolP256r1.
  EXPECT_TRUE(EcPrivateKey::FromScalar(Curve::kNistP256, n_bp).ok());
}

TEST(Ec, GenerateWithScriptedRandomIsReproducible) {
  // dA of RFC 7027 A.1 (below n of brainpoolP256r1).
  const Bytes d = HexOrDie("81DB1EE100150FF2EA338D708271BE38300CB54241D79950F77B063039804F1D");
  // brainpoolP256r1: all-FF is >= n and is skipped; the next draw is used.
  ScriptedRandom random(Concat({Bytes(32, 0xFF), d}));
  auto key = EcPrivateKey::GenerateWith(Curve::kBrainpoolP256r1, random);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(ToHex(key->ExportScalar()->view()), ToHex(d));
  ScriptedRandom empty({});
  EXPECT_FALSE(EcPrivateKey::GenerateWith(Curve::kNistP256, empty).ok());
}

TEST(Ec, RefusesMalformedEncodings) {
  EXPECT_FALSE(EcPublicKey::FromPem("not a key").ok());
  EXPECT_FALSE(
      EcPrivateKey::FromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").ok());
  EXPECT_FALSE(EcPublicKey::FromDer(HexOrDie("3000")).ok());
  EXPECT_FALSE(CurveFromName("secp384r1").ok());
  // DER signatures: garbage, trailing bytes, non-minimal integer, over-long r.
  EXPECT_FALSE(EcdsaDerToRaw(HexOrDie("3006020101020101 00")).ok());
  EXPECT_FALSE(EcdsaDerToRaw(HexOrDie("300702020001020101")).ok());
  EXPECT_FALSE(EcdsaDerToRaw(HexOrDie("01")).ok());
  EXPECT_TRUE(EcdsaDerToRaw(HexOrDie("3006020101020101")).ok());
  Bytes long_r = HexOrDie("3026022101");
  long_r.resize(long_r.size() + 32, 0x11);
  Append(long_r, {0x02, 0x01, 0x01});
  EXPECT_FALSE(EcdsaDerToRaw(long_r).ok());
  EXPECT_FALSE(EcdsaRawToDer(Bytes(63)).ok());
}

}  // namespace
}  // namespace m2mrsp::crypto
