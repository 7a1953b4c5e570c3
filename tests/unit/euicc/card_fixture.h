// Shared set-up for the card_* tests: a manufactured eUICC with fresh ECASD/CI keys, two SCP80
// key sets, one SCP81 PSK and a pre-installed fall-back profile at TAR 000010, plus helpers that
// send ES5 commands to the ISD-R and answer with hex.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "base/clock.h"
#include "base/random.h"
#include "crypto/ec.h"
#include "crypto/secure_random.h"
#include "euicc/euicc.h"
#include "euicc/profile.h"
#include "gp/aids.h"
#include "gp/apdu.h"
#include "gp/install.h"
#include "pki/gp_certificate.h"

namespace m2mrsp::euicc::testing {

inline Aid IsdP(uint32_t tar) { return gp::IsdPAidForTar(Tar::FromValue(tar)); }
inline std::string Hex(const Bytes& b) { return ToHexUpper(AsView(b)); }

inline InstalledProfile MakeProfile(uint8_t pol1 = 0, uint32_t footprint = 20000) {
  InstalledProfile p;
  p.iccid = "89000123456789012341";
  p.pol1 = pol1;
  p.footprint = footprint;
  p.connectivity_parameters = HexOrDie("A00906079133869942 11F0");
  // A profile without files or keys: enough for the ISD-R rules (the device channel answers
  // 6A82 to every SELECT of it).
  ProfileContent content(Iccid::Parse(p.iccid).value());
  content.connectivity_parameters = p.connectivity_parameters;
  p.content = content.Serialize();
  return p;
}

struct CardKeys {
  crypto::EcPrivateKey ecasd = crypto::EcPrivateKey::Generate(crypto::Curve::kNistP256).value();
  crypto::EcPrivateKey ci = crypto::EcPrivateKey::Generate(crypto::Curve::kNistP256).value();
  Bytes ecasd_cert;
  CardKeys() {
    pki::GpCertificateFields f;
    f.serial = {0x01};
    f.ca_id = {0x0E};
    f.subject_id = HexOrDie("89049032123451234512345678901235");
    f.usage = pki::GpKeyUsage::kKeyAgreement;
    f.expiration = std::chrono::year_month_day(std::chrono::year(2040), std::chrono::month(1),
                                               std::chrono::day(1));
    f.public_key = ecasd.PublicKey();
    ecasd_cert = pki::GpCertificate::Sign(f, ci).value().encoded();
  }
};

inline ManufacturingConfig MakeConfig(const CardKeys& keys, bool preinstalled = true) {
  ManufacturingConfig c;
  c.eid = "89049032123451234512345678901235";
  c.ecasd_private_scalar = keys.ecasd.ExportScalar().value();
  c.ecasd_certificate = keys.ecasd_cert;
  c.ci_public_point = keys.ci.PublicKey().ToUncompressed();
  for (uint8_t kvn : {uint8_t{1}, uint8_t{2}}) {
    Scp80KeySetConfig k;
    k.kvn = kvn;
    k.kic = SecretBytes(Bytes(16, static_cast<uint8_t>(0x10 + kvn)));
    k.kid = SecretBytes(Bytes(16, static_cast<uint8_t>(0x20 + kvn)));
    k.kik = SecretBytes(Bytes(16, static_cast<uint8_t>(0x30 + kvn)));
    c.scp80_key_sets.push_back(std::move(k));
  }
  Scp81PskConfig psk;
  const ByteView id = AsBytes("isdr-psk-1");
  psk.identity.assign(id.begin(), id.end());
  psk.kvn = 0x40;
  psk.psk = SecretBytes(Bytes(16, 0x55));
  c.scp81_keys.push_back(std::move(psk));
  c.smsr_address.msisdn = "447700900001";
  c.total_memory = 512 * 1024;
  c.timers.confirmation_timeout_seconds = 600;
  c.timers.retransmission_interval_seconds = 120;
  if (preinstalled) {
    PreinstalledProfile pre;
    pre.tar = 0x000010;
    pre.profile = MakeProfile();
    pre.fallback = true;
    c.preinstalled = std::move(pre);
  }
  return c;
}

class CardTest : public ::testing::Test {
 protected:
  explicit CardTest(bool preinstalled = true)
      : card_(Euicc::Manufacture(MakeConfig(keys_, preinstalled), clock_, random_).value()) {}

  // Sends hex to the ISD-R and returns the R-APDU in upper-case hex.
  std::string IsdR(std::string_view apdu) {
    return Hex(card_.ProcessApdu(gp::IsdRAid(), HexOrDie(apdu)));
  }
  std::string Send(const gp::CommandApdu& apdu, const Aid& target = gp::IsdRAid()) {
    return Hex(card_.ProcessApdu(target, gp::EncodeCommand(apdu).value()));
  }
  std::string CreateIsdp(uint32_t tar, std::optional<uint32_t> quota = std::nullopt) {
    return Send(gp::BuildInstallForInstall(gp::CreateIsdpInstall(IsdP(tar), quota)).value());
  }
  // CreateISDP + install: an ISD-P in state DISABLED.
  void AddProfile(uint32_t tar, uint8_t pol1 = 0) {
    ASSERT_EQ(CreateIsdp(tar), "009000");
    ASSERT_TRUE(card_.InstallProfile(IsdP(tar), MakeProfile(pol1)).ok());
  }
  static std::string AidDgi(const char* dgi, uint32_t tar) {
    return std::string("80E2880015") + dgi + "124F10" + IsdP(tar).ToHex();
  }
  std::string Enable(uint32_t tar) { return IsdR(AidDgi("3A03", tar)); }
  std::string Disable(uint32_t tar) { return IsdR(AidDgi("3A04", tar)); }
  std::string SetFallBack(uint32_t tar) { return IsdR(AidDgi("3A05", tar)); }
  std::string SetEmergency(uint32_t tar) { return IsdR(AidDgi("3A06", tar)); }
  std::string Delete(uint32_t tar, const char* p2 = "40") {
    return IsdR(std::string("80E400") + p2 + "124F10" + IsdP(tar).ToHex() + "00");
  }
  std::string Confirm(uint16_t seq) {
    char buf[5];
    std::snprintf(buf, sizeof buf, "%04X", seq);
    return IsdR(std::string("80E28900073A08044E02") + buf + "00");
  }
  // REFRESH done and network attach with the result given.
  void Attach(bool ok, int64_t now = 1000) {
    card_.RefreshDone();
    card_.OnAttachResult(ok, now);
  }

  CardKeys keys_;
  FakeClock clock_;
  crypto::SecureRandom random_;
  Euicc card_;
};

}  // namespace m2mrsp::euicc::testing
