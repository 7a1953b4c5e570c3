#include "store/sqlite_connection.h"

#include <sqlite3.h>

#include <string>
#include <unordered_map>

namespace m2mrsp::store {
namespace {

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xFF;
  std::string msg = std::string("sqlite: ") + std::string(what) + ": " +
                    (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (primary == SQLITE_CONSTRAINT &&
      (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)) {
    return Status::Error(ErrorKind::kAlreadyExists, std::move(msg));
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Status::Error(ErrorKind::kUnavailable, std::move(msg));
  }
  return InternalError(std::move(msg));
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  Result<std::vector<Row>> Query(std::string_view sql, const Params& params) override {
    M2_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    M2_RETURN_IF_ERROR(Bind(stmt, params));
    std::vector<Row> rows;
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        const Status s = SqliteError(db_, sqlite3_extended_errcode(db_), "step");
        sqlite3_reset(stmt);
        return s;
      }
      Row row;
      const int n = sqlite3_column_count(stmt);
      row.cols.reserve(static_cast<size_t>(n));
      for (int i = 0; i < n; ++i) row.cols.push_back(Column(stmt, i));
      rows.push_back(std::move(row));
    }
    sqlite3_reset(stmt);
    return rows;
  }

  Result<int64_t> Execute(std::string_view sql, const Params& params) override {
    M2_RETURN_IF_ERROR(Query(sql, params).status());
    return static_cast<int64_t>(sqlite3_changes(db_));
  }

  Status ExecuteScript(std::string_view sql) override {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      const std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      return SqliteError(nullptr, rc, msg);
    }
    return Status::Ok();
  }

  Status Begin(bool for_write) override {
    return ExecuteScript(for_write ? "BEGIN IMMEDIATE" : "BEGIN");
  }
  Status Commit() override { return ExecuteScript("COMMIT"); }
  Status Rollback() override {
    if (sqlite3_get_autocommit(db_) != 0) return Status::Ok();  // nothing open
    return ExecuteScript("ROLLBACK");
  }

 private:
  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  Status Bind(sqlite3_stmt* stmt, const Params& params) {
    sqlite3_clear_bindings(stmt);
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
      return InternalError("sqlite: parameter count does not match the statement");
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const int idx = static_cast<int>(i + 1);
      int rc = SQLITE_OK;
      const Value& v = params[i];
      if (std::holds_alternative<std::monostate>(v)) {
        rc = sqlite3_bind_null(stmt, idx);
      } else if (const auto* n = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, idx, *n);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text64(stmt, idx, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      } else {
        const Bytes& b = std::get<Bytes>(v);
        rc = sqlite3_bind_blob64(stmt, idx, b.empty() ? "" : static_cast<const void*>(b.data()),
                                 b.size(), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "bind");
    }
    return Status::Ok();
  }

  static Value Column(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER:
        return static_cast<int64_t>(sqlite3_column_int64(stmt, i));
      case SQLITE_BLOB: {
        const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt, i));
        const int n = sqlite3_column_bytes(stmt, i);
        return Bytes(p, p + n);
      }
      case SQLITE_NULL:
        return std::monostate{};
      default: {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        const int n = sqlite3_column_bytes(stmt, i);
        return std::string(p != nullptr ? p : "", static_cast<size_t>(n));
      }
    }
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenSqlite(std::string_view path) {
  sqlite3* db = nullptr;
  const std::string p(path);
  const int rc = sqlite3_open_v2(
      p.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const Status s =
        Status::Error(ErrorKind::kIo, "sqlite: cannot open " + p + ": " +
                                          (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close_v2(db);
    return s;
  }
  auto conn = std::make_unique<SqliteConnection>(db);
  sqlite3_busy_timeout(db, 10000);
  M2_RETURN_IF_ERROR(conn->ExecuteScript(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"));
  return std::unique_ptr<Connection>(std::move(conn));
}

}  // namespace m2mrsp::store
