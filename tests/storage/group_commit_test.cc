// CommitGroup: one transaction per group, one savepoint per job, and a group
// that loses its transaction fails as a whole.
#include "storage/sqlite/group_commit.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

namespace gateway::sqlite {
namespace {

std::unique_ptr<Connection> OpenWithTable() {
  Result<std::unique_ptr<Connection>> conn = Connection::Open(":memory:", true);
  REQUIRE(conn.ok());
  REQUIRE((*conn)->Exec("CREATE TABLE t (v TEXT NOT NULL)").ok());
  return std::move(*conn);
}

Job InsertJob(std::string value) {
  return [value](Connection& conn) {
    Result<Statement> st = conn.Prepare("INSERT INTO t (v) VALUES (?1)");
    if (!st.ok()) return st.status();
    st->Bind(1, value);
    return st->Step() == SQLITE_DONE ? Status::Ok() : conn.Error("insert");
  };
}

std::vector<std::string> Rows(Connection& conn) {
  std::vector<std::string> out;
  Result<Statement> st = conn.Prepare("SELECT v FROM t ORDER BY rowid");
  REQUIRE(st.ok());
  while (st->Step() == SQLITE_ROW) out.push_back(st->Text(0));
  return out;
}

GroupedWrite Grouped(const Job& job, bool alone = false) {
  return GroupedWrite{&job, alone, Status::Ok()};
}

std::vector<GroupedWrite*> Pointers(std::vector<GroupedWrite>& writes) {
  std::vector<GroupedWrite*> out;
  for (GroupedWrite& w : writes) out.push_back(&w);
  return out;
}

TEST_CASE("group commit: a failing job rolls back alone, the others commit") {
  auto conn = OpenWithTable();
  const Job a = InsertJob("a");
  const Job fails = [](Connection& conn) {
    if (Status s = InsertJob("half")(conn); !s.ok()) return s;
    return Status::Invalid("x", "rejected after writing");
  };
  const Job c = InsertJob("c");
  std::vector<GroupedWrite> writes{Grouped(a), Grouped(fails), Grouped(c)};
  CommitGroup(*conn, Pointers(writes));
  CHECK(writes[0].result.ok());
  CHECK(writes[1].result.code() == ErrorCode::kInvalidArgument);
  CHECK(writes[2].result.ok());
  CHECK(Rows(*conn) == std::vector<std::string>{"a", "c"});
  CHECK_FALSE(conn->InTransaction());
}

// SQLite rolls the whole transaction back by itself after SQLITE_FULL,
// SQLITE_IOERR or SQLITE_NOMEM; a job running ROLLBACK leaves the connection
// in exactly that state. Before CommitGroup checked for it, the next job's
// SAVEPOINT opened a transaction of its own and RELEASE committed "c" alone,
// while COMMIT then failed and every caller was told its write was lost.
TEST_CASE("group commit: a transaction rolled back mid-group fails every job, commits none") {
  auto conn = OpenWithTable();
  const Job a = InsertJob("a");
  const Job lose_transaction = [](Connection& conn) { return conn.Exec("ROLLBACK"); };
  const Job c = InsertJob("c");
  const Job rejected = [](Connection&) { return Status::Invalid("x", "bad input"); };
  std::vector<GroupedWrite> writes{Grouped(a), Grouped(rejected), Grouped(lose_transaction),
                                   Grouped(c)};
  CommitGroup(*conn, Pointers(writes));
  CHECK(writes[0].result.code() == ErrorCode::kInternal);
  CHECK(writes[1].result.code() == ErrorCode::kInvalidArgument);  // its own answer stays
  CHECK(writes[2].result.code() == ErrorCode::kInternal);
  CHECK(writes[3].result.code() == ErrorCode::kInternal);
  CHECK(writes[3].result.message().find("write transaction lost") != std::string::npos);
  CHECK(Rows(*conn).empty());
  CHECK_FALSE(conn->InTransaction());
}

TEST_CASE("group commit: a savepoint that cannot be released fails the group") {
  auto conn = OpenWithTable();
  const Job a = InsertJob("a");
  // Releasing the job's savepoint early makes the group's RELEASE fail.
  const Job release_early = [](Connection& conn) { return conn.Exec("RELEASE request"); };
  const Job c = InsertJob("c");
  std::vector<GroupedWrite> writes{Grouped(a), Grouped(release_early), Grouped(c)};
  CommitGroup(*conn, Pointers(writes));
  for (const GroupedWrite& w : writes) CHECK(w.result.code() == ErrorCode::kInternal);
  CHECK(Rows(*conn).empty());
  CHECK_FALSE(conn->InTransaction());
}

TEST_CASE("group commit: an alone job whose transaction is lost fails") {
  auto conn = OpenWithTable();
  const Job lose = [](Connection& conn) {
    if (Status s = InsertJob("a")(conn); !s.ok()) return s;
    return conn.Exec("ROLLBACK");
  };
  std::vector<GroupedWrite> writes{Grouped(lose, /*alone=*/true)};
  CommitGroup(*conn, Pointers(writes));
  CHECK(writes[0].result.code() == ErrorCode::kInternal);
  CHECK(Rows(*conn).empty());
}

TEST_CASE("group commit: a job that throws fails alone") {
  auto conn = OpenWithTable();
  const Job a = InsertJob("a");
  const Job throws = [](Connection&) -> Status { throw std::runtime_error("boom"); };
  std::vector<GroupedWrite> writes{Grouped(a), Grouped(throws)};
  CommitGroup(*conn, Pointers(writes));
  CHECK(writes[0].result.ok());
  CHECK(writes[1].result.message().find("boom") != std::string::npos);
  CHECK(Rows(*conn) == std::vector<std::string>{"a"});
}

}  // namespace
}  // namespace gateway::sqlite
