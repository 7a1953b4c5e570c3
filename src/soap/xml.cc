#include "soap/xml.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <vector>

namespace m2mrsp::soap {
namespace {

constexpr std::string_view kXmlNamespace = "http://www.w3.org/XML/1998/namespace";

// SGP.02 §5.1.6: subject 1.6 "Function", reason 2.1 "Invalid" (architecture digest §7.4).
Status Refuse(ErrorKind kind, std::string message) {
  return Status::Sgp(kind, "1.6", "2.1", std::move(message));
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

class StringWriter final : public pugi::xml_writer {
 public:
  void write(const void* data, size_t size) override {
    out.append(static_cast<const char*>(data), size);
  }
  std::string out;
};

// XML 1.0 §2.2 Char: no C0 controls other than tab, LF, CR (raw or as character references,
// which pugixml would otherwise let through).
bool HasForbiddenControl(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return true;
  }
  return false;
}

// XML documents are well-formed in their encoding; pugixml does not check UTF-8.
bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      const unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    // Overlong forms, surrogates, beyond U+10FFFF.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

// Checks one element: attribute count, duplicate attributes, bound prefixes.
Status CheckElement(const pugi::xml_node& e, const XmlLimits& limits) {
  if (!NamespaceOf(e)) return Refuse(ErrorKind::kParse, "unbound prefix on element");
  size_t count = 0;
  for (pugi::xml_attribute a = e.first_attribute(); a; a = a.next_attribute()) {
    if (++count > limits.max_attributes_per_element) {
      return Refuse(ErrorKind::kLimitExceeded, "too many attributes on one element");
    }
    // pugixml does not refuse duplicate attributes (XML 1.0 §3.1 WFC: Unique Att Spec).
    for (pugi::xml_attribute b = a.next_attribute(); b; b = b.next_attribute()) {
      if (std::string_view(a.name()) == b.name())
        return Refuse(ErrorKind::kParse, "duplicate attribute");
    }
    if (HasForbiddenControl(a.value())) return Refuse(ErrorKind::kParse, "control character");
    if (!IsNamespaceDeclaration(a) && !NamespaceOf(e, a)) {
      return Refuse(ErrorKind::kParse, "unbound prefix on attribute");
    }
  }
  return Status::Ok();
}

}  // namespace

XmlDocument::XmlDocument() : doc_(std::make_unique<pugi::xml_document>()) {}

Result<XmlDocument> ParseXml(std::string_view text, const XmlLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Refuse(ErrorKind::kLimitExceeded, "XML larger than " + std::to_string(limits.max_bytes));
  }
  if (HasForbiddenControl(text)) return Refuse(ErrorKind::kParse, "control character in XML");
  if (!IsValidUtf8(text)) return Refuse(ErrorKind::kParse, "XML is not valid UTF-8");
  XmlDocument xml;
  // parse_doctype keeps a DOCTYPE in the tree so that we can see it and refuse it; pugixml never
  // expands entities beyond the predefined five and character references in any mode.
  const unsigned options = pugi::parse_default | pugi::parse_doctype | pugi::parse_declaration;
  const pugi::xml_parse_result r =
      xml.doc().load_buffer(text.data(), text.size(), options, pugi::encoding_utf8);
  if (!r) return Refuse(ErrorKind::kParse, std::string("malformed XML: ") + r.description());

  size_t elements = 0;
  for (pugi::xml_node n = xml.doc().first_child(); n; n = n.next_sibling()) {
    switch (n.type()) {
      case pugi::node_doctype:
        return Refuse(ErrorKind::kParse, "DOCTYPE refused (no DTDs, no entities)");
      case pugi::node_declaration: {
        const std::string_view enc = n.attribute("encoding").value();
        if (!enc.empty() && !EqualsIgnoreCase(enc, "utf-8")) {
          return Refuse(ErrorKind::kParse, "only UTF-8 XML is accepted");
        }
        break;
      }
      case pugi::node_element:
        if (++elements > 1) return Refuse(ErrorKind::kParse, "more than one root element");
        break;
      case pugi::node_comment:
      case pugi::node_pi:
        break;
      default:
        return Refuse(ErrorKind::kParse, "content outside the root element");
    }
  }
  if (elements != 1) return Refuse(ErrorKind::kParse, "no root element");

  // Iterative pre-order walk: depth and element limits, per-element checks.
  elements = 0;
  size_t depth = 1;
  pugi::xml_node n = xml.root();
  while (n) {
    if (n.type() == pugi::node_doctype) return Refuse(ErrorKind::kParse, "DOCTYPE refused");
    if (n.type() == pugi::node_element) {
      if (++elements > limits.max_elements) {
        return Refuse(ErrorKind::kLimitExceeded,
                      "more than " + std::to_string(limits.max_elements) + " elements");
      }
      if (depth > limits.max_depth) {
        return Refuse(ErrorKind::kLimitExceeded,
                      "nesting deeper than " + std::to_string(limits.max_depth));
      }
      M2_RETURN_IF_ERROR(CheckElement(n, limits));
    } else if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) {
      // After end-of-line normalisation a CR in text can only come from "&#13;". We refuse it:
      // no GSMA field needs one, and pugixml writes CR in text raw, which a receiver would read
      // back as LF (so what we decode could not be re-sent faithfully).
      if (HasForbiddenControl(n.value()) ||
          std::string_view(n.value()).find('\r') != std::string_view::npos) {
        return Refuse(ErrorKind::kParse, "control character in text");
      }
    }
    if (n.first_child()) {
      n = n.first_child();
      ++depth;
      continue;
    }
    while (n && !n.next_sibling() && n != xml.root()) {
      n = n.parent();
      --depth;
    }
    if (!n || n == xml.root()) break;
    n = n.next_sibling();
  }
  return xml;
}

std::string_view LocalName(std::string_view qname) {
  const size_t colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

std::string_view LocalName(const pugi::xml_node& node) { return LocalName(node.name()); }

std::string_view Prefix(std::string_view qname) {
  const size_t colon = qname.find(':');
  return colon == std::string_view::npos ? std::string_view() : qname.substr(0, colon);
}

std::optional<std::string_view> LookupNamespace(const pugi::xml_node& node,
                                                std::string_view prefix) {
  if (prefix == "xml") return kXmlNamespace;
  for (pugi::xml_node n = node; n && n.type() == pugi::node_element; n = n.parent()) {
    for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) {
      const std::string_view name = a.name();
      if (prefix.empty() ? name == "xmlns"
                         : (name.size() == prefix.size() + 6 && name.starts_with("xmlns:") &&
                            name.substr(6) == prefix)) {
        return std::string_view(a.value());
      }
    }
  }
  if (prefix.empty()) return std::string_view();
  return std::nullopt;
}

std::optional<std::string_view> NamespaceOf(const pugi::xml_node& element) {
  return LookupNamespace(element, Prefix(element.name()));
}

std::optional<std::string_view> NamespaceOf(const pugi::xml_node& element,
                                            const pugi::xml_attribute& attr) {
  const std::string_view prefix = Prefix(attr.name());
  if (prefix.empty()) return std::string_view();
  return LookupNamespace(element, prefix);
}

bool IsElement(const pugi::xml_node& node, std::string_view ns, std::string_view local) {
  if (node.type() != pugi::node_element || LocalName(node) != local) return false;
  const auto actual = NamespaceOf(node);
  return actual && *actual == ns;
}

bool IsNamespaceDeclaration(const pugi::xml_attribute& attr) {
  const std::string_view name = attr.name();
  return name == "xmlns" || name.starts_with("xmlns:");
}

std::string SerializeNode(const pugi::xml_node& node) {
  StringWriter w;
  node.print(w, "", pugi::format_raw);
  return std::move(w.out);
}

std::string SerializeDocument(const pugi::xml_document& doc) {
  StringWriter w;
  doc.save(w, "", pugi::format_raw | pugi::format_no_declaration);
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>") + w.out;
}

pugi::xml_node CopyWithNamespaces(const pugi::xml_node& element, pugi::xml_node parent) {
  pugi::xml_node copy = parent.append_copy(element);
  if (!copy) return copy;
  // Every prefix used in the subtree (iterative walk; the subtree passed ParseXml's limits or
  // was built by us).
  std::set<std::string, std::less<>> prefixes;
  pugi::xml_node n = element;
  while (n) {
    if (n.type() == pugi::node_element) {
      prefixes.emplace(Prefix(n.name()));
      for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) {
        const std::string_view p = Prefix(a.name());
        if (!p.empty() && p != "xmlns" && p != "xml") prefixes.emplace(p);
      }
    }
    if (n.first_child()) {
      n = n.first_child();
      continue;
    }
    while (n && n != element && !n.next_sibling()) n = n.parent();
    if (!n || n == element) break;
    n = n.next_sibling();
  }
  for (const std::string& p : prefixes) {
    const auto source = LookupNamespace(element, p);
    const auto target = LookupNamespace(copy, p);
    if (!source || (target && *target == *source)) continue;
    const std::string attr = p.empty() ? "xmlns" : "xmlns:" + p;
    if (copy.attribute(attr.c_str())) continue;  // declared on the element itself
    copy.append_attribute(attr.c_str()).set_value(std::string(*source).c_str());
  }
  return copy;
}

bool IsXmlWhitespace(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace m2mrsp::soap
