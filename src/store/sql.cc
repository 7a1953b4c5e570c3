#include "store/sql.h"

#include <charconv>
#include <thread>

#include "store/postgres_connection.h"
#include "store/sqlite_connection.h"

namespace m2mrsp::store {

int64_t Row::Int(size_t i) const {
  const Value& v = cols.at(i);
  if (const auto* n = std::get_if<int64_t>(&v)) return *n;
  if (const auto* s = std::get_if<std::string>(&v)) {
    int64_t n = 0;
    std::from_chars(s->data(), s->data() + s->size(), n);  // 0 when not a number
    return n;
  }
  return 0;
}

std::string Row::Text(size_t i) const {
  const Value& v = cols.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  if (const auto* b = std::get_if<Bytes>(&v)) return std::string(b->begin(), b->end());
  return "";
}

Bytes Row::Blob(size_t i) const {
  const Value& v = cols.at(i);
  if (const auto* b = std::get_if<Bytes>(&v)) return *b;
  if (const auto* s = std::get_if<std::string>(&v)) return Bytes(s->begin(), s->end());
  return {};
}

Result<Transaction> Transaction::Start(Connection& conn, bool for_write) {
  M2_RETURN_IF_ERROR(conn.Begin(for_write));
  return Transaction(&conn);
}

Transaction::~Transaction() {
  if (conn_ != nullptr) (void)conn_->Rollback();
}

Status Transaction::Commit() {
  if (conn_ == nullptr) return Status::Error(ErrorKind::kFailedPrecondition, "transaction ended");
  Connection* c = conn_;
  conn_ = nullptr;
  return c->Commit();
}

Result<std::unique_ptr<Connection>> Open(std::string_view url) {
  if (url.rfind("sqlite:", 0) == 0) return OpenSqlite(url.substr(7));
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return OpenPostgres(url);
  }
  if (url.rfind("postgres:", 0) == 0) return OpenPostgres(url.substr(9));
  return InvalidArgument("database URL must start with sqlite: or postgres: / postgresql://");
}

Status WithTransaction(Connection& conn, const std::function<Status()>& fn, int attempts) {
  Status last;
  for (int i = 0; i < attempts; ++i) {
    auto tx = Transaction::Start(conn, true);
    if (!tx.ok()) {
      last = tx.status();
    } else {
      last = fn();
      if (last.ok()) last = tx->Commit();
    }
    if (last.ok() || last.kind() != ErrorKind::kUnavailable) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(5 << i));
  }
  return last;
}

}  // namespace m2mrsp::store
