// Decoding refuses malformed ES messages with the SGP.02 status the function would report:
// 2.2 "Mandatory element missing" or 2.1 "Invalid", with the subject of the element at fault.
#include <gtest/gtest.h>

#include "es/messages.h"
#include "negative_helpers.h"

namespace m2mrsp::es {
namespace {

using testing::Envelope;
using testing::ExpectCodes;

constexpr std::string_view kCreate = "http://gsma.com/ES3/ProfileManagement/ES3-CreateISDP";

std::string CreateIsdp(std::string_view eid, std::string_view iccid = "8933010000000000010",
                       std::string_view memory = "65536", std::string_view extra = "",
                       std::string_view ns = "http://namespaces.gsma.org/esim-messaging/3") {
  std::string body = "<r:ES3-CreateISDPRequest xmlns:r=\"" + std::string(ns) +
                     "\"><r:FunctionCallIdentifier>f</r:FunctionCallIdentifier>" +
                     std::string(eid) + "<r:Iccid>" + std::string(iccid) +
                     "</r:Iccid><r:Mno-id>1.2.3</r:Mno-id><r:RequiredMemory>" +
                     std::string(memory) + "</r:RequiredMemory>" + std::string(extra) +
                     "</r:ES3-CreateISDPRequest>";
  return Envelope(kCreate, body);
}

constexpr std::string_view kEid = "<r:Eid>89001012012341234012345678901224</r:Eid>";

TEST(EsNegative, ValidBaselineDecodes) {
  auto r = DecodeMessage(CreateIsdp(kEid));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(std::holds_alternative<Es3CreateIsdpRequest>(r->message));
}

TEST(EsNegative, MissingMandatoryElement) {
  ExpectCodes(DecodeMessage(CreateIsdp("")), "8.1.1", "2.2");  // no Eid
  const std::string no_fci =
      Envelope("http://gsma.com/ES3/ProfileManagement/ES3-GetEISRequest",
               R"(<r:ES3-GetEISRequest xmlns:r="http://namespaces.gsma.org/esim-messaging/3">)"
               R"(<r:Eid>89001012012341234012345678901224</r:Eid></r:ES3-GetEISRequest>)");
  ExpectCodes(DecodeMessage(no_fci), "1.6", "2.2");  // FunctionCallIdentifier is 1..1 in /3
}

TEST(EsNegative, WrongTypes) {
  ExpectCodes(DecodeMessage(CreateIsdp(kEid, "8933010000000000010", "lots")), "1.6", "2.1");
  // EID check digits wrong; ICCID Luhn wrong; ICCID without the 89 prefix.
  ExpectCodes(DecodeMessage(CreateIsdp("<r:Eid>89001012012341234012345678901225</r:Eid>")), "8.1.1",
              "2.1");
  ExpectCodes(DecodeMessage(CreateIsdp(kEid, "8933010000000000011")), "8.2.1", "2.1");
  ExpectCodes(DecodeMessage(CreateIsdp(kEid, "1233010000000000010")), "8.2.1", "2.1");
  ExpectCodes(
      DecodeMessage(CreateIsdp(kEid, "8933010000000000010", "1", "<r:MoreToDo>yes</r:MoreToDo>")),
      "1.6", "2.1");
}

TEST(EsNegative, IccidPaddingTolerated) {
  auto r = DecodeMessage(CreateIsdp(kEid, "8933010000000000010F"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(std::get<Es3CreateIsdpRequest>(r->message).iccid.ToString(), "8933010000000000010");
}

TEST(EsNegative, UnknownOrMisplacedElement) {
  ExpectCodes(DecodeMessage(CreateIsdp(kEid, "8933010000000000010", "1", "<r:Extra>1</r:Extra>")),
              "1.6", "2.1");
  // MoreToDo before RequiredMemory: RequiredMemory is then missing where the schema wants it.
  const std::string swapped = Envelope(
      kCreate,
      R"(<r:ES3-CreateISDPRequest xmlns:r="http://namespaces.gsma.org/esim-messaging/3">)"
      R"(<r:FunctionCallIdentifier>f</r:FunctionCallIdentifier>)"
      R"(<r:Eid>89001012012341234012345678901224</r:Eid><r:Iccid>8933010000000000010</r:Iccid>)"
      R"(<r:Mno-id>1.2.3</r:Mno-id><r:MoreToDo>true</r:MoreToDo>)"
      R"(<r:RequiredMemory>1</r:RequiredMemory></r:ES3-CreateISDPRequest>)");
  EXPECT_FALSE(DecodeMessage(swapped).ok());
  // A child in a foreign namespace.
  ExpectCodes(DecodeMessage(CreateIsdp(kEid, "8933010000000000010", "1",
                                       "<x:MoreToDo xmlns:x=\"urn:other\">true</x:MoreToDo>")),
              "1.6", "2.1");
}

TEST(EsNegative, UnknownAttributeAndTextRefused) {
  const std::string attr = CreateIsdp("<r:Eid foo=\"1\">89001012012341234012345678901224</r:Eid>");
  ExpectCodes(DecodeMessage(attr), "8.1.1", "2.1");
  ExpectCodes(DecodeMessage(CreateIsdp(kEid, "8933010000000000010", "1", "stray text")), "1.6",
              "2.1");
}

TEST(EsNegative, WrongNamespaceOrVersion) {
  // The /1 namespace is not ours.
  ExpectCodes(DecodeMessage(CreateIsdp(kEid, "8933010000000000010", "1", "",
                                       "http://namespaces.gsma.org/esim-messaging/1")),
              "1.6", "2.1");
  ExpectCodes(DecodeMessage(Envelope(kCreate,
                                     "<ES3-Unknown xmlns=\"http://namespaces.gsma.org/"
                                     "esim-messaging/3\"/>")),
              "1.6", "2.1");
}

TEST(EsNegative, ActionMustMatchTheBody) {
  const std::string body = CreateIsdp(kEid);
  std::string wrong = body;
  wrong.replace(wrong.find(kCreate), kCreate.size(),
                "http://gsma.com/ES3/ProfileManagementCallBack/ES3-CreateISDP");
  ExpectCodes(DecodeMessage(wrong), "1.6", "2.1");
}

TEST(EsNegative, HyphenatedStatusRefused) {
  // The XSD enumeration is EXECUTED_SUCCESS; the prose form "Executed-Success" is not on the wire.
  auto make = [](std::string_view status) {
    return Envelope(
        "http://gsma.com/ES3/ProfileManagement/ES3-UpdatePolicyRulesResponse",
        R"(<r:ES3-UpdatePolicyRulesResponse xmlns:r="http://namespaces.gsma.org/esim-messaging/3">)"
        R"(<r:FunctionExecutionStatus><r:Status>)" +
            std::string(status) +
            "</r:Status></r:FunctionExecutionStatus></r:ES3-UpdatePolicyRulesResponse>");
  };
  ASSERT_TRUE(DecodeMessage(make("EXECUTED_SUCCESS")).ok());
  ExpectCodes(DecodeMessage(make("Executed-Success")), "1.6", "2.1");
}

TEST(EsNegative, FailureStatusRoundTrip) {
  Es3EnableProfileResponse r;
  r.function_execution_status = FunctionExecutionStatus::FromError(
      Status::Sgp(ErrorKind::kNotFound, "8.1.1", "3.9", "EID unknown"));
  soap::Addressing h{"https://a?EntityId=1", "https://b?EntityId=2", "urn:uuid:3", "", {}, "urn:x"};
  auto xml = EncodeEnvelope(r, h);
  ASSERT_TRUE(xml.ok());
  EXPECT_NE(xml->find("<rps:Status>FAILED</rps:Status><rps:StatusCodeData><rps:Subject>8.1.1"
                      "</rps:Subject><rps:Reason>3.9</rps:Reason>"),
            std::string::npos)
      << *xml;
  auto back = DecodeMessage(*xml);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(std::get<Es3EnableProfileResponse>(back->message) == r);
}

TEST(EsNegative, EncoderRefusesSchemaInvalidValues) {
  Es3CreateIsdpRequest q;
  q.function_call_identifier = "f";
  q.mno_id.value = "not an oid";
  soap::Addressing h{"https://a?EntityId=1", "https://b?EntityId=2", "urn:uuid:3", "", {}, {}};
  EXPECT_EQ(EncodeEnvelope(q, h).status().kind(), ErrorKind::kInvalidArgument);
  q.mno_id.value = "1.2";
  q.validity_period = 0;  // positiveInteger
  EXPECT_FALSE(EncodeEnvelope(q, h).ok());
  q.validity_period.reset();
  q.function_call_identifier = std::string("a\x01", 2);  // not representable in XML 1.0
  EXPECT_FALSE(EncodeEnvelope(q, h).ok());
  q.function_call_identifier = "f";
  h.action = "http://gsma.com/ES3/ProfileManagement/ES3-SendData";
  EXPECT_FALSE(EncodeEnvelope(q, h).ok());
  h.action.clear();
  EXPECT_TRUE(EncodeEnvelope(q, h).ok());
}

}  // namespace
}  // namespace m2mrsp::es
