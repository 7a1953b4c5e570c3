// AES-CMAC against RFC 4493 §4 and NIST SP 800-38B Appendix D.
#include "crypto/cmac.h"

#include <gtest/gtest.h>

#include "support/vectors.h"

namespace m2mrsp::crypto {
namespace {

TEST(Cmac, PublishedVectors) {
  const auto records = testing::LoadVectors("cmac.vec");
  size_t n = 0;
  for (const auto& rec : records) {
    SCOPED_TRACE(rec.Where());
    const Bytes key = rec.Hex("Key"), msg = rec.Hex("Msg"), mac = rec.Hex("Mac");
    EXPECT_EQ(*AesCmac(key, msg), mac);
    // The keyed context gives the same answer when reused and when the input comes in parts.
    auto cmac = Cmac::Create(key);
    ASSERT_TRUE(cmac.ok());
    EXPECT_EQ(*cmac->Compute(msg), mac);
    Bytes out(kCmacSize);
    const size_t half = msg.size() / 2;
    ASSERT_TRUE(
        cmac->Compute({ByteView(msg).first(half), ByteView(msg).subspan(half)}, out.data()).ok());
    EXPECT_EQ(out, mac);
    ++n;
  }
  EXPECT_EQ(n, 12u);  // four messages for each of AES-128/192/256
}

TEST(Cmac, RefusesBadKey) {
  EXPECT_FALSE(AesCmac(Bytes(17), {}).ok());
  EXPECT_FALSE(Cmac::Create({}).ok());
}

}  // namespace
}  // namespace m2mrsp::crypto
