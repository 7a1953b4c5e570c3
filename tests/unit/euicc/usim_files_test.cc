// UsimFiles: SELECT / READ BINARY over the files of a TS.48 profile (shared/testdata/ts48).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "euicc/usim.h"
#include "saip/package.h"
#include "support/shared_data.h"

namespace m2mrsp::euicc {
namespace {

std::optional<ProfileContent> Ts48() {
  const auto der = m2mrsp::testing::ReadTs48Package("ts48v7_SAIP2.3_NoBERTLV");
  if (!der) return std::nullopt;
  auto package = saip::Decode(*der);
  if (!package.ok()) return std::nullopt;
  auto p = ProfileContent::FromPackage(*package);
  if (!p.ok()) return std::nullopt;
  return std::move(*p);
}

TEST(UsimFiles, ImsiIccidAndAdThroughSelectAndReadBinary) {
  auto profile = Ts48();
  if (!profile) GTEST_SKIP() << "shared/testdata/ts48 is absent or not decodable";
  UsimFiles files(*profile);
  // SELECT ADF.USIM by (partial) AID, then EF.IMSI by FID, READ BINARY 9 bytes.
  Bytes r = files.ProcessApdu(HexOrDie("00A4040C07A0000000871002"));
  EXPECT_EQ(ToHex(r), "9000");
  EXPECT_EQ(files.current_path(), "ADF.USIM");
  EXPECT_EQ(ToHex(files.ProcessApdu(HexOrDie("00A4000C026F07"))), "9000");
  r = files.ProcessApdu(HexOrDie("00B0000009"));
  ASSERT_EQ(r.size(), 11u);
  auto imsi = saip::DecodeImsi(ByteView(r).first(9));
  ASSERT_TRUE(imsi.ok());
  EXPECT_EQ(*imsi, profile->imsi);
  // EF.AD by path from the MF through the current ADF (7FFF); FCP returned with P2 04.
  r = files.ProcessApdu(HexOrDie("00A40804047FFF6FAD"));
  ASSERT_GE(r.size(), 4u);
  EXPECT_EQ(r[0], 0x62);
  EXPECT_EQ(ToHex(ByteView(r).last(2)), "9000");
  r = files.ProcessApdu(HexOrDie("00B0000000"));
  EXPECT_EQ(ToHex(ByteView(r).last(2)), "9000");
  EXPECT_EQ(r.size(), profile->files.at("ADF.USIM/6FAD").content.size() + 2);
  // EF.ICCID under the MF; READ BINARY with an offset.
  EXPECT_EQ(ToHex(files.ProcessApdu(HexOrDie("00A4000C023F00"))), "9000");
  EXPECT_EQ(ToHex(files.ProcessApdu(HexOrDie("00A4000C022FE2"))), "9000");
  EXPECT_EQ(ToHex(files.ProcessApdu(HexOrDie("00B000000A"))), "980010325476981032149000");
  EXPECT_EQ(ToHex(files.ProcessApdu(HexOrDie("00B0000804"))), "32149000");
}

TEST(UsimFiles, ErrorsAreStatusWords) {
  auto profile = Ts48();
  if (!profile) GTEST_SKIP() << "shared/testdata/ts48 is absent or not decodable";
  UsimFiles files(*profile);
  EXPECT_EQ(ToHex(files.ProcessApdu(HexOrDie("00B0000001"))), "6986");  // nothing selected
  EXPECT_EQ(ToHex(files.ProcessApdu(HexOrDie("00A4000C021234"))), "6a82");
  EXPECT_EQ(ToHex(files.ProcessApdu(HexOrDie("00A4000C03123456"))), "6700");
  EXPECT_EQ(ToHex(files.ProcessApdu(HexOrDie("00A4040C05A000000099"))), "6a82");
  EXPECT_EQ(ToHex(files.ProcessApdu(HexOrDie("00A40001023F00"))), "6a86");
  EXPECT_EQ(ToHex(files.ProcessApdu(HexOrDie("00A4000C023F00"))), "9000");
  EXPECT_EQ(ToHex(files.ProcessApdu(HexOrDie("00B0000001"))), "6986");  // a DF
  EXPECT_EQ(ToHex(files.ProcessApdu(HexOrDie("00A4000C022FE2"))), "9000");
  EXPECT_EQ(ToHex(files.ProcessApdu(HexOrDie("00B0001001"))), "6b00");  // beyond the end
  EXPECT_EQ(ToHex(files.ProcessApdu(HexOrDie("00B0810001"))), "6a86");  // SFI
  EXPECT_EQ(ToHex(files.ProcessApdu(HexOrDie("80CA000000"))), "6e00");
  EXPECT_EQ(ToHex(files.ProcessApdu(HexOrDie("00CA000000"))), "6d00");
  EXPECT_EQ(ToHex(files.ProcessApdu(HexOrDie("00"))), "6700");
}

}  // namespace
}  // namespace m2mrsp::euicc
