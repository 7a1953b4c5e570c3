// Deliverer: POSTs one-way SOAP messages (asynchronous callbacks, notifications) to a peer and
// keeps trying, with exponential back-off, while the peer is unreachable or busy; every message
// ends in exactly one DeliveryOutcome (delivered, refused, gave up, or shut down), so nothing is
// lost silently (es-messages.md §2.1: the receiver acknowledges with 202).
//
// Retried: transport errors (connection refused/reset, timeout, I/O) and HTTP 429/502/503/504.
// Final: 200/202/204 (delivered); any other status or a TLS/identity failure (refused). A
// retried message keeps its MessageID, so a receiver that got an earlier attempt but whose 202
// was lost refuses it as a duplicate (Sender fault 1.6/3.3); on a retry that fault counts as
// delivered. Timers use the steady clock. Thread-safe; the outcome callback runs on an HTTP
// client thread or the scheduler thread and must be quick. Shutdown() (and the destructor)
// reports every message still in flight as not delivered.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "net/http_client.h"
#include "net/tls.h"

namespace m2mrsp::binding {

struct RetryPolicy {
  std::chrono::milliseconds initial_delay{250};
  double factor = 2.0;
  std::chrono::milliseconds max_delay{30000};
  size_t max_attempts = 12;
};

struct Delivery {
  std::string url;           // http(s)://host:port/path[?query]
  std::string expected_oid;  // mutual TLS: the server certificate must map to this entity
  std::string action;        // wsa:Action (also in the HTTP Content-Type action parameter)
  std::string message_id;    // for the outcome
  std::string relates_to;    // for the outcome (callbacks)
  std::string envelope;      // the SOAP envelope
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

struct DeliveryOutcome {
  std::string url;
  std::string action;
  std::string message_id;
  std::string relates_to;
  bool delivered = false;
  size_t attempts = 0;
  int http_status = 0;  // of the last attempt; 0 when no HTTP response
  Status last_error;    // of the last failed attempt
};

using OutcomeCallback = std::function<void(const DeliveryOutcome&)>;

struct DelivererOptions {
  std::shared_ptr<const net::ClientTls> tls;  // our client certificate; required for https
  bool allow_plain_http = false;              // tests only: http:// URLs
  RetryPolicy retry;
  net::HttpClientOptions http;
  // Called after every failed attempt that will be retried (observability; tests).
  std::function<void(const DeliveryOutcome&)> on_retry;
};

// The HTTP request for a SOAP 1.2 message (es-messages.md §2.1: Content-Type with action).
net::HttpRequest SoapPost(const std::string& path, const std::string& action, std::string body);

class Deliverer {
 public:
  explicit Deliverer(DelivererOptions options);
  ~Deliverer();
  Deliverer(const Deliverer&) = delete;
  Deliverer& operator=(const Deliverer&) = delete;

  // Starts delivering; `done` is called exactly once (also for a bad URL: not delivered).
  void Deliver(Delivery delivery, OutcomeCallback done);
  size_t in_flight() const;
  void Shutdown();

  struct Impl;

 private:
  std::unique_ptr<net::HttpClient> client_;
  std::shared_ptr<Impl> impl_;
};

}  // namespace m2mrsp::binding
