// CustomerRepository::ReplaceAll on SQLite: the dev mock's reset and
// snapshot restore. Whole-store replacement in one transaction, settings kept.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "storage/sqlite/sqlite_repository.h"

namespace gateway::sqlite {
namespace {

std::unique_ptr<SqliteRepository> OpenMemory() {
  SqliteOptions options;
  options.path = ":memory:";
  auto repo = SqliteRepository::Open(options);
  REQUIRE_MESSAGE(repo.ok(), repo.status().message());
  return std::move(*repo);
}

Customer Make(const std::string& id, const std::string& email, int64_t at) {
  Customer c;
  c.id = id;
  c.email = email;
  c.display_name = "Customer " + id;
  c.created_at = at;
  c.updated_at = at + 1;
  c.password_hash = "$scrypt$ln=10,r=8,p=1$c2FsdA==$a2V5";
  Address a;
  a.id = "addr-" + id;
  a.line_1 = "1 Sunny Street";
  a.country = "GB";
  a.created_at = at;
  a.updated_at = at;
  c.addresses = {a};
  return c;
}

std::vector<Customer> All(CustomerRepository& repo) {
  std::vector<Customer> out;
  REQUIRE(repo.ForEach([&](const Customer& c) { out.push_back(c); }).ok());
  return out;
}

TEST_CASE("ReplaceAll with nothing empties customers and addresses but keeps settings") {
  auto repo = OpenMemory();
  REQUIRE(repo->GetOrCreateSetting("client_id", [] { return "kept"; }).ok());
  REQUIRE(repo->Insert(Make("c-1", "one@example.com", 10)).ok());
  REQUIRE(repo->Insert(Make("c-2", "two@example.com", 20)).ok());

  Result<uint64_t> removed = repo->ReplaceAll({});
  REQUIRE(removed.ok());
  CHECK(*removed == 2);
  CHECK(All(*repo).empty());
  CHECK(*repo->GetOrCreateSetting("client_id", [] { return "new"; }) == "kept");
  // The emails and address ids are free again.
  CHECK(repo->Insert(Make("c-1", "one@example.com", 30)).ok());
}

TEST_CASE("ReplaceAll restores a ForEach copy exactly, ids and timestamps included") {
  auto repo = OpenMemory();
  REQUIRE(repo->Insert(Make("c-1", "one@example.com", 10)).ok());
  REQUIRE(repo->Insert(Make("c-2", "two@example.com", 20)).ok());
  const std::vector<Customer> snapshot = All(*repo);

  REQUIRE(repo->Remove("c-1").ok());
  REQUIRE(repo->Insert(Make("c-3", "three@example.com", 30)).ok());
  REQUIRE(repo->ReplaceAll(snapshot).ok());
  CHECK(All(*repo) == snapshot);
}

TEST_CASE("a failing ReplaceAll changes nothing") {
  auto repo = OpenMemory();
  REQUIRE(repo->Insert(Make("c-1", "one@example.com", 10)).ok());
  const std::vector<Customer> before = All(*repo);
  // Two customers with one email: the second insert fails after the delete
  // and the first insert ran, so the whole replacement must roll back.
  Result<uint64_t> r =
      repo->ReplaceAll({Make("c-7", "same@example.com", 1), Make("c-8", "SAME@example.com", 2)});
  CHECK_FALSE(r.ok());
  CHECK(r.status().code() == ErrorCode::kDuplicateEmail);
  CHECK(All(*repo) == before);
}

}  // namespace
}  // namespace gateway::sqlite
