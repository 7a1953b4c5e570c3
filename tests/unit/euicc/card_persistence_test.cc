// The card image (Euicc::Serialize / Restore): exact round trips, restore in the middle of a
// profile switch continuing identically, and strict refusal of damaged images.
#include <gtest/gtest.h>

#include <algorithm>

#include "card_fixture.h"

namespace m2mrsp::euicc::testing {
namespace {

class CardPersistence : public CardTest {
 protected:
  Euicc Reload() {
    auto r = Euicc::Restore(card_.Serialize(), clock_, random_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return std::move(r).value();
  }
};

TEST_F(CardPersistence, RoundTripIsExact) {
  AddProfile(0x11, kPol1DeleteNotAllowed);
  ASSERT_EQ(CreateIsdp(0x12, 4096), "009000");
  ASSERT_TRUE(card_.SetTokenKey(IsdP(0x11), SecretBytes(Bytes(16, 7))).ok());
  ASSERT_EQ(SetEmergency(0x11), "9000");
  ASSERT_TRUE(card_.Scp80Counters().Save(1, 0x0102030405).ok());
  card_.SetImei(HexOrDie("3A45990057918503"));
  const Bytes image = card_.Serialize();
  Euicc copy = Reload();
  EXPECT_EQ(copy.Serialize(), image);
  EXPECT_EQ(copy.Scp80Counters().Load(1).value(), 0x0102030405u);
  EXPECT_TRUE(copy.IsEmergency(IsdP(0x11)));
  EXPECT_EQ(copy.FreeMemory(), card_.FreeMemory());
  EXPECT_EQ(copy.Profile(IsdP(0x11))->content, MakeProfile().content);
  EXPECT_TRUE(copy.Scp81Psk(AsBytes("isdr-psk-1")).has_value());
}

// Serialise after Enable (before the REFRESH), and again while waiting for the confirmation;
// each restored card continues exactly like the original.
TEST_F(CardPersistence, ContinuesAProfileSwitchAfterRestore) {
  AddProfile(0x11);
  ASSERT_EQ(Enable(0x11), "9000");
  Euicc a = Reload();
  EXPECT_TRUE(a.PendingRefresh());
  for (Euicc* c : {&card_, &a}) {
    c->RefreshDone();
    c->OnAttachResult(true, 1000);
  }
  EXPECT_EQ(a.Serialize(), card_.Serialize());
  Euicc b = Reload();
  auto due_card = card_.DueNotifications(1000);
  auto due_b = b.DueNotifications(1000);
  ASSERT_EQ(due_card.size(), 1u);
  ASSERT_EQ(due_b.size(), 1u);
  EXPECT_EQ(due_b[0].e1_tlv, due_card[0].e1_tlv);
  // Both time out the same way.
  card_.Tick(1600);
  b.Tick(1600);
  EXPECT_EQ(b.EnabledProfile(), IsdP(0x10));
  EXPECT_EQ(b.Serialize(), card_.Serialize());
}

TEST_F(CardPersistence, SequenceNumbersSurviveRestore) {
  card_.OnAttachResult(true, 10);
  ASSERT_EQ(Confirm(0), "80009000");
  Euicc copy = Reload();
  AddProfile(0x11);
  ASSERT_EQ(
      Hex(copy.ProcessApdu(
          gp::IsdRAid(),
          gp::EncodeCommand(gp::BuildInstallForInstall(gp::CreateIsdpInstall(IsdP(0x11))).value())
              .value())),
      "009000");
  ASSERT_TRUE(copy.InstallProfile(IsdP(0x11), MakeProfile()).ok());
  ASSERT_EQ(Hex(copy.ProcessApdu(gp::IsdRAid(), HexOrDie(AidDgi("3A03", 0x11)))), "9000");
  copy.RefreshDone();
  copy.OnAttachResult(true, 20);
  auto due = copy.DueNotifications(20);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].sequence_number, 1);
}

TEST_F(CardPersistence, RefusesDamagedImages) {
  AddProfile(0x11);
  ASSERT_EQ(Enable(0x11), "9000");
  card_.RefreshDone();
  card_.OnAttachResult(true, 1000);
  const Bytes image = card_.Serialize();
  EXPECT_FALSE(Euicc::Restore({}, clock_, random_).ok());
  EXPECT_FALSE(Euicc::Restore(HexOrDie("E000"), clock_, random_).ok());
  Bytes trailing = image;
  trailing.push_back(0);
  EXPECT_FALSE(Euicc::Restore(trailing, clock_, random_).ok());
  for (size_t n = 0; n < image.size(); n += 7)
    EXPECT_FALSE(Euicc::Restore(ByteView(image.data(), n), clock_, random_).ok()) << n;
  Bytes version = image;
  ASSERT_EQ(version[version[1] & 0x80 ? 2 + (version[1] & 0x7F) + 2 : 4], 0x01);
  // Every single-byte change either fails cleanly or gives a card whose image is exactly the
  // changed one (the image is canonical: nothing Restore accepts is re-encoded differently).
  size_t accepted = 0;
  for (size_t i = 0; i < image.size(); ++i) {
    Bytes m = image;
    m[i] ^= 0x5A;
    auto r = Euicc::Restore(m, clock_, random_);
    if (r.ok()) {
      ++accepted;
      EXPECT_EQ(Hex(r->Serialize()), Hex(m)) << "byte " << i;
    }
  }
  EXPECT_GT(accepted, 0u);  // key bytes, counters, digits: changes the format cannot detect
}

// The security state inside an ISD-P record must be that ISD-P's (its AID is inside it).
TEST_F(CardPersistence, RefusesTheSecurityStateOfAnotherIsdp) {
  ASSERT_EQ(CreateIsdp(0x11), "009000");
  Bytes image = card_.Serialize();
  ASSERT_TRUE(Euicc::Restore(image, clock_, random_).ok());
  // `86 L { 80 01 01, 4F 10 AID, ... }`: point the AID at ISD-P 12.
  const Bytes inner = HexOrDie("800101 4F10" + IsdP(0x11).ToHex());
  auto it = std::search(image.begin(), image.end(), inner.begin(), inner.end());
  ASSERT_NE(it, image.end());
  *(it + static_cast<long>(inner.size()) - 2) = 0x12;
  auto r = Euicc::Restore(image, clock_, random_);
  EXPECT_FALSE(r.ok());
}

// The counter of packets the card originates (MO notifications) is the card's and survives a
// restart; a new card starts at 1.
TEST_F(CardPersistence, OriginatedCounterSurvivesRestore) {
  EXPECT_EQ(card_.NextOriginatedCounter(1).value(), 1u);
  EXPECT_EQ(card_.NextOriginatedCounter(1).value(), 2u);
  EXPECT_EQ(card_.NextOriginatedCounter(2).value(), 1u);
  EXPECT_FALSE(card_.NextOriginatedCounter(9).ok());
  Euicc copy = Reload();
  EXPECT_EQ(copy.Serialize(), card_.Serialize());
  EXPECT_EQ(copy.NextOriginatedCounter(1).value(), 3u);
}

// Manufacture validates what Restore validates: nothing manufactured fails to restore.
TEST_F(CardPersistence, ManufactureRefusesWhatRestoreRefuses) {
  auto refused = [this](auto edit) {
    CardKeys keys;
    ManufacturingConfig c = MakeConfig(keys);
    edit(c);
    return !Euicc::Manufacture(std::move(c), clock_, random_).ok();
  };
  EXPECT_TRUE(refused([](ManufacturingConfig& c) { c.timers.confirmation_timeout_seconds = -1; }));
  EXPECT_TRUE(refused(
      [](ManufacturingConfig& c) { c.timers.retransmission_interval_seconds = int64_t{1} << 41; }));
  EXPECT_TRUE(refused([](ManufacturingConfig& c) { c.timers.max_attempts = -1; }));
  EXPECT_TRUE(refused([](ManufacturingConfig& c) { c.timers.max_attempts = 0x10000; }));
  EXPECT_TRUE(refused([](ManufacturingConfig& c) { c.ecasd_certificate = Bytes(2000, 0x7F); }));
  EXPECT_TRUE(refused([](ManufacturingConfig& c) { c.scp81_keys[0].identity = Bytes(200, 'a'); }));
  EXPECT_TRUE(
      refused([](ManufacturingConfig& c) { c.scp80_key_sets[0].kic = SecretBytes(Bytes(48, 1)); }));
  EXPECT_TRUE(refused([](ManufacturingConfig& c) { c.preinstalled->profile.content = {0x01}; }));
  EXPECT_FALSE(refused([](ManufacturingConfig& c) { c.timers.max_attempts = 0xFFFF; }));
}

TEST_F(CardPersistence, RefusesRuleViolations) {
  AddProfile(0x11);
  Bytes image = card_.Serialize();
  // Turn ISD-P 11's life cycle 1F into 3F: two enabled profiles.
  const Bytes aid = HexOrDie("80 10" + IsdP(0x11).ToHex() + "81011F");
  auto it = std::search(image.begin(), image.end(), aid.begin(), aid.end());
  ASSERT_NE(it, image.end());
  *(it + static_cast<long>(aid.size()) - 1) = 0x3F;
  auto r = Euicc::Restore(image, clock_, random_);
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace m2mrsp::euicc::testing
