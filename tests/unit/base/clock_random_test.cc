#include <gtest/gtest.h>

#include "base/clock.h"
#include "base/random.h"

namespace m2mrsp {
namespace {

TEST(FakeClock, AdvancesBothViews) {
  FakeClock clock;
  const auto w0 = clock.Now();
  const auto m0 = clock.Monotonic();
  clock.Advance(std::chrono::seconds(90));
  EXPECT_EQ(clock.Now() - w0, std::chrono::seconds(90));
  EXPECT_EQ(clock.Monotonic() - m0, std::chrono::seconds(90));
  clock.SetWallTime(w0);
  EXPECT_EQ(clock.Now(), w0);
  EXPECT_EQ(clock.Monotonic() - m0, std::chrono::seconds(90));
}

TEST(SystemClock, MonotonicDoesNotGoBack) {
  const Clock& c = SystemClock::Instance();
  const auto a = c.Monotonic();
  EXPECT_LE(a, c.Monotonic());
}

TEST(ScriptedRandom, HandsOutScriptThenFails) {
  ScriptedRandom r(HexOrDie("0102030405"));
  EXPECT_EQ(ToHex(*r.Generate(2)), "0102");
  EXPECT_EQ(ToHex(*r.Generate(3)), "030405");
  EXPECT_EQ(r.remaining(), 0u);
  EXPECT_FALSE(r.Generate(1).ok());
}

}  // namespace
}  // namespace m2mrsp
