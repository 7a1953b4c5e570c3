#include "binding/replay_cache.h"

namespace m2mrsp::binding {

std::string ReplayCache::Key(std::string_view entity_oid, std::string_view message_id) {
  std::string key;
  key.reserve(entity_oid.size() + 1 + message_id.size());
  key.append(entity_oid).push_back('\n');  // '\n' cannot occur in an OID
  key.append(message_id);
  return key;
}

void ReplayCache::Expire(Clock::MonoTime now) {
  while (!order_.empty() &&
         (now - order_.front().at >= options_.ttl || order_.size() > options_.capacity)) {
    const Entry& e = order_.front();
    // An id erased and received again has a newer entry; only the live entry removes it.
    if (auto it = seen_.find(e.key); it != seen_.end() && it->second == e.sequence) seen_.erase(it);
    order_.pop_front();
  }
}

bool ReplayCache::Insert(std::string_view entity_oid, std::string_view message_id) {
  const Clock::MonoTime now = clock_.Monotonic();
  std::string key = Key(entity_oid, message_id);
  std::lock_guard lock(mu_);
  Expire(now);
  const uint64_t sequence = next_sequence_++;
  if (!seen_.emplace(key, sequence).second) return false;
  order_.push_back(Entry{now, sequence, std::move(key)});
  Expire(now);  // capacity
  return true;
}

void ReplayCache::Erase(std::string_view entity_oid, std::string_view message_id) {
  // The deque entry stays until it expires; its sequence no longer matches anything.
  std::lock_guard lock(mu_);
  seen_.erase(Key(entity_oid, message_id));
}

size_t ReplayCache::size() const {
  std::lock_guard lock(mu_);
  return seen_.size();
}

}  // namespace m2mrsp::binding
