#include "store/outbox.h"

#include <algorithm>

#include "store/eis_store.h"

namespace m2mrsp::store {

Result<int64_t> NotificationOutbox::Enqueue(const std::string& destination, const std::string& kind,
                                            const Bytes& body) {
  const int64_t now = ToMillis(clock_.Now());
  M2_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      conn_.Query("INSERT INTO notification_outbox (destination, kind, body, state, "
                  "next_attempt_at, created_at) VALUES (?, ?, ?, 'pending', ?, ?) "
                  "RETURNING id",
                  {destination, kind, body, now, now}));
  return rows.at(0).Int(0);
}

Result<std::vector<OutboxItem>> NotificationOutbox::ClaimDue(const std::string& owner,
                                                             std::chrono::milliseconds lease,
                                                             size_t max) {
  const int64_t now = ToMillis(clock_.Now());
  // Every claim counts as an attempt, so an item whose sender keeps dying (a poison message)
  // is parked once it used up its attempts instead of being claimed forever.
  M2_RETURN_IF_ERROR(conn_
                         .Execute("UPDATE notification_outbox SET state = 'dead', owner = NULL, "
                                  "last_error = 'lease expired on the last attempt' WHERE state "
                                  "= 'sending' AND lease_until < ? AND attempts >= ?",
                                  {now, max_attempts_})
                         .status());
  // A sender that died while holding items: they become due again when the lease passes.
  const std::string due =
      std::string(
          "SELECT id FROM notification_outbox WHERE (state = 'pending' AND "
          "next_attempt_at <= ?) OR (state = 'sending' AND lease_until < ?) ORDER BY id "
          "LIMIT ?") +
      (conn_.dialect() == Dialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : "");
  M2_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      conn_.Query("UPDATE notification_outbox SET state = 'sending', owner = ?, lease_until = ?, "
                  "attempts = attempts + 1, fence = fence + 1 WHERE id IN (" +
                      due + ") RETURNING id, destination, kind, body, attempts, fence",
                  {owner, now + lease.count(), now, now, static_cast<int64_t>(max)}));
  std::vector<OutboxItem> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Blob(3), r.Int(4), owner, r.Int(5)});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

Status NotificationOutbox::MarkDelivered(const OutboxLease& claim) {
  M2_ASSIGN_OR_RETURN(int64_t n,
                      conn_.Execute("UPDATE notification_outbox SET state = 'delivered', owner = "
                                    "NULL WHERE id = ? AND fence = ? AND owner = ? AND state = "
                                    "'sending'",
                                    {claim.id, claim.fence, claim.owner}));
  return n == 1 ? Status::Ok() : Refused(claim);
}

Status NotificationOutbox::MarkFailed(const OutboxLease& claim, const std::string& error,
                                      std::chrono::milliseconds backoff) {
  const int64_t now = ToMillis(clock_.Now());
  M2_ASSIGN_OR_RETURN(
      int64_t n,
      conn_.Execute(
          "UPDATE notification_outbox SET last_error = ?, owner = NULL, "
          "next_attempt_at = ?, state = CASE WHEN attempts >= ? THEN 'dead' ELSE "
          "'pending' END WHERE id = ? AND fence = ? AND owner = ? AND state = 'sending'",
          {error, now + backoff.count(), max_attempts_, claim.id, claim.fence, claim.owner}));
  return n == 1 ? Status::Ok() : Refused(claim);
}

Status NotificationOutbox::Refused(const OutboxLease& claim) {
  const std::string item = "outbox item " + std::to_string(claim.id);
  auto rows = conn_.Query("SELECT fence, state FROM notification_outbox WHERE id = ?", {claim.id});
  if (!rows.ok() || rows->empty()) {
    return Status::Error(ErrorKind::kFailedPrecondition, item + " not found");
  }
  const int64_t current = rows->at(0).Int(0);
  if (current > claim.fence) {
    return Status::Error(ErrorKind::kFailedPrecondition,
                         item + ": fencing token " + std::to_string(claim.fence) +
                             " is stale, a newer claim holds token " + std::to_string(current) +
                             " (lease lost)");
  }
  return Status::Error(ErrorKind::kFailedPrecondition,
                       item + " is " + rows->at(0).Text(1) + ", not held under token " +
                           std::to_string(claim.fence) + " of " + claim.owner);
}

Result<int64_t> NotificationOutbox::CountInState(const std::string& state) {
  M2_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      conn_.Query("SELECT COUNT(*) FROM notification_outbox WHERE state = ?", {state}));
  return rows.at(0).Int(0);
}

}  // namespace m2mrsp::store
