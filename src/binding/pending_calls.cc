#include "binding/pending_calls.h"

#include <vector>

namespace m2mrsp::binding {

std::shared_ptr<PendingCalls> PendingCalls::Create(size_t max_pending) {
  return std::shared_ptr<PendingCalls>(new PendingCalls(max_pending));
}

PendingCalls::~PendingCalls() {
  scheduler_.Stop();
  Shutdown();
}

Status PendingCalls::Add(const std::string& message_id, Call call,
                         std::chrono::milliseconds timeout) {
  uint64_t generation = 0;
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return Status::Error(ErrorKind::kUnavailable, "shutting down");
    if (calls_.size() >= max_pending_) return LimitExceeded("too many pending asynchronous calls");
    generation = next_generation_++;
    if (!calls_.emplace(message_id, Entry{std::move(call), generation}).second) {
      return Status::Error(ErrorKind::kAlreadyExists, "MessageID already pending");
    }
  }
  std::weak_ptr<PendingCalls> weak = weak_from_this();
  scheduler_.After(timeout, [weak, message_id, generation] {
    if (auto self = weak.lock()) self->Expire(message_id, generation);
  });
  return Status::Ok();
}

void PendingCalls::Expire(const std::string& message_id, uint64_t generation) {
  Completion done;
  {
    std::lock_guard lock(mu_);
    auto it = calls_.find(message_id);
    if (it == calls_.end() || it->second.generation != generation) return;
    done = std::move(it->second.call.done);
    calls_.erase(it);
  }
  // SGP.02 §5.1 ValidityPeriod elapsed without a callback: the caller reports Expired (1.6/5.3
  // in Njiwa's usage, architecture digest §7.4 [?]).
  if (done) {
    done(Status::Sgp(ErrorKind::kTimeout, "1.6", "5.3",
                     "no callback within the validity period of " + message_id));
  }
}

bool PendingCalls::Cancel(const std::string& message_id) {
  std::lock_guard lock(mu_);
  return calls_.erase(message_id) > 0;
}

Result<PendingCalls::Call> PendingCalls::Take(const std::string& relates_to,
                                              const std::string& from_oid,
                                              const std::string& action) {
  std::lock_guard lock(mu_);
  auto it = calls_.find(relates_to);
  if (it == calls_.end()) {
    return Status::Sgp(ErrorKind::kNotFound, "1.6", "3.9",
                       "RelatesTo matches no pending call (unknown, answered or expired)");
  }
  if (it->second.call.responder_oid != from_oid) {
    return Status::Sgp(ErrorKind::kSecurity, "1.1", "1.1",
                       "callback from an entity the call was not made to");
  }
  if (it->second.call.callback_action != action) {
    return Status::Sgp(ErrorKind::kParse, "1.6", "2.1", "callback Action does not fit the call");
  }
  Call call = std::move(it->second.call);
  calls_.erase(it);
  return call;
}

size_t PendingCalls::size() const {
  std::lock_guard lock(mu_);
  return calls_.size();
}

void PendingCalls::Shutdown() {
  std::vector<Completion> left;
  {
    std::lock_guard lock(mu_);
    shut_down_ = true;
    for (auto& [id, entry] : calls_) left.push_back(std::move(entry.call.done));
    calls_.clear();
  }
  for (Completion& done : left) {
    if (done) done(Status::Error(ErrorKind::kUnavailable, "shutting down before the callback"));
  }
}

}  // namespace m2mrsp::binding
