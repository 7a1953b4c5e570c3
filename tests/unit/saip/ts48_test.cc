// The four GSMA TS.48 v7 test profiles: decode, compare with the GSMA value notation,
// re-encode byte for byte, read the typed views.
#include "ts48.h"

#include <gtest/gtest.h>

#include <cctype>

#include "base/iccid.h"
#include "saip/package.h"

namespace m2mrsp::saip {
namespace {

class Ts48 : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!testing::ReadFile(testing::Ts48Dir() + GetParam() + ".der", der_) ||
        !testing::ReadFile(testing::Ts48Dir() + GetParam() + ".asn1.txt", text_)) {
      GTEST_SKIP() << "TS.48 test data not found under " << testing::Ts48Dir();
    }
    auto pkg = Decode(AsBytes(der_));
    ASSERT_TRUE(pkg.ok()) << pkg.status().ToString();
    pkg_ = std::move(pkg).value();
    vn_ = testing::ParseValueNotation(text_);
  }
  std::string der_, text_;
  Package pkg_;
  testing::ValueNotation vn_;
};

std::string Upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

TEST_P(Ts48, ElementsMatchValueNotation) {
  ASSERT_GT(vn_.element_names.size(), 20u);
  ASSERT_EQ(pkg_.elements.size(), vn_.element_names.size());
  for (size_t i = 0; i < pkg_.elements.size(); ++i) {
    EXPECT_EQ(ElementTypeName(pkg_.elements[i].type), vn_.element_names[i]) << "element " << i;
    EXPECT_EQ(pkg_.elements[i].tag, ElementTag(pkg_.elements[i].type));
  }
}

TEST_P(Ts48, ReencodesIdentically) {
  const Bytes again = Encode(pkg_);
  EXPECT_TRUE(again == Bytes(der_.begin(), der_.end()));
  EXPECT_TRUE(Validate(pkg_).ok()) << Validate(pkg_).ToString();
}

TEST_P(Ts48, HeaderAndIdentifiers) {
  auto h = GetHeader(pkg_);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->major_version, 2);
  EXPECT_EQ(h->minor_version, 3);
  EXPECT_EQ(h->profile_type, "GSMA Generic eUICC Test Profile");
  EXPECT_EQ(Upper(ToHex(h->iccid_bcd)), Upper(vn_.iccid));
  EXPECT_EQ(h->iccid, "89000123456789012341");
  EXPECT_FALSE(h->connectivity_parameters.has_value());
  ASSERT_FALSE(h->mandatory_gfste.empty());
  EXPECT_EQ(h->mandatory_gfste.front(), "2.23.143.1.2.1");
  EXPECT_NE(
      std::find(h->mandatory_services.begin(), h->mandatory_services.end(), "usim-test-algorithm"),
      h->mandatory_services.end());

  auto iccid_ef = IccidFile(pkg_);
  ASSERT_TRUE(iccid_ef.ok()) << iccid_ef.status().ToString();
  EXPECT_EQ(ToHex(iccid_ef->content), "98001032547698103214");  // TS 102 221 §13.2 swapped
  EXPECT_EQ(iccid_ef->file_size, 10u);

  auto imsi_ef = ImsiFile(pkg_);
  ASSERT_TRUE(imsi_ef.ok()) << imsi_ef.status().ToString();
  EXPECT_EQ(Upper(ToHex(imsi_ef->content)), Upper(vn_.ef_imsi));
  EXPECT_EQ(imsi_ef->path.size(), 2u);
  EXPECT_EQ(ToHex(imsi_ef->adf_name), "a0000000871002ff49ff0589");  // USIM AID in the package
  auto imsi = DecodeImsi(imsi_ef->content);
  ASSERT_TRUE(imsi.ok());
  EXPECT_EQ(*imsi, "001010123456789");

  // EF.AD (6FAD) in ADF.USIM: TS.48 content 80000002 (4 bytes, template size).
  auto ad = FindFile(pkg_, {imsi_ef->path[0], 0x6FAD});
  ASSERT_TRUE(ad.ok()) << ad.status().ToString();
  EXPECT_EQ(ToHex(ad->content), "80000002");
}

TEST_P(Ts48, AkaParameters) {
  auto akas = AkaParameters(pkg_);
  ASSERT_TRUE(akas.ok()) << akas.status().ToString();
  ASSERT_EQ(akas->size(), vn_.aka_count);
  for (const auto& a : *akas) {
    EXPECT_EQ(pkg_.elements[a.element_index].type, ElementType::kAkaParameter);
    EXPECT_FALSE(a.is_mapping);
    EXPECT_EQ(a.algorithm_id, 3);  // usim-test-algorithm (TS.48)
    EXPECT_EQ(ToHex(a.key.view()), "000102030405060708090a0b0c0d0e0f");
    EXPECT_EQ(ToHex(a.opc.view()), std::string(32, '0'));
    EXPECT_EQ(ToHex(a.rotation_constants), "4000204060");  // DEFAULT applied
    ASSERT_EQ(a.xoring_constants.size(), 80u);
    EXPECT_EQ(a.xoring_constants[79], 0x08);
    EXPECT_EQ(ToHex(a.sqn_delta), "000010000000");
    EXPECT_TRUE(a.sqn_init.empty());
  }
}

TEST_P(Ts48, SecurityDomainAndPins) {
  auto sds = SecurityDomains(pkg_);
  ASSERT_TRUE(sds.ok()) << sds.status().ToString();
  ASSERT_EQ(sds->size(), 1u);
  const SecurityDomain& sd = sds->front();
  EXPECT_EQ(ToHex(sd.instance_aid), "a000000151000000");  // MNO-SD
  EXPECT_EQ(ToHex(sd.privileges), "82dc00");
  EXPECT_EQ(ToHex(sd.install_params), "810280008201f08301f08701f0");
  ASSERT_EQ(sd.keys.size(), vn_.sd_key_count);
  ASSERT_GE(sd.keys.size(), 3u);
  for (const auto& k : sd.keys) {
    EXPECT_TRUE(k.kvn == 1 || k.kvn == 2);
    ASSERT_EQ(k.components.size(), 1u);
    EXPECT_EQ(k.components[0].key_type, k.kvn == 1 ? 0x80 : 0x88);
    EXPECT_EQ(ToHex(k.components[0].key_data.view()), "000102030405060708090a0b0c0d0e0f");
    const char* usage = k.key_id == 1 ? "18" : k.key_id == 2 ? "14" : "48";
    EXPECT_EQ(ToHex(k.usage_qualifier), usage);
  }
  auto pins = AllPinCodes(pkg_);
  ASSERT_TRUE(pins.ok()) << pins.status().ToString();
  ASSERT_FALSE(pins->empty());
  ASSERT_FALSE(pins->front().pins.empty());
  EXPECT_EQ(pins->front().pins[0].key_reference, 1);  // pinAppl1 = "0000"
  EXPECT_EQ(ToHex(pins->front().pins[0].value.view()), "30303030ffffffff");
  auto puks = AllPukCodes(pkg_);
  ASSERT_TRUE(puks.ok()) << puks.status().ToString();
  ASSERT_EQ(puks->size(), 1u);
  EXPECT_EQ(puks->front().puks.size(), 2u);
  EXPECT_EQ(puks->front().puks[1].key_reference, 0x81);  // secondPUKAppl1, INTEGER 00 81
}

TEST_P(Ts48, FilesAreWellFormed) {
  auto files = Files(pkg_);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_GT(files->size(), 100u);
  for (const auto& f : *files) {
    ASSERT_FALSE(f.path.empty());
    if (f.size_known) {
      EXPECT_EQ(f.content.size(), f.file_size) << f.name;
    }
  }
  // EF.DIR: three 33-byte records; records 1/2 written then 11 bytes skipped (stay FF).
  auto dir = FindFile(pkg_, {0x3F00, 0x2F00});
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(dir->file_size, 0x84u);
  EXPECT_EQ(ToHex(ByteView(dir->content).subspan(22, 11)), std::string(22, 'f'));
  EXPECT_EQ(dir->content[33], 0x61);
  // EF.PL: size 6, fillPattern 65 6E FF -> "en" then FF repeated.
  auto pl = FindFile(pkg_, {0x3F00, 0x2F05});
  ASSERT_TRUE(pl.ok());
  EXPECT_EQ(ToHex(pl->content), "656effffffff");
}

// Every cut of the real package fails to decode, or (cut at an element boundary) decodes but
// does not validate (no `end`); a corrupted length byte fails to decode.
TEST_P(Ts48, TruncatedOrCorruptedIsAnError) {
  const Bytes der(der_.begin(), der_.end());
  for (size_t n = 0; n < der.size(); n += 37) {
    auto r = Decode(ByteView(der).first(n));
    EXPECT_TRUE(!r.ok() || !Validate(*r).ok()) << n;
  }
  Bytes bad = der;
  bad[2] = 0x9E;  // header length 9D -> 9E: runs into the next element
  EXPECT_FALSE(Decode(bad).ok());
  bad = der;
  bad[1] = 0x80;  // indefinite length
  EXPECT_FALSE(Decode(bad).ok());
}

INSTANTIATE_TEST_SUITE_P(Profiles, Ts48, ::testing::ValuesIn(testing::Ts48Stems()),
                         [](const auto& p) {
                           std::string n = p.param;
                           for (auto& c : n) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace m2mrsp::saip
