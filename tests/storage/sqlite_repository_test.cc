// SqliteRepository on real database files: migrations, durability across
// reopen, the listing compiler, batch upserts, group commit under
// concurrency, settings.
#include "storage/sqlite/sqlite_repository.h"

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/iso_time.h"
#include "storage/sqlite/schema.h"
#include "tests/storage/settings_contract.h"

namespace gateway::sqlite {
namespace {

namespace fs = std::filesystem;

// A directory removed with everything in it when the test ends.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "gw-unit-XXXXXX").string();
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

std::unique_ptr<SqliteRepository> OpenRepo(const std::string& path) {
  SqliteOptions options;
  options.path = path;
  auto repo = SqliteRepository::Open(options);
  REQUIRE_MESSAGE(repo.ok(), repo.status().message());
  return std::move(*repo);
}

// Reads or writes PRAGMA user_version with the plain SQLite API.
int UserVersion(const std::string& path, int set_to = -1) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  if (set_to >= 0) {
    const std::string sql = "PRAGMA user_version=" + std::to_string(set_to);
    REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  }
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  const int v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

int64_t CountRows(const std::string& path, const char* table) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  const std::string sql = std::string("SELECT count(*) FROM ") + table;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  const int64_t n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

Customer MakeCustomer(const std::string& id, const std::string& email, int64_t created_at) {
  Customer c;
  c.id = id;
  c.email = email;
  c.display_name = "Customer " + id;
  std::tie(c.first_name, c.last_name) = SplitDisplayName(c.display_name);
  c.created_at = created_at;
  c.updated_at = created_at;
  return c;
}

Address MakeAddress(const std::string& id) {
  Address a;
  a.id = id;
  a.label = "Home";
  a.first_name = "Ron";
  a.line_1 = "1 Sunny Street";
  a.line_2 = "";  // empty, not absent
  a.postcode = "SU33 1YY";
  a.country = "GB";
  a.phone = "2173203531";
  a.created_at = 5;
  a.updated_at = 6;
  return a;
}

// Every field set, including the ones only one dialect sees.
Customer FullCustomer() {
  Customer c = MakeCustomer("c-full", "Full@Example.com", 1000);
  c.display_name = "  Full   Name ";
  c.first_name = "Full";
  c.last_name = "Name";
  c.password_hash = "$scrypt$ln=10,r=8,p=1$c2FsdA==$a2V5";
  c.external_ref = "crm \"quoted\" 🚀";
  c.status = CustomerStatus::kInactive;
  c.tags = {"VIP", "with \"quote\"", "山", ""};
  c.addresses = {MakeAddress("a-1"), MakeAddress("a-2")};
  c.addresses[1].label.reset();
  c.addresses[1].instructions = "Leave behind bin";
  c.updated_at = 2000;
  return c;
}

std::vector<std::string> Ids(const CustomerPage& page) {
  std::vector<std::string> ids;
  for (const Customer& c : page.customers) ids.push_back(c.id);
  return ids;
}

TEST_CASE("a new database is migrated to the latest schema version") {
  TempDir dir;
  const std::string path = dir.File("gw.db");
  { auto repo = OpenRepo(path); }
  CHECK(LatestSchemaVersion() >= 1);
  CHECK(UserVersion(path) == LatestSchemaVersion());
  // Reopening an up-to-date database changes nothing.
  { auto repo = OpenRepo(path); }
  CHECK(UserVersion(path) == LatestSchemaVersion());
}

void ExecSql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

TEST_CASE("a database of schema version 1 gains the substring index when opened") {
  TempDir dir;
  const std::string path = dir.File("gw.db");
  {
    auto repo = OpenRepo(path);
    REQUIRE(repo->Insert(FullCustomer()).ok());
    REQUIRE(repo->Insert(MakeCustomer("c-2", "second@example.com", 2000)).ok());
  }
  // What version 1 had: the tables without the search index.
  ExecSql(path,
          "DROP TRIGGER customers_search_insert; DROP TRIGGER customers_search_delete;"
          "DROP TRIGGER customers_search_update; DROP TABLE customers_search;"
          "DROP TABLE customers_search_pending;"
          "ALTER TABLE customers DROP COLUMN custom; ALTER TABLE addresses DROP COLUMN custom;"
          "PRAGMA user_version=1;");
  CHECK(UserVersion(path) == 1);
  auto repo = OpenRepo(path);
  CHECK(UserVersion(path) == LatestSchemaVersion());
  // The index itself answers (not a scan), for rows written before it existed.
  CHECK(CountRows(path, "customers_search('display_name : \"ull   na\"')") == 1);
  CHECK(CountRows(path, "customers_search('email_key : \"second@\"')") == 1);
  CustomerQuery q;
  q.conditions.push_back({QueryField::kName, QueryOp::kLike, {"*FULL   N*"}});
  Result<CustomerPage> page = repo->List(q);
  REQUIRE(page.ok());
  CHECK(Ids(*page) == std::vector<std::string>{"c-full"});
  CHECK(page->total == 1);
}

TEST_CASE("the substring index follows every commit, and writes of other programs on open") {
  TempDir dir;
  const std::string path = dir.File("gw.db");
  {
    auto repo = OpenRepo(path);
    REQUIRE(repo->Insert(MakeCustomer("c-1", "one@example.com", 1)).ok());
    // Deleted and re-inserted in one transaction: the row may reuse its rowid.
    REQUIRE(repo->ReplaceAll({MakeCustomer("c-2", "two@example.com", 2)}).ok());
    CHECK(CountRows(path, "customers_search_pending") == 0);
    CHECK(CountRows(path, "customers_search('email_key : \"one@\"')") == 0);
    CHECK(CountRows(path, "customers_search('email_key : \"two@\"')") == 1);
  }
  // A write from outside the gateway leaves a note the next open applies.
  ExecSql(path,
          "INSERT INTO customers (id, email, email_key, display_name, created_at, updated_at) "
          "VALUES ('c-3', 'Three@example.com', 'three@example.com', 'Third One', 3, 3)");
  CHECK(CountRows(path, "customers_search_pending") == 1);
  auto repo = OpenRepo(path);
  CHECK(CountRows(path, "customers_search_pending") == 0);
  CustomerQuery q;
  q.conditions.push_back({QueryField::kName, QueryOp::kLike, {"*THIRD*"}});
  Result<CustomerPage> page = repo->List(q);
  REQUIRE(page.ok());
  CHECK(Ids(*page) == std::vector<std::string>{"c-3"});
  // The FTS5 integrity check compares the index with the table it indexes.
  ExecSql(path,
          "INSERT INTO customers_search(customers_search, rank) VALUES ('integrity-check', 1)");
}

TEST_CASE("a database from a newer gateway is refused and left alone") {
  TempDir dir;
  const std::string path = dir.File("gw.db");
  {
    auto repo = OpenRepo(path);
    REQUIRE(repo->Insert(FullCustomer()).ok());
  }
  UserVersion(path, LatestSchemaVersion() + 1);
  SqliteOptions options;
  options.path = path;
  auto refused = SqliteRepository::Open(options);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == ErrorCode::kInternal);
  CHECK(refused.status().message().find("newer") != std::string::npos);
  CHECK(UserVersion(path) == LatestSchemaVersion() + 1);
  CHECK(CountRows(path, "customers") == 1);
}

TEST_CASE("an unopenable path fails with a message naming it") {
  SqliteOptions options;
  options.path = "/nonexistent-dir-for-gateway-tests/x.db";
  auto repo = SqliteRepository::Open(options);
  REQUIRE_FALSE(repo.ok());
  CHECK(repo.status().message().find(options.path) != std::string::npos);

  TempDir dir;
  const std::string not_a_db = dir.File("text.db");
  {
    FILE* f = std::fopen(not_a_db.c_str(), "w");
    REQUIRE(f != nullptr);
    std::fputs("this is not a SQLite database, just some text that is long enough\n", f);
    std::fclose(f);
  }
  options.path = not_a_db;
  CHECK_FALSE(SqliteRepository::Open(options).ok());
}

TEST_CASE("every field round-trips, and survives closing and reopening") {
  TempDir dir;
  const std::string path = dir.File("gw.db");
  const Customer full = FullCustomer();
  Customer bare = MakeCustomer("c-bare", "bare@example.com", 3000);
  {
    auto repo = OpenRepo(path);
    REQUIRE(repo->Insert(full).ok());
    REQUIRE(repo->Insert(bare).ok());
    Result<Customer> got = repo->Get(full.id);
    REQUIRE(got.ok());
    CHECK(*got == full);
  }
  auto repo = OpenRepo(path);
  Result<Customer> got = repo->Get(full.id);
  REQUIRE(got.ok());
  CHECK(*got == full);
  Result<Customer> bare_got = repo->Get(bare.id);
  REQUIRE(bare_got.ok());
  CHECK(*bare_got == bare);
  CHECK_FALSE(bare_got->password_hash.has_value());
  CHECK_FALSE(bare_got->external_ref.has_value());
  CHECK(bare_got->tags.empty());
  // Address order, and empty-versus-absent, are kept.
  REQUIRE(got->addresses.size() == 2);
  CHECK(got->addresses[0].id == "a-1");
  CHECK(got->addresses[0].line_2 == "");
  CHECK_FALSE(got->addresses[1].label.has_value());
  CHECK_FALSE(got->addresses[0].county.has_value());
}

TEST_CASE("an acknowledged write is committed before the call returns") {
  TempDir dir;
  const std::string path = dir.File("gw.db");
  auto repo = OpenRepo(path);
  REQUIRE(repo->Insert(FullCustomer()).ok());
  REQUIRE(repo->Update("c-full",
                       [](Customer& c) {
                         c.tags = {"after update"};
                         return Status::Ok();
                       })
              .ok());
  // Another process (here: another repository on the same file) sees it at
  // once, without the first one closing or checkpointing.
  auto other = OpenRepo(path);
  Result<Customer> seen = other->Get("c-full");
  REQUIRE(seen.ok());
  CHECK(seen->tags == std::vector<std::string>{"after update"});
  CHECK(CountRows(path, "addresses") == 2);
}

TEST_CASE("on_commit_batch sees every group commit, each write in one, before it returns") {
  TempDir dir;
  std::atomic<int64_t> batches = 0;
  std::atomic<int64_t> writes = 0;
  SqliteOptions options;
  options.path = dir.File("gw.db");
  options.on_commit_batch = [&](size_t n) {
    batches++;
    writes += static_cast<int64_t>(n);
  };
  auto repo = SqliteRepository::Open(options);
  REQUIRE(repo.ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        Customer c = FullCustomer();
        c.id = std::to_string(t) + "-" + std::to_string(i);
        c.email = c.id + "@example.com";
        c.addresses.clear();
        CHECK((*repo)->Insert(c).ok());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(writes == 100);
  CHECK(batches == static_cast<int64_t>((*repo)->stats().transactions));
}

TEST_CASE("FindByEmail is case-insensitive") {
  auto repo = OpenRepo(":memory:");
  REQUIRE(repo->Insert(FullCustomer()).ok());
  for (const char* email : {"Full@Example.com", "full@example.com", "FULL@EXAMPLE.COM"}) {
    Result<Customer> c = repo->FindByEmail(email);
    REQUIRE(c.ok());
    CHECK(c->id == "c-full");
    CHECK(c->email == "Full@Example.com");  // stored as written
  }
  CHECK(repo->FindByEmail("other@example.com").status().code() == ErrorCode::kCustomerNotFound);
}

TEST_CASE("Insert refuses a taken email or id and writes nothing") {
  TempDir dir;
  const std::string path = dir.File("gw.db");
  auto repo = OpenRepo(path);
  REQUIRE(repo->Insert(FullCustomer()).ok());

  Customer same_email = MakeCustomer("c-2", "FULL@example.COM", 1);
  same_email.addresses = {MakeAddress("a-new")};
  CHECK(repo->Insert(same_email).code() == ErrorCode::kDuplicateEmail);

  Customer same_id = MakeCustomer("c-full", "other@example.com", 1);
  Status s = repo->Insert(same_id);
  CHECK(s.code() == ErrorCode::kInvalidArgument);
  CHECK(s.field() == "id");

  // An address id held by another customer fails the whole insert.
  Customer taken_address = MakeCustomer("c-3", "third@example.com", 1);
  taken_address.addresses = {MakeAddress("a-1")};
  CHECK_FALSE(repo->Insert(taken_address).ok());
  CHECK(repo->Get("c-3").status().code() == ErrorCode::kCustomerNotFound);

  CHECK(CountRows(path, "customers") == 1);
  CHECK(CountRows(path, "addresses") == 2);
}

TEST_CASE("Update applies a mutation atomically; a failing one changes nothing") {
  auto repo = OpenRepo(":memory:");
  const Customer full = FullCustomer();
  REQUIRE(repo->Insert(full).ok());
  REQUIRE(repo->Insert(MakeCustomer("c-2", "two@example.com", 1)).ok());

  Result<Customer> r = repo->Update(full.id, [](Customer& c) {
    c.tags.push_back("new");
    c.addresses.pop_back();
    return Status::Ok();
  });
  REQUIRE(r.ok());
  CHECK(r->tags.back() == "new");
  Result<Customer> got = repo->Get(full.id);
  REQUIRE(got.ok());
  CHECK(*got == *r);
  CHECK(got->addresses.size() == 1);

  // The mutation refuses: nothing stored.
  Result<Customer> refused = repo->Update(full.id, [](Customer& c) {
    c.display_name = "changed";
    return Status::Invalid("name", "no");
  });
  CHECK(refused.status().field() == "name");
  CHECK(*repo->Get(full.id) == *got);

  // Storage refuses (email taken): nothing stored either.
  Result<Customer> dup = repo->Update(full.id, [](Customer& c) {
    c.display_name = "changed";
    c.email = "TWO@example.com";
    return Status::Ok();
  });
  CHECK(dup.status().code() == ErrorCode::kDuplicateEmail);
  CHECK(*repo->Get(full.id) == *got);

  CHECK(repo->Update("missing", [](Customer&) { return Status::Ok(); }).status().code() ==
        ErrorCode::kCustomerNotFound);
}

TEST_CASE("Remove deletes the customer and its addresses") {
  TempDir dir;
  const std::string path = dir.File("gw.db");
  auto repo = OpenRepo(path);
  REQUIRE(repo->Insert(FullCustomer()).ok());
  REQUIRE(repo->Insert(MakeCustomer("c-2", "two@example.com", 1)).ok());
  CHECK(repo->Remove("c-full").ok());
  CHECK(repo->Get("c-full").status().code() == ErrorCode::kCustomerNotFound);
  CHECK(repo->Remove("c-full").code() == ErrorCode::kCustomerNotFound);
  CHECK(CountRows(path, "addresses") == 0);
  CHECK(CountRows(path, "customers") == 1);
  // The address ids are free for reuse.
  Customer again = FullCustomer();
  again.id = "c-again";
  CHECK(repo->Insert(again).ok());
}

// Five customers with distinct, known values for every listable field.
struct ListingFixture {
  ListingFixture() {
    repo = OpenRepo(dir.File("list.db"));
    const char* names[] = {"alice Archer", "Bob Baker", "carol Carter", "Dave Dyer", "Eve Evans"};
    const char* emails[] = {"alice@example.com", "Bob@Example.com", "carol@other.org",
                            "dave_d@example.com", "eve%x@other.org"};
    for (int i = 0; i < 5; ++i) {
      Customer c = MakeCustomer("id-" + std::to_string(i), emails[i], kBase + i * 1000);
      c.display_name = names[i];
      c.updated_at = kBase + (4 - i) * 1000;  // reverse order of creation
      c.external_ref =
          i % 2 == 0 ? std::optional<std::string>("ref-" + std::to_string(i)) : std::nullopt;
      c.status = i == 3 ? CustomerStatus::kInactive : CustomerStatus::kActive;
      if (i == 0) c.tags = {"VIP", "wholesale"};
      if (i == 2) c.tags = {"VIP"};
      if (i == 4) c.tags = {"retail"};
      c.addresses = {MakeAddress("addr-" + std::to_string(i))};
      REQUIRE(repo->Insert(c).ok());
    }
  }

  std::vector<std::string> Find(std::vector<Condition> conditions,
                                SortOrder sort = {QueryField::kCreatedAt, false}) {
    CustomerQuery q;
    q.conditions = std::move(conditions);
    q.sort = sort;
    q.limit = 100;
    Result<CustomerPage> page = repo->List(q);
    REQUIRE_MESSAGE(page.ok(), page.status().message());
    CHECK(page->total == static_cast<int64_t>(page->customers.size()));
    return Ids(*page);
  }

  static constexpr int64_t kBase = 1'600'000'000'000;
  TempDir dir;
  std::unique_ptr<SqliteRepository> repo;
};

using V = std::vector<std::string>;

TEST_CASE_FIXTURE(ListingFixture, "List: equality on each text field") {
  CHECK(Find({{QueryField::kId, QueryOp::kEq, {"id-2"}}}) == V{"id-2"});
  CHECK(Find({{QueryField::kId, QueryOp::kEq, {"ID-2"}}}) == V{});  // ids are exact
  CHECK(Find({{QueryField::kEmail, QueryOp::kEq, {"bob@example.com"}}}) == V{"id-1"});
  CHECK(Find({{QueryField::kEmail, QueryOp::kEq, {"ALICE@EXAMPLE.COM"}}}) == V{"id-0"});
  CHECK(Find({{QueryField::kName, QueryOp::kEq, {"bob baker"}}}) == V{"id-1"});
  CHECK(Find({{QueryField::kName, QueryOp::kEq, {"Bob"}}}) == V{});
  CHECK(Find({{QueryField::kExternalRef, QueryOp::kEq, {"ref-4"}}}) == V{"id-4"});
  CHECK(Find({{QueryField::kStatus, QueryOp::kEq, {"INACTIVE"}}}) == V{"id-3"});
  CHECK(Find({{QueryField::kStatus, QueryOp::kEq, {"ACTIVE"}}}).size() == 4);
}

TEST_CASE_FIXTURE(ListingFixture, "List: like with wildcards at either end") {
  CHECK(Find({{QueryField::kEmail, QueryOp::kLike, {"*@other.org"}}}) == V{"id-2", "id-4"});
  CHECK(Find({{QueryField::kEmail, QueryOp::kLike, {"BOB*"}}}) == V{"id-1"});
  CHECK(Find({{QueryField::kEmail, QueryOp::kLike, {"*EXAMPLE*"}}}) == V{"id-0", "id-1", "id-3"});
  CHECK(Find({{QueryField::kName, QueryOp::kLike, {"*er"}}}) == V{"id-0", "id-1", "id-2", "id-3"});
  CHECK(Find({{QueryField::kName, QueryOp::kLike, {"CAROL*"}}}) == V{"id-2"});
  // Without a wildcard, like is a case-insensitive equality.
  CHECK(Find({{QueryField::kName, QueryOp::kLike, {"eve evans"}}}) == V{"id-4"});
  CHECK(Find({{QueryField::kName, QueryOp::kLike, {"eve"}}}) == V{});
}

TEST_CASE_FIXTURE(ListingFixture, "List: SQL wildcard characters in a like pattern are literal") {
  // '_' and '%' would match any character in raw SQL LIKE.
  CHECK(Find({{QueryField::kEmail, QueryOp::kLike, {"dave_*"}}}) == V{"id-3"});
  CHECK(Find({{QueryField::kEmail, QueryOp::kLike, {"alice_*"}}}) == V{});
  CHECK(Find({{QueryField::kEmail, QueryOp::kLike, {"eve%*"}}}) == V{"id-4"});
  CHECK(Find({{QueryField::kEmail, QueryOp::kLike, {"%*"}}}) == V{});
  // A '*' inside the pattern is not a wildcard.
  CHECK(Find({{QueryField::kEmail, QueryOp::kLike, {"a*e@example.com"}}}) == V{});
  // Quotes are data, never SQL.
  CHECK(Find({{QueryField::kName, QueryOp::kLike, {"*' OR '1'='1"}}}) == V{});
  CHECK(Find({{QueryField::kId, QueryOp::kEq, {"x' OR 1=1 --"}}}) == V{});
}

TEST_CASE_FIXTURE(ListingFixture, "List: in over ids, emails and statuses") {
  CHECK(Find({{QueryField::kId, QueryOp::kIn, {"id-4", "id-0", "nope"}}}) == V{"id-0", "id-4"});
  CHECK(Find({{QueryField::kEmail, QueryOp::kIn, {"BOB@example.com", "carol@OTHER.org"}}}) ==
        V{"id-1", "id-2"});
  CHECK(Find({{QueryField::kStatus, QueryOp::kIn, {"ACTIVE", "INACTIVE"}}}).size() == 5);
  CHECK(Find({{QueryField::kExternalRef, QueryOp::kIn, {"ref-0", "ref-2", "ref-1"}}}) ==
        V{"id-0", "id-2"});
  CHECK(Find({{QueryField::kName, QueryOp::kIn, {"EVE EVANS", "bob baker"}}}) == V{"id-1", "id-4"});
}

TEST_CASE_FIXTURE(ListingFixture, "List: ordering comparisons on ids") {
  CHECK(Find({{QueryField::kId, QueryOp::kGt, {"id-2"}}}) == V{"id-3", "id-4"});
  CHECK(Find({{QueryField::kId, QueryOp::kGe, {"id-2"}}}) == V{"id-2", "id-3", "id-4"});
  CHECK(Find({{QueryField::kId, QueryOp::kLt, {"id-2"}}}) == V{"id-0", "id-1"});
  CHECK(Find({{QueryField::kId, QueryOp::kLe, {"id-2"}}}) == V{"id-0", "id-1", "id-2"});
}

TEST_CASE_FIXTURE(ListingFixture, "List: tags match any listed tag via json_each") {
  CHECK(Find({{QueryField::kTag, QueryOp::kIn, {"VIP"}}}) == V{"id-0", "id-2"});
  CHECK(Find({{QueryField::kTag, QueryOp::kEq, {"VIP"}}}) == V{"id-0", "id-2"});
  CHECK(Find({{QueryField::kTag, QueryOp::kIn, {"retail", "wholesale"}}}) == V{"id-0", "id-4"});
  CHECK(Find({{QueryField::kTag, QueryOp::kIn, {"vip"}}}) == V{});  // tags are exact
  CHECK(Find({{QueryField::kTag, QueryOp::kIn, {"VI"}}}) == V{});   // whole tags, not substrings
  CHECK(Find({{QueryField::kTag, QueryOp::kIn, {"none"}}}) == V{});
}

TEST_CASE_FIXTURE(ListingFixture, "List: comparisons on timestamps") {
  const int64_t t2 = kBase + 2000;  // created_at of id-2, updated_at of id-2
  auto created = [&](QueryOp op) {
    Condition c{QueryField::kCreatedAt, op, {}};
    c.millis = t2;
    return Find({c});
  };
  CHECK(created(QueryOp::kEq) == V{"id-2"});
  CHECK(created(QueryOp::kGt) == V{"id-3", "id-4"});
  CHECK(created(QueryOp::kGe) == V{"id-2", "id-3", "id-4"});
  CHECK(created(QueryOp::kLt) == V{"id-0", "id-1"});
  CHECK(created(QueryOp::kLe) == V{"id-0", "id-1", "id-2"});

  Condition updated{QueryField::kUpdatedAt, QueryOp::kGt, {}};
  updated.millis = t2;
  CHECK(Find({updated}) == V{"id-0", "id-1"});
  // A range is two conditions, both of which must hold.
  Condition from{QueryField::kCreatedAt, QueryOp::kGe, {}};
  from.millis = kBase + 1000;
  Condition to{QueryField::kCreatedAt, QueryOp::kLt, {}};
  to.millis = kBase + 3000;
  CHECK(Find({from, to}) == V{"id-1", "id-2"});
}

TEST_CASE_FIXTURE(ListingFixture, "List: conditions combine with AND") {
  CHECK(Find({{QueryField::kEmail, QueryOp::kLike, {"*@example.com"}},
              {QueryField::kStatus, QueryOp::kEq, {"ACTIVE"}}}) == V{"id-0", "id-1"});
  CHECK(Find({{QueryField::kTag, QueryOp::kIn, {"VIP"}},
              {QueryField::kEmail, QueryOp::kLike, {"*@other.org"}}}) == V{"id-2"});
  Condition after{QueryField::kCreatedAt, QueryOp::kGt, {}};
  after.millis = kBase;
  CHECK(Find({after, {QueryField::kExternalRef, QueryOp::kEq, {"ref-2"}}}) == V{"id-2"});
  CHECK(Find({{QueryField::kId, QueryOp::kEq, {"id-1"}},
              {QueryField::kId, QueryOp::kEq, {"id-2"}}}) == V{});
}

TEST_CASE_FIXTURE(ListingFixture, "List: sort orders") {
  CHECK(Find({}, {QueryField::kCreatedAt, false}) == V{"id-0", "id-1", "id-2", "id-3", "id-4"});
  CHECK(Find({}, {QueryField::kCreatedAt, true}) == V{"id-4", "id-3", "id-2", "id-1", "id-0"});
  CHECK(Find({}, {QueryField::kUpdatedAt, false}) == V{"id-4", "id-3", "id-2", "id-1", "id-0"});
  CHECK(Find({}, {QueryField::kUpdatedAt, true}) == V{"id-0", "id-1", "id-2", "id-3", "id-4"});
  CHECK(Find({}, {QueryField::kId, true}) == V{"id-4", "id-3", "id-2", "id-1", "id-0"});
  // Names sort case-insensitively: alice, Bob, carol, Dave, Eve.
  CHECK(Find({}, {QueryField::kName, false}) == V{"id-0", "id-1", "id-2", "id-3", "id-4"});
  CHECK(Find({}, {QueryField::kName, true}) == V{"id-4", "id-3", "id-2", "id-1", "id-0"});
  // Emails sort by their lower-cased form: alice, bob, carol, dave_d, eve%x.
  CHECK(Find({}, {QueryField::kEmail, false}) == V{"id-0", "id-1", "id-2", "id-3", "id-4"});
  // The default listing is newest first.
  CustomerQuery q;
  CHECK(Ids(*repo->List(q)) == V{"id-4", "id-3", "id-2", "id-1", "id-0"});
}

TEST_CASE_FIXTURE(ListingFixture, "List: equal sort keys tie-break on id in the same direction") {
  for (const char* id : {"tie-b", "tie-c", "tie-a"}) {
    Customer c = MakeCustomer(id, std::string(id) + "@tie.example", kBase + 500);
    c.display_name = "Same Name";
    REQUIRE(repo->Insert(c).ok());
  }
  Condition at{QueryField::kCreatedAt, QueryOp::kEq, {}};
  at.millis = kBase + 500;
  CHECK(Find({at}, {QueryField::kCreatedAt, false}) == V{"tie-a", "tie-b", "tie-c"});
  CHECK(Find({at}, {QueryField::kCreatedAt, true}) == V{"tie-c", "tie-b", "tie-a"});
  CHECK(Find({{QueryField::kName, QueryOp::kEq, {"same name"}}}, {QueryField::kName, false}) ==
        V{"tie-a", "tie-b", "tie-c"});
  CHECK(Find({{QueryField::kName, QueryOp::kEq, {"same name"}}}, {QueryField::kName, true}) ==
        V{"tie-c", "tie-b", "tie-a"});
}

TEST_CASE_FIXTURE(ListingFixture, "List: pages carry the total of all matches") {
  CustomerQuery q;
  q.sort = {QueryField::kCreatedAt, false};
  q.limit = 2;
  std::vector<std::string> seen;
  for (q.offset = 0; q.offset < 6; q.offset += 2) {
    Result<CustomerPage> page = repo->List(q);
    REQUIRE(page.ok());
    CHECK(page->total == 5);
    CHECK(page->customers.size() == (q.offset < 4 ? 2u : 1u));
    for (const Customer& c : page->customers) seen.push_back(c.id);
  }
  CHECK(seen == V{"id-0", "id-1", "id-2", "id-3", "id-4"});

  q.offset = 50;
  Result<CustomerPage> past_end = repo->List(q);
  REQUIRE(past_end.ok());
  CHECK(past_end->total == 5);
  CHECK(past_end->customers.empty());

  q.offset = 0;
  q.conditions = {{QueryField::kEmail, QueryOp::kLike, {"*@example.com"}}};
  q.limit = 1;
  Result<CustomerPage> filtered = repo->List(q);
  REQUIRE(filtered.ok());
  CHECK(filtered->total == 3);
  CHECK(Ids(*filtered) == V{"id-0"});
}

TEST_CASE_FIXTURE(ListingFixture, "List: customers come with their addresses") {
  CustomerQuery q;
  Result<CustomerPage> page = repo->List(q);
  REQUIRE(page.ok());
  for (const Customer& c : page->customers) {
    REQUIRE(c.addresses.size() == 1);
    CHECK(c.addresses[0].id == "addr-" + c.id.substr(3));
    CHECK(*repo->Get(c.id) == c);
  }
}

TEST_CASE("UpsertBatch creates, updates, leaves unchanged, and isolates failures") {
  TempDir dir;
  auto repo = OpenRepo(dir.File("gw.db"));
  Customer existing = MakeCustomer("HkhhuXESl", "john.doe@gmail.com", 1000);
  existing.addresses = {MakeAddress("addr-x")};
  Customer unchanged = MakeCustomer("S1xAB", "same@example.com", 1000);
  Customer holder = MakeCustomer("holder", "taken@example.com", 1000);
  REQUIRE(repo->Insert(existing).ok());
  REQUIRE(repo->Insert(unchanged).ok());
  REQUIRE(repo->Insert(holder).ok());

  Customer changed = existing;
  changed.tags = {"VIP"};
  changed.addresses[0].city = "Bloomington";
  Customer fresh = MakeCustomer("ByNewId", "new@example.com", 2000);
  fresh.addresses = {MakeAddress("addr-new")};
  Customer clash = MakeCustomer("Clash1", "TAKEN@example.com", 2000);  // email of `holder`
  clash.addresses = {MakeAddress("addr-clash")};
  Customer after_clash = MakeCustomer("After", "after@example.com", 2000);

  const std::vector<Customer> batch = {changed, fresh, clash, unchanged, after_clash};
  CustomerRepository::BatchResult result = repo->UpsertBatch(batch);
  REQUIRE(result.outcomes.size() == batch.size());
  REQUIRE(result.outcomes[0].ok());
  CHECK(*result.outcomes[0] == UpsertOutcome::kUpdated);
  REQUIRE(result.outcomes[1].ok());
  CHECK(*result.outcomes[1] == UpsertOutcome::kCreated);
  CHECK(result.outcomes[2].status().code() == ErrorCode::kDuplicateEmail);
  REQUIRE(result.outcomes[3].ok());
  CHECK(*result.outcomes[3] == UpsertOutcome::kUnchanged);
  REQUIRE(result.outcomes[4].ok());
  CHECK(*result.outcomes[4] == UpsertOutcome::kCreated);

  CHECK(*repo->Get("HkhhuXESl") == changed);
  CHECK(*repo->Get("ByNewId") == fresh);
  CHECK(*repo->Get("After") == after_clash);
  CHECK(repo->Get("Clash1").status().code() == ErrorCode::kCustomerNotFound);
  CHECK(*repo->Get("holder") == holder);
  // The failed record left no address behind.
  Customer reuse = MakeCustomer("Reuse", "reuse@example.com", 3000);
  reuse.addresses = {MakeAddress("addr-clash")};
  CHECK(repo->Insert(reuse).ok());

  // Re-running the same import is idempotent.
  CustomerRepository::BatchResult again = repo->UpsertBatch(batch);
  REQUIRE(again.outcomes.size() == batch.size());
  for (size_t i : {0u, 1u, 3u, 4u}) {
    REQUIRE(again.outcomes[i].ok());
    CHECK(*again.outcomes[i] == UpsertOutcome::kUnchanged);
  }
  CHECK_FALSE(again.outcomes[2].ok());
  CustomerQuery all;
  CHECK(repo->List(all)->total == 6);
}

TEST_CASE("UpsertBatch of nothing is a no-op") {
  auto repo = OpenRepo(":memory:");
  CHECK(repo->UpsertBatch({}).outcomes.empty());
}

TEST_CASE("concurrent writers all commit, grouped into fewer transactions") {
  TempDir dir;
  const std::string path = dir.File("gw.db");
  auto repo = OpenRepo(path);
  constexpr int kThreads = 16;
  constexpr int kPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  const SqliteRepository::Stats before = repo->stats();
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
        Customer c = MakeCustomer(id, id + "@example.com", NowMillis());
        c.addresses = {MakeAddress("addr-" + id)};
        if (!repo->Insert(c).ok()) ++failures;
        // Readers run beside the writer and see every acknowledged write.
        if (!repo->Get(id).ok()) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(failures.load() == 0);
  const SqliteRepository::Stats after = repo->stats();
  const uint64_t writes = after.writes - before.writes;
  const uint64_t transactions = after.transactions - before.transactions;
  CHECK(writes == static_cast<uint64_t>(kThreads * kPerThread));
  MESSAGE("group commit: " << writes << " writes in " << transactions << " transactions");
  CHECK(transactions < writes);

  repo.reset();
  CHECK(CountRows(path, "customers") == kThreads * kPerThread);
  CHECK(CountRows(path, "addresses") == kThreads * kPerThread);
}

TEST_CASE("concurrent updates of one customer never lose each other's changes") {
  auto repo = OpenRepo(":memory:");
  REQUIRE(repo->Insert(MakeCustomer("c", "c@example.com", 1)).ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        CHECK(repo->Update("c",
                           [&](Customer& c) {
                             c.tags.push_back(std::to_string(t) + "-" + std::to_string(i));
                             return Status::Ok();
                           })
                  .ok());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(repo->Get("c")->tags.size() == 80);
}

TEST_CASE("ForEach visits every customer once, in creation order, across pages") {
  TempDir dir;
  auto repo = OpenRepo(dir.File("gw.db"));
  std::vector<Customer> many;
  for (int i = 0; i < 1203; ++i) {
    // Created out of id order, so the visit order must come from created_at.
    const std::string id = "c" + std::to_string((i * 7919) % 1203);
    many.push_back(MakeCustomer(id, id + "@example.com", 1000 + i));
  }
  CustomerRepository::BatchResult r = repo->UpsertBatch(many);
  REQUIRE(r.outcomes.size() == many.size());
  CHECK(std::all_of(r.outcomes.begin(), r.outcomes.end(),
                    [](const Result<UpsertOutcome>& o) { return o.ok(); }));
  std::vector<std::string> visited;
  REQUIRE(repo->ForEach([&](const Customer& c) { visited.push_back(c.id); }).ok());
  REQUIRE(visited.size() == many.size());
  for (size_t i = 0; i < many.size(); ++i) CHECK(visited[i] == many[i].id);
  CHECK(std::set<std::string>(visited.begin(), visited.end()).size() == many.size());

  auto empty = OpenRepo(":memory:");
  int calls = 0;
  CHECK(empty->ForEach([&](const Customer&) { ++calls; }).ok());
  CHECK(calls == 0);
}

TEST_CASE("GetOrCreateSetting creates once and keeps the value across reopen") {
  TempDir dir;
  const std::string path = dir.File("gw.db");
  int made = 0;
  auto make = [&] {
    ++made;
    return "value-" + std::to_string(made);
  };
  {
    auto repo = OpenRepo(path);
    Result<std::string> first = repo->GetOrCreateSetting("jwt_secret", make);
    REQUIRE(first.ok());
    CHECK(*first == "value-1");
    Result<std::string> second = repo->GetOrCreateSetting("jwt_secret", make);
    REQUIRE(second.ok());
    CHECK(*second == "value-1");
    CHECK(made == 1);
    // Keys are independent.
    CHECK(*repo->GetOrCreateSetting("client_id", make) == "value-2");
  }
  auto repo = OpenRepo(path);
  CHECK(*repo->GetOrCreateSetting("jwt_secret", make) == "value-1");
  CHECK(*repo->GetOrCreateSetting("client_id", make) == "value-2");
  CHECK(made == 2);
}

TEST_CASE("ReplaceSetting: concurrent read-change-write loops on two instances lose nothing") {
  TempDir dir;
  const std::string path = dir.File("gw.db");
  auto a = OpenRepo(path);
  auto b = OpenRepo(path);
  contract::CheckReplaceSetting({a.get(), b.get()}, 50);
}

TEST_CASE("PutSetting replaces a value, GetSetting reads it, both across reopen") {
  TempDir dir;
  const std::string path = dir.File("gw.db");
  {
    auto repo = OpenRepo(path);
    CHECK_FALSE(repo->GetSetting("page_length")->has_value());
    REQUIRE(repo->PutSetting("page_length", "7").ok());
    REQUIRE(repo->PutSetting("page_length", "9").ok());
    CHECK(**repo->GetSetting("page_length") == "9");
    CHECK(*repo->GetOrCreateSetting("page_length", [] { return std::string("25"); }) == "9");
  }
  auto repo = OpenRepo(path);
  CHECK(**repo->GetSetting("page_length") == "9");
}

TEST_CASE("GetOrCreateSetting under concurrent first use creates exactly once") {
  TempDir dir;
  auto repo = OpenRepo(dir.File("gw.db"));
  std::atomic<int> made{0};
  std::vector<std::thread> threads;
  std::vector<std::string> seen(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      seen[t] = *repo->GetOrCreateSetting("client_secret",
                                          [&] { return "secret-" + std::to_string(++made); });
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(made.load() == 1);
  for (const std::string& s : seen) CHECK(s == "secret-1");
}

TEST_CASE("an in-memory repository works and starts empty each time") {
  {
    auto repo = OpenRepo(":memory:");
    REQUIRE(repo->Insert(FullCustomer()).ok());
    CHECK(*repo->Get("c-full") == FullCustomer());
    CustomerQuery q;
    CHECK(repo->List(q)->total == 1);
  }
  auto repo = OpenRepo(":memory:");
  CustomerQuery q;
  CHECK(repo->List(q)->total == 0);
}

}  // namespace
}  // namespace gateway::sqlite

namespace gateway::sqlite {
namespace {

// Before the writer refused calls from its own thread, each of these waited
// for the writer thread from the writer thread and never returned.
TEST_CASE(
    "a repository call from inside a mutation, merge or :memory: visitor fails, never hangs") {
  auto repo = OpenRepo(":memory:");
  REQUIRE(repo->Insert(MakeCustomer("c", "c@example.com", 1)).ok());

  Status inner = Status::Ok();
  Result<Customer> updated = repo->Update("c", [&](Customer& c) {
    inner = repo->Get("other").status();
    c.first_name = "changed";
    return inner;
  });
  CHECK(inner.code() == ErrorCode::kInternal);
  CHECK(updated.status().code() == ErrorCode::kInternal);
  CHECK(repo->Get("c")->first_name != "changed");

  CustomerRepository::BatchResult batch = repo->UpsertBatch(
      {MakeCustomer("d", "d@example.com", 2)}, [&](size_t, const Customer*, Customer&) {
        inner = repo->Insert(MakeCustomer("e", "e@example.com", 3));
      });
  CHECK(inner.code() == ErrorCode::kInternal);
  CHECK_FALSE(repo->Get("e").ok());

  size_t visited = 0;
  Status visit = repo->ForEach([&](const Customer&) {
    ++visited;
    inner = repo->Remove("c");
  });
  CHECK(visit.ok());
  CHECK(visited >= 1);
  CHECK(inner.code() == ErrorCode::kInternal);
  CHECK(repo->Get("c").ok());
}

}  // namespace
}  // namespace gateway::sqlite
