// SMS-PP data download front end: real-card PoR (pySim), ISD-R silence, replay, concatenation,
// long PoRs, MO notifications (independent python vectors, WHTY notification header).
#include <gtest/gtest.h>

#include "euicc/sms_pp.h"
#include "frontend_fake_card.h"
#include "scp/scp80_packet.h"
#include "scp/sms_concat.h"
#include "scp/sms_tpdu.h"
#include "support/vectors.h"

namespace m2mrsp::euicc {
namespace {

using testing::FakeCard;
using Kind = SmsPpOutcome::Kind;

const Bytes kKicKey = HexOrDie("000102030405060708090a0b0c0d0e0f");
const Bytes kKidKey = HexOrDie("101112131415161718191a1b1c1d1e1f");
const scp::SmsAddress kSmsr{0x91, "447700900999", {}, 0};

const m2mrsp::testing::VectorRecord& Record(const std::string& section) {
  static const auto all = m2mrsp::testing::LoadVectors("euicc_frontends.vec");
  for (const auto& r : all) {
    if (r.section == section) return r;
  }
  throw std::runtime_error("no section " + section);
}

class SmsPpTest : public ::testing::Test {
 protected:
  SmsPpTest() { card_.keys.AddKeySet(1, kKicKey, kKidKey); }

  // A command packet to the ISD-R wrapped by the host-side code (input only, never expected).
  Bytes Packet(uint16_t spi, uint64_t counter, ByteView data, uint32_t tar = 1) {
    scp::CommandHeader h;
    h.spi = *scp::Spi::Decode(uint8_t(spi >> 8), uint8_t(spi));
    h.kic = h.kid = 0x12;
    h.tar = Tar::FromValue(tar);
    h.counter = counter;
    return *scp::WrapCommand(h, {AsView(kKicKey), AsView(kKidKey)}, data);
  }
  std::vector<Bytes> Deliver(ByteView packet, scp::SegmentOptions seg = {}) {
    return *scp::CommandPacketToSmsDeliver(packet, kSmsr, {0x22, 0x70, 0x52, 0, 0, 0, 0}, seg);
  }
  // Reassembles SMS-SUBMIT TPDUs and opens the PoR they carry.
  scp::OpenedResponse OpenSubmitted(const std::vector<Bytes>& tpdus, uint8_t spi2 = 0x39) {
    scp::SmsReassembler r(clock_);
    std::optional<scp::ReassembledPacket> packet;
    for (const Bytes& t : tpdus) {
      auto submit = scp::SmsSubmit::Decode(AsView(t));
      EXPECT_TRUE(submit.ok());
      EXPECT_EQ(submit->destination.digits, kSmsr.digits);
      packet = *r.Add("x", AsView(submit->user_data));
    }
    EXPECT_TRUE(packet.has_value());
    EXPECT_EQ(packet->packet_iei, scp::kIeiResponsePacket);
    auto spi = scp::Spi::Decode(0x16, spi2);
    auto opened =
        scp::OpenResponse(AsView(packet->packet), scp::PorSecurity::ForCommand(*spi, 0x12, 0x12),
                          {AsView(kKicKey), AsView(kKidKey)});
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return *opened;
  }

  FakeClock clock_;
  FakeCard card_;
};

// pySim test_ota.py: a real sysmoISIM-SJA5 answered this SMS-DELIVER (SELECT MF, compact format,
// SPI 06 19, AES key set 2) with the PoR in scp80.vec; our card must produce the same bytes.
TEST_F(SmsPpTest, ReproducesRealCardPor) {
  const auto sms = m2mrsp::testing::LoadVectors("sms.vec");
  const auto scp80 = m2mrsp::testing::LoadVectors("scp80.vec");
  const m2mrsp::testing::VectorRecord *deliver = nullptr, *por = nullptr;
  for (const auto& r : sms) {
    if (r.Get("Name") == "pysim-sja5-aes128-ciphered-cc") deliver = &r;
  }
  for (const auto& r : scp80) {
    if (r.section == "Response" && r.Get("Name") == "pysim-aes128-ciphered-cc") por = &r;
  }
  ASSERT_TRUE(deliver && por);
  card_.keys.AddKeySet(2, por->Hex("KicKey"), por->Hex("KidKey"));
  const Aid rfm = *Aid::Parse("A0000000871002FF33FF018900000100");
  card_.AddApplicationAtTar(0xB00011, rfm, {true, false, false});
  card_.answers["00a40004023f00"] = HexOrDie("6132");

  SmsPpFrontEnd fe(card_, clock_);
  auto out = fe.OnSmsDeliver(AsView(deliver->Hex("Tpdu")));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->kind, Kind::kProcessed);
  ASSERT_EQ(card_.apdus.size(), 1u);
  EXPECT_EQ(card_.apdus[0].target, rfm);
  EXPECT_EQ(ToHex(AsView(out->envelope_response)), "027100" + ToHex(AsView(por->Hex("Response"))));
  EXPECT_TRUE(out->submit_tpdus.empty());  // SPI b6 = 0: DELIVER-REPORT
}

// Python-computed: expanded script, SPI 16 39, PoR ciphered + CC by SMS-SUBMIT.
TEST_F(SmsPpTest, ExpandedScriptPorMatchesIndependentVector) {
  const auto& rec = Record("ScriptPor");
  SmsPpFrontEnd fe(card_, clock_);
  auto out = fe.OnSmsDeliver(AsView(rec.Hex("Deliver")));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(card_.apdus.size(), 1u);
  EXPECT_EQ(card_.apdus[0].target, gp::IsdRAid());
  EXPECT_EQ(card_.apdus[0].apdu_hex, "80e28800153a03124f10a0000005591010ffffffff8900001000");
  EXPECT_TRUE(out->envelope_response.empty());
  ASSERT_EQ(out->submit_tpdus.size(), 1u);
  EXPECT_EQ(ToHex(AsView(out->submit_tpdus[0])), ToHex(AsView(rec.Hex("Submit"))));
}

TEST_F(SmsPpTest, UnknownTarAndBadMacAreDroppedSilently) {
  SmsPpFrontEnd fe(card_, clock_);
  const Bytes script = HexOrDie("AA0622048100000000");
  auto unknown =
      fe.OnSmsDeliver(AsView(Deliver(AsView(Packet(0x1639, 1, AsView(script), 0x42)))[0]));
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->kind, Kind::kDropped);
  EXPECT_EQ(unknown->status, scp::PorStatus::kTarUnknown);

  Bytes bad = Packet(0x1639, 1, AsView(script));
  bad.back() ^= 0x01;  // ciphered CC no longer matches
  auto dropped = fe.OnSmsDeliver(AsView(Deliver(AsView(bad))[0]));
  ASSERT_TRUE(dropped.ok());
  EXPECT_EQ(dropped->kind, Kind::kDropped);
  EXPECT_TRUE(dropped->envelope_response.empty() && dropped->submit_tpdus.empty());

  // Unknown key set: also silent (ISD-R policy), and never reaches the card.
  scp::CommandHeader h;
  h.spi = *scp::Spi::Decode(0x16, 0x39);
  h.kic = h.kid = 0x72;
  h.tar = Tar::FromValue(1);
  h.counter = 1;
  auto p = scp::WrapCommand(h, {AsView(kKicKey), AsView(kKidKey)}, AsView(script));
  auto no_keys = fe.OnSmsDeliver(AsView(Deliver(AsView(*p))[0]));
  ASSERT_TRUE(no_keys.ok());
  EXPECT_EQ(no_keys->kind, Kind::kDropped);
  EXPECT_TRUE(card_.apdus.empty());
}

TEST_F(SmsPpTest, CounterReplayIsRefusedWithSecuredPor) {
  SmsPpFrontEnd fe(card_, clock_);
  const Bytes get_status = HexOrDie("AA07220580CA00E000");
  const Bytes tpdu = Deliver(AsView(Packet(0x1639, 5, AsView(get_status))))[0];
  auto first = fe.OnSmsDeliver(AsView(tpdu));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->status, scp::PorStatus::kOk);
  EXPECT_EQ(OpenSubmitted(first->submit_tpdus).header.status, 0x00);

  auto replay = fe.OnSmsDeliver(AsView(tpdu));
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->kind, Kind::kProcessed);
  EXPECT_EQ(replay->status, scp::PorStatus::kCounterLow);
  const scp::OpenedResponse por = OpenSubmitted(replay->submit_tpdus);
  EXPECT_TRUE(por.secured);
  EXPECT_EQ(por.header.status, 0x02);
  EXPECT_EQ(por.header.counter, 5u);
  EXPECT_EQ(card_.apdus.size(), 1u);  // the replay never reached the card
}

TEST_F(SmsPpTest, ConcatenatedCommandAndExpiry) {
  // Fifteen GET DATA commands: the packet needs two SMS.
  Bytes script = HexOrDie("AA");
  Bytes body;
  for (int i = 0; i < 15; ++i) body = Concat({AsView(body), AsView(HexOrDie("220580CA00E000"))});
  script.push_back(static_cast<uint8_t>(body.size()));
  script = Concat({AsView(script), AsView(body)});
  const std::vector<Bytes> parts = Deliver(AsView(Packet(0x1639, 1, AsView(script))));
  ASSERT_EQ(parts.size(), 2u);

  SmsPpFrontEnd fe(card_, clock_);
  auto first = fe.OnSmsDeliver(AsView(parts[0]));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->kind, Kind::kIncomplete);
  auto second = fe.OnSmsDeliver(AsView(parts[1]));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->kind, Kind::kProcessed);
  EXPECT_EQ(card_.apdus.size(), 15u);
  EXPECT_EQ(second->script->executed, 15u);

  // A part whose partner arrives after the reassembly timeout starts over.
  const std::vector<Bytes> again = Deliver(AsView(Packet(0x1639, 2, AsView(script))));
  ASSERT_TRUE(fe.OnSmsDeliver(AsView(again[0])).ok());
  clock_.Advance(std::chrono::seconds(121));
  auto late = fe.OnSmsDeliver(AsView(again[1]));
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->kind, Kind::kIncomplete);
  EXPECT_EQ(card_.apdus.size(), 15u);
}

TEST_F(SmsPpTest, LongPorIsSplitIntoConcatenatedSubmits) {
  card_.answers["80ca00e000"] = Concat({AsView(Bytes(200, 0x5A)), AsView(HexOrDie("9000"))});
  SmsPpFrontEnd fe(card_, clock_);
  auto out = fe.OnSmsDeliver(
      AsView(Deliver(AsView(Packet(0x1639, 1, AsView(HexOrDie("AA07220580CA00E000")))))[0]));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->submit_tpdus.size(), 2u);
  const scp::OpenedResponse por = OpenSubmitted(out->submit_tpdus);
  auto rs = gp::DecodeResponseScript(AsView(por.data));
  ASSERT_TRUE(rs.ok());
  ASSERT_EQ(gp::RApdusOf(*rs).size(), 1u);
  EXPECT_EQ(gp::RApdusOf(*rs)[0].data.size(), 200u);
}

TEST_F(SmsPpTest, LongPorForDeliverReportGoesBySubmitWithStatus0B) {
  card_.answers["80ca00e000"] = Concat({AsView(Bytes(200, 0x5A)), AsView(HexOrDie("9000"))});
  SmsPpFrontEnd fe(card_, clock_);
  // SPI 16 19: PoR ciphered + CC in the DELIVER-REPORT.
  auto out = fe.OnSmsDeliver(
      AsView(Deliver(AsView(Packet(0x1619, 1, AsView(HexOrDie("AA07220580CA00E000")))))[0]));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_GE(out->envelope_response.size(), 3u);
  EXPECT_EQ(ToHex(ByteView(out->envelope_response).first(3)), "027100");
  auto spi = scp::Spi::Decode(0x16, 0x19);
  auto notice = scp::OpenResponse(ByteView(out->envelope_response).subspan(3),
                                  scp::PorSecurity::ForCommand(*spi, 0x12, 0x12),
                                  {AsView(kKicKey), AsView(kKidKey)});
  ASSERT_TRUE(notice.ok()) << notice.status().ToString();
  EXPECT_EQ(notice->header.status, 0x0B);
  EXPECT_EQ(OpenSubmitted(out->submit_tpdus, 0x19).header.status, 0x00);
}

TEST_F(SmsPpTest, ScriptStopsAtFirstErrorAndScp03tGoesToIsdP) {
  card_.answers["00a4040000"] = HexOrDie("6a82");
  SmsPpFrontEnd fe(card_, clock_);
  // 22 GET DATA, 22 SELECT (fails), 22 GET DATA (never run).
  auto out = fe.OnSmsDeliver(AsView(Deliver(AsView(
      Packet(0x1639, 1, AsView(HexOrDie("AA15220580CA00E000220500A4040000220580CA00E000")))))[0]));
  ASSERT_TRUE(out.ok());
  ASSERT_TRUE(out->script.has_value());
  // TS 102 226 §5.2.2: executed count 2, both R-APDUs, nothing after the failure.
  EXPECT_EQ(ToHex(AsView(out->script->response)),
            "ab0b80010223029000"
            "23026a82");
  EXPECT_EQ(card_.apdus.size(), 2u);

  // SGP.02 §4.1.3.3: SCP03t TLVs to an ISD-P TAR, bare and inside a script.
  const Aid isdp = gp::IsdPAidForTar(Tar::FromValue(0x000010));
  card_.AddApplication(isdp, {true, false, false});
  auto bare = fe.OnSmsDeliver(
      AsView(Deliver(AsView(Packet(0x1639, 2, AsView(HexOrDie("8603010203")), 0x10)))[0]));
  ASSERT_TRUE(bare.ok());
  ASSERT_EQ(card_.scp03t.size(), 1u);
  EXPECT_EQ(card_.scp03t[0].target, isdp);
  EXPECT_EQ(card_.scp03t[0].apdu_hex, "8603010203");
  EXPECT_EQ(ToHex(AsView(OpenSubmitted(bare->submit_tpdus).data)), "8600");

  card_.scp03t_answer = HexOrDie("9f460102");  // security error: the script stops
  auto scripted = fe.OnSmsDeliver(AsView(Deliver(AsView(Packet(0x1639, 3,
                                                               AsView(HexOrDie("AA0A8603010203"
                                                                               "8603040506")),
                                                               0x10)))[0]));
  ASSERT_TRUE(scripted.ok()) << scripted.status().ToString();
  EXPECT_EQ(card_.scp03t.size(), 2u);
  EXPECT_EQ(ToHex(AsView(scripted->script->response)),
            "ab0780010"
            "19f460102");
  // The same first byte to the ISD-R is a compact command with CLA 86, not SCP03t.
  EXPECT_FALSE(IsIsdPAid(gp::IsdRAid()));
  EXPECT_TRUE(IsIsdPAid(isdp));
}

// Python-computed MO SMS for the WHTY notification E1 (header equal to the card-originated
// sample); it also opens with the host-side SCP80 code to the E1 bytes.
TEST_F(SmsPpTest, NotificationMoSms) {
  const auto& rec = Record("Notification");
  const Bytes msisdn = rec.Hex("Msisdn");
  card_.smsr.msisdn.assign(msisdn.begin(), msisdn.end());
  card_.due.push_back({7, rec.Hex("E1"), 1});
  SmsPpFrontEnd fe(card_, clock_);
  auto sent = fe.SendDueNotifications(1'700'000'100);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  ASSERT_EQ(sent->size(), 1u);
  ASSERT_EQ((*sent)[0].submit_tpdus.size(), 1u);
  EXPECT_EQ(ToHex(AsView((*sent)[0].submit_tpdus[0])), ToHex(AsView(rec.Hex("Tpdu"))));
  ASSERT_EQ(card_.sent.size(), 1u);
  EXPECT_EQ(card_.sent[0], std::make_pair(uint16_t{7}, int64_t{1'700'000'100}));

  auto submit = scp::SmsSubmit::Decode(AsView((*sent)[0].submit_tpdus[0]));
  ASSERT_TRUE(submit.ok());
  auto ud = scp::UserData::Decode(AsView(submit->user_data));
  ASSERT_TRUE(ud.ok());
  ASSERT_NE(ud->Find(scp::kIeiCommandPacket), nullptr);
  scp::CommandOpenResult opened = scp::OpenCommand(AsView(ud->payload), {{}, AsView(kKidKey)});
  ASSERT_TRUE(opened.command.has_value()) << opened.error.ToString();
  EXPECT_EQ(ToHex(AsView(opened.command->data)), ToHex(AsView(rec.Hex("E1"))));
  EXPECT_EQ(opened.command->header.tar, Tar::FromValue(1));
  EXPECT_EQ(opened.command->header.spi.first(), 0x02);
  EXPECT_EQ(opened.command->header.spi.second(), 0x00);
}

TEST_F(SmsPpTest, NotificationsNeedAnSmsrMsisdnAndKeys) {
  card_.due.push_back({1, HexOrDie("E100"), 1});
  card_.smsr.msisdn.clear();
  SmsPpFrontEnd fe(card_, clock_);
  EXPECT_FALSE(fe.SendDueNotifications(0).ok());
  card_.smsr.msisdn = "123";
  card_.keys.sets.clear();
  EXPECT_FALSE(fe.SendDueNotifications(0).ok());
  EXPECT_TRUE(card_.sent.empty());
}

// When a later notification cannot be built, those already reported sent to the card are
// returned (before: the error dropped them, though the card counted them as sent).
TEST_F(SmsPpTest, NotificationsAlreadySentAreReturned) {
  card_.due.push_back({1, HexOrDie("E1034D0101"), 1});
  card_.due.push_back({2, HexOrDie("E1034D0102"), 1});
  card_.originated_counters = {5};  // enough for the first only
  SmsPpOptions options;
  options.notification.spi = scp::Spi{scp::CounterPolicy::kHigher, false, scp::Integrity::kCc};
  SmsPpFrontEnd fe(card_, clock_, options);
  auto sent = fe.SendDueNotifications(50);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  ASSERT_EQ(sent->size(), 1u);
  EXPECT_EQ((*sent)[0].sequence_number, 1);
  ASSERT_EQ(card_.sent.size(), 1u);
  EXPECT_EQ(card_.sent[0].first, 1);
  auto submit = scp::SmsSubmit::Decode(AsView((*sent)[0].submit_tpdus.at(0)));
  ASSERT_TRUE(submit.ok());
  auto ud = scp::UserData::Decode(AsView(submit->user_data));
  ASSERT_TRUE(ud.ok());
  scp::CommandOpenResult opened = scp::OpenCommand(AsView(ud->payload), {{}, AsView(kKidKey)});
  ASSERT_TRUE(opened.command.has_value()) << opened.error.ToString();
  EXPECT_EQ(opened.command->header.counter, 5u);  // the card's counter
  // Nothing sendable at all: the error.
  card_.due.erase(card_.due.begin());
  EXPECT_FALSE(fe.SendDueNotifications(60).ok());
  EXPECT_EQ(card_.sent.size(), 1u);
}

// An expanded script stops before a command whose answer might not fit the response limit; the
// commands before it ran and are reported (before: all ran, then the whole answer was an error).
TEST_F(SmsPpTest, ScriptStopsBeforeAResponseThatWouldNotFit) {
  card_.default_answer = [](ByteView) {
    return Concat({AsView(Bytes(200, 0x5A)), AsView(HexOrDie("9000"))});
  };
  const Bytes script = HexOrDie("AA15 220580CA00E000 220580CA00E000 220580CA00E000");
  ScriptRunLimits limits;
  limits.max_response = 600;  // two 206-byte R-APDU items; a third might need 264 more
  auto run = RunExpandedScript(card_, gp::IsdRAid(), false, script, limits);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->executed, 2u);
  EXPECT_TRUE(run->response_truncated);
  EXPECT_EQ(card_.apdus.size(), 2u);
  EXPECT_LE(run->response.size(), limits.max_response);
  // AB 82 019D { 80 01 02 (executed), 23 81 CA …, 23 81 CA … }
  EXPECT_EQ(ToHex(AsView(run->response)).substr(0, 20), "ab82019d8001022381ca");
}

TEST_F(SmsPpTest, RefusesWhatIsNotADataDownload) {
  SmsPpFrontEnd fe(card_, clock_);
  scp::SmsDeliver sms;
  sms.originator = kSmsr;
  sms.pid = 0x00;
  sms.user_data = HexOrDie("027000");
  EXPECT_FALSE(fe.OnSmsDeliver(AsView(*sms.Encode())).ok());
  EXPECT_FALSE(fe.OnSmsDeliver(AsView(HexOrDie("00"))).ok());
  // Right PID/DCS, but no command packet identifier: dropped, nothing reaches the card.
  sms.pid = 0x7F;
  sms.user_data = HexOrDie("027F000102");
  auto out = fe.OnSmsDeliver(AsView(*sms.Encode()));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_NE(out->kind, Kind::kProcessed);
  EXPECT_TRUE(card_.apdus.empty());
}

}  // namespace
}  // namespace m2mrsp::euicc
