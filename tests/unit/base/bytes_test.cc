#include "base/bytes.h"

#include <gtest/gtest.h>

namespace m2mrsp {
namespace {

TEST(Hex, RoundTrip) {
  const Bytes b = {0x00, 0x7F, 0x80, 0xFF, 0x5A};
  EXPECT_EQ(ToHex(b), "007f80ff5a");
  EXPECT_EQ(ToHexUpper(b), "007F80FF5A");
  EXPECT_EQ(*FromHex("007F80ff5a"), b);
  EXPECT_EQ(*FromHex("00 7f\n80\tff 5A"), b);
  EXPECT_TRUE(FromHex("")->empty());
}

TEST(Hex, RejectsBadInput) {
  EXPECT_FALSE(FromHex("0").ok());
  EXPECT_FALSE(FromHex("0g").ok());
  EXPECT_FALSE(FromHex("0 0").ok());  // a space inside a digit pair
  EXPECT_FALSE(FromHex("00-11").ok());
  EXPECT_NE(FromHex("00zz").status().message().find("offset 2"), std::string::npos);
}

TEST(ByteReader, ReadsAndStopsAtEnd) {
  const Bytes b = HexOrDie("0102030405");
  ByteReader r(b);
  EXPECT_EQ(*r.ReadU8(), 0x01);
  EXPECT_EQ(*r.ReadU16(), 0x0203);
  EXPECT_EQ(*r.PeekU8(), 0x04);
  EXPECT_FALSE(r.ReadView(3).ok());  // only 2 left
  EXPECT_EQ(r.remaining(), 2u);      // a failed read consumes nothing
  EXPECT_EQ(ToHex(*r.ReadView(2)), "0405");
  EXPECT_TRUE(r.empty());
  EXPECT_FALSE(r.ReadU8().ok());
  EXPECT_FALSE(r.PeekU8().ok());
}

TEST(ByteReader, BigEndianWidths) {
  const Bytes b = HexOrDie("A1B2C3D4");
  ByteReader r(b);
  EXPECT_EQ(*r.ReadBigEndian(3), 0xA1B2C3u);
  EXPECT_FALSE(r.ReadBigEndian(2).ok());
  EXPECT_FALSE(r.ReadBigEndian(0).ok());
  EXPECT_FALSE(r.ReadBigEndian(5).ok());
}

TEST(Bytes, ConcatAndAppend) {
  const Bytes a = {1, 2};
  const Bytes b = {3};
  EXPECT_EQ(Concat({a, b, a}), (Bytes{1, 2, 3, 1, 2}));
  Bytes out;
  AppendBigEndian(out, 0x0102030405ull, 5);
  EXPECT_EQ(ToHex(out), "0102030405");
}

}  // namespace
}  // namespace m2mrsp
