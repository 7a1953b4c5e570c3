// The sessions repository (store/session_store.h) on every backend: create/load/update with the
// optimistic version check, one live session per (EID, kind, target), the state machine, expiry
// and sweeping, and two processes racing on one session.
#include "store/session_store.h"

#include <gtest/gtest.h>

#include "base/bytes.h"
#include "store/eis_store.h"
#include "store_fixture.h"

namespace m2mrsp::store {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

class SessionStoreTest : public testing::StoreFixture {
 public:
  NewSession Scp81(const std::string& id, const std::string& eid = "E1") {
    NewSession s;
    s.id = id;
    s.eid = eid;
    s.kind = SessionKind::kScp81Admin;
    s.target = "A0000005591010FFFFFFFF8900000100";  // ISD-R (SGP.02 Annex H)
    s.expires_at = clock_.Now() + minutes(5);
    s.owner = "smsr-1";
    s.protocol_state = SecretBytes(HexOrDie("0102030405"));
    return s;
  }
};

TEST_P(SessionStoreTest, CreateLoadAndUpdateWithVersions) {
  SessionStore store(*conn_, clock_);
  auto created = store.Create(Scp81("s-1"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->state, SessionState::kOpening);
  EXPECT_EQ(created->opened_at, ToMillis(clock_.Now()));
  EXPECT_EQ(created->script_position, 0);

  auto loaded = store.Get("s-1");
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->eid, "E1");
  EXPECT_EQ(loaded->kind, SessionKind::kScp81Admin);
  EXPECT_EQ(loaded->target, "A0000005591010FFFFFFFF8900000100");
  EXPECT_EQ(Bytes(loaded->protocol_state.view().begin(), loaded->protocol_state.view().end()),
            HexOrDie("0102030405"));
  EXPECT_EQ(store.Get("nope").status().kind(), ErrorKind::kNotFound);

  // Two readers; the first writer wins, the second must re-read.
  auto a = store.Get("s-1");
  auto b = store.Get("s-1");
  a->state = SessionState::kOpen;
  a->script_position = 3;
  a->protocol_state = SecretBytes(HexOrDie("AABB"));
  clock_.Advance(seconds(1));
  ASSERT_TRUE(store.Update(*a).ok());
  EXPECT_EQ(a->version, 2);
  b->script_position = 7;
  EXPECT_EQ(store.Update(*b).kind(), ErrorKind::kFailedPrecondition);
  auto now = store.Get("s-1");
  EXPECT_EQ(now->script_position, 3);
  EXPECT_EQ(now->state, SessionState::kOpen);
  EXPECT_EQ(now->version, 2);
  EXPECT_EQ(now->protocol_state.size(), 2u);
}

TEST_P(SessionStoreTest, OneLiveSessionPerEidKindAndTarget) {
  SessionStore store(*conn_, clock_);
  ASSERT_TRUE(store.Create(Scp81("s-1")).ok());
  EXPECT_EQ(store.Create(Scp81("s-1", "E2")).status().kind(), ErrorKind::kAlreadyExists);  // id
  EXPECT_EQ(store.Create(Scp81("s-2")).status().kind(), ErrorKind::kAlreadyExists);        // live
  NewSession other_kind = Scp81("s-3");
  other_kind.kind = SessionKind::kScp80;
  EXPECT_TRUE(store.Create(other_kind).ok());
  NewSession isdp = Scp81("s-4");
  isdp.kind = SessionKind::kScp03t;
  isdp.target = "A0000005591010FFFFFFFF8900001100";
  EXPECT_TRUE(store.Create(isdp).ok());
  EXPECT_TRUE(store.Create(Scp81("s-5", "E2")).ok());

  auto live = store.FindLive("E1", SessionKind::kScp81Admin, "A0000005591010FFFFFFFF8900000100");
  ASSERT_TRUE(live.ok() && live->has_value());
  EXPECT_EQ((*live)->id, "s-1");
  // Once the first is closed, a new one may open.
  auto s1 = store.Get("s-1");
  s1->state = SessionState::kClosed;
  ASSERT_TRUE(store.Update(*s1).ok());
  EXPECT_TRUE(store.Create(Scp81("s-2")).ok());
  EXPECT_EQ(store.ListForEid("E1")->size(), 4u);
  EXPECT_EQ(store.ListForEid("E1", 2)->size(), 2u);
  EXPECT_TRUE(store.ListForEid("E9")->empty());
}

TEST_P(SessionStoreTest, StateMachineAndInputChecks) {
  SessionStore store(*conn_, clock_);
  NewSession bad = Scp81("");
  EXPECT_EQ(store.Create(bad).status().kind(), ErrorKind::kInvalidArgument);
  bad = Scp81("x");
  bad.state = SessionState::kClosed;
  EXPECT_EQ(store.Create(bad).status().kind(), ErrorKind::kInvalidArgument);
  bad = Scp81("x");
  bad.expires_at = clock_.Now();
  EXPECT_EQ(store.Create(bad).status().kind(), ErrorKind::kInvalidArgument);

  auto s = store.Create(Scp81("s-1"));
  ASSERT_TRUE(s.ok());
  s->state = SessionState::kClosing;
  ASSERT_TRUE(store.Update(*s).ok());
  s->state = SessionState::kOpen;  // no way back
  EXPECT_EQ(store.Update(*s).kind(), ErrorKind::kFailedPrecondition);
  s->state = SessionState::kClosing;
  s->script_position = -1;
  EXPECT_EQ(store.Update(*s).kind(), ErrorKind::kInvalidArgument);
  s->script_position = 0;
  s->state = SessionState::kClosed;
  ASSERT_TRUE(store.Update(*s).ok());
  s->state = SessionState::kClosed;  // final: even a same-state write is refused
  EXPECT_EQ(store.Update(*s).kind(), ErrorKind::kFailedPrecondition);
  EXPECT_EQ(store.Expire(*s).kind(), ErrorKind::kFailedPrecondition);
}

TEST_P(SessionStoreTest, ExpireSweepAndDelete) {
  SessionStore store(*conn_, clock_);
  NewSession short_lived = Scp81("short");
  short_lived.expires_at = clock_.Now() + seconds(30);
  ASSERT_TRUE(store.Create(short_lived).ok());
  ASSERT_TRUE(store.Create(Scp81("long", "E2")).ok());
  auto explicit_one = store.Create(Scp81("explicit", "E3"));
  ASSERT_TRUE(explicit_one.ok());
  ASSERT_TRUE(store.Expire(*explicit_one).ok());
  EXPECT_EQ(explicit_one->state, SessionState::kExpired);
  EXPECT_EQ(explicit_one->version, 2);

  clock_.Advance(seconds(31));
  EXPECT_EQ(*store.ExpireOverdue(), 1);
  EXPECT_EQ(store.Get("short")->state, SessionState::kExpired);
  EXPECT_EQ(store.Get("long")->state, SessionState::kOpening);
  EXPECT_EQ(*store.ExpireOverdue(), 0);

  EXPECT_EQ(*store.Sweep(minutes(1)), 0);  // kept for the retention period
  clock_.Advance(minutes(1));
  EXPECT_EQ(*store.Sweep(minutes(1)), 2);
  EXPECT_EQ(store.Get("short").status().kind(), ErrorKind::kNotFound);
  EXPECT_TRUE(store.Get("long").ok());

  auto stale = store.Get("long");
  auto fresh = store.Get("long");
  fresh->owner = "smsr-2";
  ASSERT_TRUE(store.Update(*fresh).ok());
  EXPECT_EQ(store.Delete(*stale).kind(), ErrorKind::kFailedPrecondition);
  ASSERT_TRUE(store.Delete(*fresh).ok());
  EXPECT_EQ(store.Delete(*fresh).kind(), ErrorKind::kNotFound);
}

// Two processes (connections) resume the same session at once: exactly one update wins.
TEST_P(SessionStoreTest, ConcurrentResumersOneWins) {
  SessionStore store(*conn_, clock_);
  ASSERT_TRUE(store.Create(Scp81("s-1")).ok());
  auto other_conn = Connect();
  ASSERT_TRUE(other_conn);
  SessionStore other(*other_conn, clock_);
  auto mine = store.Get("s-1");
  auto theirs = other.Get("s-1");
  mine->owner = "smsr-1";
  mine->script_position = 1;
  theirs->owner = "smsr-2";
  theirs->script_position = 1;
  const Status a = store.Update(*mine);
  const Status b = other.Update(*theirs);
  EXPECT_NE(a.ok(), b.ok());
  EXPECT_EQ(store.Get("s-1")->owner, a.ok() ? "smsr-1" : "smsr-2");
}

INSTANTIATE_TEST_SUITE_P(Backends, SessionStoreTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace m2mrsp::store
