// Numbered schema migrations, applied in order, each in its own transaction, recorded in
// `schema_version`. Safe to run from several processes at once (SQLite: BEGIN IMMEDIATE;
// PostgreSQL: a transaction-scoped advisory lock). A database newer than this binary is refused.
#pragma once

#include "store/sql.h"

namespace m2mrsp::store {

// The schema version this binary expects.
int64_t LatestSchemaVersion();

// Brings the database up to LatestSchemaVersion().
Status Migrate(Connection& conn);

}  // namespace m2mrsp::store
