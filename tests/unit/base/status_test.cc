#include "base/status.h"

#include <gtest/gtest.h>

namespace m2mrsp {
namespace {

TEST(Status, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_FALSE(s.sgp().has_value());
}

TEST(Status, CarriesSgpCodes) {
  Status s = Status::Sgp(ErrorKind::kNotFound, "8.1.1", "3.9", "EID unknown");
  ASSERT_FALSE(s.ok());
  ASSERT_TRUE(s.sgp().has_value());
  EXPECT_EQ(s.sgp()->subject(), "8.1.1");
  EXPECT_EQ(s.sgp()->reason(), "3.9");
  EXPECT_EQ(s.ToString(), "not found: EID unknown [8.1.1/3.9]");
}

TEST(Status, RejectsMalformedDottedCodes) {
  for (const char* bad : {"", ".", "1.", ".1", "1..2", "a.1", "1234", "1.2.3.4.5.6.7.8"}) {
    EXPECT_FALSE(SgpCode::Make(bad, "1").has_value()) << bad;
    EXPECT_FALSE(SgpCode::Make("1", bad).has_value()) << bad;
  }
  EXPECT_TRUE(SgpCode::Make("8.2.1", "3.10").has_value());
  Status s = Status::Sgp(ErrorKind::kParse, "8..1", "2.1", "x");
  EXPECT_FALSE(s.sgp().has_value());
  EXPECT_NE(s.message().find("invalid SGP.02 status code"), std::string::npos);
}

TEST(Status, ErrorOfKindOkBecomesInternal) {
  EXPECT_EQ(Status::Error(ErrorKind::kOk, "x").kind(), ErrorKind::kInternal);
}

TEST(Status, WithContextKeepsCodes) {
  Status s = Status::Sgp(ErrorKind::kInvalidArgument, "8.2.1", "2.1", "bad").WithContext("ES2");
  EXPECT_EQ(s.message(), "ES2: bad");
  EXPECT_EQ(s.sgp()->subject(), "8.2.1");
}

Result<int> Half(int v) {
  if (v % 2 != 0) return InvalidArgument("odd");
  return v / 2;
}

Result<int> Quarter(int v) {
  M2_ASSIGN_OR_RETURN(int h, Half(v));
  return Half(h);
}

TEST(Result, PropagatesErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_TRUE(Quarter(4).status().ok());
}

TEST(ResultDeathTest, ValueOnErrorAborts) {
  EXPECT_DEATH(
      {
        Result<int> r = InvalidArgument("no");
        (void)r.value();
      },
      "Result::value\\(\\) on error");
}

}  // namespace
}  // namespace m2mrsp
