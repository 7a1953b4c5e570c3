#include "store/operation_journal.h"

#include "store/eis_store.h"

namespace m2mrsp::store {
namespace {

constexpr const char* kColumns =
    "id, eid, kind, requester, function_call_id, state, step, payload, result, owner, attempts, "
    "deadline, fence";

Result<OperationState> ParseState(const std::string& s) {
  if (s == "pending") return OperationState::kPending;
  if (s == "running") return OperationState::kRunning;
  if (s == "done") return OperationState::kDone;
  if (s == "failed") return OperationState::kFailed;
  if (s == "expired") return OperationState::kExpired;
  return InternalError("unknown operation state '" + s + "' in the journal");
}

Result<OperationRecord> FromRow(const Row& r) {
  OperationRecord op;
  op.id = r.Int(0);
  op.eid = r.Text(1);
  op.kind = r.Text(2);
  op.requester = r.Text(3);
  op.function_call_id = r.Text(4);
  M2_ASSIGN_OR_RETURN(op.state, ParseState(r.Text(5)));
  op.step = r.Int(6);
  op.payload = r.Blob(7);
  op.result = r.Blob(8);
  op.owner = r.Text(9);
  op.attempts = r.Int(10);
  op.deadline = r.Int(11);
  op.fence = r.Int(12);
  return op;
}

}  // namespace

std::string_view OperationStateName(OperationState s) {
  switch (s) {
    case OperationState::kPending:
      return "pending";
    case OperationState::kRunning:
      return "running";
    case OperationState::kDone:
      return "done";
    case OperationState::kFailed:
      return "failed";
    case OperationState::kExpired:
      return "expired";
  }
  return "pending";
}

Result<Submitted> OperationJournal::Submit(const NewOperation& op) {
  const int64_t now = ToMillis(clock_.Now());
  // ON CONFLICT DO NOTHING rather than catching the violation: on PostgreSQL a failed statement
  // would abort a surrounding transaction.
  M2_ASSIGN_OR_RETURN(
      std::vector<Row> inserted,
      conn_.Query("INSERT INTO operation (eid, kind, requester, function_call_id, state, payload, "
                  "deadline, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?) "
                  "ON CONFLICT (requester, function_call_id) DO NOTHING RETURNING id",
                  {op.eid, op.kind, op.requester, op.function_call_id, op.payload,
                   ToMillis(op.deadline), now, now}));
  if (!inserted.empty()) return Submitted{inserted[0].Int(0), true};
  M2_ASSIGN_OR_RETURN(std::vector<Row> rows,
                      conn_.Query("SELECT id FROM operation WHERE requester = ? AND "
                                  "function_call_id = ?",
                                  {op.requester, op.function_call_id}));
  if (rows.empty()) return InternalError("duplicate operation vanished");
  return Submitted{rows[0].Int(0), false};
}

Result<std::optional<OperationRecord>> OperationJournal::ClaimNext(
    const std::string& owner, std::chrono::milliseconds lease) {
  const int64_t now = ToMillis(clock_.Now());
  // Leases that ran out: their owner died or stalled. Back to pending, step kept.
  M2_RETURN_IF_ERROR(conn_
                         .Execute("UPDATE operation SET state = 'pending', owner = NULL, "
                                  "updated_at = ? WHERE state = 'running' AND lease_until < ?",
                                  {now, now})
                         .status());
  M2_RETURN_IF_ERROR(ExpireOverdue().status());
  const std::string pick =
      std::string(
          "SELECT o.id FROM operation o WHERE o.state = 'pending' AND o.deadline > ? "
          "AND NOT EXISTS (SELECT 1 FROM operation r WHERE r.eid = o.eid AND "
          "r.state = 'running') ORDER BY o.id LIMIT 1") +
      (conn_.dialect() == Dialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : "");
  const std::string claim =
      "UPDATE operation SET state = 'running', owner = ?, lease_until = ?, "
      "attempts = attempts + 1, fence = fence + 1, updated_at = ? WHERE id = (" +
      pick + ") RETURNING " + kColumns;
  // Two workers can pick different operations of one free EID at the same moment; the unique
  // index lets only one become running and the other retries with the next candidate.
  for (int attempt = 0; attempt < 8; ++attempt) {
    auto rows = conn_.Query(claim, {owner, now + lease.count(), now, now});
    if (rows.ok()) {
      if (rows->empty()) return std::optional<OperationRecord>();
      M2_ASSIGN_OR_RETURN(OperationRecord op, FromRow(rows->at(0)));
      return std::optional<OperationRecord>(std::move(op));
    }
    if (rows.status().kind() != ErrorKind::kAlreadyExists &&
        rows.status().kind() != ErrorKind::kUnavailable) {
      return rows.status();
    }
  }
  return std::optional<OperationRecord>();  // contended: try again later
}

// Write-backs match the row on (id, fence, owner, running): the fencing token alone decides
// whether this claim is still the current one; the owner check is defence in depth.
Status OperationJournal::SaveStep(const OperationLease& claim, int64_t step, const Bytes& payload,
                                  std::chrono::milliseconds lease) {
  const int64_t now = ToMillis(clock_.Now());
  M2_ASSIGN_OR_RETURN(int64_t n, conn_.Execute("UPDATE operation SET step = ?, payload = ?, "
                                               "lease_until = ?, updated_at = ? WHERE id = ? AND "
                                               "fence = ? AND owner = ? AND state = 'running'",
                                               {step, payload, now + lease.count(), now, claim.id,
                                                claim.fence, claim.owner}));
  return n == 1 ? Status::Ok() : Refused(claim);
}

Status OperationJournal::Complete(const OperationLease& claim, OperationState final_state,
                                  const Bytes& result) {
  if (final_state == OperationState::kPending || final_state == OperationState::kRunning) {
    return InvalidArgument("Complete needs a final state");
  }
  M2_ASSIGN_OR_RETURN(
      int64_t n,
      conn_.Execute("UPDATE operation SET state = ?, result = ?, owner = NULL, updated_at = ? "
                    "WHERE id = ? AND fence = ? AND owner = ? AND state = 'running'",
                    {std::string(OperationStateName(final_state)), result, ToMillis(clock_.Now()),
                     claim.id, claim.fence, claim.owner}));
  return n == 1 ? Status::Ok() : Refused(claim);
}

Status OperationJournal::Release(const OperationLease& claim) {
  M2_ASSIGN_OR_RETURN(int64_t n,
                      conn_.Execute("UPDATE operation SET state = 'pending', owner = NULL, "
                                    "updated_at = ? WHERE id = ? AND fence = ? AND owner = ? AND "
                                    "state = 'running'",
                                    {ToMillis(clock_.Now()), claim.id, claim.fence, claim.owner}));
  return n == 1 ? Status::Ok() : Refused(claim);
}

Status OperationJournal::Refused(const OperationLease& claim) {
  const std::string op = "operation " + std::to_string(claim.id);
  auto rows = conn_.Query("SELECT fence, state FROM operation WHERE id = ?", {claim.id});
  if (!rows.ok() || rows->empty()) {
    return Status::Error(ErrorKind::kFailedPrecondition, op + " not found (lease lost)");
  }
  const int64_t current = rows->at(0).Int(0);
  if (current > claim.fence) {
    return Status::Error(ErrorKind::kFailedPrecondition,
                         op + ": fencing token " + std::to_string(claim.fence) +
                             " is stale, a newer claim holds token " + std::to_string(current) +
                             " (lease lost)");
  }
  return Status::Error(ErrorKind::kFailedPrecondition,
                       op + " is " + rows->at(0).Text(1) + ", not running under token " +
                           std::to_string(claim.fence) + " of " + claim.owner);
}

Result<OperationRecord> OperationJournal::Get(int64_t id) {
  M2_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      conn_.Query(std::string("SELECT ") + kColumns + " FROM operation WHERE id = ?", {id}));
  if (rows.empty()) {
    return Status::Error(ErrorKind::kNotFound, "no operation " + std::to_string(id));
  }
  return FromRow(rows[0]);
}

Result<int64_t> OperationJournal::ExpireOverdue() {
  const int64_t now = ToMillis(clock_.Now());
  return conn_.Execute(
      "UPDATE operation SET state = 'expired', updated_at = ? WHERE state = "
      "'pending' AND deadline <= ?",
      {now, now});
}

}  // namespace m2mrsp::store
