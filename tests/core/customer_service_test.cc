// CustomerService use cases over an in-memory SqliteRepository: the bridge
// rules end to end without sockets, and "a rejected request writes nothing".
#include "core/customer_service.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/iso_time.h"
#include "common/uuid.h"
#include "core/validation.h"
#include "credentials/scrypt_hasher.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/in_memory_repository.h"

namespace gateway {
namespace {

// Made by Apache's `htpasswd -nbB -C 4 u password`.
constexpr const char* kBcrypt = "$2b$04$GKEYyFVDSn5zDgZxyIgf3uUreKS3cHUIrJcJFW1gdYq8MJdCguKWW";

struct Fixture {
  Fixture() { service = std::make_unique<CustomerService>(repo, hasher, hash_queue, clock); }

  int64_t Count() {
    CustomerQuery q;
    auto page = repo.List(q);
    REQUIRE(page.ok());
    return page->total;
  }

  Customer MustCreate(NewCustomer in) {
    Result<Customer> c = service->Create(std::move(in));
    REQUIRE_MESSAGE(c.ok(), c.status().message());
    return *c;
  }

  ScryptHasher hasher{ScryptParams{10, 8, 1}, 2};
  HashQueue hash_queue{2};
  testing::FakeClock clock;
  testing::InMemoryRepository repo;
  std::unique_ptr<CustomerService> service;
};

NewCustomer Ron() {
  NewCustomer in;
  in.email = "ron@swanson.com";
  in.display_name = "Ron Swanson";
  in.password = "mysecretpassword";
  return in;
}

NewCustomer John() {
  NewCustomer in;
  in.email = "john.doe@gmail.com";
  in.first_name = "John";
  in.last_name = "Doe";
  in.password = "mypassword";
  in.tags = {"VIP"};
  in.status = CustomerStatus::kActive;
  Address a;
  a.label = "Work";
  a.first_name = "John";
  a.last_name = "Doe";
  a.line_1 = "1650 Bolman Court";
  a.line_2 = "";
  a.postcode = "61701";
  a.city = "Bloomington";
  a.region = "Illinois";
  a.country = "US";
  a.company = "My Company";
  a.phone = "2173203531";
  a.instructions = "Some Instructions";
  in.addresses = {a};
  return in;
}

Address HomeAddress() {
  Address a;
  a.label = "Home";
  a.first_name = "Ron";
  a.last_name = "Swanson";
  a.line_1 = "1 Sunny Street";
  a.postcode = "SU33 1YY";
  a.city = "Sunny Town";
  a.county = "Sunnyville";
  a.country = "GB";
  return a;
}

TEST_CASE_FIXTURE(Fixture, "Create through Elastic Path: name kept and split, password hashed") {
  Customer c = MustCreate(Ron());
  CHECK(IsUuid(c.id));
  CHECK(c.email == "ron@swanson.com");
  CHECK(c.display_name == "Ron Swanson");
  CHECK(c.first_name == "Ron");
  CHECK(c.last_name == "Swanson");
  REQUIRE(c.password_hash.has_value());
  CHECK(c.password_hash->rfind("$scrypt$", 0) == 0);
  CHECK(hasher.Verify("mysecretpassword", *c.password_hash));
  CHECK(c.status == CustomerStatus::kActive);
  CHECK(c.created_at == clock.NowMillis());
  CHECK(c.updated_at == c.created_at);

  Result<Customer> got = service->Get(c.id);
  REQUIRE(got.ok());
  CHECK(*got == c);
}

TEST_CASE_FIXTURE(Fixture, "Create through MicroBase: names joined, address stamped") {
  Customer c = MustCreate(John());
  CHECK(c.display_name == "John Doe");
  CHECK(c.first_name == "John");
  CHECK(c.last_name == "Doe");
  CHECK(c.tags == std::vector<std::string>{"VIP"});
  REQUIRE(c.addresses.size() == 1);
  const Address& a = c.addresses[0];
  CHECK(IsUuid(a.id));
  CHECK(a.created_at == c.created_at);
  CHECK(a.line_2 == "");  // an empty string is kept, not dropped
  CHECK_FALSE(a.county.has_value());
  CHECK(a.phone == "2173203531");
  Result<Customer> got = service->Get(c.id);
  REQUIRE(got.ok());
  CHECK(*got == c);
}

TEST_CASE_FIXTURE(Fixture, "Create without a password stores no hash") {
  NewCustomer in = Ron();
  in.password.reset();
  Customer c = MustCreate(in);
  CHECK_FALSE(c.password_hash.has_value());
}

TEST_CASE_FIXTURE(Fixture, "each customer gets its own id") {
  NewCustomer second = Ron();
  second.email = "ron2@swanson.com";
  CHECK(MustCreate(Ron()).id != MustCreate(second).id);
}

TEST_CASE_FIXTURE(Fixture, "duplicate emails are refused case-insensitively and write nothing") {
  Customer ron = MustCreate(Ron());
  NewCustomer dup = John();
  dup.email = "RON@Swanson.COM";
  Result<Customer> r = service->Create(dup);
  CHECK(r.status().code() == ErrorCode::kDuplicateEmail);
  CHECK(r.status().field() == "email");
  CHECK(Count() == 1);
  Result<Customer> still = service->Get(ron.id);
  REQUIRE(still.ok());
  CHECK(*still == ron);
}

TEST_CASE_FIXTURE(Fixture, "validation failures on create write nothing") {
  SUBCASE("invalid email") {
    NewCustomer in = Ron();
    in.email = "";
    Result<Customer> r = service->Create(in);
    CHECK(r.status().code() == ErrorCode::kInvalidEmail);
    CHECK(r.status().field() == "email");
  }
  SUBCASE("invalid country in the second address") {
    NewCustomer in = John();
    in.addresses.push_back(in.addresses[0]);
    in.addresses[1].country = "USA";
    Result<Customer> r = service->Create(in);
    CHECK(r.status().code() == ErrorCode::kInvalidCountry);
    CHECK(r.status().field() == "addresses[1].country");
  }
  SUBCASE("name too long") {
    NewCustomer in = Ron();
    in.display_name = std::string(300, 'n');
    CHECK(service->Create(in).status().field() == "name");
  }
  SUBCASE("password too long") {
    NewCustomer in = Ron();
    in.password = std::string(limits::kPassword + 1, 'p');
    Result<Customer> r = service->Create(in);
    CHECK(r.status().code() == ErrorCode::kInvalidArgument);
    CHECK(r.status().field() == "password");
  }
  CHECK(Count() == 0);
}

TEST_CASE_FIXTURE(Fixture, "Get of an unknown id is kCustomerNotFound") {
  CHECK(service->Get("no-such-id").status().code() == ErrorCode::kCustomerNotFound);
}

TEST_CASE_FIXTURE(Fixture, "Update through Elastic Path keeps what MicroBase wrote") {
  Customer john = MustCreate(John());
  CustomerPatch p;
  clock.Advance(7);
  p.display_name = "Johnny  B. Doe";
  p.text_fields = {{CustomerTextField::kExternalRef, "crm-7"}};
  Result<Customer> r = service->Update(john.id, p);
  REQUIRE(r.ok());
  CHECK(r->display_name == "Johnny  B. Doe");
  CHECK(r->first_name == "Johnny");
  CHECK(r->last_name == "B. Doe");
  CHECK(r->external_ref == "crm-7");
  // Fields Elastic Path cannot see stay as they were.
  CHECK(r->tags == john.tags);
  CHECK(r->status == john.status);
  CHECK(r->password_hash == john.password_hash);
  CHECK(r->addresses == john.addresses);
  CHECK(r->created_at == john.created_at);
  CHECK(r->updated_at == john.updated_at + 7);
  Result<Customer> got = service->Get(john.id);
  REQUIRE(got.ok());
  CHECK(*got == *r);
}

TEST_CASE_FIXTURE(Fixture, "Update through MicroBase keeps what Elastic Path wrote") {
  NewCustomer in = Ron();
  in.text_fields = {{CustomerTextField::kExternalRef, "crm-1"}};
  Customer ron = MustCreate(in);
  CustomerPatch p;
  p.first_name = "Ronald";
  p.status = CustomerStatus::kInactive;
  p.tags = std::vector<std::string>{"woodworking"};
  Result<Customer> r = service->Update(ron.id, p);
  REQUIRE(r.ok());
  CHECK(r->display_name == "Ronald Swanson");
  CHECK(r->last_name == "Swanson");
  CHECK(r->status == CustomerStatus::kInactive);
  CHECK(r->tags == std::vector<std::string>{"woodworking"});
  CHECK(r->external_ref == "crm-1");
  CHECK(r->password_hash == ron.password_hash);
  CHECK(r->email == ron.email);
}

TEST_CASE_FIXTURE(Fixture, "Update of the password replaces the hash") {
  Customer ron = MustCreate(Ron());
  CustomerPatch p;
  p.password = "new password";
  Result<Customer> r = service->Update(ron.id, p);
  REQUIRE(r.ok());
  REQUIRE(r->password_hash.has_value());
  CHECK(r->password_hash != ron.password_hash);
  CHECK(service->Authenticate("ron@swanson.com", "new password").ok());
  CHECK(service->Authenticate("ron@swanson.com", "mysecretpassword").status().code() ==
        ErrorCode::kBadCredentials);
}

TEST_CASE_FIXTURE(Fixture, "a rejected Update changes nothing") {
  Customer ron = MustCreate(Ron());
  Customer john = MustCreate(John());

  SUBCASE("email taken by another customer, in another case") {
    CustomerPatch p;
    p.email = "JOHN.DOE@gmail.com";
    p.display_name = "Should Not Stick";
    CHECK(service->Update(ron.id, p).status().code() == ErrorCode::kDuplicateEmail);
  }
  SUBCASE("invalid email") {
    CustomerPatch p;
    p.email = "nope";
    p.first_name = "Should";
    CHECK(service->Update(ron.id, p).status().code() == ErrorCode::kInvalidEmail);
  }
  SUBCASE("password too long") {
    CustomerPatch p;
    p.password = std::string(limits::kPassword + 1, 'p');
    CHECK(service->Update(ron.id, p).status().field() == "password");
  }
  SUBCASE("too many tags") {
    CustomerPatch p;
    p.tags = std::vector<std::string>(limits::kTags + 1, "t");
    CHECK(service->Update(ron.id, p).status().field() == "tags");
  }
  Result<Customer> got = service->Get(ron.id);
  REQUIRE(got.ok());
  CHECK(*got == ron);
  Result<Customer> other = service->Get(john.id);
  REQUIRE(other.ok());
  CHECK(*other == john);
}

TEST_CASE_FIXTURE(Fixture, "changing the email's case only is allowed") {
  Customer ron = MustCreate(Ron());
  CustomerPatch p;
  p.email = "Ron@Swanson.com";
  Result<Customer> r = service->Update(ron.id, p);
  REQUIRE(r.ok());
  CHECK(r->email == "Ron@Swanson.com");
}

TEST_CASE_FIXTURE(Fixture, "Update of an unknown id is kCustomerNotFound") {
  CustomerPatch p;
  p.display_name = "X";
  CHECK(service->Update("missing", p).status().code() == ErrorCode::kCustomerNotFound);
}

TEST_CASE_FIXTURE(Fixture, "Remove deletes the customer once") {
  Customer john = MustCreate(John());
  CHECK(service->Remove(john.id).ok());
  CHECK(service->Get(john.id).status().code() == ErrorCode::kCustomerNotFound);
  CHECK(service->Remove(john.id).code() == ErrorCode::kCustomerNotFound);
  CHECK(Count() == 0);
  // Its email is free again.
  CHECK(service->Create(John()).ok());
}

TEST_CASE_FIXTURE(Fixture, "Authenticate: right password, wrong password, unknown email") {
  Customer ron = MustCreate(Ron());
  Result<Customer> ok = service->Authenticate("ron@swanson.com", "mysecretpassword");
  REQUIRE(ok.ok());
  CHECK(ok->id == ron.id);
  // Emails compare case-insensitively here too.
  CHECK(service->Authenticate("RON@SWANSON.COM", "mysecretpassword").ok());

  Result<Customer> wrong = service->Authenticate("ron@swanson.com", "wrong");
  Result<Customer> unknown = service->Authenticate("nobody@swanson.com", "mysecretpassword");
  CHECK(wrong.status().code() == ErrorCode::kBadCredentials);
  CHECK(unknown.status().code() == ErrorCode::kBadCredentials);
  // Never say which of the two was wrong.
  CHECK(wrong.status().message() == unknown.status().message());
  CHECK(wrong.status().field() == unknown.status().field());
  CHECK(service->Authenticate("", "").status().code() == ErrorCode::kBadCredentials);
}

TEST_CASE_FIXTURE(Fixture, "Authenticate fails for a customer without a password") {
  NewCustomer in = Ron();
  in.password.reset();
  MustCreate(in);
  CHECK(service->Authenticate("ron@swanson.com", "").status().code() == ErrorCode::kBadCredentials);
}

TEST_CASE_FIXTURE(Fixture, "an imported bcrypt hash verifies, then is re-hashed with scrypt") {
  Customer imported;
  imported.id = "HkhhuXESl";
  imported.email = "john.doe@gmail.com";
  imported.first_name = "John";
  imported.last_name = "Doe";
  imported.display_name = "John Doe";
  imported.password_hash = kBcrypt;
  imported.tags = {"VIP"};
  imported.created_at = imported.updated_at = 1000;
  REQUIRE(repo.Insert(imported).ok());

  CHECK(service->Authenticate("john.doe@gmail.com", "wrong").status().code() ==
        ErrorCode::kBadCredentials);
  CHECK(repo.Get(imported.id)->password_hash == kBcrypt);  // a failure upgrades nothing

  Result<Customer> first = service->Authenticate("john.doe@gmail.com", "password");
  REQUIRE(first.ok());
  CHECK(first->id == "HkhhuXESl");
  Result<Customer> stored = repo.Get(imported.id);
  REQUIRE(stored.ok());
  REQUIRE(stored->password_hash.has_value());
  CHECK(stored->password_hash->rfind("$scrypt$ln=10,r=8,p=1$", 0) == 0);
  CHECK_FALSE(hasher.NeedsRehash(*stored->password_hash));
  CHECK(first->password_hash == stored->password_hash);
  // Everything else of the imported customer is untouched.
  CHECK(stored->tags == imported.tags);
  CHECK(stored->display_name == imported.display_name);

  // The new hash keeps working, and stays put.
  CHECK(service->Authenticate("john.doe@gmail.com", "password").ok());
  CHECK(repo.Get(imported.id)->password_hash == stored->password_hash);
  CHECK(service->Authenticate("john.doe@gmail.com", "wrong").status().code() ==
        ErrorCode::kBadCredentials);
}

TEST_CASE_FIXTURE(Fixture, "a hash with old scrypt parameters is upgraded on login") {
  ScryptHasher old_hasher({11, 8, 1}, 1);
  Customer ron = MustCreate(Ron());
  REQUIRE(repo.Update(ron.id,
                      [&](Customer& c) {
                        c.password_hash = old_hasher.Hash("mysecretpassword");
                        return Status::Ok();
                      })
              .ok());
  REQUIRE(service->Authenticate("ron@swanson.com", "mysecretpassword").ok());
  CHECK(repo.Get(ron.id)->password_hash->rfind("$scrypt$ln=10,", 0) == 0);
}

TEST_CASE_FIXTURE(Fixture, "addresses: add, get, update, remove") {
  Customer ron = MustCreate(Ron());
  Result<Customer> added = service->AddAddresses(ron.id, {HomeAddress()});
  REQUIRE(added.ok());
  REQUIRE(added->addresses.size() == 1);
  const Address home = added->addresses[0];
  CHECK(IsUuid(home.id));
  CHECK(home.created_at > 0);
  CHECK(home.updated_at == home.created_at);
  CHECK(home.label == "Home");

  Result<Customer> two = service->AddAddresses(ron.id, {HomeAddress()});
  REQUIRE(two.ok());
  REQUIRE(two->addresses.size() == 2);
  CHECK(two->addresses[0] == home);  // existing addresses are untouched
  CHECK(two->addresses[1].id != home.id);

  Result<Address> got = service->GetAddress(ron.id, home.id);
  REQUIRE(got.ok());
  CHECK(*got == home);

  AddressPatch patch;
  patch.fields = {{AddressField::kCity, std::string("Pawnee")},
                  {AddressField::kCounty, std::nullopt},
                  {AddressField::kPhone, std::string("(555) 555-1234")}};
  clock.Advance(3);
  Result<Customer> updated = service->UpdateAddress(ron.id, home.id, patch);
  REQUIRE(updated.ok());
  const Address* changed = updated->FindAddress(home.id);
  REQUIRE(changed != nullptr);
  CHECK(changed->city == "Pawnee");
  CHECK_FALSE(changed->county.has_value());
  CHECK(changed->phone == "(555) 555-1234");
  // Fields not in the patch keep their values.
  CHECK(changed->line_1 == home.line_1);
  CHECK(changed->postcode == home.postcode);
  CHECK(changed->country == home.country);
  CHECK(changed->created_at == home.created_at);
  CHECK(changed->updated_at == home.updated_at + 3);
  CHECK(updated->addresses[1] == two->addresses[1]);
  // And the customer's own fields are untouched.
  CHECK(updated->display_name == ron.display_name);
  CHECK(updated->password_hash == ron.password_hash);

  Result<Customer> removed = service->RemoveAddress(ron.id, home.id);
  REQUIRE(removed.ok());
  REQUIRE(removed->addresses.size() == 1);
  CHECK(removed->addresses[0].id == two->addresses[1].id);
  CHECK(service->GetAddress(ron.id, home.id).status().code() == ErrorCode::kAddressNotFound);
  CHECK(service->Get(ron.id)->addresses.size() == 1);
}

TEST_CASE_FIXTURE(Fixture, "address calls report unknown customers and addresses") {
  Customer ron = MustCreate(Ron());
  CHECK(service->AddAddresses("missing", {HomeAddress()}).status().code() ==
        ErrorCode::kCustomerNotFound);
  CHECK(service->GetAddress("missing", "a").status().code() == ErrorCode::kCustomerNotFound);
  CHECK(service->GetAddress(ron.id, "a").status().code() == ErrorCode::kAddressNotFound);
  CHECK(service->UpdateAddress(ron.id, "a", AddressPatch{}).status().code() ==
        ErrorCode::kAddressNotFound);
  CHECK(service->UpdateAddress("missing", "a", AddressPatch{}).status().code() ==
        ErrorCode::kCustomerNotFound);
  CHECK(service->RemoveAddress(ron.id, "a").status().code() == ErrorCode::kAddressNotFound);
  CHECK(service->RemoveAddress("missing", "a").status().code() == ErrorCode::kCustomerNotFound);
  CHECK(*service->Get(ron.id) == ron);
}

TEST_CASE_FIXTURE(Fixture, "an invalid address change writes nothing") {
  Customer ron = MustCreate(Ron());
  Result<Customer> with_home = service->AddAddresses(ron.id, {HomeAddress()});
  REQUIRE(with_home.ok());
  const std::string home_id = with_home->addresses[0].id;

  Address bad = HomeAddress();
  bad.country = "gb";
  Address good = HomeAddress();
  Result<Customer> add = service->AddAddresses(ron.id, {good, bad});
  CHECK(add.status().code() == ErrorCode::kInvalidCountry);
  CHECK(add.status().field().find("country") != std::string::npos);

  AddressPatch patch;
  patch.fields = {{AddressField::kCity, std::string("Pawnee")},
                  {AddressField::kCountry, std::string("England")}};
  CHECK(service->UpdateAddress(ron.id, home_id, patch).status().code() ==
        ErrorCode::kInvalidCountry);

  AddressPatch too_long;
  too_long.fields = {{AddressField::kLine1, std::string(limits::kAddressText + 1, 'x')}};
  CHECK(service->UpdateAddress(ron.id, home_id, too_long).status().code() ==
        ErrorCode::kInvalidArgument);

  CHECK(*service->Get(ron.id) == *with_home);
}

TEST_CASE_FIXTURE(Fixture, "List goes through to storage") {
  MustCreate(Ron());
  MustCreate(John());
  CustomerQuery q;
  q.conditions.push_back({QueryField::kEmail, QueryOp::kEq, {"JOHN.DOE@gmail.com"}});
  Result<CustomerPage> page = service->List(q);
  REQUIRE(page.ok());
  CHECK(page->total == 1);
  REQUIRE(page->customers.size() == 1);
  CHECK(page->customers[0].display_name == "John Doe");
  CHECK(page->customers[0].addresses.size() == 1);
}

TEST_CASE_FIXTURE(Fixture, "a full hash queue refuses password work at once and stores nothing") {
  Customer ron = MustCreate(Ron());
  auto first = hash_queue.TryEnter();
  auto second = hash_queue.TryEnter();
  REQUIRE(first);
  REQUIRE(second);

  CHECK(service->Create(John()).status().code() == ErrorCode::kBusy);
  CHECK(service->Authenticate(ron.email, "mysecretpassword").status().code() == ErrorCode::kBusy);
  CustomerPatch patch;
  patch.password = "another password";
  CHECK(service->Update(ron.id, patch).status().code() == ErrorCode::kBusy);
  CHECK(Count() == 1);
  CHECK(hash_queue.rejected() == 3);

  // Work without a password never queues.
  NewCustomer no_password = John();
  no_password.password.reset();
  CHECK(service->Create(no_password).ok());

  first.reset();
  CHECK(service->Authenticate(ron.email, "mysecretpassword").ok());
  CHECK(hash_queue.depth() == 1);
}

}  // namespace
}  // namespace gateway
