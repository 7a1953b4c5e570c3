// HTTP/1.1 message values shared by the server and the client, and the identity of the peer.
//
// HttpRequest/HttpResponse are plain values (owning strings); header names compare
// case-insensitively (RFC 9110 §5.1). PeerIdentity is what the transport proved about the other
// side: nothing (plain TCP), a verified X.509 client certificate mapped to an entity through the
// EntityDirectory (mutual TLS, ES1–ES4/ES7, SGP.02 Annex B), or a TLS-PSK identity whose key the
// server found (SCP81, GP Amd B). Limits and timeouts bound what an untrusted peer may cost us.
// Value types; not synchronised.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/bytes.h"

namespace m2mrsp::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

// The value of the first header named `name` (case-insensitive), if any.
std::optional<std::string_view> FindHeader(const Headers& headers, std::string_view name);

// An off-card entity as the directory knows it (SGP.02 §2: SM-SR, SM-DP, MNO, M2M SP, EUM, CI).
struct Entity {
  std::string oid;   // EntityId OID carried in WS-Addressing From (SGP.02 Annex B)
  std::string role;  // "SM-SR", "SM-DP", "MNO", "M2M-SP", "EUM", ...
  std::string name;  // human-readable, for logs
  bool operator==(const Entity&) const = default;
};

struct PeerIdentity {
  enum class Kind { kNone, kCertificate, kPsk };
  Kind kind = Kind::kNone;
  // kCertificate: the verified leaf certificate and the entity it maps to.
  Bytes certificate_sha256;         // SHA-256 over the DER certificate
  std::string certificate_subject;  // RFC 2253 form, e.g. "CN=smdp1,O=Example"
  std::optional<Entity> entity;
  // kPsk: the identity the client sent (SCP81 PSK identity, ASCII).
  std::string psk_identity;
};

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  Headers headers;
  std::string body;
};

struct HttpResponse {
  int status = 200;
  Headers headers;
  std::string body;
};

// A request as a handler sees it: the message plus who sent it. Valid for the duration of the
// handler call only (copy what an asynchronous completion needs).
struct HttpRequestView {
  const HttpRequest& request;
  const PeerIdentity& peer;
};

// Bounds on what one connection may cost. Defaults suit SOAP messages and RAM-over-HTTP scripts.
struct HttpLimits {
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 4 * 1024 * 1024;
};

struct HttpTimeouts {
  std::chrono::milliseconds connect{5000};      // client: TCP connect
  std::chrono::milliseconds handshake{5000};    // TLS handshake (both sides)
  std::chrono::milliseconds read_header{5000};  // first byte of a request → end of its header
  std::chrono::milliseconds read_body{30000};   // end of header → end of body (and responses)
  std::chrono::milliseconds write{30000};
  std::chrono::milliseconds idle{30000};  // keep-alive: between two requests on one connection
};

}  // namespace m2mrsp::net
