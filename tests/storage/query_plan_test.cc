// Listing queries must be served by indexes: email and external_ref lookups
// by their own indexes, substring search by the trigram index, and every sort
// key without a temporary sort. This
// reads SQLite's plan for the exact SQL QueryCustomers runs.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "common/iso_time.h"
#include "common/uuid.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/customer_rows.h"
#include "storage/sqlite/schema.h"
#include "storage/sqlite/sqlite_repository.h"

namespace gateway::sqlite {
namespace {

std::string Plan(Connection& conn, const CustomerQuery& q) {
  Result<std::string> plan = ExplainCustomerQuery(conn, q);
  REQUIRE(plan.ok());
  return *plan;
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_CASE("listing queries use indexes for lookups and every sort key") {
  const std::string path = "/tmp/gateway-plan-" + NewUuid() + ".db";
  {
    Result<std::unique_ptr<Connection>> conn = Connection::Open(path, true);
    REQUIRE(conn.ok());
    REQUIRE(Migrate(**conn).ok());
    Connection& c = **conn;

    CustomerQuery by_email;
    by_email.conditions.push_back({QueryField::kEmail, QueryOp::kEq, {"Ron@Swanson.com"}});
    CHECK(Contains(Plan(c, by_email), "customers_email_key"));

    CustomerQuery by_ref;
    by_ref.conditions.push_back({QueryField::kExternalRef, QueryOp::kEq, {"crm-1"}});
    CHECK(Contains(Plan(c, by_ref), "customers_external_ref"));

    for (QueryField key : {QueryField::kCreatedAt, QueryField::kUpdatedAt, QueryField::kEmail,
                           QueryField::kName, QueryField::kId}) {
      for (bool descending : {false, true}) {
        CustomerQuery sorted;
        sorted.sort = {key, descending};
        std::string plan = Plan(c, sorted);
        CAPTURE(plan);
        CHECK_FALSE(Contains(plan, "USE TEMP B-TREE FOR ORDER BY"));
        CHECK_FALSE(Contains(plan, "SCAN customers\n"));
      }
    }

    // Substring search reads the trigram index, not the whole table, for
    // both fields, every '*' placement and any sort; a literal shorter than
    // three characters cannot use it.
    for (QueryField field : {QueryField::kName, QueryField::kEmail}) {
      for (const char* pattern : {"*zzq*", "zzq*", "*zzq", "zzq"}) {
        CustomerQuery like;
        like.conditions.push_back({field, QueryOp::kLike, {pattern}});
        like.sort = {QueryField::kCreatedAt, true};
        std::string plan = Plan(c, like);
        CAPTURE(pattern);
        CAPTURE(plan);
        CHECK(Contains(plan, "VIRTUAL TABLE INDEX"));
        CHECK(Contains(plan, "SEARCH customers USING INTEGER PRIMARY KEY (rowid=?)"));
        CHECK_FALSE(Contains(plan, "SCAN customers\n"));
        CHECK_FALSE(Contains(plan, "SCAN customers USING"));
      }
    }
    CustomerQuery short_like;
    short_like.conditions.push_back({QueryField::kName, QueryOp::kLike, {"*zq*"}});
    CHECK_FALSE(Contains(Plan(c, short_like), "VIRTUAL TABLE"));

    CustomerQuery since;
    since.conditions.push_back({QueryField::kCreatedAt, QueryOp::kGe, {}, 1700000000000});
    CHECK(Contains(Plan(c, since), "customers_created_at"));
  }
  std::remove(path.c_str());
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
}

// A substring most customers share is paged by walking the sort key's index
// (stopping when the page is full) rather than by reading and sorting every
// candidate the trigram index gives; the count still reads the index. Both
// ways must give the same page and total.
TEST_CASE("a common substring pages by the sort index, a rare one by the trigram index") {
  const std::string path = "/tmp/gateway-plan-" + NewUuid() + ".db";
  {
    SqliteOptions options;
    options.path = path;
    auto repo = SqliteRepository::Open(options);
    REQUIRE(repo.ok());
    std::vector<Customer> customers;
    for (int i = 0; i < 600; ++i) {
      Customer c;
      c.id = "c" + std::to_string(1000 + i);
      c.email = "c" + std::to_string(i) + "@example.com";
      // One in three shares "wyatt"; one in two hundred "zzq".
      c.display_name =
          (i % 3 == 0 ? "Wyatt " : "Other ") + std::to_string(i) + (i % 200 == 7 ? " Zzq" : "");
      c.first_name = c.display_name;
      c.created_at = c.updated_at = 1700000000000 + (i * 7919) % 600;
      customers.push_back(c);
    }
    for (const auto& outcome : (*repo)->UpsertBatch(customers).outcomes) REQUIRE(outcome.ok());

    Result<std::unique_ptr<Connection>> conn = Connection::Open(path, false);
    REQUIRE(conn.ok());
    for (const char* pattern : {"*wyatt*", "*zzq*"}) {
      for (int64_t offset : {0, 5, 190, 199, 200, 400}) {
        CustomerQuery q;
        q.conditions.push_back({QueryField::kName, QueryOp::kLike, {pattern}});
        q.sort = {QueryField::kCreatedAt, true};
        q.limit = 10;
        q.offset = offset;
        std::vector<const Customer*> expected;
        const std::string needle = pattern[1] == 'w' ? "wyatt" : "zzq";
        for (const Customer& c : customers) {
          std::string lower = c.display_name;
          std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
          if (lower.find(needle) != std::string::npos) expected.push_back(&c);
        }
        std::sort(expected.begin(), expected.end(), [](const Customer* a, const Customer* b) {
          return a->created_at != b->created_at ? a->created_at > b->created_at : a->id > b->id;
        });
        Result<CustomerPage> page = (*repo)->List(q);
        REQUIRE(page.ok());
        CAPTURE(pattern);
        CAPTURE(offset);
        CHECK(page->total == static_cast<int64_t>(expected.size()));
        std::vector<std::string> want;
        for (size_t i = offset; i < expected.size() && want.size() < 10; ++i) {
          want.push_back(expected[i]->id);
        }
        std::vector<std::string> got;
        for (const Customer& c : page->customers) got.push_back(c.id);
        CHECK(got == want);

        const std::string plan = Plan(**conn, q);
        CAPTURE(plan);
        if (needle == "zzq") {
          CHECK(Contains(plan, "VIRTUAL TABLE INDEX"));
        } else if (offset < 190) {  // (offset + 10) * 600 / 200 < 200
          CHECK_FALSE(Contains(plan, "VIRTUAL TABLE"));
          CHECK(Contains(plan, "customers_created_at"));
          CHECK_FALSE(Contains(plan, "USE TEMP B-TREE FOR ORDER BY"));
        } else {
          CHECK(Contains(plan, "VIRTUAL TABLE INDEX"));
        }
      }
    }
  }
  std::remove(path.c_str());
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
}

}  // namespace
}  // namespace gateway::sqlite
