#include "base/aid.h"

#include <gtest/gtest.h>

namespace m2mrsp {
namespace {

TEST(Aid, ParsesGsmaIsdR) {
  // ISD-R AID, SGP.02 Annex H (shared/spec/sgp02-security-wire.md §1.1).
  auto aid = Aid::Parse("A0000005591010FFFFFFFF8900000100");
  ASSERT_TRUE(aid.ok());
  EXPECT_EQ(aid->bytes().size(), 16u);
  EXPECT_EQ(aid->ToHex(), "A0000005591010FFFFFFFF8900000100");
}

TEST(Aid, RejectsBadLengths) {
  EXPECT_FALSE(Aid::Parse("A0000005").ok());                            // 4 bytes
  EXPECT_FALSE(Aid::Parse("A0000005591010FFFFFFFF890000010000").ok());  // 17 bytes
  EXPECT_FALSE(Aid::Parse("A00000055G").ok());
  EXPECT_TRUE(Aid::Parse("A000000559").ok());
}

TEST(Tar, ParsesAndRoundTrips) {
  auto tar = Tar::Parse("000001");
  ASSERT_TRUE(tar.ok());
  EXPECT_EQ(tar->value(), 1u);
  EXPECT_EQ(Tar::FromValue(0xB00120).ToHex(), "B00120");
  EXPECT_FALSE(Tar::Parse("0001").ok());
  EXPECT_FALSE(Tar::Parse("00000100").ok());
  EXPECT_LT(*Tar::Parse("000010"), *Tar::Parse("000020"));
}

}  // namespace
}  // namespace m2mrsp
