// PendingCalls: the asynchronous calls we made whose callback has not arrived yet
// (es-messages.md §2.4 pattern 2). A call is keyed by the MessageID of its request; the callback
// is matched by its wsa:RelatesTo, and must come from the entity we called and carry the
// function's callback Action. A call not answered within its ValidityPeriod (SGP.02 §5.1:
// the provider must finish within it or report Expired) completes with kTimeout, and a
// callback arriving later is refused. Bounded (max_pending). Thread-safe; completions run
// outside the lock, on the thread that took the entry (server worker or scheduler).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "base/status.h"
#include "binding/scheduler.h"
#include "soap/envelope.h"

namespace m2mrsp::binding {

class PendingCalls : public std::enable_shared_from_this<PendingCalls> {
 public:
  // The callback's envelope (its body is the function's response element), or why none came.
  using Completion = std::function<void(Result<std::shared_ptr<const soap::ParsedEnvelope>>)>;

  struct Call {
    std::string responder_oid;    // the entity the request went to
    std::string callback_action;  // the response's "…CallBack" Action
    Completion done;
    // Decodes the response element strictly (es codecs); the server refuses a callback that
    // fails it (and completes the call with that error).
    std::function<Status(const soap::ParsedEnvelope&)> check;
  };

  static std::shared_ptr<PendingCalls> Create(size_t max_pending = 10000);
  ~PendingCalls();

  // Registers a call before its request is sent (the callback may overtake the 202).
  // Errors: kAlreadyExists (same MessageID), kLimitExceeded.
  Status Add(const std::string& message_id, Call call, std::chrono::milliseconds timeout);
  // Removes a call without completing it (its request was refused); false when absent.
  bool Cancel(const std::string& message_id);
  // The call a callback answers. Errors (SGP.02 codes): 1.6/3.9 no such pending call (unknown,
  // answered or expired); 1.1/1.1 the callback comes from another entity (the entry stays);
  // 1.6/2.1 wrong Action for the call (the entry stays).
  Result<Call> Take(const std::string& relates_to, const std::string& from_oid,
                    const std::string& action);
  size_t size() const;
  // Completes every call with kUnavailable ("shutting down"); later Adds fail.
  void Shutdown();

 private:
  explicit PendingCalls(size_t max_pending) : max_pending_(max_pending) {}
  void Expire(const std::string& message_id, uint64_t generation);

  const size_t max_pending_;
  mutable std::mutex mu_;
  struct Entry {
    Call call;
    uint64_t generation;
  };
  std::map<std::string, Entry> calls_;
  uint64_t next_generation_ = 0;
  bool shut_down_ = false;
  Scheduler scheduler_;  // last: stopped first on destruction
};

}  // namespace m2mrsp::binding
