// The card-side decisions of Scp80Card: deliver, error PoR or silent drop, and counters.
#include "scp/scp80_card.h"

#include <gtest/gtest.h>

namespace m2mrsp::scp {
namespace {

const Bytes kKic = HexOrDie("200102030405060708090a0b0c0d0e0f");
const Bytes kKid = HexOrDie("201102030405060708090a0b0c0d0e0f");
const Tar kIsdR = Tar::FromValue(0x000001);

class FakeKeys : public Scp80CardKeys {
 public:
  FakeKeys() {
    set_.kic = SecretBytes(kKic);
    set_.kid = SecretBytes(kKid);
  }
  std::optional<MinimumSecurity> FindTar(const Tar& tar) const override {
    if (tar != kIsdR) return std::nullopt;
    return min_;
  }
  const Scp80KeySet* FindKeySet(const Tar&, uint8_t key_set) const override {
    return key_set == 2 ? &set_ : nullptr;
  }
  MinimumSecurity min_{true, true, true};

 private:
  Scp80KeySet set_;
};

class Scp80CardTest : public ::testing::Test {
 protected:
  // SPI 16 39: counter must be higher, ciphered, CC; PoR always, CC, ciphered, via SMS-SUBMIT.
  Bytes Command(uint64_t counter, uint8_t spi1 = 0x16, uint8_t spi2 = 0x39, Tar tar = kIsdR,
                uint8_t kic = 0x22, uint8_t kid = 0x22) {
    CommandHeader h;
    h.spi = *Spi::Decode(spi1, spi2);
    h.kic = kic;
    h.kid = kid;
    h.tar = tar;
    h.counter = counter;
    return *WrapCommand(h, {kKic, kKid}, HexOrDie("80e2880015"));
  }
  // Opens a PoR as the SM-SR would: expecting what its SPI 16 39 asked for.
  OpenedResponse OpenPor(const ReceiveOutcome& o, ByteView response = {}) {
    auto por = card_.BuildPor(o, response);
    EXPECT_TRUE(por.ok() && por->has_value());
    const PorSecurity asked{true, Integrity::kCc, 0x22, 0x22};
    auto opened = OpenResponse(**por, asked, {kKic, kKid});
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return *opened;
  }

  FakeKeys keys_;
  InMemoryCounterStore counters_;
  Scp80Card card_{keys_, counters_};
};

TEST_F(Scp80CardTest, DeliversAndStoresTheCounter) {
  auto o = card_.Receive(Command(1));
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->action, CardAction::kDeliver);
  EXPECT_EQ(ToHex(o->command->data), "80e2880015");
  EXPECT_EQ(*counters_.Load(2), 1u);
  OpenedResponse por = OpenPor(*o, HexOrDie("ab0780010123029000"));
  EXPECT_TRUE(por.secured);
  EXPECT_EQ(por.header.status, 0x00);
  EXPECT_EQ(por.header.counter, 1u);
  EXPECT_EQ(ToHex(por.data), "ab0780010123029000");
}

TEST_F(Scp80CardTest, ReplayAndLowCountersGetCounterLow) {
  ASSERT_EQ(card_.Receive(Command(5))->action, CardAction::kDeliver);
  for (uint64_t c : {5u, 4u, 0u}) {
    auto o = card_.Receive(Command(c));
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o->action, CardAction::kRespondError);
    EXPECT_EQ(o->status, PorStatus::kCounterLow);
    // Authenticated sender: the PoR is secured as the SPI asks and echoes the CNTR.
    OpenedResponse por = OpenPor(*o);
    EXPECT_TRUE(por.secured);
    EXPECT_EQ(por.header.status, 0x02);
    EXPECT_EQ(por.header.counter, c);
  }
  EXPECT_EQ(*counters_.Load(2), 5u);
}

TEST_F(Scp80CardTest, ExactlyOneHigher) {
  ASSERT_EQ(card_.Receive(Command(1, 0x1E))->action, CardAction::kDeliver);
  EXPECT_EQ(card_.Receive(Command(3, 0x1E))->status, PorStatus::kCounterHigh);
  EXPECT_EQ(card_.Receive(Command(1, 0x1E))->status, PorStatus::kCounterLow);
  EXPECT_EQ(card_.Receive(Command(2, 0x1E))->action, CardAction::kDeliver);
}

TEST_F(Scp80CardTest, BlockedCounter) {
  ASSERT_TRUE(counters_.Save(2, kMaxCounter).ok());
  EXPECT_EQ(card_.Receive(Command(1))->status, PorStatus::kCounterBlocked);
}

TEST_F(Scp80CardTest, UnknownTarGetsUnsecuredPor) {
  auto o = card_.Receive(Command(1, 0x16, 0x39, Tar::FromValue(0xABCDEF)));
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->status, PorStatus::kTarUnknown);
  OpenedResponse por = OpenPor(*o);
  EXPECT_FALSE(por.secured);
  EXPECT_EQ(por.header.counter, 0u);  // CNTR was ciphered: not echoed
  EXPECT_EQ(por.header.tar, Tar::FromValue(0xABCDEF));
}

TEST_F(Scp80CardTest, BadCcGetsUnsecuredPorOrIsDropped) {
  Bytes packet = Command(1);
  packet.back() ^= 0x80;
  auto o = card_.Receive(packet);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->status, PorStatus::kIntegrityFailed);
  EXPECT_FALSE(OpenPor(*o).secured);
  EXPECT_EQ(*counters_.Load(2), 0u);  // nothing stored for an unauthenticated packet

  Scp80Card strict(keys_, counters_, Scp80CardPolicy{false});
  auto dropped = strict.Receive(packet);
  ASSERT_TRUE(dropped.ok());
  EXPECT_EQ(dropped->action, CardAction::kDrop);
  EXPECT_FALSE(strict.BuildPor(*dropped, {})->has_value());
}

TEST_F(Scp80CardTest, SilentPolicyAnswersNothingBeforeAuthentication) {
  Scp80CardPolicy policy;
  policy.silent_before_authentication = true;
  Scp80Card isd_r(keys_, counters_, policy);
  Bytes bad_cc = Command(1);
  bad_cc.back() ^= 0x80;
  const Bytes probes[] = {
      Command(1, 0x16, 0x39, Tar::FromValue(0xABCDEF)),  // TAR unknown
      Command(1, 0x16, 0x39, kIsdR, 0x32, 0x32),         // key set unknown
      Command(1, 0x12),                                  // below the minimum security level
      bad_cc,                                            // wrong CC
  };
  for (const Bytes& p : probes) {
    auto o = isd_r.Receive(p);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o->action, CardAction::kDrop) << o->reason;
    EXPECT_FALSE(isd_r.BuildPor(*o, {})->has_value());
  }
  // An authenticated packet is still delivered, and a replay still gets its PoR.
  EXPECT_EQ(isd_r.Receive(Command(1))->action, CardAction::kDeliver);
  EXPECT_EQ(isd_r.Receive(Command(1))->status, PorStatus::kCounterLow);
}

TEST_F(Scp80CardTest, UnauthenticatedPacketsDoNotMoveTheCounter) {
  // A TAR that accepts packets without a checksum: counter checked but never stored, so no
  // one without the keys can push it to the maximum.
  keys_.min_ = MinimumSecurity{false, false, false};
  auto o = card_.Receive(Command(0xFFFFFFFFFE, 0x10, 0x00, kIsdR, 0x00, 0x00));
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->action, CardAction::kDeliver) << o->reason;
  EXPECT_EQ(*counters_.Load(2), 0u);
  EXPECT_EQ(*counters_.Load(0), 0u);
}

TEST_F(Scp80CardTest, SecurityLevelAndKeySetChecks) {
  // No ciphering although the TAR requires it.
  EXPECT_EQ(card_.Receive(Command(1, 0x12))->status, PorStatus::kInsufficientSecurityLevel);
  // Counter policy "no check" where a counter is required.
  EXPECT_EQ(card_.Receive(Command(1, 0x0E))->status, PorStatus::kInsufficientSecurityLevel);
  // Unknown key set 3, and KIc/KID from different sets.
  EXPECT_EQ(card_.Receive(Command(1, 0x16, 0x39, kIsdR, 0x32, 0x32))->status,
            PorStatus::kUnidentifiedSecurityError);
  EXPECT_EQ(card_.Receive(Command(1, 0x16, 0x39, kIsdR, 0x22, 0x32))->status,
            PorStatus::kUnidentifiedSecurityError);
  // A CRC where the TAR wants integrity.
  keys_.min_ = MinimumSecurity{true, false, false};
  EXPECT_EQ(card_.Receive(Command(1, 0x01, 0x01, kIsdR, 0x22, 0x25))->status,
            PorStatus::kInsufficientSecurityLevel);
}

TEST_F(Scp80CardTest, PorRequestRules) {
  // PoR only on error: nothing for a good packet, a PoR for a replay.
  auto ok = card_.Receive(Command(1, 0x16, 0x3A));
  ASSERT_EQ(ok->action, CardAction::kDeliver);
  EXPECT_FALSE(card_.BuildPor(*ok, {})->has_value());
  auto replay = card_.Receive(Command(1, 0x16, 0x3A));
  EXPECT_TRUE(card_.BuildPor(*replay, {})->has_value());
  // No PoR at all.
  auto none = card_.Receive(Command(1, 0x16, 0x00));
  EXPECT_EQ(none->status, PorStatus::kCounterLow);
  EXPECT_FALSE(card_.BuildPor(*none, {})->has_value());
}

TEST_F(Scp80CardTest, MalformedIsDropped) {
  for (const char* hex : {"", "0001", "00020d00", "0010150619222200000100000000000000"}) {
    auto o = card_.Receive(HexOrDie(hex));
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o->action, CardAction::kDrop) << hex;
    EXPECT_FALSE(card_.BuildPor(*o, {})->has_value());
  }
}

}  // namespace
}  // namespace m2mrsp::scp
