// The messages newer than the GSMA /3 bundle (es/additions.h): every one, filled twice (all
// optional parts present / absent), is encoded, validated with xmllint against
// docs/schema/es-v4-additions.xsd included with the bundle's common types, decoded back and
// compared; envelopes carry the right Action; malformed bodies are refused with SGP.02 codes.
#include "es/additions.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "es/messages.h"
#include "filler.h"
#include "schema_lint.h"

namespace m2mrsp::es {
namespace {

using testing::Filler;

constexpr size_t kAdditionCount = 59;

// The project's own schema, found from this source file (CMake compiles it by absolute path).
std::string LocateAdditionsXsd() {
  namespace fs = std::filesystem;
  const fs::path p = fs::path(__FILE__).parent_path() / "../../../docs/schema/es-v4-additions.xsd";
  return fs::exists(p) ? fs::canonical(p).string() : "";
}

std::string Unavailable() {
  if (std::string why = testing::Unavailable(); !why.empty()) return why;
  if (LocateAdditionsXsd().empty()) return "docs/schema/es-v4-additions.xsd not found";
  return "";
}

// A wrapper giving the chameleon schema the /3 namespace and the bundle's common types; with
// `envelope`, a second one adding SOAP 1.2 and WS-Addressing (as schema_lint.h does for the
// bundle).
std::string WrapperSchema(bool envelope) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("m2mrsp_es_add_xsd_" + std::to_string(getpid()));
  fs::create_directories(dir);
  // Canonical, and only the request file (which includes the common types itself), so that
  // libxml2 never loads a second copy of the types under another path.
  const std::string xsd =
      fs::canonical(std::string(M2MRSP_SHARED_DIR) + "/schema/gsma-esim-messaging-3/xsd").string() +
      "/";
  std::ofstream(dir / "additions.xsd")
      << "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
         "targetNamespace=\"http://namespaces.gsma.org/esim-messaging/3\" "
         "elementFormDefault=\"qualified\">"
         "<xs:include schemaLocation=\"" +
             xsd +
             "euicc.common.request.xsd\"/>"
             "<xs:include schemaLocation=\"" +
             LocateAdditionsXsd() + "\"/></xs:schema>";
  if (!envelope) return (dir / "additions.xsd").string();
  std::ofstream(dir / "xml-lang.xsd")
      << "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
         "targetNamespace=\"http://www.w3.org/XML/1998/namespace\">"
         "<xs:attribute name=\"lang\" type=\"xs:language\"/></xs:schema>";
  std::ofstream(dir / "envelope.xsd")
      << "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
         "targetNamespace=\"urn:m2mrsp:test:envelope\">"
         "<xs:import namespace=\"http://www.w3.org/XML/1998/namespace\" "
         "schemaLocation=\"xml-lang.xsd\"/>"
         "<xs:import namespace=\"http://www.w3.org/2003/05/soap-envelope\" schemaLocation=\"" +
             xsd + "import/soap-12.xsd\"/>" +
             "<xs:import namespace=\"http://www.w3.org/2005/08/addressing\" schemaLocation=\"" +
             xsd + "import/ws-addr.xsd\"/>" +
             "<xs:import namespace=\"http://namespaces.gsma.org/esim-messaging/3\" "
             "schemaLocation=\"additions.xsd\"/></xs:schema>";
  return (dir / "envelope.xsd").string();
}

soap::Addressing Headers() {
  soap::Addressing h;
  h.from = "https://mno.example/ES4A?EntityId=1.3.6.1.4.1.99999.30";
  h.to = "https://smsr.example/ES4A?EntityId=1.3.6.1.4.1.99999.20";
  h.message_id = "//1.3.6.1.4.1.99999.30/urn:uuid:00010203-0405-4607-8809-0a0b0c0d0e0f";
  return h;
}

template <size_t... I>
std::vector<AdditionMessage> All(Filler::Mode mode, std::index_sequence<I...>) {
  std::vector<AdditionMessage> out;
  auto add = [&]<size_t K>(std::integral_constant<size_t, K>) {
    std::variant_alternative_t<K, AdditionMessageVariant> m;
    Filler(mode).FillMessage(m);
    out.emplace_back(std::move(m));
  };
  (add(std::integral_constant<size_t, I>()), ...);
  return out;
}
std::vector<AdditionMessage> AllAdditions(Filler::Mode mode) {
  return All(mode, std::make_index_sequence<std::variant_size_v<AdditionMessageVariant>>());
}

std::string BodyXml(const AdditionMessage& m) {
  pugi::xml_document doc;
  const Status s = std::visit([&](const auto& x) { return EncodeBody(x, doc); }, m);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return soap::SerializeDocument(doc);
}

class AdditionsTest : public ::testing::TestWithParam<Filler::Mode> {};

TEST_P(AdditionsTest, BodiesValidateAgainstSupplementarySchema) {
  if (const std::string why = Unavailable(); !why.empty()) GTEST_SKIP() << why;
  std::vector<std::pair<std::string, std::string>> docs;
  for (const AdditionMessage& m : AllAdditions(GetParam())) {
    docs.emplace_back(std::string(ElementOf(m)), BodyXml(m));
  }
  ASSERT_EQ(docs.size(), kAdditionCount);
  const testing::LintReport r = testing::Lint(docs, WrapperSchema(false));
  for (const auto& [name, why] : r.failures) ADD_FAILURE() << name << ":\n" << why;
  EXPECT_TRUE(r.all_valid) << r.output.substr(0, 4000);
}

TEST_P(AdditionsTest, EnvelopesValidateAgainstSoapAddressingAndSupplementarySchema) {
  if (const std::string why = Unavailable(); !why.empty()) GTEST_SKIP() << why;
  std::vector<std::pair<std::string, std::string>> docs;
  for (const AdditionMessage& m : AllAdditions(GetParam())) {
    auto xml = EncodeAdditionMessage(m, Headers());
    ASSERT_TRUE(xml.ok()) << xml.status().ToString();
    docs.emplace_back(std::string(ElementOf(m)), *xml);
  }
  const testing::LintReport r = testing::Lint(docs, WrapperSchema(true));
  for (const auto& [name, why] : r.failures) ADD_FAILURE() << name << ":\n" << why;
  EXPECT_TRUE(r.all_valid) << r.output.substr(0, 4000);
}

TEST_P(AdditionsTest, RoundTripThroughEnvelope) {
  for (const AdditionMessage& m : AllAdditions(GetParam())) {
    auto xml = EncodeAdditionMessage(m, Headers());
    ASSERT_TRUE(xml.ok()) << ElementOf(m) << ": " << xml.status().ToString();
    auto back = DecodeAdditionMessage(*xml);
    ASSERT_TRUE(back.ok()) << ElementOf(m) << ": " << back.status().ToString();
    EXPECT_EQ(back->message, m) << ElementOf(m);
    EXPECT_EQ(back->addressing.action, ActionOf(m));
    EXPECT_TRUE(IsAdditionElement(ElementOf(m)));
    // The bundle's decoder does not know them: 1.6 / 2.1, never a crash or a wrong message.
    auto bundle = DecodeMessage(*xml);
    ASSERT_FALSE(bundle.ok());
    EXPECT_EQ(bundle.status().sgp()->reason(), "2.1");
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, AdditionsTest, ::testing::Values(Filler::kFull, Filler::kMinimal),
                         [](const auto& p) {
                           return p.param == Filler::kFull ? "Full" : "Minimal";
                         });

TEST(Additions, NamesActionsAndPatternsFollowTheBundle) {
  std::set<std::string_view> elements, actions;
  for (const AdditionMessage& m : AllAdditions(Filler::kMinimal)) {
    const std::string_view e = ElementOf(m), a = ActionOf(m);
    EXPECT_TRUE(elements.insert(e).second) << e;
    EXPECT_TRUE(actions.insert(a).second) << a;
    // http://gsma.com/ES{n}/<Group>/ES{n}-<Function>[Request|Response] (es-messages.md §2.5).
    const std::string_view iface = e.substr(0, e.find('-'));
    EXPECT_EQ(a.substr(0, 16 + iface.size()), "http://gsma.com/" + std::string(iface)) << a;
    const bool request = e.ends_with("Request"), response = e.ends_with("Response");
    switch (ExchangeOf(m)) {
      case soap::Exchange::kSynchronous:
        EXPECT_TRUE(a.ends_with(e)) << a;  // sync Actions are the element names
        EXPECT_NE(a.find("/ProfileManagement/"), std::string_view::npos) << a;
        break;
      case soap::Exchange::kAsynchronous: {
        const std::string fn(e.substr(0, e.size() - (request ? 7 : 8)));
        EXPECT_TRUE(a.ends_with("/" + fn)) << a;  // async Actions drop the suffix
        EXPECT_NE(a.find(response ? "/PlatformManagementCallBack/" : "/PlatformManagement/"),
                  std::string_view::npos)
            << a;
        break;
      }
      case soap::Exchange::kNotification:
        EXPECT_TRUE(!request && !response && e.ends_with("Notification")) << e;
        EXPECT_TRUE(a.ends_with("/PlatformManagement/" + std::string(e))) << a;
        break;
    }
  }
  EXPECT_EQ(elements.size(), kAdditionCount);
  // None collides with a bundle element or Action.
  EXPECT_FALSE(IsAdditionElement("ES4-EnableProfileRequest"));
  EXPECT_FALSE(IsAdditionElement("ES3-HandleProfileEnabledNotification"));
  EXPECT_EQ(actions.count("http://gsma.com/ES4/PlatformManagement/ES4-EnableProfile"), 0u);
}

TEST(Additions, Es4aSetPlmaWorkedExampleDecodes) {
  // The worked example of docs/formats/es-additions.md.
  const std::string xml =
      R"(<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" )"
      R"(xmlns:a="http://www.w3.org/2005/08/addressing"><e:Header>)"
      R"(<a:From><a:Address>https://mno.example?EntityId=1.2.3.30</a:Address></a:From>)"
      R"(<a:To>https://smsr.example?EntityId=1.2.3.20</a:To><a:MessageID>urn:uuid:1</a:MessageID>)"
      R"(<a:Action>http://gsma.com/ES4A/ProfileManagement/ES4A-SetPLMARequest</a:Action>)"
      R"(</e:Header><e:Body><rps:ES4A-SetPLMARequest )"
      R"(xmlns:rps="http://namespaces.gsma.org/esim-messaging/3">)"
      R"(<rps:FunctionCallIdentifier>plma-0001</rps:FunctionCallIdentifier>)"
      R"(<rps:ValidityPeriod>600</rps:ValidityPeriod><rps:Plma><rps:Mno-id>1.2.3.30</rps:Mno-id>)"
      R"(<rps:M2MSP-id>1.2.3.40</rps:M2MSP-id><rps:ProfileType>fleet-A</rps:ProfileType>)"
      R"(<rps:AuthorisedFunction>EnableProfile</rps:AuthorisedFunction>)"
      R"(<rps:AuthorisedFunction>DisableProfile</rps:AuthorisedFunction>)"
      R"(<rps:AuthorisedNotification>HandleProfileEnabledNotification)"
      R"(</rps:AuthorisedNotification></rps:Plma></rps:ES4A-SetPLMARequest></e:Body></e:Envelope>)";
  auto r = DecodeAdditionMessage(xml);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto* m = std::get_if<Es4aSetPlmaRequest>(&r->message);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->function_call_identifier, "plma-0001");
  EXPECT_EQ(m->plma.m2m_sp_id.value, "1.2.3.40");
  EXPECT_EQ(m->plma.functions, (std::vector<PlmaFunction>{PlmaFunction::kEnableProfile,
                                                          PlmaFunction::kDisableProfile}));
  EXPECT_EQ(m->plma.notifications,
            std::vector<NotificationKind>{NotificationKind::kProfileEnabled});
}

}  // namespace
}  // namespace m2mrsp::es
