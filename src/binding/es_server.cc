#include "binding/es_server.h"

#include <algorithm>
#include <cctype>

#include "binding/url.h"
#include "crypto/secure_random.h"
#include "soap/exchange.h"

namespace m2mrsp::binding {
namespace {

constexpr std::string_view kSoapContentType = "application/soap+xml";

// Access errors (SGP.02 §5.1.6.4 via architecture digest §7.4): subject 1.1 Function requester;
// reason 1.1 Unknown (identification/authentication), 1.2 Not allowed (authorisation).
Status Unknown(std::string m) {
  return Status::Sgp(ErrorKind::kSecurity, "1.1", "1.1", std::move(m));
}
Status NotAllowed(std::string m) {
  return Status::Sgp(ErrorKind::kSecurity, "1.1", "1.2", std::move(m));
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

net::HttpResponse Accepted() { return net::HttpResponse{202, {}, {}}; }

}  // namespace

struct EsServer::Request {
  const Registration* registration = nullptr;
  CallContext context;
  std::unique_ptr<Invocation> invocation;
  Status decode_error;  // the body could not be decoded: answered as FAILED
};

EsServer::EsServer(EsServerOptions options)
    : options_(std::move(options)),
      clock_(options_.clock ? *options_.clock : SystemClock::Instance()),
      random_(options_.random ? *options_.random : crypto::SecureRandom::Instance()),
      replay_(options_.replay, clock_) {}

EsServer::~EsServer() { Shutdown(); }

void EsServer::Register(std::string action, Registration r) {
  handlers_[std::move(action)] = std::move(r);
}

Status EsServer::Start() {
  if (!options_.http.tls) return InvalidArgument("an ES endpoint needs a mutual TLS context");
  ids_ = std::make_unique<soap::MessageIdFactory>(options_.self.oid, random_, clock_);
  deliverer_ = std::make_unique<Deliverer>(options_.delivery);
  workers_ = std::make_unique<WorkerPool>(options_.workers, options_.max_queued);
  M2_ASSIGN_OR_RETURN(
      http_, net::HttpServer::Start(options_.http, [this](const net::HttpRequestView& v,
                                                          net::Responder r) { Serve(v, r); }));
  url_ = options_.public_url.empty()
             ? "https://" +
                   (options_.public_host.empty() ? options_.http.address : options_.public_host) +
                   ":" + std::to_string(http_->port()) + "/"
             : options_.public_url;
  M2_ASSIGN_OR_RETURN(from_address_, (LocalEntity{options_.self, url_}.Address()));
  ready_.store(true, std::memory_order_release);
  return Status::Ok();
}

uint16_t EsServer::port() const { return http_ ? http_->port() : 0; }

void EsServer::Shutdown() {
  if (http_) http_->Shutdown();
  if (workers_) workers_->Stop();  // runs queued handlers (their callbacks go to the deliverer)
  if (deliverer_) deliverer_->Shutdown();
}

EsServer::Counters EsServer::counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

void EsServer::Count(bool accepted) {
  std::lock_guard lock(mu_);
  ++(accepted ? counters_.accepted : counters_.refused);
}

void EsServer::Refuse(const net::Responder& respond, const Status& status,
                      const std::string& relates_to, int http_status, std::string wsa_subcode) {
  Count(false);
  soap::Fault fault = soap::FaultFor(status);
  fault.wsa_subcode = std::move(wsa_subcode);
  soap::Addressing a;
  a.from = from_address_;
  a.to = std::string(soap::kWsaAnonymous);  // the fault goes back on the same HTTP exchange
  a.action = std::string(soap::kWsaFaultAction);
  auto id = ids_->NewMessageId();
  a.message_id = id.ok() ? *id : "urn:uuid:00000000-0000-4000-8000-000000000000";
  if (!relates_to.empty()) a.relates_to = relates_to;
  net::HttpResponse r;
  r.status = http_status != 0 ? http_status : HttpStatusFor(fault);
  auto envelope = soap::BuildFaultEnvelope(a, fault);
  if (!envelope.ok()) {  // e.g. a control character in the reason: send the bare status
    respond(std::move(r));
    return;
  }
  r.headers = {{"Content-Type", "application/soap+xml; charset=utf-8"}};
  r.body = std::move(*envelope);
  respond(std::move(r));
}

// Runs on a server I/O thread: only checks and queueing, never a handler.
void EsServer::Serve(const net::HttpRequestView& view, net::Responder respond) {
  const net::HttpRequest& http = view.request;
  if (!ready_.load(std::memory_order_acquire)) {  // still starting: url_ not yet published
    Count(false);
    return respond(net::HttpResponse{503, {{"Retry-After", "1"}}, {}});
  }
  if (http.method != "POST") {
    Count(false);
    return respond(net::HttpResponse{405, {{"Allow", "POST"}}, {}});
  }
  // SGP.02 Annex B: the requester is the entity of its verified TLS client certificate. The
  // handshake already refused missing or untrusted certificates; a trusted certificate that is
  // not in the directory names nobody.
  if (view.peer.kind != net::PeerIdentity::Kind::kCertificate || !view.peer.entity) {
    return Refuse(respond, Unknown("client certificate is not a known entity"), {}, 403);
  }
  const net::Entity& peer = *view.peer.entity;
  // es-messages.md §2.1: Content-Type application/soap+xml (SOAP 1.2 Part 2 §7.1.4).
  const auto content_type = net::FindHeader(http.headers, "Content-Type");
  if (!content_type || !StartsWithNoCase(Trimmed(*content_type), kSoapContentType)) {
    Count(false);
    return respond(net::HttpResponse{415, {}, {}});
  }
  auto env = soap::ParseEnvelope(http.body, soap::ParseOptions{options_.xml, true});
  if (!env.ok()) return Refuse(respond, env.status(), {});
  const soap::Addressing& a = env->addressing();
  if (env->fault()) {
    return Refuse(respond, Status::Sgp(ErrorKind::kParse, "1.6", "2.1", "unexpected SOAP fault"),
                  a.message_id);
  }
  // wsa:From EntityId must be the authenticated entity (DESIGN.md §3).
  auto from = soap::EntityAddress::Parse(a.from);
  if (!from.ok()) return Refuse(respond, from.status(), a.message_id);
  if (from->entity_id != peer.oid) {
    return Refuse(respond, Unknown("wsa:From EntityId is not the entity of the client certificate"),
                  a.message_id);
  }
  // wsa:To EntityId must be us (es-messages.md §2.3); the endpoint part may differ behind NAT.
  auto to = soap::EntityAddress::Parse(a.to);
  if (!to.ok()) return Refuse(respond, to.status(), a.message_id);
  if (to->entity_id != options_.self.oid) {
    return Refuse(respond,
                  Status::Sgp(ErrorKind::kInvalidArgument, "1.2", "3.4",
                              "wsa:To EntityId is not this entity"),
                  a.message_id);
  }
  auto request = std::make_shared<Request>();
  request->context.received = clock_.Now();
  request->context.requester = peer;
  request->context.addressing = a;
  auto handler = handlers_.find(a.action);
  const bool callback =
      handler == handlers_.end() && options_.pending && IsCallbackAction(a.action);
  if (handler == handlers_.end() && !callback) {
    // WS-Addressing 1.0 SOAP Binding §6.4.1.5: Sender, subcode wsa:ActionNotSupported.
    return Refuse(respond,
                  Status::Sgp(ErrorKind::kInvalidArgument, "1.6", "3.1",
                              "wsa:Action not supported: " + a.action),
                  a.message_id, 400, "ActionNotSupported");
  }
  if (!callback) {
    request->registration = &handler->second;
    const auto& roles = handler->second.roles;
    if (!roles.empty() && std::find(roles.begin(), roles.end(), peer.role) == roles.end()) {
      return Refuse(respond, NotAllowed("role " + peer.role + " may not call " + a.action),
                    a.message_id);
    }
    // es-messages.md §2.2: ReplyTo is the only way to receive the callback.
    if (handler->second.exchange == soap::Exchange::kAsynchronous) {
      if (!a.reply_to || a.reply_to->empty() || *a.reply_to == soap::kWsaAnonymous) {
        return Refuse(respond,
                      Status::Sgp(ErrorKind::kInvalidArgument, "1.6", "2.3",
                                  "asynchronous request without a callable wsa:ReplyTo"),
                      a.message_id);
      }
      auto url = ParseUrl(*a.reply_to);
      if (!url.ok()) return Refuse(respond, url.status(), a.message_id);
      // Refuse now what the Deliverer would refuse after the handler acted (a callback that can
      // never be sent would leave the requester without the outcome of work done).
      if ((!url->tls && !options_.delivery.allow_plain_http) ||
          (url->tls && !options_.delivery.tls)) {
        return Refuse(respond,
                      Status::Sgp(ErrorKind::kInvalidArgument, "1.6", "2.1",
                                  "wsa:ReplyTo is not a callback address this endpoint can use"),
                      a.message_id);
      }
    }
  } else if (!a.relates_to || a.relates_to->empty()) {
    return Refuse(respond,
                  Status::Sgp(ErrorKind::kParse, "1.6", "2.2", "callback without wsa:RelatesTo"),
                  a.message_id);
  }
  if (!replay_.Insert(peer.oid, a.message_id)) {
    return Refuse(
        respond,
        Status::Sgp(ErrorKind::kAlreadyExists, "1.6", "3.3", "wsa:MessageID already received"),
        a.message_id);
  }
  if (callback) {
    auto call = options_.pending->Take(*a.relates_to, peer.oid, a.action);
    if (!call.ok()) return Refuse(respond, call.status(), a.message_id);
    auto envelope = std::make_shared<const soap::ParsedEnvelope>(std::move(*env));
    if (Status bad = call->check ? call->check(*envelope) : Status::Ok(); !bad.ok()) {
      // The caller learns the error too: the call is answered, badly.
      auto done = std::make_shared<PendingCalls::Completion>(std::move(call->done));
      if (!workers_->TrySubmit([done, bad] { (*done)(bad); }, true)) (*done)(bad);
      return Refuse(respond, bad, request->context.addressing.message_id);
    }
    Count(true);
    // Already accepted work, bounded by the pending table: admitted beyond the queue bound.
    auto done = std::make_shared<PendingCalls::Completion>(std::move(call->done));
    // The entry is already taken from the table: if the pool no longer runs work (stopping),
    // complete the call here rather than lose it.
    if (!workers_->TrySubmit([done, envelope] { (*done)(envelope); }, true)) (*done)(envelope);
    return respond(Accepted());
  }
  auto invocation = request->registration->decode(env->body());
  if (!invocation.ok()) {
    if (request->registration->exchange == soap::Exchange::kNotification) {
      return Refuse(respond, invocation.status(), a.message_id);
    }
    request->decode_error = invocation.status();  // answered as FunctionExecutionStatus FAILED
  } else {
    request->invocation = std::move(*invocation);
    request->context.validity_period = request->invocation->validity_period();
  }

  const soap::Exchange exchange = request->registration->exchange;
  bool queued = false;
  if (exchange == soap::Exchange::kSynchronous) {
    queued = workers_->TrySubmit([this, request, respond] { RunSync(request, respond); });
  } else {
    queued = workers_->TrySubmit([this, request] { RunAsync(request); });
  }
  if (!queued) {
    replay_.Erase(peer.oid, a.message_id);  // the sender may retry with the same MessageID
    return Refuse(respond,
                  Status::Sgp(ErrorKind::kUnavailable, "1.2", "3.7", "server busy, retry later"),
                  a.message_id, 503);
  }
  Count(true);
  if (exchange != soap::Exchange::kSynchronous) respond(Accepted());
}

Result<std::string> EsServer::EncodeResponse(const Request& req, soap::Exchange exchange,
                                             const std::string& action,
                                             const soap::BodyWriter& body,
                                             std::string* message_id) {
  const soap::Sender sender{soap::EntityAddress{url_, options_.self.oid, options_.self.role}};
  M2_ASSIGN_OR_RETURN(
      soap::Addressing headers,
      soap::ResponseAddressing(exchange, req.context.addressing, sender, action, *ids_));
  if (message_id != nullptr) *message_id = headers.message_id;
  return soap::BuildEnvelope(headers, body);
}

std::optional<soap::BodyWriter> EsServer::Execute(Request& req) {
  if (!req.decode_error.ok()) {
    return req.registration->failure(req.decode_error, req.context, clock_);
  }
  return req.invocation->Run(req.context, clock_);
}

void EsServer::RunSync(std::shared_ptr<Request> req, net::Responder respond) {
  std::optional<soap::BodyWriter> body = Execute(*req);
  auto envelope = body ? EncodeResponse(*req, soap::Exchange::kSynchronous,
                                        req->registration->response_action, *body)
                       : Result<std::string>(InternalError("no response"));
  if (!envelope.ok()) {
    // The handler's response does not fit the schema: our fault (SGP.02 1.2 / 4.2).
    return Refuse(respond,
                  Status::Sgp(ErrorKind::kInternal, "1.2", "4.2",
                              "cannot encode the response: " + envelope.status().message()),
                  req->context.addressing.message_id);
  }
  respond(net::HttpResponse{
      200, {{"Content-Type", "application/soap+xml; charset=utf-8"}}, std::move(*envelope)});
}

void EsServer::RunAsync(std::shared_ptr<Request> req) {
  std::optional<soap::BodyWriter> body = Execute(*req);
  if (req->registration->exchange == soap::Exchange::kNotification) return;  // one-way
  const soap::Addressing& a = req->context.addressing;
  const std::string& action = req->registration->response_action;
  std::string message_id;
  auto envelope =
      body ? EncodeResponse(*req, soap::Exchange::kAsynchronous, action, *body, &message_id)
           : Result<std::string>(InternalError("no response"));
  if (!envelope.ok()) {
    // Fall back to a FAILED response of the same type (it always encodes), so the requester
    // still learns the outcome.
    const Status why = Status::Sgp(ErrorKind::kInternal, "1.2", "4.2",
                                   "cannot encode the response: " + envelope.status().message());
    envelope = EncodeResponse(*req, soap::Exchange::kAsynchronous, action,
                              req->registration->failure(why, req->context, clock_), &message_id);
  }
  if (!envelope.ok()) {
    DeliveryOutcome failed;
    failed.url = a.reply_to.value_or("");
    failed.action = action;
    failed.relates_to = a.message_id;
    failed.last_error = envelope.status();
    if (options_.on_delivery) options_.on_delivery(failed);
    return;
  }
  Delivery d;
  d.url = *a.reply_to;
  d.expected_oid = req->context.requester.oid;  // the callback goes to the requester only
  d.action = action;
  d.relates_to = a.message_id;
  d.message_id = std::move(message_id);
  d.envelope = std::move(*envelope);
  if (req->context.validity_period) {
    d.deadline = std::chrono::steady_clock::now() + *req->context.validity_period;
  }
  deliverer_->Deliver(std::move(d), options_.on_delivery);
}

}  // namespace m2mrsp::binding
