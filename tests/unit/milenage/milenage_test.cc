// MILENAGE against 3GPP TS 35.208 test sets 1-6 (tests/vectors/milenage.vec).
#include "milenage/milenage.h"

#include <gtest/gtest.h>

#include "support/vectors.h"

namespace m2mrsp::milenage {
namespace {

TEST(Milenage, Ts35208TestSets) {
  const auto records = testing::LoadVectors("milenage.vec");
  for (const auto& rec : records) {
    SCOPED_TRACE(rec.Where());
    const Bytes k = rec.Hex("K"), rand = rec.Hex("Rand");
    auto opc = Milenage::ComputeOpc(k, rec.Hex("Op"));
    ASSERT_TRUE(opc.ok());
    EXPECT_EQ(*opc, rec.Hex("Opc"));
    auto m = Milenage::Create(k, rec.Hex("Opc"));
    ASSERT_TRUE(m.ok());
    auto f1 = m->F1(rand, rec.Hex("Sqn"), rec.Hex("Amf"));
    ASSERT_TRUE(f1.ok());
    EXPECT_EQ(f1->mac_a, rec.Hex("F1"));
    EXPECT_EQ(f1->mac_s, rec.Hex("F1star"));
    auto f = m->F2345(rand);
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->res, rec.Hex("F2"));
    EXPECT_EQ(f->ak, rec.Hex("F5"));
    EXPECT_EQ(ToHex(f->ck.view()), ToHex(rec.Hex("F3")));
    EXPECT_EQ(ToHex(f->ik.view()), ToHex(rec.Hex("F4")));
    EXPECT_EQ(*m->F5Star(rand), rec.Hex("F5star"));
  }
  EXPECT_EQ(records.size(), 6u);
}

TEST(Milenage, RefusesBadSizesAndConstants) {
  const Bytes k(16), opc(16);
  EXPECT_FALSE(Milenage::Create(Bytes(15), opc).ok());
  EXPECT_FALSE(Milenage::Create(k, Bytes(17)).ok());
  Constants odd;
  odd.r[2] = 33;
  EXPECT_FALSE(Milenage::Create(k, opc, odd).ok());
  auto m = Milenage::Create(k, opc);
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->F1(Bytes(16), Bytes(5), Bytes(2)).ok());
  EXPECT_FALSE(m->F1(Bytes(16), Bytes(6), Bytes(3)).ok());
  EXPECT_FALSE(m->F2345(Bytes(15)).ok());
  EXPECT_FALSE(Milenage::ComputeOpc(k, Bytes(8)).ok());
}

TEST(Milenage, CustomConstantsChangeOutput) {
  // SAIP akaParameter may carry non-default constants: they must be used, not ignored.
  const Bytes k(16, 0x11), opc(16, 0x22), rand(16, 0x33);
  Constants c;
  c.c[1][15] = 0x03;
  auto standard = Milenage::Create(k, opc);
  auto custom = Milenage::Create(k, opc, c);
  ASSERT_TRUE(standard.ok() && custom.ok());
  EXPECT_NE(standard->F2345(rand)->res, custom->F2345(rand)->res);
  EXPECT_EQ(ToHex(standard->F2345(rand)->ck.view()), ToHex(custom->F2345(rand)->ck.view()));
}

}  // namespace
}  // namespace m2mrsp::milenage
