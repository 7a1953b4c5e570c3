#include "store/postgres_connection.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <unordered_map>

namespace m2mrsp::store {
namespace {

// Built-in type OIDs (PostgreSQL src/include/catalog/pg_type.dat; stable across versions).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// `?` → `$n`, leaving quoted literals and identifiers alone.
std::string RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote != 0) {
      if (c == quote) quote = 0;
      out.push_back(c);
    } else if (c == '\'' || c == '"') {
      quote = c;
      out.push_back(c);
    } else if (c == '?') {
      out += "$" + std::to_string(++n);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

int HexNibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(PGconn* conn) : conn_(conn) {}
  ~PostgresConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }

  Result<std::vector<Row>> Query(std::string_view sql, const Params& params) override {
    M2_ASSIGN_OR_RETURN(PgResult res, Run(sql, params, "query"));
    return Rows(res.get());
  }

  Result<int64_t> Execute(std::string_view sql, const Params& params) override {
    M2_ASSIGN_OR_RETURN(PgResult res, Run(sql, params, "execute"));
    const char* n = PQcmdTuples(res.get());
    return static_cast<int64_t>(n != nullptr ? std::strtoll(n, nullptr, 10) : 0);
  }

  Status ExecuteScript(std::string_view sql) override {
    PgResult res(PQexec(conn_, std::string(sql).c_str()));
    return Check(res.get(), "script");
  }

  Status Begin(bool) override { return ExecuteScript("BEGIN"); }
  Status Commit() override { return ExecuteScript("COMMIT"); }
  Status Rollback() override {
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return Status::Ok();
    return ExecuteScript("ROLLBACK");
  }

 private:
  // Integers and text go in text format, bytes in binary format; results come back as text.
  Result<PgResult> Run(std::string_view sql, const Params& params, std::string_view what) {
    M2_ASSIGN_OR_RETURN(std::string name, Prepare(sql, params.size()));
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0);
    std::vector<int> formats(params.size(), 0);
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (const auto* n = std::get_if<int64_t>(&v)) {
        text[i] = std::to_string(*n);
        values[i] = text[i].c_str();
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        values[i] = s->c_str();
      } else if (const auto* b = std::get_if<Bytes>(&v)) {
        values[i] = b->empty() ? "" : reinterpret_cast<const char*>(b->data());
        lengths[i] = static_cast<int>(b->size());
        formats[i] = 1;
      }
    }
    PgResult res(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values.data(),
                                lengths.data(), formats.data(), 0));
    M2_RETURN_IF_ERROR(Check(res.get(), what));
    return res;
  }

  Result<std::string> Prepare(std::string_view sql, size_t nparams) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    std::string name = "m2_" + std::to_string(cache_.size());
    PgResult res(PQprepare(conn_, name.c_str(), RewritePlaceholders(sql).c_str(),
                           static_cast<int>(nparams), nullptr));
    M2_RETURN_IF_ERROR(Check(res.get(), "prepare"));
    cache_.emplace(std::move(key), name);
    return name;
  }

  Status Check(PGresult* res, std::string_view what) {
    const ExecStatusType st = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) {
      return Status::Ok();
    }
    std::string msg = "postgres: " + std::string(what) + ": " + PQerrorMessage(conn_);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const std::string code = state != nullptr ? state : "";
    if (code == "23505") return Status::Error(ErrorKind::kAlreadyExists, std::move(msg));
    if (code == "40001" || code == "40P01" || code == "55P03" || PQstatus(conn_) != CONNECTION_OK) {
      return Status::Error(ErrorKind::kUnavailable, std::move(msg));
    }
    return InternalError(std::move(msg));
  }

  static std::vector<Row> Rows(PGresult* res) {
    const int nrows = PQntuples(res);
    const int ncols = PQnfields(res);
    std::vector<Row> rows(static_cast<size_t>(nrows));
    for (int r = 0; r < nrows; ++r) {
      Row& row = rows[static_cast<size_t>(r)];
      row.cols.reserve(static_cast<size_t>(ncols));
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(res, r, c) != 0) {
          row.cols.emplace_back(std::monostate{});
          continue;
        }
        const char* v = PQgetvalue(res, r, c);
        const size_t len = static_cast<size_t>(PQgetlength(res, r, c));
        const Oid type = PQftype(res, c);
        if (type == kInt8Oid || type == kInt4Oid || type == kInt2Oid) {
          row.cols.emplace_back(static_cast<int64_t>(std::strtoll(v, nullptr, 10)));
        } else if (type == kBoolOid) {
          row.cols.emplace_back(static_cast<int64_t>(v[0] == 't' ? 1 : 0));
        } else if (type == kByteaOid) {
          // Text output of bytea: "\x" followed by hex digits.
          Bytes b;
          if (len >= 2 && v[0] == '\\' && v[1] == 'x') {
            b.reserve((len - 2) / 2);
            for (size_t i = 2; i + 1 < len; i += 2) {
              b.push_back(static_cast<uint8_t>((HexNibble(v[i]) << 4) | HexNibble(v[i + 1])));
            }
          }
          row.cols.emplace_back(std::move(b));
        } else {
          row.cols.emplace_back(std::string(v, len));
        }
      }
    }
    return rows;
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::string> cache_;
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenPostgres(std::string_view conninfo) {
  PGconn* conn = PQconnectdb(std::string(conninfo).c_str());
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    std::string msg = conn != nullptr ? PQerrorMessage(conn) : "out of memory";
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    PQfinish(conn);
    return Status::Error(ErrorKind::kUnavailable, "postgres: cannot connect: " + msg);
  }
  auto c = std::make_unique<PostgresConnection>(conn);
  M2_RETURN_IF_ERROR(c->ExecuteScript("SET client_min_messages = warning"));
  return std::unique_ptr<Connection>(std::move(c));
}

}  // namespace m2mrsp::store
