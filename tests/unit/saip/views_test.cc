// Typed views on hand-assembled elements (tags from PEDefinitions v3.3.1): defaults, CHOICE
// alternatives, genericFileManagement paths, fill patterns, and malformed fields.
#include <gtest/gtest.h>

#include "saip/package.h"
#include "saip/personalise.h"
#include "tlv/ber.h"

namespace m2mrsp::saip {
namespace {

Bytes Done(tlv::Builder& b) { return std::move(b).Finish(); }

// PEHeader { identification id } (mandated absent).
void PeHeader(tlv::Builder& b, uint8_t id) { b.Open(0xA0).Add(0x81, {id}).Close(); }

TEST(AkaView, MappingAlternativeAndExplicitValues) {
  tlv::Builder m;
  m.Open(0xA4);
  PeHeader(m, 7);
  m.Open(0xA1).Open(0xA0).Add(0x80, {0x01}).Add(0x81, HexOrDie("a0000000871002")).Close().Close();
  m.Close();
  auto mapping = ParseAkaParameter(Done(m));
  ASSERT_TRUE(mapping.ok()) << mapping.status().ToString();
  EXPECT_TRUE(mapping->is_mapping);
  EXPECT_EQ(ToHex(mapping->mapping_source), "a0000000871002");
  EXPECT_EQ(mapping->pe_header.identification, 7);
  EXPECT_FALSE(mapping->pe_header.mandated);

  tlv::Builder a;
  a.Open(0xA4);
  PeHeader(a, 8);
  a.Open(0xA1).Open(0xA1);
  a.Add(0x80, {0x01}).Add(0x81, {0x00}).Add(0x82, Bytes(16, 0x11)).Add(0x83, Bytes(16, 0x22));
  a.Add(0x84, HexOrDie("0102030405")).Add(0x87, {0x18});
  a.Close().Close();
  a.Add(0x82, {0x01}).Add(0x83, HexOrDie("000000001000"));
  a.Open(0xA5);
  for (int i = 0; i < 32; ++i) a.Add(0x04, Bytes(6, static_cast<uint8_t>(i)));
  a.Close().Close();
  auto v = ParseAkaParameter(Done(a));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(AkaAlgorithmName(v->algorithm_id), "milenage");
  EXPECT_EQ(ToHex(v->rotation_constants), "0102030405");
  EXPECT_EQ(v->number_of_keccak, 0x18);
  EXPECT_EQ(ToHex(v->sqn_options), "01");
  EXPECT_EQ(ToHex(v->sqn_delta), "000000001000");
  EXPECT_EQ(ToHex(v->sqn_age_limit), "000010000000");  // DEFAULT
  ASSERT_EQ(v->sqn_init.size(), 32u);
  EXPECT_EQ(ToHex(v->sqn_init[31]), "1f1f1f1f1f1f");
}

TEST(AkaView, RefusesMalformedFields) {
  // rotationConstants of 4 bytes; algorithmID negative (80 01 80).
  const char* bad[] = {
      "a41da003810101a116a11480010181010082020102830201028404010203",
      "a40fa003810101a108a106800180810100",
  };
  for (const char* hex : bad) EXPECT_FALSE(ParseAkaParameter(HexOrDie(hex)).ok()) << hex;
  // sqnInit with 31 values instead of 32.
  tlv::Builder b;
  b.Open(0xA4);
  PeHeader(b, 1);
  b.Open(0xA1).Open(0xA1).Add(0x80, {0x01}).Add(0x81, {0x00}).Add(0x82, Bytes(16, 1));
  b.Add(0x83, Bytes(16, 2)).Close().Close();
  b.Open(0xA5);
  for (int i = 0; i < 31; ++i) b.Add(0x04, Bytes(6, 0));
  b.Close().Close();
  auto short_sqn = ParseAkaParameter(Done(b));
  ASSERT_FALSE(short_sqn.ok());
  EXPECT_NE(short_sqn.status().message().find("32"), std::string::npos);
  EXPECT_FALSE(ParseAkaParameter(HexOrDie("a400")).ok());
  EXPECT_FALSE(ParseAkaParameter(HexOrDie("a0050300810101")).ok());  // wrong tag
}

TEST(PinView, FilePathAlternativeAndDefaults) {
  tlv::Builder b;
  b.Open(0xA2);
  PeHeader(b, 3);
  b.Open(0xA1).Add(0x81, HexOrDie("7fd0")).Close().Close();
  auto shared = ParsePinCodes(Done(b));
  ASSERT_TRUE(shared.ok()) << shared.status().ToString();
  ASSERT_TRUE(shared->file_path.has_value());
  EXPECT_EQ(ToHex(*shared->file_path), "7fd0");
  EXPECT_TRUE(shared->pins.empty());

  tlv::Builder p;
  p.Open(0xA2);
  PeHeader(p, 4);
  p.Open(0xA1).Open(0xA0).Open(0x30).Add(0x80, {0x0A}).Add(0x81, HexOrDie("3535353535353535"));
  p.Close().Close().Close().Close();
  auto pins = ParsePinCodes(Done(p));
  ASSERT_TRUE(pins.ok()) << pins.status().ToString();
  ASSERT_EQ(pins->pins.size(), 1u);
  EXPECT_EQ(pins->pins[0].key_reference, 10);  // adm1
  EXPECT_EQ(pins->pins[0].attributes, 7);      // DEFAULT
  EXPECT_EQ(pins->pins[0].max_attempts_retry, 0x33);
  EXPECT_FALSE(pins->pins[0].unblocking_reference.has_value());
  // PIN value of 7 bytes.
  EXPECT_FALSE(ParsePinCodes(HexOrDie("a216a003810104a10fa00d300b80010a810735353535353535")).ok());
}

// mf + usim + genericFileManagement with an ADF path, a created DF, repeat/fill patterns.
Bytes FilePackage() {
  tlv::Builder b;
  b.Open(0xA0).Add(0x80, {2}).Add(0x81, {3}).Add(0x83, HexOrDie("89000123456789012341"));
  b.Open(0xA5).Close().Open(0xA6).Close().Close();
  b.Open(0xB0);
  PeHeader(b, 1);
  b.Add(0x81, HexOrDie("67810f010201"));
  b.Open(0xA2).Open(0xA1).Add(0xC6, HexOrDie("010a0b")).Close().Close();
  b.Open(0xA4).Add(0x83, HexOrDie("98001032547698103214")).Close();  // template FID and size
  b.Close();
  b.Open(0xB3);
  PeHeader(b, 2);
  b.Add(0x81, HexOrDie("67810f010204"));
  b.Open(0xA2).Open(0xA1).Add(0x83, HexOrDie("7ff0")).Add(0x84, HexOrDie("a0000000871002"));
  b.Add(0xC6, HexOrDie("81010a0b")).Close().Close();
  b.Open(0xA3).Add(0x80, {}).Close();  // ef-imsi: doNotCreate, template FID 6F07
  b.Close();
  b.Open(0xA1);
  PeHeader(b, 3);
  b.Open(0xA1).Open(0x30);
  b.Add(0x80, HexOrDie("7ff0"));
  b.Open(0x62).Add(0x83, HexOrDie("5f01")).Add(0xC6, HexOrDie("01")).Close();  // DF in the ADF
  b.Open(0x62).Add(0x82, HexOrDie("4121")).Add(0x83, HexOrDie("4f01")).Add(0x80, {0x05});
  b.Open(0xA5).Add(0xC2, HexOrDie("ab")).Close().Close();
  b.Add(0x02, {0x02}).Add(0x81, HexOrDie("01"));
  b.Add(0x80, {});
  b.Open(0x62).Add(0x82, HexOrDie("42210003")).Add(0x83, HexOrDie("2f50")).Add(0x80, {0x06});
  b.Open(0xA5).Add(0xC1, HexOrDie("00ee")).Close().Close();
  b.Close().Close().Close();
  b.Open(0xAA);
  PeHeader(b, 4);
  b.Close();
  return Done(b);
}

TEST(FilesView, TemplateAndGenericFileManagement) {
  auto pkg = Decode(FilePackage());
  ASSERT_TRUE(pkg.ok()) << pkg.status().ToString();
  auto files = Files(*pkg);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  auto iccid = IccidFile(*pkg);
  ASSERT_TRUE(iccid.ok());
  EXPECT_EQ(iccid->file_size, 10u);
  EXPECT_TRUE(iccid->size_known);
  auto imsi = ImsiFile(*pkg);
  ASSERT_TRUE(imsi.ok());
  EXPECT_TRUE(imsi->do_not_create);
  EXPECT_EQ((std::vector<uint16_t>{0x7FF0, 0x6F07}), imsi->path);
  auto df = FindFile(*pkg, {0x7FF0, 0x5F01});
  ASSERT_TRUE(df.ok());
  EXPECT_TRUE(df->is_df);
  EXPECT_EQ(ToHex(df->adf_name), "a0000000871002");
  // Created inside the new DF; repeatPattern AB, offset 2 then 01.
  auto ef = FindFile(*pkg, {0x7FF0, 0x5F01, 0x4F01});
  ASSERT_TRUE(ef.ok());
  EXPECT_EQ(ToHex(ef->content), "abab01abab");
  // MF-level record file: fillPattern 00 EE per 3-byte record.
  auto rec = FindFile(*pkg, {0x3F00, 0x2F50});
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(ToHex(rec->content), "00eeee00eeee");
  EXPECT_EQ(FindFile(*pkg, {0x3F00, 0x1234}).status().kind(), ErrorKind::kNotFound);
}

TEST(FilesView, RefusesWritesPastTheEnd) {
  tlv::Builder b;
  b.Open(0xB0);
  PeHeader(b, 1);
  b.Add(0x81, HexOrDie("67810f010201"));
  b.Open(0xA4).Add(0x83, Bytes(11, 0x98)).Close();  // 11 bytes into the 10-byte EF.ICCID
  b.Close();
  auto pkg = Decode(Done(b));
  ASSERT_TRUE(pkg.ok());
  EXPECT_FALSE(Files(*pkg).ok());
  // efFileSize over the 1 MiB limit.
  tlv::Builder g;
  g.Open(0xA1);
  PeHeader(g, 1);
  g.Open(0xA1).Open(0x30).Open(0x62).Add(0x83, HexOrDie("2f99")).Add(0x80, HexOrDie("7fffffff"));
  g.Close().Close().Close().Close();
  auto big = Decode(Done(g));
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(Files(*big).status().kind(), ErrorKind::kLimitExceeded);
}

TEST(PersonaliseSynthetic, ImsiNotCreatedStillWritten) {
  auto pkg = Decode(FilePackage());
  ASSERT_TRUE(pkg.ok());
  // EF.IMSI is still FF-filled: the template does not validate, the personalised result does.
  EXPECT_FALSE(Validate(*pkg).ok());
  Personalisation p;
  p.imsi = "26201123456789";
  auto out = Personalise(*pkg, p);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  auto imsi = ImsiFile(*out);
  ASSERT_TRUE(imsi.ok());
  EXPECT_EQ(*DecodeImsi(imsi->content), "26201123456789");
  EXPECT_TRUE(imsi->do_not_create);  // the template flag is kept
  EXPECT_TRUE(Validate(*out).ok());
  // No akaParameter in this package: K cannot go anywhere.
  Personalisation k;
  k.k = SecretBytes(Bytes(16, 1));
  EXPECT_FALSE(Personalise(*pkg, k).ok());
}

}  // namespace
}  // namespace m2mrsp::saip
