// The SCP81 admin agent: trigger parsing (pySim GP Amd B samples), a whole session, targeted
// application routing, retries with back-off, timeouts, and malformed responses.
#include <gtest/gtest.h>

#include "euicc/admin_agent.h"
#include "frontend_fake_card.h"

namespace m2mrsp::euicc {
namespace {

using testing::FakeCard;
using State = AdminSessionState;

const char kEid[] = "89001012012341234012345678901224";
// 81 { 83 { 85 (pySim sample 850804deadbeef020040), 86 retry 2 × 30 s, 89 { 8A admin.host,
// 8C https://admin.host/uri (pySim samples) } } }
const char kTrigger[] =
    "813b"
    "8339"
    "850804deadbeef020040"
    "8607"
    "0002"
    "a503000003"
    "8924"
    "8a0a61646d696e2e686f7374"
    "8c1668747470733a2f2f61646d696e2e686f73742f757269";

HttpResponse Script(std::string next, std::string script_hex, std::string target = "") {
  HttpResponse r;
  r.status = 200;
  r.headers = {{"X-Admin-Protocol", "globalplatform-remote-admin/1.0"},
               {"Content-Type", "application/vnd.globalplatform.card-content-mgt;version=1.0"},
               {"X-Admin-Next-URI", std::move(next)}};
  if (!target.empty()) r.headers.emplace_back("X-Admin-Targeted-Application", target);
  r.body = HexOrDie(script_hex);
  return r;
}

class AdminAgentTest : public ::testing::Test {
 protected:
  AdminAgentTest() : agent_(card_, clock_, *Eid::Parse(kEid), gp::IsdRAid()) {
    card_.psks["deadbeef"] = Bytes(16, 0x42);
  }
  FakeClock clock_;
  FakeCard card_;
  AdminAgent agent_;
};

TEST(AdminTrigger, ParsesGpAmendmentBParameters) {
  auto t = ParseAdminSessionTrigger(HexOrDie(kTrigger));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(ToHex(AsView(*t->psk_identity)), "deadbeef");
  EXPECT_EQ(*t->kvn, 0x00);
  EXPECT_EQ(*t->kid, 0x40);
  EXPECT_EQ(*t->host, "admin.host");
  EXPECT_EQ(*t->uri, "https://admin.host/uri");
  EXPECT_EQ(t->retry->retry_counter, 2);
  EXPECT_EQ(t->retry->delay, std::chrono::seconds(30));  // A5 03 00 00 03: 30 s, swapped BCD
  // WHTY layout: connection parameters with a TCP port and an IPv4 address.
  auto w =
      ParseAdminSessionTrigger(HexOrDie("811c831a8413350103390205003c030201bb3e05210a000001"
                                        "89038a0168"));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(*w->port, 443);
  EXPECT_EQ(ToHex(AsView(w->destination_address)), "210a000001");
  EXPECT_TRUE(ParseAdminSessionTrigger(HexOrDie("8100"))->defaults_only);
  for (const char* bad : {"", "8200", "8103830185", "8107830589038a0100", "8108830686040001a503",
                          "8105830385010a", "81038a0168ff"}) {
    EXPECT_FALSE(ParseAdminSessionTrigger(HexOrDie(bad)).ok()) << bad;
  }
}

TEST(AdminTrigger, DefaultPskIdentityFollowsNjiwaLayout) {
  const Bytes id = DefaultPskIdentity(*Eid::Parse(kEid), gp::IsdRAid(), 0x01, 0x40);
  EXPECT_EQ(std::string(id.begin(), id.end()),
            "800102"
            "8110"
            "89001012012341234012345678901224"
            "4F10"
            "A0000005591010FFFFFFFF8900000100"
            "820101"
            "830140");
}

TEST_F(AdminAgentTest, SessionWithTwoScriptsAndTargetedApplication) {
  const Aid isdp = gp::IsdPAidForTar(Tar::FromValue(0x10));
  card_.AddApplication(isdp, {true, false, false});
  ASSERT_TRUE(agent_.Start(HexOrDie(kTrigger)).ok());
  EXPECT_EQ(agent_.transport().host, "admin.host");
  EXPECT_EQ(agent_.transport().port, 443);
  EXPECT_EQ(agent_.transport().psk.view().size(), 16u);

  auto first = agent_.NextRequest();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->method, "POST");
  EXPECT_EQ(first->path, "/uri");
  EXPECT_EQ(*first->Header("host"), "admin.host");
  EXPECT_EQ(*first->Header("X-Admin-Protocol"), "globalplatform-remote-admin/1.0");
  EXPECT_EQ(*first->Header("X-Admin-From"),
            std::string("//se-id/eid/") + kEid + ";//aa-id/aid/A000000559/1010FFFFFFFF8900000100");
  EXPECT_EQ(first->Header("X-Admin-Script-Status"), nullptr);
  EXPECT_TRUE(first->body.empty());
  EXPECT_FALSE(agent_.NextRequest().has_value());  // one request in flight

  agent_.OnResponse(Script("/smsr/ram/1", "AA07220580CA00E000"));
  auto second = agent_.NextRequest();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->path, "/smsr/ram/1");
  EXPECT_EQ(*second->Header("Content-Type"),
            "application/vnd.globalplatform.card-content-mgt-response;version=1.0");
  EXPECT_EQ(*second->Header("X-Admin-Script-Status"), "ok");
  EXPECT_EQ(ToHex(AsView(second->body)), "ab0780010123029000");
  EXPECT_EQ(card_.apdus.back().target, gp::IsdRAid());

  // ES8 tunnelling: the script goes to the ISD-P; indefinite template both ways.
  agent_.OnResponse(Script("/smsr/ram/2",
                           "AE80"
                           "220580CA00E000"
                           "8603010203"
                           "0000",
                           "//aid/A000000559/1010FFFFFFFF8900001000"));
  auto third = agent_.NextRequest();
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(card_.apdus.back().target, isdp);
  ASSERT_EQ(card_.scp03t.size(), 1u);
  EXPECT_EQ(card_.scp03t[0].target, isdp);
  EXPECT_EQ(ToHex(AsView(third->body)),
            "af80"
            "23029000"
            "8600"
            "0000");

  agent_.OnResponse(HttpResponse{204, {}, {}});
  EXPECT_EQ(agent_.state(), State::kCompleted);
  EXPECT_TRUE(agent_.final_status().ok());
  EXPECT_EQ(agent_.scripts_run(), 2u);
  EXPECT_FALSE(agent_.NextRequest().has_value());
}

TEST_F(AdminAgentTest, UnknownTargetedApplicationIsReportedNotRun) {
  ASSERT_TRUE(agent_.Start(HexOrDie(kTrigger)).ok());
  ASSERT_TRUE(agent_.NextRequest().has_value());
  agent_.OnResponse(Script("/n", "AA07220580CA00E000", "//aid/A000000559/1010FFFFFFFF8900002000"));
  auto next = agent_.NextRequest();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(*next->Header("X-Admin-Script-Status"), "unknown-application");
  EXPECT_TRUE(next->body.empty());
  EXPECT_TRUE(card_.apdus.empty());
}

TEST_F(AdminAgentTest, ServerErrorsAndTimeoutsAreRetriedThenGivenUp) {
  ASSERT_TRUE(agent_.Start(HexOrDie(kTrigger)).ok());  // 2 retries, 30 s apart
  ASSERT_TRUE(agent_.NextRequest().has_value());
  agent_.OnResponse(HttpResponse{503, {}, {}});
  EXPECT_EQ(agent_.state(), State::kBackoff);
  clock_.Advance(std::chrono::seconds(29));
  EXPECT_FALSE(agent_.NextRequest().has_value());
  clock_.Advance(std::chrono::seconds(1));
  auto again = agent_.NextRequest();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->path, "/uri");
  // No answer within the response timeout: a second failure.
  clock_.Advance(std::chrono::seconds(60));
  EXPECT_FALSE(agent_.NextRequest().has_value());
  EXPECT_EQ(agent_.state(), State::kBackoff);
  clock_.Advance(std::chrono::seconds(30));
  ASSERT_TRUE(agent_.NextRequest().has_value());
  agent_.OnTransportFailure("TLS handshake failed");
  EXPECT_EQ(agent_.state(), State::kFailed);
  EXPECT_EQ(agent_.final_status().kind(), ErrorKind::kUnavailable);
  EXPECT_EQ(agent_.failed_attempts(), 3u);
}

TEST_F(AdminAgentTest, RetryInsideASessionResumesTheSamePost) {
  ASSERT_TRUE(agent_.Start(HexOrDie(kTrigger)).ok());
  ASSERT_TRUE(agent_.NextRequest().has_value());
  agent_.OnResponse(Script("/r/1", "AA07220580CA00E000"));
  auto post = agent_.NextRequest();
  agent_.OnResponse(HttpResponse{404, {}, {}});
  clock_.Advance(std::chrono::seconds(30));
  auto resent = agent_.NextRequest();
  ASSERT_TRUE(resent.has_value());
  EXPECT_EQ(resent->path, "/r/1");
  EXPECT_EQ(resent->body, post->body);
  EXPECT_EQ(*resent->Header("X-Admin-Resume"), "true");
  EXPECT_EQ(card_.apdus.size(), 1u);  // the script is not run twice
}

TEST_F(AdminAgentTest, MalformedResponsesEndTheSession) {
  const std::vector<std::pair<std::string, std::string>> broken = {
      {"X-Admin-Next-URI", ""},
      {"X-Admin-Next-URI", "no-slash"},
      {"X-Admin-Protocol", "globalplatform-remote-admin/2.0"},
      {"Content-Type", "text/plain"},
      {"X-Admin-Targeted-Application", "//aid/A0000005/59"},
  };
  for (const auto& [name, value] : broken) {
    SCOPED_TRACE(name + ": " + value);
    AdminAgent agent(card_, clock_, *Eid::Parse(kEid), gp::IsdRAid());
    ASSERT_TRUE(agent.Start(HexOrDie(kTrigger)).ok());
    ASSERT_TRUE(agent.NextRequest().has_value());
    HttpResponse r = Script("/n", "AA07220580CA00E000", "//aid/A000000559/1010FFFFFFFF8900000100");
    for (auto& [n, v] : r.headers) {
      if (n == name) v = value;
    }
    agent.OnResponse(r);
    EXPECT_EQ(agent.state(), State::kFailed);
    EXPECT_EQ(agent.final_status().kind(), ErrorKind::kParse);
    EXPECT_FALSE(agent.NextRequest().has_value());
  }
  // Duplicate header, a redirect, and a missing header.
  for (int variant = 0; variant < 3; ++variant) {
    AdminAgent agent(card_, clock_, *Eid::Parse(kEid), gp::IsdRAid());
    ASSERT_TRUE(agent.Start(HexOrDie(kTrigger)).ok());
    ASSERT_TRUE(agent.NextRequest().has_value());
    HttpResponse r = Script("/n", "AA07220580CA00E000");
    if (variant == 0) r.headers.emplace_back("content-type", "text/plain");
    if (variant == 1) r.status = 302;
    if (variant == 2) r.headers.erase(r.headers.begin());
    agent.OnResponse(r);
    EXPECT_EQ(agent.state(), State::kFailed) << variant;
  }
  EXPECT_TRUE(card_.apdus.empty());
}

TEST_F(AdminAgentTest, MalformedScriptIsAnsweredWithBadFormat) {
  ASSERT_TRUE(agent_.Start(HexOrDie(kTrigger)).ok());
  ASSERT_TRUE(agent_.NextRequest().has_value());
  agent_.OnResponse(Script("/n", "AA0399"));
  auto next = agent_.NextRequest();
  ASSERT_TRUE(next.has_value());
  // TS 102 226 §5.2.2: nothing executed, bad-format item.
  EXPECT_EQ(ToHex(AsView(next->body)).substr(0, 10), "ab06800100");
  EXPECT_TRUE(card_.apdus.empty());
}

TEST_F(AdminAgentTest, StartRefusesUnknownPskAndBadTriggers) {
  EXPECT_FALSE(agent_.Start(HexOrDie("8100")).ok());  // no default host configured
  card_.psks.clear();
  EXPECT_EQ(agent_.Start(HexOrDie(kTrigger)).kind(), ErrorKind::kNotFound);
  EXPECT_EQ(agent_.state(), State::kIdle);
  // Defaults with the SGP.02 PSK identity.
  AdminAgentOptions options;
  options.defaults.host = "smsr.example";
  const Bytes id = DefaultPskIdentity(*Eid::Parse(kEid), gp::IsdRAid(), 0x01, 0x40);
  card_.psks[ToHex(AsView(id))] = Bytes(16, 1);
  AdminAgent agent(card_, clock_, *Eid::Parse(kEid), gp::IsdRAid(), options);
  ASSERT_TRUE(agent.Start(HexOrDie("8100")).ok());
  EXPECT_EQ(agent.NextRequest()->path, "/");
  EXPECT_FALSE(agent.Start(HexOrDie("8100")).ok());  // already running
}

}  // namespace
}  // namespace m2mrsp::euicc
