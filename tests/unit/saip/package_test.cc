// Framing limits and errors of Decode, element tags, EF.IMSI coding, Validate on synthetic
// packages.
#include "saip/package.h"

#include <gtest/gtest.h>

#include "tlv/ber.h"

namespace m2mrsp::saip {
namespace {

// header (v2.3, ICCID 89000123456789012341 from TS.48, services {usim}, GFSTE {2.23.143.1.2.1})
// + a minimal mf with EF.ICCID + end, all hand-assembled from the PEDefinitions tags.
Bytes Header() {
  tlv::Builder b;
  b.Open(0xA0)
      .Add(0x80, {0x02})
      .Add(0x81, {0x03})
      .Add(0x83, HexOrDie("89000123456789012341"))
      .Open(0xA5)
      .Add(0x81, {})
      .Close()
      .Open(0xA6)
      .Add(0x06, HexOrDie("67810f010201"))
      .Close()
      .Close();
  return std::move(b).Finish();
}
Bytes Mf(std::string_view ef_iccid) {
  tlv::Builder b;
  b.Open(0xB0)
      .Open(0xA0)
      .Add(0x81, {0x01})
      .Close()
      .Add(0x81, HexOrDie("67810f010201"))
      .Open(0xA2)
      .Open(0xA1)
      .Add(0x8B, HexOrDie("2f0601"))
      .Close()
      .Close()
      .Open(0xA4)
      .Open(0xA1)
      .Add(0x83, HexOrDie("2fe2"))
      .Close()
      .Add(0x83, HexOrDie(ef_iccid))
      .Close()
      .Close();
  return std::move(b).Finish();
}
Bytes End() { return HexOrDie("aa05a003810102"); }

Bytes MinimalPackage() { return Concat({Header(), Mf("98001032547698103214"), End()}); }

TEST(ElementTags, FollowChoiceOrder) {
  EXPECT_EQ(ElementTag(ElementType::kHeader), 0xA0u);
  EXPECT_EQ(ElementTag(ElementType::kAkaParameter), 0xA4u);
  EXPECT_EQ(ElementTag(ElementType::kEnd), 0xAAu);
  EXPECT_EQ(ElementTag(ElementType::kMf), 0xB0u);
  EXPECT_EQ(ElementTag(ElementType::kDfSnpn), 0xBEu);
  EXPECT_EQ(ElementTag(ElementType::kDf5gprose), 0xBF1Fu);
  EXPECT_EQ(ElementTag(ElementType::kOptIot), 0xBF21u);
  EXPECT_EQ(ElementTypeForTag(0xBF22), ElementType::kUnknown);
  EXPECT_EQ(ElementTypeName(ElementType::kOptUsim), "opt-usim");
}

TEST(Decode, MinimalPackageRoundTripsAndValidates) {
  const Bytes der = MinimalPackage();
  auto pkg = Decode(der);
  ASSERT_TRUE(pkg.ok()) << pkg.status().ToString();
  ASSERT_EQ(pkg->elements.size(), 3u);
  EXPECT_EQ(Encode(*pkg), der);
  EXPECT_TRUE(Validate(*pkg).ok()) << Validate(*pkg).ToString();
}

TEST(Decode, KeepsUnknownElementsRaw) {
  const Bytes der = Concat({Header(), HexOrDie("bf4003800100"), Mf("98001032547698103214"), End()});
  auto pkg = Decode(der);
  ASSERT_TRUE(pkg.ok()) << pkg.status().ToString();
  EXPECT_EQ(pkg->elements[1].type, ElementType::kUnknown);
  EXPECT_EQ(pkg->elements[1].tag, 0xBF40u);
  EXPECT_EQ(Encode(*pkg), der);
}

TEST(Decode, RefusesMalformedInput) {
  const Bytes good = MinimalPackage();
  EXPECT_FALSE(Decode({}).ok());
  // Truncated anywhere inside.
  for (size_t n : {size_t{1}, size_t{2}, good.size() / 2, good.size() - 1}) {
    auto r = Decode(ByteView(good).first(n));
    EXPECT_FALSE(r.ok()) << n;
  }
  // Indefinite length (BER, not DER).
  EXPECT_FALSE(Decode(HexOrDie("a0800000")).ok());
  // Non-minimal length.
  EXPECT_FALSE(Decode(HexOrDie("aa8105a003810102")).ok());
  // Non-minimal length nested inside an element.
  EXPECT_FALSE(Decode(HexOrDie("aa06a08103810102")).ok());
  // Universal SEQUENCE / primitive context tag at top level.
  auto seq = Decode(HexOrDie("3005a003810102"));
  ASSERT_FALSE(seq.ok());
  EXPECT_NE(seq.status().message().find("context-specific constructed"), std::string::npos);
  EXPECT_FALSE(Decode(HexOrDie("8a0101")).ok());
  // Inner length overrunning its parent.
  EXPECT_FALSE(Decode(HexOrDie("aa05a004810102")).ok());
}

TEST(Decode, EnforcesLimits) {
  const Bytes good = MinimalPackage();
  DecodeLimits small;
  small.max_size = good.size() - 1;
  auto r = Decode(good, small);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kLimitExceeded);

  DecodeLimits few;
  few.max_elements = 2;
  EXPECT_EQ(Decode(good, few).status().kind(), ErrorKind::kLimitExceeded);

  // 20 nested constructed TLVs inside one element.
  Bytes deep = HexOrDie("8000");
  for (int i = 0; i < 20; ++i) deep = tlv::Encode(0xA1, deep);
  deep = tlv::Encode(0xA9, deep);
  auto d = Decode(deep);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().kind(), ErrorKind::kLimitExceeded);
  DecodeLimits deeper;
  deeper.max_depth = 32;
  EXPECT_TRUE(Decode(deep, deeper).ok());
}

TEST(Validate, StructureRules) {
  auto pkg = Decode(MinimalPackage());
  ASSERT_TRUE(pkg.ok());
  Package no_end = *pkg;
  no_end.elements.pop_back();
  EXPECT_FALSE(Validate(no_end).ok());
  Package header_late = *pkg;
  std::swap(header_late.elements[0], header_late.elements[1]);
  EXPECT_FALSE(Validate(header_late).ok());
  Package no_mf = *pkg;
  no_mf.elements.erase(no_mf.elements.begin() + 1);
  EXPECT_FALSE(Validate(no_mf).ok());
  EXPECT_FALSE(Validate(Package{}).ok());
  // EF.ICCID disagreeing with the header.
  auto other = Decode(Concat({Header(), Mf("98001032547698103224"), End()}));
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(Validate(*other).ok());
  // Bad Luhn digit in the header ICCID (...2342).
  Bytes bad_header = Header();
  bad_header[bad_header.size() - 20 - 4] ^= 0x01;  // flips a digit of the ICCID
  auto bad = Decode(Concat({bad_header, Mf("98001032547698103214"), End()}));
  ASSERT_TRUE(bad.ok());
  EXPECT_FALSE(Validate(*bad).ok());
}

// EF.IMSI examples worked from 3GPP TS 31.102 §4.2.2 by hand. The 15-digit one is TS.48's
// EF.IMSI content (GSMA TS.48 v7 value notation, fillFileContent of ef-imsi).
TEST(Imsi, DecodeAndEncode) {
  struct Case {
    const char* imsi;
    const char* ef;
  };
  const Case cases[] = {
      {"001010123456789", "080910101032547698"},  // 15 digits: parity bit set (nibble 9)
      {"00101012345678", "0801101010325476f8"},   // 14 digits: nibble 1, high nibble F-padded
      {"123456", "04113254f6ffffffff"},           // 6 digits: 4 bytes used, rest FF
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.imsi);
    auto e = EncodeImsi(c.imsi);
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(ToHex(*e), c.ef);
    auto d = DecodeImsi(HexOrDie(c.ef));
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_EQ(*d, c.imsi);
  }
}

TEST(Imsi, RefusesBadCoding) {
  EXPECT_FALSE(DecodeImsi({}).ok());
  EXPECT_FALSE(DecodeImsi(HexOrDie("090910101032547698ff")).ok());  // length byte 9
  EXPECT_FALSE(DecodeImsi(HexOrDie("00ffffffffffffffff")).ok());    // length byte 0
  EXPECT_FALSE(DecodeImsi(HexOrDie("0809101010325476")).ok());      // shorter than announced
  EXPECT_FALSE(DecodeImsi(HexOrDie("080110101032547698")).ok());    // parity says even
  EXPECT_FALSE(DecodeImsi(HexOrDie("08091010103254769a")).ok());    // non-digit nibble
  EXPECT_FALSE(DecodeImsi(HexOrDie("0808101010325476f8")).ok());    // type 000, not IMSI
  EXPECT_FALSE(DecodeImsi(HexOrDie("0801f010103254f6f8")).ok());    // F padding mid-number
  EXPECT_FALSE(EncodeImsi("12345").ok());
  EXPECT_FALSE(EncodeImsi("1234567890123456").ok());
  EXPECT_FALSE(EncodeImsi("00101012345678a").ok());
}

}  // namespace
}  // namespace m2mrsp::saip
