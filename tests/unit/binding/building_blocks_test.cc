// The binding's small parts: URL parsing, the MessageID replay cache (FakeClock), the pending
// asynchronous-call table, the compile-time request → response mapping.
#include <gtest/gtest.h>

#include "binding/function_traits.h"
#include "binding/pending_calls.h"
#include "binding/replay_cache.h"
#include "binding/url.h"
#include "binding_env.h"

namespace m2mrsp::binding {
namespace {

static_assert(std::is_same_v<ResponseOf<es::Es3GetEisRequest>, es::Es3GetEisResponse>);
static_assert(std::is_same_v<ResponseOf<es::Es3CreateIsdpRequest>, es::Es3CreateIsdpResponse>);
static_assert(std::is_same_v<ResponseOf<es::Es3ProfileDownloadCompletedRequest>,
                             es::Es3ProfileDownloadCompletedResponse>);
static_assert(kIsCallback<es::Es3CreateIsdpResponse>);
static_assert(!kIsCallback<es::Es3GetEisResponse>);
static_assert(kIsNotification<es::Es3HandleProfileEnabledNotification>);

TEST(FunctionTraits, CallbackActions) {
  EXPECT_TRUE(IsCallbackAction("http://gsma.com/ES3/ProfileManagementCallBack/ES3-CreateISDP"));
  EXPECT_TRUE(IsCallbackAction("http://gsma.com/ES3/PlatformManagementCallBack/ES3-EnableProfile"));
  EXPECT_FALSE(IsCallbackAction("http://gsma.com/ES3/ProfileManagement/ES3-CreateISDP"));
  EXPECT_FALSE(IsCallbackAction("http://gsma.com/ES3/ProfileManagement/ES3-GetEISResponse"));
  EXPECT_FALSE(IsCallbackAction(""));
}

TEST(Url, ParsesEndpointsAndStripsTheQuery) {
  auto u = ParseUrl("https://smsr.example:20000/es3?EntityId=1.2.3&EntityName=SM-SR");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "smsr.example");
  EXPECT_EQ(u->port, 20000);
  EXPECT_EQ(u->path, "/es3");
  u = ParseUrl("http://[::1]:8080");
  ASSERT_TRUE(u.ok());
  EXPECT_FALSE(u->tls);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->path, "/");
  EXPECT_EQ(ParseUrl("https://h")->port, 443);
}

TEST(Url, RefusesWhatAnEndpointCannotBe) {
  for (const char* bad : {"", "ftp://h/", "https://", "https://:1/", "https://h:0/",
                          "https://h:65536/", "https://h:12x/", "https://u@h/", "https://h/#f",
                          "https://h /", "https://[::1/", "https://[::1]x/"}) {
    SCOPED_TRACE(bad);
    auto u = ParseUrl(bad);
    ASSERT_FALSE(u.ok());
    ASSERT_TRUE(u.status().sgp().has_value());
    EXPECT_EQ(u.status().sgp()->reason(), "2.1");
  }
  EXPECT_FALSE(ParseUrl("https://h/" + std::string(kMaxUrlLength, 'a')).ok());
}

TEST(ReplayCache, RefusesARepeatWithinTheWindowPerEntity) {
  FakeClock clock;
  ReplayCache cache({.capacity = 100, .ttl = std::chrono::seconds(60)}, clock);
  EXPECT_TRUE(cache.Insert("1.2.3", "urn:uuid:a"));
  EXPECT_FALSE(cache.Insert("1.2.3", "urn:uuid:a"));
  EXPECT_TRUE(cache.Insert("1.2.4", "urn:uuid:a"));  // another sender's id space
  clock.Advance(std::chrono::seconds(61));
  EXPECT_TRUE(cache.Insert("1.2.3", "urn:uuid:a"));  // forgotten after the window
}

TEST(ReplayCache, StaysWithinCapacityAndErases) {
  FakeClock clock;
  ReplayCache cache({.capacity = 3, .ttl = std::chrono::seconds(3600)}, clock);
  for (const char* id : {"a", "b", "c", "d"}) EXPECT_TRUE(cache.Insert("1", id));
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_TRUE(cache.Insert("1", "a"));  // the oldest went first
  EXPECT_FALSE(cache.Insert("1", "d"));
  cache.Erase("1", "d");
  EXPECT_TRUE(cache.Insert("1", "d"));
  EXPECT_FALSE(cache.Insert("1", "d"));
}

using PendingResult = Result<std::shared_ptr<const soap::ParsedEnvelope>>;

TEST(PendingCalls, MatchesByRelatesToFromTheCalledEntityOnly) {
  auto pending = PendingCalls::Create();
  const std::string action = "http://gsma.com/ES3/ProfileManagementCallBack/ES3-CreateISDP";
  ASSERT_TRUE(
      pending->Add("m1", {"1.2.4", action, nullptr, nullptr}, std::chrono::seconds(60)).ok());
  EXPECT_EQ(
      pending->Add("m1", {"1.2.4", action, nullptr, nullptr}, std::chrono::seconds(60)).kind(),
      ErrorKind::kAlreadyExists);
  auto wrong = pending->Take("m1", "1.2.9", action);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().sgp()->subject(), "1.1");
  EXPECT_FALSE(pending->Take("m1", "1.2.4", "http://gsma.com/other").ok());
  EXPECT_EQ(pending->Take("m2", "1.2.4", action).status().sgp()->reason(), "3.9");
  auto call = pending->Take("m1", "1.2.4", action);
  ASSERT_TRUE(call.ok());
  EXPECT_EQ(pending->size(), 0u);
  EXPECT_FALSE(pending->Take("m1", "1.2.4", action).ok());  // answered once only
}

TEST(PendingCalls, ExpiresAfterTheValidityPeriodAndOnShutdown) {
  auto pending = PendingCalls::Create();
  testing::Waiter w;
  std::optional<Status> expired;
  ASSERT_TRUE(
      pending
          ->Add("m1",
                {"1.2.4", "a", [&](PendingResult m) { w.Notify([&] { expired = m.status(); }); },
                 nullptr},
                std::chrono::milliseconds(10))
          .ok());
  ASSERT_TRUE(w.WaitFor([&] { return expired.has_value(); }));
  EXPECT_EQ(expired->kind(), ErrorKind::kTimeout);
  EXPECT_EQ(expired->sgp()->reason(), "5.3");
  EXPECT_FALSE(pending->Take("m1", "1.2.4", "a").ok());

  std::optional<Status> dropped;
  ASSERT_TRUE(pending
                  ->Add("m2",
                        {"1.2.4", "a", [&](PendingResult m) { dropped = m.status(); }, nullptr},
                        std::chrono::seconds(600))
                  .ok());
  pending->Shutdown();
  ASSERT_TRUE(dropped.has_value());
  EXPECT_EQ(dropped->kind(), ErrorKind::kUnavailable);
  EXPECT_FALSE(pending->Add("m3", {"1", "a", nullptr, nullptr}, std::chrono::seconds(1)).ok());
}

}  // namespace
}  // namespace m2mrsp::binding
