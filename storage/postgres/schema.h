// The PostgreSQL schema and its migrations.
#pragma once

#include "core/status.h"
#include "storage/postgres/connection.h"

namespace gateway::postgres {

int LatestSchemaVersion();

// Brings the database to LatestSchemaVersion() in one transaction holding a
// transaction-scoped advisory lock, so gateways started together on an empty
// database migrate it once: the others wait, then find it current. Fails when
// the database is newer than this gateway understands.
Status Migrate(Connection& conn);

}  // namespace gateway::postgres
