#include "crypto/hash.h"

#include <gtest/gtest.h>

#include "support/vectors.h"

namespace m2mrsp::crypto {
namespace {

TEST(Sha256, Fips180Examples) {
  const auto records = testing::LoadVectors("sha256.vec");
  for (const auto& rec : records) {
    SCOPED_TRACE(rec.Where());
    EXPECT_EQ(*Sha256(rec.Hex("Msg")), rec.Hex("Digest"));
  }
  EXPECT_GE(records.size(), 3u);
}

}  // namespace
}  // namespace m2mrsp::crypto
