// SMS TPDUs, UDH and concatenation for SCP80 carriage (tests/vectors/sms.vec, gen/sms.py).
#include <gtest/gtest.h>

#include "scp/sms_concat.h"
#include "scp/sms_tpdu.h"
#include "support/vectors.h"

namespace m2mrsp::scp {
namespace {

using testing::InSection;
using testing::LoadVectors;

std::array<uint8_t, 7> Scts(const Bytes& b) {
  std::array<uint8_t, 7> a{};
  std::copy(b.begin(), b.end(), a.begin());
  return a;
}

Bytes AddressBytes(const SmsAddress& a) { return *a.Encode(); }

TEST(SmsDeliver, VectorsDecodeAndReencode) {
  const auto records = InSection(LoadVectors("sms.vec"), "Deliver");
  for (const auto& rec : records) {
    SCOPED_TRACE(rec.Where() + " " + rec.Get("Name"));
    auto d = SmsDeliver::Decode(rec.Hex("Tpdu"));
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_EQ(ToHex(AddressBytes(d->originator)), ToHex(rec.Hex("Address")));
    EXPECT_EQ(d->pid, rec.Hex("Pid")[0]);
    EXPECT_EQ(d->dcs, rec.Hex("Dcs")[0]);
    EXPECT_EQ(ToHex(d->scts), ToHex(rec.Hex("Scts")));
    EXPECT_EQ(ToHex(d->user_data), ToHex(rec.Hex("UserData")));
    EXPECT_EQ(ToHex(*d->Encode()), ToHex(rec.Hex("Tpdu")));
    if (!rec.Hex("Packet").empty()) {
      EXPECT_TRUE(d->udhi);
      auto ud = UserData::Decode(d->user_data);
      ASSERT_TRUE(ud.ok());
      ASSERT_NE(ud->Find(kIeiCommandPacket), nullptr);
      EXPECT_EQ(ToHex(ud->payload), ToHex(rec.Hex("Packet")));
      // Our MT builder gives the same TPDU except TP-MMS (a lone SMS says "no more messages").
      auto built = CommandPacketToSmsDeliver(rec.Hex("Packet"), d->originator, d->scts);
      ASSERT_TRUE(built.ok() && built->size() == 1);
      Bytes want = rec.Hex("Tpdu");
      want[0] |= 0x04;
      EXPECT_EQ(ToHex(built->front()), ToHex(want));
    }
  }
  EXPECT_EQ(records.size(), 5u);
}

TEST(SmsSubmit, VectorsDecodeAndReencode) {
  const auto records = InSection(LoadVectors("sms.vec"), "Submit");
  for (const auto& rec : records) {
    SCOPED_TRACE(rec.Where() + " " + rec.Get("Name"));
    auto s = SmsSubmit::Decode(rec.Hex("Tpdu"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_EQ(s->message_reference, rec.Hex("Mr")[0]);
    EXPECT_EQ(ToHex(AddressBytes(s->destination)), ToHex(rec.Hex("Address")));
    EXPECT_EQ(s->pid, rec.Hex("Pid")[0]);
    EXPECT_EQ(s->dcs, rec.Hex("Dcs")[0]);
    EXPECT_EQ(ToHex(s->validity_period), ToHex(rec.Hex("Vp")));
    EXPECT_EQ(ToHex(s->user_data), ToHex(rec.Hex("UserData")));
    EXPECT_EQ(ToHex(*s->Encode()), ToHex(rec.Hex("Tpdu")));
  }
  EXPECT_EQ(records.size(), 2u);
}

TEST(SmsSubmit, PorBuilderMatchesVector) {
  for (const auto& rec : InSection(LoadVectors("sms.vec"), "Submit")) {
    if (rec.Get("Name") != "por-aes128-submit") continue;
    auto s = SmsSubmit::Decode(rec.Hex("Tpdu"));
    ASSERT_TRUE(s.ok());
    auto ud = UserData::Decode(s->user_data);
    ASSERT_TRUE(ud.ok());
    auto built = PacketToSmsSubmit(kIeiResponsePacket, ud->payload, s->destination, 1);
    ASSERT_TRUE(built.ok() && built->size() == 1);
    EXPECT_EQ(ToHex(built->front()), ToHex(rec.Hex("Tpdu")));
  }
}

TEST(SmsConcat, SegmentsAndReassemblesVectors) {
  const auto records = InSection(LoadVectors("sms.vec"), "Segmented");
  for (const auto& rec : records) {
    SCOPED_TRACE(rec.Where() + " " + rec.Get("Name"));
    SegmentOptions o;
    o.reference_16bit = rec.Hex("Ref16")[0] == 1;
    const Bytes ref = rec.Hex("Reference");
    o.reference = static_cast<uint16_t>(ref[0] << 8 | ref[1]);
    auto parts = SegmentPacket(kIeiCommandPacket, rec.Hex("Packet"), o);
    ASSERT_TRUE(parts.ok());
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ(ToHex((*parts)[0]), ToHex(rec.Hex("Part1")));
    EXPECT_EQ(ToHex((*parts)[1]), ToHex(rec.Hex("Part2")));
    const Bytes address = rec.Hex("Address");
    ByteReader ar(address);
    auto tpdus = CommandPacketToSmsDeliver(rec.Hex("Packet"), *SmsAddress::Decode(ar),
                                           Scts(rec.Hex("Scts")), o);
    ASSERT_TRUE(tpdus.ok());
    EXPECT_EQ(ToHex((*tpdus)[0]), ToHex(rec.Hex("Tpdu1")));
    EXPECT_EQ(ToHex((*tpdus)[1]), ToHex(rec.Hex("Tpdu2")));
    // Reassembly in reverse order.
    FakeClock clock;
    SmsReassembler r(clock);
    auto first = r.Add("12345678", rec.Hex("Part2"));
    ASSERT_TRUE(first.ok());
    EXPECT_FALSE(first->has_value());
    auto done = r.Add("12345678", rec.Hex("Part1"));
    ASSERT_TRUE(done.ok() && done->has_value());
    EXPECT_EQ((*done)->packet_iei, kIeiCommandPacket);
    EXPECT_EQ((*done)->parts, 2u);
    EXPECT_EQ(ToHex((*done)->packet), ToHex(rec.Hex("Packet")));
    EXPECT_EQ(r.pending(), 0u);
  }
  EXPECT_EQ(records.size(), 2u);
}

Bytes Part(uint8_t ref, uint8_t total, uint8_t seq, ByteView payload) {
  UserData ud;
  ud.header.push_back({kIeiConcat8, {ref, total, seq}});
  ud.payload.assign(payload.begin(), payload.end());
  return ud.Encode();
}

TEST(SmsConcat, SinglePartAndReservedConcatIe) {
  FakeClock clock;
  SmsReassembler r(clock);
  auto single = r.Add("1", HexOrDie("027100aabbcc"));
  ASSERT_TRUE(single.ok() && single->has_value());
  EXPECT_EQ((*single)->packet_iei, kIeiResponsePacket);
  EXPECT_EQ(ToHex((*single)->packet), "aabbcc");
  // TS 23.040 §9.2.3.24.1: total 0, seq 0 or seq > total -> the IE is ignored.
  for (auto [tot, seq] : {std::pair<uint8_t, uint8_t>{2, 3}, {2, 0}, {0, 1}}) {
    auto out = r.Add("1", Part(1, tot, seq, HexOrDie("11")));
    ASSERT_TRUE(out.ok() && out->has_value());
    EXPECT_EQ(ToHex((*out)->packet), "11");
  }
  EXPECT_EQ(r.pending(), 0u);
}

TEST(SmsConcat, LimitsTimeoutsAndSenders) {
  FakeClock clock;
  SmsReassembler r(clock, ReassemblyLimits{4, 2, std::chrono::seconds(30)});
  EXPECT_EQ(r.Add("a", Part(1, 5, 1, HexOrDie("00"))).status().kind(), ErrorKind::kLimitExceeded);
  ASSERT_TRUE(r.Add("a", Part(1, 2, 1, HexOrDie("01"))).ok());
  ASSERT_TRUE(r.Add("b", Part(1, 2, 1, HexOrDie("02"))).ok());  // same ref, other sender
  EXPECT_EQ(r.pending(), 2u);
  ASSERT_TRUE(r.Add("c", Part(1, 2, 1, HexOrDie("03"))).ok());  // evicts the oldest ("a")
  EXPECT_EQ(r.evicted(), 1u);
  auto b2 = r.Add("b", Part(1, 2, 2, HexOrDie("22")));
  ASSERT_TRUE(b2.ok() && b2->has_value());
  EXPECT_EQ(ToHex((*b2)->packet), "0222");
  auto a2 = r.Add("a", Part(1, 2, 2, HexOrDie("11")));
  ASSERT_TRUE(a2.ok());
  EXPECT_FALSE(a2->has_value());  // its first part was evicted
  // Duplicates keep the first copy; timeouts drop incomplete sets.
  ASSERT_TRUE(r.Add("d", Part(7, 3, 1, HexOrDie("aa"))).ok());
  ASSERT_TRUE(r.Add("d", Part(7, 3, 1, HexOrDie("bb"))).ok());
  clock.Advance(std::chrono::seconds(31));
  EXPECT_GE(r.Expire(), 1u);
  ASSERT_TRUE(r.Add("d", Part(7, 3, 2, HexOrDie("cc"))).ok());
  auto d3 = r.Add("d", Part(7, 3, 3, HexOrDie("dd")));
  ASSERT_TRUE(d3.ok());
  EXPECT_FALSE(d3->has_value());
}

TEST(SmsConcat, SegmentLimits) {
  EXPECT_FALSE(SegmentPacket(kIeiCommandPacket, Bytes(10), SegmentOptions{141}).ok());
  EXPECT_FALSE(SegmentPacket(kIeiCommandPacket, Bytes(40000)).ok());  // > 255 parts
  auto parts = SegmentPacket(kIeiCommandPacket, Bytes(137), {});
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(parts->size(), 1u);
  EXPECT_EQ(parts->front().size(), 140u);
  parts = SegmentPacket(kIeiCommandPacket, Bytes(138), SegmentOptions{130});
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(parts->size(), 2u);
  for (const auto& p : *parts) EXPECT_LE(p.size(), 130u);
}

TEST(SmsTpdu, MalformedInputIsAnError) {
  for (const char* hex :
       {"", "40", "400881214365", "400881214365877ff62270520000000004027000",
        "400881214365877ff622705200000000ff", "410001", "01000b911614261771f000f5a7",
        "4018812143658712345678901234567ff6227052000000000100"}) {
    SCOPED_TRACE(hex);
    EXPECT_FALSE(SmsDeliver::Decode(HexOrDie(hex)).ok());
  }
  EXPECT_FALSE(SmsSubmit::Decode(HexOrDie("4000")).ok());
  EXPECT_FALSE(UserData::Decode(HexOrDie("0370")).ok());
  EXPECT_FALSE(UserData::Decode(HexOrDie("027005")).ok());
  EXPECT_FALSE(UserData::Decode({}).ok());
  SmsAddress bad;
  bad.digits = "12x";
  EXPECT_FALSE(bad.Encode().ok());
  SmsDeliver seven_bit;
  seven_bit.dcs = 0x00;
  EXPECT_FALSE(seven_bit.Encode().ok());
}

}  // namespace
}  // namespace m2mrsp::scp
