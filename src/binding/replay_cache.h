// ReplayCache: the MessageIDs already received, per sending entity, so that a replayed or
// duplicated request is refused (WS-Addressing 1.0 Core §3.2: MessageID uniquely identifies a
// message; euicc.root.xsd note: MessageId must be unique). Bounded twice: entries older than
// `ttl` are forgotten, and past `capacity` the oldest entry goes first (a flooding peer can
// only push out its own and others' oldest ids, never grow memory). Time is the injected Clock's
// monotonic time. Thread-safe.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/clock.h"

namespace m2mrsp::binding {

struct ReplayCacheOptions {
  size_t capacity = 100000;
  std::chrono::seconds ttl{24 * 3600};
};

class ReplayCache {
 public:
  ReplayCache(ReplayCacheOptions options, const Clock& clock) : options_(options), clock_(clock) {}

  // True when (entity, message_id) was not seen within the window (it is recorded now).
  bool Insert(std::string_view entity_oid, std::string_view message_id);
  // Forgets an id (used when a request was accepted but could not be queued: the sender may
  // retry it with the same MessageID).
  void Erase(std::string_view entity_oid, std::string_view message_id);
  size_t size() const;

 private:
  static std::string Key(std::string_view entity_oid, std::string_view message_id);
  void Expire(Clock::MonoTime now);

  const ReplayCacheOptions options_;
  const Clock& clock_;
  mutable std::mutex mu_;
  struct Entry {
    Clock::MonoTime at;
    uint64_t sequence;
    std::string key;
  };
  std::unordered_map<std::string, uint64_t> seen_;  // key → sequence of its live Entry
  std::deque<Entry> order_;                         // oldest first
  uint64_t next_sequence_ = 0;
};

}  // namespace m2mrsp::binding
