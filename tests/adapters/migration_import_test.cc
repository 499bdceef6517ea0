// Import and export end to end below the command line: the record reader's
// three layouts and line numbers, the importer's validation, idempotency,
// batching, merge with stored customers and dry runs, on a real SQLite file.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "adapters/migration/elastic_path_records.h"
#include "adapters/migration/exporter.h"
#include "adapters/migration/importer.h"
#include "adapters/migration/microbase_records.h"
#include "adapters/migration/record_reader.h"
#include "common/iso_time.h"
#include "storage/sqlite/sqlite_repository.h"

namespace gateway::migration {
namespace {

namespace fs = std::filesystem;

constexpr const char* kBcrypt = "$2a$10$HllytO2PNulnz9bGEirADOJ9EY1IZrSvYOJJMX9KH7r3LeyIygST.";

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "gw-mig-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, const std::string& content) const {
    std::string file = (path_ / name).string();
    std::ofstream(file, std::ios::binary) << content;
    return file;
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

struct Seen {
  std::string text;
  size_t line;
  std::string framing_error;
};

std::vector<Seen> ReadAll(const std::string& path) {
  auto reader = RecordReader::Open(path);
  REQUIRE(reader.ok());
  std::vector<Seen> out;
  RecordReader::Record r;
  while ((*reader)->Next(r)) out.push_back({std::string(r.text), r.line, r.framing_error});
  REQUIRE((*reader)->status().ok());
  return out;
}

std::string Mb(const std::string& id, const std::string& email, const std::string& extra = "") {
  return R"({"_id":")" + id + R"(","email":")" + email + R"(","password":")" + kBcrypt +
         R"(","firstName":"F )" + id +
         R"(","lastName":"L","createdAt":{"$date":"2017-01-11T18:44:45.123Z"},)" +
         R"("updatedAt":{"$date":"2017-01-12T00:00:00Z"},"addresses":[{"name":"Home","firstName":"F",)" +
         R"("address_1":"1 Main St","postCode":"1","city":"C","state":"S","country":"GB","id":")" +
         id + R"(-a1"}])" + extra + "}";
}

struct Run {
  ImportCounts counts;
  std::vector<ImportProblem> problems;
  Status status;
};

Run Import(CustomerRepository* repo, const RecordFormat& f, const std::string& path,
           ImportOptions options = {}) {
  auto reader = RecordReader::Open(path);
  REQUIRE(reader.ok());
  Importer importer(f, repo, options);
  Run run;
  auto result = importer.Run(
      **reader, [&](const ImportProblem& p) { run.problems.push_back(p); },
      [](const ImportCounts&, uint64_t) {});
  if (result.ok()) {
    run.counts = *result;
  } else {
    run.status = result.status();
  }
  return run;
}

std::unique_ptr<sqlite::SqliteRepository> OpenRepo(const std::string& path) {
  sqlite::SqliteOptions options;
  options.path = path;
  auto repo = sqlite::SqliteRepository::Open(options);
  REQUIRE(repo.ok());
  return std::move(*repo);
}

TEST_CASE("RecordReader: JSON lines, with blank lines, CRLF and a BOM, keep their line numbers") {
  TempDir dir;
  auto seen = ReadAll(
      dir.Write("a.jsonl", "\xEF\xBB\xBF{\"a\":1}\r\n\n  {\"b\":\"x\\ny\"}  \n{broken\n{\"c\":3}"));
  REQUIRE(seen.size() == 4);
  CHECK(seen[0].text == "{\"a\":1}");
  CHECK(seen[0].line == 1);
  CHECK(seen[1].text == "{\"b\":\"x\\ny\"}");
  CHECK(seen[1].line == 3);
  CHECK(seen[2].text == "{broken");
  CHECK(seen[2].line == 4);
  CHECK(seen[3].line == 5);
  CHECK(ReadAll(dir.Write("empty", "\n \n")).empty());
}

TEST_CASE("RecordReader: a JSON array, on one line or pretty-printed") {
  TempDir dir;
  auto one = ReadAll(dir.Write("one.json", R"([{"a":"],}"},{"b":[1,{"c":2}]} , 7])"));
  REQUIRE(one.size() == 3);
  CHECK(one[0].text == R"({"a":"],}"})");
  CHECK(one[1].text == R"({"b":[1,{"c":2}]})");
  CHECK(one[2].text == "7");
  CHECK(one[2].framing_error.empty());

  auto pretty =
      ReadAll(dir.Write("pretty.json", "[\n  {\n    \"a\": 1\n  },\n  {\n    \"b\": 2\n  }\n]\n"));
  REQUIRE(pretty.size() == 2);
  CHECK(pretty[0].line == 2);
  CHECK(pretty[1].line == 5);

  auto unclosed = ReadAll(dir.Write("unclosed.json", "[{\"a\":1},\n{\"b\":2}"));
  REQUIRE(unclosed.size() == 3);
  CHECK(unclosed[1].text == "{\"b\":2}");
  CHECK(unclosed[2].framing_error == "the file ends before the JSON array is closed with ']'");

  auto trailing = ReadAll(dir.Write("trailing.json", "[{\"a\":1}] junk"));
  REQUIRE(trailing.size() == 2);
  CHECK(trailing[1].framing_error == "unexpected text after the closing ']' of the JSON array");
}

TEST_CASE("RecordReader: concatenated pretty objects (mongoexport --pretty)") {
  TempDir dir;
  auto seen =
      ReadAll(dir.Write("p.json", "{\n  \"a\": \"}\"\n}\n{\n  \"b\": 2\n}\n{\n  \"c\": 3\n"));
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].line == 1);
  CHECK(seen[1].line == 4);
  CHECK(seen[1].text == "{\n  \"b\": 2\n}");
  CHECK(seen[2].framing_error == "the file ends inside this record");
}

TEST_CASE("RecordReader: records larger than its buffer, across refills") {
  TempDir dir;
  const std::string big(3 << 20, 'x');
  std::string content;
  for (int i = 0; i < 3; ++i) content += "{\"v\":\"" + big + "\"}\n";
  auto lines = ReadAll(dir.Write("big.jsonl", content));
  REQUIRE(lines.size() == 3);
  CHECK(lines[2].text.size() == big.size() + 8);
  CHECK(lines[2].line == 3);
  auto array = ReadAll(dir.Write("big.json", "[" + content.substr(0, content.size() - 1) + "]"));
  REQUIRE(array.size() == 3);
  CHECK(array[1].text.size() == big.size() + 8);
}

TEST_CASE("RecordReader: an unreadable path is an error, not an empty file") {
  CHECK_FALSE(RecordReader::Open("/nonexistent/customers.json").ok());
  CHECK_FALSE(RecordReader::Open(fs::temp_directory_path().string()).ok());
}

TEST_CASE("Importer: creates, then re-running changes nothing; a changed record updates") {
  TempDir dir;
  auto repo = OpenRepo(dir.File("gw.db"));
  const std::string file =
      dir.Write("c.jsonl", Mb("A1", "a@example.com") + "\n" + Mb("B2", "b@example.com") + "\n");
  Run first = Import(repo.get(), MicroBaseRecords(), file);
  CHECK(first.status.ok());
  CHECK(first.counts.records == 2);
  CHECK(first.counts.created == 2);
  CHECK(first.problems.empty());
  auto stored = repo->Get("A1");
  REQUIRE(stored.ok());
  CHECK(stored->password_hash == kBcrypt);
  CHECK(stored->addresses.at(0).id == "A1-a1");
  CHECK(stored->addresses.at(0).created_at == stored->created_at);

  Run again = Import(repo.get(), MicroBaseRecords(), file);
  CHECK(again.counts.unchanged == 2);
  CHECK(again.counts.created + again.counts.updated + again.counts.rejected == 0);

  Run changed = Import(repo.get(), MicroBaseRecords(),
                       dir.Write("d.jsonl", Mb("A1", "a@example.com", R"(,"tags":["VIP"])")));
  CHECK(changed.counts.updated == 1);
  CHECK(repo->Get("A1")->tags == std::vector<std::string>{"VIP"});
}

TEST_CASE("Importer: bad records are reported with line and reason; the rest commit") {
  TempDir dir;
  auto repo = OpenRepo(dir.File("gw.db"));
  const std::string content =
      Mb("A1", "a@example.com") + "\n" +  // 1: ok
      "not json\n" +                      // 2
      Mb("B2", "not-an-email") + "\n" +   // 3
      R"({"_id":"C3","email":"c@example.com","password":"$1$hunter2","firstName":"C","lastName":"L"})"
      "\n" +  // 4
      Mb("A1", "other@example.com") +
      "\n" +                              // 5
      Mb("D4", "A@Example.com") + "\n" +  // 6
      R"({"_id":"E5","email":"e@example.com","firstName":"E","lastName":"L","addresses":[{"country":"UK"}]})"
      "\n" +  // 7
      Mb("F6", "f@example.com") +
      "\n";  // 8: ok
  Run run = Import(repo.get(), MicroBaseRecords(), dir.Write("bad.jsonl", content), {2, false, {}});
  CHECK(run.counts.records == 8);
  CHECK(run.counts.created == 2);
  CHECK(run.counts.rejected == 6);
  REQUIRE(run.problems.size() == 6);
  CHECK(run.problems[0].line == 2);
  CHECK(run.problems[0].reason.rfind("not valid JSON", 0) == 0);
  CHECK(run.problems[1].line == 3);
  CHECK(run.problems[1].id == "B2");
  CHECK(run.problems[1].reason == "email: email must be a valid email address");
  CHECK(run.problems[2].line == 4);
  CHECK(run.problems[2].reason.find("unsupported password hash format (\"$1$h...\")") !=
        std::string::npos);
  CHECK(run.problems[2].reason.find("hunter2") == std::string::npos);
  CHECK(run.problems[3].reason ==
        "id A1 already appeared on line 1; a file may hold each customer once");
  CHECK(run.problems[4].reason ==
        "email A@Example.com is also the email of id A1 on line 1; emails are unique "
        "(case-insensitively)");
  CHECK(run.problems[5].line == 7);
  CHECK(run.problems[5].reason ==
        "addresses.0.country: country must be an ISO 3166-1 alpha-2 code such as GB");
  CHECK(repo->Get("F6").ok());
  CHECK_FALSE(repo->Get("C3").ok());
}

TEST_CASE("Importer: max_rejects stops once more records than that were rejected") {
  TempDir dir;
  auto repo = OpenRepo(dir.File("gw.db"));
  const std::string content = Mb("A1", "a@example.com") + "\n" + "bad 1\n" + "bad 2\n" +
                              Mb("B2", "b@example.com") + "\n" + "bad 3\n" +
                              Mb("C3", "c@example.com") + "\n";
  Run at_limit =
      Import(repo.get(), MicroBaseRecords(), dir.Write("a.jsonl", content), {2, false, 3});
  CHECK(at_limit.status.ok());
  CHECK(at_limit.counts.created == 3);
  auto fresh = OpenRepo(dir.File("fresh.db"));
  Run over = Import(fresh.get(), MicroBaseRecords(), dir.Write("b.jsonl", content), {2, false, 1});
  REQUIRE_FALSE(over.status.ok());
  // The third record is the second rejection; the valid one before it is kept.
  CHECK(over.status.message() ==
        "stopped after 2 rejected records (--max-rejects 1): the first 3 records were processed "
        "(1 created, 0 updated), the rest of the file was not read");
  CHECK(over.problems.size() == 2);
}

TEST_CASE("Importer: an email held by another stored customer is rejected, never merged") {
  TempDir dir;
  auto repo = OpenRepo(dir.File("gw.db"));
  Import(repo.get(), MicroBaseRecords(), dir.Write("1.jsonl", Mb("A1", "a@example.com")));
  for (bool dry_run : {true, false}) {
    Run run = Import(repo.get(), MicroBaseRecords(),
                     dir.Write("2.jsonl", Mb("Z9", "A@EXAMPLE.COM")), {1000, dry_run, {}});
    CHECK(run.counts.rejected == 1);
    REQUIRE(run.problems.size() == 1);
    CHECK(
        run.problems[0].reason ==
        "email A@EXAMPLE.COM already belongs to customer A1; an import never merges two customers");
  }
  CHECK_FALSE(repo->Get("Z9").ok());
}

TEST_CASE("Importer: a dry run predicts the outcome and writes nothing") {
  TempDir dir;
  auto repo = OpenRepo(dir.File("gw.db"));
  Import(repo.get(), MicroBaseRecords(),
         dir.Write("1.jsonl", Mb("A1", "a@example.com") + "\n" + Mb("B2", "b@example.com")));
  const std::string file =
      dir.Write("2.jsonl", Mb("A1", "a@example.com") + "\n" +
                               Mb("B2", "b@example.com", R"(,"status":"INACTIVE")") + "\n" +
                               Mb("C3", "c@example.com"));
  Run dry = Import(repo.get(), MicroBaseRecords(), file, {1000, true, {}});
  CHECK(dry.counts.unchanged == 1);
  CHECK(dry.counts.updated == 1);
  CHECK(dry.counts.created == 1);
  CHECK_FALSE(repo->Get("C3").ok());
  CHECK(repo->Get("B2")->status == CustomerStatus::kActive);
  Run real = Import(repo.get(), MicroBaseRecords(), file);
  CHECK(real.counts.unchanged == 1);
  CHECK(real.counts.updated == 1);
  CHECK(real.counts.created == 1);

  Run without_db = Import(nullptr, MicroBaseRecords(), file, {1000, true, {}});
  CHECK(without_db.counts.created == 3);
}

TEST_CASE("Importer: Elastic Path records keep the stored password, status and tags") {
  TempDir dir;
  auto repo = OpenRepo(dir.File("gw.db"));
  Import(repo.get(), MicroBaseRecords(),
         dir.Write("1.jsonl", Mb("A1", "a@example.com", R"(,"tags":["VIP"])")));
  std::string ep;
  ElasticPathRecords().Write(*repo->Get("A1"), ep);
  ep.replace(ep.find("\"F A1 L\""), 8, "\"Ann  Lee\"");
  Run run = Import(repo.get(), ElasticPathRecords(), dir.Write("ep.jsonl", ep));
  CHECK(run.counts.updated == 1);
  auto c = repo->Get("A1");
  REQUIRE(c.ok());
  CHECK(c->display_name == "Ann  Lee");
  CHECK(c->first_name == "Ann");
  CHECK(c->last_name == "Lee");
  CHECK(c->password_hash == kBcrypt);
  CHECK(c->tags == std::vector<std::string>{"VIP"});
  // Re-importing the MicroBase record puts its names back and keeps nothing else changed.
  Run back = Import(repo.get(), MicroBaseRecords(),
                    dir.Write("1b.jsonl", Mb("A1", "a@example.com", R"(,"tags":["VIP"])")));
  CHECK(back.counts.updated == 1);
  CHECK(repo->Get("A1")->display_name == "F A1 L");
}

TEST_CASE("Importer: the merge runs inside the write, keeping a field another writer set") {
  TempDir dir;
  auto repo = OpenRepo(dir.File("gw.db"));
  const std::string file = dir.Write("1.jsonl", Mb("A1", "a@example.com"));
  Import(repo.get(), MicroBaseRecords(), file);
  REQUIRE(repo->Update("A1",
                       [](Customer& c) {
                         c.external_ref = "crm-42";
                         return Status::Ok();
                       })
              .ok());
  Run run = Import(repo.get(), MicroBaseRecords(), file);
  CHECK(run.counts.unchanged == 1);
  CHECK(repo->Get("A1")->external_ref == "crm-42");
}

TEST_CASE("MergeWithStored: timestamps a record lacks come from the stored customer") {
  Customer stored;
  stored.id = "A1";
  stored.email = "a@example.com";
  stored.first_name = "A";
  stored.display_name = "A";
  stored.created_at = 1000;
  stored.updated_at = 2000;
  Address a;
  a.id = "x";
  a.city = "Pawnee";
  a.created_at = 1100;
  a.updated_at = 1200;
  stored.addresses.push_back(a);

  ImportRecord record;
  record.customer = stored;
  record.has_addresses = true;
  record.has_password = false;
  record.address_has_timestamps = {false};
  Customer incoming = stored;
  incoming.created_at = incoming.updated_at = 9999;  // the importer's defaults
  incoming.addresses[0].created_at = incoming.addresses[0].updated_at = 9999;
  MergeWithStored(MicroBaseRecords(), record, stored, incoming, 5000);
  CHECK(incoming == stored);  // nothing changed, so nothing moves

  incoming = stored;
  incoming.addresses[0].city = "Eagleton";
  MergeWithStored(MicroBaseRecords(), record, stored, incoming, 5000);
  CHECK(incoming.created_at == 1000);
  CHECK(incoming.updated_at == 5000);
  CHECK(incoming.addresses[0].created_at == 1100);
  CHECK(incoming.addresses[0].updated_at == 5000);
}

TEST_CASE("Export writes every customer as one line; importing it elsewhere gives them back") {
  TempDir dir;
  auto source = OpenRepo(dir.File("a.db"));
  Import(source.get(), MicroBaseRecords(),
         dir.Write("1.jsonl", Mb("A1", "a@example.com") + "\n" + Mb("B2", "b@example.com")));
  for (const RecordFormat* f : {&MicroBaseRecords(), &ElasticPathRecords()}) {
    const std::string out_path = dir.File(std::string(f->name()) + ".out");
    std::FILE* out = std::fopen(out_path.c_str(), "wb");
    REQUIRE(out != nullptr);
    uint64_t last_progress = 0;
    auto counts = Export(*source, *f, out, [&](uint64_t n) { last_progress = n; });
    std::fclose(out);
    REQUIRE(counts.ok());
    CHECK(counts->customers == 2);
    CHECK(last_progress == 2);
    CHECK(ReadAll(out_path).size() == 2);

    auto target = OpenRepo(dir.File(std::string(f->name()) + ".db"));
    Run run = Import(target.get(), *f, out_path);
    CHECK(run.counts.created == 2);
    Customer original = *source->Get("A1");
    Customer copy = *target->Get("A1");
    if (!f->carries_password_hashes()) {
      // Elastic Path carries no hash, and one `name` that splits at its first
      // space: "F A1" + "L" comes back as "F" + "A1 L".
      CHECK_FALSE(copy.password_hash.has_value());
      copy.password_hash = original.password_hash;
      CHECK(copy.first_name == "F");
      CHECK(copy.last_name == "A1 L");
      std::tie(original.first_name, original.last_name) = SplitDisplayName(original.display_name);
    }
    CHECK(copy == original);
  }
}

}  // namespace
}  // namespace gateway::migration
