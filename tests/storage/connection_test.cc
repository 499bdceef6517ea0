// Connection's statement cache: leases, its bound, and listings that do not
// grow it.
#include "storage/sqlite/connection.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "storage/sqlite/customer_rows.h"
#include "storage/sqlite/schema.h"

namespace gateway::sqlite {
namespace {

std::unique_ptr<Connection> OpenMemory() {
  Result<std::unique_ptr<Connection>> conn = Connection::Open(":memory:", true);
  REQUIRE(conn.ok());
  return std::move(*conn);
}

// Before leases, the 512th distinct statement finalized every cached one,
// including the statement still being stepped here: the next Step used a
// finalized handle (a visit then restarted, yielding rows twice, or crashed).
TEST_CASE("a statement being stepped survives the cache filling up beneath it") {
  auto conn = OpenMemory();
  REQUIRE(conn->Exec("CREATE TABLE t (v INTEGER)").ok());
  REQUIRE(conn->Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                     "WHERE i < 5) INSERT INTO t SELECT i FROM n")
              .ok());
  Result<Statement> outer = conn->Prepare("SELECT v FROM t ORDER BY v");
  REQUIRE(outer.ok());
  std::vector<int64_t> seen;
  while (outer->Step() == SQLITE_ROW) {
    seen.push_back(outer->Int(0));
    // Enough distinct statements to overflow the cache between two steps.
    for (size_t i = 0; i < Connection::kMaxCachedStatements + 10; ++i) {
      Result<Statement> other = conn->Prepare("SELECT " + std::to_string(seen.back() * 10000 + i));
      REQUIRE(other.ok());
      REQUIRE(other->Step() == SQLITE_ROW);
    }
    CHECK(conn->cached_statements() <= Connection::kMaxCachedStatements + 1);
  }
  CHECK(seen == std::vector<int64_t>{1, 2, 3, 4, 5});
}

TEST_CASE("preparing SQL whose cached statement is in use gives a separate statement") {
  auto conn = OpenMemory();
  Result<Statement> first = conn->Prepare("SELECT 1 UNION ALL SELECT 2");
  REQUIRE(first.ok());
  REQUIRE(first->Step() == SQLITE_ROW);
  CHECK(first->Int(0) == 1);
  {
    Result<Statement> nested = conn->Prepare("SELECT 1 UNION ALL SELECT 2");
    REQUIRE(nested.ok());
    REQUIRE(nested->Step() == SQLITE_ROW);
    CHECK(nested->Int(0) == 1);
  }
  REQUIRE(first->Step() == SQLITE_ROW);
  CHECK(first->Int(0) == 2);  // not reset by the nested use
  CHECK(conn->cached_statements() == 1);
}

// Issue 10: each distinct IN-list length compiled to new SQL, so 6,400 list
// calls kept 1.1 GiB of prepared statements. A list is now one parameter.
TEST_CASE("listings with lists of every length share their prepared statements") {
  auto conn = OpenMemory();
  REQUIRE(Migrate(*conn).ok());
  size_t after_first = 0;
  for (size_t n = 0; n <= 200; ++n) {
    std::vector<std::string> values;
    for (size_t i = 0; i < n; ++i) values.push_back("v" + std::to_string(i));
    for (QueryField field : {QueryField::kId, QueryField::kEmail, QueryField::kName,
                             QueryField::kStatus, QueryField::kTag}) {
      CustomerQuery q;
      q.conditions = {{field, QueryOp::kIn, values}};
      REQUIRE(QueryCustomers(*conn, q).ok());
    }
    if (n == 0) after_first = conn->cached_statements();
  }
  CHECK(after_first > 0);
  CHECK(conn->cached_statements() == after_first);
}

}  // namespace
}  // namespace gateway::sqlite
