// Importer: reads an export file record by record and upserts the customers,
// keeping every original id.
//
// Each record is decoded by its RecordFormat, checked with the same rules as
// the API (the core's ValidateCustomer: email syntax, ISO countries, limits;
// a password hash must be a format PasswordHasher verifies), and refused when
// its id or email already appeared earlier in the file. Accepted records are
// written in batches through CustomerRepository::UpsertBatch: one transaction
// per batch, one savepoint per record, so a rejected record never leaves half
// a customer and an import killed midway resumes by running it again (what
// was committed comes back as unchanged). Inside that transaction each record
// is merged with the stored customer: fields the source format cannot carry
// are kept, and timestamps the source lacks are taken from what is stored.
// A record whose email belongs to another id is rejected, never merged.
//
// Thread-safety: one Importer per import; Run is not reentrant.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "adapters/migration/record_format.h"
#include "adapters/migration/record_reader.h"
#include "core/ports/customer_repository.h"
#include "core/status.h"

namespace gateway::migration {

struct ImportOptions {
  size_t batch_size = 5000;
  // Checks every record, and with a repository predicts each outcome, but
  // writes nothing.
  bool dry_run = false;
  // Stop once more records than this were rejected: a file that is mostly bad
  // (the wrong --from, say) is not worth reading to the end. Unset: no limit.
  std::optional<uint64_t> max_rejects;
};

struct ImportCounts {
  uint64_t records = 0;
  uint64_t created = 0;
  uint64_t updated = 0;
  uint64_t unchanged = 0;
  uint64_t rejected = 0;
};

struct ImportProblem {
  uint64_t record = 0;  // 1-based position in the file
  size_t line = 0;      // line the record starts on
  std::string id;       // the record's id, when it got that far
  std::string reason;
};

class Importer {
 public:
  using ProblemSink = std::function<void(const ImportProblem&)>;
  // Called after each batch with the counts so far and the input consumed.
  using ProgressSink = std::function<void(const ImportCounts&, uint64_t bytes_done)>;

  // `repo` may be null only for a dry run (then nothing is looked up).
  Importer(const RecordFormat& format, CustomerRepository* repo, ImportOptions options);

  // Calls `sink` with each record's id as soon as it is decoded, whether the
  // record is then imported or rejected (a catch-up import's prune needs all).
  void OnRecordId(std::function<void(const std::string& id)> sink) {
    on_record_id_ = std::move(sink);
  }

  // Imports every record of `reader`. A non-ok Status means the import
  // stopped early (unreadable input, storage failure); batches committed
  // before that stay committed.
  Result<ImportCounts> Run(RecordReader& reader, const ProblemSink& on_problem,
                           const ProgressSink& on_progress);

 private:
  struct Pending;

  Status Flush(Pending& batch, const ProblemSink& on_problem);
  Status FlushDryRun(Pending& batch, const ProblemSink& on_problem);
  std::string DescribeFailure(const Customer& c, const Status& s);

  const RecordFormat& format_;
  CustomerRepository* repo_;
  ImportOptions options_;
  std::function<void(const std::string& id)> on_record_id_;
  ImportCounts counts_;
  int64_t now_ = 0;
};

// Completes `incoming` (decoded from `record`) from the stored customer: the
// format's invisible fields, and the timestamps the record did not carry.
// `now` stamps a change whose record had no updated time. Exposed for tests.
void MergeWithStored(const RecordFormat& format, const ImportRecord& record, const Customer& stored,
                     Customer& incoming, int64_t now);

}  // namespace gateway::migration
