// Strict, bounded XML parsing over pugixml, plus the namespace resolution pugixml lacks.
//
// ParseXml() is the only way untrusted XML enters the system: it enforces a size limit before
// parsing, refuses any DOCTYPE (so no DTD, no entity declarations and no entity expansion: only
// the five predefined entities and character references are understood), refuses non-UTF-8
// declarations, duplicate attributes and unbound prefixes, and then walks the tree iteratively
// to enforce depth and element-count limits. Nothing here recurses over input, so deep
// nesting cannot exhaust the stack. An XmlDocument owns its pugixml tree; nodes handed out
// (pugi::xml_node) are views that live as long as the document. Value type (move-only); not
// synchronised.
#pragma once

#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>

#include "base/status.h"

namespace m2mrsp::soap {

struct XmlLimits {
  size_t max_bytes = 1 << 20;  // 1 MiB: an EIS with 127 key sets is a few tens of KiB
  size_t max_depth = 32;       // deepest GSMA shape (Eis/…/Keyset/Key/KeyComponents) is ~12
  size_t max_elements = 20000;
  size_t max_attributes_per_element = 32;
};

class XmlDocument {
 public:
  XmlDocument();
  XmlDocument(XmlDocument&&) noexcept = default;
  XmlDocument& operator=(XmlDocument&&) noexcept = default;

  pugi::xml_document& doc() { return *doc_; }
  const pugi::xml_document& doc() const { return *doc_; }
  // The root element (the document element), or an empty node.
  pugi::xml_node root() const { return doc_->document_element(); }

 private:
  std::unique_ptr<pugi::xml_document> doc_;
};

// Parses untrusted XML under `limits`. Every error (kParse, or kLimitExceeded for a limit)
// carries SGP.02 subject 1.6 "Function" with reason 2.1 "Invalid" (SGP.02 §5.1.6): the message
// is refused as a whole, there is no element to blame.
Result<XmlDocument> ParseXml(std::string_view text, const XmlLimits& limits = {});

// The part after the prefix ("ES3-GetEISRequest" for "rps:ES3-GetEISRequest").
std::string_view LocalName(std::string_view qname);
std::string_view LocalName(const pugi::xml_node& node);
std::string_view Prefix(std::string_view qname);

// The namespace URI bound to `prefix` ("" = the default namespace) in scope at `node`, walking
// up the ancestors; "xml" is bound to the XML namespace. nullopt when unbound (the default
// namespace unbound means "no namespace": returns "").
std::optional<std::string_view> LookupNamespace(const pugi::xml_node& node,
                                                std::string_view prefix);
// The namespace URI of an element (nullopt: unbound prefix).
std::optional<std::string_view> NamespaceOf(const pugi::xml_node& element);
// The namespace of an attribute (unprefixed attributes are in no namespace: "").
std::optional<std::string_view> NamespaceOf(const pugi::xml_node& element,
                                            const pugi::xml_attribute& attr);
bool IsElement(const pugi::xml_node& node, std::string_view ns, std::string_view local);
bool IsNamespaceDeclaration(const pugi::xml_attribute& attr);

// Serialises a node (and its subtree) without indentation and without an XML declaration.
std::string SerializeNode(const pugi::xml_node& node);
// Serialises a whole document with an XML declaration, no indentation.
std::string SerializeDocument(const pugi::xml_document& doc);

// Copies `element` under `parent` (possibly in another document) and declares on the copy every
// namespace prefix the subtree uses but does not declare itself, resolved at the source. The copy
// therefore means the same thing wherever it lands. Returns the copy (empty on failure).
pugi::xml_node CopyWithNamespaces(const pugi::xml_node& element, pugi::xml_node parent);

// True when the text is XML whitespace only (space, tab, CR, LF).
bool IsXmlWhitespace(std::string_view text);

}  // namespace m2mrsp::soap
