// EID check digits (ISO/IEC 7064 MOD 97-10) against tests/vectors/eid.vec.
#include "base/eid.h"

#include <gtest/gtest.h>

#include "support/vectors.h"

namespace m2mrsp {
namespace {

TEST(Eid, VectorFile) {
  const auto records = testing::LoadVectors("eid.vec");
  size_t valid = 0, invalid = 0, completed = 0;
  for (const auto& rec : records) {
    SCOPED_TRACE(rec.Where());
    if (rec.Has("Prefix")) {
      auto eid = Eid::FromPrefix(rec.Get("Prefix"));
      ASSERT_TRUE(eid.ok()) << eid.status().ToString();
      EXPECT_EQ(eid->ToString(), rec.Get("Eid"));
      ++completed;
      continue;
    }
    auto eid = Eid::Parse(rec.Get("Eid"));
    if (rec.Get("Valid") == "1") {
      ASSERT_TRUE(eid.ok()) << eid.status().ToString();
      EXPECT_EQ(eid->ToString(), rec.Get("Eid"));
      ++valid;
    } else {
      ASSERT_FALSE(eid.ok());
      ASSERT_TRUE(eid.status().sgp().has_value());
      EXPECT_EQ(eid.status().sgp()->subject(), "8.1.1");
      EXPECT_EQ(eid.status().sgp()->reason(), "2.1");
      ++invalid;
    }
  }
  EXPECT_GE(valid, 3u);
  EXPECT_GE(invalid, 3u);
  EXPECT_GE(completed, 3u);
}

TEST(Eid, BcdRoundTrip) {
  // The EID a real sysmoEUICC1 returned in GET DATA (pySim SCP03 trace): BF3E 12 5A 10 <bcd>.
  const Bytes bcd = HexOrDie("89882119900000000000000000000005");
  auto eid = Eid::FromBcd(bcd);
  ASSERT_TRUE(eid.ok());
  EXPECT_EQ(eid->ToString(), "89882119900000000000000000000005");
  EXPECT_EQ(eid->ToBcd(), bcd);
}

TEST(Eid, BcdRejectsBadNibblesAndSizes) {
  EXPECT_FALSE(Eid::FromBcd(HexOrDie("8988211990000000000000000000000F")).ok());
  EXPECT_FALSE(Eid::FromBcd(HexOrDie("898821199000000000000000000000")).ok());
  EXPECT_FALSE(Eid::FromPrefix("8904903212345123451234567890").ok());  // 28 digits
}

}  // namespace
}  // namespace m2mrsp
