// Deliverer: the retry path of asynchronous callbacks against a real HTTP peer on 127.0.0.1
// (plain HTTP: TLS is the ES server tests' subject). A busy peer (503, 503, 202), a peer that is
// down and then comes up on the same port, a peer that never stops being busy (attempt limit,
// ValidityPeriod deadline), a final refusal, a duplicate-MessageID fault on a retry (= delivered)
// and shutdown with a message in flight. Each delivery ends in exactly one outcome.
#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <vector>

#include "binding/delivery.h"
#include "binding_env.h"
#include "net/http_server.h"
#include "soap/envelope.h"

namespace m2mrsp::binding {
namespace {

using testing::Waiter;

constexpr const char* kAction = "http://gsma.com/ES3/ProfileManagementCallBack/ES3-CreateISDP";
constexpr const char* kEnvelope = "<callback/>";  // the Deliverer never looks inside

// A peer whose answer to the n-th request (1-based) is `answer(n)`.
class Peer {
 public:
  using Answer = std::function<net::HttpResponse(int n)>;

  explicit Peer(Answer answer, uint16_t port = 0) : answer_(std::move(answer)) {
    net::HttpServerOptions o;
    o.port = port;
    auto s = net::HttpServer::Start(o, [this](const net::HttpRequestView& v, net::Responder r) {
      const int n = ++requests_;
      {
        std::lock_guard lock(mu_);
        bodies_.push_back(v.request.body);
        content_types_.emplace_back(
            net::FindHeader(v.request.headers, "Content-Type").value_or(""));
      }
      r(answer_(n));
    });
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (s.ok()) server_ = std::move(*s);
  }
  ~Peer() {
    if (server_) server_->Shutdown();
  }
  bool started() const { return server_ != nullptr; }
  uint16_t port() const { return server_->port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()) + "/cb"; }
  int requests() const { return requests_; }
  std::vector<std::string> bodies() const {
    std::lock_guard lock(mu_);
    return bodies_;
  }
  std::vector<std::string> content_types() const {
    std::lock_guard lock(mu_);
    return content_types_;
  }

 private:
  Answer answer_;
  std::atomic<int> requests_{0};
  mutable std::mutex mu_;
  std::vector<std::string> bodies_;
  std::vector<std::string> content_types_;
  std::unique_ptr<net::HttpServer> server_;
};

net::HttpResponse Status503(int) { return net::HttpResponse{503, {}, {}}; }

class DelivererTest : public ::testing::Test {
 protected:
  DelivererOptions Options(size_t max_attempts = 12) {
    DelivererOptions o;
    o.allow_plain_http = true;
    o.retry.initial_delay = std::chrono::milliseconds(10);
    o.retry.max_delay = std::chrono::milliseconds(100);
    o.retry.max_attempts = max_attempts;
    o.on_retry = [this](const DeliveryOutcome& d) {
      waiter_.Notify([&] { retries_.push_back(d); });
    };
    return o;
  }
  Delivery To(const std::string& url) {
    Delivery d;
    d.url = url;
    d.action = kAction;
    d.message_id = "//1.2.4/urn:uuid:cb-1";
    d.relates_to = "//1.2.3/urn:uuid:req-1";
    d.envelope = kEnvelope;
    return d;
  }
  OutcomeCallback Record() {
    return [this](const DeliveryOutcome& d) { waiter_.Notify([&] { outcomes_.push_back(d); }); };
  }
  bool WaitForOutcome() {
    return waiter_.WaitFor([&] { return !outcomes_.empty(); }, std::chrono::seconds(60));
  }
  // Read under the waiter's lock (the callbacks run on the Deliverer's threads).
  DeliveryOutcome Outcome() {
    std::lock_guard lock(waiter_.mu());
    EXPECT_EQ(outcomes_.size(), 1u);
    return outcomes_.at(0);
  }
  std::vector<DeliveryOutcome> Retries() {
    std::lock_guard lock(waiter_.mu());
    return retries_;
  }

  Waiter waiter_;
  std::vector<DeliveryOutcome> outcomes_;
  std::vector<DeliveryOutcome> retries_;
};

TEST_F(DelivererTest, BusyPeerIsRetriedUntilItAccepts) {
  Peer peer([](int n) { return net::HttpResponse{n <= 2 ? 503 : 202, {}, {}}; });
  ASSERT_TRUE(peer.started());
  Deliverer deliverer(Options());
  deliverer.Deliver(To(peer.url()), Record());
  ASSERT_TRUE(WaitForOutcome());
  const DeliveryOutcome o = Outcome();
  EXPECT_TRUE(o.delivered) << o.last_error.ToString();
  EXPECT_EQ(o.attempts, 3u);
  EXPECT_EQ(o.http_status, 202);
  EXPECT_EQ(o.relates_to, "//1.2.3/urn:uuid:req-1");
  const auto retries = Retries();
  ASSERT_EQ(retries.size(), 2u);
  EXPECT_EQ(retries[0].http_status, 503);
  EXPECT_EQ(retries[1].attempts, 2u);
  // Every attempt is the same message (same MessageID inside), with the SOAP 1.2 action.
  EXPECT_EQ(peer.bodies(), std::vector<std::string>(3, kEnvelope));
  for (const std::string& ct : peer.content_types()) {
    EXPECT_EQ(ct, std::string("application/soap+xml; charset=utf-8; action=\"") + kAction + "\"");
  }
  EXPECT_EQ(deliverer.in_flight(), 0u);
}

TEST_F(DelivererTest, PeerDownThenUpOnTheSamePortReceivesTheMessage) {
  uint16_t port = 0;
  {
    Peer placeholder(Status503);  // learn a free port, then free it
    ASSERT_TRUE(placeholder.started());
    port = placeholder.port();
  }
  Deliverer deliverer(Options(/*max_attempts=*/1000));
  deliverer.Deliver(To("http://127.0.0.1:" + std::to_string(port) + "/cb"), Record());
  // Connection refused is retried: wait for two failed attempts before the peer comes up.
  ASSERT_TRUE(waiter_.WaitFor([&] { return retries_.size() >= 2; }, std::chrono::seconds(60)));
  for (const DeliveryOutcome& r : Retries()) {
    EXPECT_EQ(r.http_status, 0);
    EXPECT_FALSE(r.last_error.ok());
  }
  Peer peer([](int) { return net::HttpResponse{202, {}, {}}; }, port);
  ASSERT_TRUE(peer.started()) << "port " << port << " was taken meanwhile";
  ASSERT_TRUE(WaitForOutcome());
  const DeliveryOutcome o = Outcome();
  EXPECT_TRUE(o.delivered) << o.last_error.ToString();
  EXPECT_GE(o.attempts, 3u);
  EXPECT_EQ(peer.requests(), 1);
}

TEST_F(DelivererTest, GivesUpAfterTheAttemptLimit) {
  Peer peer(Status503);
  ASSERT_TRUE(peer.started());
  Deliverer deliverer(Options(/*max_attempts=*/3));
  deliverer.Deliver(To(peer.url()), Record());
  ASSERT_TRUE(WaitForOutcome());
  const DeliveryOutcome o = Outcome();
  EXPECT_FALSE(o.delivered);
  EXPECT_EQ(o.attempts, 3u);
  EXPECT_EQ(o.http_status, 503);
  EXPECT_EQ(o.last_error.kind(), ErrorKind::kFailedPrecondition);
  EXPECT_EQ(peer.requests(), 3);
  EXPECT_EQ(Retries().size(), 2u);
}

TEST_F(DelivererTest, GivesUpAtTheValidityPeriodDeadline) {
  Peer peer(Status503);
  ASSERT_TRUE(peer.started());
  Deliverer deliverer(Options(/*max_attempts=*/100000));
  Delivery d = To(peer.url());
  d.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
  deliverer.Deliver(std::move(d), Record());
  ASSERT_TRUE(WaitForOutcome());
  const DeliveryOutcome o = Outcome();
  EXPECT_FALSE(o.delivered);
  EXPECT_EQ(o.http_status, 503);
  EXPECT_LT(o.attempts, 100000u);  // stopped by the deadline, not by the limit
}

TEST_F(DelivererTest, ARefusalIsFinal) {
  Peer peer([](int) { return net::HttpResponse{400, {}, "no"}; });
  ASSERT_TRUE(peer.started());
  Deliverer deliverer(Options());
  deliverer.Deliver(To(peer.url()), Record());
  ASSERT_TRUE(WaitForOutcome());
  const DeliveryOutcome o = Outcome();
  EXPECT_FALSE(o.delivered);
  EXPECT_EQ(o.attempts, 1u);
  EXPECT_EQ(o.http_status, 400);
  EXPECT_TRUE(Retries().empty());
}

TEST_F(DelivererTest, DuplicateFaultOnARetryMeansTheEarlierAttemptArrived) {
  // The receiver's refusal of a MessageID it already has (es_server.cc: Sender fault 1.6/3.3).
  soap::Addressing a;
  a.from = "http://127.0.0.1:1/?EntityId=1.2.3";
  a.to = std::string(soap::kWsaAnonymous);
  a.action = std::string(soap::kWsaFaultAction);
  a.message_id = "urn:uuid:fault-1";
  auto fault = soap::BuildFaultEnvelope(
      a, soap::FaultFor(Status::Sgp(ErrorKind::kAlreadyExists, "1.6", "3.3", "seen")));
  ASSERT_TRUE(fault.ok()) << fault.status().ToString();
  const std::string duplicate = *fault;
  Peer peer([&](int n) {
    return n == 1 ? net::HttpResponse{503, {}, {}}
                  : net::HttpResponse{400, {{"Content-Type", "application/soap+xml"}}, duplicate};
  });
  ASSERT_TRUE(peer.started());
  Deliverer deliverer(Options());
  deliverer.Deliver(To(peer.url()), Record());
  ASSERT_TRUE(WaitForOutcome());
  EXPECT_TRUE(Outcome().delivered);
  EXPECT_EQ(Outcome().attempts, 2u);
}

TEST_F(DelivererTest, DuplicateFaultOnTheFirstAttemptIsARefusal) {
  soap::Addressing a;
  a.from = "http://127.0.0.1:1/?EntityId=1.2.3";
  a.to = std::string(soap::kWsaAnonymous);
  a.action = std::string(soap::kWsaFaultAction);
  a.message_id = "urn:uuid:fault-2";
  auto fault = soap::BuildFaultEnvelope(
      a, soap::FaultFor(Status::Sgp(ErrorKind::kAlreadyExists, "1.6", "3.3", "seen")));
  ASSERT_TRUE(fault.ok());
  const std::string duplicate = *fault;
  Peer peer([&](int) { return net::HttpResponse{400, {}, duplicate}; });
  ASSERT_TRUE(peer.started());
  Deliverer deliverer(Options());
  deliverer.Deliver(To(peer.url()), Record());
  ASSERT_TRUE(WaitForOutcome());
  const DeliveryOutcome o = Outcome();
  EXPECT_FALSE(o.delivered);  // we never sent it before: someone else used our MessageID
  ASSERT_TRUE(o.last_error.sgp().has_value());
  EXPECT_EQ(o.last_error.sgp()->reason(), "3.3");
}

TEST_F(DelivererTest, ShutdownReportsTheMessageInFlightAsNotDelivered) {
  // A peer that holds the request until we release it.
  std::optional<net::Responder> held;
  auto server = net::HttpServer::Start({}, [&](const net::HttpRequestView&, net::Responder r) {
    waiter_.Notify([&] { held.emplace(std::move(r)); });
  });
  ASSERT_TRUE(server.ok());
  Deliverer deliverer(Options());
  deliverer.Deliver(To("http://127.0.0.1:" + std::to_string((*server)->port()) + "/"), Record());
  ASSERT_TRUE(waiter_.WaitFor([&] { return held.has_value(); }, std::chrono::seconds(60)));
  EXPECT_EQ(deliverer.in_flight(), 1u);
  deliverer.Shutdown();
  ASSERT_TRUE(WaitForOutcome());
  const DeliveryOutcome o = Outcome();
  EXPECT_FALSE(o.delivered);
  EXPECT_EQ(o.last_error.kind(), ErrorKind::kUnavailable);
  {
    std::lock_guard lock(waiter_.mu());
    (*held)(net::HttpResponse{202, {}, {}});  // too late: the outcome stays "not delivered"
  }
  (*server)->Shutdown();
  // Still exactly one outcome, and new messages are refused at once.
  deliverer.Deliver(To("http://127.0.0.1:1/"), Record());
  std::lock_guard lock(waiter_.mu());
  ASSERT_EQ(outcomes_.size(), 2u);
  EXPECT_FALSE(outcomes_[1].delivered);
  EXPECT_EQ(outcomes_[1].attempts, 0u);
}

TEST_F(DelivererTest, RefusesUrlsItMayNotUse) {
  DelivererOptions o = Options();
  o.allow_plain_http = false;
  Deliverer deliverer(std::move(o));
  for (const char* url : {"http://127.0.0.1:1/", "https://127.0.0.1:1/", "ftp://x/", ""}) {
    SCOPED_TRACE(url);
    outcomes_.clear();
    deliverer.Deliver(To(url), Record());  // answered at once, on this thread
    std::lock_guard lock(waiter_.mu());
    ASSERT_EQ(outcomes_.size(), 1u);
    EXPECT_FALSE(outcomes_[0].delivered);
    EXPECT_EQ(outcomes_[0].attempts, 0u);
  }
}

}  // namespace
}  // namespace m2mrsp::binding
