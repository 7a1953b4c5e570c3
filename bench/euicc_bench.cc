// The card simulator's costs, in process (no sockets): decoding and personalising a TS.48 profile
// package, one complete ES8 profile download onto a fresh ISD-P (CreateISDP, key establishment
// with ECDSA/ECDH, SCP03t of the whole package, installation), one USIM AUTHENTICATE, and the
// size of the card image after a download (what one simulated device keeps at rest).
// The TS.48 package comes from ../shared/testdata/ts48; without it those benchmarks report an
// error and are skipped.
#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "base/clock.h"
#include "crypto/ec.h"
#include "crypto/secure_random.h"
#include "euicc/euicc.h"
#include "gp/aids.h"
#include "gp/apdu.h"
#include "gp/install.h"
#include "milenage/milenage.h"
#include "pki/gp_certificate.h"
#include "saip/package.h"
#include "saip/personalise.h"
#include "scp/key_establishment.h"
#include "scp/scp03t.h"
#include "support/shared_data.h"

namespace m2mrsp {
namespace {

std::optional<Bytes> Ts48() { return testing::ReadTs48Package("ts48v7_SAIP2.3_BERTLV_SUCI"); }

saip::Personalisation Values() {
  saip::Personalisation p;
  p.iccid = *Iccid::Parse("8949449999999990031");
  p.imsi = "001010000012345";
  p.k = *SecretBytes::FromHex("465b5ce8b199b49faa5f0a2ee238a6bc");  // TS 35.208 set 1
  p.opc = *SecretBytes::FromHex("cd63cb71954a9f4e48a5994e37a02baf");
  p.algorithm_id = 1;
  return p;
}

std::chrono::year_month_day Y2040() {
  return {std::chrono::year(2040), std::chrono::month(1), std::chrono::day(1)};
}

// One CI, an ECASD key pair with its certificate, and an SM-DP key with CERT.DP.ECDSA.
struct Pki {
  crypto::EcPrivateKey ci = crypto::EcPrivateKey::Generate(crypto::Curve::kNistP256).value();
  crypto::EcPrivateKey ecasd = crypto::EcPrivateKey::Generate(crypto::Curve::kNistP256).value();
  crypto::EcPrivateKey dp = crypto::EcPrivateKey::Generate(crypto::Curve::kNistP256).value();
  Bytes ecasd_cert, dp_cert;
  Pki() {
    pki::GpCertificateFields f;
    f.serial = {0x01};
    f.ca_id = {0x0E};
    f.subject_id = HexOrDie("89049032123451234512345678901235");
    f.usage = pki::GpKeyUsage::kKeyAgreement;
    f.expiration = Y2040();
    f.public_key = ecasd.PublicKey();
    ecasd_cert = pki::GpCertificate::Sign(f, ci).value().encoded();
    f.serial = {0x02};
    f.subject_id = HexOrDie("4450");
    f.usage = pki::GpKeyUsage::kVerification;
    f.entity_type = pki::kEntitySmDp;
    f.public_key = dp.PublicKey();
    dp_cert = pki::GpCertificate::Sign(f, ci).value().encoded();
  }
};

euicc::ManufacturingConfig Config(const Pki& pki) {
  euicc::ManufacturingConfig c;
  c.eid = "89049032123451234512345678901235";
  c.ecasd_private_scalar = pki.ecasd.ExportScalar().value();
  c.ecasd_certificate = pki.ecasd_cert;
  c.ci_public_point = pki.ci.PublicKey().ToUncompressed();
  euicc::Scp80KeySetConfig k;
  k.kvn = 1;
  k.kic = SecretBytes(Bytes(16, 0x11));
  k.kid = SecretBytes(Bytes(16, 0x21));
  k.kik = SecretBytes(Bytes(16, 0x31));
  c.scp80_key_sets.push_back(std::move(k));
  c.smsr_address.msisdn = "447700900001";
  return c;
}

uint16_t Sw(const Bytes& r) { return static_cast<uint16_t>((r[r.size() - 2] << 8) | r.back()); }

// CreateISDP + key establishment + SCP03t download of `package` into ISD-P `tar`; false on any
// refusal.
bool Download(euicc::Euicc& card, const Pki& pki, Random& random, uint32_t tar,
              const Bytes& package) {
  const Aid isdp = gp::IsdPAidForTar(Tar::FromValue(tar));
  auto create = gp::BuildInstallForInstall(gp::CreateIsdpInstall(isdp, std::nullopt));
  if (!create.ok() ||
      Sw(card.ProcessApdu(gp::IsdRAid(), gp::EncodeCommand(*create).value())) != 0x9000) {
    return false;
  }
  auto send = [&](const gp::CommandApdu& c) {
    return card.ProcessApdu(isdp, gp::EncodeCommand(c).value());
  };
  if (Sw(send(gp::BuildInstallForPersonalization(isdp))) != 0x9000) return false;
  scp::KeyEstablishmentHost host(pki.dp, pki.ecasd.PublicKey(), scp::KeyAgreementCrt{}, random);
  const Bytes r1 =
      send(gp::MakeCommand(0x80, 0xE2, 0x09, 0x00,
                           scp::KeyEstablishmentHost::CertificateData(pki.dp_cert).value(), 256));
  if (Sw(r1) != 0x9000 || !host.AcceptChallenge(ByteView(r1.data(), r1.size() - 2)).ok()) {
    return false;
  }
  const Bytes r2 =
      send(gp::MakeCommand(0x80, 0xE2, 0x89, 0x01, host.KeyParametersData().value(), 256));
  if (Sw(r2) != 0x9000) return false;
  auto keys = host.Finish(ByteView(r2.data(), r2.size() - 2));
  if (!keys.ok()) return false;
  scp::Scp03tHost t(scp::Scp03Keys{keys->kvn, std::move(keys->keys[0]), std::move(keys->keys[1]),
                                   std::move(keys->keys[2])},
                    random);
  if (!t.CheckInitializeUpdateResponse(card.ProcessScp03t(isdp, t.InitializeUpdate().value()))
           .ok() ||
      !t.CheckExternalAuthenticateResponse(
            card.ProcessScp03t(isdp, t.ExternalAuthenticate().value()))
           .ok()) {
    return false;
  }
  auto segments = t.ProtectPackage(package);
  if (!segments.ok()) return false;
  for (const Bytes& s : *segments) {
    if (!t.CheckDataResponse(card.ProcessScp03t(isdp, s)).ok()) return false;
  }
  return card.LifeCycle(isdp) == 0x1F;
}

void BM_SaipDecode(benchmark::State& state) {
  auto der = Ts48();
  if (!der) return state.SkipWithError("../shared/testdata/ts48 is absent");
  for (auto _ : state) benchmark::DoNotOptimize(saip::Decode(*der));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * der->size()));
}
BENCHMARK(BM_SaipDecode);

void BM_SaipPersonalise(benchmark::State& state) {
  auto der = Ts48();
  if (!der) return state.SkipWithError("../shared/testdata/ts48 is absent");
  const auto templ = saip::Decode(*der).value();
  const auto values = Values();
  for (auto _ : state)
    benchmark::DoNotOptimize(saip::Encode(saip::Personalise(templ, values).value()));
}
BENCHMARK(BM_SaipPersonalise);

// One complete download per iteration onto a fresh card (manufacturing outside the timing).
void BM_CardProfileDownload(benchmark::State& state) {
  auto der = Ts48();
  if (!der) return state.SkipWithError("../shared/testdata/ts48 is absent");
  const Bytes package =
      saip::Encode(saip::Personalise(saip::Decode(*der).value(), Values()).value());
  const Pki pki;
  SystemClock clock;
  crypto::SecureRandom random;
  size_t image = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto card = euicc::Euicc::Manufacture(Config(pki), clock, random);
    state.ResumeTiming();
    if (!card.ok() || !Download(*card, pki, random, 0x20, package)) {
      return state.SkipWithError("download refused");
    }
    state.PauseTiming();
    image = card->Serialize().size();
    state.ResumeTiming();
  }
  state.counters["card_image_bytes"] = static_cast<double>(image);
  state.counters["package_bytes"] = static_cast<double>(package.size());
}
BENCHMARK(BM_CardProfileDownload)->Unit(benchmark::kMillisecond);

// AUTHENTICATE on the enabled (downloaded, MILENAGE) profile: the network computes a fresh
// vector with a higher SQN each time (f1 + f2345 outside the timing), the card verifies it.
void BM_UsimAuthenticate(benchmark::State& state) {
  auto der = Ts48();
  if (!der) return state.SkipWithError("../shared/testdata/ts48 is absent");
  const Bytes package =
      saip::Encode(saip::Personalise(saip::Decode(*der).value(), Values()).value());
  const Pki pki;
  SystemClock clock;
  crypto::SecureRandom random;
  auto card = euicc::Euicc::Manufacture(Config(pki), clock, random).value();
  if (!Download(card, pki, random, 0x20, package)) return state.SkipWithError("download refused");
  const Aid isdp = gp::IsdPAidForTar(Tar::FromValue(0x20));
  const Bytes enable =
      Concat({HexOrDie("80E28800153A03124F10"), Bytes(isdp.bytes().begin(), isdp.bytes().end())});
  if (Sw(card.ProcessApdu(gp::IsdRAid(), enable)) != 0x9000) return state.SkipWithError("enable");
  card.RefreshDone();
  card.OnAttachResult(true, 1);
  card.Transmit(HexOrDie("00A4040C07A0000000871002"));
  auto network = milenage::Milenage::Create(HexOrDie("465b5ce8b199b49faa5f0a2ee238a6bc"),
                                            HexOrDie("cd63cb71954a9f4e48a5994e37a02baf"))
                     .value();
  const Bytes rand = HexOrDie("23553cbe9637a89d218ae64dae47bf35"), amf = HexOrDie("8000");
  uint64_t seq = 1;
  for (auto _ : state) {
    state.PauseTiming();
    Bytes sqn(6);
    const uint64_t value = (seq++) << 5;  // SEQ ‖ IND(5 bits) = 0
    for (int i = 0; i < 6; ++i) sqn[5 - i] = static_cast<uint8_t>(value >> (8 * i));
    auto f1 = network.F1(rand, sqn, amf).value();
    auto f2345 = network.F2345(rand).value();
    Bytes apdu = HexOrDie("008800812210");
    Append(apdu, AsView(rand));
    apdu.push_back(0x10);
    for (size_t i = 0; i < 6; ++i) apdu.push_back(static_cast<uint8_t>(sqn[i] ^ f2345.ak[i]));
    Append(apdu, AsView(amf));
    Append(apdu, AsView(f1.mac_a));
    apdu.push_back(0x00);
    state.ResumeTiming();
    const Bytes answer = card.Transmit(apdu);
    if (Sw(answer) != 0x9000) return state.SkipWithError("AUTHENTICATE refused");
  }
}
BENCHMARK(BM_UsimAuthenticate);

}  // namespace
}  // namespace m2mrsp
