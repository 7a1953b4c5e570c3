// Default notifications, confirmation, roll-back and fall-back (SGP.02 §3.15, §3.16, §4.1.1.11,
// §4.1.1.12; architecture digest §9.14, §9.16, §9.19).
#include <gtest/gtest.h>

#include "card_fixture.h"

namespace m2mrsp::euicc::testing {
namespace {

class CardNotifications : public CardTest {
 protected:
  // Enables `tar` from the current profile and lets the attach succeed: a type-02 notification.
  void SwitchTo(uint32_t tar, int64_t now = 1000) {
    ASSERT_EQ(Enable(tar), "9000");
    Attach(true, now);
  }
  std::vector<OutgoingNotification> Due(int64_t now = 1000) { return card_.DueNotifications(now); }
  static uint8_t Type(const OutgoingNotification& n) {
    // E1 L 4C 10 <16> 4D 01 <type>
    return n.e1_tlv.at(2 + 18 + 2);
  }
};

// The MO SMS of a real card logged in WHTY's code (resolutions §5): E1 with the GSMA example EID,
// type 02, sequence 0000, ISD-P ...8900001300, IMEI 3A45990057918503. Our card, put in the same
// situation, must emit the same TLV byte for byte.
TEST(CardNotificationWire, MatchesRealCardSample) {
  CardKeys keys;
  FakeClock clock;
  ScriptedRandom random({});
  auto config = MakeConfig(keys);
  config.eid = "89001012012341234012345678901224";
  config.imei = HexOrDie("3A45990057918503");
  auto card = Euicc::Manufacture(std::move(config), clock, random);
  ASSERT_TRUE(card.ok());
  const Aid isdp = IsdP(0x13);
  ASSERT_EQ(Hex(card->ProcessApdu(
                gp::IsdRAid(),
                gp::EncodeCommand(gp::BuildInstallForInstall(gp::CreateIsdpInstall(isdp)).value())
                    .value())),
            "009000");
  ASSERT_TRUE(card->InstallProfile(isdp, MakeProfile()).ok());
  ASSERT_EQ(Hex(card->ProcessApdu(gp::IsdRAid(), HexOrDie("80E28800153A03124F10" + isdp.ToHex()))),
            "9000");
  card->RefreshDone();
  card->OnAttachResult(true, 5000);
  auto due = card->DueNotifications(5000);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(Hex(due[0].e1_tlv),
            "E1354C10890010120123412340123456789012244D0102"
            "4E0200004F10A0000005591010FFFFFFFF89000013001408"
            "3A45990057918503");
  EXPECT_EQ(due[0].attempt, 1);
}

TEST_F(CardNotifications, FirstAttachDeclaresTheCardOnce) {
  card_.OnAttachResult(true, 100);
  auto due = Due(100);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(Type(due[0]), kNotifyFirstAttach);
  EXPECT_EQ(due[0].sequence_number, 0);
  card_.NotificationSent(0, 100);
  card_.OnAttachResult(true, 200);
  EXPECT_TRUE(Due(150).empty());
  EXPECT_EQ(Confirm(0), "80009000");
  EXPECT_TRUE(Due(10000).empty());
}

TEST_F(CardNotifications, ProfileChangeConfirmed) {
  AddProfile(0x11);
  ASSERT_EQ(Enable(0x11), "9000");
  EXPECT_TRUE(card_.PendingRefresh());
  EXPECT_TRUE(Due().empty());  // nothing before the network answers
  card_.RefreshDone();
  EXPECT_FALSE(card_.PendingRefresh());
  card_.OnAttachResult(true, 1000);
  auto due = Due(1000);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(Type(due[0]), kNotifyProfileChange);
  card_.NotificationSent(due[0].sequence_number, 1000);
  EXPECT_TRUE(Due(1100).empty());  // retransmission interval 120 s
  due = Due(1120);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].attempt, 2);
  EXPECT_EQ(Confirm(due[0].sequence_number), "80009000");
  EXPECT_TRUE(Due(5000).empty());
  card_.Tick(100000);  // confirmed: no roll-back
  EXPECT_EQ(card_.EnabledProfile(), IsdP(0x11));
  EXPECT_EQ(Confirm(due[0].sequence_number), "6A88");  // unknown now
}

TEST_F(CardNotifications, AttachFailureRollsBack) {
  AddProfile(0x11);
  ASSERT_EQ(Enable(0x11), "9000");
  Attach(false);
  EXPECT_EQ(card_.EnabledProfile(), IsdP(0x10));
  EXPECT_TRUE(card_.PendingRefresh());
  Attach(true, 1010);
  auto due = Due(1010);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(Type(due[0]), kNotifyRollBack);
  EXPECT_EQ(Hex(Bytes(due[0].e1_tlv.end() - 16, due[0].e1_tlv.end())), IsdP(0x10).ToHex());
  // A roll-back needs no confirmation to stand; the card accepts new commands.
  EXPECT_EQ(Enable(0x11), "9000");
}

TEST_F(CardNotifications, MissingConfirmationRollsBack) {
  AddProfile(0x11);
  SwitchTo(0x11, 1000);
  ASSERT_EQ(Due(1000).size(), 1u);
  card_.Tick(1599);
  EXPECT_EQ(card_.EnabledProfile(), IsdP(0x11));
  card_.Tick(1600);  // confirmation timeout 600 s
  EXPECT_EQ(card_.EnabledProfile(), IsdP(0x10));
  EXPECT_TRUE(Due(1600).empty());  // the unconfirmed type 02 is withdrawn
  Attach(true, 1610);
  auto due = Due(1610);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(Type(due[0]), kNotifyRollBack);
  EXPECT_EQ(Confirm(0), "6A88");  // the withdrawn one
}

TEST_F(CardNotifications, RollBackFailureActivatesFallBack) {
  AddProfile(0x11);
  AddProfile(0x12);
  SwitchTo(0x11);
  ASSERT_EQ(Confirm(Due()[0].sequence_number), "80009000");
  ASSERT_EQ(Enable(0x12), "9000");
  Attach(false);  // 12 fails → roll back to 11
  EXPECT_EQ(card_.EnabledProfile(), IsdP(0x11));
  Attach(false);  // 11 fails too → fall-back profile 10
  EXPECT_EQ(card_.EnabledProfile(), IsdP(0x10));
  Attach(true);
  auto due = Due();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(Type(due[0]), kNotifyFallBack);
}

TEST_F(CardNotifications, ConnectivityLossActivatesFallBackIgnoringPol1) {
  AddProfile(0x11, kPol1DisableNotAllowed | kPol1DeleteWhenDisabled);
  SwitchTo(0x11);
  const uint16_t seq = Due()[0].sequence_number;
  ASSERT_EQ(Confirm(seq), "80009000");
  card_.OnAttachResult(false, 3000);
  EXPECT_EQ(card_.EnabledProfile(), IsdP(0x10));
  Attach(true, 3010);
  auto due = Due(3010);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(Type(due[0]), kNotifyFallBack);
  // No POL1-mandated deletion after a fall-back (architecture digest §9.16).
  EXPECT_EQ(Confirm(due[0].sequence_number), "80009000");
  EXPECT_EQ(card_.LifeCycle(IsdP(0x11)), 0x1F);
}

TEST_F(CardNotifications, EmergencyProfileDoesNotFallBack) {
  AddProfile(0x11);
  ASSERT_EQ(SetEmergency(0x11), "9000");
  SwitchTo(0x11);
  card_.OnAttachResult(false, 3000);  // the pending change fails → roll back to 10
  EXPECT_EQ(card_.EnabledProfile(), IsdP(0x10));
}

TEST_F(CardNotifications, DeleteWhenDisabledAfterConfirmation) {
  AddProfile(0x11, kPol1DeleteWhenDisabled);
  SwitchTo(0x11);
  ASSERT_EQ(Confirm(Due()[0].sequence_number), "80009000");
  ASSERT_EQ(Disable(0x11), "9000");
  Attach(true, 2000);
  auto due = Due(2000);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(Type(due[0]), kNotifyProfileChange);
  EXPECT_EQ(card_.LifeCycle(IsdP(0x11)), 0x1F);  // still there until the confirmation
  EXPECT_EQ(Confirm(due[0].sequence_number), "80124F10" + IsdP(0x11).ToHex() + "9000");
  EXPECT_FALSE(card_.LifeCycle(IsdP(0x11)).has_value());
}

TEST_F(CardNotifications, SequenceNumbersNeverRepeat) {
  AddProfile(0x11);
  std::set<uint16_t> seen;
  for (int i = 0; i < 6; ++i) {
    SwitchTo(i % 2 == 0 ? 0x11 : 0x10, 1000 + i);
    auto due = Due(1000 + i);
    ASSERT_FALSE(due.empty());
    const uint16_t seq = due.back().sequence_number;
    EXPECT_TRUE(seen.insert(seq).second);
    ASSERT_EQ(Confirm(seq), "80009000");
  }
}

TEST_F(CardNotifications, MaxAttemptsStopsRetransmission) {
  CardKeys keys;
  auto config = MakeConfig(keys);
  config.timers.max_attempts = 2;
  auto card = Euicc::Manufacture(std::move(config), clock_, random_).value();
  card.OnAttachResult(true, 0);
  for (int64_t t : {0, 200}) {
    auto due = card.DueNotifications(t);
    ASSERT_EQ(due.size(), 1u);
    card.NotificationSent(due[0].sequence_number, t);
  }
  EXPECT_TRUE(card.DueNotifications(1000).empty());
}

// A notification that used up its attempts is dropped one retransmission interval after its
// last transmission; until then its confirmation is still accepted.
TEST_F(CardNotifications, ExhaustedNotificationsAreDropped) {
  CardKeys keys;
  auto config = MakeConfig(keys);
  config.timers.max_attempts = 1;
  config.timers.retransmission_interval_seconds = 120;
  auto card = Euicc::Manufacture(std::move(config), clock_, random_).value();
  auto confirm = [&card](uint16_t seq) {
    const Bytes apdu = HexOrDie(
        "80E28900073A08044E02" +
        ToHexUpper(AsView(Bytes{static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq)})) +
        "00");
    return Hex(card.ProcessApdu(gp::IsdRAid(), apdu));
  };
  card.OnAttachResult(true, 0);  // type 01, sequence 0
  auto due = card.DueNotifications(0);
  ASSERT_EQ(due.size(), 1u);
  card.NotificationSent(due[0].sequence_number, 0);
  EXPECT_TRUE(card.DueNotifications(100).empty());
  EXPECT_EQ(confirm(0), "80009000");  // within the interval: still confirmable

  // Unconfirmed: dropped after the interval.
  CardKeys keys2;
  auto config2 = MakeConfig(keys2);
  config2.timers.max_attempts = 1;
  auto card2 = Euicc::Manufacture(std::move(config2), clock_, random_).value();
  card2.OnAttachResult(true, 0);
  card2.NotificationSent(card2.DueNotifications(0).at(0).sequence_number, 0);
  const size_t with_record = card2.Serialize().size();
  card2.Tick(120);  // one interval later: gone from the card (and from its image)
  EXPECT_LT(card2.Serialize().size(), with_record);
  EXPECT_TRUE(card2.DueNotifications(10000).empty());
  EXPECT_EQ(Hex(card2.ProcessApdu(gp::IsdRAid(), HexOrDie("80E28900073A08044E02000000"))), "6A88");
}

TEST_F(CardNotifications, ConfirmationRefusals) {
  EXPECT_EQ(Confirm(7), "6A88");
  EXPECT_EQ(IsdR("80E28900063A08034E010100"), "6A80");  // 1-byte sequence number
}

}  // namespace
}  // namespace m2mrsp::euicc::testing
