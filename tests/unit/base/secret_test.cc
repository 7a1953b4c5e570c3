#include "base/secret.h"

#include <gtest/gtest.h>

#include <sstream>
#include <type_traits>

namespace m2mrsp {
namespace {

static_assert(!std::is_copy_constructible_v<SecretBytes>, "secrets are copied only by Clone()");
static_assert(!std::is_convertible_v<SecretBytes, Bytes>, "no implicit way out");

TEST(SecretBytes, DescribeDoesNotReveal) {
  auto s = SecretBytes::FromHex("00112233445566778899aabbccddeeff");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->Describe(), "<secret, 16 bytes>");
  EXPECT_EQ(ToHex(s->view()), "00112233445566778899aabbccddeeff");
}

TEST(SecretBytes, BadHexErrorDoesNotEchoInput) {
  auto s = SecretBytes::FromHex("00112233zz");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message().find("0011"), std::string::npos);
}

TEST(SecretBytes, MoveLeavesSourceEmptyAndResetClears) {
  SecretBytes a(ByteView(HexOrDie("0102")));
  SecretBytes b = std::move(a);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): checked on purpose
  EXPECT_EQ(b.size(), 2u);
  SecretBytes c = b.Clone();
  b.Reset();
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(ToHex(c.view()), "0102");
}

TEST(SecureWipe, ZeroesBuffer) {
  Bytes b = HexOrDie("deadbeef");
  SecureWipe(b);
  EXPECT_EQ(ToHex(b), "00000000");
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
  const Bytes a = HexOrDie("0011223344");
  EXPECT_TRUE(ConstantTimeEqual(a, HexOrDie("0011223344")));
  EXPECT_FALSE(ConstantTimeEqual(a, HexOrDie("0011223345")));
  EXPECT_FALSE(ConstantTimeEqual(a, HexOrDie("80112233 44")));
  EXPECT_FALSE(ConstantTimeEqual(a, HexOrDie("00112233")));
  EXPECT_TRUE(ConstantTimeEqual({}, {}));
}

}  // namespace
}  // namespace m2mrsp
