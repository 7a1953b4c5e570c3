// A profile download and switch onto the simulated eUICC over the air, driven by host-side code
// only (what the SM-SR and the SM-DP will run), end to end through the card's SMS-PP front end:
//   SM-SR: CreateISDP in an SCP80-secured expanded script (SMS-DELIVER → PoR by SMS-SUBMIT);
//   SM-DP: key establishment (STORE DATA 3A01/3A02) and the SCP03t-protected package, addressed
//          to the ISD-P's TAR but secured with the ISD-R keys (SGP.02 §2.4, ES8 over ES3/ES5);
//   SM-SR: EnableProfile → REFRESH → the device attaches (AUTHENTICATE answered with the
//          profile's MILENAGE keys, checked against src/milenage, itself verified on TS 35.208) →
//          the card's default notification by MO SMS → HandleNotificationConfirmation.
// The package is GSMA's TS.48 v7 profile (../shared/testdata/ts48, skipped where absent),
// personalised with a new ICCID/IMSI and the TS 35.208 set 1 K/OPc, algorithm MILENAGE.
// A second case fails the attach and checks the roll-back (notification type 03).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "euicc/sms_pp.h"
#include "gp/remote_script.h"
#include "milenage/milenage.h"
#include "saip/package.h"
#include "saip/personalise.h"
#include "scp/key_establishment.h"
#include "scp/scp03t.h"
#include "scp/scp80_packet.h"
#include "scp/sms_concat.h"
#include "scp/sms_tpdu.h"
#include "support/shared_data.h"
#include "tlv/ber.h"
#include "unit/euicc/card_fixture.h"

namespace m2mrsp::euicc::testing {
namespace {

// TS 35.208 test set 1 (K, OPc); the ICCID/IMSI are arbitrary valid values.
constexpr char kK[] = "465b5ce8b199b49faa5f0a2ee238a6bc";
constexpr char kOpc[] = "cd63cb71954a9f4e48a5994e37a02baf";
constexpr char kIccid[] = "8949449999999990031";
constexpr char kImsi[] = "001010000012345";
constexpr uint32_t kNewTar = 0x000021;
const scp::SmsAddress kSmsrAddress{0x91, "447700900001", {}, 0};

uint16_t SwOf(const Bytes& r) { return static_cast<uint16_t>((r[r.size() - 2] << 8) | r.back()); }

std::optional<Bytes> PersonalisedTs48() {
  const auto der = m2mrsp::testing::ReadTs48Package("ts48v7_SAIP2.3_BERTLV_SUCI");
  if (!der) return std::nullopt;
  auto templ = saip::Decode(*der);
  if (!templ.ok()) return std::nullopt;
  saip::Personalisation p;
  p.iccid = *Iccid::Parse(kIccid);
  p.imsi = kImsi;
  p.k = *SecretBytes::FromHex(kK);
  p.opc = *SecretBytes::FromHex(kOpc);
  p.algorithm_id = 1;
  auto out = saip::Personalise(*templ, p);
  if (!out.ok()) return std::nullopt;
  return saip::Encode(*out);
}

// The SM-SR's end of ES5 over SMS: SCP80 with ISD-R key set 1 (AES, KIc = KID = 0x12), SPI
// `16 39` (ciphering, CC, counter higher; PoR ciphered + CC by SMS-SUBMIT).
class SmsrOverSms {
 public:
  SmsrOverSms(SmsPpFrontEnd& fe, const Clock& clock) : fe_(&fe), clock_(clock) {}
  void Rebind(SmsPpFrontEnd& fe) { fe_ = &fe; }

  // Sends `secured_data` to the application at `tar`; returns the PoR's additional data.
  Result<Bytes> Send(uint32_t tar, ByteView secured_data) {
    scp::CommandHeader h;
    h.spi = *scp::Spi::Decode(0x16, 0x39);
    h.kic = h.kid = 0x12;
    h.tar = Tar::FromValue(tar);
    h.counter = ++counter_;
    M2_ASSIGN_OR_RETURN(Bytes packet, scp::WrapCommand(h, Keys(), secured_data));
    scp::SegmentOptions seg;
    seg.reference = static_cast<uint16_t>(counter_);
    M2_ASSIGN_OR_RETURN(auto tpdus,
                        scp::CommandPacketToSmsDeliver(packet, {0x91, "447700900999", {}, 0},
                                                       {0x22, 0x70, 0x52, 0, 0, 0, 0}, seg));
    std::optional<SmsPpOutcome> last;
    sms_sent_ += tpdus.size();
    for (const Bytes& t : tpdus) {
      M2_ASSIGN_OR_RETURN(SmsPpOutcome o, fe_->OnSmsDeliver(t));
      last = std::move(o);
    }
    if (!last || last->kind != SmsPpOutcome::Kind::kProcessed || last->submit_tpdus.empty()) {
      return InternalError("no PoR: " + (last ? last->reason : std::string("no outcome")));
    }
    scp::SmsReassembler reassembler(clock_);
    std::optional<scp::ReassembledPacket> por;
    for (const Bytes& t : last->submit_tpdus) {
      M2_ASSIGN_OR_RETURN(auto submit, scp::SmsSubmit::Decode(t));
      M2_ASSIGN_OR_RETURN(por, reassembler.Add("card", submit.user_data));
    }
    if (!por) return InternalError("PoR incomplete");
    M2_ASSIGN_OR_RETURN(
        auto opened,
        scp::OpenResponse(por->packet, scp::PorSecurity::ForCommand(h.spi, 0x12, 0x12), Keys()));
    if (opened.header.status != static_cast<uint8_t>(scp::PorStatus::kOk)) {
      return InternalError("PoR status " + std::to_string(static_cast<int>(opened.header.status)));
    }
    return opened.data;
  }

  // An expanded script of C-APDUs; returns the R-APDUs (data ‖ SW) of the response script.
  Result<std::vector<Bytes>> Script(uint32_t tar, const std::vector<gp::CommandApdu>& commands) {
    M2_ASSIGN_OR_RETURN(auto script, gp::MakeCommandScript(commands));
    M2_ASSIGN_OR_RETURN(Bytes encoded, gp::EncodeCommandScript(script));
    M2_ASSIGN_OR_RETURN(Bytes por_data, Send(tar, encoded));
    M2_ASSIGN_OR_RETURN(auto response, gp::DecodeResponseScript(por_data));
    std::vector<Bytes> out;
    for (const auto& r : gp::RApdusOf(response)) {
      Bytes b = r.data;
      b.push_back(static_cast<uint8_t>(r.sw >> 8));
      b.push_back(static_cast<uint8_t>(r.sw));
      out.push_back(std::move(b));
    }
    return out;
  }

  // The MO notification SMS the card sent: opened with key set 1 (KID 0x12, CC only).
  static Result<Bytes> OpenNotification(const NotificationSms& sms, const Clock& clock) {
    scp::SmsReassembler reassembler(clock);
    std::optional<scp::ReassembledPacket> packet;
    for (const Bytes& t : sms.submit_tpdus) {
      M2_ASSIGN_OR_RETURN(auto submit, scp::SmsSubmit::Decode(t));
      if (submit.destination.digits != kSmsrAddress.digits) return InternalError("wrong MSISDN");
      M2_ASSIGN_OR_RETURN(packet, reassembler.Add("card", submit.user_data));
    }
    if (!packet) return InternalError("notification incomplete");
    scp::CommandOpenResult opened = scp::OpenCommand(packet->packet, Keys());
    if (!opened.command) return opened.error;
    return opened.command->data;
  }

 private:
  static scp::Scp80Keys Keys() {
    static const Bytes kic(16, 0x11), kid(16, 0x21);  // key set 1 of MakeConfig
    return {AsView(kic), AsView(kid)};
  }
  SmsPpFrontEnd* fe_;
  const Clock& clock_;
  uint64_t counter_ = 0;
  size_t sms_sent_ = 0;

 public:
  size_t sms_sent() const { return sms_sent_; }
};

// Reads the `E1` default notification (SGP.02 §4.1.1.11): type, sequence number, ISD-P AID.
struct Notification {
  uint8_t type = 0;
  uint16_t sequence = 0;
  Bytes eid, aid;
};
Result<Notification> ParseE1(ByteView e1) {
  M2_ASSIGN_OR_RETURN(auto root, tlv::ParseOne(e1));
  if (root.tag != 0xE1) return InternalError("not E1");
  Notification n;
  M2_ASSIGN_OR_RETURN(auto kids, tlv::Children(root));
  for (const auto& t : kids) {
    if (t.tag == 0x4C) n.eid.assign(t.value.begin(), t.value.end());
    if (t.tag == 0x4D && t.value.size() == 1) n.type = t.value[0];
    if (t.tag == 0x4E && t.value.size() == 2)
      n.sequence = static_cast<uint16_t>(t.value[0] << 8 | t.value[1]);
    if (t.tag == 0x4F) n.aid.assign(t.value.begin(), t.value.end());
  }
  return n;
}

class OtaDownload : public CardTest {
 protected:
  OtaDownload() : fe_(card_, clock_), smsr_(fe_, clock_) {}

  // SM-SR CreateISDP, SM-DP key establishment and SCP03t download; the ISD-P ends DISABLED.
  void Download(const Bytes& package) {
    auto created = smsr_.Script(
        0x000001,
        {gp::BuildInstallForInstall(gp::CreateIsdpInstall(IsdP(kNewTar), 64 * 1024)).value()});
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    ASSERT_EQ(created->size(), 1u);
    EXPECT_EQ(Hex(created->front()), "009000");

    // Key establishment (GP Amd E scenario #3) with CERT.DP.ECDSA from our CI.
    auto dp_key = crypto::EcPrivateKey::Generate(crypto::Curve::kNistP256).value();
    pki::GpCertificateFields f;
    f.serial = {0x07};
    f.ca_id = {0x0E};
    f.subject_id = HexOrDie("4450");
    f.usage = pki::GpKeyUsage::kVerification;
    f.expiration = std::chrono::year_month_day(std::chrono::year(2040), std::chrono::month(1),
                                               std::chrono::day(1));
    f.entity_type = pki::kEntitySmDp;
    f.public_key = dp_key.PublicKey();
    auto cert = pki::GpCertificate::Sign(f, keys_.ci).value();
    scp::KeyEstablishmentHost host(dp_key, keys_.ecasd.PublicKey(), scp::KeyAgreementCrt{},
                                   random_);
    const Bytes d1 = scp::KeyEstablishmentHost::CertificateData(cert.encoded()).value();
    auto r1 = smsr_.Script(kNewTar, {gp::BuildInstallForPersonalization(IsdP(kNewTar)),
                                     gp::MakeCommand(0x80, 0xE2, 0x09, 0x00, d1, 256)});
    ASSERT_TRUE(r1.ok()) << r1.status().ToString();
    ASSERT_EQ(r1->size(), 2u);
    ASSERT_EQ(SwOf(r1->back()), 0x9000) << Hex(r1->back());
    ASSERT_TRUE(host.AcceptChallenge(ByteView(r1->back().data(), r1->back().size() - 2)).ok());
    const Bytes d2 = host.KeyParametersData().value();
    auto r2 = smsr_.Script(kNewTar, {gp::MakeCommand(0x80, 0xE2, 0x89, 0x01, d2, 256)});
    ASSERT_TRUE(r2.ok()) << r2.status().ToString();
    ASSERT_EQ(SwOf(r2->back()), 0x9000) << Hex(r2->back());
    auto established = host.Finish(ByteView(r2->back().data(), r2->back().size() - 2));
    ASSERT_TRUE(established.ok()) << established.status().ToString();
    EXPECT_EQ(card_.LifeCycle(IsdP(kNewTar)), 0x0F);

    // SCP03t: INITIALIZE UPDATE, EXTERNAL AUTHENTICATE, then the protected package segments.
    scp::Scp03tHost scp03t(
        scp::Scp03Keys{established->kvn, std::move(established->keys[0]),
                       std::move(established->keys[1]), std::move(established->keys[2])},
        random_);
    auto iu = smsr_.Send(kNewTar, scp03t.InitializeUpdate().value());
    ASSERT_TRUE(iu.ok()) << iu.status().ToString();
    ASSERT_TRUE(scp03t.CheckInitializeUpdateResponse(*iu).ok());
    auto ea = smsr_.Send(kNewTar, scp03t.ExternalAuthenticate().value());
    ASSERT_TRUE(ea.ok()) << ea.status().ToString();
    ASSERT_TRUE(scp03t.CheckExternalAuthenticateResponse(*ea).ok());
    auto segments = scp03t.ProtectPackage(package);
    ASSERT_TRUE(segments.ok()) << segments.status().ToString();
    Bytes result;
    for (size_t i = 0; i < segments->size(); ++i) {
      auto answer = smsr_.Send(kNewTar, (*segments)[i]);
      ASSERT_TRUE(answer.ok()) << i << ": " << answer.status().ToString();
      auto data = scp03t.CheckDataResponse(*answer);
      ASSERT_TRUE(data.ok()) << i << ": " << data.status().ToString();
      if (i + 1 == segments->size()) result = *data;
    }
    // Segments of up to 1000 bytes travel as concatenated SMS (TS 31.115 §4).
    EXPECT_GT(smsr_.sms_sent(), segments->size() * 2);
    std::printf("profile package %zu bytes: %zu SCP03t segments, %zu SMS-DELIVERs in all\n",
                package.size(), segments->size(), smsr_.sms_sent());
    // EUICCResponse (SAIP §8.1): one PEStatus with status ok(0).
    EXPECT_EQ(Hex(result), "3007A0053003800100");
    EXPECT_EQ(card_.LifeCycle(IsdP(kNewTar)), 0x1F);
    ASSERT_TRUE(card_.Profile(IsdP(kNewTar)).has_value());
    EXPECT_EQ(card_.Profile(IsdP(kNewTar))->iccid, kIccid);
  }

  void EnableNew() {
    const Aid aid = IsdP(kNewTar);
    const Bytes data =
        Concat({HexOrDie("3A03124F10"), Bytes(aid.bytes().begin(), aid.bytes().end())});
    auto r = smsr_.Script(0x000001, {gp::MakeCommand(0x80, 0xE2, 0x88, 0x00, data)});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(Hex(r->back()), "9000");
    EXPECT_TRUE(card_.PendingRefresh());
    card_.RefreshDone();
  }

  // The network's side of the attach: IMSI from EF.IMSI, then a MILENAGE vector for it.
  bool NetworkAttach() {
    if (SwOf(card_.Transmit(HexOrDie("00A4040C07A0000000871002"))) != 0x9000) return false;
    if (SwOf(card_.Transmit(HexOrDie("00A4000C026F07"))) != 0x9000) return false;
    const Bytes imsi = card_.Transmit(HexOrDie("00B0000009"));
    if (SwOf(imsi) != 0x9000) return false;
    EXPECT_EQ(*saip::DecodeImsi(ByteView(imsi.data(), imsi.size() - 2)), kImsi);
    auto m = milenage::Milenage::Create(HexOrDie(kK), HexOrDie(kOpc));
    EXPECT_TRUE(m.ok());
    const Bytes rand = HexOrDie("23553cbe9637a89d218ae64dae47bf35");
    const Bytes sqn = HexOrDie("000000000041"), amf = HexOrDie("8000");
    auto f1 = m->F1(rand, sqn, amf);
    auto f2345 = m->F2345(rand);
    EXPECT_TRUE(f1.ok() && f2345.ok());
    Bytes autn;
    for (size_t i = 0; i < 6; ++i) autn.push_back(static_cast<uint8_t>(sqn[i] ^ f2345->ak[i]));
    Append(autn, AsView(amf));
    Append(autn, AsView(f1->mac_a));
    const Bytes answer = card_.Transmit(
        Concat({HexOrDie("008800812210"), rand, HexOrDie("10"), autn, HexOrDie("00")}));
    if (SwOf(answer) != 0x9000 || answer.size() < 10) return false;
    // DB 08 RES: the card's RES equals the network's XRES.
    return Bytes(answer.begin() + 2, answer.begin() + 10) == f2345->res;
  }

  Notification TakeNotification(int64_t now) {
    auto sms = fe_.SendDueNotifications(now);
    EXPECT_TRUE(sms.ok()) << sms.status().ToString();
    if (!sms.ok() || sms->size() != 1) {
      ADD_FAILURE() << "expected one notification";
      return {};
    }
    auto e1 = SmsrOverSms::OpenNotification(sms->front(), clock_);
    EXPECT_TRUE(e1.ok()) << e1.status().ToString();
    auto n = ParseE1(*e1);
    EXPECT_TRUE(n.ok());
    EXPECT_EQ(ToHexUpper(AsView(n->eid)), card_.eid().ToString());
    return *n;
  }

  SmsPpFrontEnd fe_;
  SmsrOverSms smsr_;
};

TEST_F(OtaDownload, DownloadEnableAttachNotifyConfirm) {
  auto package = PersonalisedTs48();
  if (!package) GTEST_SKIP() << "shared/testdata/ts48 is absent";
  Download(*package);
  if (HasFatalFailure()) return;

  // A device restart between download and enable loses nothing.
  auto restored = Euicc::Restore(card_.Serialize(), clock_, random_);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  card_ = std::move(*restored);

  EnableNew();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(NetworkAttach());
  card_.OnAttachResult(true, 2000);
  const Notification n = TakeNotification(2000);
  EXPECT_EQ(n.type, 0x02);  // profile change succeeded
  EXPECT_EQ(ToHexUpper(AsView(n.aid)), IsdP(kNewTar).ToHex());

  // HandleNotificationConfirmation (3A08) with the notification's sequence number.
  const Bytes seq = {static_cast<uint8_t>(n.sequence >> 8), static_cast<uint8_t>(n.sequence)};
  auto confirmed = smsr_.Script(
      0x000001,
      {gp::MakeCommand(0x80, 0xE2, 0x89, 0x00, Concat({HexOrDie("3A08044E02"), seq}), 256)});
  ASSERT_TRUE(confirmed.ok()) << confirmed.status().ToString();
  EXPECT_EQ(SwOf(confirmed->back()), 0x9000) << Hex(confirmed->back());
  EXPECT_TRUE(card_.DueNotifications(100000).empty());  // nothing to retransmit
  card_.Tick(100000);                                   // no roll-back after confirmation
  EXPECT_EQ(card_.EnabledProfile(), IsdP(kNewTar));
  EXPECT_EQ(card_.LifeCycle(IsdP(kNewTar)), 0x3F);
  EXPECT_EQ(card_.LifeCycle(IsdP(0x10)), 0x1F);
}

TEST_F(OtaDownload, AttachFailureRollsBack) {
  auto package = PersonalisedTs48();
  if (!package) GTEST_SKIP() << "shared/testdata/ts48 is absent";
  Download(*package);
  if (HasFatalFailure()) return;
  EnableNew();
  if (HasFatalFailure()) return;
  card_.OnAttachResult(false, 2000);  // the new profile cannot attach
  EXPECT_EQ(card_.EnabledProfile(), IsdP(0x10));
  card_.RefreshDone();
  card_.OnAttachResult(true, 2100);
  const Notification n = TakeNotification(2100);
  EXPECT_EQ(n.type, 0x03);  // profile change failed, roll-back
  EXPECT_EQ(ToHexUpper(AsView(n.aid)), IsdP(0x10).ToHex());
  EXPECT_EQ(card_.LifeCycle(IsdP(kNewTar)), 0x1F);
}

}  // namespace
}  // namespace m2mrsp::euicc::testing
