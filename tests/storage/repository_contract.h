// The CustomerRepository contract (core/ports/customer_repository.h and
// core/customer_query.h) as one engine-independent check. Every engine runs
// it unchanged: call CheckRepositoryContract from a TEST_CASE with a factory
// that opens a fresh, empty repository each time it is called.
#pragma once

#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/customer.h"
#include "core/customer_query.h"
#include "core/ports/customer_repository.h"

namespace gateway::contract {

using RepositoryFactory = std::function<std::unique_ptr<CustomerRepository>()>;
using Ids = std::vector<std::string>;

inline Customer Make(const std::string& id, const std::string& email, int64_t created_at) {
  Customer c;
  c.id = id;
  c.email = email;
  c.display_name = "Customer " + id;
  std::tie(c.first_name, c.last_name) = SplitDisplayName(c.display_name);
  c.created_at = created_at;
  c.updated_at = created_at;
  return c;
}

inline Address MakeAddress(const std::string& id) {
  Address a;
  a.id = id;
  a.label = "Home";
  a.line_1 = "1 Sunny Street";
  a.line_2 = "";  // empty, not absent
  a.country = "GB";
  a.phone = "2173203531";
  a.created_at = 5;
  a.updated_at = 6;
  return a;
}

// Five customers with every listing-relevant field varied.
inline void Seed(CustomerRepository& repo) {
  const char* names[] = {"Ron Swanson", "leslie knope", "Ann Perkins", "ANDY Dwyer", "50%_off"};
  const char* emails[] = {"Ron@Example.com", "leslie@example.com", "ann@other.org",
                          "andy@example.com", "sale%_\\@other.org"};
  for (int i = 0; i < 5; ++i) {
    Customer c = Make("id-" + std::to_string(i), emails[i], 1000 + i * 10);
    c.display_name = names[i];
    c.updated_at = 2000 - i * 10;
    if (i % 2 == 0) c.external_ref = "Ref-" + std::to_string(i);
    c.status = i == 3 ? CustomerStatus::kInactive : CustomerStatus::kActive;
    if (i == 0) c.tags = {"VIP", "wholesale"};
    if (i == 2) c.tags = {"vip"};
    c.addresses = {MakeAddress("addr-" + std::to_string(i))};
    REQUIRE(repo.Insert(c).ok());
  }
}

inline Ids Find(CustomerRepository& repo, std::vector<Condition> conditions,
                SortOrder sort = {QueryField::kCreatedAt, false}) {
  CustomerQuery q;
  q.conditions = std::move(conditions);
  q.sort = sort;
  q.limit = 100;
  REQUIRE(ValidateQuery(q).ok());
  Result<CustomerPage> page = repo.List(q);
  REQUIRE_MESSAGE(page.ok(), page.status().message());
  CHECK(page->total == static_cast<int64_t>(page->customers.size()));
  Ids ids;
  for (const Customer& c : page->customers) ids.push_back(c.id);
  return ids;
}

inline Condition Time(QueryField field, QueryOp op, int64_t millis) {
  Condition c{field, op, {}};
  c.millis = millis;
  return c;
}

inline void CheckRepositoryContract(const RepositoryFactory& open) {
  std::unique_ptr<CustomerRepository> repo = open();
  REQUIRE(repo != nullptr);

  SUBCASE("a customer round-trips with its addresses, field for field") {
    Customer c = Make("c-1", "Full@Example.com", 1000);
    c.password_hash = "$scrypt$x";
    c.external_ref = "ext";
    c.status = CustomerStatus::kInactive;
    c.tags = {"b", "a", "b"};
    c.addresses = {MakeAddress("a-1"), MakeAddress("a-2")};
    c.addresses[1].phone.reset();
    REQUIRE(repo->Insert(c).ok());
    CHECK(*repo->Get("c-1") == c);
    CHECK(*repo->FindByEmail("full@EXAMPLE.com") == c);
  }

  SUBCASE("every text field of the core's table is stored, replaced and cleared") {
    Customer c = Make("c-1", "a@example.com", 1);
    for (CustomerTextField f : kAllCustomerTextFields)
      c.Field(f) = "v-" + std::string(FieldName(f));
    REQUIRE(repo->Insert(c).ok());
    CHECK(*repo->Get("c-1") == c);
    for (CustomerTextField f : kAllCustomerTextFields) {
      CAPTURE(FieldName(f));
      Result<Customer> replaced = repo->Update("c-1", [&](Customer& stored) {
        stored.Field(f) = "w";
        return Status::Ok();
      });
      REQUIRE(replaced.ok());
      CHECK(repo->Get("c-1")->Field(f) == "w");
      REQUIRE(repo->Update("c-1",
                           [&](Customer& stored) {
                             stored.Field(f).reset();
                             return Status::Ok();
                           })
                  .ok());
      CHECK_FALSE(repo->Get("c-1")->Field(f).has_value());
    }
  }

  SUBCASE("custom field values of a customer and its addresses are stored exactly") {
    Customer c = Make("c-1", "a@example.com", 1);
    c.custom = {{"age", CustomValue::Integer(-42)},
                {"ratio", CustomValue::Float(0.1)},
                {"whole", CustomValue::Float(4.0)},
                {"vip", CustomValue::Boolean(true)},
                {"note", CustomValue::String("a \"quoted\" \u00e9 \\ line")},
                {"gone", CustomValue::Null()}};
    Address a = MakeAddress("a-1");
    a.custom = {{"door", CustomValue::String("blue")}};
    c.addresses.push_back(a);
    c.addresses.push_back(MakeAddress("a-2"));
    REQUIRE(repo->Insert(c).ok());
    CHECK(*repo->Get("c-1") == c);
    Result<Customer> changed = repo->Update("c-1", [](Customer& stored) {
      stored.custom.erase("age");
      stored.custom["vip"] = CustomValue::Boolean(false);
      stored.addresses[1].custom["floor"] = CustomValue::Integer(3);
      return Status::Ok();
    });
    REQUIRE(changed.ok());
    CHECK(*repo->Get("c-1") == *changed);
    CHECK(repo->Get("c-1")->custom.count("age") == 0);
    CHECK(repo->Get("c-1")->addresses[1].custom.at("floor") == CustomValue::Integer(3));

    Customer batch = Make("c-2", "b@example.com", 2);
    batch.custom = {{"tier", CustomValue::String("gold")}};
    Address b = MakeAddress("a-3");
    b.custom = {{"gate", CustomValue::Integer(7)}};
    batch.addresses.push_back(b);
    for (const auto& outcome : repo->UpsertBatch({batch}).outcomes) REQUIRE(outcome.ok());
    CHECK(*repo->Get("c-2") == batch);
    CustomerQuery q;
    q.conditions.push_back({QueryField::kId, QueryOp::kEq, {"c-2"}});
    Result<CustomerPage> page = repo->List(q);
    REQUIRE(page.ok());
    REQUIRE(page->customers.size() == 1);
    CHECK(page->customers[0] == batch);
  }

  SUBCASE("ids are exact; unknown ids are kCustomerNotFound; a taken id or email is refused") {
    REQUIRE(repo->Insert(Make("c-1", "a@example.com", 1)).ok());
    CHECK(repo->Get("C-1").status().code() == ErrorCode::kCustomerNotFound);
    CHECK(repo->Remove("nope").code() == ErrorCode::kCustomerNotFound);
    CHECK(repo->Update("nope", [](Customer&) { return Status::Ok(); }).status().code() ==
          ErrorCode::kCustomerNotFound);
    CHECK(repo->FindByEmail("b@example.com").status().code() == ErrorCode::kCustomerNotFound);
    CHECK(repo->Insert(Make("c-2", "A@EXAMPLE.COM", 2)).code() == ErrorCode::kDuplicateEmail);
    Status taken_id = repo->Insert(Make("c-1", "other@example.com", 3));
    CHECK(taken_id.code() == ErrorCode::kInvalidArgument);
    CHECK(taken_id.field() == "id");
    CHECK(repo->Get("c-2").status().code() == ErrorCode::kCustomerNotFound);
    CHECK(repo->FindByEmail("other@example.com").status().code() == ErrorCode::kCustomerNotFound);
  }

  SUBCASE("a NUL byte in a key finds nothing stored, and is no error") {
    Seed(*repo);
    const std::string id_nul("id-1\0x", 6);
    CHECK(repo->Get(id_nul).status().code() == ErrorCode::kCustomerNotFound);
    CHECK(repo->FindByEmail(std::string("ann@other.org\0", 14)).status().code() ==
          ErrorCode::kCustomerNotFound);
    CHECK(repo->Remove(id_nul).code() == ErrorCode::kCustomerNotFound);
    CHECK(repo->Update(id_nul, [](Customer&) { return Status::Ok(); }).status().code() ==
          ErrorCode::kCustomerNotFound);
  }

  SUBCASE("an address id belongs to one customer") {
    Customer a = Make("c-1", "a@example.com", 1);
    a.addresses = {MakeAddress("shared")};
    REQUIRE(repo->Insert(a).ok());
    Customer b = Make("c-2", "b@example.com", 2);
    b.addresses = {MakeAddress("x"), MakeAddress("shared")};
    Status s = repo->Insert(b);
    CHECK(s.code() == ErrorCode::kInvalidArgument);
    CHECK(s.field() == "addresses[1].id");
    CHECK_FALSE(repo->Get("c-2").ok());
  }

  SUBCASE(
      "Update stores the mutation atomically; a failing mutation or email clash changes nothing") {
    REQUIRE(repo->Insert(Make("c-1", "a@example.com", 1)).ok());
    REQUIRE(repo->Insert(Make("c-2", "b@example.com", 2)).ok());
    Result<Customer> done = repo->Update("c-1", [](Customer& c) {
      c.first_name = "Changed";
      c.addresses = {MakeAddress("new")};
      return Status::Ok();
    });
    REQUIRE(done.ok());
    CHECK(*repo->Get("c-1") == *done);
    Result<Customer> refused = repo->Update("c-1", [](Customer& c) {
      c.first_name = "Lost";
      return Status::Invalid("first_name", "no");
    });
    CHECK(refused.status().field() == "first_name");
    Result<Customer> clash = repo->Update("c-1", [](Customer& c) {
      c.first_name = "Lost";
      c.email = "B@example.com";
      return Status::Ok();
    });
    CHECK(clash.status().code() == ErrorCode::kDuplicateEmail);
    CHECK(repo->Get("c-1")->first_name == "Changed");
    CHECK(repo->Get("c-1")->email == "a@example.com");
  }

  SUBCASE("Remove deletes the customer with its addresses; the email is free again") {
    Customer c = Make("c-1", "a@example.com", 1);
    c.addresses = {MakeAddress("a-1")};
    REQUIRE(repo->Insert(c).ok());
    REQUIRE(repo->Remove("c-1").ok());
    CHECK(repo->Get("c-1").status().code() == ErrorCode::kCustomerNotFound);
    Customer again = Make("c-2", "A@example.com", 2);
    again.addresses = {MakeAddress("a-1")};
    CHECK(repo->Insert(again).ok());
  }

  SUBCASE("List: eq folds email and name, and nothing else") {
    Seed(*repo);
    CHECK(Find(*repo, {{QueryField::kEmail, QueryOp::kEq, {"RON@example.COM"}}}) == Ids{"id-0"});
    CHECK(Find(*repo, {{QueryField::kName, QueryOp::kEq, {"LESLIE KNOPE"}}}) == Ids{"id-1"});
    CHECK(Find(*repo, {{QueryField::kId, QueryOp::kEq, {"ID-1"}}}).empty());
    CHECK(Find(*repo, {{QueryField::kExternalRef, QueryOp::kEq, {"ref-0"}}}).empty());
    CHECK(Find(*repo, {{QueryField::kExternalRef, QueryOp::kEq, {"Ref-0"}}}) == Ids{"id-0"});
    CHECK(Find(*repo, {{QueryField::kStatus, QueryOp::kEq, {"INACTIVE"}}}) == Ids{"id-3"});
    CHECK(Find(*repo, {{QueryField::kStatus, QueryOp::kEq, {"inactive"}}}).empty());
  }

  SUBCASE("List: like has '*' wildcards at the ends, is ASCII-case-insensitive, else literal") {
    Seed(*repo);
    CHECK(Find(*repo, {{QueryField::kEmail, QueryOp::kLike, {"*@OTHER.org"}}}) ==
          Ids{"id-2", "id-4"});
    CHECK(Find(*repo, {{QueryField::kName, QueryOp::kLike, {"an*"}}}) == Ids{"id-2", "id-3"});
    CHECK(Find(*repo, {{QueryField::kName, QueryOp::kLike, {"*SWAN*"}}}) == Ids{"id-0"});
    CHECK(Find(*repo, {{QueryField::kName, QueryOp::kLike, {"ron swanson"}}}) == Ids{"id-0"});
    CHECK(Find(*repo, {{QueryField::kName, QueryOp::kLike, {"50%_*"}}}) == Ids{"id-4"});
    CHECK(Find(*repo, {{QueryField::kName, QueryOp::kLike, {"5_*"}}}).empty());
    CHECK(Find(*repo, {{QueryField::kName, QueryOp::kLike, {"%*"}}}).empty());
    CHECK(Find(*repo, {{QueryField::kEmail, QueryOp::kLike, {"*\\@*"}}}) == Ids{"id-4"});
  }

  SUBCASE("List: like on substrings of any length, non-ASCII byte for byte, after every write") {
    Seed(*repo);
    Customer emile = Make("id-5", "Emile@Zola.fr", 1050);
    emile.display_name = "\xC3\x89mile \"Z\" Zol\xC3\xA0";  // Émile "Z" Zolà
    REQUIRE(repo->Insert(emile).ok());
    using Cs = std::vector<Condition>;
    auto name = [](const char* v) { return Cs{{QueryField::kName, QueryOp::kLike, {v}}}; };
    auto email = [](const char* v) { return Cs{{QueryField::kEmail, QueryOp::kLike, {v}}}; };
    // Shorter than three characters, three and more, in every '*' placement.
    CHECK(Find(*repo, name("*n*")) == Ids{"id-0", "id-1", "id-2", "id-3"});
    CHECK(Find(*repo, name("*ON*")) == Ids{"id-0"});
    CHECK(Find(*repo, name("*wAn*")) == Ids{"id-0"});
    CHECK(Find(*repo, name("*ANSON")) == Ids{"id-0"});
    CHECK(Find(*repo, name("*SWAN")).empty());
    CHECK(Find(*repo, name("ron*")) == Ids{"id-0"});
    CHECK(Find(*repo, name("on s*")).empty());
    CHECK(Find(*repo, name("*")) == Ids{"id-0", "id-1", "id-2", "id-3", "id-4", "id-5"});
    CHECK(Find(*repo, email("*EXAMPLE.COM*")) == Ids{"id-0", "id-1", "id-3"});
    CHECK(Find(*repo, email("*ie@*")) == Ids{"id-1"});
    CHECK(Find(*repo, email("*LE@z*")) == Ids{"id-5"});
    // '%', '_', '\\' and '"' are literal characters.
    CHECK(Find(*repo, name("*0%_*")) == Ids{"id-4"});
    CHECK(Find(*repo, name("*0__*")).empty());
    CHECK(Find(*repo, email("*%_\\@*")) == Ids{"id-4"});
    CHECK(Find(*repo, name("*\"z\" *")) == Ids{"id-5"});
    // Only ASCII letters fold: E-acute and a-grave compare byte for byte.
    CHECK(Find(*repo, name("*\xC3\x89MILE*")) == Ids{"id-5"});
    CHECK(Find(*repo, name("*\xC3\xA9mile*")).empty());
    CHECK(Find(*repo, name("*zol\xC3\xA0")) == Ids{"id-5"});
    CHECK(Find(*repo, name("*zol\xC3\x80")).empty());
    CHECK(Find(*repo, name("*l\xC3\xA0*")) == Ids{"id-5"});
    // Every write keeps substring search in step.
    REQUIRE(repo->Update("id-0",
                         [](Customer& c) {
                           c.display_name = "Tom Haverford";
                           c.email = "tom@example.com";
                           return Status::Ok();
                         })
                .ok());
    CHECK(Find(*repo, name("*swan*")).empty());
    CHECK(Find(*repo, name("*haver*")) == Ids{"id-0"});
    CHECK(Find(*repo, email("*ron@*")).empty());
    CHECK(Find(*repo, email("*tom@*")) == Ids{"id-0"});
    REQUIRE(repo->Remove("id-0").ok());
    CHECK(Find(*repo, name("*haver*")).empty());
    Customer april = Make("id-6", "april@example.com", 1060);
    april.display_name = "April Ludgate";
    REQUIRE(repo->UpsertBatch({april}).outcomes.at(0).ok());
    CHECK(Find(*repo, name("*udga*")) == Ids{"id-6"});
    april.display_name = "April Dwyer";
    REQUIRE(repo->UpsertBatch({april}).outcomes.at(0).ok());
    CHECK(Find(*repo, name("*udga*")).empty());
    CHECK(Find(*repo, name("*dwyer")) == Ids{"id-3", "id-6"});
    Customer chris = Make("id-7", "chris@example.com", 1070);
    chris.display_name = "Chris Traeger";
    REQUIRE(repo->ReplaceAll({chris}).ok());
    CHECK(Find(*repo, name("*dwyer")).empty());
    CHECK(Find(*repo, name("*traeg*")) == Ids{"id-7"});
    CHECK(Find(*repo, email("*example*")) == Ids{"id-7"});
  }

  SUBCASE("List: in matches any value with eq's folding; an empty list matches nothing") {
    Seed(*repo);
    CHECK(Find(*repo, {{QueryField::kId, QueryOp::kIn, {"id-3", "id-1", "zz"}}}) ==
          Ids{"id-1", "id-3"});
    CHECK(Find(*repo, {{QueryField::kEmail, QueryOp::kIn, {"ANN@other.org", "ron@example.com"}}}) ==
          Ids{"id-0", "id-2"});
    CHECK(Find(*repo, {{QueryField::kId, QueryOp::kIn, {}}}).empty());
    CHECK(Find(*repo, {{QueryField::kTag, QueryOp::kIn, {}}}).empty());
    CHECK(Find(*repo, {{QueryField::kStatus, QueryOp::kIn, {"ACTIVE"}},
                       {QueryField::kEmail, QueryOp::kIn, {}}})
              .empty());
  }

  SUBCASE("List: tags match exactly, any tag against any value") {
    Seed(*repo);
    CHECK(Find(*repo, {{QueryField::kTag, QueryOp::kEq, {"VIP"}}}) == Ids{"id-0"});
    CHECK(Find(*repo, {{QueryField::kTag, QueryOp::kIn, {"vip", "wholesale"}}}) ==
          Ids{"id-0", "id-2"});
    CHECK(Find(*repo, {{QueryField::kTag, QueryOp::kEq, {"VI"}}}).empty());
  }

  SUBCASE("List: ordered comparisons on timestamps and ids; conditions combine with AND") {
    Seed(*repo);
    CHECK(Find(*repo, {Time(QueryField::kCreatedAt, QueryOp::kGe, 1020)}) ==
          Ids{"id-2", "id-3", "id-4"});
    CHECK(Find(*repo, {Time(QueryField::kCreatedAt, QueryOp::kEq, 1010)}) == Ids{"id-1"});
    CHECK(Find(*repo, {Time(QueryField::kUpdatedAt, QueryOp::kLt, 1980)}) == Ids{"id-3", "id-4"});
    CHECK(Find(*repo, {{QueryField::kId, QueryOp::kGt, {"id-2"}}}) == Ids{"id-3", "id-4"});
    CHECK(Find(*repo, {Time(QueryField::kCreatedAt, QueryOp::kGt, 1000),
                       {QueryField::kStatus, QueryOp::kEq, {"ACTIVE"}},
                       {QueryField::kEmail, QueryOp::kLike, {"*example.com"}}}) == Ids{"id-1"});
  }

  SUBCASE("List: sort orders, ties broken by id in the same direction; total ignores paging") {
    Seed(*repo);
    CHECK(Find(*repo, {}, {QueryField::kCreatedAt, true}) ==
          Ids{"id-4", "id-3", "id-2", "id-1", "id-0"});
    CHECK(Find(*repo, {}, {QueryField::kUpdatedAt, false}) ==
          Ids{"id-4", "id-3", "id-2", "id-1", "id-0"});
    CHECK(Find(*repo, {}, {QueryField::kName, false}) ==
          Ids{"id-4", "id-3", "id-2", "id-1", "id-0"});
    CHECK(Find(*repo, {}, {QueryField::kEmail, false}) ==
          Ids{"id-3", "id-2", "id-1", "id-0", "id-4"});
    CHECK(Find(*repo, {}, {QueryField::kId, true}) == Ids{"id-4", "id-3", "id-2", "id-1", "id-0"});
    Customer twin = Make("id-5", "twin@example.com", 1000);  // same created_at as id-0
    REQUIRE(repo->Insert(twin).ok());
    CHECK(Find(*repo, {Time(QueryField::kCreatedAt, QueryOp::kEq, 1000)},
               {QueryField::kCreatedAt, true}) == Ids{"id-5", "id-0"});
    CustomerQuery page;
    page.sort = {QueryField::kCreatedAt, false};
    page.limit = 2;
    page.offset = 1;
    Result<CustomerPage> p = repo->List(page);
    REQUIRE(p.ok());
    CHECK(p->total == 6);
    REQUIRE(p->customers.size() == 2);
    CHECK(p->customers[0].id == "id-5");
    CHECK(p->customers[1].id == "id-1");
    CHECK(p->customers[0].addresses.empty());
    CHECK(p->customers[1].addresses.size() == 1);
  }

  SUBCASE("UpsertBatch creates, updates, leaves unchanged, and fails records alone") {
    REQUIRE(repo->Insert(Make("c-1", "a@example.com", 1)).ok());
    Customer changed = Make("c-1", "a@example.com", 1);
    changed.first_name = "New";
    std::vector<Customer> batch = {Make("c-2", "b@example.com", 2), changed,
                                   Make("c-3", "B@example.com", 3),
                                   Make("c-4", "d@example.com", 4)};
    CustomerRepository::BatchResult r = repo->UpsertBatch(batch);
    REQUIRE(r.outcomes.size() == 4);
    CHECK(*r.outcomes[0] == UpsertOutcome::kCreated);
    CHECK(*r.outcomes[1] == UpsertOutcome::kUpdated);
    CHECK(r.outcomes[2].status().code() == ErrorCode::kDuplicateEmail);
    CHECK(*r.outcomes[3] == UpsertOutcome::kCreated);
    CHECK_FALSE(repo->Get("c-3").ok());
    CustomerRepository::BatchResult again = repo->UpsertBatch({changed});
    CHECK(*again.outcomes[0] == UpsertOutcome::kUnchanged);
    std::vector<bool> saw_stored;
    repo->UpsertBatch({Make("c-1", "a@example.com", 1), Make("c-9", "z@example.com", 9)},
                      [&](size_t, const Customer* stored, Customer& incoming) {
                        saw_stored.push_back(stored != nullptr);
                        if (stored) incoming.first_name = stored->first_name;
                      });
    CHECK(saw_stored == std::vector<bool>{true, false});
    CHECK(repo->Get("c-1")->first_name == "New");
  }

  SUBCASE("ReplaceAll swaps the whole set, or changes nothing") {
    Seed(*repo);
    Customer kept = Make("new-1", "new@example.com", 7);
    kept.addresses = {MakeAddress("addr-0")};  // free again once the old set is gone
    Result<uint64_t> removed = repo->ReplaceAll({kept});
    REQUIRE(removed.ok());
    CHECK(*removed == 5);
    CHECK(Find(*repo, {}) == Ids{"new-1"});
    CHECK(*repo->Get("new-1") == kept);
    Result<uint64_t> clash =
        repo->ReplaceAll({Make("x", "same@example.com", 1), Make("y", "SAME@example.com", 2)});
    CHECK_FALSE(clash.ok());
    CHECK(Find(*repo, {}) == Ids{"new-1"});
    CHECK(*repo->ReplaceAll({}) == 1);
    CHECK(Find(*repo, {}).empty());
  }

  SUBCASE("ForEach visits every customer once, oldest first, ties by id") {
    Seed(*repo);
    REQUIRE(repo->Insert(Make("id-00", "twin@example.com", 1000)).ok());
    Ids seen;
    REQUIRE(repo->ForEach([&](const Customer& c) { seen.push_back(c.id); }).ok());
    CHECK(seen == Ids{"id-0", "id-00", "id-1", "id-2", "id-3", "id-4"});
  }

  SUBCASE("CountByPasswordScheme counts each scheme by exact prefix, zeros included") {
    using Counts = std::map<std::string, int64_t>;
    CHECK(*repo->CountByPasswordScheme() ==
          Counts{{"bcrypt", 0}, {"none", 0}, {"other", 0}, {"scrypt", 0}});
    const std::vector<std::optional<std::string>> hashes = {
        std::nullopt,   "",           "$scrypt$ln=14,r=8,p=1$c2FsdA$a2V5",
        "$scrypt$x",    "$2a$10$abc", "$2b$10$abc",
        "$2y$10$abc",   "$2x$10$abc", "$SCRYPT$x",
        "$1$salt$hash", "plain"};
    for (size_t i = 0; i < hashes.size(); ++i) {
      Customer c = Make("p-" + std::to_string(i), "p" + std::to_string(i) + "@example.com", 1);
      c.password_hash = hashes[i];
      REQUIRE(repo->Insert(c).ok());
    }
    CHECK(*repo->CountByPasswordScheme() ==
          Counts{{"bcrypt", 3}, {"none", 2}, {"other", 4}, {"scrypt", 2}});
    REQUIRE(repo->Update("p-4",
                         [](Customer& c) {
                           c.password_hash = "$scrypt$rehashed";
                           return Status::Ok();
                         })
                .ok());
    REQUIRE(repo->Remove("p-10").ok());
    CHECK(*repo->CountByPasswordScheme() ==
          Counts{{"bcrypt", 2}, {"none", 2}, {"other", 3}, {"scrypt", 3}});
  }

  SUBCASE("a call back into the repository from a callback fails instead of hanging") {
    REQUIRE(repo->Insert(Make("c-1", "a@example.com", 1)).ok());
    // A call from a callback may be refused (kInternal) or, where the engine
    // can serve it, succeed; it must return either way.
    Status inner = Status::Ok();
    (void)repo->Update("c-1", [&](Customer&) {
      inner = repo->Get("c-1").status();
      return Status::Ok();
    });
    CHECK((inner.ok() || inner.code() == ErrorCode::kInternal));
  }

  SUBCASE("concurrent writers all commit") {
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 10; ++i) {
          const std::string id = std::to_string(t) + "-" + std::to_string(i);
          CHECK(repo->Insert(Make(id, id + "@example.com", t * 100 + i)).ok());
        }
      });
    }
    for (std::thread& t : threads) t.join();
    CustomerQuery all;
    all.limit = 0;
    CHECK(repo->List(all)->total == 40);
  }
}

}  // namespace gateway::contract
