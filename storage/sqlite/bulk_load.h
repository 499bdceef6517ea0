// Deferred indexes for a bulk import into SQLite.
//
// The listing indexes (created_at, updated_at, display_name, external_ref)
// are keyed by values in no particular order, and the substring index's
// triggers note every inserted row: written row by row they cost most of an
// import's time once they outgrow the page cache. A bulk load drops them and
// builds them once at the end, each in one sorted pass. The indexes the load
// itself reads stay: the ids' primary keys (an existing customer is merged),
// the unique email key (an email taken by a stored customer is refused) and
// addresses_customer (a merged customer's addresses are read and replaced).
//
// The durable marker is the table bulk_load_pending: one row per dropped
// object with the exact SQL that recreates it, plus the substring index's
// rebuild, written in the transaction that drops them. Whoever opens
// the database next (serve, export, a later import) builds what it lists
// first, in one transaction, so no query ever runs with an index missing
// unnoticed, and a killed import leaves a database that is consistent.
//
// Thread-safety: every function runs on a connection its caller owns, inside
// the caller's write transaction.
#pragma once

#include "core/status.h"
#include "storage/sqlite/connection.h"

namespace gateway::sqlite {

// Whether bulk_load_pending lists anything.
Result<bool> IndexesPending(Connection& conn);

// Whether the customers table has no rows.
Result<bool> NoCustomers(Connection& conn);

// Drops the deferred indexes and the substring index's triggers, recording
// how to recreate them; nothing when they are already pending.
Status DeferIndexes(Connection& conn);

// Recreates everything bulk_load_pending lists, rebuilds the substring index
// from the table and removes the marker.
Status BuildPendingIndexes(Connection& conn);

}  // namespace gateway::sqlite
