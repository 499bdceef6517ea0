// SqliteRepository's bulk load (storage/sqlite/bulk_load.h): indexes deferred
// only for an empty file held alone, built by FinishBulkLoad or by the next
// open after a load that never finished, and other opens refused meanwhile.
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "storage/sqlite/sqlite_repository.h"

namespace gateway::sqlite {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "gw-bulk-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

Result<std::unique_ptr<SqliteRepository>> Open(const std::string& path, bool bulk) {
  SqliteOptions options;
  options.path = path;
  options.defer_indexes = bulk;
  return SqliteRepository::Open(options);
}

// Whether the schema holds an object of that name, read with the plain API.
bool HasObject(const std::string& path, const std::string& name) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE name = ?1", -1, &st, nullptr) ==
          SQLITE_OK);
  sqlite3_bind_text(st, 1, name.c_str(), -1, SQLITE_TRANSIENT);
  const bool found = sqlite3_step(st) == SQLITE_ROW;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return found;
}

std::vector<Customer> Customers(int from, int to) {
  std::vector<Customer> out;
  for (int i = from; i < to; ++i) {
    Customer c;
    c.id = "c-" + std::to_string(i);
    c.email = "person" + std::to_string(i) + "@example.com";
    c.first_name = "Ludgate";
    c.last_name = std::to_string(i);
    c.display_name = "Ludgate " + std::to_string(i);
    c.created_at = c.updated_at = 1000 + i;
    out.push_back(c);
  }
  return out;
}

int64_t LikeTotal(SqliteRepository& repo, const std::string& pattern) {
  CustomerQuery q;
  q.conditions.push_back({QueryField::kName, QueryOp::kLike, {pattern}});
  Result<CustomerPage> page = repo.List(q);
  REQUIRE(page.ok());
  return page->total;
}

TEST_CASE("a bulk load into an empty file defers the indexes and refuses other opens meanwhile") {
  TempDir dir;
  const std::string path = dir.File("gw.db");
  auto repo = Open(path, true);
  REQUIRE(repo.ok());
  CHECK((*repo)->indexes_deferred());
  CHECK_FALSE(HasObject(path, "customers_created_at"));
  CHECK_FALSE(HasObject(path, "customers_search_insert"));
  CHECK(HasObject(path, "bulk_load_pending"));
  for (bool bulk : {false, true}) {
    auto other = Open(path, bulk);
    REQUIRE_FALSE(other.ok());
    CHECK(other.status().message().find("being loaded by an import") != std::string::npos);
  }
  const auto result = (*repo)->UpsertBatch(Customers(0, 50));
  for (const auto& outcome : result.outcomes) REQUIRE(outcome.ok());
  REQUIRE((*repo)->FinishBulkLoad().ok());
  CHECK_FALSE((*repo)->indexes_deferred());
  CHECK(HasObject(path, "customers_created_at"));
  CHECK(HasObject(path, "customers_search_insert"));
  CHECK_FALSE(HasObject(path, "bulk_load_pending"));
  CHECK(LikeTotal(**repo, "*udgat*") == 50);
  // Done: another process (or repository) may open the file beside it.
  auto other = Open(path, false);
  REQUIRE(other.ok());
  CHECK(LikeTotal(**other, "*ate 4*") == 11);
}

TEST_CASE("a bulk load into a file that holds customers keeps every index") {
  TempDir dir;
  const std::string path = dir.File("gw.db");
  {
    auto repo = Open(path, false);
    REQUIRE(repo.ok());
    REQUIRE((*repo)->Insert(Customers(0, 1)[0]).ok());
  }
  auto repo = Open(path, true);
  REQUIRE(repo.ok());
  CHECK_FALSE((*repo)->indexes_deferred());
  CHECK(HasObject(path, "customers_created_at"));
  CHECK(Open(path, false).ok());  // nothing held back: others may open it
}

TEST_CASE("indexes a load left pending are built by the next open; a bulk open resumes instead") {
  TempDir dir;
  const std::string path = dir.File("gw.db");
  {
    auto repo = Open(path, true);
    REQUIRE(repo.ok());
    for (const auto& outcome : (*repo)->UpsertBatch(Customers(0, 20)).outcomes) {
      REQUIRE(outcome.ok());
    }
  }  // closed without FinishBulkLoad, as a killed import would leave it
  CHECK(HasObject(path, "bulk_load_pending"));
  {
    auto resumed = Open(path, true);
    REQUIRE(resumed.ok());
    CHECK((*resumed)->indexes_deferred());
    CHECK_FALSE(HasObject(path, "customers_created_at"));
    for (const auto& outcome : (*resumed)->UpsertBatch(Customers(10, 30)).outcomes) {
      REQUIRE(outcome.ok());
    }
  }
  auto repo = Open(path, false);
  REQUIRE(repo.ok());
  CHECK_FALSE((*repo)->indexes_deferred());
  CHECK(HasObject(path, "customers_created_at"));
  CHECK(HasObject(path, "customers_search_update"));
  CHECK_FALSE(HasObject(path, "bulk_load_pending"));
  CHECK(LikeTotal(**repo, "*udgat*") == 30);
  Result<Customer> found = (*repo)->FindByEmail("PERSON29@example.com");
  REQUIRE(found.ok());
  CHECK(found->id == "c-29");
}

}  // namespace
}  // namespace gateway::sqlite
