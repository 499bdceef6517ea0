// The removal half of a catch-up import (`import --prune`, `--deletions
// FILE`), kept apart from the import proper: it collects the ids the import
// reads, then removes the stored customers upstream no longer has, within
// the limits of docs/migration.md.
//
// Thread-safety: one CatchUp per import run, used from its thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "adapters/cli/options.h"
#include "adapters/cli/progress.h"
#include "adapters/migration/importer.h"
#include "core/ports/customer_repository.h"

namespace gateway::cli {

class CatchUp {
 public:
  // The flags this adds to `import`.
  static const std::vector<OptionSpec>& Options();

  // Reads the flags (and the deletions file, so a bad one fails before the
  // import writes anything). `repo` is null for a dry run without a database.
  // `error` is set when the flags are unusable.
  static std::optional<CatchUp> Prepare(const cli::Options& opts, CustomerRepository* repo,
                                        std::string& error);

  bool active() const { return prune_ || deletions_; }
  // Hooks for the import: each record's id, and each rejection.
  void NoteId(const std::string& id);
  void NoteProblem(const migration::ImportProblem& p);

  // After an import that read its whole file: prunes or deletes (or, in a dry
  // run, counts), printing one stderr line per customer and the summary
  // lines. Returns the exit status it calls for: 0, 1 (refused or failed, the
  // reason printed) or 3 (some deletions refused).
  int Finish(const std::string& file, Progress& progress);

 private:
  CatchUp() = default;

  int FinishPrune(const std::string& file, Progress& progress);
  int FinishDeletions(Progress& progress);

  CustomerRepository* repo_ = nullptr;
  bool dry_run_ = false;
  bool prune_ = false;
  bool force_ = false;
  std::optional<uint64_t> max_prune_;
  bool deletions_ = false;
  std::string deletions_path_;
  std::vector<std::string> deletion_ids_;
  int64_t started_at_ = 0;
  uint64_t stored_before_ = 0;
  uint64_t rejected_without_id_ = 0;
  std::unordered_set<std::string> named_;
};

}  // namespace gateway::cli
