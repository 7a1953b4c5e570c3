// ICCID Luhn check and the two BCD encodings against tests/vectors/iccid.vec.
#include "base/iccid.h"

#include <gtest/gtest.h>

#include "support/vectors.h"

namespace m2mrsp {
namespace {

TEST(Iccid, VectorFile) {
  const auto records = testing::LoadVectors("iccid.vec");
  size_t valid = 0, invalid = 0, encoded = 0;
  for (const auto& rec : records) {
    SCOPED_TRACE(rec.Where());
    auto iccid = Iccid::Parse(rec.Get("Iccid"));
    if (rec.Has("SwappedBcd")) {
      ASSERT_TRUE(iccid.ok()) << iccid.status().ToString();
      EXPECT_EQ(iccid->ToSwappedBcd(), rec.Hex("SwappedBcd"));
      EXPECT_EQ(iccid->ToPlainBcd(), rec.Hex("PlainBcd"));
      EXPECT_EQ(Iccid::FromSwappedBcd(rec.Hex("SwappedBcd"))->ToString(), rec.Get("Iccid"));
      EXPECT_EQ(Iccid::FromPlainBcd(rec.Hex("PlainBcd"))->ToString(), rec.Get("Iccid"));
      ++encoded;
    } else if (rec.Get("Valid") == "1") {
      ASSERT_TRUE(iccid.ok()) << iccid.status().ToString();
      const std::string& s = rec.Get("Iccid");
      EXPECT_EQ(Iccid::FromPayload(s.substr(0, s.size() - 1))->ToString(), s);
      ++valid;
    } else {
      ASSERT_FALSE(iccid.ok());
      EXPECT_EQ(iccid.status().sgp()->subject(), "8.2.1");
      ++invalid;
    }
  }
  EXPECT_GE(valid, 3u);
  EXPECT_GE(invalid, 3u);
  EXPECT_GE(encoded, 2u);
}

TEST(Iccid, BcdRejectsDigitsAfterPadding) {
  EXPECT_FALSE(Iccid::FromSwappedBcd(HexOrDie("980010325476981032F1")).ok());
  EXPECT_FALSE(Iccid::FromSwappedBcd(HexOrDie("9800103254769810321A")).ok());
  EXPECT_FALSE(Iccid::FromSwappedBcd(HexOrDie("98001032547698103214FF")).ok());
}

TEST(Iccid, LuhnDigitNeedsDigits) {
  EXPECT_FALSE(Iccid::LuhnDigit("").ok());
  EXPECT_FALSE(Iccid::LuhnDigit("12a").ok());
  EXPECT_FALSE(Iccid::FromPayload("8900012345678901").ok());  // 16 digits
}

}  // namespace
}  // namespace m2mrsp
