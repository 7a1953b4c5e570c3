// Simple-type lexical forms, XSD facets and the EumSignature fragment handling of the codec.
#include "es/codec.h"

#include <gtest/gtest.h>

#include "es/messages.h"
#include "filler.h"

namespace m2mrsp::es {
namespace {

TEST(DateTime, ParsesXsdForms) {
  // 2024-05-06T07:08:09Z = 1714979289 s since the epoch (python3: datetime(2024,5,6,7,8,9,
  // tzinfo=timezone.utc).timestamp()).
  for (const char* text :
       {"2024-05-06T07:08:09Z", "2024-05-06T07:08:09", "2024-05-06T07:08:09.250Z",
        "2024-05-06T09:08:09+02:00", "2024-05-06T02:08:09-05:00"}) {
    SCOPED_TRACE(text);
    auto d = DateTime::Parse(text);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_EQ(d->time.time_since_epoch().count(), 1714979289);
    EXPECT_EQ(d->ToString(), "2024-05-06T07:08:09Z");
  }
  for (const char* bad :
       {"", "2024-05-06", "2024-13-06T07:08:09Z", "2024-02-30T07:08:09Z", "2024-05-06T07:08:09X",
        "2024-05-06T07:08:9Z", "2024-05-06T07:08:09.Z", "2024-05-06 07:08:09Z",
        "2024-05-06T07:60:09Z", "0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00"}) {
    EXPECT_FALSE(DateTime::Parse(bad).ok()) << bad;
  }
}

// Years far from 1970 (the fuzzer found an overflow when they went through system_clock).
TEST(DateTime, WholeSchemaYearRange) {
  for (const char* text :
       {"0001-01-01T00:00:00Z", "1009-12-18T18:44:40Z", "9999-12-31T23:59:59Z"}) {
    auto d = DateTime::Parse(text);
    ASSERT_TRUE(d.ok()) << text;
    EXPECT_EQ(d->ToString(), text);
  }
}

TEST(SimpleTypes, FacetsBothWays) {
  std::string s;
  EXPECT_TRUE(FromText("1.2.3", s, Facet::kThreeDigitVersion).ok());
  EXPECT_FALSE(FromText("1.2", s, Facet::kThreeDigitVersion).ok());
  EXPECT_FALSE(FromText("1..3", s, Facet::kThreeDigitVersion).ok());
  EXPECT_TRUE(FromText("", s, Facet::kImsi).ok());
  EXPECT_FALSE(FromText("1234567890123456", s, Facet::kImsi).ok());
  EXPECT_FALSE(FromText("12", s, Facet::kMsisdn).ok());
  EXPECT_FALSE(FromText("+447700900123", s, Facet::kMsisdn).ok());
  EXPECT_TRUE(FromText(std::string(100, 'a'), s, Facet::kString100).ok());
  EXPECT_FALSE(FromText(std::string(101, 'a'), s, Facet::kString100).ok());
  // 100 two-byte characters are 100 characters, not 200.
  std::string umlauts;
  for (int i = 0; i < 100; ++i) umlauts += "\xC3\xBC";
  EXPECT_TRUE(FromText(umlauts, s, Facet::kString100).ok());
  EXPECT_FALSE(ToText(std::string(101, 'a'), Facet::kString100).ok());

  Oid oid;
  EXPECT_TRUE(FromText("1.3.6.1", oid, Facet::kNone).ok());
  for (const char* bad : {"", ".1", "1.", "1..2", "a.b", "1 .2"}) {
    EXPECT_FALSE(FromText(bad, oid, Facet::kNone).ok()) << bad;
  }
  uint64_t u = 0;
  EXPECT_TRUE(FromText("+00042", u, Facet::kNone).ok());
  EXPECT_EQ(u, 42u);
  EXPECT_FALSE(FromText("0", u, Facet::kPositive).ok());
  EXPECT_FALSE(FromText("-1", u, Facet::kNone).ok());
  EXPECT_TRUE(FromText("-0", u, Facet::kNone).ok());
  EXPECT_FALSE(FromText("99999999999999999999999", u, Facet::kNone).ok());
  EXPECT_FALSE(FromText("1e3", u, Facet::kNone).ok());
  int64_t i = 0;
  EXPECT_TRUE(FromText("127", i, Facet::kKeysetVersion).ok());
  EXPECT_FALSE(FromText("128", i, Facet::kKeysetVersion).ok());
  EXPECT_FALSE(FromText("0", i, Facet::kKeysetVersion).ok());
  EXPECT_TRUE(FromText("-128", i, Facet::kByte).ok());
  EXPECT_FALSE(FromText("-129", i, Facet::kByte).ok());
  Bytes b;
  EXPECT_TRUE(FromText("0a0B", b, Facet::kNone).ok());
  EXPECT_EQ(b, (Bytes{0x0A, 0x0B}));
  EXPECT_FALSE(FromText("0a0", b, Facet::kNone).ok());
  EXPECT_FALSE(FromText("0a0b", b, Facet::kOneOctet).ok());
  EXPECT_FALSE(FromText(std::string(34, '0'), b, Facet::kHex16).ok());
  bool flag = false;
  EXPECT_TRUE(FromText("1", flag, Facet::kNone).ok() && flag);
  EXPECT_FALSE(FromText("TRUE", flag, Facet::kNone).ok());
  ProfileState state{};
  EXPECT_TRUE(FromText("Enabled", state, Facet::kNone).ok());
  EXPECT_EQ(state, ProfileState::kEnabled);
  EXPECT_FALSE(FromText("enabled", state, Facet::kNone).ok());
}

TEST(EumSignature, KeepsForeignXmlWithItsNamespaces) {
  // The ds prefix is declared on the envelope only; the decoded fragment must carry it.
  Es1RegisterEisRequest q;
  testing::Filler(testing::Filler::kFull).FillMessage(q);
  soap::Addressing h{"https://a?EntityId=1", "https://b?EntityId=2", "urn:uuid:3", "", {}, {}};
  auto xml = EncodeEnvelope(q, h);
  ASSERT_TRUE(xml.ok());
  std::string moved = *xml;
  const std::string decl = " xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"";
  for (size_t p; (p = moved.find(decl)) != std::string::npos;) moved.erase(p, decl.size());
  moved.replace(moved.find("<env:Envelope "), 14, "<env:Envelope" + decl + " ");
  auto back = DecodeMessage(moved);
  ASSERT_TRUE(back.ok()) << back.status().ToString() << moved;
  const auto& sig = std::get<Es1RegisterEisRequest>(back->message).eis.eum_signature;
  EXPECT_EQ(sig.id, "sig-1");
  EXPECT_NE(sig.children.find("<ds:SignedInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">"),
            std::string::npos)
      << sig.children;
  EXPECT_TRUE(std::get<Es1RegisterEisRequest>(back->message) == q);
}

TEST(FunctionExecutionStatus, FromErrorDefaults) {
  const auto f = FunctionExecutionStatus::FromError(InternalError("boom"));
  EXPECT_EQ(f.status, ExecutionStatus::kFailed);
  ASSERT_TRUE(f.status_code_data.has_value());
  EXPECT_EQ(f.status_code_data->subject.value, "1.2");
  EXPECT_EQ(f.status_code_data->reason.value, "4.2");
  EXPECT_EQ(f.status_code_data->message, "boom");
}

}  // namespace
}  // namespace m2mrsp::es
