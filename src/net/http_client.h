// HttpClient: an asynchronous HTTP/1.1 client (Boost.Beast) with a keep-alive connection pool per
// (host, port, TLS identity, expected server entity), over plain TCP, mutual TLS (ES web services)
// or TLS 1.2 PSK (the device side of SCP81).
//
// Threads: the client owns `threads` I/O threads, one io_context each; callbacks of SendAsync run
// on one of them and must not block. A pooled connection is only ever used on the thread that
// opened it. A request sent on a reused connection that the server had already closed (EOF or
// reset before any response byte) is retried once on a fresh connection; nothing else is
// retried. Send() blocks the calling thread and must not be called from a client I/O thread.
// The destructor stops the threads; pending requests complete with kUnavailable or are dropped.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "net/http.h"
#include "net/tls.h"

namespace m2mrsp::net {

struct Endpoint {
  std::string host;  // DNS name or IP literal; also the name the server certificate must carry
  uint16_t port = 0;
  std::shared_ptr<const ClientTls> tls;  // null: plain HTTP
  // Mutual TLS only: when set, the server certificate must map to this entity OID in the
  // ClientTls directory.
  std::string expected_entity_oid;
};

struct HttpClientOptions {
  size_t threads = 1;
  size_t max_idle_per_endpoint = 8;
  HttpLimits limits;
  HttpTimeouts timeouts;
};

class HttpClient {
 public:
  using Callback = std::function<void(Result<HttpResponse>)>;

  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Errors: kUnavailable (connect refused, connection closed), kTimeout, kSecurity (TLS
  // handshake or server identity), kLimitExceeded (response too large), kParse (bad response),
  // kInvalidArgument (bad endpoint).
  void SendAsync(const Endpoint& endpoint, HttpRequest request, Callback done);
  Result<HttpResponse> Send(const Endpoint& endpoint, HttpRequest request);

  size_t connections_opened() const;  // TCP connections made so far (pool effectiveness)
  size_t idle_connections() const;    // currently pooled

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace m2mrsp::net
