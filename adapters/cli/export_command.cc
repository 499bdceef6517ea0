// `customer-gateway export`: writes every customer in a platform's own export
// shape, so a customer base can leave the gateway too. See docs/migration.md.

#include <cstdio>
#include <memory>
#include <string>

#include "adapters/cli/commands.h"
#include "adapters/cli/options.h"
#include "adapters/cli/progress.h"
#include "adapters/migration/exporter.h"
#include "adapters/migration/record_format.h"
#include "storage/open_store.h"

namespace gateway::cli {
namespace {

const std::vector<OptionSpec> kExportOptions = {
    {"--to", "",
     "the format to write: microbase (mongoimport-ready documents) or elastic-path (v2 customer "
     "objects with addresses)"},
    {"--db", "GATEWAY_DB",
     "SQLite database file, also while a gateway serves it (default ./customer-gateway.db), or "
     "a PostgreSQL URL or keyword string"},
    {"--help", "", "show this help", true},
};

constexpr const char* kSummary =
    "Exports every customer with its addresses as JSON lines, in creation order, to\n"
    "FILE ('-' writes to standard output). A file is written beside FILE first and\n"
    "renamed into place when complete. Importing the export into an empty gateway\n"
    "yields the same customers as far as the format carries them.\n\n"
    "exit status: 0 written, 1 could not run.";

int Fail(const std::string& message) {
  std::fprintf(stderr, "customer-gateway export: %s\n", message.c_str());
  return 1;
}

}  // namespace

int RunExport(const std::vector<std::string>& args) {
  std::string error;
  std::optional<Options> opts = Options::Parse(args, kExportOptions, error);
  if (!opts) return Fail(error + " (try 'customer-gateway export --help')");
  if (opts->Has("--help")) {
    std::printf("%s", Usage("export --to FORMAT", kSummary, kExportOptions).c_str());
    std::printf(
        "\nFILE is the last argument, e.g.\n"
        "  customer-gateway export --to microbase --db gateway.db customers.json\n");
    return 0;
  }
  if (opts->positional().size() != 1) {
    return Fail("give exactly one FILE to write, or '-' for standard output");
  }
  const std::string file = opts->positional()[0];
  const migration::RecordFormat* format = migration::FindRecordFormat(opts->GetOr("--to", ""));
  if (format == nullptr) return Fail("--to must be one of " + migration::RecordFormatNames());

  auto store =
      OpenStore(StoreOptions{.db = opts->GetOr("--db", "customer-gateway.db"), .must_exist = true});
  if (!store.ok()) return Fail(store.status().message());
  CustomerRepository& repo = (*store)->customers();

  const bool to_stdout = file == "-";
  const std::string partial = file + ".partial";
  std::FILE* out = to_stdout ? stdout : std::fopen(partial.c_str(), "wb");
  if (out == nullptr) return Fail("cannot write " + partial);

  CustomerQuery count_only;
  count_only.limit = 0;
  auto page = repo.List(count_only);
  const uint64_t total = page.ok() ? static_cast<uint64_t>(page->total) : 0;

  Progress progress("customers", Progress::StderrIsTerminal());
  Result<migration::ExportCounts> result = migration::Export(
      repo, *format, out, [&](uint64_t written) { progress.Update(written, written, total, ""); });
  progress.Finish();
  if (!to_stdout) {
    const bool closed = std::fclose(out) == 0;
    if (!result.ok() || !closed || std::rename(partial.c_str(), file.c_str()) != 0) {
      std::remove(partial.c_str());
      return Fail(result.ok() ? "cannot write " + file : result.status().message());
    }
  } else if (!result.ok()) {
    return Fail(result.status().message());
  }

  // The data owns stdout when it goes there; the summary then goes to stderr.
  std::FILE* report = to_stdout ? stderr : stdout;
  const migration::ExportCounts& c = *result;
  const double seconds = progress.ElapsedSeconds();
  std::fprintf(
      report, "exported %s customers to %s (%s) in %.2f s, %s customers/s\n",
      Thousands(c.customers).c_str(), to_stdout ? "standard output" : file.c_str(),
      std::string(format->name()).c_str(), seconds,
      Thousands(seconds > 0 ? static_cast<uint64_t>(static_cast<double>(c.customers) / seconds)
                            : c.customers)
          .c_str());
  if (format->carries_password_hashes()) {
    if (c.without_password > 0) {
      std::fprintf(report,
                   "note: %s customers have no password (created through Elastic Path without "
                   "one); their records carry none\n",
                   Thousands(c.without_password).c_str());
    }
    if (c.gateway_hashes > 0) {
      std::fprintf(report,
                   "note: %s customers have a password hash in the gateway's scrypt scheme "
                   "(they logged in or changed it here); a platform that verifies only bcrypt, "
                   "such as MicroBase, cannot check those\n",
                   Thousands(c.gateway_hashes).c_str());
    }
  }
  std::fprintf(report, "note: %s records do not carry %s\n", std::string(format->name()).c_str(),
               format->uncarried_fields().c_str());
  return 0;
}

}  // namespace gateway::cli
