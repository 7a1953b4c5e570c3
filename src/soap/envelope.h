// SOAP 1.2 envelopes with WS-Addressing 1.0 headers, as the GSMA SGP.02 binding uses them
// (document/literal, one body element; es-messages.md §2.1-§2.2), and SOAP 1.2 faults.
//
// BuildEnvelope() writes the header blocks and lets a BodyWriter (the es codecs) fill the Body.
// ParseEnvelope() is strict and bounded (soap/xml.h limits): the root must be a SOAP 1.2
// Envelope (a SOAP 1.1 envelope gives a VersionMismatch fault), the Header may hold only the
// WS-Addressing blocks we understand unless a block does not require understanding, and the Body
// exactly one element. Errors are Status values with SGP.02 codes; FaultFor() turns one into the
// SOAP fault to answer with when no function response can be built (the GSMA WSDLs declare no
// faults, so faults are reserved for envelope-level refusals). ParsedEnvelope owns the document;
// body() is a view into it. Values; not synchronised.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "soap/addressing.h"
#include "soap/xml.h"

namespace m2mrsp::soap {

inline constexpr std::string_view kSoap12Namespace = "http://www.w3.org/2003/05/soap-envelope";
inline constexpr std::string_view kSoap11Namespace = "http://schemas.xmlsoap.org/soap/envelope/";
// The GSMA RPS message namespace, version 3 (es-messages.md §1); fault details use its
// StatusCodeData element.
inline constexpr std::string_view kGsmaNamespace = "http://namespaces.gsma.org/esim-messaging/3";

// SOAP 1.2 Part 1 §5.4.6 fault codes.
enum class FaultCode {
  kVersionMismatch,
  kMustUnderstand,
  kDataEncodingUnknown,
  kSender,
  kReceiver
};
std::string_view FaultCodeName(FaultCode code);  // "Sender", ...

struct Fault {
  FaultCode code = FaultCode::kReceiver;
  std::string reason;  // env:Reason/env:Text xml:lang="en"
  // SGP.02 subject/reason codes, carried in env:Detail as a GSMA rps:StatusCodeData element.
  std::optional<SgpCode> status_code;
  // WS-Addressing 1.0 SOAP Binding §6: the local name of a wsa fault subcode (e.g.
  // "ActionNotSupported"), written as env:Subcode/env:Value "wsa:<name>"; empty = none.
  std::string wsa_subcode;
  bool operator==(const Fault&) const = default;
};

// The fault that answers a refused message: input errors (kParse, kLimitExceeded,
// kInvalidArgument, kSecurity, kNotFound...) are the Sender's fault, the rest the Receiver's;
// `must_understand` selects env:MustUnderstand. The Status message becomes the reason text.
Fault FaultFor(const Status& status);

bool IsMustUnderstandError(const Status& status);
bool IsVersionMismatchError(const Status& status);

using BodyWriter = std::function<Status(pugi::xml_node body)>;

// Writes "<env:Envelope><env:Header>wsa blocks</env:Header><env:Body>…</env:Body></env:Envelope>".
// REQUIRES (checked, kInvalidArgument): to, from, message_id and action are non-empty.
Result<std::string> BuildEnvelope(const Addressing& headers, const BodyWriter& write_body);
// An envelope whose Body is a fault (headers as for any message; action usually
// "http://www.w3.org/2005/08/addressing/soap/fault").
Result<std::string> BuildFaultEnvelope(const Addressing& headers, const Fault& fault);

inline constexpr std::string_view kWsaFaultAction =
    "http://www.w3.org/2005/08/addressing/soap/fault";

struct ParseOptions {
  XmlLimits limits;
  // The GSMA WSDL bindings mark wsa:From, To, MessageID and Action required (§2.2).
  bool require_addressing = true;
};

class ParsedEnvelope {
 public:
  const Addressing& addressing() const { return addressing_; }
  // The single Body element (function message or env:Fault).
  pugi::xml_node body() const { return body_; }
  // Set when the Body holds a SOAP fault.
  const std::optional<Fault>& fault() const { return fault_; }

 private:
  friend Result<ParsedEnvelope> ParseEnvelope(std::string_view, const ParseOptions&);
  XmlDocument xml_;
  Addressing addressing_;
  pugi::xml_node body_;
  std::optional<Fault> fault_;
};

// Errors: Status with SGP.02 codes (subject 1.6 "Function", reason 2.1 Invalid or 2.2 Mandatory
// element missing; an unknown mandatory header block: reason 3.1 Unsupported). FaultFor() maps
// them to Sender / MustUnderstand / VersionMismatch faults.
// (IsMustUnderstandError / IsVersionMismatchError tell those two apart.)
Result<ParsedEnvelope> ParseEnvelope(std::string_view xml, const ParseOptions& options = {});

}  // namespace m2mrsp::soap
