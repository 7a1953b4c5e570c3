// Values shared by the ES endpoint server and client: who we are (LocalEntity), whom we call
// (Target), what a handler learns about a call (CallContext), and the SOAP 1.2 HTTP binding's
// mapping of fault codes to HTTP statuses. Plain values and pure functions; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "net/http.h"
#include "soap/envelope.h"

namespace m2mrsp::binding {

// Our entity and the URL at which our EsServer is reachable (wsa:From, wsa:ReplyTo).
struct LocalEntity {
  net::Entity entity;
  std::string url;  // "https://host:port/path", no query

  // "<url>?EntityId=<oid>&EntityName=<role>" (es-messages.md §2.3).
  Result<std::string> Address() const;
};

// A peer endpoint: its URL (wsa:To without query) and the entity it must prove to be (mutual
// TLS server certificate → EntityDirectory → this OID).
struct Target {
  std::string url;
  std::string entity_oid;

  // "<url>?EntityId=<oid>".
  Result<std::string> Address() const;
};

// What a handler knows about the call it serves: the authenticated requester (TLS client
// certificate → directory, equal to wsa:From's EntityId), the request's headers, and the
// ValidityPeriod the requester gave (SGP.02 §5.1.1; absent: the function's default).
struct CallContext {
  net::Entity requester;
  soap::Addressing addressing;
  std::optional<std::chrono::seconds> validity_period;
  Clock::WallTime received;  // when the request arrived (ProcessingStart)
};

// SOAP 1.2 Part 2 §7.5.2.2: env:Sender → 400, every other fault code → 500.
int HttpStatusFor(const soap::Fault& fault);

}  // namespace m2mrsp::binding
