// Listing queries must be served by indexes: email and external_ref lookups
// by their own indexes, substring search by the trigram index, and every sort
// key without a temporary sort. This
// reads SQLite's plan for the exact SQL QueryCustomers runs.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "common/iso_time.h"
#include "common/uuid.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/customer_rows.h"
#include "storage/sqlite/schema.h"

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

}  // namespace
}  // namespace gateway::sqlite
