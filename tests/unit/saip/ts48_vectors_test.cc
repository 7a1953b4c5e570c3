// Cross-check with an independent decoder: tests/vectors/saip/ts48.vec holds facts of the TS.48
// packages extracted by a python DER walker (tests/vectors/gen/saip_ts48.py). Our decoder must
// find the same element tags, ICCID, EF.ICCID, EF.IMSI, K and MNO-SD AID.
#include <gtest/gtest.h>

#include "saip/package.h"
#include "support/vectors.h"
#include "ts48.h"

namespace m2mrsp::saip {
namespace {

TEST(Ts48Vectors, IndependentWalkerAgrees) {
  const auto records = m2mrsp::testing::LoadVectors("saip/ts48.vec");
  ASSERT_EQ(records.size(), 4u);
  for (const auto& rec : records) {
    SCOPED_TRACE(rec.Where() + " " + rec.Get("Name"));
    std::string der;
    if (!testing::ReadFile(testing::Ts48Dir() + rec.Get("Name") + ".der", der)) {
      GTEST_SKIP() << "TS.48 test data not found under " << testing::Ts48Dir();
    }
    ASSERT_EQ(der.size(), rec.Size("Length"));
    auto pkg = Decode(AsBytes(der));
    ASSERT_TRUE(pkg.ok()) << pkg.status().ToString();
    Bytes tags;
    for (const auto& e : pkg->elements) AppendBigEndian(tags, e.tag, e.tag > 0xFF ? 2 : 1);
    EXPECT_EQ(ToHex(tags), rec.Get("Tags"));
    auto h = GetHeader(*pkg);
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(ToHex(h->iccid_bcd), rec.Get("Iccid"));
    auto iccid = IccidFile(*pkg);
    ASSERT_TRUE(iccid.ok());
    EXPECT_EQ(ToHex(iccid->content), rec.Get("EfIccid"));
    auto imsi = ImsiFile(*pkg);
    ASSERT_TRUE(imsi.ok());
    EXPECT_EQ(ToHex(imsi->content), rec.Get("EfImsi"));
    auto akas = AkaParameters(*pkg);
    ASSERT_TRUE(akas.ok() && !akas->empty());
    EXPECT_EQ(ToHex(akas->front().key.view()), rec.Get("AkaKey"));
    auto sds = SecurityDomains(*pkg);
    ASSERT_TRUE(sds.ok() && !sds->empty());
    EXPECT_EQ(ToHex(sds->front().instance_aid), rec.Get("SdAid"));
  }
}

}  // namespace
}  // namespace m2mrsp::saip
