#include "store/session_store.h"

#include <array>
#include <variant>

#include "store/eis_store.h"

namespace m2mrsp::store {
namespace {

constexpr const char* kColumns =
    "id, eid, kind, target, state, opened_at, expires_at, script_position, protocol_state, "
    "owner, version";

constexpr std::array<std::string_view, 4> kKinds = {"scp81-admin", "scp80", "scp03", "scp03t"};
constexpr std::array<std::string_view, 5> kStates = {"opening", "open", "closing", "closed",
                                                     "expired"};

template <typename E, size_t N>
Result<E> Parse(const std::array<std::string_view, N>& names, const std::string& text,
                std::string_view what) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  return InternalError("unknown session " + std::string(what) + " '" + text + "' in the store");
}

Result<SessionRecord> FromRow(const Row& r) {
  SessionRecord s;
  s.id = r.Text(0);
  s.eid = r.Text(1);
  M2_ASSIGN_OR_RETURN(s.kind, Parse<SessionKind>(kKinds, r.Text(2), "kind"));
  s.target = r.Text(3);
  M2_ASSIGN_OR_RETURN(s.state, Parse<SessionState>(kStates, r.Text(4), "state"));
  s.opened_at = r.Int(5);
  s.expires_at = r.Int(6);
  s.script_position = r.Int(7);
  s.protocol_state = SecretBytes::Adopt(r.Blob(8));
  s.owner = r.Text(9);
  s.version = r.Int(10);
  return s;
}

// The state machine of a session: forward only, final states stay final.
bool Allowed(SessionState from, SessionState to) {
  if (!IsLive(from)) return false;
  if (from == to) return true;
  switch (to) {
    case SessionState::kOpening:
      return false;
    case SessionState::kOpen:
      return from == SessionState::kOpening;
    case SessionState::kClosing:
      return from != SessionState::kClosing;
    case SessionState::kClosed:
    case SessionState::kExpired:
      return true;
  }
  return false;
}

// Bound parameters and fetched rows are plain Bytes (store/sql.h); protocol_state may hold
// session keys, so every such copy is wiped with SecureWipe when it goes out of scope, errors
// included. (The drivers' own copies — SQLite's SQLITE_TRANSIENT binding, libpq's buffers — are
// beyond our reach; see the header.)
void WipeValues(std::vector<Value>& values) {
  for (auto& v : values) {
    if (auto* b = std::get_if<Bytes>(&v)) SecureWipe(*b);
  }
}

class ParamsWiper {
 public:
  explicit ParamsWiper(Params& p) : p_(p) {}
  ParamsWiper(const ParamsWiper&) = delete;
  ParamsWiper& operator=(const ParamsWiper&) = delete;
  ~ParamsWiper() { WipeValues(p_); }

 private:
  Params& p_;
};

class RowsWiper {
 public:
  explicit RowsWiper(std::vector<Row>& rows) : rows_(rows) {}
  RowsWiper(const RowsWiper&) = delete;
  RowsWiper& operator=(const RowsWiper&) = delete;
  ~RowsWiper() {
    for (auto& r : rows_) WipeValues(r.cols);
  }

 private:
  std::vector<Row>& rows_;
};

Bytes Copy(const SecretBytes& s) { return Bytes(s.view().begin(), s.view().end()); }

constexpr const char* kLive = "('opening', 'open', 'closing')";

}  // namespace

std::string_view SessionKindName(SessionKind k) { return kKinds.at(static_cast<size_t>(k)); }
std::string_view SessionStateName(SessionState s) { return kStates.at(static_cast<size_t>(s)); }
bool IsLive(SessionState s) {
  return s == SessionState::kOpening || s == SessionState::kOpen || s == SessionState::kClosing;
}

Result<SessionRecord> SessionStore::Create(const NewSession& s) {
  M2_RETURN_IF_ERROR(PrepareConnection());
  const int64_t now = ToMillis(clock_.Now());
  if (s.id.empty() || s.eid.empty()) return InvalidArgument("a session needs an id and an EID");
  if (!IsLive(s.state)) return InvalidArgument("a new session must be opening or open");
  if (ToMillis(s.expires_at) <= now) return InvalidArgument("the session expiry has passed");
  // A live session of the triple whose expiry passed is dead (FindLive no longer returns it):
  // mark it expired so that the one-live-session index admits its successor.
  M2_RETURN_IF_ERROR(conn_
                         .Execute(std::string("UPDATE ota_session SET state = 'expired', "
                                              "version = version + 1, updated_at = ? WHERE eid = "
                                              "? AND kind = ? AND target = ? AND state IN ") +
                                      kLive + " AND expires_at <= ?",
                                  {now, s.eid, std::string(SessionKindName(s.kind)), s.target, now})
                         .status());
  Params params{s.id,
                s.eid,
                std::string(SessionKindName(s.kind)),
                s.target,
                std::string(SessionStateName(s.state)),
                now,
                ToMillis(s.expires_at),
                Copy(s.protocol_state),
                s.owner,
                now};
  ParamsWiper params_wiper(params);
  // ON CONFLICT DO NOTHING covers both the id and the one-live-session index without aborting a
  // surrounding PostgreSQL transaction.
  auto inserted = conn_.Query(
      std::string("INSERT INTO ota_session (id, eid, kind, target, state, opened_at, expires_at, "
                  "script_position, protocol_state, owner, version, updated_at) VALUES (?, ?, ?, "
                  "?, ?, ?, ?, 0, ?, ?, 1, ?) ON CONFLICT DO NOTHING RETURNING ") +
          kColumns,
      params);
  M2_RETURN_IF_ERROR(inserted.status());
  RowsWiper rows_wiper(*inserted);
  if (!inserted->empty()) return FromRow(inserted->at(0));
  M2_ASSIGN_OR_RETURN(std::vector<Row> same,
                      conn_.Query("SELECT 1 FROM ota_session WHERE id = ?", {s.id}));
  if (!same.empty()) {
    return Status::Error(ErrorKind::kAlreadyExists, "session " + s.id + " already exists");
  }
  return Status::Error(ErrorKind::kAlreadyExists, "a live " + std::string(SessionKindName(s.kind)) +
                                                      " session exists for " + s.eid);
}

Result<SessionRecord> SessionStore::Get(const std::string& id) {
  M2_RETURN_IF_ERROR(PrepareConnection());
  M2_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      conn_.Query(std::string("SELECT ") + kColumns + " FROM ota_session WHERE id = ?", {id}));
  RowsWiper rows_wiper(rows);
  if (rows.empty()) return Status::Error(ErrorKind::kNotFound, "no session " + id);
  return FromRow(rows[0]);
}

Result<std::optional<SessionRecord>> SessionStore::FindLive(const std::string& eid,
                                                            SessionKind kind,
                                                            const std::string& target) {
  M2_RETURN_IF_ERROR(PrepareConnection());
  // A live state whose expiry has passed is not live any more, whether or not ExpireOverdue has
  // run yet.
  M2_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      conn_.Query(std::string("SELECT ") + kColumns +
                      " FROM ota_session WHERE eid = ? AND kind = ? AND target = ? AND state IN " +
                      kLive + " AND expires_at > ?",
                  {eid, std::string(SessionKindName(kind)), target, ToMillis(clock_.Now())}));
  RowsWiper rows_wiper(rows);
  if (rows.empty()) return std::optional<SessionRecord>();
  M2_ASSIGN_OR_RETURN(SessionRecord s, FromRow(rows[0]));
  return std::optional<SessionRecord>(std::move(s));
}

Result<std::vector<SessionRecord>> SessionStore::ListForEid(const std::string& eid, size_t limit) {
  M2_RETURN_IF_ERROR(PrepareConnection());
  M2_ASSIGN_OR_RETURN(std::vector<Row> rows,
                      conn_.Query(std::string("SELECT ") + kColumns +
                                      " FROM ota_session WHERE eid = ? ORDER BY opened_at, id "
                                      "LIMIT ?",
                                  {eid, static_cast<int64_t>(limit)}));
  RowsWiper rows_wiper(rows);
  std::vector<SessionRecord> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    M2_ASSIGN_OR_RETURN(SessionRecord s, FromRow(r));
    out.push_back(std::move(s));
  }
  return out;
}

Status SessionStore::Update(SessionRecord& s) {
  M2_ASSIGN_OR_RETURN(SessionRecord stored, Get(s.id));
  if (stored.version != s.version) return Conflict(s.id, s.version);
  if (!Allowed(stored.state, s.state)) {
    return Status::Error(ErrorKind::kFailedPrecondition,
                         "session " + s.id + " cannot go from " +
                             std::string(SessionStateName(stored.state)) + " to " +
                             std::string(SessionStateName(s.state)));
  }
  const int64_t now = ToMillis(clock_.Now());
  // Once its expiry has passed a session may only be finished (closed or expired), never kept
  // alive by a write with a later expires_at. The stored expiry changes only with the version,
  // which the UPDATE below matches, so check and write stay one step.
  if (IsLive(s.state) && stored.expires_at <= now) {
    return Status::Error(ErrorKind::kFailedPrecondition,
                         "session " + s.id + " expired at " + std::to_string(stored.expires_at) +
                             " ms; it can only be closed or expired");
  }
  if (s.script_position < 0) return InvalidArgument("negative script position");
  Params params{std::string(SessionStateName(s.state)),
                s.expires_at,
                s.script_position,
                Copy(s.protocol_state),
                s.owner,
                now,
                s.id,
                s.version};
  ParamsWiper params_wiper(params);
  // The version in the WHERE clause makes the check and the write one atomic step.
  M2_ASSIGN_OR_RETURN(
      int64_t n,
      conn_.Execute("UPDATE ota_session SET state = ?, expires_at = ?, script_position = ?, "
                    "protocol_state = ?, owner = ?, version = version + 1, updated_at = ? WHERE "
                    "id = ? AND version = ?",
                    params));
  if (n != 1) return Conflict(s.id, s.version);
  ++s.version;
  return Status::Ok();
}

Status SessionStore::Expire(SessionRecord& s) {
  M2_RETURN_IF_ERROR(PrepareConnection());
  M2_ASSIGN_OR_RETURN(
      int64_t n,
      conn_.Execute("UPDATE ota_session SET state = 'expired', version = version + 1, "
                    "updated_at = ? WHERE id = ? AND version = ? AND state IN ('opening', 'open', "
                    "'closing')",
                    {ToMillis(clock_.Now()), s.id, s.version}));
  if (n != 1) {
    M2_ASSIGN_OR_RETURN(SessionRecord stored, Get(s.id));
    if (stored.version != s.version) return Conflict(s.id, s.version);
    return Status::Error(
        ErrorKind::kFailedPrecondition,
        "session " + s.id + " is already " + std::string(SessionStateName(stored.state)));
  }
  s.state = SessionState::kExpired;
  ++s.version;
  return Status::Ok();
}

Status SessionStore::Delete(const SessionRecord& s) {
  M2_RETURN_IF_ERROR(PrepareConnection());
  M2_ASSIGN_OR_RETURN(int64_t n, conn_.Execute("DELETE FROM ota_session WHERE id = ? AND "
                                               "version = ?",
                                               {s.id, s.version}));
  if (n == 1) return Status::Ok();
  M2_RETURN_IF_ERROR(Get(s.id).status());  // kNotFound when it is gone
  return Conflict(s.id, s.version);
}

Result<int64_t> SessionStore::ExpireOverdue() {
  M2_RETURN_IF_ERROR(PrepareConnection());
  const int64_t now = ToMillis(clock_.Now());
  return conn_.Execute(
      "UPDATE ota_session SET state = 'expired', version = version + 1, updated_at = ? WHERE "
      "state IN ('opening', 'open', 'closing') AND expires_at <= ?",
      {now, now});
}

Result<int64_t> SessionStore::Sweep(std::chrono::milliseconds retention) {
  M2_RETURN_IF_ERROR(PrepareConnection());
  return conn_.Execute(
      "DELETE FROM ota_session WHERE state IN ('closed', 'expired') AND updated_at <= ?",
      {ToMillis(clock_.Now()) - retention.count()});
}

Status SessionStore::PrepareConnection() {
  if (connection_ready_) return Status::Ok();
  // SQLite: deleted and overwritten protocol_state bytes are zeroed in the database pages
  // instead of left in free space (https://sqlite.org/pragma.html#pragma_secure_delete). The
  // pragma is per connection, so the first use of this store's connection sets it.
  if (conn_.dialect() == Dialect::kSqlite) {
    M2_RETURN_IF_ERROR(conn_.ExecuteScript("PRAGMA secure_delete = ON"));
  }
  connection_ready_ = true;
  return Status::Ok();
}

Status SessionStore::Conflict(const std::string& id, int64_t version) {
  return Status::Error(
      ErrorKind::kFailedPrecondition,
      "session " + id + " changed since version " + std::to_string(version) + " (read it again)");
}

}  // namespace m2mrsp::store
