#include "tlv/dgi.h"

#include <gtest/gtest.h>

namespace m2mrsp::tlv {
namespace {

TEST(Dgi, OneByteAndThreeByteLengths) {
  const Bytes data = HexOrDie("3A0103AABBCC");
  auto d = ParseOneDgi(data);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->tag, 0x3A01);
  EXPECT_EQ(ToHex(d->value), "aabbcc");

  const Bytes v254(254, 0x01), v255(255, 0x02), v300(300, 0x03);
  EXPECT_EQ(ToHexUpper(ByteView(*EncodeDgi(0x3A02, v254)).first(3)), "3A02FE");
  EXPECT_EQ(ToHexUpper(ByteView(*EncodeDgi(0x3A02, v255)).first(5)), "3A02FF00FF");
  EXPECT_EQ(ToHexUpper(ByteView(*EncodeDgi(0x3A02, v300)).first(5)), "3A02FF012C");
  for (const Bytes* v : {&v254, &v255, &v300}) {
    auto enc = EncodeDgi(0x8010, *v);
    ASSERT_TRUE(enc.ok());
    auto back = ParseOneDgi(*enc);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->value.size(), v->size());
    EXPECT_EQ(back->raw.size(), enc->size());
  }
}

TEST(Dgi, SequenceAndFind) {
  Bytes seq;
  ASSERT_TRUE(AppendDgi(seq, 0x00A6, HexOrDie("9001")).ok());
  ASSERT_TRUE(AppendDgi(seq, 0x7F49, {}).ok());
  auto dgis = ParseDgis(seq);  // views into seq
  ASSERT_TRUE(dgis.ok());
  ASSERT_EQ(dgis->size(), 2u);
  EXPECT_EQ(FindDgi(*dgis, 0x7F49)->value.size(), 0u);
  EXPECT_EQ(FindDgi(*dgis, 0x1234), nullptr);
}

TEST(Dgi, RefusesMalformed) {
  for (const char* hex :
       {"", "3A", "3A01", "3A0105AABB", "3A01FF", "3A01FF01", "3A01FF0102AA", "3A0101AA00"}) {
    EXPECT_FALSE(ParseOneDgi(HexOrDie(hex)).ok()) << hex;
  }
  EXPECT_FALSE(ParseDgis(HexOrDie("3A0101AA00")).ok());  // trailing partial DGI
  DgiLimits strict;
  strict.require_minimal_length = true;
  EXPECT_TRUE(ParseOneDgi(HexOrDie("3A01FF0001AA")).ok());
  EXPECT_FALSE(ParseOneDgi(HexOrDie("3A01FF0001AA"), strict).ok());
  DgiLimits two;
  two.max_count = 2;
  EXPECT_FALSE(ParseDgis(HexOrDie("000100000100000100"), two).ok());
}

TEST(Dgi, RefusesValuesOver65535) {
  const Bytes huge(65536, 0);
  EXPECT_EQ(EncodeDgi(0x3A01, huge).status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_TRUE(EncodeDgi(0x3A01, Bytes(65535, 0)).ok());
}

}  // namespace
}  // namespace m2mrsp::tlv
