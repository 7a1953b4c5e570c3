// OperationJournal: the durable record of every platform operation (SGP.02 procedures run by the
// SM-SR/SM-DP), so that a restart resumes them and nothing is lost or done twice.
//
// - Submit is idempotent per (requester, FunctionCallIdentifier): a retried request finds its
//   first submission instead of creating a second operation.
// - At most one operation per EID is running at any time (a unique partial index enforces it
//   across processes); different EIDs run in parallel. ClaimNext picks the oldest pending
//   operation whose EID is free.
// - A claim is a lease: the owner persists each step (SaveStep extends the lease); if the owner
//   dies, the lease runs out and the operation returns to pending with its last saved step.
// - Every claim carries a fencing token, strictly greater than the token of any earlier claim of
//   the same operation. SaveStep, Complete and Release present the claim (OperationLease) and are
//   refused with kFailedPrecondition once a newer claim exists, so a worker that stalled past its
//   lease (GC pause, suspended VM) cannot overwrite the new owner's work, even if it comes back
//   under the same owner name (a restarted process reusing its name).
// - Pending operations past their deadline (ValidityPeriod) become `expired`.
// On PostgreSQL candidates are picked with FOR UPDATE SKIP LOCKED so concurrent workers do not
// queue on the same row; on SQLite writers are serialised by the database lock.
// Not thread-safe (one Connection); use one journal per worker thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "base/clock.h"
#include "store/sql.h"

namespace m2mrsp::store {

enum class OperationState { kPending, kRunning, kDone, kFailed, kExpired };
std::string_view OperationStateName(OperationState s);

struct NewOperation {
  std::string eid;
  std::string kind;              // e.g. "ES3.EnableProfile"
  std::string requester;         // entity id of the function requester
  std::string function_call_id;  // FunctionCallIdentifier
  Bytes payload;                 // the request, as the procedure needs it
  Clock::WallTime deadline;      // end of the ValidityPeriod
};

// The claim a worker holds on an operation: what every write-back presents.
struct OperationLease {
  int64_t id = 0;
  std::string owner;
  int64_t fence = 0;  // fencing token of this claim
};

struct OperationRecord {
  int64_t id = 0;
  std::string eid;
  std::string kind;
  std::string requester;
  std::string function_call_id;
  OperationState state = OperationState::kPending;
  int64_t step = 0;
  Bytes payload;
  Bytes result;
  std::string owner;
  int64_t attempts = 0;
  int64_t deadline = 0;  // ms since the epoch
  int64_t fence = 0;     // token of the latest claim (0: never claimed)
  OperationLease lease() const { return {id, owner, fence}; }
};

struct Submitted {
  int64_t id = 0;
  bool created = false;  // false: an earlier submission with the same call id exists
};

class OperationJournal {
 public:
  OperationJournal(Connection& conn, const Clock& clock) : conn_(conn), clock_(clock) {}

  Result<Submitted> Submit(const NewOperation& op);
  // The next runnable operation, now owned by `owner` until the lease ends; nullopt when none.
  // Call outside an explicit transaction (each statement commits on its own; a lost race on
  // the per-EID index is retried with the next candidate).
  Result<std::optional<OperationRecord>> ClaimNext(const std::string& owner,
                                                   std::chrono::milliseconds lease);
  // Persists progress and extends the lease. kFailedPrecondition when `claim` is no longer the
  // operation's current claim (a newer token exists, or it is not running any more).
  Status SaveStep(const OperationLease& claim, int64_t step, const Bytes& payload,
                  std::chrono::milliseconds lease);
  // Final state: kDone or kFailed (or kExpired when the procedure ran out of time).
  Status Complete(const OperationLease& claim, OperationState final_state, const Bytes& result);
  // Gives the operation back (e.g. device unreachable for now); it keeps its step.
  Status Release(const OperationLease& claim);
  Result<OperationRecord> Get(int64_t id);
  // Marks overdue pending operations expired; returns how many.
  Result<int64_t> ExpireOverdue();

 private:
  // The error for a write-back that matched no row, naming the newer claim when there is one.
  Status Refused(const OperationLease& claim);

  Connection& conn_;
  const Clock& clock_;
};

}  // namespace m2mrsp::store
