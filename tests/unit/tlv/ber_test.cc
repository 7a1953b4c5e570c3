#include "tlv/ber.h"

#include <gtest/gtest.h>

namespace m2mrsp::tlv {
namespace {

TEST(Ber, ParsesRealCardGetDataResponse) {
  // GET DATA BF3E (EID) answer from a real sysmoEUICC1 (osmocom/pysim
  // tests/unittests/test_globalplatform.py, get_eid_rsp_plain).
  const Bytes rsp = HexOrDie("bf3e125a1089882119900000000000000000000005");
  auto top = ParseOne(rsp);
  ASSERT_TRUE(top.ok()) << top.status().ToString();
  EXPECT_EQ(top->tag, 0xBF3Eu);
  EXPECT_TRUE(top->constructed());
  auto kids = Children(*top);
  ASSERT_TRUE(kids.ok());
  ASSERT_EQ(kids->size(), 1u);
  EXPECT_EQ((*kids)[0].tag, 0x5Au);
  EXPECT_EQ(ToHex((*kids)[0].value), "89882119900000000000000000000005");
  EXPECT_EQ(ToHex((*kids)[0].raw), "5a1089882119900000000000000000000005");
}

TEST(Ber, ParsesGpCertificateTree) {
  // GlobalPlatformPro TestGPCertificate key-agreement certificate (shared/spec
  // sgp02-security-wire.md §2.4): 7F21 with a two-byte length (81 B9) and nested 7F49.
  const Bytes cert = HexOrDie(
      "7F2181B9930401020304"
      "4208A000000151000000"
      "5F2008A000000151535041"
      "95020080"
      "5F250420260101"
      "5F240420361231"
      "7F4946B04104951CEEA4AA1DAFEEE5CB52527C8362BF8639BAFB34DDF9D02FE242DC8D53AFB86EB977F00753"
      "A58A2592466EF5DFAD091BA4689D5FD6735CD6884FC39DBB7FEDF00100"
      "5F3740392E53D1FC0715DE9769BF7D758A3188DAF80459D5342246751394E7E67A0B8D1511A0BA96AF384E96"
      "E23FDC93B538F9E3B3B6F021100A4CE141EDD467A949B6");
  // ISO 7816-8 public-key data objects use B0/F0 as primitive tags although their constructed
  // bit is set: 7F49 is parsed as a flat sequence, not descended into blindly.
  const Tag opaque[] = {0x7F49};
  auto tree = ParseTree(cert, {}, opaque);
  ASSERT_TRUE(tree.ok()) << tree.status().ToString();
  ASSERT_EQ(tree->size(), 1u);
  const Node& root = (*tree)[0];
  EXPECT_EQ(root.tlv.tag, 0x7F21u);
  EXPECT_EQ(root.tlv.value.size(), 0xB9u);
  std::vector<Tag> tags;
  for (const Node& n : root.children) tags.push_back(n.tlv.tag);
  EXPECT_EQ(tags, (std::vector<Tag>{0x93, 0x42, 0x5F20, 0x95, 0x5F25, 0x5F24, 0x7F49, 0x5F37}));
  const Node* pk = root.Find(0x7F49);
  ASSERT_NE(pk, nullptr);
  EXPECT_TRUE(pk->children.empty());
  auto key_parts = ParseSequence(pk->tlv.value);
  ASSERT_TRUE(key_parts.ok());
  ASSERT_EQ(key_parts->size(), 2u);
  EXPECT_EQ((*key_parts)[0].tag, 0xB0u);
  EXPECT_EQ((*key_parts)[0].value.size(), 65u);
  EXPECT_EQ((*key_parts)[1].tag, 0xF0u);
  // Without the opaque list the B0 point is taken for children and refused, not misread.
  EXPECT_FALSE(ParseTree(cert).ok());
  EXPECT_EQ(root.Find(0x5F37)->tlv.value.size(), 64u);
  EXPECT_EQ(root.Find(0x1234), nullptr);
}

TEST(Ber, LengthForms) {
  const struct {
    const char* hex;
    size_t len;
  } cases[] = {{"8000", 0},       {"807F", 127},         {"808180", 128},          {"8081FF", 255},
               {"80820100", 256}, {"8083010000", 65536}, {"808401000000", 1 << 24}};
  for (const auto& c : cases) {
    Bytes enc;
    AppendLength(enc, c.len);
    EXPECT_EQ(ToHexUpper(enc), std::string(c.hex).substr(2)) << c.len;
    Bytes tlv = HexOrDie(c.hex);
    tlv.resize(tlv.size() + c.len, 0xAB);
    Limits limits;
    limits.max_size = 1 << 25;
    auto t = ParseOne(tlv, limits);
    ASSERT_TRUE(t.ok()) << c.len << ": " << t.status().ToString();
    EXPECT_EQ(t->value.size(), c.len);
  }
}

TEST(Ber, RefusesMalformedInput) {
  const char* bad[] = {
      "",                  // nothing
      "5A",                // no length
      "5A05010203",        // value truncated
      "5A8101",            // long form, value truncated
      "5A81",              // long-form length truncated
      "5A80",              // indefinite length
      "5A850000000001FF",  // five length bytes
      "1F",                // multi-byte tag truncated
      "1F8080800101AA",    // leading-zero subsequent tag byte
      "1FFFFFFF0100",      // tag of five bytes
      "000100",            // tag 00
      "5A0101FF",          // trailing byte after the one TLV
  };
  for (const char* hex : bad) {
    EXPECT_FALSE(ParseOne(HexOrDie(hex)).ok()) << hex;
  }
}

TEST(Ber, SequenceMustFillInput) {
  EXPECT_EQ(ParseSequence({})->size(), 0u);
  const Bytes data = HexOrDie("4F01AA9F700107");  // must outlive the views into it
  auto seq = ParseSequence(data);
  ASSERT_TRUE(seq.ok());
  ASSERT_EQ(seq->size(), 2u);
  EXPECT_EQ(Find(*seq, 0x9F70)->value[0], 0x07);
  EXPECT_EQ(Find(*seq, 0x4F)->raw.size(), 3u);
  EXPECT_FALSE(ParseSequence(HexOrDie("4F01AA9F7001")).ok());
  EXPECT_FALSE(Children(*Find(*seq, 0x4F)).ok());  // primitive: no children
}

TEST(Ber, MinimalLengthOnlyWhenAsked) {
  const Bytes non_minimal = HexOrDie("5A8101AA");
  EXPECT_TRUE(ParseOne(non_minimal).ok());
  Limits der;
  der.require_minimal_length = true;
  EXPECT_FALSE(ParseOne(non_minimal, der).ok());
  EXPECT_TRUE(ParseOne(HexOrDie("5A01AA"), der).ok());
}

TEST(Ber, EnforcesLimits) {
  Bytes nested = HexOrDie("5A00");
  for (int i = 0; i < 20; ++i) nested = Encode(0xE3, nested);
  Limits limits;
  limits.max_depth = 16;
  auto deep = ParseTree(nested, limits);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().kind(), ErrorKind::kLimitExceeded);
  limits.max_depth = 32;
  EXPECT_TRUE(ParseTree(nested, limits).ok());
  // A huge max_depth still stops at the hard bound instead of recursing without end.
  Bytes deeper = HexOrDie("5A00");
  for (int i = 0; i < 100; ++i) deeper = Encode(0xE3, deeper);
  limits.max_depth = 1000;
  EXPECT_FALSE(ParseTree(deeper, limits).ok());

  Limits few;
  few.max_elements = 3;
  EXPECT_FALSE(ParseSequence(HexOrDie("5A005A005A005A00"), few).ok());
  EXPECT_FALSE(ParseTree(HexOrDie("E3045A005A005A00"), few).ok());  // 4 in the tree
  EXPECT_TRUE(ParseTree(HexOrDie("E3045A005A00"), few).ok());

  Limits small;
  small.max_size = 4;
  EXPECT_EQ(ParseOne(HexOrDie("5A0501020304 05"), small).status().kind(),
            ErrorKind::kLimitExceeded);
}

TEST(Ber, TagProperties) {
  EXPECT_TRUE(IsValidTag(0x5A));
  EXPECT_TRUE(IsValidTag(0x7F21));
  EXPECT_TRUE(IsValidTag(0xBF3E));
  EXPECT_TRUE(IsValidTag(0x9F8101));
  EXPECT_FALSE(IsValidTag(0x1F));      // announces more bytes
  EXPECT_FALSE(IsValidTag(0x5A01));    // single-byte tag with extra byte
  EXPECT_FALSE(IsValidTag(0x9F81));    // continuation bit on the last byte
  EXPECT_FALSE(IsValidTag(0x1F8001));  // leading zero subsequent byte
  EXPECT_FALSE(IsValidTag(0));
  EXPECT_TRUE(IsConstructed(0xBF3E));
  EXPECT_TRUE(IsConstructed(0xE3));
  EXPECT_FALSE(IsConstructed(0x9F70));
  EXPECT_EQ(TagSize(0x9F8101), 3u);
}

TEST(Builder, NestsAndComputesLengths) {
  // A GET STATUS response entry shape (GP Card Spec §11.4.3.2): E3 { 4F AID, 9F70 life cycle }.
  const Bytes aid = HexOrDie("A0000005591010FFFFFFFF8900001000");
  Builder b;
  b.Open(0xE3).Add(0x4F, aid).Add(0x9F70, {0x3F}).Close();
  EXPECT_EQ(ToHexUpper(std::move(b).Finish()), "E3164F10A0000005591010FFFFFFFF89000010009F70013F");

  Builder big;
  const Bytes filler(200, 0x11);
  big.Open(0xBF30).Open(0xA0).Add(0x80, filler).Close().Close();
  const Bytes out = std::move(big).Finish();
  auto tree = ParseTree(out);
  ASSERT_TRUE(tree.ok());
  EXPECT_EQ(ToHexUpper(ByteView(out).first(8)), "BF3081CEA081CB80");
  EXPECT_EQ((*tree)[0].children[0].children[0].tlv.value.size(), 200u);
}

TEST(BuilderDeathTest, UnbalancedIsAProgrammingError) {
  EXPECT_DEATH(
      {
        Builder b;
        b.Open(0xE3);
        (void)std::move(b).Finish();
      },
      "unclosed");
  EXPECT_DEATH({ Builder().Close(); }, "without Open");
  EXPECT_DEATH({ Builder().Open(0x5A); }, "primitive");
}

}  // namespace
}  // namespace m2mrsp::tlv
