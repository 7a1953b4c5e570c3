// HttpServer: an asynchronous HTTP/1.1 server (Boost.Beast) over plain TCP, mutual TLS (ES web
// services, SGP.02 Annex B) or TLS 1.2 PSK (SCP81 admin endpoint, GP Amd B).
//
// Threads: `threads` I/O threads, each running its own io_context; accepted connections are
// spread round-robin over them and a connection lives on one thread for its whole life (no
// locking inside a connection). The handler is called on the connection's I/O thread and must not
// block it: slow work completes the Responder later, from any thread. Connections beyond
// `max_connections` are closed right after accept, before anything is read. Keep-alive, per-phase
// timeouts and header/body limits (431/413, then close) bound what a peer may cost.
// Shutdown() stops accepting, closes idle connections, lets in-flight requests finish (their
// responses carry `Connection: close`) and then stops; the destructor calls it.
// Ownership: the server owns its threads and connections; the handler and TLS context are shared.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "net/http.h"
#include "net/tls.h"

namespace m2mrsp::net {

namespace internal {
struct ResponseSlot;
}

// Completes a request exactly once, from any thread. Copyable; if every copy is dropped without
// a call, the client gets 500 (a handler bug must not hang the connection). Calls after the
// first, or after the server stopped, are ignored.
class Responder {
 public:
  explicit Responder(std::shared_ptr<internal::ResponseSlot> slot);
  void operator()(HttpResponse response) const;

 private:
  struct Guard;
  std::shared_ptr<Guard> guard_;
};

using Handler = std::function<void(const HttpRequestView& request, Responder respond)>;

// Adapts a synchronous function (which must be quick: it runs on an I/O thread).
Handler SyncHandler(std::function<HttpResponse(const HttpRequestView&)> fn);

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0: the OS picks one; read it back with port()
  size_t threads = 1;
  size_t max_connections = 1024;
  HttpLimits limits;
  HttpTimeouts timeouts;
  std::shared_ptr<const ServerTls> tls;  // null: plain HTTP
};

class HttpServer {
 public:
  // Binds, listens and starts the I/O threads. Errors: kInvalidArgument (bad address/options),
  // kIo (bind/listen failed).
  static Result<std::unique_ptr<HttpServer>> Start(HttpServerOptions options, Handler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const;
  size_t active_connections() const;
  size_t refused_connections() const;  // closed because of max_connections

  // Graceful shutdown; waits at most `grace` for in-flight requests, then closes whatever is
  // left. Idempotent. Must not be called from an I/O thread of this server.
  void Shutdown(std::chrono::milliseconds grace = std::chrono::seconds(5));

  struct Impl;

 private:
  explicit HttpServer(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace m2mrsp::net
