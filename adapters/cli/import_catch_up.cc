#include "adapters/cli/import_catch_up.h"

#include <cstdio>

#include "adapters/migration/catch_up.h"
#include "common/iso_time.h"

namespace gateway::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitRejected = 3;

int Refuse(const std::string& message) {
  std::fprintf(stderr, "customer-gateway import: %s\n", message.c_str());
  return kExitFailed;
}

}  // namespace

const std::vector<OptionSpec>& CatchUp::Options() {
  static const std::vector<OptionSpec> kOptions = {
      {"--prune", "",
       "after the import, remove the stored customers FILE does not name (FILE must be the "
       "complete upstream export); refused above --max-prune",
       true},
      {"--max-prune", "",
       "the most customers --prune may remove (default: a tenth of those stored before the "
       "import)"},
      {"--force", "", "let --prune remove any number of customers", true},
      {"--deletions", "",
       "after the import, remove the customers this file lists: one id per line, as text, a "
       "JSON string or a JSON object with \"id\" or \"_id\""},
  };
  return kOptions;
}

std::optional<CatchUp> CatchUp::Prepare(const cli::Options& opts, CustomerRepository* repo,
                                        std::string& error) {
  CatchUp c;
  c.repo_ = repo;
  c.dry_run_ = opts.Has("--dry-run");
  c.prune_ = opts.Has("--prune");
  c.force_ = opts.Has("--force");
  c.deletions_ = opts.Has("--deletions");
  if (auto max = opts.Get("--max-prune")) {
    if (max->empty() || max->size() > 12 ||
        max->find_first_not_of("0123456789") != std::string::npos) {
      error = "--max-prune must be a number from 0 to 999999999999";
      return std::nullopt;
    }
    c.max_prune_ = std::stoull(*max);
  }
  if ((c.max_prune_ || c.force_) && !c.prune_) {
    error = "--max-prune and --force only apply to --prune";
    return std::nullopt;
  }
  if (c.prune_ && c.deletions_) {
    error = "give --prune or --deletions, not both";
    return std::nullopt;
  }
  if (c.deletions_) {
    c.deletions_path_ = *opts.Get("--deletions");
    if (c.deletions_path_.empty()) {
      error = "--deletions needs a file name";
      return std::nullopt;
    }
    auto ids = migration::ReadDeletions(c.deletions_path_);
    if (!ids.ok()) {
      error = ids.status().message();
      return std::nullopt;
    }
    c.deletion_ids_ = std::move(*ids);
  }
  if (c.prune_ && repo != nullptr) {
    auto schemes = repo->CountByPasswordScheme();
    if (!schemes.ok()) {
      error = schemes.status().message();
      return std::nullopt;
    }
    for (const auto& [scheme, n] : *schemes) c.stored_before_ += static_cast<uint64_t>(n);
  }
  c.started_at_ = NowMillis();
  return c;
}

void CatchUp::NoteId(const std::string& id) {
  if (active()) named_.insert(id);
}

void CatchUp::NoteProblem(const migration::ImportProblem& p) {
  if (p.id.empty()) ++rejected_without_id_;
}

int CatchUp::Finish(const std::string& file, Progress& progress) {
  if (prune_) return FinishPrune(file, progress);
  if (deletions_) return FinishDeletions(progress);
  return kExitOk;
}

int CatchUp::FinishPrune(const std::string& file, Progress& progress) {
  if (rejected_without_id_ > 0) {
    return Refuse("not pruning: " + Thousands(rejected_without_id_) +
                  " records were rejected before their id was read, so FILE's ids are not all "
                  "known; fix those records (see --rejects) and run again");
  }
  std::vector<std::string> unnamed;
  uint64_t visited = 0;
  if (repo_ != nullptr) {
    auto found = migration::FindUnnamed(
        *repo_, [&](std::string_view id) { return named_.count(std::string(id)) > 0; }, started_at_,
        visited);
    if (!found.ok()) return Refuse("not pruning: " + found.status().message());
    unnamed = std::move(*found);
  }
  const uint64_t limit = max_prune_.value_or(migration::DefaultPruneLimit(stored_before_));
  const std::string source = file == "-" ? "standard input" : file;
  if (!force_ && unnamed.size() > limit) {
    return Refuse(std::string(dry_run_ ? "a real run would refuse to prune: " : "not pruning: ") +
                  Thousands(unnamed.size()) + " stored customers are absent from " + source +
                  ", more than the limit of " + Thousands(limit) +
                  (max_prune_ ? " (--max-prune)"
                              : " (a tenth of the " + Thousands(stored_before_) +
                                    " stored before the import)") +
                  "; check that the file is the complete export, then run again with "
                  "--max-prune " +
                  std::to_string(unnamed.size()) + " or --force");
  }
  if (dry_run_) {
    for (const std::string& id : unnamed) progress.Line("would prune id " + id);
    std::printf("  pruned:    %s (would be; absent from %s)\n", Thousands(unnamed.size()).c_str(),
                source.c_str());
    return kExitOk;
  }
  auto removed = migration::RemoveCustomers(
      *repo_, unnamed, [&](const std::string& id) { progress.Line("pruned id " + id); });
  if (!removed.ok()) return Refuse("pruning stopped: " + removed.status().message());
  std::printf("  pruned:    %s (absent from %s)\n", Thousands(removed->removed).c_str(),
              source.c_str());
  return kExitOk;
}

int CatchUp::FinishDeletions(Progress& progress) {
  std::vector<std::string> to_remove;
  uint64_t refused = 0;
  for (const std::string& id : deletion_ids_) {
    if (named_.count(id) > 0) {
      ++refused;
      progress.Line("not deleting id " + id + ": the import file holds it too, so upstream " +
                    "still has it (" + deletions_path_ + ")");
      continue;
    }
    to_remove.push_back(id);
  }
  migration::RemovalCounts counts;
  if (dry_run_) {
    for (const std::string& id : to_remove) {
      const bool stored = repo_ != nullptr && repo_->Get(id).ok();
      if (stored) progress.Line("would delete id " + id);
      ++(stored ? counts.removed : counts.already_absent);
    }
  } else {
    auto removed = migration::RemoveCustomers(
        *repo_, to_remove, [&](const std::string& id) { progress.Line("deleted id " + id); });
    if (!removed.ok()) return Refuse("deleting stopped: " + removed.status().message());
    counts = *removed;
  }
  std::printf("  deleted:   %s (%s%s already absent, %s refused; listed in %s)\n",
              Thousands(counts.removed).c_str(), dry_run_ ? "would be; " : "",
              Thousands(counts.already_absent).c_str(), Thousands(refused).c_str(),
              deletions_path_.c_str());
  return refused > 0 ? kExitRejected : kExitOk;
}

}  // namespace gateway::cli
