// Lease fencing tokens on the operation journal and the notification outbox, on every backend:
// each claim gets a strictly greater token, every write-back presents its claim, and a worker
// that stalled past its lease ("paused worker comes back") is refused even when it returns under
// the owner name of the new claim. Also: migration 2 gives existing rows tokens.
#include <gtest/gtest.h>

#include "base/bytes.h"
#include "store/eis_store.h"
#include "store/operation_journal.h"
#include "store/outbox.h"
#include "store_fixture.h"

namespace m2mrsp::store {
namespace {

using std::chrono::seconds;

class FencingTest : public testing::StoreFixture {};

NewOperation Op(const std::string& eid, const std::string& call, const FakeClock& clock) {
  return NewOperation{eid,  "ES4.EnableProfile", "MNO-1",
                      call, HexOrDie("AA"),      clock.Now() + seconds(3600)};
}

void ExpectStale(const Status& s) {
  EXPECT_EQ(s.kind(), ErrorKind::kFailedPrecondition) << s.ToString();
  EXPECT_NE(s.message().find("stale"), std::string::npos) << s.ToString();
}

TEST_P(FencingTest, JournalTokensGrowWithEveryClaim) {
  OperationJournal j(*conn_, clock_);
  const int64_t id = j.Submit(Op("E1", "c1", clock_))->id;
  EXPECT_EQ(j.Get(id)->fence, 0);
  int64_t last = 0;
  for (int i = 0; i < 3; ++i) {
    auto c = j.ClaimNext("w", seconds(10));
    ASSERT_TRUE(c.ok() && c->has_value());
    EXPECT_GT((*c)->fence, last);
    last = (*c)->fence;
    ASSERT_TRUE(j.Release((*c)->lease()).ok());
    EXPECT_EQ(j.Release((*c)->lease()).kind(), ErrorKind::kFailedPrecondition);  // once only
  }
  EXPECT_EQ(j.Get(id)->fence, last);  // Release does not move the token
}

// The review scenario: worker "w" claims, stalls past its lease, the operation is claimed again
// by a process that reuses the name "w" and saves progress; the stalled worker then wakes up.
TEST_P(FencingTest, PausedJournalWorkerComesBackUnderTheSameName) {
  OperationJournal j(*conn_, clock_);
  const int64_t id = j.Submit(Op("E1", "c1", clock_))->id;
  auto paused = j.ClaimNext("w", seconds(30));
  ASSERT_TRUE(paused.ok() && paused->has_value());
  const OperationLease old_claim = (*paused)->lease();
  ASSERT_TRUE(j.SaveStep(old_claim, 1, HexOrDie("01"), seconds(30)).ok());

  clock_.Advance(seconds(31));  // the pause outlives the lease
  auto fresh = j.ClaimNext("w", seconds(30));
  ASSERT_TRUE(fresh.ok() && fresh->has_value());
  ASSERT_EQ((*fresh)->id, id);
  EXPECT_EQ((*fresh)->owner, "w");
  EXPECT_GT((*fresh)->fence, old_claim.fence);
  ASSERT_TRUE(j.SaveStep((*fresh)->lease(), 2, HexOrDie("02"), seconds(30)).ok());

  // Every write-back of the stalled worker is refused and changes nothing.
  ExpectStale(j.SaveStep(old_claim, 9, HexOrDie("FF"), seconds(30)));
  ExpectStale(j.Complete(old_claim, OperationState::kFailed, HexOrDie("EE")));
  ExpectStale(j.Release(old_claim));
  auto rec = j.Get(id);
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->state, OperationState::kRunning);
  EXPECT_EQ(rec->step, 2);
  EXPECT_EQ(rec->payload, HexOrDie("02"));

  ASSERT_TRUE(j.Complete((*fresh)->lease(), OperationState::kDone, HexOrDie("01")).ok());
  EXPECT_EQ(j.Get(id)->state, OperationState::kDone);
  // After completion neither claim can touch it; the message says why.
  const Status late = j.Complete((*fresh)->lease(), OperationState::kFailed, {});
  EXPECT_EQ(late.kind(), ErrorKind::kFailedPrecondition);
  EXPECT_NE(late.message().find("done"), std::string::npos) << late.ToString();
  EXPECT_EQ(j.Complete({id + 100, "w", 1}, OperationState::kDone, {}).kind(),
            ErrorKind::kFailedPrecondition);
}

TEST_P(FencingTest, JournalRefusesAForgedOrWrongOwnerClaim) {
  OperationJournal j(*conn_, clock_);
  j.Submit(Op("E1", "c1", clock_)).value();
  auto c = j.ClaimNext("w1", seconds(30));
  ASSERT_TRUE(c.ok() && c->has_value());
  OperationLease wrong_owner = (*c)->lease();
  wrong_owner.owner = "w2";
  EXPECT_EQ(j.SaveStep(wrong_owner, 1, {}, seconds(30)).kind(), ErrorKind::kFailedPrecondition);
  OperationLease future = (*c)->lease();
  future.fence += 1;  // a token nobody was given
  EXPECT_EQ(j.Complete(future, OperationState::kDone, {}).kind(), ErrorKind::kFailedPrecondition);
  EXPECT_TRUE(j.Complete((*c)->lease(), OperationState::kDone, {}).ok());
}

TEST_P(FencingTest, PausedOutboxSenderComesBackUnderTheSameName) {
  NotificationOutbox out(*conn_, clock_, /*max_attempts=*/5);
  const int64_t id = *out.Enqueue("https://mno.example/es4", "ES4.HandleX", HexOrDie("3C"));
  auto first = out.ClaimDue("s", seconds(10), 10);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  const OutboxLease old_claim = (*first)[0].lease();
  EXPECT_EQ(old_claim.owner, "s");

  clock_.Advance(seconds(11));
  auto second = out.ClaimDue("s", seconds(10), 10);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].id, id);
  EXPECT_GT((*second)[0].fence, old_claim.fence);

  // The stalled sender's late "delivered" or "failed" must not land.
  ExpectStale(out.MarkDelivered(old_claim));
  ExpectStale(out.MarkFailed(old_claim, "timeout", seconds(1)));
  EXPECT_EQ(*out.CountInState("sending"), 1);
  ASSERT_TRUE(out.MarkFailed((*second)[0].lease(), "HTTP 503", seconds(5)).ok());
  EXPECT_EQ(*out.CountInState("pending"), 1);
  ExpectStale(out.MarkDelivered(old_claim));
  clock_.Advance(seconds(6));
  auto third = out.ClaimDue("s", seconds(10), 10);
  ASSERT_EQ(third->size(), 1u);
  ASSERT_TRUE(out.MarkDelivered((*third)[0].lease()).ok());
  EXPECT_EQ(*out.CountInState("delivered"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, FencingTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         testing::BackendName);

// A database at schema 1 holding claimed rows is migrated: tokens start at the claim count, the
// holder of the old claim (which has no token) is refused, and the next claim continues upwards.
class FencingMigrationTest : public testing::StoreFixture {
 public:
  FencingMigrationTest() { migrate_to_ = 1; }
};

TEST_P(FencingMigrationTest, ExistingRowsGetMonotonicTokens) {
  const int64_t now = ToMillis(clock_.Now());
  ASSERT_TRUE(conn_
                  ->Execute("INSERT INTO operation (eid, kind, requester, function_call_id, "
                            "state, step, payload, owner, lease_until, attempts, deadline, "
                            "created_at, updated_at) VALUES ('E1', 'ES4.EnableProfile', 'MNO-1', "
                            "'old-1', 'running', 3, ?, 'w', ?, 2, ?, ?, ?)",
                            {HexOrDie("03"), now + 5000, now + 3600000, now, now})
                  .ok());
  ASSERT_TRUE(conn_
                  ->Execute("INSERT INTO notification_outbox (destination, kind, body, state, "
                            "attempts, next_attempt_at, owner, lease_until, created_at) VALUES "
                            "('https://mno.example', 'ES4.X', ?, 'sending', 4, ?, 's', ?, ?)",
                            {HexOrDie("3C"), now, now + 5000, now})
                  .ok());
  ASSERT_TRUE(Migrate(*conn_).ok());

  OperationJournal j(*conn_, clock_);
  auto op = j.Get(1);
  ASSERT_TRUE(op.ok()) << op.status().ToString();
  EXPECT_EQ(op->fence, 2);
  EXPECT_EQ(op->step, 3);
  clock_.Advance(seconds(6));
  auto c = j.ClaimNext("w", seconds(30));
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->fence, 3);
  EXPECT_EQ((*c)->step, 3);
  ExpectStale(j.SaveStep({1, "w", 2}, 4, {}, seconds(30)));
  ASSERT_TRUE(j.Complete((*c)->lease(), OperationState::kDone, {}).ok());

  NotificationOutbox out(*conn_, clock_);
  auto items = out.ClaimDue("s", seconds(10), 10);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].fence, 5);
  ExpectStale(out.MarkDelivered({(*items)[0].id, "s", 4}));
  ASSERT_TRUE(out.MarkDelivered((*items)[0].lease()).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, FencingMigrationTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace m2mrsp::store
