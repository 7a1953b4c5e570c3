// fuzz-libs: euicc
// Fuzzes the eUICC OTA front ends over a fake card: arbitrary SMS-DELIVER TPDUs into the SMS-PP
// data-download front end, arbitrary secured data into the remote-script runner (what an
// authenticated packet could carry), and arbitrary triggers and HTTP responses into the SCP81
// admin agent. Beyond "no crash, no sanitizer report": answers stay within their limits and the
// agent never hands out a request after its session ended.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "base/clock.h"
#include "euicc/admin_agent.h"
#include "euicc/sms_pp.h"
#include "gp/aids.h"

using namespace m2mrsp;
using namespace m2mrsp::euicc;

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

class Keys final : public scp::Scp80CardKeys {
 public:
  Keys() {
    set_.kic = SecretBytes(Bytes(16, 0x11));
    set_.kid = SecretBytes(Bytes(16, 0x22));
  }
  std::optional<scp::MinimumSecurity> FindTar(const Tar&) const override {
    return scp::MinimumSecurity{true, false, false};
  }
  const scp::Scp80KeySet* FindKeySet(const Tar&, uint8_t key_set) const override {
    return key_set == 1 ? &set_ : nullptr;
  }

 private:
  scp::Scp80KeySet set_;
};

class Card final : public OtaCard {
 public:
  std::optional<Aid> ApplicationForTar(const Tar& tar) const override {
    if (tar.value() == 1) return gp::IsdRAid();
    if (tar.value() == 0x10) return gp::IsdPAidForTar(tar);
    return std::nullopt;
  }
  const scp::Scp80CardKeys& Scp80Keys() const override { return keys_; }
  scp::Scp80CounterStore& Scp80Counters() override { return counters_; }
  std::optional<SecretBytes> Scp81Psk(ByteView) const override {
    return SecretBytes(Bytes(16, 0x33));
  }
  Bytes ProcessApdu(const Aid&, ByteView apdu) override {
    return apdu.size() > 2 && apdu[1] == 0xA4 ? Bytes{0x6A, 0x82} : Bytes{0x90, 0x00};
  }
  Bytes ProcessScp03t(const Aid&, ByteView tlvs) override {
    return tlvs.size() > 3 ? Bytes{0x86, 0x00} : Bytes{0x9F, 0x46, 0x01, 0x01};
  }
  std::vector<OutgoingNotification> DueNotifications(int64_t) override { return {}; }
  void NotificationSent(uint16_t, int64_t) override {}
  SmsrAddress SmsrAddressing() const override { return {"123", ""}; }

 private:
  Keys keys_;
  scp::InMemoryCounterStore counters_;
};

// Cuts the input into length-prefixed chunks.
std::vector<ByteView> Chunks(ByteView in) {
  std::vector<ByteView> out;
  size_t i = 0;
  while (i < in.size() && out.size() < 16) {
    const size_t n = std::min<size_t>(in[i], in.size() - i - 1);
    out.push_back(in.subspan(i + 1, n));
    i += 1 + n;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const ByteView input(data + 1, size - 1);
  FakeClock clock;
  Card card;
  switch (data[0] % 3) {
    case 0: {
      SmsPpFrontEnd fe(card, clock);
      for (ByteView tpdu : Chunks(input)) {
        auto out = fe.OnSmsDeliver(tpdu);
        if (out.ok() && out->kind != SmsPpOutcome::Kind::kProcessed) {
          Check(out->envelope_response.empty() && out->submit_tpdus.empty());
        }
        clock.Advance(std::chrono::seconds(7));
      }
      break;
    }
    case 1: {
      ScriptRunLimits limits;
      limits.max_response = 4096;
      for (bool isdp : {false, true}) {
        const Aid target = isdp ? gp::IsdPAidForTar(Tar::FromValue(0x10)) : gp::IsdRAid();
        auto run = RunSecuredData(card, target, isdp, input, limits);
        if (run.ok()) Check(run->response.size() <= limits.max_response + 16);
      }
      break;
    }
    default: {
      AdminAgentOptions options;
      options.defaults.host = "smsr.example";
      AdminAgent agent(card, clock, *Eid::Parse("89001012012341234012345678901224"), gp::IsdRAid(),
                       options);
      const std::vector<ByteView> chunks = Chunks(input);
      if (chunks.empty() || !agent.Start(chunks[0]).ok()) break;
      for (size_t i = 1; i < chunks.size(); ++i) {
        auto request = agent.NextRequest();
        if (!request) {
          Check(agent.state() != AdminSessionState::kReady);
          clock.Advance(std::chrono::seconds(61));
          continue;
        }
        ByteView c = chunks[i];
        HttpResponse r;
        r.status = c.empty() ? 204 : 100 + c[0] * 2;
        static const char* kNames[] = {"X-Admin-Protocol", "Content-Type", "X-Admin-Next-URI",
                                       "X-Admin-Targeted-Application", "content-type"};
        static const char* kValues[] = {
            "globalplatform-remote-admin/1.0",
            "application/vnd.globalplatform.card-content-mgt;version=1.0", "/next",
            "//aid/A000000559/1010FFFFFFFF8900001000", "x"};
        size_t pos = 1;
        while (pos < c.size() && c[pos] < 0x20) {
          r.headers.emplace_back(kNames[c[pos] % 5], kValues[(c[pos] / 5) % 5]);
          ++pos;
        }
        r.body = Bytes(c.begin() + static_cast<std::ptrdiff_t>(std::min(pos, c.size())), c.end());
        if (c.size() == 1) {
          agent.OnTransportFailure("fuzz");
        } else {
          agent.OnResponse(r);
        }
        if (agent.state() == AdminSessionState::kCompleted ||
            agent.state() == AdminSessionState::kFailed) {
          Check(!agent.NextRequest().has_value());
        }
      }
      break;
    }
  }
  return 0;
}
