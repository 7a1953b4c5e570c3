// SOAP 1.2 envelopes with WS-Addressing headers: writing, strict reading, faults.
#include "soap/envelope.h"

#include <gtest/gtest.h>

namespace m2mrsp::soap {
namespace {

Addressing Sample() {
  Addressing a;
  a.from = "https://smsr.example:20000?EntityId=1.3.6.1.4.1.20&EntityName=SM-SR";
  a.to = "https://smdp.example:10000?EntityId=1.3.6.1.4.1.10";
  a.message_id =
      "//1.3.6.1.4.1.20/urn:uuid:a?TransactionId=urn:uuid:b&MessageDate=2018-12-19T02:44:49Z";
  a.action = "http://gsma.com/ES3/ProfileManagementCallBack/ES3-CreateISDP";
  a.relates_to = "//1.3.6.1.4.1.10/urn:uuid:c";
  return a;
}

Status WriteOne(pugi::xml_node body) {
  pugi::xml_node e = body.append_child("x:Thing");
  e.append_attribute("xmlns:x").set_value("urn:x");
  e.text().set("1 < 2 & 3");
  return Status::Ok();
}

TEST(Envelope, WritesHeadersInObservedOrder) {
  auto xml = BuildEnvelope(Sample(), WriteOne);
  ASSERT_TRUE(xml.ok());
  EXPECT_EQ(
      *xml,
      R"(<?xml version="1.0" encoding="UTF-8"?>)"
      R"(<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" )"
      R"(xmlns:wsa="http://www.w3.org/2005/08/addressing"><env:Header>)"
      R"(<wsa:From><wsa:Address>https://smsr.example:20000?EntityId=1.3.6.1.4.1.20&amp;EntityName=SM-SR</wsa:Address></wsa:From>)"
      R"(<wsa:To env:mustUnderstand="true">https://smdp.example:10000?EntityId=1.3.6.1.4.1.10</wsa:To>)"
      R"(<wsa:MessageID>//1.3.6.1.4.1.20/urn:uuid:a?TransactionId=urn:uuid:b&amp;MessageDate=2018-12-19T02:44:49Z</wsa:MessageID>)"
      R"(<wsa:Action env:mustUnderstand="true">http://gsma.com/ES3/ProfileManagementCallBack/ES3-CreateISDP</wsa:Action>)"
      R"(<wsa:RelatesTo>//1.3.6.1.4.1.10/urn:uuid:c</wsa:RelatesTo>)"
      R"(</env:Header><env:Body><x:Thing xmlns:x="urn:x">1 &lt; 2 &amp; 3</x:Thing></env:Body></env:Envelope>)");
  auto back = ParseEnvelope(*xml);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->addressing(), Sample());
  EXPECT_TRUE(IsElement(back->body(), "urn:x", "Thing"));
  EXPECT_EQ(std::string(back->body().child_value()), "1 < 2 & 3");
  EXPECT_FALSE(back->fault().has_value());
}

TEST(Envelope, BuildRefusesMissingHeadersOrBadBody) {
  Addressing a = Sample();
  a.action.clear();
  EXPECT_FALSE(BuildEnvelope(a, WriteOne).ok());
  EXPECT_FALSE(BuildEnvelope(Sample(), [](pugi::xml_node) { return Status::Ok(); }).ok());
  a = Sample();
  a.to = "bad\x02";
  EXPECT_FALSE(BuildEnvelope(a, WriteOne).ok());
}

std::string With(std::string_view header, std::string_view body = "<x:T xmlns:x=\"urn:x\"/>",
                 std::string_view env_ns = "http://www.w3.org/2003/05/soap-envelope") {
  return "<s:Envelope xmlns:s=\"" + std::string(env_ns) +
         "\" xmlns:w=\"http://www.w3.org/2005/08/addressing\"><s:Header>" + std::string(header) +
         "</s:Header><s:Body>" + std::string(body) + "</s:Body></s:Envelope>";
}

constexpr std::string_view kHeaders =
    "<w:From><w:Address>https://a?EntityId=1.2</w:Address></w:From><w:To>https://b</w:To>"
    "<w:MessageID>urn:uuid:1</w:MessageID><w:Action>urn:act</w:Action>";

void ExpectCode(const Result<ParsedEnvelope>& r, std::string_view reason) {
  ASSERT_FALSE(r.ok());
  ASSERT_TRUE(r.status().sgp().has_value()) << r.status().ToString();
  EXPECT_EQ(r.status().sgp()->reason(), reason) << r.status().ToString();
}

TEST(Envelope, AcceptsAnyPrefixesAndWhitespace) {
  auto r = ParseEnvelope(With(std::string(kHeaders) + "\n  ", "\n  <x:T xmlns:x=\"urn:x\"/>\n"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->addressing().from, "https://a?EntityId=1.2");
  EXPECT_EQ(r->addressing().action, "urn:act");
}

TEST(Envelope, MissingAddressingIsMandatoryElementMissing) {
  ExpectCode(ParseEnvelope(With("<w:To>https://b</w:To>")), "2.2");
  ExpectCode(ParseEnvelope(With("<w:From><w:Foo/></w:From>")), "2.2");  // From without Address
  ParseOptions lax;
  lax.require_addressing = false;
  EXPECT_TRUE(ParseEnvelope(With(""), lax).ok());
}

TEST(Envelope, MustUnderstand) {
  const std::string unknown_mu =
      std::string(kHeaders) + "<z:Sec xmlns:z=\"urn:z\" s:mustUnderstand=\"true\"/>";
  auto r = ParseEnvelope(With(unknown_mu));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(IsMustUnderstandError(r.status()));
  EXPECT_EQ(FaultFor(r.status()).code, FaultCode::kMustUnderstand);
  // Optional unknown blocks, and blocks for another role, are ignored.
  EXPECT_TRUE(ParseEnvelope(With(std::string(kHeaders) + "<z:Sec xmlns:z=\"urn:z\"/>")).ok());
  EXPECT_TRUE(ParseEnvelope(With(std::string(kHeaders) +
                                 "<z:Sec xmlns:z=\"urn:z\" s:mustUnderstand=\"1\" "
                                 "s:role=\"http://www.w3.org/2003/05/soap-envelope/role/none\"/>"))
                  .ok());
  // mustUnderstand in the wrong namespace is just an attribute.
  EXPECT_TRUE(ParseEnvelope(With(std::string(kHeaders) +
                                 "<z:Sec xmlns:z=\"urn:z\" z:mustUnderstand=\"true\"/>"))
                  .ok());
  ExpectCode(ParseEnvelope(With(std::string(kHeaders) +
                                "<z:Sec xmlns:z=\"urn:z\" s:mustUnderstand=\"yes\"/>")),
             "2.1");
}

TEST(Envelope, WrongNamespacesAndShapes) {
  auto v11 = ParseEnvelope(
      With(kHeaders, "<x:T xmlns:x=\"urn:x\"/>", "http://schemas.xmlsoap.org/soap/envelope/"));
  ASSERT_FALSE(v11.ok());
  EXPECT_TRUE(IsVersionMismatchError(v11.status()));
  EXPECT_EQ(FaultFor(v11.status()).code, FaultCode::kVersionMismatch);
  ExpectCode(ParseEnvelope(With(kHeaders, "", "urn:other")), "2.1");
  ExpectCode(ParseEnvelope(With(kHeaders, "")), "2.2");  // empty Body
  ExpectCode(ParseEnvelope(With(kHeaders, "<x:T xmlns:x=\"urn:x\"/><x:U xmlns:x=\"urn:x\"/>")),
             "2.1");
  ExpectCode(ParseEnvelope(With(kHeaders, "text")), "2.1");
  ExpectCode(ParseEnvelope(With(std::string(kHeaders) + "<w:To>https://c</w:To>")), "2.1");
  ExpectCode(ParseEnvelope(With(std::string(kHeaders) +
                                "<w:RelatesTo RelationshipType=\"urn:other\">x</w:RelatesTo>")),
             "2.1");
  // wsa headers from the 2004/08 draft namespace are not WS-Addressing 1.0: To etc. are missing.
  ExpectCode(ParseEnvelope("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
                           "xmlns:w=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\">"
                           "<s:Header><w:To>x</w:To></s:Header><s:Body><T/></s:Body></s:Envelope>"),
             "2.2");
  ExpectCode(ParseEnvelope("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\">"
                           "<s:Body><T/></s:Body><s:Header/></s:Envelope>"),
             "2.1");
}

TEST(Fault, RoundTripsWithSgpCodes) {
  const Status refused = Status::Sgp(ErrorKind::kParse, "1.6", "2.1", "malformed XML");
  const Fault f = FaultFor(refused);
  EXPECT_EQ(f.code, FaultCode::kSender);
  Addressing a = Sample();
  a.action = std::string(kWsaFaultAction);
  auto xml = BuildFaultEnvelope(a, f);
  ASSERT_TRUE(xml.ok());
  EXPECT_NE(
      xml->find("<env:Fault><env:Code><env:Value>env:Sender</env:Value></env:Code>"
                "<env:Reason><env:Text xml:lang=\"en\">malformed XML</env:Text></env:Reason>"
                "<env:Detail><rps:StatusCodeData xmlns:rps=\"http://namespaces.gsma.org/"
                "esim-messaging/3\"><rps:Subject>1.6</rps:Subject><rps:Reason>2.1</rps:Reason>"),
      std::string::npos)
      << *xml;
  auto back = ParseEnvelope(*xml);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_TRUE(back->fault().has_value());
  EXPECT_EQ(*back->fault(), f);
  EXPECT_EQ(FaultFor(Status::Error(ErrorKind::kUnavailable, "db down")).code, FaultCode::kReceiver);
}

TEST(Fault, RefusesUnknownCodes) {
  ExpectCode(ParseEnvelope(
                 With(kHeaders, "<s:Fault><s:Code><s:Value>s:Oops</s:Value></s:Code></s:Fault>")),
             "2.1");
  ExpectCode(ParseEnvelope(With(kHeaders, "<s:Fault><s:Reason/></s:Fault>")), "2.2");
}

}  // namespace
}  // namespace m2mrsp::soap
