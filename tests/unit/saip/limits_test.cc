// Regression tests for the review of the saip library: the file-system views stay bounded for
// hostile genericFileManagement shapes (deep DF chains, very many DFs), filePaths resolve
// against every ADF, Validate checks IMSI digit counts, TUAK key sizes and algorithmID, the
// header skips later ServicesList flags, and personalisation accepts the GP key types of
// SCP81 (TLS-PSK) with sane lengths. Tags from PEDefinitions v3.3.1.
#include <gtest/gtest.h>

#include "saip/package.h"
#include "saip/personalise.h"
#include "tlv/ber.h"

namespace m2mrsp::saip {
namespace {

Bytes Done(tlv::Builder& b) { return std::move(b).Finish(); }
void PeHeader(tlv::Builder& b, uint8_t id) { b.Open(0xA0).Add(0x81, {id}).Close(); }

// createFCP of a DF (fileID, pinStatusTemplateDO C6 marks a DF) or of an EF (fileID only).
void CreateDf(tlv::Builder& b, uint16_t fid) {
  b.Open(0x62).Add(0x83, {static_cast<uint8_t>(fid >> 8), static_cast<uint8_t>(fid)});
  b.Add(0xC6, {}).Close();
}
void CreateEf(tlv::Builder& b, uint16_t fid) {
  b.Open(0x62).Add(0x83, {static_cast<uint8_t>(fid >> 8), static_cast<uint8_t>(fid)}).Close();
}

struct Parts {
  Bytes services;                                  // the ServicesList value (NULL flags)
  Bytes imsi_ef = HexOrDie("080910101032547698");  // TS.48 EF.IMSI (001010123456789)
  std::optional<uint8_t> algorithm;                // an akaParameter when set
  size_t k_size = 16, opc_size = 16;
  std::optional<uint8_t> sd_key_type;  // a securityDomain with KVN 40 / key 01 of this type
  Bytes gfm;                           // a genericFileManagement element, as encoded
  bool second_usim = false;            // a second ADF.USIM (temporary ID 7FF1) after the first
};

// header (ICCID 89000123456789012341), mf with EF.ICCID, usim (ADF temporary ID 7FF0) with
// EF.IMSI, then the optional parts, then end.
Bytes BuildPackage(const Parts& p) {
  tlv::Builder b;
  b.Open(0xA0).Add(0x80, {2}).Add(0x81, {3}).Add(0x83, HexOrDie("89000123456789012341"));
  b.Add(0xA5, p.services).Open(0xA6).Close().Close();
  b.Open(0xB0);
  PeHeader(b, 1);
  b.Add(0x81, HexOrDie("67810f010201"));
  b.Open(0xA2).Open(0xA1).Add(0xC6, HexOrDie("010a0b")).Close().Close();
  b.Open(0xA4).Add(0x83, HexOrDie("98001032547698103214")).Close();  // swapped BCD
  b.Close();
  for (uint8_t adf : {uint8_t{0xF0}, uint8_t{0xF1}}) {
    if (adf == 0xF1 && !p.second_usim) break;
    b.Open(0xB3);
    PeHeader(b, 2);
    b.Add(0x81, HexOrDie("67810f010204"));
    b.Open(0xA2).Open(0xA1).Add(0x83, {0x7F, adf}).Add(0x84, {0xA0, 0, 0, 0, 0x87, 0x10, adf});
    b.Add(0xC6, HexOrDie("81010a0b")).Close().Close();
    b.Open(0xA3).Add(0x83, p.imsi_ef).Close();
    b.Close();
  }
  if (p.algorithm) {
    b.Open(0xA4);
    PeHeader(b, 3);
    b.Open(0xA1).Open(0xA1).Add(0x80, {*p.algorithm}).Add(0x81, {0x00});
    b.Add(0x82, Bytes(p.k_size, 0x11)).Add(0x83, Bytes(p.opc_size, 0x22)).Close().Close();
    b.Close();
  }
  if (p.sd_key_type) {
    b.Open(0xA6);
    PeHeader(b, 4);
    b.Open(0xA1).Add(0x4F, HexOrDie("a0000001515350")).Add(0x4F, HexOrDie("a000000151535041"));
    b.Add(0x4F, HexOrDie("a000000151000000")).Add(0x82, HexOrDie("82dc00")).Add(0xC9, {0x81, 0});
    b.Close();
    b.Open(0xA2).Open(0x30).Add(0x95, {0x38}).Add(0x82, {0x01}).Add(0x83, {0x40});
    b.Open(0x30).Open(0x30).Add(0x80, {*p.sd_key_type}).Add(0x86, Bytes(16, 0x00)).Close();
    b.Close().Close().Close().Close();
  }
  b.AddRaw(p.gfm);
  b.Open(0xAA);
  PeHeader(b, 9);
  b.Close();
  return Done(b);
}

// genericFileManagement { header, fileManagementCMD { FileManagement... } }; `fill` writes the
// FileManagement SEQUENCEs.
template <typename F>
Bytes Gfm(F fill) {
  tlv::Builder b;
  b.Open(0xA1);
  PeHeader(b, 5);
  b.Open(0xA1);
  fill(b);
  b.Close().Close();
  return Done(b);
}

TEST(FilesLimits, DfChainDeeperThanAFilePathCanNameIsRefused) {
  // MF + 4 DFs and an EF inside the deepest: what a filePath of 8 bytes can reach.
  Parts ok;
  ok.gfm = Gfm([](tlv::Builder& b) {
    b.Open(0x30);
    for (uint16_t i = 0; i < 4; ++i) CreateDf(b, static_cast<uint16_t>(0x5F10 + i));
    CreateEf(b, 0x6F01);
    b.Close();
  });
  auto pkg = Decode(BuildPackage(ok));
  ASSERT_TRUE(pkg.ok()) << pkg.status().ToString();
  auto deepest = FindFile(*pkg, {0x3F00, 0x5F10, 0x5F11, 0x5F12, 0x5F13, 0x6F01});
  ASSERT_TRUE(deepest.ok()) << deepest.status().ToString();
  EXPECT_TRUE(Validate(*pkg).ok()) << Validate(*pkg).ToString();

  // One DF more, then the repro shape of the review (a chain of 16000 nested DFs with 8000 EFs
  // in the deepest, ~176 KB): a clear kLimitExceeded, not 1 GB of paths.
  for (int chain : {5, 16000}) {
    Parts deep;
    deep.gfm = Gfm([chain](tlv::Builder& b) {
      b.Open(0x30);
      for (int i = 0; i < chain; ++i) CreateDf(b, static_cast<uint16_t>(0x5F00 + (i & 0xFF)));
      for (int i = 0; i < (chain > 5 ? 8000 : 1); ++i) {
        CreateEf(b, static_cast<uint16_t>(0x6F00 + (i & 0xFF)));
      }
      b.Close();
    });
    auto d = Decode(BuildPackage(deep));
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    auto files = Files(*d);
    ASSERT_FALSE(files.ok()) << chain;
    EXPECT_EQ(files.status().kind(), ErrorKind::kLimitExceeded);
    EXPECT_NE(files.status().message().find("deeper than"), std::string::npos)
        << files.status().message();
    EXPECT_EQ(Validate(*d).kind(), ErrorKind::kLimitExceeded);
  }
}

TEST(FilesLimits, TooManyFilesIsRefused) {
  // 3 elements x 6000 DFs side by side under the MF (filePath '' before each): 18000 records.
  Parts many;
  for (int e = 0; e < 3; ++e) {
    Append(many.gfm, Gfm([e](tlv::Builder& b) {
             b.Open(0x30);
             for (int i = 0; i < 6000; ++i) {
               b.Add(0x80, {});
               CreateDf(b, static_cast<uint16_t>(0x1000 * (e + 1) + i));
             }
             b.Close();
           }));
  }
  auto pkg = Decode(BuildPackage(many));
  ASSERT_TRUE(pkg.ok()) << pkg.status().ToString();
  auto files = Files(*pkg);
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().kind(), ErrorKind::kLimitExceeded);
  EXPECT_NE(files.status().message().find("more than 16384 files"), std::string::npos)
      << files.status().message();
}

TEST(FilesLimits, FilePathMatchesEveryAdfNotOnlyTheLatest) {
  Parts p;
  p.second_usim = true;
  p.gfm = Gfm([](tlv::Builder& b) {
    b.Open(0x30).Add(0x80, HexOrDie("7ff0"));
    CreateEf(b, 0x6F99);
    b.Close();
  });
  auto pkg = Decode(BuildPackage(p));
  ASSERT_TRUE(pkg.ok()) << pkg.status().ToString();
  auto ef = FindFile(*pkg, {0x7FF0, 0x6F99});
  ASSERT_TRUE(ef.ok()) << ef.status().ToString();
  EXPECT_EQ(ToHex(ef->adf_name), "a00000008710f0");  // the first USIM's AID
  EXPECT_EQ(FindFile(*pkg, {0x3F00, 0x7FF0, 0x6F99}).status().kind(), ErrorKind::kNotFound);
}

TEST(ValidateChecks, ImsiDigitCount) {
  Parts p;
  EXPECT_TRUE(Validate(*Decode(BuildPackage(p))).ok());
  p.imsi_ef = HexOrDie("0119ffffffffffffff");  // one digit, odd parity: decodable
  auto pkg = Decode(BuildPackage(p));
  ASSERT_TRUE(pkg.ok());
  ASSERT_EQ(*DecodeImsi(ImsiFile(*pkg)->content), "1");
  const Status s = Validate(*pkg);
  EXPECT_EQ(s.kind(), ErrorKind::kInvalidArgument);
  EXPECT_NE(s.message().find("1 digits"), std::string::npos) << s.message();
  p.imsi_ef = HexOrDie("0409101010ffffffff");  // 7 digits
  EXPECT_TRUE(Validate(*Decode(BuildPackage(p))).ok());
}

TEST(ValidateChecks, AkaKeySizesPerAlgorithmAndAlgorithmId) {
  struct Case {
    uint8_t algorithm;
    size_t k, opc;
    bool valid;
  };
  // TS 35.206 (MILENAGE 128/128), TS 35.231 (TUAK K 128/256, TOPc 256), TS 34.108 (test 128).
  const Case cases[] = {{1, 16, 16, true},  {1, 32, 16, false},  {1, 16, 32, false},
                        {2, 16, 32, true},  {2, 32, 32, true},   {2, 16, 16, false},
                        {2, 32, 16, false}, {3, 16, 16, true},   {0, 16, 16, false},
                        {4, 16, 16, false}, {255, 16, 16, false}};
  for (const Case& c : cases) {
    Parts p;
    p.algorithm = c.algorithm;
    p.k_size = c.k;
    p.opc_size = c.opc;
    auto pkg = Decode(BuildPackage(p));
    ASSERT_TRUE(pkg.ok());
    EXPECT_EQ(Validate(*pkg).ok(), c.valid) << int{c.algorithm} << " " << c.k << " " << c.opc;
  }
  // Personalising a 16-byte-OPc template to TUAK is refused by the result's validation.
  Parts milenage;
  milenage.algorithm = 1;
  auto templ = Decode(BuildPackage(milenage));
  ASSERT_TRUE(templ.ok());
  Personalisation tuak;
  tuak.algorithm_id = 2;
  EXPECT_FALSE(Personalise(*templ, tuak).ok());
  tuak.opc = SecretBytes(Bytes(32, 0x33));
  auto out = Personalise(*templ, tuak);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*AkaParameters(*out))[0].opc.size(), 32u);
}

TEST(HeaderServices, LaterFlagsAreReportedNotRefused) {
  Parts p;
  // usim [1]; service 30 (9E); services 31 and 32 in the high-tag-number form (9F 1F, 9F 20);
  // a constructed extension BF 21 {} (skipped).
  p.services = HexOrDie("81009e009f1f009f2000bf2100");
  auto pkg = Decode(BuildPackage(p));
  ASSERT_TRUE(pkg.ok());
  auto h = GetHeader(*pkg);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->mandatory_services,
            (std::vector<std::string>{"usim", "service-30", "service-31", "service-32"}));
  EXPECT_TRUE(Validate(*pkg).ok());
  // A known flag with content and a universal-class component stay refused.
  for (const char* bad : {"810101", "0500"}) {
    p.services = HexOrDie(bad);
    EXPECT_FALSE(GetHeader(*Decode(BuildPackage(p))).ok()) << bad;
  }
}

TEST(PersonaliseKeys, TlsPskAndOtherGpKeyTypes) {
  struct Case {
    uint8_t type;
    size_t size;
    bool ok;
  };
  // GP CS §11.1.8: 85 TLS-PSK (SCP81), 88 AES, 80/82 3DES, 90 HMAC-SHA1; B1 ECC private key is
  // not an OTA key; single DES refused.
  const Case cases[] = {{0x85, 16, true},  {0x85, 32, true}, {0x85, 64, true},  {0x85, 8, false},
                        {0x85, 65, false}, {0x88, 24, true}, {0x88, 20, false}, {0x80, 8, false},
                        {0x82, 24, true},  {0x90, 20, true}, {0xB1, 32, false}};
  for (const Case& c : cases) {
    Parts p;
    p.sd_key_type = c.type;
    auto templ = Decode(BuildPackage(p));
    ASSERT_TRUE(templ.ok());
    Personalisation ota;
    ota.ota_keys.push_back({0x40, 0x01, SecretBytes(Bytes(c.size, 0x5A))});
    auto out = Personalise(*templ, ota);
    EXPECT_EQ(out.ok(), c.ok) << std::hex << int{c.type} << " " << std::dec << c.size;
    if (!out.ok()) continue;
    auto sds = SecurityDomains(*out);
    ASSERT_TRUE(sds.ok());
    const ByteView data = (*sds)[0].keys[0].components[0].key_data.view();
    EXPECT_EQ(Bytes(data.begin(), data.end()), Bytes(c.size, 0x5A));
  }
}

}  // namespace
}  // namespace m2mrsp::saip
