// The SQLite schema, created and upgraded by numbered migrations recorded in
// PRAGMA user_version. A migration is appended, never edited once released.
#pragma once

#include "core/status.h"
#include "storage/sqlite/connection.h"

namespace gateway::sqlite {

// Brings the database up to the newest schema in one transaction. Refuses a
// database written by a newer gateway.
Status Migrate(Connection& conn);

int LatestSchemaVersion();

}  // namespace gateway::sqlite
