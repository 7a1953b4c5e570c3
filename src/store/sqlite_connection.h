// SQLite backend of store::Connection (embedded default: one file per server, WAL journal,
// foreign keys on, a busy timeout so concurrent writers wait instead of failing at once).
#pragma once

#include <memory>
#include <string_view>

#include "store/sql.h"

namespace m2mrsp::store {

// path: a file name (created if missing) or ":memory:".
Result<std::unique_ptr<Connection>> OpenSqlite(std::string_view path);

}  // namespace m2mrsp::store
