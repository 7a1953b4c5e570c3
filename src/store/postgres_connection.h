// PostgreSQL backend of store::Connection (libpq): the scale-out backend where several
// stateless server processes share one database (DESIGN.md §5).
#pragma once

#include <memory>
#include <string_view>

#include "store/sql.h"

namespace m2mrsp::store {

// conninfo: a libpq connection string or URI.
Result<std::unique_ptr<Connection>> OpenPostgres(std::string_view conninfo);

}  // namespace m2mrsp::store
