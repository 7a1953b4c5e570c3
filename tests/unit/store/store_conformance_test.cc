// One conformance suite, run against every backend: SQLite (a temporary file) and PostgreSQL
// (the server named by M2MRSP_TEST_PG, a libpq connection string; scripts/test.sh starts a
// throw-away cluster for it). Without M2MRSP_TEST_PG the PostgreSQL cases report SKIPPED.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "base/iccid.h"
#include "store/eis_store.h"
#include "store/migrations.h"
#include "store/operation_journal.h"
#include "store/outbox.h"
#include "store/records.h"
#include "store_fixture.h"

namespace m2mrsp::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class StoreTest : public testing::StoreFixture {};

TEST_P(StoreTest, MigrationIsIdempotent) {
  EXPECT_TRUE(Migrate(*conn_).ok());
  auto rows = conn_->Query("SELECT MAX(version) FROM schema_version");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->at(0).Int(0), LatestSchemaVersion());
  // A database from a newer binary is refused.
  ASSERT_TRUE(conn_
                  ->Execute("INSERT INTO schema_version (version, description) VALUES (?, ?)",
                            {LatestSchemaVersion() + 1, std::string("future")})
                  .ok());
  EXPECT_EQ(Migrate(*conn_).kind(), ErrorKind::kFailedPrecondition);
}

TEST_P(StoreTest, EisLifecycle) {
  EisStore eis(*conn_, clock_);
  Bytes doc(256);
  for (size_t i = 0; i < doc.size(); ++i) doc[i] = static_cast<uint8_t>(i);  // every byte value
  EisRecord rec{MakeEid(1), "SMSR-1", "EUM-1", doc};
  ASSERT_TRUE(eis.Insert(rec).ok());
  EXPECT_EQ(rec.version, 1);
  Status dup = eis.Insert(rec);
  EXPECT_EQ(dup.kind(), ErrorKind::kAlreadyExists);
  EXPECT_EQ(dup.sgp()->reason(), "3.3");

  auto got = eis.Get(MakeEid(1));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->document, doc);
  EXPECT_EQ(got->smsr_id, "SMSR-1");
  auto missing = eis.Get(MakeEid(2));
  EXPECT_EQ(missing.status().sgp()->subject(), "8.1.1");
  EXPECT_EQ(missing.status().sgp()->reason(), "3.9");

  // Optimistic locking: the second writer with a stale version loses.
  EisRecord a = *got, b = *got;
  a.document = HexOrDie("01");
  b.document = HexOrDie("02");
  ASSERT_TRUE(eis.Update(a).ok());
  EXPECT_EQ(a.version, 2);
  EXPECT_EQ(eis.Update(b).kind(), ErrorKind::kFailedPrecondition);
  EXPECT_EQ(eis.Get(MakeEid(1))->document, HexOrDie("01"));

  for (int i = 2; i <= 5; ++i) {
    EisRecord r{MakeEid(i), "SMSR-1", "EUM-1", {}};
    ASSERT_TRUE(eis.Insert(r).ok());
  }
  EXPECT_EQ(*eis.Count(), 5);
  auto page = eis.List(MakeEid(2).ToString(), 2);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0], MakeEid(3));
  ASSERT_TRUE(eis.Delete(MakeEid(3)).ok());
  EXPECT_EQ(eis.Delete(MakeEid(3)).kind(), ErrorKind::kNotFound);
}

NewOperation Op(const std::string& eid, const std::string& call, const FakeClock& clock) {
  return NewOperation{eid,  "ES3.EnableProfile", "SMDP-1",
                      call, HexOrDie("AA"),      clock.Now() + seconds(3600)};
}

TEST_P(StoreTest, JournalSubmitIsIdempotent) {
  OperationJournal j(*conn_, clock_);
  auto a = j.Submit(Op("E1", "call-1", clock_));
  auto b = j.Submit(Op("E1", "call-1", clock_));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(a->created);
  EXPECT_FALSE(b->created);
  EXPECT_EQ(a->id, b->id);
}

TEST_P(StoreTest, JournalSerialisesPerEidAndResumesAfterLeaseLoss) {
  OperationJournal j(*conn_, clock_);
  const int64_t e1a = j.Submit(Op("E1", "c1", clock_))->id;
  const int64_t e1b = j.Submit(Op("E1", "c2", clock_))->id;
  const int64_t e2 = j.Submit(Op("E2", "c3", clock_))->id;

  auto first = j.ClaimNext("w1", seconds(30));
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->id, e1a);
  auto second = j.ClaimNext("w2", seconds(30));
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->id, e2);  // E1 is busy: its second operation waits
  auto none = j.ClaimNext("w3", seconds(30));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  ASSERT_TRUE(j.SaveStep((*first)->lease(), 2, HexOrDie("5354455032"), seconds(30)).ok());
  EXPECT_EQ(j.SaveStep({e1a, "w2", (*first)->fence}, 3, {}, seconds(30)).kind(),
            ErrorKind::kFailedPrecondition);

  // w1 dies: after its lease the operation is pending again, with its saved step.
  clock_.Advance(seconds(31));
  auto resumed = j.ClaimNext("w4", seconds(30));
  ASSERT_TRUE(resumed.ok() && resumed->has_value());
  const int64_t resumed_id = (*resumed)->id;
  EXPECT_TRUE(resumed_id == e1a || resumed_id == e2);
  if (resumed_id == e1a) {
    EXPECT_EQ((*resumed)->step, 2);
    EXPECT_EQ((*resumed)->payload, HexOrDie("5354455032"));
    EXPECT_EQ((*resumed)->attempts, 2);
  }
  EXPECT_EQ(j.Complete((*first)->lease(), OperationState::kDone, {}).kind(),
            ErrorKind::kFailedPrecondition);  // the dead owner cannot complete it
  // Drain: complete whatever we hold, then E1's second operation becomes claimable.
  std::set<int64_t> done;
  for (int i = 0; i < 10 && done.size() < 3; ++i) {
    auto c = j.ClaimNext("w5", seconds(30));
    ASSERT_TRUE(c.ok());
    if (!c->has_value()) {
      // Complete the one w4 holds.
      ASSERT_TRUE(j.Complete((*resumed)->lease(), OperationState::kDone, HexOrDie("01")).ok());
      done.insert(resumed_id);
      continue;
    }
    ASSERT_TRUE(j.Complete((*c)->lease(), OperationState::kDone, {}).ok());
    done.insert((*c)->id);
  }
  EXPECT_EQ(done, (std::set<int64_t>{e1a, e1b, e2}));
  EXPECT_EQ(j.Get(e1b)->state, OperationState::kDone);
  EXPECT_EQ(j.Get(12345).status().kind(), ErrorKind::kNotFound);
}

TEST_P(StoreTest, JournalExpiresOverduePendingOperations) {
  OperationJournal j(*conn_, clock_);
  NewOperation op = Op("E9", "late", clock_);
  op.deadline = clock_.Now() + seconds(10);
  const int64_t id = j.Submit(op)->id;
  clock_.Advance(seconds(11));
  auto c = j.ClaimNext("w", seconds(5));
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->has_value());
  EXPECT_EQ(j.Get(id)->state, OperationState::kExpired);
}

TEST_P(StoreTest, JournalConcurrentWorkersNeverOverlapOnAnEid) {
  {
    OperationJournal j(*conn_, clock_);
    for (int i = 0; i < 40; ++i) {
      ASSERT_TRUE(
          j.Submit(Op("E" + std::to_string(i % 8), "call-" + std::to_string(i), clock_)).ok());
    }
  }
  std::mutex mu;
  std::set<std::string> busy;
  std::map<int64_t, int> completions;
  std::atomic<bool> overlap{false};
  std::atomic<int> errors{0};
  auto worker = [&](int w) {
    auto conn = Connect();
    if (!conn) return;
    OperationJournal j(*conn, clock_);
    const std::string me = "worker-" + std::to_string(w);
    for (int idle = 0; idle < 50;) {
      auto c = j.ClaimNext(me, seconds(60));
      if (!c.ok()) {
        ++errors;
        return;
      }
      if (!c->has_value()) {
        ++idle;
        std::this_thread::sleep_for(milliseconds(2));
        continue;
      }
      const OperationRecord op = **c;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (!busy.insert(op.eid).second) overlap = true;
      }
      std::this_thread::sleep_for(milliseconds(1));
      {
        std::lock_guard<std::mutex> lock(mu);
        busy.erase(op.eid);
        ++completions[op.id];
      }
      if (!j.Complete(op.lease(), OperationState::kDone, {}).ok()) ++errors;
    }
  };
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) threads.emplace_back(worker, w);
  for (auto& t : threads) t.join();
  EXPECT_FALSE(overlap.load());
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(completions.size(), 40u);
  for (const auto& [id, n] : completions) EXPECT_EQ(n, 1) << "operation " << id;
}

TEST_P(StoreTest, OutboxDeliversRetriesAndParksDeadItems) {
  NotificationOutbox out(*conn_, clock_, /*max_attempts=*/3);
  const int64_t a =
      *out.Enqueue("https://mno.example/es2", "ES2.HandleProfileEnabled", HexOrDie("3C"));
  const int64_t b =
      *out.Enqueue("https://mno.example/es2", "ES2.HandleProfileDisabled", HexOrDie("3D"));
  auto claimed = out.ClaimDue("s1", seconds(10), 10);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_EQ((*claimed)[0].id, a);
  EXPECT_EQ((*claimed)[1].id, b);
  EXPECT_EQ((*claimed)[0].body, HexOrDie("3C"));
  EXPECT_EQ((*claimed)[0].attempts, 1);
  EXPECT_TRUE(out.ClaimDue("s2", seconds(10), 10)->empty());  // leased to s1
  ASSERT_TRUE(out.MarkDelivered((*claimed)[0].lease()).ok());
  EXPECT_EQ(out.MarkDelivered((*claimed)[0].lease()).kind(), ErrorKind::kFailedPrecondition);
  ASSERT_TRUE(out.MarkFailed((*claimed)[1].lease(), "HTTP 503", seconds(60)).ok());
  EXPECT_TRUE(out.ClaimDue("s2", seconds(10), 10)->empty());  // backing off
  clock_.Advance(seconds(61));
  auto retry = out.ClaimDue("s2", seconds(10), 10);
  ASSERT_EQ(retry->size(), 1u);
  EXPECT_EQ((*retry)[0].attempts, 2);
  // The sender dies: after the lease the item is due again (third attempt).
  clock_.Advance(seconds(11));
  auto again = out.ClaimDue("s3", seconds(10), 10);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].attempts, 3);
  ASSERT_TRUE(out.MarkFailed((*again)[0].lease(), "HTTP 503", seconds(1)).ok());
  EXPECT_EQ(*out.CountInState("dead"), 1);
  EXPECT_EQ(*out.CountInState("delivered"), 1);
}

TEST_P(StoreTest, OutboxParksAPoisonItemWhoseSenderKeepsDying) {
  NotificationOutbox out(*conn_, clock_, /*max_attempts=*/2);
  ASSERT_TRUE(out.Enqueue("https://mno.example/es2", "ES2.X", HexOrDie("00")).ok());
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(out.ClaimDue("s", seconds(10), 10)->size(), 1u);
    clock_.Advance(seconds(11));  // the sender crashed without a word
  }
  EXPECT_TRUE(out.ClaimDue("s", seconds(10), 10)->empty());
  EXPECT_EQ(*out.CountInState("dead"), 1);
}

TEST_P(StoreTest, AuditTrailAppendsInOrder) {
  AuditTrail audit(*conn_, clock_);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        audit.Append({0, "E1", 0, "SMDP-1", "Op" + std::to_string(i), "", "Executed-Success", ""})
            .ok());
  }
  ASSERT_TRUE(audit
                  .Append({0, "E2", 0, "MNO-A", "EnableProfile", "89000123456789012341",
                           "Failed 8.2.1/3.8", "POL2"})
                  .ok());
  auto list = audit.List("E1", 0, 10);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[2].operation, "Op2");
  EXPECT_EQ(audit.List("E1", (*list)[0].id, 10)->size(), 2u);
  EXPECT_EQ(audit.List("E2", 0, 10)->at(0).outcome, "Failed 8.2.1/3.8");
}

TEST_P(StoreTest, OtaCountersAreUniqueUnderConcurrencyAndBounded) {
  std::mutex mu;
  std::set<int64_t> seen;
  std::atomic<int> errors{0};
  auto worker = [&] {
    auto conn = Connect();
    if (!conn) return;
    OtaCounterStore counters(*conn);
    for (int i = 0; i < 25; ++i) {
      auto n = counters.Next("E1", 1);
      if (!n.ok()) {
        ++errors;
        continue;
      }
      std::lock_guard<std::mutex> lock(mu);
      seen.insert(*n);
    }
  };
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(*seen.rbegin(), 100);
  OtaCounterStore counters(*conn_);
  EXPECT_EQ(*counters.Current("E1", 1), 100);
  EXPECT_EQ(*counters.Next("E1", 2), 1);  // another key set counts on its own
  ASSERT_TRUE(conn_
                  ->Execute("UPDATE ota_counter SET counter = ? WHERE eid = ? AND kvn = ?",
                            {OtaCounterStore::kMaxCounter, std::string("E1"), int64_t{1}})
                  .ok());
  EXPECT_EQ(counters.Next("E1", 1).status().kind(), ErrorKind::kLimitExceeded);
}

TEST_P(StoreTest, InventoryReservesEachProfileOnce) {
  ProfileInventory inv(*conn_, clock_);
  for (int i = 0; i < 20; ++i) {
    const std::string iccid =
        Iccid::FromPayload("890001234567890" + std::to_string(1000 + i))->ToString();
    ASSERT_TRUE(inv.Add(iccid, "M2M-A", "MNO-A").ok());
  }
  EXPECT_EQ(inv.Add(Iccid::FromPayload("8900012345678901000")->ToString(), "M2M-A", "MNO-A").kind(),
            ErrorKind::kAlreadyExists);
  std::mutex mu;
  std::set<std::string> reserved;
  std::atomic<int> dup{0};
  auto worker = [&](int w) {
    auto conn = Connect();
    if (!conn) return;
    ProfileInventory mine(*conn, clock_);
    for (;;) {
      auto r = mine.Reserve("M2M-A", "call-" + std::to_string(w));
      if (!r.ok() || !r->has_value()) return;
      std::lock_guard<std::mutex> lock(mu);
      if (!reserved.insert(**r).second) ++dup;
    }
  };
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) threads.emplace_back(worker, w);
  for (auto& t : threads) t.join();
  EXPECT_EQ(dup.load(), 0);
  EXPECT_EQ(reserved.size(), 20u);
  EXPECT_EQ(*inv.CountAvailable("M2M-A"), 0);
  const std::string first = *reserved.begin();
  ASSERT_TRUE(inv.MarkDownloaded(first, "E1").ok());
  EXPECT_EQ(inv.ReleaseReservation(first).kind(), ErrorKind::kFailedPrecondition);
  ASSERT_TRUE(inv.ReleaseReservation(*reserved.rbegin()).ok());
  EXPECT_EQ(*inv.CountAvailable("M2M-A"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         testing::BackendName);

TEST(StoreOpen, RefusesBadUrls) {
  EXPECT_EQ(Open("mysql://x").status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_FALSE(Open("sqlite:/nonexistent-dir/x/y.db").ok());
  EXPECT_FALSE(Open("postgres:host=/nonexistent-socket-dir port=1 connect_timeout=1").ok());
}

}  // namespace
}  // namespace m2mrsp::store
