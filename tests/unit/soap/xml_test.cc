// The strict XML front door: limits, DOCTYPE/entity refusal, well-formedness gaps of pugixml,
// namespace resolution.
#include "soap/xml.h"

#include <gtest/gtest.h>

namespace m2mrsp::soap {
namespace {

void ExpectRefused(std::string_view xml, ErrorKind kind, const XmlLimits& limits = {}) {
  auto r = ParseXml(xml, limits);
  ASSERT_FALSE(r.ok()) << xml.substr(0, 200);
  EXPECT_EQ(r.status().kind(), kind) << r.status().ToString();
  ASSERT_TRUE(r.status().sgp().has_value());
  EXPECT_EQ(r.status().sgp()->subject(), "1.6");
  EXPECT_EQ(r.status().sgp()->reason(), "2.1");
}

TEST(ParseXml, AcceptsPlainDocument) {
  auto r = ParseXml(R"(<?xml version="1.0" encoding="utf-8"?><!-- c --><a xmlns="urn:x"><b/></a>)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(std::string(r->root().name()), "a");
}

TEST(ParseXml, RefusesOversize) {
  XmlLimits l;
  l.max_bytes = 64;
  ExpectRefused("<a>" + std::string(100, 'x') + "</a>", ErrorKind::kLimitExceeded, l);
}

TEST(ParseXml, RefusesDeepNesting) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<a>";
  for (int i = 0; i < 100000; ++i) deep += "</a>";
  ExpectRefused(deep, ErrorKind::kLimitExceeded);
  XmlLimits l;
  l.max_depth = 3;
  EXPECT_TRUE(ParseXml("<a><a><a/></a></a>", l).ok());
  ExpectRefused("<a><a><a><a/></a></a></a>", ErrorKind::kLimitExceeded, l);
}

TEST(ParseXml, RefusesTooManyElements) {
  XmlLimits l;
  l.max_elements = 10;
  std::string wide = "<a>";
  for (int i = 0; i < 10; ++i) wide += "<b/>";
  ExpectRefused(wide + "</a>", ErrorKind::kLimitExceeded, l);
}

TEST(ParseXml, RefusesDoctypeAndEntities) {
  // "Billion laughs": refused before anything is expanded.
  const std::string bomb =
      R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">)"
      R"(<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">)"
      R"(<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>)"
      R"(<lolz>&lol3;</lolz>)";
  ExpectRefused(bomb, ErrorKind::kParse);
  ExpectRefused(R"(<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>)", ErrorKind::kParse);
  // Without a DTD, an unknown entity reference is not expanded (pugixml leaves it as text).
  auto r = ParseXml("<a>&xxe;</a>");
  if (r.ok()) {
    EXPECT_EQ(std::string(r->root().child_value()), "&xxe;");
  }
}

TEST(ParseXml, RefusesWhatPugixmlWouldLetThrough) {
  ExpectRefused(R"(<a x="1" x="2"/>)", ErrorKind::kParse);        // duplicate attribute
  ExpectRefused("<p:a/>", ErrorKind::kParse);                     // unbound prefix
  ExpectRefused(R"(<a p:x="1"/>)", ErrorKind::kParse);            // unbound attribute prefix
  ExpectRefused("<a/><b/>", ErrorKind::kParse);                   // two roots
  ExpectRefused(std::string("<a>\0</a>", 8), ErrorKind::kParse);  // NUL
  ExpectRefused(R"(<?xml version="1.0" encoding="ISO-8859-1"?><a/>)", ErrorKind::kParse);
  ExpectRefused("<a>", ErrorKind::kParse);
  ExpectRefused("<a>\x01</a>", ErrorKind::kParse);  // raw C0 control
  ExpectRefused("<a>&#1;</a>", ErrorKind::kParse);  // the same as a character reference
  ExpectRefused("<a b=\"&#x1F;\"/>", ErrorKind::kParse);
  ExpectRefused("<a>\xC3</a>", ErrorKind::kParse);          // truncated UTF-8
  ExpectRefused("<a>\xC0\xAF</a>", ErrorKind::kParse);      // overlong
  ExpectRefused("<a>\xED\xA0\x80</a>", ErrorKind::kParse);  // surrogate
  EXPECT_TRUE(ParseXml("<a>\xC3\xBC\xE2\x82\xAC\xF0\x9F\x98\x80\t\r\n</a>").ok());
  ExpectRefused("", ErrorKind::kParse);
  ExpectRefused("text", ErrorKind::kParse);
}

TEST(Namespaces, ResolvesPrefixesAndDefaults) {
  auto r = ParseXml(R"(<a xmlns="urn:d" xmlns:p="urn:p"><p:b><c xmlns="" p:k="v"/></p:b></a>)");
  ASSERT_TRUE(r.ok());
  const pugi::xml_node a = r->root();
  const pugi::xml_node b = a.first_child();
  const pugi::xml_node c = b.first_child();
  EXPECT_EQ(NamespaceOf(a), "urn:d");
  EXPECT_EQ(NamespaceOf(b), "urn:p");
  EXPECT_EQ(NamespaceOf(c), "");
  EXPECT_TRUE(IsElement(b, "urn:p", "b"));
  EXPECT_FALSE(IsElement(b, "urn:d", "b"));
  EXPECT_EQ(NamespaceOf(c, c.attribute("p:k")), "urn:p");
  EXPECT_EQ(LookupNamespace(c, "xml"), "http://www.w3.org/XML/1998/namespace");
}

TEST(Namespaces, CopyCarriesTheDeclarationsItNeeds) {
  auto r = ParseXml(R"(<a xmlns:p="urn:p" xmlns="urn:d"><p:b q="1"><c/></p:b></a>)");
  ASSERT_TRUE(r.ok());
  pugi::xml_document target;
  const pugi::xml_node copy = CopyWithNamespaces(r->root().first_child(), target);
  EXPECT_EQ(SerializeNode(copy), R"(<p:b q="1" xmlns="urn:d" xmlns:p="urn:p"><c/></p:b>)");
}

}  // namespace
}  // namespace m2mrsp::soap
