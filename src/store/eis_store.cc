#include "store/eis_store.h"

namespace m2mrsp::store {
namespace {

Status UnknownEid(const Eid& eid) {
  return Status::Sgp(ErrorKind::kNotFound, "8.1.1", "3.9", "unknown EID " + eid.ToString());
}

}  // namespace

int64_t ToMillis(Clock::WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

Status EisStore::Insert(EisRecord& record) {
  record.version = 1;
  record.updated_at = ToMillis(clock_.Now());
  auto r = conn_.Execute(
      "INSERT INTO eis (eid, smsr_id, eum_id, document, version, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {record.eid.ToString(), record.smsr_id, record.eum_id, record.document, record.version,
       record.updated_at});
  if (!r.ok() && r.status().kind() == ErrorKind::kAlreadyExists) {
    return Status::Sgp(ErrorKind::kAlreadyExists, "8.1.1", "3.3",
                       "EID " + record.eid.ToString() + " is already registered");
  }
  return r.status();
}

Result<EisRecord> EisStore::Get(const Eid& eid) {
  M2_ASSIGN_OR_RETURN(std::vector<Row> rows,
                      conn_.Query("SELECT smsr_id, eum_id, document, version, updated_at "
                                  "FROM eis WHERE eid = ?",
                                  {eid.ToString()}));
  if (rows.empty()) return UnknownEid(eid);
  const Row& r = rows[0];
  return EisRecord{eid, r.Text(0), r.Text(1), r.Blob(2), r.Int(3), r.Int(4)};
}

Status EisStore::Update(EisRecord& record) {
  const int64_t now = ToMillis(clock_.Now());
  M2_ASSIGN_OR_RETURN(
      int64_t n,
      conn_.Execute("UPDATE eis SET smsr_id = ?, eum_id = ?, document = ?, version = version + 1, "
                    "updated_at = ? WHERE eid = ? AND version = ?",
                    {record.smsr_id, record.eum_id, record.document, now, record.eid.ToString(),
                     record.version}));
  if (n == 1) {
    ++record.version;
    record.updated_at = now;
    return Status::Ok();
  }
  M2_ASSIGN_OR_RETURN(std::vector<Row> rows, conn_.Query("SELECT version FROM eis WHERE eid = ?",
                                                         {record.eid.ToString()}));
  if (rows.empty()) return UnknownEid(record.eid);
  return Status::Error(ErrorKind::kFailedPrecondition,
                       "EIS of " + record.eid.ToString() + " changed concurrently (version " +
                           std::to_string(rows[0].Int(0)) + ", expected " +
                           std::to_string(record.version) + ")");
}

Status EisStore::Delete(const Eid& eid) {
  M2_ASSIGN_OR_RETURN(int64_t n, conn_.Execute("DELETE FROM eis WHERE eid = ?", {eid.ToString()}));
  return n == 1 ? Status::Ok() : UnknownEid(eid);
}

Result<std::vector<Eid>> EisStore::List(const std::string& after, size_t limit) {
  M2_ASSIGN_OR_RETURN(std::vector<Row> rows,
                      conn_.Query("SELECT eid FROM eis WHERE eid > ? ORDER BY eid LIMIT ?",
                                  {after, static_cast<int64_t>(limit)}));
  std::vector<Eid> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    auto eid = Eid::Parse(r.Text(0));
    if (!eid.ok()) return eid.status().WithContext("stored EIS row");
    out.push_back(*eid);
  }
  return out;
}

Result<int64_t> EisStore::Count() {
  M2_ASSIGN_OR_RETURN(std::vector<Row> rows, conn_.Query("SELECT COUNT(*) FROM eis"));
  return rows.at(0).Int(0);
}

}  // namespace m2mrsp::store
