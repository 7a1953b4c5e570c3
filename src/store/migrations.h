// Numbered schema migrations, applied in order, each in its own transaction, recorded in
// `schema_version`. Safe to run from several processes at once (SQLite: BEGIN IMMEDIATE;
// PostgreSQL: a transaction-scoped advisory lock). A database newer than this binary is refused.
#pragma once

#include "store/sql.h"

namespace m2mrsp::store {

// The schema version this binary expects.
int64_t LatestSchemaVersion();

// Brings the database up to LatestSchemaVersion(); refuses a database newer than this binary.
Status Migrate(Connection& conn);

// Applies the migrations up to `version` only (tests of data migration, staged upgrades).
Status MigrateTo(Connection& conn, int64_t version);

}  // namespace m2mrsp::store
