// Strict decoding of the messages newer than the GSMA bundle (es/additions.h): the same SGP.02
// reason codes as the bundle's messages (2.2 mandatory element missing, 2.1 invalid) for missing
// parts, wrong order, unknown enumeration literals, oversized lists and strings, extra elements,
// the wrong namespace and an Action that disagrees with the body; encoding refuses what the
// supplementary schema would refuse.
#include <gtest/gtest.h>

#include "es/additions.h"
#include "negative_helpers.h"

namespace m2mrsp::es {
namespace {

using testing::Envelope;
using testing::ExpectCodes;

constexpr std::string_view kNs = "http://namespaces.gsma.org/esim-messaging/3";
constexpr std::string_view kSetPlma = "http://gsma.com/ES4A/ProfileManagement/ES4A-SetPLMARequest";
constexpr std::string_view kFallBack =
    "http://gsma.com/ES4/PlatformManagement/ES4-SetFallBackAttribute";

std::string SetPlma(std::string_view plma_children, std::string_view ns = kNs) {
  return Envelope(kSetPlma, "<r:ES4A-SetPLMARequest xmlns:r=\"" + std::string(ns) +
                                "\"><r:FunctionCallIdentifier>f</r:FunctionCallIdentifier>"
                                "<r:Plma>" +
                                std::string(plma_children) + "</r:Plma></r:ES4A-SetPLMARequest>");
}

constexpr std::string_view kPlmaHead =
    "<r:Mno-id>1.2.3</r:Mno-id><r:M2MSP-id>1.2.4</r:M2MSP-id><r:ProfileType>A</r:ProfileType>";

std::string FallBack(std::string_view children) {
  return Envelope(kFallBack, "<r:ES4-SetFallBackAttributeRequest xmlns:r=\"" + std::string(kNs) +
                                 "\"><r:FunctionCallIdentifier>f</r:FunctionCallIdentifier>" +
                                 std::string(children) + "</r:ES4-SetFallBackAttributeRequest>");
}
constexpr std::string_view kEid = "<r:Eid>89001012012341234012345678901224</r:Eid>";
constexpr std::string_view kIccid = "<r:Iccid>8933010000000000010</r:Iccid>";

TEST(EsAdditionsNegative, BaselinesDecode) {
  auto plma = DecodeAdditionMessage(SetPlma(kPlmaHead));
  ASSERT_TRUE(plma.ok()) << plma.status().ToString();
  EXPECT_TRUE(std::holds_alternative<Es4aSetPlmaRequest>(plma->message));
  auto fb = DecodeAdditionMessage(FallBack(std::string(kEid) + std::string(kIccid)));
  ASSERT_TRUE(fb.ok()) << fb.status().ToString();
  EXPECT_EQ(std::get<Es4SetFallBackAttributeRequest>(fb->message).iccid.ToString(),
            "8933010000000000010");
}

TEST(EsAdditionsNegative, MissingMandatoryElements) {
  ExpectCodes(DecodeAdditionMessage(FallBack(kIccid)), "8.1.1", "2.2");  // no Eid
  ExpectCodes(DecodeAdditionMessage(FallBack(kEid)), "8.2.1", "2.2");    // no Iccid
  ExpectCodes(DecodeAdditionMessage(SetPlma("<r:Mno-id>1.2.3</r:Mno-id>")), "1.6", "2.2");
  const std::string no_plma =
      Envelope(kSetPlma, "<r:ES4A-SetPLMARequest xmlns:r=\"" + std::string(kNs) +
                             "\"><r:FunctionCallIdentifier>f</r:FunctionCallIdentifier>"
                             "</r:ES4A-SetPLMARequest>");
  ExpectCodes(DecodeAdditionMessage(no_plma), "1.6", "2.2");
}

TEST(EsAdditionsNegative, WrongOrderAndExtraElements) {
  ExpectCodes(DecodeAdditionMessage(FallBack(std::string(kIccid) + std::string(kEid))), "8.1.1",
              "2.2");
  ExpectCodes(
      DecodeAdditionMessage(FallBack(std::string(kEid) + std::string(kIccid) + "<r:Extra/>")),
      "1.6", "2.1");
  // AuthorisedNotification before AuthorisedFunction: the function is left over.
  ExpectCodes(
      DecodeAdditionMessage(SetPlma(std::string(kPlmaHead) +
                                    "<r:AuthorisedNotification>HandleProfileEnabledNotification"
                                    "</r:AuthorisedNotification><r:AuthorisedFunction>EnableProfile"
                                    "</r:AuthorisedFunction>")),
      "1.6", "2.1");
}

TEST(EsAdditionsNegative, UnknownLiteralsOversizedListsAndStrings) {
  ExpectCodes(
      DecodeAdditionMessage(SetPlma(std::string(kPlmaHead) + "<r:AuthorisedFunction>MasterDelete"
                                                             "</r:AuthorisedFunction>")),
      "1.6", "2.1");
  std::string nine;
  for (int i = 0; i < 9; ++i) nine += "<r:AuthorisedFunction>GetEIS</r:AuthorisedFunction>";
  ExpectCodes(DecodeAdditionMessage(SetPlma(std::string(kPlmaHead) + nine)), "1.6", "2.1");
  ExpectCodes(DecodeAdditionMessage(SetPlma("<r:Mno-id>1.2.3</r:Mno-id><r:M2MSP-id>x</r:M2MSP-id>"
                                            "<r:ProfileType>A</r:ProfileType>")),
              "1.6", "2.1");
  ExpectCodes(DecodeAdditionMessage(SetPlma("<r:Mno-id>1.2.3</r:Mno-id><r:M2MSP-id>1.2</r:M2MSP-id>"
                                            "<r:ProfileType>" +
                                            std::string(101, 'x') + "</r:ProfileType>")),
              "8.2.5", "2.1");  // Profile Type
}

TEST(EsAdditionsNegative, NamespaceActionAndUnknownElement) {
  ExpectCodes(
      DecodeAdditionMessage(SetPlma(kPlmaHead, "http://namespaces.gsma.org/esim-messaging/1")),
      "1.6", "2.1");
  std::string wrong_action = SetPlma(kPlmaHead);
  wrong_action.replace(wrong_action.find(kSetPlma), kSetPlma.size(),
                       "http://gsma.com/ES4A/ProfileManagement/ES4A-GetPLMARequest");
  ExpectCodes(DecodeAdditionMessage(wrong_action), "1.6", "2.1");
  ExpectCodes(DecodeAdditionMessage(Envelope(
                  kSetPlma, "<r:ES4A-MasterDeleteRequest xmlns:r=\"" + std::string(kNs) + "\"/>")),
              "1.6", "2.1");
  EXPECT_FALSE(DecodeAdditionMessage("<not-xml").ok());
}

TEST(EsAdditionsNegative, EncodingRefusesWhatTheSchemaRefuses) {
  soap::Addressing h;
  h.from = "https://mno.example?EntityId=1.2.3";
  h.to = "https://smsr.example?EntityId=1.2.5";
  h.message_id = "urn:uuid:00010203-0405-4607-8809-0a0b0c0d0e0f";
  Es4aSetPlmaRequest m;
  m.function_call_identifier = "f";
  m.plma.mno_id.value = "1.2.3";
  m.plma.m2m_sp_id.value = "1.2.4";
  m.plma.profile_type = std::string(101, 'x');  // String100
  EXPECT_FALSE(EncodeAdditionMessage(m, h).ok());
  m.plma.profile_type = "A";
  m.plma.m2m_sp_id.value = "not-an-oid";
  EXPECT_FALSE(EncodeAdditionMessage(m, h).ok());
  m.plma.m2m_sp_id.value = "1.2.4";
  m.plma.functions.assign(9, PlmaFunction::kGetEis);  // more than the 8 literals
  EXPECT_FALSE(EncodeAdditionMessage(m, h).ok());
  m.plma.functions = {static_cast<PlmaFunction>(42)};
  EXPECT_FALSE(EncodeAdditionMessage(m, h).ok());
  m.plma.functions = {PlmaFunction::kEnableProfile};
  soap::Addressing wrong = h;
  wrong.action = std::string(kFallBack);
  EXPECT_FALSE(EncodeAdditionMessage(m, wrong).ok());
  EXPECT_TRUE(EncodeAdditionMessage(m, h).ok());
}

}  // namespace
}  // namespace m2mrsp::es
