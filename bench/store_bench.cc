// Storage figures for docs/PERFORMANCE.md: EIS lookups by EID in a table of many eUICCs, and the
// operation-journal submit/claim/complete cycle, on SQLite (embedded default).
//   build/release/bench/store_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only
// M2MRSP_BENCH_EIS_ROWS sets the table size (default 1,000,000).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "base/clock.h"
#include "base/eid.h"
#include "store/eis_store.h"
#include "store/migrations.h"
#include "store/operation_journal.h"

using namespace m2mrsp;

namespace {

Eid MakeEid(int64_t i) {
  char prefix[31];
  std::snprintf(prefix, sizeof prefix, "8904903212345123%014lld", static_cast<long long>(i));
  return *Eid::FromPrefix(prefix);
}

struct Db {
  std::filesystem::path path;
  std::unique_ptr<store::Connection> conn;
  int64_t rows = 0;
};

Db& EisDb() {
  static Db db = [] {
    Db d;
    d.path = std::filesystem::temp_directory_path() / "m2mrsp-bench-eis.db";
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(d.path.string() + s);
    d.conn = std::move(store::Open("sqlite:" + d.path.string())).value();
    (void)store::Migrate(*d.conn);
    const char* env = std::getenv("M2MRSP_BENCH_EIS_ROWS");
    d.rows = env != nullptr ? std::atoll(env) : 1'000'000;
    FakeClock clock;
    store::EisStore eis(*d.conn, clock);
    const Bytes doc(600, 0x5A);  // about the size of an encoded EIS without profiles
    for (int64_t i = 0; i < d.rows;) {
      (void)d.conn->Begin(true);
      for (int64_t end = std::min(d.rows, i + 10'000); i < end; ++i) {
        store::EisRecord r{MakeEid(i), "SMSR-1", "EUM-1", doc};
        (void)eis.Insert(r);
      }
      (void)d.conn->Commit();
    }
    return d;
  }();
  return db;
}

void BM_EisGetByEid(benchmark::State& state) {
  Db& db = EisDb();
  FakeClock clock;
  store::EisStore eis(*db.conn, clock);
  int64_t i = 0;
  for (auto _ : state) {
    auto r = eis.Get(MakeEid((i * 7919) % db.rows));
    if (!r.ok()) state.SkipWithError("lookup failed");
    benchmark::DoNotOptimize(r);
    ++i;
  }
  state.counters["rows"] = static_cast<double>(db.rows);
}
BENCHMARK(BM_EisGetByEid);

// Submit + claim + complete of one operation: the journal work per platform operation.
void BM_JournalCycle(benchmark::State& state) {
  const auto path = std::filesystem::temp_directory_path() / "m2mrsp-bench-journal.db";
  for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + s);
  auto conn = std::move(store::Open("sqlite:" + path.string())).value();
  (void)store::Migrate(*conn);
  FakeClock clock;
  store::OperationJournal journal(*conn, clock);
  int64_t n = 0;
  for (auto _ : state) {
    const std::string id = std::to_string(n++);
    (void)journal.Submit(
        {"E" + id, "ES3.EnableProfile", "SMDP", id, {}, clock.Now() + std::chrono::hours(1)});
    auto op = journal.ClaimNext("w", std::chrono::seconds(30));
    if (!op.ok() || !op->has_value()) {
      state.SkipWithError("claim failed");
      break;
    }
    (void)journal.Complete((*op)->lease(), store::OperationState::kDone, {});
  }
}
BENCHMARK(BM_JournalCycle);

}  // namespace
