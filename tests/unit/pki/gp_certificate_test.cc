// GP compact certificates (7F21): GlobalPlatformPro's TestGPCertificate certificate
// (tests/vectors/gp_cert.vec, verified there with python3-cryptography) decodes and verifies;
// GlobalPlatformPro's negative cases (duplicate tag, field after the signature, bad dates) and
// more are refused; certificates we sign decode, verify and are accepted by `openssl dgst`.
#include "pki/gp_certificate.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "support/vectors.h"
#include "tlv/ber.h"

namespace m2mrsp::pki {
namespace {

namespace chr = std::chrono;
using crypto::Curve;
using crypto::EcPrivateKey;
using crypto::EcPublicKey;

struct Vector {
  Bytes cert, issuer_pub, signed_data, sig;
};

Vector GpPro() {
  const auto recs = testing::LoadVectors("gp_cert.vec");
  EXPECT_EQ(recs.size(), 1u);
  return {recs[0].Hex("Cert"), recs[0].Hex("IssuerPub"), recs[0].Hex("SignedData"),
          recs[0].Hex("Sig")};
}

// The fields of the vector's certificate, re-wrapped after an edit.
Bytes Body(const Bytes& cert) { return Bytes(cert.begin() + 4, cert.end()); }  // 7F21 81 B9
Bytes Wrap(const Bytes& body) { return tlv::Encode(0x7F21, body); }
// The certificate with one hex substring replaced (same length, so lengths stay right).
Bytes Edit(const Bytes& cert, const std::string& from, const std::string& to) {
  std::string hex = ToHex(cert);
  const size_t at = hex.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) hex.replace(at, from.size(), to);
  return HexOrDie(hex);
}

TEST(GpCertificate, GlobalPlatformProVectorDecodesAndVerifies) {
  const Vector v = GpPro();
  auto c = GpCertificate::Decode(v.cert);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(ToHex(c->serial()), "01020304");
  EXPECT_EQ(ToHex(c->ca_id()), "a000000151000000");
  EXPECT_EQ(ToHex(c->subject_id()), "a000000151535041");
  EXPECT_EQ(ToHex(c->key_usage_raw()), "0080");
  EXPECT_EQ(*c->usage(), GpKeyUsage::kKeyAgreement);
  EXPECT_EQ(*c->Role(), GpRole::kEcasdEcka);
  ASSERT_TRUE(c->effective().has_value());
  EXPECT_EQ(FormatDate(*c->effective()), "2026-01-01");
  EXPECT_EQ(FormatDate(c->expiration()), "2036-12-31");
  EXPECT_EQ(c->key_parameter_reference(), 0x00);
  EXPECT_EQ(c->public_point().size(), 65u);
  EXPECT_EQ(c->signed_data(), v.signed_data);
  EXPECT_EQ(c->signature(), v.sig);
  EXPECT_EQ(c->encoded(), v.cert);
  auto key = c->PublicKey();
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->curve(), Curve::kNistP256);

  auto issuer = EcPublicKey::FromUncompressed(Curve::kNistP256, v.issuer_pub);
  ASSERT_TRUE(issuer.ok());
  EXPECT_TRUE(c->Verify(*issuer).ok());
  // The subject's own key did not sign it.
  EXPECT_EQ(c->Verify(*key).kind(), ErrorKind::kSecurity);
}

TEST(GpCertificate, TamperedVectorFailsVerification) {
  const Vector v = GpPro();
  auto issuer = EcPublicKey::FromUncompressed(Curve::kNistP256, v.issuer_pub);
  for (size_t i : {size_t{6}, size_t{40}, v.cert.size() - 1}) {  // serial, point, signature
    Bytes bad = v.cert;
    bad[i] ^= 0x01;
    auto c = GpCertificate::Decode(bad);
    if (!c.ok()) continue;  // a flip inside the point may leave the curve: also a refusal
    EXPECT_EQ(c->Verify(*issuer).kind(), ErrorKind::kSecurity) << i;
  }
}

TEST(GpCertificate, RefusesMalformedCertificates) {
  const Vector v = GpPro();
  const Bytes body = Body(v.cert);
  const Bytes sig_tlv = tlv::Encode(0x5F37, v.sig);
  const Bytes tbs = v.signed_data;
  auto with = [&](std::initializer_list<ByteView> parts) { return Wrap(Concat(parts)); };
  const Bytes expiry = HexOrDie("5F240420361231");
  const Bytes serial = HexOrDie("930401020304");
  EXPECT_TRUE(GpCertificate::Decode(Edit(v.cert, "5f240420361231", "5f240420361230")).ok());
  const struct {
    const char* name;
    Bytes data;
  } cases[] = {
      {"duplicate serial", with({serial, tbs, sig_tlv})},
      {"field after signature", with({tbs, sig_tlv, expiry})},
      {"no signature", Wrap(tbs)},
      {"month 13", Edit(v.cert, "5f250420260101", "5f250420261301")},
      {"not BCD", Edit(v.cert, "5f240420361231", "5f24042036123a")},
      {"February 30", Edit(v.cert, "5f240420361231", "5f240420360230")},
      {"effective after expiry", Edit(v.cert, "5f250420260101", "5f250420370101")},
      {"3-byte date", Wrap(Concat({HexOrDie("930101"
                                            "420101"
                                            "5F200101"
                                            "95020080"
                                            "5F2403203612"),
                                   HexOrDie("7F4900"), sig_tlv}))},
      {"unknown tag", with({HexOrDie("5F2901AA"), tbs, sig_tlv})},
      {"both 53 and 73", with({HexOrDie("5301AA7300"), tbs, sig_tlv})},
      {"short signature", with({tbs, HexOrDie("5F3702AABB")})},
      {"trailing byte",
       [&] {
         Bytes b = v.cert;
         b.push_back(0x00);
         return b;
       }()},
      {"wrong outer tag",
       [&] {
         Bytes b = v.cert;
         b[1] = 0x4E;
         return b;
       }()},
      {"empty", {}},
      {"oversized", Bytes(kMaxCertificateSize + 1, 0)},
  };
  for (const auto& c : cases) {
    EXPECT_FALSE(GpCertificate::Decode(c.data).ok()) << c.name;
  }
  // Every strict prefix of the vector (truncation at any byte) is refused.
  for (size_t n = 0; n < v.cert.size(); ++n) {
    EXPECT_FALSE(GpCertificate::Decode(ByteView(v.cert.data(), n)).ok()) << n;
  }
  EXPECT_TRUE(GpCertificate::Decode(Wrap(body)).ok());
}

TEST(GpCertificate, RefusesBadPublicKeyTemplates) {
  const Vector v = GpPro();
  const std::string hex = ToHex(v.cert);
  const std::string point = hex.substr(hex.find("b04104") + 6, 128);
  auto make = [&](const std::string& key_hex) {
    return Wrap(Concat({HexOrDie("930101"
                                 "42010A"
                                 "5F200101"
                                 "95020080"
                                 "5F240420361231"),
                        tlv::Encode(0x7F49, HexOrDie(key_hex)), tlv::Encode(0x5F37, v.sig)}));
  };
  auto ok = GpCertificate::Decode(make("B04104" + point + "F00100"));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_TRUE(ok->PublicKey().ok());
  EXPECT_FALSE(GpCertificate::Decode(make("B04104" + point)).ok());        // no F0
  EXPECT_FALSE(GpCertificate::Decode(make("F00100B04104" + point)).ok());  // order
  EXPECT_FALSE(GpCertificate::Decode(make("B04003" + point.substr(2) + "F00100")).ok());
  // Wrong curve: a P-256 point announced as brainpoolP256r1 is not on that curve.
  auto wrong_curve = GpCertificate::Decode(make("B04104" + point + "F00103"));
  ASSERT_TRUE(wrong_curve.ok());
  EXPECT_FALSE(wrong_curve->PublicKey().ok());
  // Unsupported curve reference (P-384).
  auto p384 = GpCertificate::Decode(make("B04104" + point + "F00101"));
  ASSERT_TRUE(p384.ok());
  EXPECT_FALSE(p384->PublicKey().ok());
}

GpCertificateFields Fields(const EcPublicKey& key, GpKeyUsage usage, std::optional<uint8_t> type) {
  GpCertificateFields f;
  f.serial = {0x01, 0x02};
  f.ca_id = Bytes(20, 0xCA);
  f.subject_id = Bytes(20, 0x5B);
  f.usage = usage;
  f.effective = chr::year_month_day{chr::year(2026), chr::month(1), chr::day(1)};
  f.expiration = chr::year_month_day{chr::year(2036), chr::month(12), chr::day(31)};
  f.entity_type = type;
  f.authority_key_id = Bytes(20, 0xCA);
  f.public_key = key;
  return f;
}

TEST(GpCertificate, SignedCertificatesRoundTripWithRoles) {
  struct Case {
    GpKeyUsage usage;
    std::optional<uint8_t> type;
    GpRole role;
  };
  const Case cases[] = {{GpKeyUsage::kKeyAgreement, std::nullopt, GpRole::kEcasdEcka},
                        {GpKeyUsage::kVerification, kEntitySmDp, GpRole::kDpEcdsa},
                        {GpKeyUsage::kKeyAgreement, kEntitySmDp, GpRole::kDpEcka},
                        {GpKeyUsage::kVerification, kEntitySmSr, GpRole::kSrEcdsa},
                        {GpKeyUsage::kKeyAgreement, kEntitySmSr, GpRole::kSrEcka}};
  for (Curve curve : {Curve::kNistP256, Curve::kBrainpoolP256r1}) {
    auto issuer = EcPrivateKey::Generate(curve);
    auto subject = EcPrivateKey::Generate(curve);
    for (const Case& k : cases) {
      auto c = GpCertificate::Sign(Fields(subject->PublicKey(), k.usage, k.type), *issuer);
      ASSERT_TRUE(c.ok()) << c.status().ToString();
      EXPECT_EQ(*c->Role(), k.role);
      EXPECT_TRUE(c->Verify(issuer->PublicKey()).ok());
      EXPECT_FALSE(c->Verify(subject->PublicKey()).ok());
      EXPECT_TRUE(*c->PublicKey() == subject->PublicKey());
      EXPECT_EQ(c->authority_key_id(), Bytes(20, 0xCA));
      EXPECT_EQ(c->key_parameter_reference(), curve == Curve::kNistP256 ? 0x00 : 0x03);
      // Field order of GP Amd A Table 3-6: the encoding starts 7F21 81 L 93 02 0102 42 14 ...
      EXPECT_EQ(ToHex(ByteView(c->encoded()).subspan(4, 6)),
                "93020102"
                "4214");
    }
  }
  // Signature usage without an entity type names no role.
  auto key = EcPrivateKey::Generate(Curve::kNistP256);
  auto c =
      GpCertificate::Sign(Fields(key->PublicKey(), GpKeyUsage::kVerification, std::nullopt), *key);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->Role().ok());
}

TEST(GpCertificate, AcceptsNjiwaSignatureUsage) {
  // `95 01 88` (WHTY / current Njiwa) reads as verification; `95 01 40` is unknown.
  auto key = EcPrivateKey::Generate(Curve::kNistP256);
  auto c =
      GpCertificate::Sign(Fields(key->PublicKey(), GpKeyUsage::kVerification, kEntitySmDp), *key);
  ASSERT_TRUE(c.ok());
  std::string hex = ToHex(c->encoded());
  for (const auto& [usage, known] : {std::pair{"950188", true}, std::pair{"950140", false}}) {
    std::string edited = hex;
    edited.replace(edited.find("950182"), 6, usage);
    auto d = GpCertificate::Decode(HexOrDie(edited));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->usage().ok(), known) << usage;
  }
}

// Independent check of our signatures: `openssl dgst -verify` over signed_data().
TEST(GpCertificate, OpensslVerifiesOurSignatures) {
  if (std::system("openssl version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no openssl";
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/m2mrsp_gpcert_XXXXXX";
  const fs::path dir = mkdtemp(tmpl);
  for (Curve curve : {Curve::kNistP256, Curve::kBrainpoolP256r1}) {
    auto issuer = EcPrivateKey::Generate(curve);
    auto subject = EcPrivateKey::Generate(curve);
    auto c = GpCertificate::Sign(
        Fields(subject->PublicKey(), GpKeyUsage::kVerification, kEntitySmSr), *issuer);
    ASSERT_TRUE(c.ok());
    auto der_sig = crypto::EcdsaRawToDer(c->signature());
    ASSERT_TRUE(der_sig.ok());
    auto write = [&](const char* name, ByteView data) {
      std::ofstream(dir / name, std::ios::binary)
          .write(reinterpret_cast<const char*>(data.data()), static_cast<long>(data.size()));
    };
    write("tbs", c->signed_data());
    write("sig", *der_sig);
    const std::string pem = *issuer->PublicKey().ToPem();
    write("pub.pem", AsBytes(pem));
    const std::string cmd = "openssl dgst -sha256 -verify " + (dir / "pub.pem").string() +
                            " -signature " + (dir / "sig").string() + " " + (dir / "tbs").string() +
                            " >/dev/null 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << crypto::CurveName(curve);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace m2mrsp::pki
