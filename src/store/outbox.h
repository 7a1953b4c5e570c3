// NotificationOutbox: notifications (ES2/ES3/ES4 HandleNotification..., async responses) are
// written in the same transaction as the state change that causes them and delivered later by a
// sender that claims due items with a lease; failed deliveries back off and, after
// `max_attempts`, are parked as `dead` for an operator to see. Nothing is lost across restarts.
// Each claim takes the next fencing token of the item; MarkDelivered/MarkFailed present the
// claim and are refused (kFailedPrecondition) once a newer claim exists, so a sender that stalled
// past its lease cannot overwrite the outcome of the sender that took over, even under a reused
// owner name. On PostgreSQL, due items are claimed with FOR UPDATE SKIP LOCKED. Not thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "base/clock.h"
#include "store/sql.h"

namespace m2mrsp::store {

// The claim a sender holds on one item: what every write-back presents.
struct OutboxLease {
  int64_t id = 0;
  std::string owner;
  int64_t fence = 0;
};

struct OutboxItem {
  int64_t id = 0;
  std::string destination;  // an endpoint URL or entity id
  std::string kind;         // e.g. "ES3.HandleProfileEnabledNotification"
  Bytes body;
  int64_t attempts = 0;  // delivery attempts started, this one included
  std::string owner;
  int64_t fence = 0;  // token of this claim
  OutboxLease lease() const { return {id, owner, fence}; }
};

class NotificationOutbox {
 public:
  NotificationOutbox(Connection& conn, const Clock& clock, int64_t max_attempts = 10)
      : conn_(conn), clock_(clock), max_attempts_(max_attempts) {}

  Result<int64_t> Enqueue(const std::string& destination, const std::string& kind,
                          const Bytes& body);
  // Up to `max` due items, leased to `owner` for `lease`.
  Result<std::vector<OutboxItem>> ClaimDue(const std::string& owner,
                                           std::chrono::milliseconds lease, size_t max);
  Status MarkDelivered(const OutboxLease& claim);
  // Schedules a retry after `backoff`, or parks the item as dead after max_attempts.
  Status MarkFailed(const OutboxLease& claim, const std::string& error,
                    std::chrono::milliseconds backoff);
  // Counts per state ("pending", "sending", "delivered", "dead").
  Result<int64_t> CountInState(const std::string& state);

 private:
  Status Refused(const OutboxLease& claim);

  Connection& conn_;
  const Clock& clock_;
  int64_t max_attempts_;
};

}  // namespace m2mrsp::store
