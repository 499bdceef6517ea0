// Deferred indexes for a bulk load into an empty database. Each customer
// written with every index in place costs a dozen B-tree inserts on random
// keys; an initial import instead drops the indexes that only listings use
// (created_at, updated_at, display name, external_ref) and the substring
// index's triggers, loads, and builds them once at the end in one sorted
// pass (docs/migration.md, "Durability during an import"; figures in
// docs/benchmarks.md). The keys that enforce uniqueness (ids, email) stay.
//
// What was dropped is recorded, in the same transaction that drops it, as
// the exact CREATE statements under kDeferredSchemaKey in the settings
// table: a database is either complete or holds that record. Whoever opens
// it next (a server, an export, the import run again) finishes it first, so
// nothing is ever served without its indexes after an interrupted load.
#pragma once

#include <string_view>

#include "core/status.h"
#include "storage/sqlite/connection.h"

namespace gateway::sqlite {

inline constexpr std::string_view kDeferredSchemaKey = "sqlite.deferred_schema";

// In one transaction: when no customer is stored and nothing is deferred
// yet, records and drops the deferrable indexes and triggers. Returns
// whether anything is deferred afterwards (also true when an interrupted
// load had deferred them).
Result<bool> DeferIndexes(Connection& conn);

// Within the caller's transaction: recreates what DeferIndexes dropped,
// rebuilds the substring index from the table and forgets the record.
// Returns whether there was anything to restore.
Result<bool> RestoreIndexes(Connection& conn);

}  // namespace gateway::sqlite
