#include "binding/delivery.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "binding/scheduler.h"
#include "binding/url.h"
#include "soap/envelope.h"

namespace m2mrsp::binding {
namespace {

bool Retryable(const Status& s) {
  return s.kind() == ErrorKind::kUnavailable || s.kind() == ErrorKind::kTimeout ||
         s.kind() == ErrorKind::kIo;
}

bool RetryableHttp(int status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

// The SOAP fault in a refusal, if any.
std::optional<soap::Fault> FaultIn(const net::HttpResponse& r) {
  if (r.body.empty()) return std::nullopt;
  soap::ParseOptions lenient;
  lenient.require_addressing = false;  // a fault answer need not carry our headers
  auto env = soap::ParseEnvelope(r.body, lenient);
  if (!env.ok() || !env->fault()) return std::nullopt;
  return *env->fault();
}

// The receiver refused a MessageID it had already accepted (our earlier attempt arrived).
bool IsDuplicateFault(const std::optional<soap::Fault>& f) {
  return f && f->status_code && f->status_code->subject() == "1.6" &&
         f->status_code->reason() == "3.3";
}

}  // namespace

net::HttpRequest SoapPost(const std::string& path, const std::string& action, std::string body) {
  net::HttpRequest r;
  r.method = "POST";
  r.target = path;
  r.headers = {{"Content-Type", "application/soap+xml; charset=utf-8; action=\"" + action + "\""}};
  r.body = std::move(body);
  return r;
}

struct Deliverer::Impl : std::enable_shared_from_this<Deliverer::Impl> {
  struct Job {
    Delivery delivery;
    net::Endpoint endpoint;
    std::string path;
    OutcomeCallback done;
    DeliveryOutcome outcome;
    std::atomic<bool> finished{false};
    std::mutex mu;  // outcome: written by the attempt in progress, read by Finish
    std::chrono::milliseconds next_delay{0};
  };

  Impl(DelivererOptions o, net::HttpClient* c) : options(std::move(o)), client(c) {}

  // Exactly once per job; `reason` (shutdown) replaces the last error.
  void Finish(const std::shared_ptr<Job>& job, const Status* reason = nullptr) {
    if (job->finished.exchange(true)) return;
    {
      std::lock_guard lock(mu);
      jobs.erase(job.get());
    }
    DeliveryOutcome outcome;
    {
      std::lock_guard lock(job->mu);
      if (reason != nullptr) {
        job->outcome.delivered = false;
        job->outcome.last_error = *reason;
      }
      outcome = job->outcome;
    }
    if (job->done) job->done(outcome);
  }

  void Attempt(const std::shared_ptr<Job>& job) {
    if (job->finished) return;
    {
      std::lock_guard lock(job->mu);
      ++job->outcome.attempts;
    }
    std::weak_ptr<Impl> weak = weak_from_this();
    client->SendAsync(job->endpoint,
                      SoapPost(job->path, job->delivery.action, job->delivery.envelope),
                      [weak, job](Result<net::HttpResponse> r) {
                        if (auto self = weak.lock()) self->Completed(job, std::move(r));
                      });
  }

  void Completed(const std::shared_ptr<Job>& job, Result<net::HttpResponse> r) {
    bool retry = false;
    bool delivered = false;
    std::chrono::milliseconds delay{0};
    DeliveryOutcome snapshot;
    {
      std::lock_guard lock(job->mu);
      DeliveryOutcome& o = job->outcome;
      if (r.ok()) {
        o.http_status = r->status;
        const auto fault = r->status >= 400 ? FaultIn(*r) : std::nullopt;
        if (r->status == 200 || r->status == 202 || r->status == 204 ||
            (o.attempts > 1 && r->status == 400 && IsDuplicateFault(fault))) {
          o.delivered = delivered = true;
          o.last_error = Status::Ok();
        } else {
          std::string m = "HTTP " + std::to_string(r->status);
          if (fault) m += ": SOAP fault: " + fault->reason;
          o.last_error =
              fault && fault->status_code
                  ? Status::Sgp(ErrorKind::kFailedPrecondition, fault->status_code->subject(),
                                fault->status_code->reason(), m)
                  : Status::Error(ErrorKind::kFailedPrecondition, m);
          retry = RetryableHttp(r->status);
        }
      } else {
        o.http_status = 0;
        o.last_error = r.status();
        retry = Retryable(r.status());
      }
      const auto now = std::chrono::steady_clock::now();
      if (retry && (o.attempts >= options.retry.max_attempts ||
                    now + job->next_delay >= job->delivery.deadline)) {
        retry = false;
      }
      delay = job->next_delay;
      job->next_delay =
          std::min(options.retry.max_delay,
                   std::chrono::milliseconds(static_cast<int64_t>(
                       static_cast<double>(job->next_delay.count()) * options.retry.factor)));
      snapshot = o;
    }
    if (delivered || !retry) return Finish(job);
    if (options.on_retry) options.on_retry(snapshot);
    std::weak_ptr<Impl> weak = weak_from_this();
    scheduler.After(delay, [weak, job] {
      if (auto self = weak.lock()) self->Attempt(job);
    });
  }

  DelivererOptions options;
  net::HttpClient* client;  // owned by the Deliverer, destroyed after the scheduler stopped
  Scheduler scheduler;
  mutable std::mutex mu;
  std::map<Job*, std::shared_ptr<Job>> jobs;
  bool stopped = false;
};

Deliverer::Deliverer(DelivererOptions options)
    : client_(std::make_unique<net::HttpClient>(options.http)),
      impl_(std::make_shared<Impl>(std::move(options), client_.get())) {}

Deliverer::~Deliverer() {
  Shutdown();
  // Stops the client threads while impl_ is still owned here, so the last reference to Impl is
  // never dropped on a client thread.
  client_.reset();
}

void Deliverer::Deliver(Delivery delivery, OutcomeCallback done) {
  auto job = std::make_shared<Impl::Job>();
  job->outcome.url = delivery.url;
  job->outcome.action = delivery.action;
  job->outcome.message_id = delivery.message_id;
  job->outcome.relates_to = delivery.relates_to;
  job->done = std::move(done);
  job->next_delay = impl_->options.retry.initial_delay;
  auto url = ParseUrl(delivery.url);
  if (!url.ok() || (!url->tls && !impl_->options.allow_plain_http) ||
      (url->tls && !impl_->options.tls)) {
    job->outcome.last_error =
        url.ok() ? InvalidArgument("no TLS configuration for " + delivery.url) : url.status();
    if (url.ok() && !url->tls && !impl_->options.allow_plain_http) {
      job->outcome.last_error = InvalidArgument("plain http callbacks are not allowed");
    }
    job->finished = true;
    if (job->done) job->done(job->outcome);
    return;
  }
  job->endpoint.host = url->host;
  job->endpoint.port = url->port;
  if (url->tls) {
    job->endpoint.tls = impl_->options.tls;
    job->endpoint.expected_entity_oid = delivery.expected_oid;
  }
  job->path = url->path;
  job->delivery = std::move(delivery);
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopped) {
      job->outcome.last_error = Status::Error(ErrorKind::kUnavailable, "deliverer stopped");
      job->finished = true;
    } else {
      impl_->jobs[job.get()] = job;
    }
  }
  if (job->finished) {
    if (job->done) job->done(job->outcome);
    return;
  }
  impl_->Attempt(job);
}

size_t Deliverer::in_flight() const {
  std::lock_guard lock(impl_->mu);
  return impl_->jobs.size();
}

void Deliverer::Shutdown() {
  std::vector<std::shared_ptr<Impl::Job>> left;
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopped) return;
    impl_->stopped = true;
    for (auto& [ptr, job] : impl_->jobs) left.push_back(job);
  }
  impl_->scheduler.Stop();
  const Status reason = Status::Error(ErrorKind::kUnavailable, "shut down before delivery");
  for (auto& job : left) impl_->Finish(job, &reason);
}

}  // namespace m2mrsp::binding
