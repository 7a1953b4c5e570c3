// The ES binding end to end in one process over real mutual TLS on 127.0.0.1 (port 0): an SM-SR
// endpoint serving ES3 functions and an SM-DP node (client + callback endpoint). Covers the
// three exchange patterns, handler errors as FunctionExecutionStatus, and every envelope-level
// refusal (docs/formats/binding.md) as the peer sees it.
#include "binding/es_server.h"

#include <gtest/gtest.h>

#include <atomic>

#include "binding/es_client.h"
#include "binding_env.h"

namespace m2mrsp::binding {
namespace {

using testing::kMno;
using testing::kSmdp;
using testing::kSmsr;
using testing::Waiter;
using testing::World;

Eid TestEid() { return *Eid::Parse("89049032123451234512345678901235"); }  // SGP.26 test EID
Iccid TestIccid() { return *Iccid::FromPayload("893301000000000001"); }
constexpr const char* kIsdpAid = "A0000005591010FFFFFFFF8900001100";  // SGP.02 Annex H range

class EsBindingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { world_ = new World(); }
  static void TearDownTestSuite() {
    delete world_;
    world_ = nullptr;
  }

  // The SM-SR endpoint with an ES3 sync function, an async one, and a notification.
  void StartSmsr(std::function<void(EsServerOptions&)> tweak = {}) {
    EsServerOptions o = world_->ServerOptions(kSmsr);
    o.on_delivery = [this](const DeliveryOutcome& d) {
      waiter_.Notify([&] { outcomes_.push_back(d); });
    };
    if (tweak) tweak(o);
    smsr_ = std::make_unique<EsServer>(std::move(o));
    smsr_->Handle<es::Es3UpdatePolicyRulesRequest>(
        [](const CallContext& ctx,
           const es::Es3UpdatePolicyRulesRequest& r) -> Result<es::Es3UpdatePolicyRulesResponse> {
          if (ctx.requester.oid != kSmdp.oid) return InternalError("wrong requester");
          if (r.iccid != TestIccid()) {
            return Status::Sgp(ErrorKind::kNotFound, "8.2.1", "3.9", "unknown ICCID");
          }
          return es::Es3UpdatePolicyRulesResponse{};
        },
        {"SM-DP"});
    smsr_->Handle<es::Es3CreateIsdpRequest>(
        [this](const CallContext&,
               const es::Es3CreateIsdpRequest& r) -> Result<es::Es3CreateIsdpResponse> {
          {
            std::unique_lock lock(waiter_.mu());
            ++create_started_;
          }
          waiter_.Notify();
          waiter_.WaitFor([&] { return !hold_create_; });
          if (r.required_memory > 1000000) {
            return Status::Sgp(ErrorKind::kFailedPrecondition, "8.1", "4.8", "no memory");
          }
          es::Es3CreateIsdpResponse resp;
          resp.isd_p_aid = *Aid::Parse(kIsdpAid);
          return resp;
        },
        {"SM-DP"});
    smsr_->HandleNotification<es::Es3HandleProfileEnabledNotification>(
        [this](const CallContext& ctx, const es::Es3HandleProfileEnabledNotification&) {
          waiter_.Notify([&] { notified_from_ = ctx.requester.oid; });
          return Status::Ok();
        });
    ASSERT_TRUE(smsr_->Start().ok());
  }

  // The SM-DP side: a callback endpoint and a client sharing one pending-call table.
  void StartSmdp() {
    pending_ = PendingCalls::Create();
    EsServerOptions o = world_->ServerOptions(kSmdp);
    o.pending = pending_;
    smdp_ = std::make_unique<EsServer>(std::move(o));
    ASSERT_TRUE(smdp_->Start().ok());
    client_ = std::make_unique<EsClient>(world_->ClientOptions(kSmdp, smdp_->url(), pending_));
  }

  void TearDown() override {
    {
      std::lock_guard lock(waiter_.mu());
      hold_create_ = false;
    }
    waiter_.Notify();
    client_.reset();
    if (smsr_) smsr_->Shutdown();
    if (smdp_) smdp_->Shutdown();
  }

  Target Smsr() const { return Target{smsr_->url(), kSmsr.oid}; }

  es::Es3CreateIsdpRequest CreateIsdp(int64_t memory = 1024) {
    es::Es3CreateIsdpRequest r;
    r.function_call_identifier = "fc-1";
    r.validity_period = 600;
    r.eid = TestEid();
    r.iccid = TestIccid();
    r.mno_id = es::Oid{kMno.oid};
    r.required_memory = memory;
    return r;
  }

  // POSTs `envelope` as `client_name` (empty: no client certificate) and returns the reply.
  Result<net::HttpResponse> Raw(const std::string& client_name, const std::string& envelope,
                                const std::string& content_type = "application/soap+xml") {
    net::HttpClient http;
    net::Endpoint ep{"localhost", smsr_->port(), world_->ClientTls(client_name), kSmsr.oid};
    return http.Send(ep, net::HttpRequest{"POST", "/", {{"Content-Type", content_type}}, envelope});
  }

  // A well-formed ES3 UpdatePolicyRules request envelope with the given headers.
  std::string Envelope(const std::string& from_oid, const std::string& to_oid,
                       const std::string& action, const std::string& message_id,
                       bool reply_to = false) {
    soap::Addressing a;
    a.from = "https://localhost:1/?EntityId=" + from_oid;
    a.to = "https://localhost:1/?EntityId=" + to_oid;
    a.action = action;
    a.message_id = message_id;
    if (reply_to) a.reply_to = "https://localhost:1/";
    es::Es3UpdatePolicyRulesRequest r;
    r.eid = TestEid();
    r.iccid = TestIccid();
    auto e = soap::BuildEnvelope(a, [&](pugi::xml_node body) { return es::EncodeBody(r, body); });
    EXPECT_TRUE(e.ok());
    return *e;
  }

  static soap::Fault FaultOf(const net::HttpResponse& r) {
    soap::ParseOptions lenient;
    lenient.require_addressing = false;
    auto env = soap::ParseEnvelope(r.body, lenient);
    EXPECT_TRUE(env.ok()) << r.body;
    if (!env.ok() || !env->fault()) return {};
    return *env->fault();
  }
  static std::string Codes(const soap::Fault& f) {
    return f.status_code ? f.status_code->subject() + "/" + f.status_code->reason() : "none";
  }

  static constexpr const char* kUpdatePolicy =
      "http://gsma.com/ES3/ProfileManagement/ES3-UpdatePolicyRulesRequest";

  static World* world_;
  Waiter waiter_;
  std::vector<DeliveryOutcome> outcomes_;
  int create_started_ = 0;
  bool hold_create_ = false;
  std::string notified_from_;
  // Written by completions that may run during TearDown: members, not test locals.
  std::optional<Result<es::Es3CreateIsdpResponse>> got_;
  std::unique_ptr<EsServer> smsr_, smdp_;
  std::shared_ptr<PendingCalls> pending_;
  std::unique_ptr<EsClient> client_;
};

World* EsBindingTest::world_ = nullptr;

TEST_F(EsBindingTest, SynchronousCallReturnsTheTypedResponse) {
  StartSmsr();
  StartSmdp();
  es::Es3UpdatePolicyRulesRequest r;
  r.eid = TestEid();
  r.iccid = TestIccid();
  CallInfo info;
  auto resp = client_->Call(Smsr(), r, &info);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(info.http_status, 200);
  EXPECT_TRUE(info.message_id.starts_with("//" + kSmdp.oid + "/urn:uuid:"));
  EXPECT_EQ(resp->function_execution_status.status, es::ExecutionStatus::kExecutedSuccess);
  EXPECT_TRUE(resp->processing_start.has_value());  // stamped by the binding
}

TEST_F(EsBindingTest, HandlerErrorBecomesFunctionExecutionStatusFailed) {
  StartSmsr();
  StartSmdp();
  es::Es3UpdatePolicyRulesRequest r;
  r.eid = TestEid();
  r.iccid = *Iccid::FromPayload("893301000000000002");
  auto resp = client_->Call(Smsr(), r);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->function_execution_status.status, es::ExecutionStatus::kFailed);
  ASSERT_TRUE(resp->function_execution_status.status_code_data.has_value());
  EXPECT_EQ(resp->function_execution_status.status_code_data->subject.value, "8.2.1");
  EXPECT_EQ(resp->function_execution_status.status_code_data->reason.value, "3.9");
}

TEST_F(EsBindingTest, AsynchronousCallIsAnsweredThroughTheCallback) {
  StartSmsr();
  StartSmdp();
  CallInfo info;
  ASSERT_TRUE(client_
                  ->CallAsync(
                      Smsr(), CreateIsdp(),
                      [&](Result<es::Es3CreateIsdpResponse> r) {
                        waiter_.Notify([&] { got_ = std::move(r); });
                      },
                      &info)
                  .ok());
  EXPECT_EQ(info.http_status, 202);
  const bool done = waiter_.WaitFor([&] { return got_.has_value() && !outcomes_.empty(); });
  std::lock_guard lock(waiter_.mu());
  ASSERT_TRUE(done) << "callback: " << got_.has_value() << ", outcomes: " << outcomes_.size()
                    << ", started: " << create_started_ << ", pending: " << pending_->size()
                    << (outcomes_.empty() ? "" : outcomes_[0].last_error.ToString());
  ASSERT_TRUE(outcomes_[0].delivered) << outcomes_[0].last_error.ToString();
  ASSERT_TRUE(got_->ok()) << got_->status().ToString();
  EXPECT_EQ((*got_)->isd_p_aid, *Aid::Parse(kIsdpAid));
  EXPECT_TRUE(outcomes_[0].delivered);
  EXPECT_EQ(outcomes_[0].relates_to, info.message_id);
  EXPECT_EQ(outcomes_[0].action, "http://gsma.com/ES3/ProfileManagementCallBack/ES3-CreateISDP");
  EXPECT_EQ(pending_->size(), 0u);
}

TEST_F(EsBindingTest, AsynchronousHandlerErrorReachesTheCallerAsFailed) {
  StartSmsr();
  StartSmdp();
  ASSERT_TRUE(client_
                  ->CallAsync(Smsr(), CreateIsdp(5000000),
                              [&](Result<es::Es3CreateIsdpResponse> r) {
                                waiter_.Notify([&] { got_ = std::move(r); });
                              })
                  .ok());
  ASSERT_TRUE(waiter_.WaitFor([&] { return got_.has_value(); }));
  ASSERT_TRUE(got_->ok());
  EXPECT_EQ((*got_)->function_execution_status.status, es::ExecutionStatus::kFailed);
  EXPECT_EQ((*got_)->function_execution_status.status_code_data->reason.value, "4.8");
}

TEST_F(EsBindingTest, LateCallbackAfterTheValidityPeriodIsRefusedAndReported) {
  StartSmsr();
  StartSmdp();
  hold_create_ = true;
  auto req = CreateIsdp();
  req.validity_period = 1;  // seconds
  ASSERT_TRUE(client_
                  ->CallAsync(Smsr(), req,
                              [&](Result<es::Es3CreateIsdpResponse> r) {
                                waiter_.Notify([&] { got_ = std::move(r); });
                              })
                  .ok());
  ASSERT_TRUE(waiter_.WaitFor([&] { return got_.has_value(); }));
  EXPECT_EQ(got_->status().kind(), ErrorKind::kTimeout);
  waiter_.Notify([&] { hold_create_ = false; });  // the provider answers too late
  ASSERT_TRUE(waiter_.WaitFor([&] { return !outcomes_.empty(); }));
  std::lock_guard lock(waiter_.mu());
  EXPECT_FALSE(outcomes_[0].delivered);
  EXPECT_EQ(outcomes_[0].http_status, 400);  // Sender fault 1.6/3.9: no such pending call
}

TEST_F(EsBindingTest, NotificationIsAcknowledgedAndHandled) {
  StartSmsr();
  StartSmdp();
  es::Es3HandleProfileEnabledNotification n;
  n.eid = TestEid();
  n.iccid = TestIccid();
  n.mno_id = es::Oid{kMno.oid};
  n.completion_timestamp = es::DateTime{std::chrono::sys_seconds(std::chrono::seconds(1700000000))};
  CallInfo info;
  const Status s = client_->Notify(Smsr(), n, &info);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(info.http_status, 202);
  ASSERT_TRUE(waiter_.WaitFor([&] { return !notified_from_.empty(); }));
  EXPECT_EQ(notified_from_, kSmdp.oid);
}

TEST_F(EsBindingTest, RefusesUnknownActionWithActionNotSupported) {
  StartSmsr();
  auto r = Raw("smdp", Envelope(kSmdp.oid, kSmsr.oid,
                                "http://gsma.com/ES3/ProfileManagement/ES3-Unknown", "urn:uuid:1"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 400);
  const soap::Fault f = FaultOf(*r);
  EXPECT_EQ(f.code, soap::FaultCode::kSender);
  EXPECT_EQ(f.wsa_subcode, "ActionNotSupported");
  EXPECT_EQ(Codes(f), "1.6/3.1");
}

TEST_F(EsBindingTest, RefusesMalformedAndOversizeAndNonSoap) {
  StartSmsr([](EsServerOptions& o) { o.http.limits.max_body_bytes = 64 * 1024; });
  auto r = Raw("smdp", "<env:Envelope xmlns:env='http://www.w3.org/2003/05/soap-envelope'><oops");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(FaultOf(*r).code, soap::FaultCode::kSender);
  r = Raw("smdp", std::string(100 * 1024, 'x'));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 413);
  r = Raw("smdp", Envelope(kSmdp.oid, kSmsr.oid, kUpdatePolicy, "urn:uuid:2"), "text/plain");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 415);
  // SOAP 1.1: VersionMismatch, HTTP 500 (SOAP 1.2 Part 2 §7.5.2.2).
  r = Raw("smdp",
          "<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body/></s:Envelope>");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(FaultOf(*r).code, soap::FaultCode::kVersionMismatch);
}

TEST_F(EsBindingTest, RefusesFromThatIsNotTheCertificateEntity) {
  StartSmsr();
  // The SM-DP's valid certificate, but wsa:From claims the MNO.
  auto r = Raw("smdp", Envelope(kMno.oid, kSmsr.oid, kUpdatePolicy, "urn:uuid:3"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Codes(FaultOf(*r)), "1.1/1.1");
}

TEST_F(EsBindingTest, RefusesAnotherDestinationAndAForbiddenRole) {
  StartSmsr();
  auto r = Raw("smdp", Envelope(kSmdp.oid, kMno.oid, kUpdatePolicy, "urn:uuid:4"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Codes(FaultOf(*r)), "1.2/3.4");
  r = Raw("mno-a", Envelope(kMno.oid, kSmsr.oid, kUpdatePolicy, "urn:uuid:5"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Codes(FaultOf(*r)), "1.1/1.2");  // ES3 is for SM-DPs
}

TEST_F(EsBindingTest, RefusesAReplayedMessageId) {
  StartSmsr();
  const std::string e = Envelope(kSmdp.oid, kSmsr.oid, kUpdatePolicy, "urn:uuid:6");
  auto first = Raw("smdp", e);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->status, 200);
  auto again = Raw("smdp", e);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 400);
  EXPECT_EQ(Codes(FaultOf(*again)), "1.6/3.3");
}

TEST_F(EsBindingTest, RefusesAnAsynchronousRequestWithoutReplyTo) {
  StartSmsr();
  soap::Addressing a;
  a.from = "https://localhost:1/?EntityId=" + kSmdp.oid;
  a.to = "https://localhost:1/?EntityId=" + kSmsr.oid;
  a.action = std::string(es::Es3CreateIsdpRequest::kAction);
  a.message_id = "urn:uuid:7";
  auto e = es::EncodeEnvelope(CreateIsdp(), a);
  ASSERT_TRUE(e.ok());
  auto r = Raw("smdp", *e);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Codes(FaultOf(*r)), "1.6/2.3");
}

// A ReplyTo the endpoint could never call back (plain http here) is refused before the handler
// acts: otherwise the work would be done and its outcome undeliverable.
TEST_F(EsBindingTest, RefusesAnUnusableReplyToBeforeExecuting) {
  StartSmsr();
  soap::Addressing a;
  a.from = "https://localhost:1/?EntityId=" + kSmdp.oid;
  a.to = "https://localhost:1/?EntityId=" + kSmsr.oid;
  a.action = std::string(es::Es3CreateIsdpRequest::kAction);
  a.message_id = "urn:uuid:71";
  a.reply_to = "http://localhost:1/";
  auto e = es::EncodeEnvelope(CreateIsdp(), a);
  ASSERT_TRUE(e.ok());
  auto r = Raw("smdp", *e);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Codes(FaultOf(*r)), "1.6/2.1");
  EXPECT_EQ(create_started_, 0);
}

TEST_F(EsBindingTest, RefusesCertificatesOutsideTheDirectoryOrTrust) {
  StartSmsr();
  const std::string e = Envelope(kSmdp.oid, kSmsr.oid, kUpdatePolicy, "urn:uuid:8");
  // Issued by the trusted CA, unknown to the directory: net refuses it before the binding.
  auto r = Raw("unlisted", e);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(r->body, "unknown entity\n");
  EXPECT_FALSE(Raw("rogue", e).ok());  // another CA: the handshake fails
  EXPECT_FALSE(Raw("", e).ok());       // no client certificate: the handshake fails
}

TEST_F(EsBindingTest, RefusesAnUnknownCallback) {
  StartSmsr();
  StartSmdp();
  soap::Addressing a;
  a.from = "https://localhost:1/?EntityId=" + kSmsr.oid;
  a.to = smdp_->url() + "?EntityId=" + kSmdp.oid;
  a.message_id = "urn:uuid:9";
  a.relates_to = "urn:uuid:never-sent";
  es::Es3CreateIsdpResponse resp;
  auto e = es::EncodeEnvelope(resp, a);
  ASSERT_TRUE(e.ok());
  net::HttpClient http;
  net::Endpoint ep{"localhost", smdp_->port(), world_->ClientTls("smsr"), kSmdp.oid};
  auto r =
      http.Send(ep, net::HttpRequest{"POST", "/", {{"Content-Type", "application/soap+xml"}}, *e});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Codes(FaultOf(*r)), "1.6/3.9");
}

TEST_F(EsBindingTest, FullWorkerQueueAnswers503AndTheSenderMayRetry) {
  StartSmsr([](EsServerOptions& o) {
    o.workers = 1;
    o.max_queued = 1;
  });
  StartSmdp();
  hold_create_ = true;
  std::vector<Status> accepted;
  for (int i = 0; i < 2; ++i) {
    accepted.push_back(
        client_->CallAsync(Smsr(), CreateIsdp(), [](Result<es::Es3CreateIsdpResponse>) {}));
    if (i == 0) {
      ASSERT_TRUE(waiter_.WaitFor([&] { return create_started_ == 1; }));
    }
  }
  for (const Status& s : accepted) EXPECT_TRUE(s.ok()) << s.ToString();  // running + queued
  CallInfo info;
  const Status busy = client_->CallAsync(
      Smsr(), CreateIsdp(), [](Result<es::Es3CreateIsdpResponse>) {}, &info);
  EXPECT_EQ(busy.kind(), ErrorKind::kUnavailable);
  EXPECT_EQ(info.http_status, 503);
  EXPECT_EQ(smsr_->counters().refused, 1u);
}

}  // namespace
}  // namespace m2mrsp::binding
