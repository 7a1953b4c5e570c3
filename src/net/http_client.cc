// HTTP/1.1 client on Boost.Beast with C++20 coroutines and a keep-alive pool.
#include "net/http_client.h"

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <future>
#include <limits>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>

#include "net/tls_internal.h"

namespace m2mrsp::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

struct ClientConn {
  explicit ClientConn(asio::any_io_executor e) : ex(std::move(e)) {}
  asio::any_io_executor ex;                  // the only thread that touches this connection
  std::shared_ptr<const ClientTls> tls_ctx;  // keeps the SSL_CTX alive
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<asio::ssl::stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  std::chrono::steady_clock::time_point idle_since;
  beast::tcp_stream& lower() { return tls ? tls->next_layer() : *plain; }
};

// True when an idle pooled connection can no longer carry a request: the peer closed it (recv
// peeks 0 bytes), the socket failed, or unsolicited bytes arrived (for TLS, typically a
// close_notify alert). A read-only, non-blocking peek on the descriptor, so it is safe from any
// thread. Checked before reuse because a POST is not retried once written (ExchangeOn).
bool PeerClosed(ClientConn& conn) {
  const int fd = conn.lower().socket().native_handle();
  char byte = 0;
  const ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
}

// The TLS context pointer stands for the client identity (certificate/key or PSK identity).
using PoolKey = std::tuple<std::string, uint16_t, const ClientTls*, std::string>;

Status MapError(const error_code& ec, std::string_view what) {
  const std::string msg = std::string(what) + ": " + ec.message();
  if (ec == beast::error::timeout) return Status::Error(ErrorKind::kTimeout, msg);
  if (ec == http::error::body_limit || ec == http::error::header_limit) return LimitExceeded(msg);
  if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
      ec == asio::ssl::error::stream_truncated) {
    return Status::Error(ErrorKind::kUnavailable, msg);
  }
  if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
    return ParseError(msg);
  }
  if (ec.category() == asio::error::get_ssl_category()) return SecurityError(msg);
  return Status::Error(ErrorKind::kUnavailable, msg);
}

// Token characters only (RFC 9110 §5.6.2) for the method; no whitespace/CTL in the target.
bool ValidMethod(std::string_view m) {
  return !m.empty() && std::all_of(m.begin(), m.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}
bool ValidTarget(std::string_view t) {
  return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && c != 0x7f;
  });
}
bool SafeHeader(std::string_view s) { return s.find_first_of("\r\n") == std::string_view::npos; }

}  // namespace

struct HttpClient::Impl {
  HttpClientOptions options;
  std::vector<std::unique_ptr<asio::io_context>> iocs;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  std::atomic<size_t> opened{0};
  std::atomic<size_t> next{0};

  mutable std::mutex mu;
  std::map<PoolKey, std::vector<std::unique_ptr<ClientConn>>> pool;  // guarded by mu
  size_t idle = 0;                                                   // guarded by mu

  // Connections are destroyed on their own thread.
  static void Dispose(std::unique_ptr<ClientConn> conn) {
    auto ex = conn->ex;
    asio::post(ex, [c = std::shared_ptr<ClientConn>(std::move(conn))] {});
  }

  std::unique_ptr<ClientConn> Take(const PoolKey& key) {
    std::lock_guard lock(mu);
    auto it = pool.find(key);
    if (it == pool.end()) return nullptr;
    const auto now = std::chrono::steady_clock::now();
    while (!it->second.empty()) {
      std::unique_ptr<ClientConn> conn = std::move(it->second.back());
      it->second.pop_back();
      --idle;
      if (now - conn->idle_since < options.timeouts.idle && !PeerClosed(*conn)) return conn;
      Dispose(std::move(conn));
    }
    return nullptr;
  }

  void Put(const PoolKey& key, std::unique_ptr<ClientConn> conn) {
    std::lock_guard lock(mu);
    auto& list = pool[key];
    if (list.size() >= options.max_idle_per_endpoint) {
      Dispose(std::move(conn));
      return;
    }
    conn->idle_since = std::chrono::steady_clock::now();
    list.push_back(std::move(conn));
    ++idle;
  }

  bool OnClientThread() const {
    const auto self = std::this_thread::get_id();
    return std::any_of(threads.begin(), threads.end(),
                       [&](const std::thread& t) { return t.get_id() == self; });
  }
};

namespace {

using Impl = HttpClient::Impl;

asio::awaitable<Status> Connect(Impl& impl, const Endpoint& ep, std::unique_ptr<ClientConn>& out) {
  auto ex = co_await asio::this_coro::executor;
  tcp::resolver resolver(ex);
  auto [rec, results] = co_await resolver.async_resolve(ep.host, std::to_string(ep.port), kAwait);
  if (rec)
    co_return Status::Error(ErrorKind::kUnavailable, "resolve " + ep.host + ": " + rec.message());
  beast::tcp_stream tcp(ex);
  tcp.expires_after(impl.options.timeouts.connect);
  auto [cec, peer] = co_await tcp.async_connect(results, kAwait);
  if (cec) co_return MapError(cec, "connect");
  ++impl.opened;
  error_code ignored;
  tcp.socket().set_option(tcp::no_delay(true), ignored);
  auto conn = std::make_unique<ClientConn>(ex);
  if (!ep.tls) {
    conn->plain = std::make_unique<beast::tcp_stream>(std::move(tcp));
    out = std::move(conn);
    co_return Status::Ok();
  }
  conn->tls_ctx = ep.tls;
  conn->tls =
      std::make_unique<asio::ssl::stream<beast::tcp_stream>>(std::move(tcp), ep.tls->context());
  if (Status s = PrepareClientSsl(conn->tls->native_handle(), *ep.tls, ep.host); !s.ok()) {
    co_return s;
  }
  conn->lower().expires_after(impl.options.timeouts.handshake);
  auto [hec] = co_await conn->tls->async_handshake(asio::ssl::stream_base::client, kAwait);
  if (hec) {
    if (hec == beast::error::timeout) co_return MapError(hec, "TLS handshake");
    co_return SecurityError("TLS handshake: " + hec.message());
  }
  if (Status s = CheckServerEntity(conn->tls->native_handle(), *ep.tls, ep.expected_entity_oid);
      !s.ok()) {
    co_return s;
  }
  out = std::move(conn);
  co_return Status::Ok();
}

struct Exchanged {
  HttpResponse response;
  bool keep_alive = false;
  bool stale = false;  // failed before any response byte: safe to retry on a new connection
};

template <typename Stream>
asio::awaitable<Status> ExchangeOn(Impl& impl, Stream& stream, ClientConn& conn, const Endpoint& ep,
                                   const HttpRequest& req, Exchanged& out) {
  http::request<http::string_body> msg;
  msg.version(11);
  msg.method_string(req.method);
  msg.target(req.target);
  for (const auto& [name, value] : req.headers) {
    if (!name.empty() && SafeHeader(name) && SafeHeader(value)) msg.insert(name, value);
  }
  if (msg.find(http::field::host) == msg.end()) {
    msg.set(http::field::host, ep.host + ":" + std::to_string(ep.port));
  }
  if (msg.find(http::field::connection) == msg.end()) msg.keep_alive(true);
  msg.body() = req.body;
  msg.prepare_payload();
  beast::tcp_stream& tcp = conn.lower();
  tcp.expires_after(impl.options.timeouts.write);
  auto [wec, wn] = co_await http::async_write(stream, msg, kAwait);
  if (wec) {
    out.stale = wec != beast::error::timeout;
    co_return MapError(wec, "write");
  }
  http::response_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(std::min<size_t>(
      impl.options.limits.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  parser.body_limit(impl.options.limits.max_body_bytes);
  if (req.method == "HEAD") parser.skip(true);
  tcp.expires_after(impl.options.timeouts.read_header);
  auto [ec, n] = co_await http::async_read_header(stream, conn.buffer, parser, kAwait);
  if (!ec) {
    tcp.expires_after(impl.options.timeouts.read_body);
    auto [bec, bn] = co_await http::async_read(stream, conn.buffer, parser, kAwait);
    ec = bec;
  }
  if (ec) {
    // The request went out whole; the server may have acted on it. Only an idempotent request
    // may be sent again (an ES call such as DownloadProfile must not run twice).
    const bool idempotent = req.method == "GET" || req.method == "HEAD" || req.method == "PUT" ||
                            req.method == "DELETE" || req.method == "OPTIONS";
    out.stale = idempotent && !parser.got_some() && ec != beast::error::timeout &&
                conn.buffer.size() == 0 && ec.category() != asio::error::get_ssl_category();
    co_return MapError(ec, "read response");
  }
  tcp.expires_never();
  auto& m = parser.get();
  out.response.status = static_cast<int>(m.result_int());
  for (const auto& field : m) {
    out.response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  out.keep_alive = m.keep_alive();
  out.response.body = std::move(m.body());
  co_return Status::Ok();
}

asio::awaitable<void> Run(Impl* impl, PoolKey key, Endpoint ep, std::unique_ptr<ClientConn> conn,
                          HttpRequest req, HttpClient::Callback done) {
  for (int attempt = 0;; ++attempt) {
    const bool reused = conn != nullptr;
    // (GCC 12 miscompiles co_await inside conditions and ?:, hence the plain statements.)
    if (!conn) {
      Status connected = co_await Connect(*impl, ep, conn);
      if (!connected.ok()) {
        done(std::move(connected));
        co_return;
      }
    }
    Exchanged ex;
    Status s;
    if (conn->tls) {
      s = co_await ExchangeOn(*impl, *conn->tls, *conn, ep, req, ex);
    } else {
      s = co_await ExchangeOn(*impl, *conn->plain, *conn, ep, req, ex);
    }
    if (s.ok()) {
      if (ex.keep_alive) {
        impl->Put(key, std::move(conn));
      } else {
        conn.reset();
      }
      done(std::move(ex.response));
      co_return;
    }
    conn.reset();
    // A pooled connection the server closed while idle: retry once on a fresh one (only when
    // the request was not written, or is idempotent: see ExchangeOn).
    if (reused && ex.stale && attempt == 0) continue;
    done(std::move(s));
    co_return;
  }
}

}  // namespace

HttpClient::HttpClient(HttpClientOptions options) : impl_(std::make_shared<Impl>()) {
  impl_->options = std::move(options);
  const size_t n = std::clamp<size_t>(impl_->options.threads, 1, 256);
  for (size_t i = 0; i < n; ++i) {
    impl_->iocs.push_back(std::make_unique<asio::io_context>(1));
    impl_->work.push_back(asio::make_work_guard(*impl_->iocs.back()));
  }
  for (auto& ioc : impl_->iocs) {
    impl_->threads.emplace_back([ctx = ioc.get()] {
      for (;;) {
        try {
          ctx->run();
          return;
        } catch (...) {  // a user callback threw; keep the other requests going
        }
      }
    });
  }
}

HttpClient::~HttpClient() {
  impl_->work.clear();
  for (auto& ioc : impl_->iocs) ioc->stop();
  for (auto& t : impl_->threads) t.join();
  {
    std::lock_guard lock(impl_->mu);
    impl_->pool.clear();  // threads are gone: destroying here races with nothing
    impl_->idle = 0;
  }
  for (auto& ioc : impl_->iocs) ioc.reset();
}

void HttpClient::SendAsync(const Endpoint& endpoint, HttpRequest request, Callback done) {
  if (endpoint.host.empty() || endpoint.port == 0) {
    done(InvalidArgument("HttpClient: endpoint needs a host and a port"));
    return;
  }
  if (!ValidMethod(request.method) || !ValidTarget(request.target)) {
    done(InvalidArgument("HttpClient: bad method or target"));
    return;
  }
  PoolKey key{endpoint.host, endpoint.port, endpoint.tls.get(), endpoint.expected_entity_oid};
  std::unique_ptr<ClientConn> conn = impl_->Take(key);
  asio::any_io_executor ex =
      conn ? conn->ex : impl_->iocs[impl_->next++ % impl_->iocs.size()]->get_executor();
  asio::co_spawn(ex,
                 Run(impl_.get(), std::move(key), endpoint, std::move(conn), std::move(request),
                     std::move(done)),
                 [](std::exception_ptr) {});
}

Result<HttpResponse> HttpClient::Send(const Endpoint& endpoint, HttpRequest request) {
  if (impl_->OnClientThread()) {
    return Status::Error(ErrorKind::kFailedPrecondition, "HttpClient::Send on a client thread");
  }
  auto promise = std::make_shared<std::promise<Result<HttpResponse>>>();
  auto future = promise->get_future();
  SendAsync(endpoint, std::move(request),
            [promise](Result<HttpResponse> r) { promise->set_value(std::move(r)); });
  try {
    return future.get();
  } catch (const std::future_error&) {  // the client was destroyed mid-request
    return Status::Error(ErrorKind::kUnavailable, "HttpClient stopped");
  }
}

size_t HttpClient::connections_opened() const { return impl_->opened; }

size_t HttpClient::idle_connections() const {
  std::lock_guard lock(impl_->mu);
  return impl_->idle;
}

}  // namespace m2mrsp::net
