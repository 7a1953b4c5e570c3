// Every ES message of the variant, filled twice (all optional parts present / all absent):
// encoded, validated against the GSMA schema with xmllint, decoded back and compared; the full
// envelopes decode through DecodeMessage with the right Action.
#include "es/messages.h"

#include <gtest/gtest.h>

#include "filler.h"
#include "schema_lint.h"

namespace m2mrsp::es {
namespace {

using testing::Filler;

soap::Addressing Headers() {
  soap::Addressing h;
  h.from = "https://smdp.example/ES3/ES3SmDpService?EntityId=1.3.6.1.4.1.99999.10";
  h.to = "https://smsr.example/ES3/ES3SmSrService?EntityId=1.3.6.1.4.1.99999.20";
  h.message_id = "//1.3.6.1.4.1.99999.10/urn:uuid:00010203-0405-4607-8809-0a0b0c0d0e0f";
  h.reply_to = "https://smdp.example/ES3/ES3SmDpService";
  return h;
}

template <size_t I>
void AddAlternative(std::vector<Message>& out, Filler::Mode mode) {
  std::variant_alternative_t<I, MessageVariant> m;
  Filler(mode).FillMessage(m);
  out.emplace_back(std::move(m));
}

template <size_t... I>
void AddAll(std::vector<Message>& out, Filler::Mode mode, std::index_sequence<I...>) {
  (AddAlternative<I>(out, mode), ...);
}

// All alternatives, filled in `mode`.
std::vector<Message> AllMessages(Filler::Mode mode) {
  std::vector<Message> out;
  AddAll(out, mode, std::make_index_sequence<std::variant_size_v<MessageVariant>>());
  return out;
}

// The body element alone (its own xmlns:rps declaration makes it a standalone document).
std::string BodyXml(const Message& m) {
  pugi::xml_document doc;
  const Status s = std::visit([&](const auto& x) { return EncodeBody(x, doc); }, m);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return soap::SerializeDocument(doc);
}

class AllMessagesTest : public ::testing::TestWithParam<Filler::Mode> {};

TEST_P(AllMessagesTest, CoversEveryElementOfTheSchema) {
  EXPECT_EQ(AllMessages(GetParam()).size(), 75u);  // 75 global ES elements in the /3 bundle
}

TEST_P(AllMessagesTest, EncodedBodiesValidateAgainstGsmaSchema) {
  if (const std::string why = testing::Unavailable(); !why.empty()) GTEST_SKIP() << why;
  std::vector<std::pair<std::string, std::string>> docs;
  for (const Message& m : AllMessages(GetParam())) {
    docs.emplace_back(std::string(ElementOf(m)), BodyXml(m));
  }
  const testing::LintReport r = testing::Lint(docs);
  for (const auto& [name, why] : r.failures) ADD_FAILURE() << name << ":\n" << why;
  EXPECT_TRUE(r.all_valid) << r.output.substr(0, 4000);
}

TEST_P(AllMessagesTest, EncodedEnvelopesValidateAgainstSoapAddressingAndGsmaSchemas) {
  if (const std::string why = testing::Unavailable(); !why.empty()) GTEST_SKIP() << why;
  std::vector<std::pair<std::string, std::string>> docs;
  for (const Message& m : AllMessages(GetParam())) {
    auto xml = EncodeMessage(m, Headers());
    ASSERT_TRUE(xml.ok()) << xml.status().ToString();
    docs.emplace_back(std::string(ElementOf(m)), *xml);
  }
  const testing::LintReport r = testing::Lint(docs, testing::EnvelopeSchemaPath());
  for (const auto& [name, why] : r.failures) ADD_FAILURE() << name << ":\n" << why;
  EXPECT_TRUE(r.all_valid) << r.output.substr(0, 4000);
}

TEST_P(AllMessagesTest, EnvelopesRoundTrip) {
  for (const Message& m : AllMessages(GetParam())) {
    SCOPED_TRACE(std::string(ElementOf(m)));
    auto xml = EncodeMessage(m, Headers());
    ASSERT_TRUE(xml.ok()) << xml.status().ToString();
    auto back = DecodeMessage(*xml);
    ASSERT_TRUE(back.ok()) << back.status().ToString() << "\n" << *xml;
    EXPECT_TRUE(back->message == m) << *xml;
    EXPECT_EQ(back->addressing.action, ActionOf(m));
    EXPECT_EQ(back->addressing.from, Headers().from);
    // Re-encoding the decoded value gives the same bytes.
    auto again = EncodeMessage(back->message, back->addressing);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *xml);
  }
}

std::string ModeName(const ::testing::TestParamInfo<Filler::Mode>& p) {
  return p.param == Filler::kFull ? "Full" : "Minimal";
}
INSTANTIATE_TEST_SUITE_P(Modes, AllMessagesTest, ::testing::Values(Filler::kFull, Filler::kMinimal),
                         ModeName);

TEST(SchemaLint, FaultEnvelopeValidates) {
  if (const std::string why = testing::Unavailable(); !why.empty()) GTEST_SKIP() << why;
  soap::Addressing h = Headers();
  h.action = std::string(soap::kWsaFaultAction);
  h.reply_to.reset();
  h.relates_to = "urn:uuid:1";
  auto xml = soap::BuildFaultEnvelope(
      h, soap::FaultFor(Status::Sgp(ErrorKind::kParse, "1.6", "2.1", "malformed XML")));
  ASSERT_TRUE(xml.ok());
  const testing::LintReport r = testing::Lint({{"fault", *xml}}, testing::EnvelopeSchemaPath());
  EXPECT_TRUE(r.all_valid) << r.output;
}

// The validation is not vacuous: xmllint does refuse what the schema refuses.
TEST(SchemaLint, RefusesInvalidBodies) {
  if (const std::string why = testing::Unavailable(); !why.empty()) GTEST_SKIP() << why;
  const std::string ns = "xmlns:r=\"http://namespaces.gsma.org/esim-messaging/3\"";
  const testing::LintReport r = testing::Lint({
      {"hyphenated_status", "<r:ES3-UpdatePolicyRulesResponse " + ns +
                                "><r:FunctionExecutionStatus><r:Status>Executed-Success</r:Status>"
                                "</r:FunctionExecutionStatus></r:ES3-UpdatePolicyRulesResponse>"},
      {"missing_eid", "<r:ES3-GetEISRequest " + ns +
                          "><r:FunctionCallIdentifier>f</r:FunctionCallIdentifier>"
                          "</r:ES3-GetEISRequest>"},
      {"wrong_order",
       "<r:ES2-DeleteProfileRequest " + ns +
           "><r:FunctionCallIdentifier>f</r:FunctionCallIdentifier>"
           "<r:Eid>89001012012341234012345678901224</r:Eid><r:Smsr-id>1.2</r:Smsr-id>"
           "<r:Iccid>8933010000000000010</r:Iccid></r:ES2-DeleteProfileRequest>"},
      {"valid", "<r:ES3-GetEISRequest " + ns +
                    "><r:FunctionCallIdentifier>f</r:FunctionCallIdentifier>"
                    "<r:Eid>89001012012341234012345678901224</r:Eid></r:ES3-GetEISRequest>"},
  });
  EXPECT_FALSE(r.all_valid);
  EXPECT_EQ(r.failures.size(), 3u) << r.output;
  EXPECT_EQ(r.failures.count("valid"), 0u) << r.output;
}

TEST(Messages, ElementNamesAndActionsAreUnique) {
  const auto all = AllMessages(Filler::kMinimal);
  for (size_t i = 0; i < all.size(); ++i) {
    for (size_t j = i + 1; j < all.size(); ++j) {
      EXPECT_NE(ElementOf(all[i]), ElementOf(all[j]));
      EXPECT_NE(ActionOf(all[i]), ActionOf(all[j]));
    }
    // es-messages.md §2.5: http://gsma.com/ES<n>/<Group>/<name>, ES<n> matching the element.
    const std::string_view el = ElementOf(all[i]);
    const std::string_view iface = el.substr(0, el.find('-'));
    EXPECT_TRUE(ActionOf(all[i]).starts_with("http://gsma.com/" + std::string(iface) + "/"))
        << ActionOf(all[i]);
  }
}

TEST(Messages, CatalogueSkeletonDecodes) {
  // es-messages.md §10, the async CreateISDP request (placeholder ids replaced by valid ones).
  const std::string xml = R"(<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
              xmlns:wsa="http://www.w3.org/2005/08/addressing"
              xmlns:rps="http://namespaces.gsma.org/esim-messaging/3">
  <env:Header>
    <wsa:From><wsa:Address>https://smdp.example/es3cb?EntityId=1.2.3.10</wsa:Address></wsa:From>
    <wsa:To env:mustUnderstand="true">https://smsr.example/ES3/ES3SmSrService?EntityId=1.2.3.20</wsa:To>
    <wsa:MessageID>//1.2.3.10/urn:uuid:1?TransactionId=urn:uuid:2&amp;MessageDate=2024-01-01T00:00:00Z</wsa:MessageID>
    <wsa:Action env:mustUnderstand="true">http://gsma.com/ES3/ProfileManagement/ES3-CreateISDP</wsa:Action>
    <wsa:ReplyTo><wsa:Address>https://smdp.example/ES3/ES3SmDpService</wsa:Address></wsa:ReplyTo>
  </env:Header>
  <env:Body>
    <rps:ES3-CreateISDPRequest>
      <rps:FunctionCallIdentifier>fc-0001</rps:FunctionCallIdentifier>
      <rps:ValidityPeriod>600</rps:ValidityPeriod>
      <rps:Eid>89001012012341234012345678901224</rps:Eid>
      <rps:Iccid>8933010000000000010</rps:Iccid>
      <rps:Mno-id>1.2.3.30</rps:Mno-id>
      <rps:RequiredMemory>65536</rps:RequiredMemory>
      <rps:MoreToDo>true</rps:MoreToDo>
    </rps:ES3-CreateISDPRequest>
  </env:Body>
</env:Envelope>)";
  auto d = DecodeMessage(xml);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  const auto* req = std::get_if<Es3CreateIsdpRequest>(&d->message);
  ASSERT_NE(req, nullptr);
  EXPECT_EQ(req->function_call_identifier, "fc-0001");
  EXPECT_EQ(req->validity_period, 600u);
  EXPECT_EQ(req->eid.ToString(), "89001012012341234012345678901224");
  EXPECT_EQ(req->iccid.ToString(), "8933010000000000010");
  EXPECT_EQ(req->mno_id.value, "1.2.3.30");
  EXPECT_EQ(req->required_memory, 65536);
  EXPECT_EQ(req->more_to_do, true);
  EXPECT_EQ(d->addressing.reply_to, "https://smdp.example/ES3/ES3SmDpService");
  EXPECT_EQ(ExchangeOf(d->message), soap::Exchange::kAsynchronous);
}

}  // namespace
}  // namespace m2mrsp::es
