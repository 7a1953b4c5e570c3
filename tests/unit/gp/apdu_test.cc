// C-APDU / R-APDU codec (ISO/IEC 7816-4 §5.1), status-word names and the SGP.02 AIDs.
#include "gp/apdu.h"

#include <gtest/gtest.h>

#include "gp/aids.h"
#include "gp/status_word.h"

namespace m2mrsp::gp {
namespace {

std::string EncodeHex(const CommandApdu& c) {
  auto e = EncodeCommand(c);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? ToHex(*e) : "";
}

CommandApdu Decoded(std::string_view hex, const ApduLimits& limits = {}) {
  auto d = DecodeCommand(HexOrDie(hex), limits);
  EXPECT_TRUE(d.ok()) << hex << ": " << d.status().ToString();
  return d.ok() ? *d : CommandApdu{};
}

// Round trip: decode → expected case/fields → re-encode to the same bytes.
void ExpectRoundTrip(std::string_view hex, ApduCase c, size_t nc, std::optional<uint32_t> ne,
                     bool extended) {
  SCOPED_TRACE(hex);
  CommandApdu apdu = Decoded(hex);
  EXPECT_EQ(apdu.apdu_case(), c);
  EXPECT_EQ(apdu.data.size(), nc);
  EXPECT_EQ(apdu.ne, ne);
  EXPECT_EQ(apdu.extended, extended);
  EXPECT_EQ(EncodeHex(apdu), ToHex(HexOrDie(hex)));
}

TEST(CommandApdu, ShortCases) {
  ExpectRoundTrip("80ca005a", ApduCase::kCase1, 0, std::nullopt, false);
  // pySim tests/unittests/test_ota.py: `80ca00e000` (RAM GET DATA, live eUICC) and
  // `00b000000a` (READ BINARY) — case 2; Le 00 = 256.
  ExpectRoundTrip("80ca00e000", ApduCase::kCase2, 0, 256u, false);
  ExpectRoundTrip("00b000000a", ApduCase::kCase2, 0, 10u, false);
  // pySim: SELECT MF `00a40004023f00` (case 3) and GET STATUS `80f24002024f0000` (case 4).
  ExpectRoundTrip("00a40004023f00", ApduCase::kCase3, 2, std::nullopt, false);
  ExpectRoundTrip("80f24002024f0000", ApduCase::kCase4, 2, 256u, false);
  ExpectRoundTrip(
      "80f2400202"
      "4f00"
      "10",
      ApduCase::kCase4, 2, 16u, false);
}

TEST(CommandApdu, ExtendedCases) {
  ExpectRoundTrip("80ca005a000000", ApduCase::kCase2, 0, 65536u, true);
  ExpectRoundTrip("80ca005a000105", ApduCase::kCase2, 0, 261u, true);
  const std::string data300(600, 'a');  // 300 bytes of 0xAA
  ExpectRoundTrip(
      "80e28800"
      "00012c" +
          data300,
      ApduCase::kCase3, 300, std::nullopt, true);
  ExpectRoundTrip(
      "80e28800"
      "00012c" +
          data300 + "0000",
      ApduCase::kCase4, 300, 65536u, true);
  ExpectRoundTrip(
      "80e28800"
      "000002"
      "4f00"
      "0100",
      ApduCase::kCase4, 2, 256u, true);
}

TEST(CommandApdu, EncoderPicksTheForm) {
  CommandApdu c = MakeCommand(0x80, 0xCA, 0x00, 0x5A, {}, 256);
  EXPECT_EQ(EncodeHex(c), "80ca005a00");
  c.ne = 257;
  EXPECT_EQ(EncodeHex(c), "80ca005a000101");
  c.ne = 65536;
  EXPECT_EQ(EncodeHex(c), "80ca005a000000");
  c = MakeCommand(0x00, 0xA4, 0x04, 0x00, Bytes(255, 0x11));
  EXPECT_EQ(EncodeHex(c).substr(0, 10), "00a40400ff");
  c.data.push_back(0x11);  // 256 bytes: extended Lc
  EXPECT_EQ(EncodeHex(c).substr(0, 14), "00a40400000100");
  c = MakeCommand(0x00, 0xA4, 0x04, 0x00, {0x3F, 0x00}, 256);
  c.extended = true;
  EXPECT_EQ(EncodeHex(c), "00a404000000023f000100");
}

TEST(CommandApdu, EncoderRefuses) {
  CommandApdu c = MakeCommand(0x80, 0xCA, 0, 0, {}, 0);
  EXPECT_EQ(EncodeCommand(c).status().kind(), ErrorKind::kInvalidArgument);
  c.ne = 65537;
  EXPECT_FALSE(EncodeCommand(c).ok());
  c = MakeCommand(0x80, 0xE2, 0, 0, Bytes(65536, 1));
  EXPECT_FALSE(EncodeCommand(c).ok());
}

TEST(CommandApdu, DecoderRefuses) {
  for (const char* bad : {
           "", "80", "80ca00",      // shorter than the header
           "80ca005a05aabb",        // Lc 5, two bytes
           "80e2880003aabb",        // Lc 3, two bytes
           "80e2880002aabbccdd",    // Lc 2, Le, one extra byte
           "80ca005a0000",          // 00 then only one byte: truncated extended field
           "80e28800000000aa",      // extended Lc 0
           "80e2880000000aaabb",    // extended Lc 2... wrong count
           "80e28800000002aabb00",  // extended case 4 needs a 2-byte Le
       }) {
    SCOPED_TRACE(bad);
    auto d = DecodeCommand(HexOrDie(bad));
    EXPECT_FALSE(d.ok());
    if (!d.ok()) {
      EXPECT_EQ(d.status().kind(), ErrorKind::kParse);
    }
  }
}

TEST(CommandApdu, DecoderLimits) {
  ApduLimits small;
  small.max_data = 2;
  EXPECT_TRUE(DecodeCommand(HexOrDie("00a40004023f00"), small).ok());
  auto big = DecodeCommand(HexOrDie("00a4000403aabbcc"), small);
  EXPECT_EQ(big.status().kind(), ErrorKind::kLimitExceeded);
  ApduLimits short_only;
  short_only.allow_extended = false;
  EXPECT_FALSE(DecodeCommand(HexOrDie("80ca005a000000"), short_only).ok());
  EXPECT_TRUE(DecodeCommand(HexOrDie("80ca005a00"), short_only).ok());  // Le 00 is short
}

TEST(ResponseApdu, SplitsDataAndStatusWord) {
  auto r = DecodeResponse(HexOrDie("5a10890010120123412340123456789012249000"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->sw, kSwOk);
  EXPECT_EQ(r->data.size(), 18u);
  EXPECT_EQ(ToHex(EncodeResponse(*r)), "5a10890010120123412340123456789012249000");
  auto only_sw = DecodeResponse(HexOrDie("6a88"));
  ASSERT_TRUE(only_sw.ok());
  EXPECT_TRUE(only_sw->data.empty());
  EXPECT_EQ(only_sw->sw1(), 0x6A);
  EXPECT_EQ(only_sw->sw2(), 0x88);
  EXPECT_EQ(DecodeResponse(HexOrDie("90")).status().kind(), ErrorKind::kParse);
  EXPECT_EQ(DecodeResponse(HexOrDie("010203049000"), 3).status().kind(), ErrorKind::kLimitExceeded);
}

TEST(StatusWord, Names) {
  EXPECT_EQ(StatusWordName(0x9000), "success");
  EXPECT_EQ(StatusWordName(0x6310), "more data available");
  EXPECT_EQ(StatusWordName(0x69E1), "POL1 of the profile prevents this action");
  EXPECT_EQ(StatusWordName(0x6A84), "not enough memory space");
  EXPECT_EQ(StatusWordName(0x6A88), "referenced data not found");
  EXPECT_EQ(StatusWordName(0x6132), "61xx: 50 bytes available");
  EXPECT_EQ(StatusWordName(0x6C00), "6Cxx: wrong Le, 256 bytes available");
  EXPECT_EQ(StatusWordName(0x1234), "unknown status word");
  EXPECT_TRUE(IsSuccessOrWarning(0x9000));
  EXPECT_TRUE(IsSuccessOrWarning(0x6132));
  EXPECT_TRUE(IsSuccessOrWarning(0x6310));
  EXPECT_FALSE(IsSuccessOrWarning(0x6985));
  EXPECT_FALSE(IsSuccessOrWarning(0x69E1));
}

// shared/spec/sgp02-security-wire.md §1.1 (pySim AID_ISD_R / AID_ECASD, Njiwa, LPA logs).
TEST(Aids, Sgp02Constants) {
  EXPECT_EQ(IsdRAid().ToHex(), "A0000005591010FFFFFFFF8900000100");
  EXPECT_EQ(EcasdAid().ToHex(), "A0000005591010FFFFFFFF8900000200");
  EXPECT_EQ(IsdPElfAid().ToHex(), "A0000005591010FFFFFFFF8900000D00");
  EXPECT_EQ(IsdPModuleAid().ToHex(), "A0000005591010FFFFFFFF8900000E00");
  EXPECT_EQ(GpIsdAid().ToHex(), "A000000151000000");
  EXPECT_EQ(ToHexUpper(ByteView(kGsmaRid, 5)), "A000000559");
  EXPECT_EQ(IsdPAidForTar(Tar::FromValue(0x000013)).ToHex(), "A0000005591010FFFFFFFF8900001300");
  auto tar = TarOfIsdPAid(*Aid::Parse("A0000005591010FFFFFFFF8900001000"));
  ASSERT_TRUE(tar.ok());
  EXPECT_EQ(tar->value(), 0x000010u);
  EXPECT_FALSE(TarOfIsdPAid(GpIsdAid()).ok());
  EXPECT_FALSE(TarOfIsdPAid(*Aid::Parse("A0000005591010FFFFFFFF8900001001")).ok());
  EXPECT_FALSE(TarOfIsdPAid(*Aid::Parse("A0000005591010FFFFFFFF8800001000")).ok());
}

}  // namespace
}  // namespace m2mrsp::gp
