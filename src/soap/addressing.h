// WS-Addressing 1.0 header values of the SGP.02 SOAP binding, and the conventions the GSMA
// binding puts inside them (es-messages.md §2.2-§2.3).
//
// Addressing is a plain value (the decoded or to-be-encoded header blocks). EntityAddress
// builds and parses the "<endpoint>?EntityId=<OID>&EntityName=<name>" form carried in wsa:From
// and wsa:To. MessageIdFactory makes unique MessageIDs of the observed form
// "//<sender OID>/urn:uuid:<uuid>?TransactionId=urn:uuid:<uuid>&MessageDate=<UTC>" from an
// injected Random and Clock; it holds references to both (the caller keeps them alive) and is
// as thread-safe as they are.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/random.h"
#include "base/status.h"

namespace m2mrsp::soap {

inline constexpr std::string_view kWsaNamespace = "http://www.w3.org/2005/08/addressing";
// WS-Addressing 1.0 Core §3.2: the default (and only used) RelatesTo relationship.
inline constexpr std::string_view kWsaReply = "http://www.w3.org/2005/08/addressing/reply";
inline constexpr std::string_view kWsaAnonymous = "http://www.w3.org/2005/08/addressing/anonymous";

// The header blocks of one message. Required on every SGP.02 message (GSMA WSDL bindings,
// es-messages.md §2.2): to, from, message_id, action. reply_to: async requests. relates_to:
// sync responses and async callbacks.
struct Addressing {
  std::string to;
  std::string from;  // wsa:From/wsa:Address
  std::string message_id;
  std::string action;
  std::optional<std::string> reply_to;  // wsa:ReplyTo/wsa:Address
  std::optional<std::string> relates_to;
  bool operator==(const Addressing&) const = default;
};

// "<endpoint>?EntityId=<OID>[&EntityName=<name>]" (es-messages.md §2.3, ZTE trace [S]).
struct EntityAddress {
  std::string endpoint;   // URL without the query
  std::string entity_id;  // dotted OID
  std::optional<std::string> entity_name;
  bool operator==(const EntityAddress&) const = default;

  // REQUIRES nothing; refuses an entity_id that is not a dotted OID or an endpoint with '?'.
  Result<std::string> Format() const;
  // Lenient on the endpoint, strict on EntityId (must be present and a dotted OID). Unknown
  // query parameters are ignored. Errors: subject 1.1 (function requester), reason 2.1/2.2.
  static Result<EntityAddress> Parse(std::string_view address);
};

// True for a dotted object identifier as ObjectIdentifierType allows: ([\d]+[.])*[\d]+.
bool IsDottedOid(std::string_view text);

// The parts of a MessageID in the observed GSMA form; transaction_id/message_date are empty
// when the MessageID does not carry them (any URI is accepted as a MessageID).
struct MessageIdParts {
  std::string sender_id;
  std::string uuid_urn;
  std::string transaction_id;
  std::string message_date;
};
MessageIdParts SplitMessageId(std::string_view message_id);

// Formats a UTC time as xs:dateTime "YYYY-MM-DDThh:mm:ssZ" (seconds precision).
std::string FormatUtc(Clock::WallTime t);
// The same for a time already in whole seconds; valid for years 0001..9999 (no conversion
// through system_clock's nanoseconds, which would overflow outside 1678..2262).
std::string FormatUtcSeconds(std::chrono::sys_seconds t);

class MessageIdFactory {
 public:
  MessageIdFactory(std::string sender_oid, Random& random, const Clock& clock)
      : sender_oid_(std::move(sender_oid)), random_(random), clock_(clock) {}

  // A fresh RFC 4122 version-4 UUID URN, "urn:uuid:xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".
  Result<std::string> NewUuidUrn();
  // A MessageID starting a new transaction.
  Result<std::string> NewMessageId();
  // A MessageID inside an existing transaction (responses copy the request's TransactionId,
  // euicc.root.xsd note on TransactionId); `transaction_id` empty starts a new one.
  Result<std::string> NewMessageId(std::string_view transaction_id);

 private:
  std::string sender_oid_;
  Random& random_;
  const Clock& clock_;
};

}  // namespace m2mrsp::soap
