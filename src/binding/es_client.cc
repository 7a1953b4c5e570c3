#include "binding/es_client.h"

#include "binding/delivery.h"
#include "binding/url.h"
#include "crypto/secure_random.h"
#include "soap/exchange.h"

namespace m2mrsp::binding {
namespace {

// 503 means "busy, retry" whatever the fault says; otherwise Sender faults are our request's.
ErrorKind KindOf(const soap::Fault& f, int http_status) {
  if (http_status == 503) return ErrorKind::kUnavailable;
  return f.code == soap::FaultCode::kSender ? ErrorKind::kInvalidArgument
                                            : ErrorKind::kFailedPrecondition;
}

// A fault as a Status: the fault's SGP.02 codes (when it carries them) and its reason text.
Status FaultStatus(const soap::Fault& f, int http_status) {
  std::string m = "SOAP fault (" + std::string(soap::FaultCodeName(f.code));
  if (!f.wsa_subcode.empty()) m += ", wsa:" + f.wsa_subcode;
  m += "): " + f.reason;
  if (f.status_code) {
    return Status::Sgp(KindOf(f, http_status), f.status_code->subject(), f.status_code->reason(),
                       m);
  }
  return Status::Error(KindOf(f, http_status), m);
}

Status HttpStatusError(int status) {
  return Status::Error(status == 503 ? ErrorKind::kUnavailable : ErrorKind::kFailedPrecondition,
                       "HTTP " + std::to_string(status));
}

}  // namespace

EsClient::EsClient(EsClientOptions options)
    : options_(std::move(options)),
      clock_(options_.clock ? *options_.clock : SystemClock::Instance()),
      random_(options_.random ? *options_.random : crypto::SecureRandom::Instance()),
      ids_(options_.self.entity.oid, random_, clock_),
      http_(options_.http) {}

EsClient::~EsClient() = default;

Result<EsClient::Sent> EsClient::Send(
    const Target& to, std::string_view action, soap::Exchange exchange, const Encode& encode,
    CallInfo* info, const std::function<Status(const soap::Addressing&)>& before) {
  M2_ASSIGN_OR_RETURN(Url url, ParseUrl(to.url));
  if (!url.tls && !options_.allow_plain_http) return InvalidArgument("plain http is not allowed");
  net::Endpoint endpoint{url.host, url.port, nullptr, {}};
  if (url.tls) {
    if (!options_.tls) return InvalidArgument("no TLS client configuration");
    endpoint.tls = options_.tls;
    endpoint.expected_entity_oid = to.entity_oid;  // the server must be the entity we address
  }
  M2_ASSIGN_OR_RETURN(std::string to_address, to.Address());
  const soap::Sender sender{
      soap::EntityAddress{options_.self.url, options_.self.entity.oid, options_.self.entity.role}};
  // ReplyTo = our endpoint with our EntityId, which the callback's wsa:To then carries.
  M2_ASSIGN_OR_RETURN(std::string reply_to, options_.self.Address());
  M2_ASSIGN_OR_RETURN(
      soap::Addressing headers,
      soap::RequestAddressing(exchange, sender, to_address, action, reply_to, ids_));
  if (info != nullptr) info->message_id = headers.message_id;
  M2_ASSIGN_OR_RETURN(std::string envelope, encode(headers));
  if (before) M2_RETURN_IF_ERROR(before(headers));
  M2_ASSIGN_OR_RETURN(
      net::HttpResponse response,
      http_.Send(endpoint, SoapPost(url.path, headers.action, std::move(envelope))));
  if (info != nullptr) info->http_status = response.status;
  if (response.status >= 400 && !response.body.empty()) {
    auto env = soap::ParseEnvelope(response.body, soap::ParseOptions{options_.xml, false});
    if (env.ok() && env->fault()) {
      if (info != nullptr) info->fault = *env->fault();
      return FaultStatus(*env->fault(), response.status);
    }
  }
  return Sent{std::move(headers), std::move(response)};
}

Result<std::shared_ptr<const soap::ParsedEnvelope>> EsClient::CallEnvelope(const Target& to,
                                                                           std::string_view action,
                                                                           const Encode& encode,
                                                                           CallInfo* info) {
  M2_ASSIGN_OR_RETURN(Sent sent,
                      Send(to, action, soap::Exchange::kSynchronous, encode, info, nullptr));
  if (sent.response.status != 200) return HttpStatusError(sent.response.status);
  M2_ASSIGN_OR_RETURN(
      soap::ParsedEnvelope env,
      soap::ParseEnvelope(sent.response.body, soap::ParseOptions{options_.xml, true}));
  if (env.fault()) {  // a fault with 200 (not SOAP 1.2 HTTP binding, but seen in the wild)
    if (info != nullptr) info->fault = *env.fault();
    return FaultStatus(*env.fault(), 200);
  }
  // es-messages.md §2.2: the sync response carries RelatesTo = our MessageID.
  if (env.addressing().relates_to != sent.headers.message_id) {
    return Status::Sgp(ErrorKind::kParse, "1.6", "2.1",
                       "response wsa:RelatesTo does not name our request");
  }
  return std::make_shared<const soap::ParsedEnvelope>(std::move(env));
}

Status EsClient::CallAsyncEnvelope(const Target& to, std::string_view action, const Encode& encode,
                                   PendingCalls::Call call,
                                   std::optional<std::chrono::seconds> validity, CallInfo* info) {
  if (!options_.pending) return InvalidArgument("asynchronous calls need a PendingCalls table");
  std::string message_id;
  // Registered before the request leaves: the callback may overtake the 202.
  auto add = [&](const soap::Addressing& headers) {
    message_id = headers.message_id;
    return options_.pending->Add(headers.message_id, std::move(call),
                                 validity.value_or(options_.default_validity));
  };
  auto sent = Send(to, action, soap::Exchange::kAsynchronous, encode, info, add);
  if (!sent.ok() || sent->response.status != 202) {
    // Nothing to cancel means the callback overtook the lost or odd acknowledgement and `done`
    // already has (or is being given) the outcome: the call did reach the provider, so it is
    // not an error — the caller must not see both a failure here and a result in `done`.
    if (!message_id.empty() && !options_.pending->Cancel(message_id)) return Status::Ok();
    return sent.ok() ? HttpStatusError(sent->response.status) : sent.status();
  }
  return Status::Ok();
}

Status EsClient::NotifyEnvelope(const Target& to, std::string_view action, const Encode& encode,
                                CallInfo* info) {
  M2_ASSIGN_OR_RETURN(Sent sent,
                      Send(to, action, soap::Exchange::kNotification, encode, info, nullptr));
  // es-messages.md §2.4 pattern 4: 202 (or 200) with no functional response.
  if (sent.response.status != 202 && sent.response.status != 200) {
    return HttpStatusError(sent.response.status);
  }
  return Status::Ok();
}

}  // namespace m2mrsp::binding
