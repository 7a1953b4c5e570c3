#include "soap/envelope.h"

#include <array>
#include <cctype>

namespace m2mrsp::soap {
namespace {

constexpr std::string_view kMustUnderstandTag = "mustUnderstand: ";
constexpr std::string_view kVersionMismatchTag = "VersionMismatch: ";

// Envelope-level format errors: SGP.02 §5.1.6 subject 1.6 "Function" (architecture digest §7.4).
Status Invalid(std::string m) { return Status::Sgp(ErrorKind::kParse, "1.6", "2.1", std::move(m)); }
Status Missing(std::string m) { return Status::Sgp(ErrorKind::kParse, "1.6", "2.2", std::move(m)); }

std::string Trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// Text content of a simple element; refuses element children.
Result<std::string> SimpleText(const pugi::xml_node& e) {
  std::string text;
  for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) {
      return Invalid(std::string("unexpected child in ") + e.name());
    }
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) text += c.value();
  }
  return Trim(text);
}

// Children elements only; non-whitespace text between them is refused.
Status CheckOnlyElements(const pugi::xml_node& e) {
  for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling()) {
    if ((c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) &&
        !IsXmlWhitespace(c.value())) {
      return Invalid(std::string("unexpected text in ") + e.name());
    }
  }
  return Status::Ok();
}

// The value of a SOAP-namespace attribute (env:mustUnderstand, env:role), any prefix.
std::optional<std::string> SoapAttribute(const pugi::xml_node& e, std::string_view local) {
  for (pugi::xml_attribute a = e.first_attribute(); a; a = a.next_attribute()) {
    if (LocalName(a.name()) != local || IsNamespaceDeclaration(a)) continue;
    const auto ns = NamespaceOf(e, a);
    if (ns && *ns == kSoap12Namespace) return Trim(a.value());
  }
  return std::nullopt;
}

// wsa:From / wsa:ReplyTo: EndpointReferenceType, whose wsa:Address is required.
Result<std::string> EndpointAddress(const pugi::xml_node& e) {
  M2_RETURN_IF_ERROR(CheckOnlyElements(e));
  for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling()) {
    if (IsElement(c, kWsaNamespace, "Address")) return SimpleText(c);
  }
  return Missing(std::string("wsa:Address missing in ") + e.name());
}

Status ParseHeader(const pugi::xml_node& header, Addressing& out) {
  M2_RETURN_IF_ERROR(CheckOnlyElements(header));
  std::array<bool, 6> seen{};
  for (pugi::xml_node b = header.first_child(); b; b = b.next_sibling()) {
    if (b.type() != pugi::node_element) continue;
    const auto ns = NamespaceOf(b);
    const std::string_view local = LocalName(b);
    // SOAP 1.2 Part 1 §2.4: a block must be understood when it is targeted at us (no role,
    // "next" or "ultimateReceiver") and says mustUnderstand="true"/"1".
    const auto role = SoapAttribute(b, "role");
    const bool for_us = !role || role->empty() ||
                        *role == "http://www.w3.org/2003/05/soap-envelope/role/next" ||
                        *role == "http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver";
    const auto mu = SoapAttribute(b, "mustUnderstand");
    const bool must = mu && (*mu == "true" || *mu == "1");
    if (mu && !must && *mu != "false" && *mu != "0") {
      return Invalid("mustUnderstand is not an xs:boolean");
    }
    static constexpr std::array<std::string_view, 6> kKnown = {"To",     "From",    "MessageID",
                                                               "Action", "ReplyTo", "RelatesTo"};
    size_t index = kKnown.size();
    if (ns && *ns == kWsaNamespace) {
      for (size_t i = 0; i < kKnown.size(); ++i) {
        if (kKnown[i] == local) index = i;
      }
    }
    if (index == kKnown.size()) {
      if (for_us && must) {
        return Status::Sgp(
            ErrorKind::kFailedPrecondition, "1.6", "3.1",
            std::string(kMustUnderstandTag) + "header block " + b.name() + " not understood");
      }
      continue;  // not for us, or optional: ignored (SOAP 1.2 Part 1 §2.7)
    }
    if (!for_us) continue;
    if (seen[index]) return Invalid("duplicate wsa:" + std::string(local));
    seen[index] = true;
    switch (index) {
      case 0: {
        M2_ASSIGN_OR_RETURN(out.to, SimpleText(b));
        break;
      }
      case 1: {
        M2_ASSIGN_OR_RETURN(out.from, EndpointAddress(b));
        break;
      }
      case 2: {
        M2_ASSIGN_OR_RETURN(out.message_id, SimpleText(b));
        break;
      }
      case 3: {
        M2_ASSIGN_OR_RETURN(out.action, SimpleText(b));
        break;
      }
      case 4: {
        M2_ASSIGN_OR_RETURN(std::string a, EndpointAddress(b));
        out.reply_to = std::move(a);
        break;
      }
      default: {
        // WS-Addressing Core §3.2: RelationshipType defaults to …/reply, the only one we use.
        const pugi::xml_attribute rel = b.attribute("RelationshipType");
        if (rel && Trim(rel.value()) != kWsaReply) {
          return Invalid("wsa:RelatesTo with an unsupported RelationshipType");
        }
        M2_ASSIGN_OR_RETURN(std::string r, SimpleText(b));
        out.relates_to = std::move(r);
        break;
      }
    }
  }
  return Status::Ok();
}

Result<Fault> ParseFault(const pugi::xml_node& f) {
  M2_RETURN_IF_ERROR(CheckOnlyElements(f));
  Fault fault;
  bool have_code = false;
  for (pugi::xml_node c = f.first_child(); c; c = c.next_sibling()) {
    if (IsElement(c, kSoap12Namespace, "Code")) {
      pugi::xml_node value;
      for (pugi::xml_node v = c.first_child(); v; v = v.next_sibling()) {
        if (IsElement(v, kSoap12Namespace, "Value")) value = v;
      }
      if (!value) return Missing("env:Fault/env:Code/env:Value missing");
      M2_ASSIGN_OR_RETURN(std::string qname, SimpleText(value));
      const auto ns = LookupNamespace(value, Prefix(qname));
      if (!ns || *ns != kSoap12Namespace) return Invalid("fault code outside the SOAP namespace");
      bool known = false;
      for (FaultCode code :
           {FaultCode::kVersionMismatch, FaultCode::kMustUnderstand,
            FaultCode::kDataEncodingUnknown, FaultCode::kSender, FaultCode::kReceiver}) {
        if (FaultCodeName(code) == LocalName(qname)) {
          fault.code = code;
          known = true;
        }
      }
      if (!known) return Invalid("unknown fault code " + qname);
      have_code = true;
      // A WS-Addressing subcode (WS-Addressing 1.0 SOAP Binding §6); other subcodes are ignored.
      for (pugi::xml_node sc = c.first_child(); sc; sc = sc.next_sibling()) {
        if (!IsElement(sc, kSoap12Namespace, "Subcode")) continue;
        for (pugi::xml_node v = sc.first_child(); v; v = v.next_sibling()) {
          if (!IsElement(v, kSoap12Namespace, "Value")) continue;
          M2_ASSIGN_OR_RETURN(std::string sub, SimpleText(v));
          const auto sub_ns = LookupNamespace(v, Prefix(sub));
          if (sub_ns && *sub_ns == kWsaNamespace) fault.wsa_subcode = std::string(LocalName(sub));
        }
      }
    } else if (IsElement(c, kSoap12Namespace, "Reason")) {
      for (pugi::xml_node t = c.first_child(); t; t = t.next_sibling()) {
        if (IsElement(t, kSoap12Namespace, "Text")) {
          M2_ASSIGN_OR_RETURN(fault.reason, SimpleText(t));
          break;
        }
      }
    } else if (IsElement(c, kSoap12Namespace, "Detail")) {
      for (pugi::xml_node d = c.first_child(); d; d = d.next_sibling()) {
        if (!IsElement(d, kGsmaNamespace, "StatusCodeData")) continue;
        std::string subject, reason;
        for (pugi::xml_node s = d.first_child(); s; s = s.next_sibling()) {
          if (IsElement(s, kGsmaNamespace, "Subject")) {
            M2_ASSIGN_OR_RETURN(subject, SimpleText(s));
          } else if (IsElement(s, kGsmaNamespace, "Reason")) {
            M2_ASSIGN_OR_RETURN(reason, SimpleText(s));
          }
        }
        fault.status_code = SgpCode::Make(subject, reason);
      }
    }
  }
  if (!have_code) return Missing("env:Fault/env:Code missing");
  return fault;
}

// C0 controls cannot be carried by XML 1.0; CR would arrive as LF (see ParseXml).
bool HasControlCharacters(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 && c != '\t' && c != '\n') return true;
  }
  return false;
}

pugi::xml_node AppendText(pugi::xml_node parent, const char* name, const std::string& text) {
  pugi::xml_node e = parent.append_child(name);
  e.text().set(text.c_str());
  return e;
}

Result<std::string> Build(const Addressing& h, const BodyWriter& write_body) {
  if (h.to.empty() || h.from.empty() || h.message_id.empty() || h.action.empty()) {
    return InvalidArgument("wsa:To, From, MessageID and Action are required");
  }
  for (const std::string* s : {&h.to, &h.from, &h.message_id, &h.action}) {
    if (HasControlCharacters(*s)) return InvalidArgument("control character in a header");
  }
  if ((h.reply_to && HasControlCharacters(*h.reply_to)) ||
      (h.relates_to && HasControlCharacters(*h.relates_to))) {
    return InvalidArgument("control character in a header");
  }
  pugi::xml_document doc;
  pugi::xml_node env = doc.append_child("env:Envelope");
  env.append_attribute("xmlns:env").set_value(std::string(kSoap12Namespace).c_str());
  env.append_attribute("xmlns:wsa").set_value(std::string(kWsaNamespace).c_str());
  pugi::xml_node header = env.append_child("env:Header");
  // Block order and mustUnderstand flags as in the observed GSMA traffic (es-messages.md §2.3).
  AppendText(header.append_child("wsa:From"), "wsa:Address", h.from);
  AppendText(header, "wsa:To", h.to).append_attribute("env:mustUnderstand").set_value("true");
  AppendText(header, "wsa:MessageID", h.message_id);
  AppendText(header, "wsa:Action", h.action)
      .append_attribute("env:mustUnderstand")
      .set_value("true");
  if (h.reply_to) AppendText(header.append_child("wsa:ReplyTo"), "wsa:Address", *h.reply_to);
  if (h.relates_to) AppendText(header, "wsa:RelatesTo", *h.relates_to);
  pugi::xml_node body = env.append_child("env:Body");
  M2_RETURN_IF_ERROR(write_body(body));
  size_t count = 0;
  for (pugi::xml_node c = body.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) ++count;
  }
  if (count != 1) return InternalError("the body writer must write exactly one element");
  return SerializeDocument(doc);
}

}  // namespace

std::string_view FaultCodeName(FaultCode code) {
  switch (code) {
    case FaultCode::kVersionMismatch:
      return "VersionMismatch";
    case FaultCode::kMustUnderstand:
      return "MustUnderstand";
    case FaultCode::kDataEncodingUnknown:
      return "DataEncodingUnknown";
    case FaultCode::kSender:
      return "Sender";
    case FaultCode::kReceiver:
      return "Receiver";
  }
  return "Receiver";
}

bool IsMustUnderstandError(const Status& status) {
  return !status.ok() && status.message().starts_with(kMustUnderstandTag);
}

bool IsVersionMismatchError(const Status& status) {
  return !status.ok() && status.message().starts_with(kVersionMismatchTag);
}

Fault FaultFor(const Status& status) {
  Fault f;
  f.reason = status.message();
  f.status_code = status.sgp();
  if (IsMustUnderstandError(status)) {
    f.code = FaultCode::kMustUnderstand;
  } else if (IsVersionMismatchError(status)) {
    f.code = FaultCode::kVersionMismatch;
  } else {
    switch (status.kind()) {
      case ErrorKind::kInvalidArgument:
      case ErrorKind::kParse:
      case ErrorKind::kLimitExceeded:
      case ErrorKind::kSecurity:
      case ErrorKind::kNotFound:
      case ErrorKind::kAlreadyExists:
        f.code = FaultCode::kSender;
        break;
      default:
        f.code = FaultCode::kReceiver;
    }
  }
  return f;
}

Result<std::string> BuildEnvelope(const Addressing& headers, const BodyWriter& write_body) {
  return Build(headers, write_body);
}

Result<std::string> BuildFaultEnvelope(const Addressing& headers, const Fault& fault) {
  if (HasControlCharacters(fault.reason)) return InvalidArgument("control character in reason");
  for (char c : fault.wsa_subcode) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return InvalidArgument("bad wsa subcode");
  }
  return Build(headers, [&](pugi::xml_node body) {
    // SOAP 1.2 Part 1 §5.4: Code, Reason, then Detail.
    pugi::xml_node f = body.append_child("env:Fault");
    pugi::xml_node code = f.append_child("env:Code");
    AppendText(code, "env:Value", "env:" + std::string(FaultCodeName(fault.code)));
    if (!fault.wsa_subcode.empty()) {
      AppendText(code.append_child("env:Subcode"), "env:Value", "wsa:" + fault.wsa_subcode);
    }
    AppendText(f.append_child("env:Reason"), "env:Text", fault.reason)
        .append_attribute("xml:lang")
        .set_value("en");
    if (fault.status_code) {
      pugi::xml_node d = f.append_child("env:Detail").append_child("rps:StatusCodeData");
      d.append_attribute("xmlns:rps").set_value(std::string(kGsmaNamespace).c_str());
      AppendText(d, "rps:Subject", fault.status_code->subject());
      AppendText(d, "rps:Reason", fault.status_code->reason());
    }
    return Status::Ok();
  });
}

Result<ParsedEnvelope> ParseEnvelope(std::string_view text, const ParseOptions& options) {
  ParsedEnvelope out;
  M2_ASSIGN_OR_RETURN(out.xml_, ParseXml(text, options.limits));
  const pugi::xml_node root = out.xml_.root();
  if (IsElement(root, kSoap11Namespace, "Envelope")) {
    // SOAP 1.2 Part 1 §5.4.7: an envelope in another namespace is a version mismatch.
    return Status::Sgp(ErrorKind::kParse, "1.6", "2.1",
                       std::string(kVersionMismatchTag) + "SOAP 1.1 envelope; SOAP 1.2 expected");
  }
  if (!IsElement(root, kSoap12Namespace, "Envelope")) return Invalid("not a SOAP 1.2 Envelope");
  M2_RETURN_IF_ERROR(CheckOnlyElements(root));
  pugi::xml_node header, body;
  for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    if (!header && !body && IsElement(c, kSoap12Namespace, "Header")) {
      header = c;
    } else if (!body && IsElement(c, kSoap12Namespace, "Body")) {
      body = c;
    } else {
      return Invalid(std::string("unexpected element ") + c.name() + " in env:Envelope");
    }
  }
  if (!body) return Missing("env:Body missing");
  if (header) M2_RETURN_IF_ERROR(ParseHeader(header, out.addressing_));
  M2_RETURN_IF_ERROR(CheckOnlyElements(body));
  for (pugi::xml_node c = body.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    if (out.body_) return Invalid("more than one element in env:Body");
    out.body_ = c;
  }
  if (!out.body_) return Missing("empty env:Body");
  if (IsElement(out.body_, kSoap12Namespace, "Fault")) {
    M2_ASSIGN_OR_RETURN(Fault f, ParseFault(out.body_));
    out.fault_ = std::move(f);
  }
  if (options.require_addressing) {
    const Addressing& a = out.addressing_;
    if (a.to.empty()) return Missing("wsa:To missing");
    if (a.from.empty()) return Missing("wsa:From missing");
    if (a.message_id.empty()) return Missing("wsa:MessageID missing");
    if (a.action.empty()) return Missing("wsa:Action missing");
  }
  return out;
}

}  // namespace m2mrsp::soap
