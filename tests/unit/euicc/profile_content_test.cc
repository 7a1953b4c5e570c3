// ProfileContent from the four GSMA TS.48 v7 packages (shared/testdata/ts48; expected values from
// the GSMA's own ASN.1 value notation of the same profiles), and its persistent form.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "euicc/profile.h"
#include "saip/package.h"
#include "support/shared_data.h"

namespace m2mrsp::euicc {
namespace {

Result<ProfileContent> Load(const std::string& stem) {
  auto der = m2mrsp::testing::ReadTs48Package(stem);
  if (!der) return Status::Error(ErrorKind::kNotFound, stem);
  M2_ASSIGN_OR_RETURN(saip::Package package, saip::Decode(*der));
  return ProfileContent::FromPackage(package);
}

const Bytes kKey = HexOrDie("000102030405060708090A0B0C0D0E0F");

TEST(ProfileContent, Ts48PackagesMapAsTheGsmaValueNotationSays) {
  for (std::string_view name : m2mrsp::testing::kTs48Stems) {
    const std::string stem(name);
    SCOPED_TRACE(stem);
    if (!m2mrsp::testing::ReadTs48Package(stem)) GTEST_SKIP() << "shared/testdata/ts48 is absent";
    auto p = Load(stem);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    EXPECT_EQ(p->iccid.ToString(), "89000123456789012341");
    EXPECT_EQ(p->imsi, "001010123456789");  // ef-imsi fillFileContent '080910101032547698'H
    ASSERT_GE(p->aka.size(), 1u);
    const AkaConfig& usim = p->aka[0];
    EXPECT_EQ(usim.algorithm, AkaAlgorithm::kTestAlgorithm);
    EXPECT_EQ(usim.algorithm_options, 0x02);
    EXPECT_EQ(ToHex(usim.k.view()), ToHex(kKey));
    EXPECT_EQ(usim.sqn_options, 0x02);
    EXPECT_EQ(ToHex(usim.sqn_delta), "000010000000");
    EXPECT_EQ(ToHex(AsView(usim.xoring).first(16)), std::string(32, '0'));
    ASSERT_TRUE(p->mno_sd.has_value());
    EXPECT_EQ(p->mno_sd->aid.ToHex(), "A000000151000000");
    // KVN 01 (DES) and 02 (AES) — only 02 in the NoRAMRFM variants —, key ids 1..3 with
    // usages 18 / 14 / 48, all keys 00..0F.
    const size_t first = p->mno_sd->keys.size() == 6 ? 0 : 3;
    ASSERT_EQ(p->mno_sd->keys.size(), 6 - first);
    const uint8_t kUsages[] = {0x18, 0x14, 0x48};
    for (size_t i = 0; i < p->mno_sd->keys.size(); ++i) {
      const SdKey& k = p->mno_sd->keys[i];
      const size_t n = i + first;
      EXPECT_EQ(k.kvn, n < 3 ? 0x01 : 0x02);
      EXPECT_EQ(k.key_id, n % 3 + 1);
      EXPECT_EQ(k.usage, kUsages[n % 3]);
      EXPECT_EQ(k.type, n < 3 ? 0x80 : 0x88);
      EXPECT_EQ(ToHex(k.key.view()), ToHex(kKey));
    }
    EXPECT_FALSE(p->pins.empty());
    EXPECT_FALSE(p->puks.empty());
    // EF.ICCID holds the ICCID in swapped BCD (ETSI TS 102 221 §13.2).
    ASSERT_EQ(p->files.count("3F00/2FE2"), 1u);
    EXPECT_EQ(ToHex(p->files.at("3F00/2FE2").content), "98001032547698103214");
    ASSERT_EQ(p->files.count("ADF.USIM"), 1u);
    EXPECT_EQ(p->files.at("ADF.USIM").fcp[0], 0x62);
    size_t sum = kProfileFixedOverhead + 64 * p->mno_sd->keys.size();
    for (const auto& [path, f] : p->files) sum += kFileOverhead + f.fcp.size() + f.content.size();
    EXPECT_EQ(p->footprint, sum);
    EXPECT_GT(p->footprint, 5000u);

    // Persistent form: a round trip reproduces every field, byte for byte when re-serialised.
    const Bytes ser = p->Serialize();
    auto back = ProfileContent::Deserialize(ser);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(ToHex(back->Serialize()), ToHex(ser));
    EXPECT_EQ(back->footprint, p->footprint);
    EXPECT_EQ(back->files.size(), p->files.size());
    EXPECT_EQ(ToHex(back->aka[0].k.view()), ToHex(kKey));
    EXPECT_EQ(ToHex(p->Clone().Serialize()), ToHex(ser));
  }
}

TEST(ProfileContent, DeserializeRefusesDamagedBytes) {
  ProfileContent p(*Iccid::Parse("89000123456789012341"));
  p.imsi = "001010123456789";
  AkaConfig a;
  a.k = SecretBytes(kKey);
  a.opc = SecretBytes(kKey);
  p.aka.push_back(std::move(a));
  p.pins.push_back(SecretCode{0x01, SecretBytes(Bytes(8, 0x31)), 3, 3, false});
  p.mno_sd = MnoSecurityDomain{*Aid::Parse("A000000151000000"), {}};
  p.mno_sd->keys.push_back(SdKey{0x02, 0x01, 0x18, 0x88, SecretBytes(kKey)});
  p.files["3F00/2FE2"] =
      ProfileFile{HexOrDie("6203820121"), HexOrDie("98001032547698103214"), false};
  const Bytes ser = p.Serialize();
  ASSERT_TRUE(ProfileContent::Deserialize(ser).ok());
  for (size_t n = 0; n < ser.size(); ++n) {
    EXPECT_FALSE(ProfileContent::Deserialize(ByteView(ser).first(n)).ok()) << n;
  }
  // Flipping any single byte never crashes; most flips are refused.
  size_t refused = 0;
  for (size_t i = 0; i < ser.size(); ++i) {
    Bytes bad = ser;
    bad[i] ^= 0xFF;
    if (!ProfileContent::Deserialize(bad).ok()) ++refused;
  }
  EXPECT_GT(refused, ser.size() / 3);
  Bytes wrong_version = ser;
  wrong_version[2] = 9;
  EXPECT_FALSE(ProfileContent::Deserialize(wrong_version).ok());
}

TEST(ProfileContent, FromPackageRefusesAnInvalidPackage) {
  saip::Package empty;
  EXPECT_FALSE(ProfileContent::FromPackage(empty).ok());
}

}  // namespace
}  // namespace m2mrsp::euicc
