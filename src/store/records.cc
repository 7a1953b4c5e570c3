#include "store/records.h"

#include "store/eis_store.h"

namespace m2mrsp::store {

Result<int64_t> AuditTrail::Append(const AuditRecord& r) {
  const int64_t at = r.at != 0 ? r.at : ToMillis(clock_.Now());
  M2_ASSIGN_OR_RETURN(std::vector<Row> rows,
                      conn_.Query("INSERT INTO audit_trail (eid, at, actor, operation, iccid, "
                                  "outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                  {r.eid, at, r.actor, r.operation, r.iccid, r.outcome, r.detail}));
  return rows.at(0).Int(0);
}

Result<std::vector<AuditRecord>> AuditTrail::List(const std::string& eid, int64_t after_id,
                                                  size_t limit) {
  M2_ASSIGN_OR_RETURN(std::vector<Row> rows,
                      conn_.Query("SELECT id, eid, at, actor, operation, iccid, outcome, detail "
                                  "FROM audit_trail WHERE eid = ? AND id > ? ORDER BY id LIMIT ?",
                                  {eid, after_id, static_cast<int64_t>(limit)}));
  std::vector<AuditRecord> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    out.push_back(
        {r.Int(0), r.Text(1), r.Int(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Text(7)});
  }
  return out;
}

Result<int64_t> OtaCounterStore::Next(const std::string& eid, int64_t kvn) {
  // One statement: atomic on both backends; the row lock (PostgreSQL) or the database lock
  // (SQLite) serialises concurrent senders.
  M2_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      conn_.Query("INSERT INTO ota_counter (eid, kvn, counter) VALUES (?, ?, 1) ON CONFLICT (eid, "
                  "kvn) DO UPDATE SET counter = ota_counter.counter + 1 WHERE ota_counter.counter "
                  "< ? RETURNING counter",
                  {eid, kvn, kMaxCounter}));
  if (rows.empty()) {
    return LimitExceeded("SCP80 counter of " + eid + " key set " + std::to_string(kvn) +
                         " exhausted: replace the key set");
  }
  return rows[0].Int(0);
}

Result<int64_t> OtaCounterStore::Current(const std::string& eid, int64_t kvn) {
  M2_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      conn_.Query("SELECT counter FROM ota_counter WHERE eid = ? AND kvn = ?", {eid, kvn}));
  return rows.empty() ? 0 : rows[0].Int(0);
}

Status ProfileInventory::Add(const std::string& iccid, const std::string& profile_type,
                             const std::string& mno_id) {
  auto r = conn_.Execute(
      "INSERT INTO profile_inventory (iccid, profile_type, mno_id, state, "
      "updated_at) VALUES (?, ?, ?, 'available', ?)",
      {iccid, profile_type, mno_id, ToMillis(clock_.Now())});
  if (!r.ok() && r.status().kind() == ErrorKind::kAlreadyExists) {
    return Status::Sgp(ErrorKind::kAlreadyExists, "8.2.1", "3.3", "ICCID " + iccid + " exists");
  }
  return r.status();
}

Result<std::optional<std::string>> ProfileInventory::Reserve(const std::string& profile_type,
                                                             const std::string& reserved_by) {
  const std::string pick =
      std::string(
          "SELECT iccid FROM profile_inventory WHERE profile_type = ? AND state = "
          "'available' ORDER BY iccid LIMIT 1") +
      (conn_.dialect() == Dialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : "");
  M2_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      conn_.Query("UPDATE profile_inventory SET state = 'reserved', reserved_by = ?, updated_at = "
                  "? WHERE iccid = (" +
                      pick + ") RETURNING iccid",
                  {reserved_by, ToMillis(clock_.Now()), profile_type}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].Text(0));
}

Status ProfileInventory::MarkDownloaded(const std::string& iccid, const std::string& eid) {
  M2_ASSIGN_OR_RETURN(int64_t n, conn_.Execute("UPDATE profile_inventory SET state = "
                                               "'downloaded', eid = ?, updated_at = ? WHERE iccid "
                                               "= ? AND state = 'reserved'",
                                               {eid, ToMillis(clock_.Now()), iccid}));
  if (n != 1) {
    return Status::Sgp(ErrorKind::kFailedPrecondition, "8.2.1", "3.5",
                       "ICCID " + iccid + " is not reserved");
  }
  return Status::Ok();
}

Status ProfileInventory::ReleaseReservation(const std::string& iccid) {
  M2_ASSIGN_OR_RETURN(int64_t n, conn_.Execute("UPDATE profile_inventory SET state = "
                                               "'available', reserved_by = NULL, updated_at = ? "
                                               "WHERE iccid = ? AND state = 'reserved'",
                                               {ToMillis(clock_.Now()), iccid}));
  if (n != 1) {
    return Status::Sgp(ErrorKind::kFailedPrecondition, "8.2.1", "3.5",
                       "ICCID " + iccid + " is not reserved");
  }
  return Status::Ok();
}

Result<int64_t> ProfileInventory::CountAvailable(const std::string& profile_type) {
  M2_ASSIGN_OR_RETURN(std::vector<Row> rows,
                      conn_.Query("SELECT COUNT(*) FROM profile_inventory WHERE profile_type = ? "
                                  "AND state = 'available'",
                                  {profile_type}));
  return rows.at(0).Int(0);
}

}  // namespace m2mrsp::store
