// `customer-gateway import`: loads a MicroBase or Elastic Path customer export
// into the gateway's store, keeping every id. See docs/migration.md.

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "adapters/cli/commands.h"
#include "adapters/cli/import_catch_up.h"
#include "adapters/cli/options.h"
#include "adapters/cli/progress.h"
#include "adapters/migration/importer.h"
#include "adapters/migration/record_format.h"
#include "adapters/migration/record_reader.h"
#include "common/json_writer.h"
#include "storage/open_store.h"

namespace gateway::cli {
namespace {

// Exit codes, also listed in --help and docs/migration.md.
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;    // could not run, or stopped early
constexpr int kExitRejected = 3;  // ran to the end, but some records were rejected

const std::vector<OptionSpec> kImportOwnOptions = {
    {"--from", "",
     "the export's format: microbase (mongoexport of the customers collection) or elastic-path (v2 "
     "customer objects)"},
    {"--db", "GATEWAY_DB",
     "SQLite database file, also while a gateway serves it (default ./customer-gateway.db), or "
     "a PostgreSQL URL or keyword string"},
    {"--batch-size", "",
     "records committed per transaction (default 5000; smaller holds the write lock for less time "
     "while a gateway serves the same database, larger imports faster)"},
    {"--dry-run", "", "check every record and report what would happen; write nothing", true},
    {"--max-rejects", "",
     "stop (exit status 1) once more than N records were rejected; records before that point "
     "stay imported"},
    {"--rejects", "",
     "also write each rejected record to this file as one JSON line {record, line, id, reason}"},
    {"--help", "", "show this help", true},
};

const std::vector<OptionSpec> kImportOptions = [] {
  std::vector<OptionSpec> all = kImportOwnOptions;
  all.insert(all.end() - 1, CatchUp::Options().begin(), CatchUp::Options().end());
  return all;
}();

constexpr const char* kSummary =
    "Imports a customer export, keeping every customer and address id. FILE holds\n"
    "JSON lines, a JSON array or concatenated JSON objects; '-' reads standard input.\n"
    "Re-running an import is safe: unchanged customers are left alone, and an\n"
    "interrupted import resumes where its last committed batch ended. A record whose\n"
    "email belongs to another customer is rejected, never merged. A catch-up import\n"
    "can also remove the customers upstream no longer has (--prune, --deletions).\n\n"
    "exit status: 0 all records imported, 3 finished but some records were\n"
    "rejected (each reported on stderr with its line) or some deletions refused,\n"
    "1 could not run, stopped, or refused to prune.";

int Fail(const std::string& message) {
  std::fprintf(stderr, "customer-gateway import: %s\n", message.c_str());
  return kExitFailed;
}

std::string Outcomes(const migration::ImportCounts& c) {
  return "created " + Thousands(c.created) + " · updated " + Thousands(c.updated) +
         " · unchanged " + Thousands(c.unchanged) + " · rejected " + Thousands(c.rejected);
}

}  // namespace

int RunImport(const std::vector<std::string>& args) {
  std::string error;
  std::optional<Options> opts = Options::Parse(args, kImportOptions, error);
  if (!opts) return Fail(error + " (try 'customer-gateway import --help')");
  if (opts->Has("--help")) {
    std::printf("%s", Usage("import --from FORMAT", kSummary, kImportOptions).c_str());
    std::printf(
        "\nFILE is the last argument, e.g.\n"
        "  customer-gateway import --from microbase --db gateway.db customers.json\n");
    return kExitOk;
  }
  if (opts->positional().size() != 1) {
    return Fail("give exactly one FILE to import (try 'customer-gateway import --help')");
  }
  const std::string file = opts->positional()[0];
  const std::string from = opts->GetOr("--from", "");
  const migration::RecordFormat* format = migration::FindRecordFormat(from);
  if (format == nullptr) {
    return Fail("--from must be one of " + migration::RecordFormatNames());
  }
  migration::ImportOptions import_options;
  import_options.dry_run = opts->Has("--dry-run");
  if (auto size = opts->Get("--batch-size")) {
    if (size->empty() || size->size() > 6 ||
        size->find_first_not_of("0123456789") != std::string::npos || std::stoul(*size) == 0) {
      return Fail("--batch-size must be a number from 1 to 999999");
    }
    import_options.batch_size = std::stoul(*size);
  }

  if (auto max = opts->Get("--max-rejects")) {
    if (max->empty() || max->size() > 9 ||
        max->find_first_not_of("0123456789") != std::string::npos) {
      return Fail("--max-rejects must be a number from 0 to 999999999");
    }
    import_options.max_rejects = std::stoull(*max);
  }

  auto reader = migration::RecordReader::Open(file);
  if (!reader.ok()) return Fail(reader.status().message());

  const std::string db_path = opts->GetOr("--db", "customer-gateway.db");
  std::unique_ptr<Store> store;
  // A dry run never creates a database: against a missing one, every valid
  // record would be created.
  if (!import_options.dry_run || StoreExists(db_path)) {
    auto opened = OpenStore(StoreOptions{.db = db_path, .bulk_load = !import_options.dry_run});
    if (!opened.ok()) return Fail(opened.status().message());
    store = std::move(*opened);
  }

  std::string catch_up_error;
  std::optional<CatchUp> catch_up =
      CatchUp::Prepare(*opts, store ? &store->customers() : nullptr, catch_up_error);
  if (!catch_up) return Fail(catch_up_error);

  // Opened before the import starts, so a bad path fails before anything is written.
  std::unique_ptr<FILE, int (*)(FILE*)> rejects(nullptr, &std::fclose);
  const std::string rejects_path = opts->GetOr("--rejects", "");
  if (opts->Get("--rejects")) {
    if (rejects_path.empty()) return Fail("--rejects needs a file name");
    rejects.reset(std::fopen(rejects_path.c_str(), "w"));
    if (!rejects) return Fail("cannot write " + rejects_path + ": " + std::strerror(errno));
  }

  Progress progress("records", Progress::StderrIsTerminal());
  const uint64_t total_bytes = (*reader)->total_bytes().value_or(0);
  migration::Importer importer(*format, store ? &store->customers() : nullptr, import_options);
  if (catch_up->active()) {
    importer.OnRecordId([&](const std::string& id) { catch_up->NoteId(id); });
  }
  Result<migration::ImportCounts> result = importer.Run(
      **reader,
      [&](const migration::ImportProblem& p) {
        std::string where =
            "record " + std::to_string(p.record) + ", line " + std::to_string(p.line);
        if (!p.id.empty()) where += " (id " + p.id + ")";
        catch_up->NoteProblem(p);
        progress.Line(where + ": " + p.reason);
        if (rejects) {
          JsonWriter w;
          w.BeginObject().Field("record", static_cast<int64_t>(p.record));
          w.Field("line", static_cast<int64_t>(p.line)).Field("id", p.id);
          w.Field("reason", p.reason).EndObject();
          std::fprintf(rejects.get(), "%s\n", w.str().c_str());
        }
      },
      [&](const migration::ImportCounts& c, uint64_t bytes_done) {
        progress.Update(c.records, bytes_done, total_bytes, Outcomes(c));
      });
  progress.Finish();
  // Also after a failed run: what was committed is served with its indexes.
  if (store) {
    if (Status s = store->FinishBulkLoad(); !s.ok()) {
      return Fail("building the indexes failed (" + s.message() +
                  "); the next import or start of the gateway builds them");
    }
  }
  if (rejects) {
    const bool write_failed = std::ferror(rejects.get()) != 0;
    if (std::fclose(rejects.release()) != 0 || write_failed) {
      return Fail("could not write all rejected records to " + rejects_path);
    }
  }
  if (!result.ok()) return Fail(result.status().message());

  const migration::ImportCounts& c = *result;
  const double seconds = progress.ElapsedSeconds();
  std::printf(
      "%s %s records from %s (%s, %.*s) in %.2f s, %s records/s%s\n",
      import_options.dry_run ? "checked" : "imported", Thousands(c.records).c_str(),
      file == "-" ? "standard input" : file.c_str(), std::string(format->name()).c_str(),
      static_cast<int>((*reader)->layout().size()), (*reader)->layout().data(), seconds,
      Thousands(seconds > 0 ? static_cast<uint64_t>(static_cast<double>(c.records) / seconds)
                            : c.records)
          .c_str(),
      import_options.dry_run ? " — dry run, nothing was written" : "");
  std::printf("  created:   %s\n  updated:   %s\n  unchanged: %s\n  rejected:  %s\n",
              Thousands(c.created).c_str(), Thousands(c.updated).c_str(),
              Thousands(c.unchanged).c_str(), Thousands(c.rejected).c_str());
  const int removal = catch_up->Finish(file, progress);
  if (removal != kExitOk) return removal;
  return c.rejected > 0 ? kExitRejected : kExitOk;
}

}  // namespace gateway::cli
