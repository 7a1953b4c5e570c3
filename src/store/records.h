// Smaller repositories: the audit trail (SGP.02 EIS AuditTrail records, append-only), the SCP80
// replay counters the SM-SR sends per eUICC and key set (strictly increasing, 40 bits, never
// reused even across restarts), and the SM-DP's profile inventory (ICCIDs reserved atomically,
// FOR UPDATE SKIP LOCKED on PostgreSQL). Not thread-safe (one Connection each).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "store/sql.h"

namespace m2mrsp::store {

struct AuditRecord {
  int64_t id = 0;  // set by the store
  std::string eid;
  int64_t at = 0;         // ms since the epoch; set from the clock when 0
  std::string actor;      // requesting entity
  std::string operation;  // e.g. "EnableProfile"
  std::string iccid;      // may be empty
  std::string outcome;    // e.g. "Executed-Success", "Failed 8.2.1/3.8"
  std::string detail;
};

class AuditTrail {
 public:
  AuditTrail(Connection& conn, const Clock& clock) : conn_(conn), clock_(clock) {}
  Result<int64_t> Append(const AuditRecord& record);
  // Records of one EID, oldest first, after record id `after_id`.
  Result<std::vector<AuditRecord>> List(const std::string& eid, int64_t after_id, size_t limit);

 private:
  Connection& conn_;
  const Clock& clock_;
};

class OtaCounterStore {
 public:
  static constexpr int64_t kMaxCounter = (int64_t{1} << 40) - 1;  // 5-byte CNTR (TS 102 225)
  explicit OtaCounterStore(Connection& conn) : conn_(conn) {}
  // Increments and returns the counter of (eid, kvn); the first value is 1. Errors with
  // kLimitExceeded once the 40-bit space is used up (the key set must be replaced).
  Result<int64_t> Next(const std::string& eid, int64_t kvn);
  // The last value handed out, 0 when none.
  Result<int64_t> Current(const std::string& eid, int64_t kvn);

 private:
  Connection& conn_;
};

class ProfileInventory {
 public:
  ProfileInventory(Connection& conn, const Clock& clock) : conn_(conn), clock_(clock) {}
  // Errors: kAlreadyExists with SGP.02 8.2.1 / 3.3 for a known ICCID.
  Status Add(const std::string& iccid, const std::string& profile_type, const std::string& mno_id);
  // Reserves one available profile of `profile_type` for `reserved_by` (a function call id);
  // nullopt when none is left.
  Result<std::optional<std::string>> Reserve(const std::string& profile_type,
                                             const std::string& reserved_by);
  // reserved → downloaded (on `eid`), or reserved → available again.
  Status MarkDownloaded(const std::string& iccid, const std::string& eid);
  Status ReleaseReservation(const std::string& iccid);
  Result<int64_t> CountAvailable(const std::string& profile_type);

 private:
  Connection& conn_;
  const Clock& clock_;
};

}  // namespace m2mrsp::store
