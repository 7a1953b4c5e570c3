// INSTALL [for install and make selectable] / [for personalization] and DELETE, checked
// byte-exact against the published SGP.02 examples of shared/spec/sgp02-resolutions.md §3
// (WHTY unit test, shenqinglan/whatever_ty; DELETE identical in WHTY and Njiwa).
#include "gp/install.h"

#include <gtest/gtest.h>

#include "gp/aids.h"
#include "gp/delete_command.h"

namespace m2mrsp::gp {
namespace {

// WHTY CreateISDP unit test (resolutions §3), ISD-P AID …8900001300.
constexpr std::string_view kWhtyCreateIsdp =
    "80E60C003F"
    "10A0000005591010FFFFFFFF8900000D00"
    "10A0000005591010FFFFFFFF8900000E00"
    "10A0000005591010FFFFFFFF8900001300"
    "0380C000"
    "06C90481020370"
    "00"
    "00";

const Aid kIsdP13 = *Aid::Parse("A0000005591010FFFFFFFF8900001300");

TEST(InstallForInstall, CreateIsdpMatchesWhty) {
  auto apdu = BuildInstallForInstall(CreateIsdpInstall(kIsdP13));
  ASSERT_TRUE(apdu.ok()) << apdu.status().ToString();
  auto wire = EncodeCommand(*apdu);
  ASSERT_TRUE(wire.ok());
  EXPECT_EQ(ToHexUpper(*wire), ToHexUpper(HexOrDie(kWhtyCreateIsdp)));
}

TEST(InstallForInstall, ParsesWhtyCommand) {
  auto apdu = DecodeCommand(HexOrDie(kWhtyCreateIsdp));
  ASSERT_TRUE(apdu.ok());
  auto parsed = ParseInstallForInstall(*apdu);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->elf_aid, IsdPElfAid());
  EXPECT_EQ(parsed->module_aid, IsdPModuleAid());
  EXPECT_EQ(parsed->instance_aid, kIsdP13);
  EXPECT_EQ(ToHex(parsed->privileges), "80c000");
  EXPECT_EQ(ToHex(parsed->parameters.application_specific), "81020370");
  EXPECT_FALSE(parsed->parameters.reserved_memory);
  EXPECT_TRUE(parsed->token.empty());
  EXPECT_TRUE(parsed->make_selectable);
  EXPECT_EQ(*parsed, CreateIsdpInstall(kIsdP13));
}

// Njiwa's optional memory quota `EF 04 83 02 <quota>` (resolutions §3, [C / ?]).
TEST(InstallForInstall, ReservedMemoryRoundTrip) {
  auto apdu = BuildInstallForInstall(CreateIsdpInstall(kIsdP13, 0x1234));
  ASSERT_TRUE(apdu.ok());
  const std::string hex = ToHexUpper(*EncodeCommand(*apdu));
  EXPECT_NE(hex.find("0CC90481020370EF0483021234"), std::string::npos) << hex;
  EXPECT_EQ(hex.substr(8, 2), "45");  // Lc grew by 6
  auto parsed = ParseInstallForInstall(*apdu);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->parameters.reserved_memory, 0x1234u);
  auto big = BuildInstallForInstall(CreateIsdpInstall(kIsdP13, 0x00100000));
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(ParseInstallForInstall(*big)->parameters.reserved_memory, 0x00100000u);
}

// The WHTY command with one piece of its data field replaced (Lc follows).
CommandApdu WhtyWith(std::string_view from, std::string_view to) {
  CommandApdu c = *DecodeCommand(HexOrDie(kWhtyCreateIsdp));
  std::string hex = ToHexUpper(c.data);
  const size_t at = hex.find(from);
  EXPECT_NE(at, std::string::npos);
  if (at != std::string::npos) hex.replace(at, from.size(), to);
  c.data = HexOrDie(hex);
  return c;
}

TEST(InstallForInstall, ParserRefuses) {
  auto base = *DecodeCommand(HexOrDie(kWhtyCreateIsdp));
  CommandApdu c = base;
  c.ins = 0xE4;
  EXPECT_FALSE(ParseInstallForInstall(c).ok());
  c = base;
  c.p1 = 0x20;
  EXPECT_FALSE(ParseInstallForInstall(c).ok());
  c = base;
  c.p2 = 0x01;
  EXPECT_FALSE(ParseInstallForInstall(c).ok());
  c = base;
  c.cla = 0x00;
  EXPECT_FALSE(ParseInstallForInstall(c).ok());
  c = base;
  c.data.push_back(0x00);  // trailing byte after the token
  EXPECT_FALSE(ParseInstallForInstall(c).ok());
  c = base;
  c.data.resize(c.data.size() - 1);  // token length missing
  EXPECT_FALSE(ParseInstallForInstall(c).ok());
  // Privileges of 2 bytes; install parameters without C9; unknown EF content; 4-byte AID.
  EXPECT_FALSE(ParseInstallForInstall(WhtyWith("0380C000", "0280C0")).ok());
  EXPECT_FALSE(ParseInstallForInstall(WhtyWith("06C90481020370", "06CA0481020370")).ok());
  EXPECT_FALSE(ParseInstallForInstall(WhtyWith("06C90481020370", "08C900EF04C8020100")).ok());
  EXPECT_FALSE(ParseInstallForInstall(WhtyWith("06C90481020370", "06C904810203")).ok());
  EXPECT_FALSE(
      ParseInstallForInstall(WhtyWith("10A0000005591010FFFFFFFF8900000D00", "04A0000005")).ok());
  // P1 04 (install only) and a 1-byte privilege are GP-valid variants.
  c = WhtyWith("0380C000", "0180");
  c.p1 = kInstallP1ForInstall;
  auto variant = ParseInstallForInstall(c);
  ASSERT_TRUE(variant.ok()) << variant.status().ToString();
  EXPECT_FALSE(variant->make_selectable);
  EXPECT_EQ(variant->privileges, Bytes{0x80});
}

TEST(InstallForInstall, BuilderRefuses) {
  InstallForInstall in = CreateIsdpInstall(kIsdP13);
  in.privileges = {0x80, 0xC0};
  EXPECT_EQ(BuildInstallForInstall(in).status().kind(), ErrorKind::kInvalidArgument);
  in = CreateIsdpInstall(kIsdP13);
  in.token = Bytes(256, 1);
  EXPECT_FALSE(BuildInstallForInstall(in).ok());
  in = CreateIsdpInstall(kIsdP13);
  in.parameters.application_specific = Bytes(252, 1);
  EXPECT_FALSE(BuildInstallForInstall(in).ok());
  in.parameters.application_specific = Bytes(150, 1);
  in.token = Bytes(100, 2);  // each field fits, the whole data field does not
  EXPECT_FALSE(BuildInstallForInstall(in).ok());
}

TEST(InstallForPersonalization, RoundTrip) {
  const CommandApdu apdu = BuildInstallForPersonalization(kIsdP13);
  EXPECT_EQ(ToHexUpper(*EncodeCommand(apdu)),
            "80E6200016000010A0000005591010FFFFFFFF890000130000000000");
  auto aid = ParseInstallForPersonalization(apdu);
  ASSERT_TRUE(aid.ok());
  EXPECT_EQ(*aid, kIsdP13);
  CommandApdu bad = apdu;
  bad.data.back() = 0x01;
  EXPECT_FALSE(ParseInstallForPersonalization(bad).ok());
  bad = apdu;
  bad.data.pop_back();
  EXPECT_FALSE(ParseInstallForPersonalization(bad).ok());
  bad = apdu;
  bad.data[0] = 0x01;
  EXPECT_FALSE(ParseInstallForPersonalization(bad).ok());
  bad = apdu;
  bad.p1 = 0x0C;
  EXPECT_FALSE(ParseInstallForPersonalization(bad).ok());
}

// DeleteProfile: `80 E4 00 40 12 4F 10 <ISD-P AID> 00` in WHTY and Njiwa (resolutions §3).
TEST(Delete, MatchesPublishedCommand) {
  const Aid aid = *Aid::Parse("A0000005591010FFFFFFFF8900001000");
  auto apdu = BuildDelete(DeleteRequest{aid, kDeleteP2Sgp02, std::nullopt, std::nullopt});
  ASSERT_TRUE(apdu.ok());
  EXPECT_EQ(ToHexUpper(*EncodeCommand(*apdu)), "80E40040124F10A0000005591010FFFFFFFF890000100000");
  auto parsed = ParseDelete(*apdu);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->aid, aid);
  EXPECT_EQ(parsed->p2, 0x40);
  for (uint8_t p2 : {uint8_t{0x00}, uint8_t{0x80}}) {
    CommandApdu c = *apdu;
    c.p2 = p2;
    EXPECT_TRUE(ParseDelete(c).ok());
  }
}

TEST(Delete, MasterDeleteTlvsAndRefusals) {
  const Aid aid = *Aid::Parse("A0000005591010FFFFFFFF8900001000");
  DeleteRequest req{aid, kDeleteP2Sgp02, HexOrDie("4203010203"), Bytes(16, 0x9E)};
  auto apdu = BuildDelete(req);
  ASSERT_TRUE(apdu.ok());
  auto parsed = ParseDelete(*apdu);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, req);
  req.p2 = 0x01;
  EXPECT_FALSE(BuildDelete(req).ok());

  auto decode = [](std::string_view hex) { return ParseDelete(*DecodeCommand(HexOrDie(hex))); };
  EXPECT_FALSE(decode("80E4004005F203010103"
                      "00")
                   .ok());  // no 4F (key deletion)
  EXPECT_FALSE(decode("80E4014007"
                      "4F05A000000559"
                      "00")
                   .ok());  // P1 01
  EXPECT_FALSE(decode("80E4002007"
                      "4F05A000000559"
                      "00")
                   .ok());  // P2 20
  EXPECT_FALSE(decode("80E4004006"
                      "4F04A0000005"
                      "00")
                   .ok());  // AID of 4 bytes
  EXPECT_TRUE(decode("80E400400A"
                     "4F05A000000559"
                     "9E0100"
                     "00")
                  .ok());
  EXPECT_FALSE(decode("80E400400C"
                      "4F05A000000559"
                      "9E0100B600"
                      "00")
                   .ok());  // order
  EXPECT_FALSE(decode("80E4004009"
                      "4F05A000000559"
                      "C000"
                      "00")
                   .ok());  // unknown tag
  EXPECT_FALSE(decode("80E4004007"
                      "4F06A000000559"
                      "00")
                   .ok());  // truncated TLV
}

}  // namespace
}  // namespace m2mrsp::gp
