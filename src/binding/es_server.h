// EsServer: an ES web-service endpoint (SGP.02 Annex B function binding, es-messages.md §2):
// SOAP 1.2 envelopes POSTed over mutually authenticated TLS (net::HttpServer), checked at the
// envelope level and dispatched to typed handlers registered per wsa:Action.
//
// Every request passes, in order (docs/formats/binding.md lists what the peer sees for each
// refusal): POST → verified client certificate known to the EntityDirectory → SOAP 1.2 envelope
// within limits → wsa:From EntityId = the certificate's entity → wsa:To EntityId = ours →
// wsa:Action registered (or a callback of one of our pending asynchronous calls) → requester
// role allowed → ReplyTo present for an asynchronous request → MessageID not seen before
// (ReplayCache) → body decoded by the es codecs. Then, by the function's exchange pattern:
//  - synchronous: the handler runs on the worker pool; 200 with the response envelope
//    (RelatesTo = the request's MessageID);
//  - asynchronous: 202 at once; the handler runs on the worker pool and its response is POSTed
//    to ReplyTo with the "…CallBack" Action and RelatesTo by the Deliverer (our TLS client
//    certificate, retried with back-off, one DeliveryOutcome per callback);
//  - notification: 202 at once; the handler runs on the worker pool;
//  - callback of our own asynchronous call: matched in PendingCalls by RelatesTo; 202.
// A full worker queue gives 503 (the sender retries). A handler error becomes the response's
// FunctionExecutionStatus FAILED with its SGP.02 codes (DESIGN.md §2: errors become
// FunctionExecutionStatus at the binding edge). Envelope-level refusals are SOAP faults.
//
// Threads: handlers run on `workers` threads and may block; register them before Start().
// Shutdown() stops the HTTP server, lets queued handlers finish, then stops callback delivery
// (undelivered callbacks are reported as such). Not copyable.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/random.h"
#include "binding/common.h"
#include "binding/delivery.h"
#include "binding/function_traits.h"
#include "binding/pending_calls.h"
#include "binding/replay_cache.h"
#include "binding/worker_pool.h"
#include "es/codec.h"
#include "net/http_server.h"

namespace m2mrsp::binding {

struct EsServerOptions {
  net::Entity self;
  // Our URL for wsa:From; empty: "https://<public_host>:<bound port>/".
  std::string public_url;
  std::string public_host;      // empty: http.address
  net::HttpServerOptions http;  // http.tls must be a mutual TLS server context
  size_t workers = 2;
  size_t max_queued = 256;
  ReplayCacheOptions replay;
  soap::XmlLimits xml;
  // Callback delivery: our TLS client context (required to serve asynchronous functions).
  DelivererOptions delivery;
  // Called once per asynchronous callback we send (delivered or not).
  OutcomeCallback on_delivery;
  // Where callbacks of our own asynchronous calls are matched (shared with EsClient); optional.
  std::shared_ptr<PendingCalls> pending;
  const Clock* clock = nullptr;  // default: SystemClock
  Random* random = nullptr;      // default: crypto::SecureRandom (MessageIDs)
};

// A decoded request, ready to run on a worker (internal to EsServer; typed per function).
class Invocation {
 public:
  virtual ~Invocation() = default;
  virtual std::optional<std::chrono::seconds> validity_period() const = 0;
  // Runs the handler. Returns the response element writer (request/response functions), or
  // nullopt (notifications).
  virtual std::optional<soap::BodyWriter> Run(const CallContext& context, const Clock& clock) = 0;
};

class EsServer {
 public:
  explicit EsServer(EsServerOptions options);
  ~EsServer();
  EsServer(const EsServer&) = delete;
  EsServer& operator=(const EsServer&) = delete;

  // A request/response function (synchronous or asynchronous by Req::kExchange). `roles`: the
  // requester roles allowed (entities.json "role"); empty = any authenticated entity.
  template <typename Req>
  requires kIsRequest<Req>
  void Handle(std::function<Result<ResponseOf<Req>>(const CallContext&, const Req&)> handler,
              std::vector<std::string> roles = {});

  template <typename N>
  requires kIsNotification<N>
  void HandleNotification(std::function<Status(const CallContext&, const N&)> handler,
                          std::vector<std::string> roles = {});

  // Errors: kInvalidArgument (no mutual TLS context), kIo (bind).
  Status Start();
  uint16_t port() const;
  const std::string& url() const { return url_; }
  void Shutdown();

  struct Counters {
    size_t accepted = 0;  // requests dispatched
    size_t refused = 0;   // faults, 4xx, 503
  };
  Counters counters() const;

 private:
  // Everything about one registered function is typed inside these closures, so the binding
  // never instantiates es::Message (a 75-type variant) itself.
  struct Registration {
    soap::Exchange exchange;
    std::vector<std::string> roles;
    std::string response_action;  // empty for notifications
    std::function<Result<std::unique_ptr<Invocation>>(const pugi::xml_node& body)> decode;
    // The response carrying FunctionExecutionStatus FAILED for `status`.
    std::function<soap::BodyWriter(const Status& status, const CallContext&, const Clock&)> failure;
  };
  struct Request;

  template <typename Resp>
  static void Stamp(Resp& r, const CallContext& ctx, const Clock& clock) {
    // BaseResponseType ProcessingStart/End (SGP.02 §5.1.1), when the handler left them out.
    if (!r.processing_start) {
      r.processing_start = es::DateTime{std::chrono::floor<std::chrono::seconds>(ctx.received)};
    }
    if (!r.processing_end) {
      r.processing_end = es::DateTime{std::chrono::floor<std::chrono::seconds>(clock.Now())};
    }
  }
  template <typename Resp>
  static soap::BodyWriter Writer(Resp r) {
    return [r = std::move(r)](pugi::xml_node body) { return es::EncodeBody(r, body); };
  }
  template <typename Resp>
  static soap::BodyWriter Failure(const Status& status, const CallContext& ctx,
                                  const Clock& clock) {
    Resp r;
    r.function_execution_status = es::FunctionExecutionStatus::FromError(status);
    Stamp(r, ctx, clock);
    return Writer(std::move(r));
  }
  template <typename M>
  static std::optional<std::chrono::seconds> ValidityOf(const M& m) {
    if constexpr (kIsRequest<M>) {
      if (m.validity_period) {
        return std::chrono::seconds(
            static_cast<int64_t>(std::min<uint64_t>(*m.validity_period, INT32_MAX)));
      }
    }
    return std::nullopt;
  }

  template <typename M, typename Fn>
  class TypedInvocation final : public Invocation {
   public:
    TypedInvocation(M m, const Fn* fn) : m_(std::move(m)), fn_(fn) {}
    std::optional<std::chrono::seconds> validity_period() const override { return ValidityOf(m_); }
    std::optional<soap::BodyWriter> Run(const CallContext& ctx, const Clock& clock) override {
      if constexpr (kIsNotification<M>) {
        (void)(*fn_)(ctx, m_);  // one-way: a handler error stays on our side
        return std::nullopt;
      } else {
        using Resp = ResponseOf<M>;
        Result<Resp> r = (*fn_)(ctx, m_);
        if (!r.ok()) return Failure<Resp>(r.status(), ctx, clock);
        Stamp(*r, ctx, clock);
        return Writer(std::move(*r));
      }
    }

   private:
    M m_;
    const Fn* fn_;  // owned by the Registration, which outlives every request
  };

  template <typename M, typename Fn>
  void RegisterTyped(std::shared_ptr<Fn> fn, std::vector<std::string> roles) {
    Registration r;
    r.exchange = M::kExchange;
    r.roles = std::move(roles);
    r.decode = [fn](const pugi::xml_node& body) -> Result<std::unique_ptr<Invocation>> {
      M2_ASSIGN_OR_RETURN(M m, es::DecodeBody<M>(body));
      return std::unique_ptr<Invocation>(new TypedInvocation<M, Fn>(std::move(m), fn.get()));
    };
    if constexpr (!kIsNotification<M>) {
      r.response_action = std::string(ResponseOf<M>::kAction);
      r.failure = &EsServer::Failure<ResponseOf<M>>;
    }
    Register(std::string(M::kAction), std::move(r));
  }

  void Register(std::string action, Registration r);
  void Serve(const net::HttpRequestView& view, net::Responder respond);
  void Refuse(const net::Responder& respond, const Status& status, const std::string& relates_to,
              int http_status = 0, std::string wsa_subcode = {});
  std::optional<soap::BodyWriter> Execute(Request& req);
  void RunSync(std::shared_ptr<Request> req, net::Responder respond);
  void RunAsync(std::shared_ptr<Request> req);
  Result<std::string> EncodeResponse(const Request& req, soap::Exchange exchange,
                                     const std::string& action, const soap::BodyWriter& body,
                                     std::string* message_id = nullptr);
  void Count(bool accepted);

  EsServerOptions options_;
  const Clock& clock_;
  Random& random_;
  std::map<std::string, Registration, std::less<>> handlers_;
  ReplayCache replay_;
  std::unique_ptr<soap::MessageIdFactory> ids_;
  std::unique_ptr<Deliverer> deliverer_;
  std::unique_ptr<WorkerPool> workers_;
  std::unique_ptr<net::HttpServer> http_;
  std::string url_;
  std::string from_address_;
  // Set (release) once url_ and from_address_ are written; the HTTP server accepts connections
  // before that (the port is known only after binding), and Serve answers 503 until then.
  std::atomic<bool> ready_{false};
  mutable std::mutex mu_;
  Counters counters_;
};

template <typename Req>
requires kIsRequest<Req>
void EsServer::Handle(
    std::function<Result<ResponseOf<Req>>(const CallContext&, const Req&)> handler,
    std::vector<std::string> roles) {
  RegisterTyped<Req>(std::make_shared<decltype(handler)>(std::move(handler)), std::move(roles));
}

template <typename N>
requires kIsNotification<N>
void EsServer::HandleNotification(std::function<Status(const CallContext&, const N&)> handler,
                                  std::vector<std::string> roles) {
  RegisterTyped<N>(std::make_shared<decltype(handler)>(std::move(handler)), std::move(roles));
}

}  // namespace m2mrsp::binding
