// The sessions repository (store/session_store.h) on every backend: create/load/update with the
// optimistic version check, one live session per (EID, kind, target), the state machine, expiry
// and sweeping, lapsed sessions, SQLite secure_delete, and two processes racing on one session.
#include "store/session_store.h"

#include <gtest/gtest.h>

#include <barrier>
#include <fstream>
#include <iterator>
#include <thread>

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

// Two processes (threads with their own connections) resume the same session at the same
// moment: both read version 1, a barrier releases both writes together, exactly one wins and
// the other is told to re-read. Repeated so that the interleavings vary.
TEST_P(SessionStoreTest, ConcurrentResumersOneWins) {
  SessionStore setup(*conn_, clock_);
  auto first = Connect();
  auto second = Connect();
  ASSERT_TRUE(first && second);
  for (int round = 0; round < 20; ++round) {
    const std::string id = "s-" + std::to_string(round);
    ASSERT_TRUE(setup.Create(Scp81(id, "E" + std::to_string(round))).ok());
    std::barrier start(2);
    Status results[2];
    auto resume = [&](Connection* conn, int who) {
      SessionStore store(*conn, clock_);
      auto mine = store.Get(id);
      start.arrive_and_wait();  // both have read version 1 before either writes
      if (!mine.ok()) {
        results[who] = mine.status();
        return;
      }
      mine->owner = "smsr-" + std::to_string(who);
      mine->script_position = who + 1;
      results[who] = store.Update(*mine);
    };
    std::thread a(resume, first.get(), 0);
    std::thread b(resume, second.get(), 1);
    a.join();
    b.join();
    ASSERT_NE(results[0].ok(), results[1].ok())
        << round << ": " << results[0].ToString() << " / " << results[1].ToString();
    const int winner = results[0].ok() ? 0 : 1;
    EXPECT_EQ(results[1 - winner].kind(), ErrorKind::kFailedPrecondition)
        << results[1 - winner].ToString();
    auto stored = setup.Get(id);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(stored->owner, "smsr-" + std::to_string(winner));
    EXPECT_EQ(stored->script_position, winner + 1);
    EXPECT_EQ(stored->version, 2);
  }
}

// A live session whose expiry has passed is dead before ExpireOverdue runs: FindLive skips it,
// a live-to-live Update (which would revive it with a later expiry) is refused, finishing it is
// allowed, and a successor for the same (EID, kind, target) can be created.
TEST_P(SessionStoreTest, ExpiredSessionIsNotFoundLiveNorRevived) {
  SessionStore store(*conn_, clock_);
  NewSession short_lived = Scp81("s-1");
  short_lived.expires_at = clock_.Now() + seconds(30);
  ASSERT_TRUE(store.Create(short_lived).ok());
  NewSession other = Scp81("s-2", "E2");
  other.expires_at = clock_.Now() + seconds(30);
  ASSERT_TRUE(store.Create(other).ok());
  const std::string isdr = "A0000005591010FFFFFFFF8900000100";
  ASSERT_TRUE(store.FindLive("E1", SessionKind::kScp81Admin, isdr)->has_value());

  clock_.Advance(seconds(30));  // expires_at == now: expired
  auto live = store.FindLive("E1", SessionKind::kScp81Admin, isdr);
  ASSERT_TRUE(live.ok());
  EXPECT_FALSE(live->has_value());

  auto s1 = store.Get("s-1");
  ASSERT_TRUE(s1.ok());
  s1->state = SessionState::kOpen;
  s1->expires_at = ToMillis(clock_.Now() + minutes(10));
  const Status revive = store.Update(*s1);
  EXPECT_EQ(revive.kind(), ErrorKind::kFailedPrecondition);
  EXPECT_NE(revive.message().find("expired"), std::string::npos) << revive.message();
  s1->state = SessionState::kOpening;  // a same-state write is live-to-live as well
  EXPECT_EQ(store.Update(*s1).kind(), ErrorKind::kFailedPrecondition);
  EXPECT_EQ(store.Get("s-1")->state, SessionState::kOpening);  // nothing written

  // A successor: the lapsed session is marked expired on the way.
  ASSERT_TRUE(store.Create(Scp81("s-3")).ok());
  EXPECT_EQ(store.Get("s-1")->state, SessionState::kExpired);
  EXPECT_EQ((*store.FindLive("E1", SessionKind::kScp81Admin, isdr))->id, "s-3");

  auto s2 = store.Get("s-2");
  s2->state = SessionState::kClosed;  // finishing a lapsed session is fine
  EXPECT_TRUE(store.Update(*s2).ok());
}

// SQLite only: the store's connection zeroes deleted protocol_state bytes in the database file.
class SqliteSessionStoreTest : public SessionStoreTest {
 protected:
  std::string FileText() const {
    std::ifstream in(path_, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
};

TEST_P(SqliteSessionStoreTest, DeletedStateIsZeroedOnDisk) {
  const Bytes marker = HexOrDie("5EC12E7D5EC12E7D5EC12E7D5EC12E7D5EC12E7D5EC12E7D5EC12E7D5EC12E7D");
  // Debian builds SQLite with SQLITE_SECURE_DELETE; others do not. Start from OFF so the test
  // shows that the store itself turns it on.
  ASSERT_TRUE(conn_->ExecuteScript("PRAGMA secure_delete = OFF").ok());
  SessionStore store(*conn_, clock_);
  NewSession s = Scp81("s-1");
  s.protocol_state = SecretBytes(marker);
  auto created = store.Create(s);
  ASSERT_TRUE(created.ok());
  auto pragma = conn_->Query("PRAGMA secure_delete");
  ASSERT_TRUE(pragma.ok() && !pragma->empty());
  EXPECT_EQ(pragma->at(0).Int(0), 1);
  ASSERT_TRUE(conn_->Query("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  const std::string needle(marker.begin(), marker.end());
  // The live row is in the file (so the check below can fail) …
  ASSERT_NE(FileText().find(needle), std::string::npos) << "the marker never reached the file";
  ASSERT_TRUE(store.Delete(*created).ok());
  ASSERT_TRUE(conn_->Query("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  // … and gone once deleted.
  EXPECT_EQ(FileText().find(needle), std::string::npos)
      << "deleted protocol_state left in the file";
}

INSTANTIATE_TEST_SUITE_P(Backends, SqliteSessionStoreTest, ::testing::Values(Dialect::kSqlite),
                         testing::BackendName);

INSTANTIATE_TEST_SUITE_P(Backends, SessionStoreTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace m2mrsp::store
