// Exporter: writes every stored customer, with its addresses and password
// hash, as records of one RecordFormat, one record per line (JSON lines), in
// creation order.
//
// Thread-safety: Export may run beside other users of the repository; it
// reads through the repository's own consistency rules.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>

#include "adapters/migration/record_format.h"
#include "core/ports/customer_repository.h"
#include "core/status.h"

namespace gateway::migration {

struct ExportCounts {
  uint64_t customers = 0;
  uint64_t without_password = 0;
  // Hashes in the gateway's own scheme (set or upgraded here), which a
  // platform that only verifies bcrypt cannot check.
  uint64_t gateway_hashes = 0;
};

// Called every so many customers with the number written so far.
using ExportProgress = std::function<void(uint64_t customers)>;

// Writes to `out`; stops with a non-ok Status when reading or writing fails.
Result<ExportCounts> Export(CustomerRepository& repo, const RecordFormat& format, std::FILE* out,
                            const ExportProgress& on_progress);

}  // namespace gateway::migration
