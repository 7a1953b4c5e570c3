// Personalisation of the TS.48 templates: new values everywhere they occur, every other
// element byte-identical, and the refusals.
#include "saip/personalise.h"

#include <gtest/gtest.h>

#include "ts48.h"

namespace m2mrsp::saip {
namespace {

// K and OPc of 3GPP TS 35.208 test set 1; ICCID 8949449999999990031 as used by pySim's
// TS48 "UNIQUE" profiles (Luhn-valid); IMSI from the TS 23.003 test PLMN 001/01.
constexpr char kK[] = "465b5ce8b199b49faa5f0a2ee238a6bc";
constexpr char kOpc[] = "cd63cb71954a9f4e48a5994e37a02baf";
constexpr char kIccid[] = "8949449999999990031";
constexpr char kImsi[] = "001010000012345";

Personalisation Values() {
  Personalisation p;
  p.iccid = *Iccid::Parse(kIccid);
  p.imsi = kImsi;
  p.k = *SecretBytes::FromHex(kK);
  p.opc = *SecretBytes::FromHex(kOpc);
  p.ota_keys.push_back({2, 1, *SecretBytes::FromHex("11111111111111112222222222222222")});
  p.ota_keys.push_back(
      {2, 3,
       *SecretBytes::FromHex("3333333333333333444444444444444455555555555555556666666666666666")});
  return p;
}

class PersonaliseTs48 : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!testing::ReadFile(testing::Ts48Dir() + GetParam() + ".der", der_)) {
      GTEST_SKIP() << "TS.48 test data not found under " << testing::Ts48Dir();
    }
    auto pkg = Decode(AsBytes(der_));
    ASSERT_TRUE(pkg.ok()) << pkg.status().ToString();
    templ_ = std::move(pkg).value();
  }
  std::string der_;
  Package templ_;
};

TEST_P(PersonaliseTs48, NewValuesEverywhereRestUnchanged) {
  auto out = Personalise(templ_, Values());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  // Decode the encoded result afresh.
  auto pkg = Decode(Encode(*out));
  ASSERT_TRUE(pkg.ok()) << pkg.status().ToString();
  ASSERT_EQ(pkg->elements.size(), templ_.elements.size());
  for (size_t i = 0; i < pkg->elements.size(); ++i) {
    const auto type = pkg->elements[i].type;
    EXPECT_EQ(type, templ_.elements[i].type);
    const bool changes = type == ElementType::kHeader || type == ElementType::kMf ||
                         type == ElementType::kUsim || type == ElementType::kAkaParameter ||
                         type == ElementType::kSecurityDomain;
    if (changes) {
      EXPECT_NE(pkg->elements[i].raw, templ_.elements[i].raw) << i;
    } else {
      EXPECT_EQ(pkg->elements[i].raw, templ_.elements[i].raw) << i;
    }
  }
  auto h = GetHeader(*pkg);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->iccid, kIccid);
  EXPECT_EQ(ToHex(h->iccid_bcd), "8949449999999990031f");
  EXPECT_EQ(h->profile_type, "GSMA Generic eUICC Test Profile");
  auto ef_iccid = IccidFile(*pkg);
  ASSERT_TRUE(ef_iccid.ok());
  EXPECT_EQ(ToHex(ef_iccid->content), "989444999999990930f1");  // swapped BCD, F-padded
  auto ef_imsi = ImsiFile(*pkg);
  ASSERT_TRUE(ef_imsi.ok());
  EXPECT_EQ(ToHex(ef_imsi->content), "080910100000103254");
  EXPECT_EQ(*DecodeImsi(ef_imsi->content), kImsi);
  auto akas = AkaParameters(*pkg);
  ASSERT_TRUE(akas.ok());
  ASSERT_FALSE(akas->empty());
  for (const auto& a : *akas) {
    EXPECT_EQ(ToHex(a.key.view()), kK);
    EXPECT_EQ(ToHex(a.opc.view()), kOpc);
    EXPECT_EQ(a.algorithm_id, 3);  // algorithm is not a personalisation value
  }
  auto sds = SecurityDomains(*pkg);
  ASSERT_TRUE(sds.ok());
  size_t changed = 0;
  for (const auto& k : sds->front().keys) {
    const std::string data = ToHex(k.components[0].key_data.view());
    if (k.kvn == 2 && k.key_id == 1) {
      EXPECT_EQ(data, "11111111111111112222222222222222");
      ++changed;
    } else if (k.kvn == 2 && k.key_id == 3) {
      EXPECT_EQ(data.size(), 64u);
      ++changed;
    } else {
      EXPECT_EQ(data, "000102030405060708090a0b0c0d0e0f");
    }
  }
  EXPECT_EQ(changed, 2u);  // KVN 2 (AES) exists in all four; KVN 1 (DES) only with RAM/RFM
}

// A MILENAGE test profile from TS.48 (security digest §7.4): algorithmID 3 → 1 in every
// algoParameter, nothing else in those elements moves.
TEST_P(PersonaliseTs48, AlgorithmBecomesMilenage) {
  Personalisation p;
  p.algorithm_id = 1;
  auto out = Personalise(templ_, p);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  auto akas = AkaParameters(*out);
  ASSERT_TRUE(akas.ok());
  ASSERT_FALSE(akas->empty());
  for (const auto& a : *akas) {
    EXPECT_EQ(a.algorithm_id, 1);
    EXPECT_EQ(ToHex(a.key.view()), "000102030405060708090a0b0c0d0e0f");  // TS.48 K kept
  }
  auto before = AkaParameters(templ_);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ((*before)[0].algorithm_id, 3);
  p.algorithm_id = 4;
  EXPECT_FALSE(Personalise(templ_, p).ok());
  p.algorithm_id = 0;
  EXPECT_FALSE(Personalise(templ_, p).ok());
}

TEST_P(PersonaliseTs48, NothingRequestedIsIdentity) {
  auto out = Personalise(templ_, Personalisation{});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Encode(*out), Bytes(der_.begin(), der_.end()));
}

TEST_P(PersonaliseTs48, PersonalisingTwiceWithSameValuesIsStable) {
  auto once = Personalise(templ_, Values());
  ASSERT_TRUE(once.ok()) << once.status().ToString();
  auto twice = Personalise(*once, Values());
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(Encode(*twice), Encode(*once));
}

TEST_P(PersonaliseTs48, Refusals) {
  Personalisation p;
  p.imsi = "12345";
  EXPECT_FALSE(Personalise(templ_, p).ok());
  p = {};
  p.k = SecretBytes(Bytes(15, 1));
  EXPECT_FALSE(Personalise(templ_, p).ok());
  p = {};
  p.opc = SecretBytes(Bytes(17, 1));
  EXPECT_FALSE(Personalise(templ_, p).ok());
  p = {};
  p.k = SecretBytes(Bytes(32, 1));  // 32-byte K only with TUAK; TS.48 uses the test algorithm
  EXPECT_FALSE(Personalise(templ_, p).ok());
  p = {};
  p.ota_keys.push_back({9, 1, SecretBytes(Bytes(16, 1))});  // no such KVN
  EXPECT_FALSE(Personalise(templ_, p).ok());
  p = {};
  p.ota_keys.push_back({2, 2, SecretBytes(Bytes(15, 1))});  // AES key of 15 bytes
  EXPECT_FALSE(Personalise(templ_, p).ok());
}

INSTANTIATE_TEST_SUITE_P(Profiles, PersonaliseTs48, ::testing::ValuesIn(testing::Ts48Stems()),
                         [](const auto& p) {
                           std::string n = p.param;
                           for (auto& c : n) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace m2mrsp::saip
