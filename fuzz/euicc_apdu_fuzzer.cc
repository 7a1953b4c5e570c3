// fuzz-libs: euicc
// Fuzzes the eUICC simulator: a freshly manufactured card (fixed keys, a pre-installed fall-back
// profile) receives an arbitrary sequence of operations — C-APDUs to the ISD-R, the ECASD or an
// ISD-P, SCP03t TLVs, device APDUs, attach results, ticks, notification bookkeeping — and must
// never crash; after the run its image must restore and re-serialise identically. The input may
// also be taken as a card image for Restore().
//
// Input: a sequence of records `op(1) len(1) bytes(len)`; op selects the action (see Run).
#include <cstdint>
#include <cstdlib>

#include "base/clock.h"
#include "base/random.h"
#include "crypto/ec.h"
#include "euicc/euicc.h"
#include "gp/aids.h"

using namespace m2mrsp;
using namespace m2mrsp::euicc;

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

// A deterministic Random (the fuzzer must be reproducible): a counter-based byte stream.
class CountingRandom final : public Random {
 public:
  Status Fill(std::span<uint8_t> out) override {
    for (auto& b : out) b = static_cast<uint8_t>(++n_ * 0x9D);
    return Status::Ok();
  }

 private:
  uint32_t n_ = 0;
};

ManufacturingConfig Config() {
  ManufacturingConfig c;
  c.eid = "89049032123451234512345678901235";
  Bytes scalar(32, 0x11);
  c.ecasd_private_scalar = SecretBytes(scalar);
  static const Bytes ci_point =
      crypto::EcPrivateKey::FromScalar(crypto::Curve::kNistP256, Bytes(32, 0x22))
          .value()
          .PublicKey()
          .ToUncompressed();
  c.ci_public_point = ci_point;
  c.ecasd_certificate = HexOrDie("7F2103930101");
  Scp80KeySetConfig k;
  k.kvn = 1;
  k.kic = SecretBytes(Bytes(16, 1));
  k.kid = SecretBytes(Bytes(16, 2));
  c.scp80_key_sets.push_back(std::move(k));
  c.total_memory = 64 * 1024;
  PreinstalledProfile pre;
  pre.profile.pol1 = 0x04;
  pre.profile.footprint = 4000;
  c.preinstalled = std::move(pre);
  return c;
}

Aid Target(uint8_t selector) {
  switch (selector % 4) {
    case 0:
      return gp::IsdRAid();
    case 1:
      return gp::EcasdAid();
    default:
      return gp::IsdPAidForTar(Tar::FromValue(0x10 + (selector >> 2) % 4));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FakeClock clock;
  CountingRandom random;
  ByteView in(data, size);
  // Arbitrary bytes as a card image: an error, or a card whose canonical image is stable.
  if (auto r = Euicc::Restore(in, clock, random); r.ok()) {
    const Bytes canonical = r->Serialize();
    auto again = Euicc::Restore(canonical, clock, random);
    Check(again.ok() && again->Serialize() == canonical);
  }

  auto made = Euicc::Manufacture(Config(), clock, random);
  Check(made.ok());
  Euicc card = std::move(*made);
  int64_t now = 0;
  size_t pos = 0;
  while (pos + 2 <= size) {
    const uint8_t op = data[pos], len = data[pos + 1];
    pos += 2;
    const size_t n = std::min<size_t>(len, size - pos);
    const ByteView arg(data + pos, n);
    pos += n;
    switch (op % 8) {
      case 0:
      case 1:
        card.ProcessApdu(Target(op >> 3), arg);
        break;
      case 2:
        card.ProcessScp03t(Target(op >> 3), arg);
        break;
      case 3:
        card.Transmit(arg);
        break;
      case 4:
        card.RefreshDone();
        card.OnAttachResult((op & 0x80) != 0, now);
        break;
      case 5:
        now += (op >> 3) * 60;
        card.Tick(now);
        break;
      case 6:
        for (const auto& notification : card.DueNotifications(now))
          card.NotificationSent(notification.sequence_number, now);
        break;
      default:
        (void)card.ApplicationForTar(Tar::FromValue(op));
        break;
    }
  }
  const Bytes image = card.Serialize();
  auto restored = Euicc::Restore(image, clock, random);
  Check(restored.ok());
  Check(restored->Serialize() == image);
  return 0;
}
