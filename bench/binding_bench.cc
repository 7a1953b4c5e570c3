// The ES binding on loopback, in one process but over real sockets: an SM-DP client calling an
// SM-SR endpoint with mutual TLS and SOAP 1.2/WS-Addressing, identities from a generated
// `pki init` directory. Measures a synchronous ES3.GetEIS round trip (the response carries a
// complete EIS, every optional element filled) on a kept-alive pooled connection, and one
// asynchronous ES3.EnableProfile (202, then the callback to the SM-DP's own endpoint).
#include <benchmark/benchmark.h>

#include <condition_variable>
#include <mutex>

#include "binding/es_client.h"
#include "binding/es_server.h"
#include "binding/pki_node.h"
#include "integration/pki_dir.h"
#include "unit/es/filler.h"

namespace m2mrsp {
namespace {

struct Loopback {
  std::unique_ptr<testing::PkiDir> pki = testing::PkiDir::Create().value();
  binding::PkiNode smsr = binding::LoadPkiNode(pki->path(), "smsr").value();
  binding::PkiNode smdp = binding::LoadPkiNode(pki->path(), "smdp").value();
  std::shared_ptr<binding::PendingCalls> pending = binding::PendingCalls::Create();
  std::unique_ptr<binding::EsServer> smsr_server, smdp_server;
  std::unique_ptr<binding::EsClient> client;
  binding::Target target;

  Loopback() {
    binding::EsServerOptions o;
    o.self = smsr.self;
    o.public_host = "localhost";
    o.http.tls = smsr.server_tls;
    o.delivery.tls = smsr.client_tls;
    smsr_server = std::make_unique<binding::EsServer>(std::move(o));
    es::Es3GetEisResponse eis;
    es::testing::Filler(es::testing::Filler::kFull).FillMessage(eis);
    smsr_server->Handle<es::Es3GetEisRequest>(
        [eis](const binding::CallContext&,
              const es::Es3GetEisRequest&) -> Result<es::Es3GetEisResponse> { return eis; },
        {"SM-DP"});
    smsr_server->Handle<es::Es3EnableProfileRequest>(
        [](const binding::CallContext&, const es::Es3EnableProfileRequest&)
            -> Result<es::Es3EnableProfileResponse> { return es::Es3EnableProfileResponse{}; },
        {"SM-DP"});
    if (!smsr_server->Start().ok()) throw std::runtime_error("SM-SR endpoint");

    binding::EsServerOptions d;
    d.self = smdp.self;
    d.public_host = "localhost";
    d.http.tls = smdp.server_tls;
    d.delivery.tls = smdp.client_tls;
    d.pending = pending;
    smdp_server = std::make_unique<binding::EsServer>(std::move(d));
    if (!smdp_server->Start().ok()) throw std::runtime_error("SM-DP endpoint");

    binding::EsClientOptions c;
    c.self = binding::LocalEntity{smdp.self, smdp_server->url()};
    c.tls = smdp.client_tls;
    c.pending = pending;
    client = std::make_unique<binding::EsClient>(std::move(c));
    target = binding::Target{smsr_server->url(), smsr.self.oid};
  }
  ~Loopback() {
    client.reset();
    smdp_server->Shutdown();
    smsr_server->Shutdown();
    pending->Shutdown();
  }
};

void BM_Es3GetEisSync(benchmark::State& state) {
  Loopback net;
  es::Es3GetEisRequest r;
  r.eid = es::testing::SampleEid();
  for (auto _ : state) {
    auto eis = net.client->Call(net.target, r);
    if (!eis.ok()) return state.SkipWithError(eis.status().ToString().c_str());
    benchmark::DoNotOptimize(eis);
  }
}
BENCHMARK(BM_Es3GetEisSync)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_Es3EnableProfileAsync(benchmark::State& state) {
  Loopback net;
  es::Es3EnableProfileRequest r;
  r.eid = es::testing::SampleEid();
  r.iccid = es::testing::SampleIccid();
  r.validity_period = 60;
  std::mutex mu;
  std::condition_variable cv;
  for (auto _ : state) {
    bool done = false, ok = false;
    Status s = net.client->CallAsync(net.target, r, [&](Result<es::Es3EnableProfileResponse> resp) {
      std::lock_guard lock(mu);
      done = true;
      ok = resp.ok();
      cv.notify_all();
    });
    if (!s.ok()) return state.SkipWithError(s.ToString().c_str());
    std::unique_lock lock(mu);
    if (!cv.wait_for(lock, std::chrono::seconds(30), [&] { return done; }) || !ok) {
      return state.SkipWithError("no callback");
    }
  }
}
BENCHMARK(BM_Es3EnableProfileAsync)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace m2mrsp
