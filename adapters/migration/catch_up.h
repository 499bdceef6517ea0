// Catch-up imports that also remove what upstream no longer has: every stored
// customer the import file did not name (prune), or the ids a deletions file
// lists. Without this, a customer deleted upstream between the first import
// and the cut-over survives it. The rules are in docs/migration.md.
//
// Thread-safety: pure functions, or calls through the repository (whose
// contract makes them safe beside a serving gateway).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ports/customer_repository.h"
#include "core/status.h"

namespace gateway::migration {

// Reads a deletions file: one customer id per line, given as the line itself
// (surrounding blanks dropped), a JSON string, or a JSON object with "id" or
// MicroBase's "_id" (a string or {"$oid": ...}). Blank lines are skipped. An
// unreadable line is an error naming its number; nothing is deleted then.
Result<std::vector<std::string>> ReadDeletions(const std::string& path);

// The ids of the stored customers `named` does not hold, in creation order,
// among those created before `created_before` (so a customer a serving
// gateway creates while the import runs is never taken for one deleted
// upstream). `stored` gets how many customers were visited.
Result<std::vector<std::string>> FindUnnamed(CustomerRepository& repo,
                                             const std::function<bool(std::string_view)>& named,
                                             int64_t created_before, uint64_t& stored);

// The most customers a prune removes without --max-prune or --force: a tenth
// of those stored before the import (rounded down), so a truncated or wrong
// file cannot empty the store.
uint64_t DefaultPruneLimit(uint64_t stored_before);

struct RemovalCounts {
  uint64_t removed = 0;
  uint64_t already_absent = 0;  // not stored (removed earlier, or never there)
};

// Removes each customer with its addresses, one transaction per customer, so
// an interrupted run keeps what it removed and a re-run finds those absent.
// `on_removed` is called with each id removed. Stops at the first storage
// failure.
Result<RemovalCounts> RemoveCustomers(CustomerRepository& repo, const std::vector<std::string>& ids,
                                      const std::function<void(const std::string&)>& on_removed);

}  // namespace gateway::migration
