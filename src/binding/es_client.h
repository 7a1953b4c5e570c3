// EsClient: calls ES functions of a peer over mutually authenticated TLS (SGP.02 Annex B,
// es-messages.md §2.4):
//  - Call(): a synchronous function; returns the typed response from the HTTP response, after
//    checking RelatesTo = our MessageID;
//  - CallAsync(): an asynchronous function; returns once the provider accepted it (HTTP 202);
//    the response arrives later at our EsServer (wsa:ReplyTo = our LocalEntity url), is matched
//    by RelatesTo in the shared PendingCalls, and is handed to `done`; no callback within the
//    ValidityPeriod completes `done` with kTimeout (1.6 / 5.3). Exactly one of the two reports
//    the outcome: an error return means `done` is never called; if the callback overtook a
//    lost 202, CallAsync returns OK and `done` has the result;
//  - Notify(): a notification; returns once the receiver acknowledged it (202/200).
// Errors say which layer failed: transport (net errors: kUnavailable, kTimeout, kSecurity...),
// SOAP fault (kind by fault code, the fault's SGP.02 codes, message "SOAP fault (Sender): …"),
// HTTP status (kFailedPrecondition "HTTP 4xx", kUnavailable for 503), or a bad reply (kParse).
// CallInfo (optional) receives the HTTP status, the fault and our MessageID.
//
// MessageIDs come from soap::MessageIdFactory ("//<our OID>/urn:uuid:…?TransactionId=…").
// Thread-safe; Call/CallAsync/Notify block the calling thread for one HTTP exchange and must
// not be called from an HTTP client callback. `done` runs on the server's worker pool or the
// PendingCalls timer thread.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/random.h"
#include "binding/common.h"
#include "binding/function_traits.h"
#include "binding/pending_calls.h"
#include "es/codec.h"
#include "net/http_client.h"
#include "soap/addressing.h"

namespace m2mrsp::binding {

struct EsClientOptions {
  LocalEntity self;  // wsa:From; self.url is also the ReplyTo of asynchronous calls
  std::shared_ptr<const net::ClientTls> tls;  // our client certificate (mutual TLS)
  bool allow_plain_http = false;              // tests only
  std::shared_ptr<PendingCalls> pending;      // required for CallAsync (shared with EsServer)
  // Timeout of an asynchronous call whose request carries no ValidityPeriod.
  std::chrono::seconds default_validity{300};
  net::HttpClientOptions http;
  soap::XmlLimits xml;
  const Clock* clock = nullptr;  // default: SystemClock
  Random* random = nullptr;      // default: crypto::SecureRandom
};

struct CallInfo {
  std::string message_id;  // of our request
  int http_status = 0;     // 0: no HTTP response
  std::optional<soap::Fault> fault;
};

class EsClient {
 public:
  explicit EsClient(EsClientOptions options);
  ~EsClient();
  EsClient(const EsClient&) = delete;
  EsClient& operator=(const EsClient&) = delete;

  template <typename Req>
  requires(kIsRequest<Req>&& Req::kExchange ==
           soap::Exchange::kSynchronous) Result<ResponseOf<Req>> Call(const Target& to,
                                                                      const Req& request,
                                                                      CallInfo* info = nullptr) {
    M2_ASSIGN_OR_RETURN(auto envelope, CallEnvelope(to, Req::kAction, Encoder(request), info));
    return Decode<ResponseOf<Req>>(*envelope);
  }

  template <typename Req>
  requires(kIsRequest<Req>&& Req::kExchange == soap::Exchange::kAsynchronous) Status
      CallAsync(const Target& to, const Req& request,
                std::function<void(Result<ResponseOf<Req>>)> done, CallInfo* info = nullptr) {
    using Resp = ResponseOf<Req>;
    PendingCalls::Call call;
    call.responder_oid = to.entity_oid;
    call.callback_action = std::string(Resp::kAction);
    call.check = [](const soap::ParsedEnvelope& env) { return Decode<Resp>(env).status(); };
    call.done = [done = std::move(done)](Result<std::shared_ptr<const soap::ParsedEnvelope>> env) {
      if (!env.ok()) return done(env.status());
      done(Decode<Resp>(**env));
    };
    std::optional<std::chrono::seconds> validity;
    if (request.validity_period) {
      validity = std::chrono::seconds(
          static_cast<int64_t>(std::min<uint64_t>(*request.validity_period, INT32_MAX)));
    }
    return CallAsyncEnvelope(to, Req::kAction, Encoder(request), std::move(call), validity, info);
  }

  template <typename N>
  requires kIsNotification<N> Status Notify(const Target& to, const N& notification,
                                            CallInfo* info = nullptr) {
    return NotifyEnvelope(to, N::kAction, Encoder(notification), info);
  }

 private:
  using Encode = std::function<Result<std::string>(const soap::Addressing&)>;
  template <typename M>
  static Encode Encoder(const M& m) {
    return [&m](const soap::Addressing& headers) { return es::EncodeEnvelope(m, headers); };
  }
  template <typename M>
  static Result<M> Decode(const soap::ParsedEnvelope& env) {
    if (env.addressing().action != M::kAction) {
      return Status::Sgp(
          ErrorKind::kParse, "1.6", "2.1",
          "wsa:Action " + env.addressing().action + " is not " + std::string(M::kElement) + "'s");
    }
    return es::DecodeBody<M>(env.body());
  }

  struct Sent {
    soap::Addressing headers;
    net::HttpResponse response;
  };
  Result<Sent> Send(const Target& to, std::string_view action, soap::Exchange exchange,
                    const Encode& encode, CallInfo* info,
                    const std::function<Status(const soap::Addressing&)>& before);
  Result<std::shared_ptr<const soap::ParsedEnvelope>> CallEnvelope(const Target& to,
                                                                   std::string_view action,
                                                                   const Encode& encode,
                                                                   CallInfo* info);
  Status CallAsyncEnvelope(const Target& to, std::string_view action, const Encode& encode,
                           PendingCalls::Call call, std::optional<std::chrono::seconds> validity,
                           CallInfo* info);
  Status NotifyEnvelope(const Target& to, std::string_view action, const Encode& encode,
                        CallInfo* info);

  EsClientOptions options_;
  const Clock& clock_;
  Random& random_;
  soap::MessageIdFactory ids_;
  net::HttpClient http_;
};

}  // namespace m2mrsp::binding
