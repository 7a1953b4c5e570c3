// SessionStore: the "sessions" repository, the durable state of the OTA sessions the SM-SR holds
// with an eUICC (SCP81 admin sessions over PSK-TLS, SCP80 SMS exchanges) and the SCP03/SCP03t
// sessions the SM-DP holds with an ISD-P (digest sgp02-architecture.md §6, §8.8, §10.3 "SMS/HTTPS
// session state"), so that a restarted or different process resumes a session where it stopped.
//
// A session is identified by a caller-chosen id and belongs to (EID, kind, target security
// domain); at most one live (opening, open, closing) session exists per such triple, across
// processes (a unique partial index). It records when it opened and expires, the position of the
// next pending command of its script, the serialized protocol state (opaque here; it may hold
// session keys, so it travels as SecretBytes) and the process that drives it.
//
// Updates are optimistic: a record carries the version it was read at, Update/Expire/Delete
// refuse (kFailedPrecondition) when the stored version moved on, and a successful write bumps
// the caller's copy. State changes follow opening → open → closing → closed, any live state →
// closed or expired; closed and expired are final. A live session whose expires_at has passed
// is dead even before ExpireOverdue marks it: FindLive does not return it, Update only lets it
// be closed or expired, and Create of a successor for the same triple marks it expired first.
// ExpireOverdue marks live sessions past their expiry; Sweep deletes finished ones after a
// retention period. Times are the injected Clock's.
//
// Key material at rest: every copy this class makes of protocol_state (bound parameters,
// fetched rows) is wiped with SecureWipe; on SQLite the store turns on `PRAGMA secure_delete`
// for its connection, so deleted or overwritten values are zeroed in the database file (old
// page images can remain in the WAL file until a checkpoint overwrites them). On PostgreSQL,
// dead row versions stay on disk until VACUUM reuses them: erasing them (VACUUM, at-rest
// encryption of the data directory and WAL) is the operator's, as are the drivers' own copies.
// Not thread-safe (one Connection); use one store per worker thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/secret.h"
#include "store/sql.h"

namespace m2mrsp::store {

enum class SessionKind { kScp81Admin, kScp80, kScp03, kScp03t };
std::string_view SessionKindName(SessionKind k);

enum class SessionState { kOpening, kOpen, kClosing, kClosed, kExpired };
std::string_view SessionStateName(SessionState s);
bool IsLive(SessionState s);

struct NewSession {
  std::string id;  // caller-chosen, unique (e.g. a UUID or the PSK identity of the session)
  std::string eid;
  SessionKind kind = SessionKind::kScp81Admin;
  std::string target;  // AID (hex) of the ISD-R or ISD-P at the other end; may be empty
  SessionState state = SessionState::kOpening;
  Clock::WallTime expires_at;
  std::string owner;  // process / worker driving the session; may be empty
  SecretBytes protocol_state;
};

struct SessionRecord {
  std::string id;
  std::string eid;
  SessionKind kind = SessionKind::kScp81Admin;
  std::string target;
  SessionState state = SessionState::kOpening;
  int64_t opened_at = 0;        // ms since the epoch
  int64_t expires_at = 0;       // ms since the epoch
  int64_t script_position = 0;  // index of the next pending command of the session's script
  SecretBytes protocol_state;
  std::string owner;
  int64_t version = 0;
};

class SessionStore {
 public:
  SessionStore(Connection& conn, const Clock& clock) : conn_(conn), clock_(clock) {}

  // kAlreadyExists when the id is taken or a live session exists for (eid, kind, target);
  // kInvalidArgument for an empty id/eid, a non-live initial state or an expiry in the past.
  Result<SessionRecord> Create(const NewSession& s);
  Result<SessionRecord> Get(const std::string& id);  // kNotFound
  // The live, unexpired session of (eid, kind, target), if any.
  Result<std::optional<SessionRecord>> FindLive(const std::string& eid, SessionKind kind,
                                                const std::string& target);
  // Every session of an EID (live or finished), oldest first, at most `limit`.
  Result<std::vector<SessionRecord>> ListForEid(const std::string& eid, size_t limit = 100);

  // Writes state, expires_at, script_position, protocol_state and owner of `s` if the stored
  // version is still s.version; bumps s.version. kFailedPrecondition on a version conflict, on a
  // forbidden state change, when the stored session is final, or when its stored expiry has
  // passed and the new state is live; kNotFound if it is gone.
  Status Update(SessionRecord& s);
  // Marks a live session expired (same version check).
  Status Expire(SessionRecord& s);
  // Removes a session (same version check).
  Status Delete(const SessionRecord& s);

  // Live sessions whose expiry has passed become expired; returns how many.
  Result<int64_t> ExpireOverdue();
  // Deletes closed and expired sessions last changed more than `retention` ago; returns how many.
  Result<int64_t> Sweep(std::chrono::milliseconds retention);

 private:
  Status Conflict(const std::string& id, int64_t version);
  // Per-connection settings (SQLite secure_delete), once, before the first statement.
  Status PrepareConnection();

  Connection& conn_;
  const Clock& clock_;
  bool connection_ready_ = false;
};

}  // namespace m2mrsp::store
