// GET STATUS and GET DATA, checked against the published SGP.02 commands and responses of
// shared/spec/sgp02-resolutions.md §5 (WHTY, Njiwa) and pySim (`tests/unittests/test_ota.py`,
// `pySim/global_platform`).
#include "gp/get_status.h"

#include <gtest/gtest.h>

#include "gp/get_data.h"
#include "gp/status_word.h"

namespace m2mrsp::gp {
namespace {

const std::string kAidHex = "A0000005591010FFFFFFFF8900001000";

std::string Wire(const CommandApdu& c) { return ToHexUpper(*EncodeCommand(c)); }

TEST(GetStatus, AllApplicationsMatchesPysim) {
  // pySim ExpandedCmdTestCase: GP GET STATUS `80f24002024f0000`.
  auto c = BuildGetStatus(GetStatusRequest{});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(Wire(*c), "80F24002024F0000");
  auto parsed = ParseGetStatus(*c);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, GetStatusRequest{});
}

TEST(GetStatus, IsdPAuditMatchesWhty) {
  // WHTY: `80 F2 40 02 Lc 4F 10 <AID> 5C 03 4F 9F70` (we add Le 00).
  GetStatusRequest req;
  req.aid_filter = HexOrDie(kAidHex);
  req.tag_list = {0x4F, 0x9F70};
  auto c = BuildGetStatus(req);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(Wire(*c), "80F24002174F10" + kAidHex + "5C034F9F7000");
  auto parsed = ParseGetStatus(*c);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, req);
  req.next = true;
  EXPECT_EQ(BuildGetStatus(req)->p2, 0x03);
}

TEST(GetStatus, ParsesWhtyResponse) {
  // WHTY: `E3 16 4F 10 <AID> 9F70 01 <LCS>`, 3F = Enabled.
  auto r = DecodeResponse(HexOrDie("E3164F10" + kAidHex + "9F70013F9000"));
  ASSERT_TRUE(r.ok());
  auto entries = ParseGetStatusResponse(AsView(r->data));
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ(ToHexUpper((*entries)[0].aid), kAidHex);
  EXPECT_EQ((*entries)[0].life_cycle, kLifeCycleEnabled);
  EXPECT_EQ(ToHexUpper(EncodeRegistryEntry((*entries)[0])), "E3164F10" + kAidHex + "9F70013F");
}

TEST(GetStatus, FullEntryRoundTrip) {
  RegistryEntry e;
  e.aid = HexOrDie(kAidHex);
  e.life_cycle = kLifeCycleDisabled;
  e.privileges = HexOrDie("80C000");
  e.load_file_aid = HexOrDie("A0000005591010FFFFFFFF8900000D00");
  e.security_domain_aid = HexOrDie("A0000005591010FFFFFFFF8900000100");
  e.sgp_attributes = HexOrDie("01");
  e.other = {{0x84, HexOrDie("A0000005591010FFFFFFFF8900000E00")}};
  const Bytes wire = EncodeRegistryEntry(e);
  auto back = ParseGetStatusResponse(AsView(wire));
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ((*back)[0], e);
}

TEST(GetStatus, RequestParserRefuses) {
  auto parse = [](std::string_view hex) { return ParseGetStatus(*DecodeCommand(HexOrDie(hex))); };
  EXPECT_TRUE(parse("80F24002024F0000").ok());
  EXPECT_TRUE(parse("80F28003024F0000").ok());
  EXPECT_FALSE(parse("80F24102024F0000").ok());  // P1 not a subset
  EXPECT_FALSE(parse("80F24000024F0000").ok());  // legacy response format
  EXPECT_FALSE(parse("80F24001024F0000").ok());
  EXPECT_FALSE(parse("80F24002025C0000").ok());  // no 4F
  EXPECT_FALSE(parse("80F2400204"
                     "4F005C00"
                     "00")
                   .ok());  // empty tag list
  EXPECT_FALSE(parse("80F2400204"
                     "4F009F00"
                     "00")
                   .ok());  // bad tag after 4F
  EXPECT_FALSE(parse("80F2400205"
                     "4F005C019F"
                     "00")
                   .ok());  // truncated tag in the list
  EXPECT_FALSE(parse("80F2400207"
                     "4F004F005C014F"
                     "00")
                   .ok());  // 4F twice
  EXPECT_FALSE(parse("80F2400213"
                     "4F11"
                     "A0000005591010FFFFFFFF890000100000"
                     "00")
                   .ok());
  EXPECT_FALSE(parse("80CA4002024F0000").ok());  // not GET STATUS
  GetStatusRequest req;
  req.aid_filter = Bytes(17, 1);
  EXPECT_FALSE(BuildGetStatus(req).ok());
}

TEST(GetStatus, ResponseParserRefuses) {
  for (std::string hex : {
           "E1034F0100",                    // not E3
           "E3049F700107",                  // no 4F
           "E3094F05A0000005594F00",        // AID of 0 bytes, 4F twice
           "E3044F02A000",                  // AID of 2 bytes
           "E30C4F05A0000005599F70020102",  // 9F70 of two bytes
           "E30B4F05A000000559C5020000",    // privileges of 2 bytes
           "E30C4F05A000000559C40100C400",  // C4 twice
           "E3054F05A000",                  // truncated
           "E3074F05A0000005599000",        // trailing bytes after the sequence
       }) {
    SCOPED_TRACE(hex);
    EXPECT_FALSE(ParseGetStatusResponse(HexOrDie(hex)).ok());
  }
  EXPECT_TRUE(ParseGetStatusResponse({}).ok());  // no entries
  std::string many;
  for (int i = 0; i < 3; ++i) many += "E3074F05A000000559";
  EXPECT_EQ(ParseGetStatusResponse(HexOrDie(many), 2).status().kind(), ErrorKind::kLimitExceeded);
}

TEST(GetStatus, CardSidePaging) {
  std::vector<RegistryEntry> entries(30);
  for (size_t i = 0; i < entries.size(); ++i) {
    entries[i].aid = HexOrDie(kAidHex);
    entries[i].aid[13] = static_cast<uint8_t>(0x10 + i);
    entries[i].life_cycle = kLifeCycleDisabled;
  }
  // 24 bytes per entry: 10 fit in 256 bytes.
  std::vector<RegistryEntry> seen;
  size_t start = 0;
  int pages = 0;
  while (true) {
    auto page = MakeGetStatusPage(entries, start);
    ASSERT_TRUE(page.ok());
    EXPECT_LE(page->data.size(), 256u);
    auto parsed = ParseGetStatusResponse(AsView(page->data));
    ASSERT_TRUE(parsed.ok());
    seen.insert(seen.end(), parsed->begin(), parsed->end());
    ++pages;
    start = page->next;
    if (!page->more) {
      EXPECT_EQ(page->sw(), kSwOk);
      break;
    }
    EXPECT_EQ(page->sw(), kSwMoreData);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, entries);
  EXPECT_FALSE(MakeGetStatusPage(entries, 31).ok());
  EXPECT_EQ(MakeGetStatusPage(entries, 0, 10).status().kind(), ErrorKind::kLimitExceeded);
  auto none = MakeGetStatusPage(entries, 30);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->data.empty());
  EXPECT_FALSE(none->more);
}

TEST(GetData, PublishedCommands) {
  // pySim CardProfileEuiccSGP02: `80 CA 00 5A 00` on the ECASD.
  GetDataRequest eid{kGetDataEid, {}};
  EXPECT_EQ(Wire(BuildGetData(eid)), "80CA005A00");
  EXPECT_EQ(Wire(BuildGetData({kGetDataCardResources, {}})), "80CAFF2100");
  // WHTY: `80 CA BF 30 03 5C 01 66 00`.
  GetDataRequest whty{kGetDataEuiccCapabilities, {0x66}};
  EXPECT_EQ(Wire(BuildGetData(whty)), "80CABF30035C016600");
  auto parsed = ParseGetData(BuildGetData(whty));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, whty);
  // Njiwa: `80 CA BF 30 04 5C 02 7F 21` (case 3, no Le).
  auto njiwa = ParseGetData(*DecodeCommand(HexOrDie("80CABF30045C027F21")));
  ASSERT_TRUE(njiwa.ok());
  EXPECT_EQ(njiwa->tag_list, std::vector<tlv::Tag>{0x7F21});
  EXPECT_EQ(ParseGetData(BuildGetData(eid))->p1p2, 0x005A);
}

TEST(GetData, ParserRefuses) {
  auto parse = [](std::string_view hex) { return ParseGetData(*DecodeCommand(HexOrDie(hex))); };
  EXPECT_FALSE(parse("80CBBF30035C016600").ok());      // INS
  EXPECT_FALSE(parse("00CABF30035C016600").ok());      // CLA
  EXPECT_FALSE(parse("80CABF30034F016600").ok());      // not 5C
  EXPECT_FALSE(parse("80CABF30025C0000").ok());        // empty list
  EXPECT_FALSE(parse("80CABF30035C017F00").ok());      // truncated tag in the list
  EXPECT_FALSE(parse("80CABF30055C016600AA00").ok());  // trailing bytes
}

TEST(TagList, Codec) {
  const std::vector<tlv::Tag> tags{0x4F, 0x9F70, 0x7F21, 0xBF3E, 0x5F8101};
  const Bytes enc = EncodeTagList(tags);
  EXPECT_EQ(ToHex(enc), "4f9f707f21bf3e5f8101");
  auto back = ParseTagList(AsView(enc));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, tags);
  EXPECT_FALSE(ParseTagList(HexOrDie("9F")).ok());
  EXPECT_FALSE(ParseTagList(HexOrDie("9F8181818101")).ok());  // five-byte tag
  EXPECT_FALSE(ParseTagList(Bytes(33, 0x4F)).ok());
}

TEST(GetData, EidResponse) {
  // The classic GSMA example EID (security digest §1.3).
  auto eid = ParseEidResponse(HexOrDie("5A1089001012012341234012345678901224"));
  ASSERT_TRUE(eid.ok()) << eid.status().ToString();
  EXPECT_EQ(ToHex(EncodeEidResponse(*eid)), "5a1089001012012341234012345678901224");
  EXPECT_FALSE(ParseEidResponse(HexOrDie("5A1089001012012341234012345678901225")).ok());  // MOD 97
  EXPECT_FALSE(ParseEidResponse(HexOrDie("4F1089001012012341234012345678901224")).ok());
  EXPECT_FALSE(ParseEidResponse(HexOrDie("5A0F890010120123412340123456789012")).ok());
  EXPECT_FALSE(ParseEidResponse(HexOrDie("5A10890010120123412340123456789012249000")).ok());
}

TEST(GetData, CardResources) {
  const CardResources r{3, 0x012345, 0x0800};
  const Bytes enc = EncodeCardResources(r);
  EXPECT_EQ(ToHexUpper(enc), "FF210C810103820301234583020800");
  auto back = ParseCardResources(AsView(enc));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, r);
  // Unknown tags inside FF21 are skipped.
  EXPECT_TRUE(ParseCardResources(HexOrDie("FF210F810103820301234583020800840100")).ok());
  EXPECT_FALSE(ParseCardResources(HexOrDie("FF2108810103820301234583")).ok());  // truncated
  EXPECT_FALSE(ParseCardResources(HexOrDie("FF2106810103820101")).ok());        // 83 missing
  EXPECT_FALSE(ParseCardResources(HexOrDie("FF210D81010381010382010183020800")).ok());  // 81 x2
  EXPECT_FALSE(ParseCardResources(HexOrDie("FF210D8105010203040582010183010A")).ok());
  EXPECT_FALSE(ParseCardResources(HexOrDie("FF2209810103820101830101")).ok());
}

}  // namespace
}  // namespace m2mrsp::gp
