// The real card behind its SMS-PP front end across an SM-SR change (review rev1): the PoR of a
// FinaliseISDRhandover that removes the key set of its own packet is still secured with that key
// set, and the default notifications follow the key sets left on the card.
#include <gtest/gtest.h>

#include "card_fixture.h"
#include "euicc/sms_pp.h"
#include "scp/scp80_packet.h"
#include "scp/sms_concat.h"
#include "scp/sms_tpdu.h"

namespace m2mrsp::euicc::testing {
namespace {

const scp::SmsAddress kSmsr{0x91, "447700900001", {}, 0};
// Key sets 1 and 2 of MakeConfig: KIc 11…/12…, KID 21…/22….
Bytes Kic(uint8_t set) { return Bytes(16, static_cast<uint8_t>(0x10 + set)); }
Bytes Kid(uint8_t set) { return Bytes(16, static_cast<uint8_t>(0x20 + set)); }

class CardOta : public CardTest {
 protected:
  CardOta() : fe_(card_, clock_) {}

  // An SCP80 command packet to the ISD-R, secured with key set `set` (CC, PoR with CC),
  // carrying compact-format `commands`; returns the outcome.
  Result<SmsPpOutcome> SendIsdR(uint8_t set, uint64_t counter, const Bytes& commands) {
    scp::CommandHeader h;
    h.spi = *scp::Spi::Decode(0x12, 0x09);  // CC, counter higher; PoR required, with CC
    h.kic = h.kid = static_cast<uint8_t>((set << 4) | 0x02);
    h.tar = Tar::FromValue(1);
    h.counter = counter;
    const Bytes kic = Kic(set), kid = Kid(set);
    M2_ASSIGN_OR_RETURN(Bytes packet,
                        scp::WrapCommand(h, {AsView(kic), AsView(kid)}, AsView(commands)));
    M2_ASSIGN_OR_RETURN(auto tpdus, scp::CommandPacketToSmsDeliver(
                                        AsView(packet), kSmsr, {0x22, 0x70, 0x52, 0, 0, 0, 0}, {}));
    if (tpdus.size() != 1) return InternalError("one SMS expected");
    return fe_.OnSmsDeliver(AsView(tpdus[0]));
  }

  SmsPpFrontEnd fe_;
};

TEST_F(CardOta, HandoverPorUsesTheRemovedKeySet) {
  // FinaliseISDRhandover removing key set 1, sent under key set 1 (compact format, SGP.02
  // §4.1.1.9): the set is gone afterwards, yet the PoR is secured with it.
  auto out = SendIsdR(1, 1, HexOrDie("80E4000005F203010103"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->kind, SmsPpOutcome::Kind::kProcessed);
  EXPECT_EQ(card_.Scp80Keys().FindKeySet(Tar::FromValue(1), 1), nullptr);
  ASSERT_GT(out->envelope_response.size(), 3u);
  const Bytes por(out->envelope_response.begin() + 3, out->envelope_response.end());
  const Bytes kic = Kic(1), kid = Kid(1);
  auto opened = scp::OpenResponse(
      AsView(por), scp::PorSecurity::ForCommand(*scp::Spi::Decode(0x12, 0x09), 0x12, 0x12),
      {AsView(kic), AsView(kid)});
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->header.status, 0x00);
}

TEST_F(CardOta, NotificationsFollowTheRemainingKeySet) {
  EXPECT_EQ(card_.NotificationKeySet(), 1);
  ASSERT_EQ(IsdR("80E4000005F20301010300"), "009000");  // handover: key set 1 removed
  EXPECT_EQ(card_.NotificationKeySet(), 2);
  card_.OnAttachResult(true, 100);  // first attach: type 01 due
  auto sent = fe_.SendDueNotifications(100);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  ASSERT_EQ(sent->size(), 1u);
  auto submit = scp::SmsSubmit::Decode(AsView((*sent)[0].submit_tpdus.at(0)));
  ASSERT_TRUE(submit.ok());
  auto ud = scp::UserData::Decode(AsView(submit->user_data));
  ASSERT_TRUE(ud.ok());
  const Bytes kid = Kid(2);
  scp::CommandOpenResult opened = scp::OpenCommand(AsView(ud->payload), {{}, AsView(kid)});
  ASSERT_TRUE(opened.command.has_value()) << opened.error.ToString();
  EXPECT_EQ(opened.command->header.kic, 0x20);
  EXPECT_EQ(opened.command->header.kid, 0x22);
  EXPECT_EQ(opened.command->data.at(0), 0xE1);
}

}  // namespace
}  // namespace m2mrsp::euicc::testing
