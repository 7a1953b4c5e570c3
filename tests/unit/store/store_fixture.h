// Test fixture shared by the storage conformance suites: a fresh, migrated database per test on
// every backend, SQLite (a temporary file) and PostgreSQL (the server named by M2MRSP_TEST_PG, a
// libpq connection string; scripts/test.sh starts a throw-away cluster for it). Without
// M2MRSP_TEST_PG the PostgreSQL cases report SKIPPED, never passed.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "base/clock.h"
#include "base/eid.h"
#include "store/migrations.h"
#include "store/sql.h"

namespace m2mrsp::store::testing {

inline std::atomic<int> g_counter{0};

// A fresh, migrated database per test, and a way to open more connections to it. Set
// migrate_to_ before SetUp to stop at an older schema version (data-migration tests).
class StoreFixture : public ::testing::TestWithParam<Dialect> {
 public:
  void SetUp() override {
    const int n = g_counter++;
    if (GetParam() == Dialect::kSqlite) {
      path_ = std::filesystem::temp_directory_path() /
              ("m2mrsp-store-" + std::to_string(getpid()) + "-" + std::to_string(n) + ".db");
      url_ = "sqlite:" + path_.string();
    } else {
      const char* pg = std::getenv("M2MRSP_TEST_PG");
      if (pg == nullptr || *pg == '\0') GTEST_SKIP() << "M2MRSP_TEST_PG not set: no PostgreSQL";
      schema_ = "t" + std::to_string(getpid()) + "_" + std::to_string(n);
      auto admin = Open(std::string("postgres:") + pg);
      ASSERT_TRUE(admin.ok()) << admin.status().ToString();
      ASSERT_TRUE((*admin)->ExecuteScript("CREATE SCHEMA " + schema_).ok());
      url_ = std::string("postgres:") + pg + " options='-c search_path=" + schema_ + "'";
    }
    conn_ = Connect();
    ASSERT_TRUE(conn_ != nullptr);
    ASSERT_TRUE((migrate_to_ == 0 ? Migrate(*conn_) : MigrateTo(*conn_, migrate_to_)).ok());
  }

  void TearDown() override {
    conn_.reset();
    if (!path_.empty()) {
      for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(path_.string() + suffix);
    }
    if (!schema_.empty()) {
      auto admin = Open(std::string("postgres:") + std::getenv("M2MRSP_TEST_PG"));
      if (admin.ok()) (void)(*admin)->ExecuteScript("DROP SCHEMA " + schema_ + " CASCADE");
    }
  }

  std::unique_ptr<Connection> Connect() {
    auto c = Open(url_);
    if (!c.ok()) ADD_FAILURE() << c.status().ToString();
    return c.ok() ? std::move(c).value() : nullptr;
  }

  Eid MakeEid(int i) {
    char prefix[31];
    std::snprintf(prefix, sizeof prefix, "89049032123451234512%010d", i);
    return *Eid::FromPrefix(prefix);
  }

  FakeClock clock_;
  std::filesystem::path path_;
  std::string schema_;
  std::string url_;
  std::unique_ptr<Connection> conn_;
  int64_t migrate_to_ = 0;
};

inline std::string BackendName(const ::testing::TestParamInfo<Dialect>& info) {
  return info.param == Dialect::kSqlite ? "Sqlite" : "Postgres";
}

}  // namespace m2mrsp::store::testing
