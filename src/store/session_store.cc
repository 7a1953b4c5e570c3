#include "store/session_store.h"

#include <algorithm>
#include <array>

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

// Bound parameters are plain Bytes; the copy lives only for the statement.
Bytes Copy(const SecretBytes& s) { return Bytes(s.view().begin(), s.view().end()); }

}  // namespace

std::string_view SessionKindName(SessionKind k) { return kKinds.at(static_cast<size_t>(k)); }
std::string_view SessionStateName(SessionState s) { return kStates.at(static_cast<size_t>(s)); }
bool IsLive(SessionState s) {
  return s == SessionState::kOpening || s == SessionState::kOpen || s == SessionState::kClosing;
}

Result<SessionRecord> SessionStore::Create(const NewSession& s) {
  const int64_t now = ToMillis(clock_.Now());
  if (s.id.empty() || s.eid.empty()) return InvalidArgument("a session needs an id and an EID");
  if (!IsLive(s.state)) return InvalidArgument("a new session must be opening or open");
  if (ToMillis(s.expires_at) <= now) return InvalidArgument("the session expiry has passed");
  Bytes state = Copy(s.protocol_state);
  // ON CONFLICT DO NOTHING covers both the id and the one-live-session index without aborting a
  // surrounding PostgreSQL transaction.
  auto inserted = conn_.Query(
      std::string("INSERT INTO ota_session (id, eid, kind, target, state, opened_at, expires_at, "
                  "script_position, protocol_state, owner, version, updated_at) VALUES (?, ?, ?, "
                  "?, ?, ?, ?, 0, ?, ?, 1, ?) ON CONFLICT DO NOTHING RETURNING ") +
          kColumns,
      {s.id, s.eid, std::string(SessionKindName(s.kind)), s.target,
       std::string(SessionStateName(s.state)), now, ToMillis(s.expires_at), state, s.owner, now});
  std::fill(state.begin(), state.end(), 0);
  M2_RETURN_IF_ERROR(inserted.status());
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
  M2_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      conn_.Query(std::string("SELECT ") + kColumns + " FROM ota_session WHERE id = ?", {id}));
  if (rows.empty()) return Status::Error(ErrorKind::kNotFound, "no session " + id);
  return FromRow(rows[0]);
}

Result<std::optional<SessionRecord>> SessionStore::FindLive(const std::string& eid,
                                                            SessionKind kind,
                                                            const std::string& target) {
  M2_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      conn_.Query(std::string("SELECT ") + kColumns +
                      " FROM ota_session WHERE eid = ? AND kind = ? AND target = ? AND state IN "
                      "('opening', 'open', 'closing')",
                  {eid, std::string(SessionKindName(kind)), target}));
  if (rows.empty()) return std::optional<SessionRecord>();
  M2_ASSIGN_OR_RETURN(SessionRecord s, FromRow(rows[0]));
  return std::optional<SessionRecord>(std::move(s));
}

Result<std::vector<SessionRecord>> SessionStore::ListForEid(const std::string& eid, size_t limit) {
  M2_ASSIGN_OR_RETURN(std::vector<Row> rows,
                      conn_.Query(std::string("SELECT ") + kColumns +
                                      " FROM ota_session WHERE eid = ? ORDER BY opened_at, id "
                                      "LIMIT ?",
                                  {eid, static_cast<int64_t>(limit)}));
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
  if (s.script_position < 0) return InvalidArgument("negative script position");
  Bytes state = Copy(s.protocol_state);
  // The version in the WHERE clause makes the check and the write one atomic step.
  auto n = conn_.Execute(
      "UPDATE ota_session SET state = ?, expires_at = ?, script_position = ?, protocol_state = ?, "
      "owner = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
      {std::string(SessionStateName(s.state)), s.expires_at, s.script_position, state, s.owner,
       ToMillis(clock_.Now()), s.id, s.version});
  std::fill(state.begin(), state.end(), 0);
  M2_RETURN_IF_ERROR(n.status());
  if (*n != 1) return Conflict(s.id, s.version);
  ++s.version;
  return Status::Ok();
}

Status SessionStore::Expire(SessionRecord& s) {
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
  M2_ASSIGN_OR_RETURN(int64_t n, conn_.Execute("DELETE FROM ota_session WHERE id = ? AND "
                                               "version = ?",
                                               {s.id, s.version}));
  if (n == 1) return Status::Ok();
  M2_RETURN_IF_ERROR(Get(s.id).status());  // kNotFound when it is gone
  return Conflict(s.id, s.version);
}

Result<int64_t> SessionStore::ExpireOverdue() {
  const int64_t now = ToMillis(clock_.Now());
  return conn_.Execute(
      "UPDATE ota_session SET state = 'expired', version = version + 1, updated_at = ? WHERE "
      "state IN ('opening', 'open', 'closing') AND expires_at <= ?",
      {now, now});
}

Result<int64_t> SessionStore::Sweep(std::chrono::milliseconds retention) {
  return conn_.Execute(
      "DELETE FROM ota_session WHERE state IN ('closed', 'expired') AND updated_at <= ?",
      {ToMillis(clock_.Now()) - retention.count()});
}

Status SessionStore::Conflict(const std::string& id, int64_t version) {
  return Status::Error(
      ErrorKind::kFailedPrecondition,
      "session " + id + " changed since version " + std::to_string(version) + " (read it again)");
}

}  // namespace m2mrsp::store
