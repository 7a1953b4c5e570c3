// The ES binding between two processes over mutual TLS on loopback: tests/tools/es_peer runs an
// SM-SR (ES3.GetEIS synchronous, ES3.EnableProfile asynchronous, HandleProfileEnabled
// notifications) in a child process; this test is the SM-DP — its own EsServer for callbacks and
// notifications, an EsClient with the SM-DP's TLS client certificate — all identities from one
// directory written like `m2mrsp pki init`. Then the refusals the other process must make:
// a self-signed client certificate, one from another CI, none at all, and a valid certificate of
// another entity claiming the SM-DP in wsa:From. Every wait has a generous deadline; nothing
// sleeps to synchronise.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

#include "binding/es_client.h"
#include "binding/es_server.h"
#include "binding/pki_node.h"
#include "crypto/x509.h"
#include "integration/peer_process.h"
#include "integration/pki_dir.h"

namespace m2mrsp {
namespace {

using binding::CallInfo;
using testing::PeerProcess;
using testing::PkiDir;

constexpr auto kStartTimeout = std::chrono::seconds(60);  // ASan start-up on a busy machine
constexpr auto kWaitTimeout = std::chrono::seconds(60);

const char* const kPeer = M2MRSP_TOOLS_DIR "/es_peer";
Eid SampleEid() { return *Eid::Parse("89049032123451234512345678901235"); }  // pki init's
Iccid Profile(int n) {  // the two profiles es_peer puts on its eUICC
  return *Iccid::FromPayload(n == 1 ? "893301000000000001" : "893301000000000002");
}

template <typename T>
T Must(Result<T> r) {
  // A broken step makes the rest meaningless: fail the test (gtest reports the exception) and
  // let the RAII guards stop the child while unwinding.
  if (!r.ok()) throw std::runtime_error(r.status().ToString());
  return std::move(*r);
}

std::string Codes(const es::FunctionExecutionStatus& s) {
  return s.status_code_data
             ? s.status_code_data->subject.value + "/" + s.status_code_data->reason.value
             : "none";
}

class EsTwoProcessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ::signal(SIGPIPE, SIG_IGN);  // writing to a child that already left must not kill us
    pki_ = Must(PkiDir::Create()).release();
    other_ = Must(PkiDir::Create()).release();  // another deployment: another CI
  }
  static void TearDownTestSuite() {
    delete pki_;
    delete other_;
  }

  // The SM-DP: callback/notification endpoint and client sharing one pending-call table.
  void SetUp() override {
    smdp_ = Must(binding::LoadPkiNode(pki_->path(), "smdp"));
    smsr_oid_ = Must(binding::LoadPkiNode(pki_->path(), "SM-SR")).self.oid;
    pending_ = binding::PendingCalls::Create();
    binding::EsServerOptions o;
    o.self = smdp_.self;
    o.public_host = "localhost";
    o.http.tls = smdp_.server_tls;
    o.delivery.tls = smdp_.client_tls;
    o.pending = pending_;
    server_ = std::make_unique<binding::EsServer>(std::move(o));
    server_->HandleNotification<es::Es3HandleProfileEnabledNotification>(
        [this](const binding::CallContext& ctx, const es::Es3HandleProfileEnabledNotification& n) {
          {
            std::lock_guard lock(mu_);
            notifications_.push_back({ctx.requester.oid, n});
          }
          cv_.notify_all();
          return Status::Ok();
        },
        {"SM-SR"});
    ASSERT_TRUE(server_->Start().ok());
    client_ = std::make_unique<binding::EsClient>(ClientOptions(smdp_.client_tls));
  }

  void TearDown() override {
    peer_.reset();  // SIGTERM, wait, SIGKILL as a last resort
    client_.reset();
    if (server_) server_->Shutdown();
    if (pending_)
      pending_->Shutdown();  // a call still waiting completes now, while the fixture exists
  }

  binding::EsClientOptions ClientOptions(std::shared_ptr<const net::ClientTls> tls) {
    binding::EsClientOptions o;
    o.self = binding::LocalEntity{smdp_.self, server_->url()};
    o.tls = std::move(tls);
    o.pending = pending_;
    return o;
  }

  // Starts es_peer as the SM-SR, notifying our endpoint; returns its Target.
  binding::Target StartPeer() {
    const std::string notify = Must(binding::LocalEntity{smdp_.self, server_->url()}.Address());
    peer_ = Must(PeerProcess::Start(kPeer, {pki_->path().string(), "smsr", notify}));
    const std::string line = Must(peer_->ReadLine(kStartTimeout));
    EXPECT_TRUE(line.starts_with("port=")) << line;
    const int port = std::stoi(line.substr(5));
    EXPECT_GT(port, 0);
    return binding::Target{"https://localhost:" + std::to_string(port) + "/", smsr_oid_};
  }

  // Waits until `count` notifications arrived.
  bool WaitForNotifications(size_t count) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kWaitTimeout, [&] { return notifications_.size() >= count; });
  }

  template <typename Resp, typename Req>
  Result<Resp> CallAsyncAndWait(const Req& request, CallInfo* info) {
    auto got = std::make_shared<std::optional<Result<Resp>>>();
    Status s = client_->CallAsync(
        target_, request,
        [this, got](Result<Resp> r) {
          {
            std::lock_guard lock(mu_);
            *got = std::move(r);
          }
          cv_.notify_all();
        },
        info);
    if (!s.ok()) return s;
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, kWaitTimeout, [&] { return got->has_value(); })) {
      return Status::Error(ErrorKind::kTimeout, "no callback");
    }
    return std::move(**got);
  }

  // An EsClient claiming to be the SM-DP, with another TLS client configuration.
  Result<es::Es3GetEisResponse> GetEisWith(std::shared_ptr<const net::ClientTls> tls,
                                           CallInfo* info) {
    binding::EsClient other(ClientOptions(std::move(tls)));
    es::Es3GetEisRequest r;
    r.eid = SampleEid();
    return other.Call(target_, r, info);
  }

  // A client TLS context trusting our CI (so that the server is verified) with `cert`/`key`.
  std::shared_ptr<const net::ClientTls> ClientTls(std::string cert, std::string key) {
    net::MutualTlsClientConfig c;
    c.certificate_chain_pem = std::move(cert);
    c.private_key_pem = SecretBytes(AsBytes(key));
    c.trust_store_pem = pki_->Read("ci/ci.pem");
    c.directory = smdp_.directory;
    return Must(net::MakeMutualTlsClient(c));
  }

  static PkiDir* pki_;
  static PkiDir* other_;
  binding::PkiNode smdp_;
  std::string smsr_oid_;
  std::shared_ptr<binding::PendingCalls> pending_;
  std::unique_ptr<binding::EsServer> server_;
  std::unique_ptr<binding::EsClient> client_;
  std::unique_ptr<PeerProcess> peer_;
  binding::Target target_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::pair<std::string, es::Es3HandleProfileEnabledNotification>> notifications_;
};

PkiDir* EsTwoProcessTest::pki_ = nullptr;
PkiDir* EsTwoProcessTest::other_ = nullptr;

TEST_F(EsTwoProcessTest, SyncAsyncAndNotificationsBetweenProcesses) {
  target_ = StartPeer();

  // The peer notifies us at start, authenticated by its TLS client certificate.
  ASSERT_TRUE(WaitForNotifications(1));
  {
    std::lock_guard lock(mu_);
    EXPECT_EQ(notifications_[0].first, smsr_oid_);
    EXPECT_EQ(notifications_[0].second.eid, SampleEid());
    EXPECT_EQ(notifications_[0].second.iccid, Profile(1));
  }

  // Synchronous: the EIS, and FAILED 8.1.1/3.9 for an EID the SM-SR does not know.
  es::Es3GetEisRequest get;
  get.eid = SampleEid();
  CallInfo info;
  auto eis = client_->Call(target_, get, &info);
  ASSERT_TRUE(eis.ok()) << eis.status().ToString();
  EXPECT_EQ(info.http_status, 200);
  EXPECT_EQ(eis->function_execution_status.status, es::ExecutionStatus::kExecutedSuccess);
  ASSERT_TRUE(eis->eis.has_value());
  EXPECT_EQ(eis->eis->eum_signed_info.eid, SampleEid());
  EXPECT_EQ(eis->eis->smsr_id.value, smsr_oid_);
  ASSERT_EQ(eis->eis->profile_info.size(), 2u);
  EXPECT_EQ(eis->eis->profile_info[1].state, es::ProfileState::kDisabled);
  get.eid = *Eid::FromPrefix("890490321234512345123456789099");  // well-formed, unknown
  auto unknown = client_->Call(target_, get);
  ASSERT_TRUE(unknown.ok()) << unknown.status().ToString();
  EXPECT_EQ(unknown->function_execution_status.status, es::ExecutionStatus::kFailed);
  EXPECT_EQ(Codes(unknown->function_execution_status), "8.1.1/3.9");

  // Asynchronous: 202 now, the response later on our endpoint over mTLS, matched by RelatesTo.
  es::Es3EnableProfileRequest enable;
  enable.function_call_identifier = "enable-2";
  enable.validity_period = 120;
  enable.eid = SampleEid();
  enable.iccid = Profile(2);
  CallInfo async_info;
  auto enabled = CallAsyncAndWait<es::Es3EnableProfileResponse>(enable, &async_info);
  ASSERT_TRUE(enabled.ok()) << enabled.status().ToString();
  EXPECT_EQ(async_info.http_status, 202);
  EXPECT_EQ(enabled->function_execution_status.status, es::ExecutionStatus::kExecutedSuccess);
  EXPECT_EQ(pending_->size(), 0u);
  enable.iccid = *Iccid::FromPayload("893301000000000009");
  auto refused = CallAsyncAndWait<es::Es3EnableProfileResponse>(enable, nullptr);
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  EXPECT_EQ(Codes(refused->function_execution_status), "8.2.1/3.9");

  // The peer's state changed: asked on stdin, it notifies the profile now Enabled.
  ASSERT_TRUE(peer_->WriteStdin("notify\n").ok());
  ASSERT_TRUE(WaitForNotifications(2));
  {
    std::lock_guard lock(mu_);
    EXPECT_EQ(notifications_[1].second.iccid, Profile(2));
  }
  get.eid = SampleEid();
  eis = client_->Call(target_, get);
  ASSERT_TRUE(eis.ok() && eis->eis.has_value());
  EXPECT_EQ(eis->eis->profile_info[1].state, es::ProfileState::kEnabled);
  EXPECT_EQ(eis->eis->profile_info[0].state, es::ProfileState::kDisabled);

  // SIGTERM: a graceful stop with status 0 (ASan/LSan findings would change it).
  const int status = Must(peer_->Stop());
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_F(EsTwoProcessTest, TheOtherProcessRefusesWhoeverIsNotTheSmdp) {
  target_ = StartPeer();
  ASSERT_TRUE(WaitForNotifications(1));  // the peer is serving

  // A self-signed certificate carrying the SM-DP's OID: the TLS handshake fails.
  auto key = Must(crypto::EcPrivateKey::Generate(crypto::Curve::kNistP256));
  crypto::X509Request r;
  r.subject = {"smdp", "self-signed impostor", ""};
  r.not_before = std::chrono::system_clock::now() - std::chrono::hours(1);
  r.not_after = std::chrono::system_clock::now() + std::chrono::hours(24);
  r.key_usage = crypto::kKuDigitalSignature;
  r.client_auth = true;
  r.entity_oid = smdp_.self.oid;
  auto self_signed = Must(crypto::X509Certificate::Create(r, key.PublicKey(), key, nullptr));
  CallInfo info;
  auto res = GetEisWith(ClientTls(Must(self_signed.ToPem()), Must(key.ExportPem())), &info);
  EXPECT_EQ(res.status().kind(), ErrorKind::kSecurity);  // the peer's TLS alert
  EXPECT_EQ(info.http_status, 0) << "self-signed: " << res.status().ToString();

  // The SM-DP certificate of another deployment (another CI): the handshake fails.
  info = {};
  res = GetEisWith(
      ClientTls(other_->Read("smdp/tls-client.pem"), other_->Read("smdp/tls-client.key.pem")),
      &info);
  EXPECT_EQ(res.status().kind(), ErrorKind::kSecurity);  // the peer's TLS alert
  EXPECT_EQ(info.http_status, 0) << "other CI: " << res.status().ToString();

  // No client certificate at all: the handshake fails.
  info = {};
  res = GetEisWith(ClientTls("", ""), &info);
  EXPECT_EQ(res.status().kind(), ErrorKind::kSecurity);  // the peer's TLS alert
  EXPECT_EQ(info.http_status, 0) << "no certificate: " << res.status().ToString();

  // MNO A's valid certificate while wsa:From claims the SM-DP: Sender fault 1.1/1.1.
  info = {};
  res = GetEisWith(
      ClientTls(pki_->Read("mno-a/tls-client.pem"), pki_->Read("mno-a/tls-client.key.pem")), &info);
  EXPECT_FALSE(res.ok());
  EXPECT_EQ(info.http_status, 400) << res.status().ToString();
  ASSERT_TRUE(info.fault.has_value());
  EXPECT_EQ(info.fault->code, soap::FaultCode::kSender);
  ASSERT_TRUE(info.fault->status_code.has_value());
  EXPECT_EQ(info.fault->status_code->subject(), "1.1");
  EXPECT_EQ(info.fault->status_code->reason(), "1.1");

  // MNO A as itself: authenticated, but ES3 is for SM-DPs (1.1/1.2).
  auto mno = Must(binding::LoadPkiNode(pki_->path(), "mno-a"));
  binding::EsClientOptions o = ClientOptions(mno.client_tls);
  o.self.entity = mno.self;
  binding::EsClient as_mno(std::move(o));
  es::Es3GetEisRequest get;
  get.eid = SampleEid();
  info = {};
  res = as_mno.Call(target_, get, &info);
  EXPECT_EQ(info.http_status, 400);
  ASSERT_TRUE(info.fault && info.fault->status_code);
  EXPECT_EQ(info.fault->status_code->reason(), "1.2");

  // The peer survived all of it and still serves the real SM-DP.
  auto ok = client_->Call(target_, get);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->function_execution_status.status, es::ExecutionStatus::kExecutedSuccess);
}

TEST_F(EsTwoProcessTest, PeerExitsCleanlyAtTheEndOfItsStdin) {
  target_ = StartPeer();
  peer_->CloseStdin();
  const int status = Must(peer_->Wait(kWaitTimeout));
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_F(EsTwoProcessTest, PeerRefusesBadArgumentsWithExitStatus2) {
  const std::vector<std::vector<std::string>> bad = {
      {},
      {pki_->path().string()},
      {pki_->path().string(), "nobody"},
      {pki_->path().string(), "MNO"},  // two entities have this role
      {(pki_->path() / "missing").string(), "smsr"},
      {pki_->path().string(), "smsr", "https://localhost:1/"},  // no EntityId
      {pki_->path().string(), "smsr", "http://localhost:1/?EntityId=1.2.3"},
  };
  for (const auto& args : bad) {
    SCOPED_TRACE(::testing::PrintToString(args));
    auto p = Must(PeerProcess::Start(kPeer, args, /*capture_stderr=*/true));
    const std::string err = Must(p->ReadStderr(kWaitTimeout));
    const int status = Must(p->Wait(kWaitTimeout));
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 2);
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
    EXPECT_TRUE(err.starts_with("es_peer: ")) << err;
  }
}

}  // namespace
}  // namespace m2mrsp
