// STORE DATA P1 coding, block splitting and card-side reassembly (GP v2.3 §11.11), checked
// against the SGP.02 commands published in shared/spec/sgp02-resolutions.md §2.1, §4, §5
// (WHTY + Njiwa).
#include "gp/store_data.h"

#include <gtest/gtest.h>

#include "tlv/dgi.h"

namespace m2mrsp::gp {
namespace {

const std::string kAidHex = "A0000005591010FFFFFFFF8900001000";

std::string Wire(const CommandApdu& c) { return ToHexUpper(*EncodeCommand(c)); }

TEST(StoreData, EnableProfileMatchesPublished) {
  // EnableProfile: `80 E2 88 00 15 3A03 12 4F10 <AID>` [C2].
  Bytes dgi = *tlv::EncodeDgi(0x3A03, AsView(HexOrDie("4F10" + kAidHex)));
  auto cmds = BuildStoreData({dgi});
  ASSERT_TRUE(cmds.ok());
  ASSERT_EQ(cmds->size(), 1u);
  EXPECT_EQ(Wire((*cmds)[0]), "80E28800153A03124F10" + kAidHex);
}

TEST(StoreData, ConfirmationMatchesPublished) {
  // HandleNotificationConfirmation: `80 E2 89 00 07 3A08 04 4E 02 <seq> 00` [C2].
  StoreDataOptions opts;
  opts.response_expected = true;
  auto cmds = BuildStoreData({HexOrDie("3A08044E020001")}, opts);
  ASSERT_TRUE(cmds.ok());
  EXPECT_EQ(Wire((*cmds)[0]), "80E28900073A08044E02000100");
}

TEST(StoreData, KeyEstablishmentSequenceP1P2) {
  // ES8 key establishment: `80 E2 09 00` (3A01) then `80 E2 89 01` (3A02…) [C2].
  StoreDataOptions opts;
  opts.response_expected = true;
  auto cmds = BuildStoreData({HexOrDie("3A0100"), HexOrDie("3A0200")}, opts);
  ASSERT_TRUE(cmds.ok());
  ASSERT_EQ(cmds->size(), 2u);
  EXPECT_EQ(Wire((*cmds)[0]).substr(0, 8), "80E20900");
  EXPECT_EQ(Wire((*cmds)[1]).substr(0, 8), "80E28901");
}

TEST(StoreDataP1, Coding) {
  StoreDataP1 p1;
  p1.last_block = true;
  p1.encryption = StoreDataEncryption::kEncrypted;
  p1.structure = StoreDataStructure::kBerTlv;
  EXPECT_EQ(p1.Encode(), 0xF0);
  auto back = StoreDataP1::Decode(0xF0);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, p1);
  auto app = StoreDataP1::Decode(0x29);
  ASSERT_TRUE(app.ok());
  EXPECT_EQ(app->encryption, StoreDataEncryption::kApplicationDependent);
  EXPECT_EQ(app->structure, StoreDataStructure::kDgi);
  EXPECT_TRUE(app->response_expected);
  EXPECT_FALSE(app->last_block);
  for (int v = 0; v < 256; ++v) {
    auto d = StoreDataP1::Decode(static_cast<uint8_t>(v));
    const bool rfu = (v & 0x06) != 0 || (v & 0x60) == 0x40 || (v & 0x18) == 0x18;
    EXPECT_EQ(d.ok(), !rfu) << v;
    if (d.ok()) {
      EXPECT_EQ(d->Encode(), v);
    }
  }
}

TEST(StoreData, SplitAndReassemble) {
  Bytes data(600);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7);
  auto cmds = SplitStoreData(data, 255);
  ASSERT_TRUE(cmds.ok());
  ASSERT_EQ(cmds->size(), 3u);
  const uint8_t p1s[] = {0x08, 0x08, 0x88};
  const size_t sizes[] = {255, 255, 90};
  StoreDataAssembler card;
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*cmds)[i].p1, p1s[i]);
    EXPECT_EQ((*cmds)[i].p2, i);
    EXPECT_EQ((*cmds)[i].data.size(), sizes[i]);
    EXPECT_FALSE((*cmds)[i].ne);
    EXPECT_FALSE(card.complete());
    ASSERT_TRUE(card.Add((*cmds)[i]).ok());
  }
  ASSERT_TRUE(card.complete());
  EXPECT_EQ(card.Concatenated(), data);
  auto blocks = card.TakeBlocks();
  EXPECT_EQ(blocks.size(), 3u);
  EXPECT_TRUE(blocks[2].p1.last_block);
  EXPECT_FALSE(card.complete());
  // A new sequence starts at block 00 again.
  EXPECT_TRUE(card.Add((*cmds)[0]).ok());

  auto empty = SplitStoreData({}, 10);
  ASSERT_TRUE(empty.ok());
  ASSERT_EQ(empty->size(), 1u);
  EXPECT_EQ(Wire((*empty)[0]), "80E28800");
}

TEST(StoreData, BuilderRefuses) {
  EXPECT_FALSE(BuildStoreData({}).ok());
  EXPECT_FALSE(BuildStoreData({Bytes(256, 0)}).ok());
  EXPECT_FALSE(BuildStoreData(std::vector<Bytes>(257, Bytes{1})).ok());
  EXPECT_TRUE(BuildStoreData(std::vector<Bytes>(256, Bytes{1})).ok());
  EXPECT_FALSE(SplitStoreData(Bytes(10), 0).ok());
  EXPECT_FALSE(SplitStoreData(Bytes(10), 256).ok());
  EXPECT_FALSE(SplitStoreData(Bytes(257 * 10), 10).ok());
}

TEST(StoreDataAssembler, RefusesOutOfSequenceAndOtherCommands) {
  auto cmds = *SplitStoreData(Bytes(30, 0xAB), 10);
  StoreDataAssembler card;
  auto skip = card.Add(cmds[1]);  // starts at block 01
  EXPECT_EQ(skip.kind(), ErrorKind::kFailedPrecondition);
  ASSERT_TRUE(card.Add(cmds[0]).ok());
  EXPECT_EQ(card.Add(cmds[0]).kind(), ErrorKind::kFailedPrecondition);  // repeated block 00
  ASSERT_TRUE(card.Add(cmds[0]).ok());  // the sequence was abandoned: 00 starts afresh
  CommandApdu rfu = cmds[1];
  rfu.p1 |= 0x02;
  EXPECT_EQ(card.Add(rfu).kind(), ErrorKind::kParse);
  CommandApdu other = cmds[0];
  other.ins = 0xE6;
  EXPECT_EQ(card.Add(other).kind(), ErrorKind::kParse);
  other = cmds[0];
  other.cla = 0x00;
  EXPECT_EQ(card.Add(other).kind(), ErrorKind::kParse);
}

TEST(StoreDataAssembler, Limits) {
  StoreDataLimits limits;
  limits.max_total = 25;
  StoreDataAssembler card(limits);
  auto cmds = *SplitStoreData(Bytes(30, 0xAB), 10);
  ASSERT_TRUE(card.Add(cmds[0]).ok());
  ASSERT_TRUE(card.Add(cmds[1]).ok());
  EXPECT_EQ(card.Add(cmds[2]).kind(), ErrorKind::kLimitExceeded);
  limits = {};
  limits.max_blocks = 2;
  StoreDataAssembler few(limits);
  ASSERT_TRUE(few.Add(cmds[0]).ok());
  ASSERT_TRUE(few.Add(cmds[1]).ok());
  EXPECT_EQ(few.Add(cmds[2]).kind(), ErrorKind::kLimitExceeded);
}

}  // namespace
}  // namespace m2mrsp::gp
