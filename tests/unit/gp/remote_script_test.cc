// ETSI TS 102 226 compact and expanded remote APDU formats. The golden values are quoted from
// osmocom/pysim `tests/unittests/test_ota.py` (commit 6076e4e6ff848590cf2bce98aeb78a37c67dbad8):
// ExpandedCmdTestCase, ExpandedRespTestCase, ExpandedIndefiniteTestCase (the indefinite ones
// "captured from live eUICC over SCP81/HTTPS") and the compact PoRs of real sysmocom SJA5 cards
// (SmsOtaTestCase / Test_SMS_3DES). None was produced by our code.
#include "gp/remote_script.h"

#include <gtest/gtest.h>

namespace m2mrsp::gp {
namespace {

std::vector<CommandApdu> Apdus(std::initializer_list<std::string_view> hex) {
  std::vector<CommandApdu> out;
  for (auto h : hex) {
    auto c = DecodeCommand(HexOrDie(h));
    EXPECT_TRUE(c.ok()) << h;
    if (c.ok()) out.push_back(*c);
  }
  return out;
}

std::string EncodeScriptHex(std::initializer_list<std::string_view> apdus, bool indefinite) {
  auto s = MakeCommandScript(Apdus(apdus), indefinite);
  EXPECT_TRUE(s.ok());
  auto e = EncodeCommandScript(*s);
  EXPECT_TRUE(e.ok());
  return e.ok() ? ToHex(*e) : "";
}

// Decodes, checks the C-APDUs, re-encodes to the same bytes.
void ExpectCommandScript(std::string_view hex, std::initializer_list<std::string_view> apdus,
                         bool indefinite) {
  SCOPED_TRACE(hex);
  auto s = DecodeCommandScript(HexOrDie(hex));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->indefinite, indefinite);
  auto cmds = CommandsOf(*s);
  ASSERT_TRUE(cmds.ok());
  EXPECT_EQ(*cmds, Apdus(apdus));
  EXPECT_EQ(ToHex(*EncodeCommandScript(*s)), ToHex(HexOrDie(hex)));
  EXPECT_EQ(EncodeScriptHex(apdus, indefinite), ToHex(HexOrDie(hex)));
}

TEST(ExpandedCommandScript, PysimDefiniteGolden) {
  ExpectCommandScript("aa0a220880f24002024f0000", {"80f24002024f0000"}, false);
  ExpectCommandScript("aa14220880f24002024f0000220800a40004023f0000",
                      {"80f24002024f0000", "00a40004023f0000"}, false);
  ExpectCommandScript("aa07220580ca00e000", {"80ca00e000"}, false);
}

TEST(ExpandedCommandScript, PysimMultiByteLengthGolden) {
  // 200-byte C-APDU: `aa 81 cb | 22 81 c8 | 80f24000 c3 00 01 … c2`.
  Bytes capdu = HexOrDie("80f24000c3");
  for (int i = 0; i < 195; ++i) capdu.push_back(static_cast<uint8_t>(i));
  auto s = MakeCommandScript(std::vector<CommandApdu>{*DecodeCommand(capdu)});
  ASSERT_TRUE(s.ok());
  const Bytes wire = *EncodeCommandScript(*s);
  EXPECT_EQ(ToHex(ByteView(wire).first(6)), "aa81cb2281c8");
  EXPECT_EQ(Bytes(wire.begin() + 6, wire.end()), capdu);
  EXPECT_EQ(*DecodeCommandScript(wire), *s);
}

TEST(ExpandedCommandScript, PysimIndefiniteGolden) {
  ExpectCommandScript("ae80220580ca00e0000000", {"80ca00e000"}, true);
  ExpectCommandScript("ae80220700a4000c023f00220700a4000c022fe2220500b000000a0000",
                      {"00a4000c023f00", "00a4000c022fe2", "00b000000a"}, true);
}

TEST(ExpandedCommandScript, OtherItems) {
  // Script chaining first, then a command, immediate and error actions.
  const std::string hex =
      "aa12"
      "830101"
      "220580ca00e000"
      "810101"
      "8200"
      "820101";
  BadFormat bf{};
  auto s = DecodeCommandScript(HexOrDie(hex), {}, &bf);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->items.size(), 5u);
  EXPECT_EQ(s->items[0].tag, kTagScriptChaining);
  EXPECT_EQ(ToHex(*EncodeCommandScript(*s)), hex);
  EXPECT_EQ(CommandsOf(*s)->size(), 1u);
  auto made = MakeCommandScript(Apdus({"80ca00e000"}), false, ScriptChaining::kFirstKeptOnReset);
  EXPECT_EQ(ToHex(*EncodeCommandScript(*made)), "aa0a830111220580ca00e000");
  // SCP03t TLVs only when the caller allows them.
  ScriptLimits scp03t;
  scp03t.extra_command_tags = {0x84, 0x85, 0x86};
  EXPECT_TRUE(DecodeCommandScript(HexOrDie("aa058603010203"), scp03t).ok());
  EXPECT_FALSE(DecodeCommandScript(HexOrDie("aa058603010203")).ok());
}

void ExpectCommandRefused(std::string_view hex, std::optional<BadFormat> expected,
                          const ScriptLimits& limits = {}) {
  SCOPED_TRACE(hex);
  BadFormat bf = static_cast<BadFormat>(0);
  auto s = DecodeCommandScript(HexOrDie(hex), limits, &bf);
  EXPECT_FALSE(s.ok());
  if (expected) {
    EXPECT_EQ(bf, *expected);
  }
}

TEST(ExpandedCommandScript, Refusals) {
  ExpectCommandRefused("", std::nullopt);
  ExpectCommandRefused("ab0780010123029000", std::nullopt);                  // a response template
  ExpectCommandRefused("aa0a220880f24002024f00", std::nullopt);              // truncated template
  ExpectCommandRefused("aa07220580ca00e00000", std::nullopt);                // trailing bytes
  ExpectCommandRefused("ae220580ca00e0000000", std::nullopt);                // AE without 80
  ExpectCommandRefused("ae80220580ca00e000", std::nullopt);                  // no end-of-contents
  ExpectCommandRefused("ae80220580ca00e00000", std::nullopt);                // half end-of-contents
  ExpectCommandRefused("ae80220580ca00e000000000", std::nullopt);            // bytes after it
  ExpectCommandRefused("aa03240100", BadFormat::kUnknownTag);                // unknown item tag
  ExpectCommandRefused("aa0322015a", BadFormat::kWrongLength);               // C-APDU of 1 byte
  ExpectCommandRefused("aa0422058000", BadFormat::kWrongLength);             // item length overruns
  ExpectCommandRefused("aa0122", BadFormat::kLengthMissing);                 // tag without length
  ExpectCommandRefused("aa03830104", BadFormat::kWrongLength);               // chaining value 04
  ExpectCommandRefused("aa0a220580ca00e000830101", BadFormat::kUnknownTag);  // chaining not first
  ExpectCommandRefused("aa028100", BadFormat::kWrongLength);  // empty immediate action
  ScriptLimits few;
  few.max_items = 1;
  ExpectCommandRefused("aa14220880f24002024f0000220800a40004023f0000", std::nullopt, few);
  ScriptLimits small;
  small.max_size = 8;
  ExpectCommandRefused("aa0a220880f24002024f0000", std::nullopt, small);
  ScriptLimits strict;
  strict.require_minimal_length = true;
  ExpectCommandRefused("aa8107220580ca00e000", std::nullopt, strict);
  EXPECT_TRUE(DecodeCommandScript(HexOrDie("aa8107220580ca00e000")).ok());
  // CommandsOf refuses a malformed C-APDU inside a well-formed item.
  auto s = DecodeCommandScript(HexOrDie("aa07220580ca00e0ff"));
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(CommandsOf(*s).ok());  // case 2, Le ff
  s =
      DecodeCommandScript(HexOrDie("aa08"
                                   "2206"
                                   "80e2880003aa"));
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(CommandsOf(*s).ok());  // Lc 3, one byte
}

void ExpectResponse(std::string_view hex, std::optional<uint32_t> executed,
                    std::vector<std::pair<std::string, uint16_t>> rapdus) {
  SCOPED_TRACE(hex);
  auto r = DecodeResponseScript(HexOrDie(hex));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->executed, executed);
  const auto got = RApdusOf(*r);
  ASSERT_EQ(got.size(), rapdus.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(ToHex(got[i].data), rapdus[i].first);
    EXPECT_EQ(got[i].sw, rapdus[i].second);
  }
  EXPECT_EQ(ToHex(*EncodeResponseScript(*r)), ToHex(HexOrDie(hex)));
}

TEST(ExpandedResponseScript, PysimGolden) {
  ExpectResponse("ab0780010123026132", 1u, {{"", 0x6132}});
  ExpectResponse("ab0780010123029000", 1u, {{"", 0x9000}});
  // Live eUICC (RFM): three R-APDUs, no `80` count in the indefinite form.
  ExpectResponse(
      "af80"
      "23029000"
      "23029000"
      "230c988812010000408608149000"
      "0000",
      std::nullopt, {{"", 0x9000}, {"", 0x9000}, {"98881201000040860814", 0x9000}});
  // Live eUICC (RAM GET DATA, key information template).
  const std::string key_info =
      "e030c00403308810c00402308810c00401308810c00402408810"
      "c00401408510c00403018810c00402018810c00401018810";
  ExpectResponse(
      "af80"
      "2334" +
          key_info +
          "9000"
          "0000",
      std::nullopt, {{key_info, 0x9000}});
}

TEST(ExpandedResponseScript, PysimRegistryGolden) {
  // 198-byte registry + 9000: `ab 81 ce | 80 01 01 | 23 81 c8 | …`.
  Bytes registry(198);
  for (size_t i = 0; i < registry.size(); ++i) registry[i] = static_cast<uint8_t>(i);
  ResponseScript r;
  r.executed = 1;
  r.items.push_back({kTagRApdu, EncodeResponse({registry, 0x9000})});
  const Bytes wire = *EncodeResponseScript(r);
  EXPECT_EQ(ToHex(ByteView(wire).first(9)), "ab81ce8001012381c8");
  auto back = DecodeResponseScript(wire);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(RApdusOf(*back).at(0).data, registry);
}

TEST(ExpandedResponseScript, PysimErrorItems) {
  auto bad = DecodeResponseScript(HexOrDie("ab06800101900101"));
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(BadFormatOf(*bad), BadFormat::kUnknownTag);
  EXPECT_TRUE(RApdusOf(*bad).empty());
  auto indef = DecodeResponseScript(HexOrDie("af809001010000"));
  ASSERT_TRUE(indef.ok());
  EXPECT_EQ(BadFormatOf(*indef), BadFormat::kUnknownTag);
  auto immediate = DecodeResponseScript(HexOrDie("ab06800101810101"));
  ASSERT_TRUE(immediate.ok());
  EXPECT_EQ(immediate->items.at(0).tag, kTagImmediateActionResponse);
  auto chaining = DecodeResponseScript(HexOrDie("ab06800101830102"));
  ASSERT_TRUE(chaining.ok());
  EXPECT_EQ(chaining->items.at(0).tag, kTagScriptChainingResponse);
  EXPECT_FALSE(BadFormatOf(*chaining));
}

TEST(ExpandedResponseScript, Refusals) {
  for (std::string_view hex : {
           "ab0423029000",          // definite without `80`
           "ab0780010123029000ff",  // trailing byte
           "ab06800101230190",      // R-APDU of one byte
           "ab06800101900104",      // bad-format value 04
           "ab0780010190020101",    // bad-format of two bytes
           "ab06800101830100",      // chaining response 00
           "ab0780010181020101",    // immediate action response of two bytes
           "ab06800101220100",      // a command item in a response
           "ab088002000123029000",  // non-minimal count `00 01`
           "ab0380010180",          // count repeated... truncated item
           "af8023029000",          // pySim: missing end-of-contents
       }) {
    SCOPED_TRACE(hex);
    EXPECT_FALSE(DecodeResponseScript(HexOrDie(hex)).ok());
  }
  // pySim test_resp_truncated_is_rejected: the last 1..3 bytes chopped off.
  const Bytes good = HexOrDie(
      "af80"
      "23029000"
      "230c988812010000408608149000"
      "0000");
  ASSERT_TRUE(DecodeResponseScript(good).ok());
  for (size_t cut = 1; cut <= 3; ++cut) {
    EXPECT_FALSE(DecodeResponseScript(ByteView(good).first(good.size() - cut)).ok()) << cut;
  }
  ResponseScript no_count;
  EXPECT_FALSE(EncodeResponseScript(no_count).ok());
  no_count.indefinite = true;
  EXPECT_EQ(ToHex(*EncodeResponseScript(no_count)), "af800000");
  no_count.items.push_back({kTagRApdu, {0x90}});
  EXPECT_FALSE(EncodeResponseScript(no_count).ok());
}

TEST(CompactFormat, PysimRealCardCommandsAndPors) {
  // The C-APDU of every SmsOtaTestCase command packet: SELECT MF without Le.
  auto cmds = DecodeCompactCommands(HexOrDie("00a40004023f00"));
  ASSERT_TRUE(cmds.ok());
  ASSERT_EQ(cmds->size(), 1u);
  EXPECT_EQ((*cmds)[0].apdu_case(), ApduCase::kCase3);
  EXPECT_EQ(ToHex(*EncodeCompactCommands(*cmds)), "00a40004023f00");
  // The PoR secured data of the real cards: 1 command executed, SW 6132 / 612F, no data.
  auto por = DecodeCompactResponse(HexOrDie("016132"));
  ASSERT_TRUE(por.ok());
  EXPECT_EQ(por->executed, 1);
  EXPECT_EQ(por->last_sw, 0x6132);
  EXPECT_TRUE(por->last_data.empty());
  EXPECT_EQ(ToHex(EncodeCompactResponse(*por)), "016132");
  EXPECT_EQ(DecodeCompactResponse(HexOrDie("01612f"))->last_sw, 0x612F);
}

TEST(CompactFormat, SeveralCommands) {
  const std::string hex =
      "00a40004023f00"
      "00a4000c022fe2"
      "00b000000a"
      "80e2880000";
  auto cmds = DecodeCompactCommands(HexOrDie(hex));
  ASSERT_TRUE(cmds.ok());
  ASSERT_EQ(cmds->size(), 4u);
  EXPECT_EQ((*cmds)[2].ne, 10u);
  EXPECT_EQ((*cmds)[3].apdu_case(), ApduCase::kCase1);
  EXPECT_EQ(ToHex(*EncodeCompactCommands(*cmds)), hex);
  // A case 4 command travels without its Le.
  EXPECT_EQ(ToHex(*EncodeCompactCommands(Apdus({"80f24002024f0000"}))), "80f24002024f00");
  auto resp = DecodeCompactResponse(HexOrDie("0290006f21"));
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(ToHex(resp->last_data), "6f21");
}

TEST(CompactFormat, Refusals) {
  EXPECT_FALSE(DecodeCompactCommands(HexOrDie("00a40004")).ok());        // short header
  EXPECT_FALSE(DecodeCompactCommands(HexOrDie("00a40004033f00")).ok());  // P3 past the end
  CompactOptions one;
  one.max_commands = 1;
  EXPECT_EQ(DecodeCompactCommands(HexOrDie("00b000000a00b000000a"), one).status().kind(),
            ErrorKind::kLimitExceeded);
  EXPECT_FALSE(EncodeCompactCommands(Apdus({"80ca005a000000"})).ok());  // extended
  EXPECT_FALSE(EncodeCompactCommands(Apdus({"80ca005a01aa00"})).ok());  // data on GET DATA
  EXPECT_FALSE(EncodeCompactCommands(Apdus({"80e2880000"})).ok());      // case 2 on E2
  EXPECT_FALSE(DecodeCompactResponse(HexOrDie("0190")).ok());
  EXPECT_EQ(DecodeCompactResponse(Bytes(300, 0)).status().kind(), ErrorKind::kLimitExceeded);
}

}  // namespace
}  // namespace m2mrsp::gp
