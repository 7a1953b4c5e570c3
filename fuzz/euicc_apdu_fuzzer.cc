// fuzz-libs: euicc
// Fuzzes the eUICC simulator: a freshly manufactured card (fixed keys, a pre-installed fall-back
// profile) receives an arbitrary sequence of operations — C-APDUs to the ISD-R, the ECASD or an
// ISD-P, SCP03t TLVs, device APDUs, attach results, ticks, notification bookkeeping — and must
// never crash; after the run its image must restore and re-serialise identically. The input may
// also be taken as a card image for Restore().
//
// To reach authenticated SCP03t (profile download) and SCP03 traffic, op 7 also runs a valid
// key establishment (ES8.EstablishISDPKeySet) with a built-in SM-DP: its key and CERT.DP.ECDSA
// are derived once per process from fixed scalars (the fuzzer's CI key is a fixed scalar too),
// then opens SCP03t sessions and sends the record's bytes as protected segments or as SCP03
// C-MAC'd commands.
//
// Input: a sequence of records `op(1) len(1) bytes(len)`; op selects the action (see the switch).
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>

#include "base/clock.h"
#include "base/random.h"
#include "crypto/ec.h"
#include "euicc/euicc.h"
#include "euicc/profile.h"
#include "gp/aids.h"
#include "gp/apdu.h"
#include "gp/install.h"
#include "pki/gp_certificate.h"
#include "scp/key_establishment.h"
#include "scp/scp03.h"
#include "scp/scp03t.h"

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

const crypto::EcPrivateKey& CiKey() {
  static const crypto::EcPrivateKey key =
      crypto::EcPrivateKey::FromScalar(crypto::Curve::kNistP256, Bytes(32, 0x22)).value();
  return key;
}
const crypto::EcPrivateKey& EcasdKey() {
  static const crypto::EcPrivateKey key =
      crypto::EcPrivateKey::FromScalar(crypto::Curve::kNistP256, Bytes(32, 0x11)).value();
  return key;
}
const crypto::EcPrivateKey& DpKey() {
  static const crypto::EcPrivateKey key =
      crypto::EcPrivateKey::FromScalar(crypto::Curve::kNistP256, Bytes(32, 0x33)).value();
  return key;
}
// CERT.DP.ECDSA signed by the CI (deterministic: built once).
const Bytes& DpCertificate() {
  static const Bytes cert = [] {
    pki::GpCertificateFields f;
    f.serial = {0x03};
    f.ca_id = {0x0E};
    f.subject_id = HexOrDie("4450");
    f.usage = pki::GpKeyUsage::kVerification;
    f.expiration = std::chrono::year_month_day(std::chrono::year(2040), std::chrono::month(1),
                                               std::chrono::day(1));
    f.entity_type = pki::kEntitySmDp;
    f.public_key = DpKey().PublicKey();
    return pki::GpCertificate::Sign(f, CiKey()).value().encoded();
  }();
  return cert;
}

uint16_t SwOf(const Bytes& r) {
  return r.size() < 2 ? 0 : static_cast<uint16_t>((r[r.size() - 2] << 8) | r.back());
}

// The SM-DP side of the run: keys of one ISD-P and the open SCP03t / SCP03 host sessions.
struct SmDp {
  std::optional<Aid> isdp;
  std::optional<scp::Scp03Keys> keys;
  std::unique_ptr<scp::Scp03tHost> scp03t;
  std::unique_ptr<scp::Scp03Host> scp03;

  // CreateISDP (may already exist), INSTALL [for personalization], STORE DATA 3A01 / 3A02.
  void Establish(Euicc& card, Random& random, const Aid& target) {
    scp03t.reset();
    scp03.reset();
    auto send = [&](const gp::CommandApdu& c) {
      auto wire = gp::EncodeCommand(c);
      return wire.ok() ? card.ProcessApdu(target, *wire) : Bytes{};
    };
    if (auto install = gp::BuildInstallForInstall(gp::CreateIsdpInstall(target, std::nullopt));
        install.ok()) {
      auto wire = gp::EncodeCommand(*install);
      if (wire.ok()) (void)card.ProcessApdu(gp::IsdRAid(), *wire);
    }
    if (SwOf(send(gp::BuildInstallForPersonalization(target))) != 0x9000) return;
    scp::KeyEstablishmentHost host(DpKey(), EcasdKey().PublicKey(), scp::KeyAgreementCrt{}, random);
    auto d1 = scp::KeyEstablishmentHost::CertificateData(DpCertificate());
    if (!d1.ok()) return;
    const Bytes r1 = send(gp::MakeCommand(0x80, 0xE2, 0x09, 0x00, *d1, 256));
    if (SwOf(r1) != 0x9000 || !host.AcceptChallenge(ByteView(r1.data(), r1.size() - 2)).ok())
      return;
    auto d2 = host.KeyParametersData();
    if (!d2.ok()) return;
    const Bytes r2 = send(gp::MakeCommand(0x80, 0xE2, 0x89, 0x01, *d2, 256));
    if (SwOf(r2) != 0x9000) return;
    auto k = host.Finish(ByteView(r2.data(), r2.size() - 2));
    if (!k.ok() || k->keys.size() != 3) return;
    keys =
        scp::Scp03Keys{k->kvn, std::move(k->keys[0]), std::move(k->keys[1]), std::move(k->keys[2])};
    isdp = target;
  }

  // A new SCP03t session (84, 85) on the keyed ISD-P.
  void OpenScp03t(Euicc& card, Random& random) {
    scp03t.reset();
    if (!keys) return;
    auto host = std::make_unique<scp::Scp03tHost>(keys->Clone(), random);
    auto iu = host->InitializeUpdate();
    if (!iu.ok() || !host->CheckInitializeUpdateResponse(card.ProcessScp03t(*isdp, *iu)).ok())
      return;
    auto ea = host->ExternalAuthenticate();
    if (!ea.ok() || !host->CheckExternalAuthenticateResponse(card.ProcessScp03t(*isdp, *ea)).ok())
      return;
    scp03t = std::move(host);
  }

  // The record's bytes as one protected SCP03t segment (plaintext = profile package bytes).
  void Segment(Euicc& card, ByteView plain) {
    if (!scp03t) return;
    auto seg = scp03t->ProtectSegment(plain);
    if (!seg.ok()) return;
    if (!scp03t->CheckDataResponse(card.ProcessScp03t(*isdp, *seg)).ok()) scp03t.reset();
  }

  // The record's bytes as a plain APDU wrapped in an SCP03 session (opened on demand).
  void Scp03Command(Euicc& card, Random& random, ByteView plain) {
    if (!keys) return;
    if (!scp03) {
      auto host = std::make_unique<scp::Scp03Host>(keys->Clone(), random);
      auto iu = host->InitializeUpdate();
      if (!iu.ok()) return;
      const Bytes r1 = card.ProcessApdu(*isdp, *iu);
      if (r1.size() < 2 ||
          !host->CheckInitializeUpdateResponse(ByteView(r1.data(), r1.size() - 2), SwOf(r1)).ok())
        return;
      auto ea = host->ExternalAuthenticate(0x03);  // C-MAC, C-DECRYPTION
      if (!ea.ok() ||
          !host->CheckExternalAuthenticateResponse(SwOf(card.ProcessApdu(*isdp, *ea))).ok())
        return;
      scp03 = std::move(host);
    }
    auto wrapped = scp03->Wrap(plain);
    if (!wrapped.ok()) return;
    const Bytes r = card.ProcessApdu(*isdp, *wrapped);
    if (!scp03->Unwrap(ByteView(r.data(), r.size() - std::min<size_t>(r.size(), 2)), SwOf(r)).ok())
      scp03.reset();
  }
};

ManufacturingConfig Config() {
  ManufacturingConfig c;
  c.eid = "89049032123451234512345678901235";
  c.ecasd_private_scalar = EcasdKey().ExportScalar().value();
  static const Bytes ci_point = CiKey().PublicKey().ToUncompressed();
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
  pre.profile.iccid = "89000123456789012341";
  pre.profile.content = ProfileContent(Iccid::Parse(pre.profile.iccid).value()).Serialize();
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
  SmDp dp;
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
      default:  // 7: the SM-DP, sub-operation in bits 3-4, ISD-P TAR 10..13 in bits 5-6
        switch ((op >> 3) & 3) {
          case 0:
            dp.Establish(card, random, gp::IsdPAidForTar(Tar::FromValue(0x10 + ((op >> 5) & 3))));
            break;
          case 1:
            dp.OpenScp03t(card, random);
            break;
          case 2:
            dp.Segment(card, arg);
            break;
          default:
            dp.Scp03Command(card, random, arg);
            break;
        }
        break;
    }
  }
  const Bytes image = card.Serialize();
  auto restored = Euicc::Restore(image, clock, random);
  Check(restored.ok());
  Check(restored->Serialize() == image);
  return 0;
}
