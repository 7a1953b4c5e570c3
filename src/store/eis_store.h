// EisStore: the SM-SR's eUICC Information Sets, one row per EID (SGP.02 §5.1.1.2 EIS). The EIS
// document itself (as the ES codecs encode it) is opaque here; the store indexes the EID and the
// owning SM-SR/EUM, and guards concurrent updates with a version number (optimistic locking).
// Not thread-safe (uses one Connection).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/eid.h"
#include "store/sql.h"

namespace m2mrsp::store {

struct EisRecord {
  Eid eid;
  std::string smsr_id;
  std::string eum_id;
  Bytes document;
  int64_t version = 0;     // set by the store
  int64_t updated_at = 0;  // ms since the epoch, set by the store
};

class EisStore {
 public:
  EisStore(Connection& conn, const Clock& clock) : conn_(conn), clock_(clock) {}

  // Errors: kAlreadyExists with SGP.02 8.1.1 / 3.3 when the EID is registered already.
  Status Insert(EisRecord& record);
  // Errors: kNotFound with 8.1.1 / 3.9.
  Result<EisRecord> Get(const Eid& eid);
  // Replaces the document if the stored version is still `record.version`; bumps the version.
  // Errors: kNotFound, or kFailedPrecondition when someone else updated it first.
  Status Update(EisRecord& record);
  Status Delete(const Eid& eid);
  // EIDs in ascending order after `after` (exclusive), at most `limit`.
  Result<std::vector<Eid>> List(const std::string& after, size_t limit);
  Result<int64_t> Count();

 private:
  Connection& conn_;
  const Clock& clock_;
};

int64_t ToMillis(Clock::WallTime t);

}  // namespace m2mrsp::store
