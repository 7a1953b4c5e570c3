// A small SQL layer shared by the SQLite and PostgreSQL backends (DESIGN.md §5).
//
// A Connection is one database session: prepared statements are cached per SQL text, values are
// always bound (never spliced into SQL), errors come back as Status. Statements use `?`
// placeholders; the PostgreSQL backend rewrites them to `$n`. Timestamps are integers
// (milliseconds since the epoch from the injected Clock), so both dialects store them alike.
// A Connection is not thread-safe: one per thread (or per worker), as with the C libraries.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

namespace m2mrsp::store {

enum class Dialect { kSqlite, kPostgres };

using Value = std::variant<std::monostate, int64_t, std::string, Bytes>;
using Params = std::vector<Value>;

struct Row {
  std::vector<Value> cols;
  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(cols.at(i)); }
  int64_t Int(size_t i) const;       // 0 for NULL
  std::string Text(size_t i) const;  // "" for NULL
  Bytes Blob(size_t i) const;        // empty for NULL
};

// Error kinds: kAlreadyExists for unique-constraint violations (callers rely on it for
// idempotence and per-EID serialisation), kUnavailable for busy/locked/connection loss,
// kInternal otherwise.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;

  virtual Result<std::vector<Row>> Query(std::string_view sql, const Params& params = {}) = 0;
  // Rows affected.
  virtual Result<int64_t> Execute(std::string_view sql, const Params& params = {}) = 0;
  // Several statements without parameters (migrations).
  virtual Status ExecuteScript(std::string_view sql) = 0;

  // Transactions. Begin(true) takes the write lock up front on SQLite (BEGIN IMMEDIATE) so
  // read-then-write sequences cannot deadlock; on PostgreSQL both are BEGIN.
  virtual Status Begin(bool for_write) = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
};

// Scoped transaction: rolls back unless Commit() was called.
class Transaction {
 public:
  static Result<Transaction> Start(Connection& conn, bool for_write = true);
  Transaction(Transaction&& other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Connection* conn) : conn_(conn) {}
  Connection* conn_;
};

// Opens a database from a URL:
//   sqlite:PATH                  (created if missing; WAL; ":memory:" for tests)
//   postgresql://... or postgres:CONNINFO   (libpq connection string after the colon)
Result<std::unique_ptr<Connection>> Open(std::string_view url);

// Runs `fn` in a write transaction, retrying up to `attempts` times on kUnavailable
// (SQLite busy, PostgreSQL serialization failure / deadlock).
Status WithTransaction(Connection& conn, const std::function<Status()>& fn, int attempts = 5);

}  // namespace m2mrsp::store
