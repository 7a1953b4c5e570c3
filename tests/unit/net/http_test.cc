// HTTP/1.1 server and client over plain TCP on 127.0.0.1, port 0: round trips, keep-alive and
// pooling, timeouts, size limits, graceful shutdown, the connection bound.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "net/http_client.h"
#include "net/http_server.h"
#include "raw_socket.h"

namespace m2mrsp::net {
namespace {

using namespace std::chrono_literals;
using testing::RawSocket;

HttpResponse Echo(const HttpRequestView& v) {
  HttpResponse r;
  r.headers.emplace_back("X-Method", v.request.method);
  r.headers.emplace_back("X-Target", v.request.target);
  if (auto h = FindHeader(v.request.headers, "x-test")) r.headers.emplace_back("X-Test", *h);
  r.body = v.request.body;
  return r;
}

std::unique_ptr<HttpServer> StartServer(HttpServerOptions options, Handler handler) {
  auto server = HttpServer::Start(std::move(options), std::move(handler));
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  return server.ok() ? std::move(*server) : nullptr;
}

Endpoint Local(const HttpServer& server) { return Endpoint{"127.0.0.1", server.port(), {}, {}}; }

HttpRequest Post(std::string target, std::string body) {
  return HttpRequest{"POST", std::move(target), {{"X-Test", "yes"}}, std::move(body)};
}

TEST(Http, RoundTrip) {
  auto server = StartServer({}, SyncHandler(Echo));
  ASSERT_NE(server, nullptr);
  EXPECT_NE(server->port(), 0);
  HttpClient client;
  auto r = client.Send(Local(*server), Post("/es2/x?y=1", "hello"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello");
  EXPECT_EQ(FindHeader(r->headers, "x-method"), "POST");
  EXPECT_EQ(FindHeader(r->headers, "X-Target"), "/es2/x?y=1");
  EXPECT_EQ(FindHeader(r->headers, "X-Test"), "yes");
}

TEST(Http, PeerIsAnonymousOnPlainTcp) {
  std::atomic<int> kind{-1};
  auto server = StartServer({}, SyncHandler([&](const HttpRequestView& v) {
                              kind = static_cast<int>(v.peer.kind);
                              return HttpResponse{};
                            }));
  HttpClient client;
  ASSERT_TRUE(client.Send(Local(*server), {}).ok());
  EXPECT_EQ(kind, static_cast<int>(PeerIdentity::Kind::kNone));
}

TEST(Http, ClientReusesKeepAliveConnection) {
  auto server = StartServer({}, SyncHandler(Echo));
  HttpClient client;
  for (int i = 0; i < 3; ++i) {
    auto r = client.Send(Local(*server), Post("/", std::to_string(i)));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->body, std::to_string(i));
  }
  EXPECT_EQ(client.connections_opened(), 1u);
  EXPECT_EQ(client.idle_connections(), 1u);
  EXPECT_EQ(server->active_connections(), 1u);
}

TEST(Http, PoolIsPerEndpoint) {
  auto a = StartServer({}, SyncHandler(Echo));
  auto b = StartServer({}, SyncHandler(Echo));
  HttpClient client;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.Send(Local(*a), Post("/", "a")).ok());
    ASSERT_TRUE(client.Send(Local(*b), Post("/", "b")).ok());
  }
  EXPECT_EQ(client.connections_opened(), 2u);
  EXPECT_EQ(client.idle_connections(), 2u);
}

TEST(Http, ConnectionCloseIsHonoured) {
  auto server = StartServer({}, SyncHandler(Echo));
  HttpClient client;
  HttpRequest req{"GET", "/", {{"Connection", "close"}}, ""};
  ASSERT_TRUE(client.Send(Local(*server), req).ok());
  ASSERT_TRUE(client.Send(Local(*server), req).ok());
  EXPECT_EQ(client.connections_opened(), 2u);
  EXPECT_EQ(client.idle_connections(), 0u);
}

TEST(Http, ServerKeepsConnectionAliveAcrossRequests) {
  auto server = StartServer({}, SyncHandler(Echo));
  RawSocket s(server->port());
  ASSERT_TRUE(s.connected());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(s.Send("POST /k HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok"));
    bool closed = false;
    const std::string resp = s.Read(3s, "\r\n\r\nok", &closed);
    EXPECT_EQ(resp.rfind("HTTP/1.1 200", 0), 0u) << resp;
    EXPECT_FALSE(closed);
  }
}

TEST(Http, HeaderTimeoutClosesSlowClient) {
  HttpServerOptions o;
  o.timeouts.read_header = 200ms;
  std::atomic<int> calls{0};
  auto server = StartServer(o, SyncHandler([&](const HttpRequestView& v) {
                              ++calls;
                              return Echo(v);
                            }));
  RawSocket s(server->port());
  ASSERT_TRUE(s.Send("GET / HTTP/1.1\r\nHo"));
  const auto start = std::chrono::steady_clock::now();
  bool closed = false;
  EXPECT_EQ(s.Read(5s, "", &closed), "");
  EXPECT_TRUE(closed);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_EQ(calls, 0);
}

TEST(Http, IdleTimeoutClosesConnectionAndClientRetriesOnce) {
  HttpServerOptions o;
  o.timeouts.idle = 150ms;
  auto server = StartServer(o, SyncHandler(Echo));
  HttpClient client;
  ASSERT_TRUE(client.Send(Local(*server), Post("/", "1")).ok());
  std::this_thread::sleep_for(500ms);  // the server closes the pooled connection meanwhile
  EXPECT_EQ(server->active_connections(), 0u);
  auto r = client.Send(Local(*server), Post("/", "2"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, "2");
  EXPECT_EQ(client.connections_opened(), 2u);
}

TEST(Http, ClientTimesOutWaitingForResponse) {
  std::mutex mu;
  std::vector<Responder> parked;
  auto server = StartServer({}, [&](const HttpRequestView&, Responder respond) {
    std::lock_guard lock(mu);
    parked.push_back(respond);  // answered only after the client gave up
  });
  HttpClientOptions co;
  co.timeouts.read_header = 200ms;
  HttpClient client(co);
  const auto start = std::chrono::steady_clock::now();
  auto r = client.Send(Local(*server), Post("/", "x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kTimeout) << r.status().ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  std::lock_guard lock(mu);
  for (auto& p : parked) p(HttpResponse{});
}

TEST(Http, OversizedBodyGets413AndClose) {
  HttpServerOptions o;
  o.limits.max_body_bytes = 1024;
  std::atomic<int> calls{0};
  auto server = StartServer(o, SyncHandler([&](const HttpRequestView& v) {
                              ++calls;
                              return Echo(v);
                            }));
  RawSocket s(server->port());
  ASSERT_TRUE(s.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" +
                     std::string(2000, 'a')));
  bool closed = false;
  const std::string resp = s.Read(3s, "", &closed);
  EXPECT_EQ(resp.rfind("HTTP/1.1 413", 0), 0u) << resp;
  EXPECT_TRUE(closed);
  EXPECT_EQ(calls, 0);
}

TEST(Http, OversizedChunkedBodyGets413) {
  HttpServerOptions o;
  o.limits.max_body_bytes = 1024;
  auto server = StartServer(o, SyncHandler(Echo));
  RawSocket s(server->port());
  ASSERT_TRUE(s.Send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" +
                     std::string(0x800, 'a') + "\r\n0\r\n\r\n"));
  const std::string resp = s.Read(3s);
  EXPECT_EQ(resp.rfind("HTTP/1.1 413", 0), 0u) << resp;
}

TEST(Http, OversizedHeaderGets431) {
  HttpServerOptions o;
  o.limits.max_header_bytes = 512;
  auto server = StartServer(o, SyncHandler(Echo));
  RawSocket s(server->port());
  ASSERT_TRUE(s.Send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'b') + "\r\n\r\n"));
  const std::string resp = s.Read(3s);
  EXPECT_EQ(resp.rfind("HTTP/1.1 431", 0), 0u) << resp;
}

TEST(Http, MalformedRequestGets400) {
  auto server = StartServer({}, SyncHandler(Echo));
  RawSocket s(server->port());
  ASSERT_TRUE(s.Send("GET / HTTP/1.1\r\nHost x\r\n\r\n"));
  bool closed = false;
  const std::string resp = s.Read(3s, "", &closed);
  EXPECT_EQ(resp.rfind("HTTP/1.1 400", 0), 0u) << resp;
  EXPECT_TRUE(closed);
}

TEST(Http, ClientRefusesOversizedResponse) {
  auto server = StartServer({}, SyncHandler([](const HttpRequestView&) {
                              return HttpResponse{200, {}, std::string(1000, 'x')};
                            }));
  HttpClientOptions co;
  co.limits.max_body_bytes = 100;
  HttpClient client(co);
  auto r = client.Send(Local(*server), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kLimitExceeded) << r.status().ToString();
}

TEST(Http, ClientRejectsBadRequestLine) {
  HttpClient client;
  auto r = client.Send(Endpoint{"127.0.0.1", 1, {}, {}}, HttpRequest{"GE T", "/", {}, ""});
  EXPECT_EQ(r.status().kind(), ErrorKind::kInvalidArgument);
  r = client.Send(Endpoint{"127.0.0.1", 1, {}, {}}, HttpRequest{"GET", "/a b", {}, ""});
  EXPECT_EQ(r.status().kind(), ErrorKind::kInvalidArgument);
}

TEST(Http, ConnectionRefusedIsUnavailable) {
  uint16_t port = 0;
  {
    auto server = StartServer({}, SyncHandler(Echo));
    port = server->port();
  }
  HttpClient client;
  auto r = client.Send(Endpoint{"127.0.0.1", port, {}, {}}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kUnavailable) << r.status().ToString();
}

TEST(Http, DroppedResponderAnswers500) {
  auto server = StartServer({}, [](const HttpRequestView&, Responder) {});
  HttpClient client;
  auto r = client.Send(Local(*server), {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 500);
}

TEST(Http, GracefulShutdownFinishesInFlightRequest) {
  std::promise<void> entered;
  std::thread worker;
  auto server = StartServer({}, [&](const HttpRequestView& v, Responder respond) {
    HttpResponse r = Echo(v);
    worker = std::thread([respond, r] {
      std::this_thread::sleep_for(300ms);
      respond(r);
    });
    entered.set_value();
  });
  const Endpoint ep = Local(*server);
  RawSocket idle(server->port());  // an idle keep-alive connection must not delay shutdown
  HttpClient client;
  std::promise<Result<HttpResponse>> done;
  client.SendAsync(ep, Post("/slow", "payload"),
                   [&](Result<HttpResponse> r) { done.set_value(std::move(r)); });
  entered.get_future().wait();
  const auto start = std::chrono::steady_clock::now();
  server->Shutdown(5s);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  auto r = done.get_future().get();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "payload");
  EXPECT_EQ(FindHeader(r->headers, "Connection"), "close");
  worker.join();
  bool closed = false;
  idle.Read(1s, "", &closed);
  EXPECT_TRUE(closed);
  EXPECT_FALSE(client.Send(ep, {}).ok());  // no longer accepting
}

TEST(Http, ShutdownGraceExpiresAndLateResponderIsHarmless) {
  std::mutex mu;
  std::vector<Responder> parked;
  std::promise<void> entered;
  auto server = StartServer({}, [&](const HttpRequestView&, Responder respond) {
    std::lock_guard lock(mu);
    parked.push_back(respond);
    entered.set_value();
  });
  HttpClient client;
  std::promise<Result<HttpResponse>> done;
  client.SendAsync(Local(*server), {},
                   [&](Result<HttpResponse> r) { done.set_value(std::move(r)); });
  entered.get_future().wait();
  const auto start = std::chrono::steady_clock::now();
  server->Shutdown(100ms);  // the handler never answers: forced close after the grace period
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  server.reset();
  EXPECT_FALSE(done.get_future().get().ok());
  std::lock_guard lock(mu);
  for (auto& p : parked) p(HttpResponse{});  // the server is gone: ignored, no crash
}

TEST(Http, ConnectionsBeyondTheBoundAreRefused) {
  HttpServerOptions o;
  o.max_connections = 2;
  auto server = StartServer(o, SyncHandler(Echo));
  RawSocket a(server->port());
  RawSocket b(server->port());
  for (int i = 0; i < 200 && server->active_connections() < 2; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_EQ(server->active_connections(), 2u);
  RawSocket c(server->port());
  bool closed = false;
  EXPECT_EQ(c.Read(2s, "", &closed), "");
  EXPECT_TRUE(closed);
  EXPECT_EQ(server->refused_connections(), 1u);
  ASSERT_TRUE(a.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(a.Read(3s, "\r\n\r\n").rfind("HTTP/1.1 200", 0), 0u);
}

TEST(Http, ManyConcurrentRequestsOnSeveralThreads) {
  HttpServerOptions o;
  o.threads = 2;
  auto server = StartServer(o, SyncHandler(Echo));
  HttpClientOptions co;
  co.threads = 2;
  HttpClient client(co);
  constexpr int kRequests = 40;
  std::vector<std::promise<Result<HttpResponse>>> results(kRequests);
  for (int i = 0; i < kRequests; ++i) {
    client.SendAsync(Local(*server), Post("/", std::to_string(i)),
                     [&results, i](Result<HttpResponse> r) { results[i].set_value(std::move(r)); });
  }
  for (int i = 0; i < kRequests; ++i) {
    auto r = results[i].get_future().get();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->body, std::to_string(i));
  }
  EXPECT_LE(client.connections_opened(), static_cast<size_t>(kRequests));
}

}  // namespace
}  // namespace m2mrsp::net
