// The PostgreSQL engine: the engine-independent repository contract, then
// what only a shared database shows: several store instances (as several
// gateway processes would hold) racing on settings, on one customer and on
// one email; the indexes listings use; losing and regaining the server.
// Suite "postgres": ctest runs it as unit_postgres with a cluster started.
#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/postgres/postgres_repository.h"
#include "tests/storage/postgres_test_database.h"
#include "tests/storage/repository_contract.h"
#include "tests/storage/settings_contract.h"

namespace gateway::postgres {
namespace {

using testing::PostgresTestDatabase;

std::unique_ptr<PostgresRepository> Open(const std::string& url, size_t connections = 8) {
  PostgresOptions options;
  options.conninfo = url;
  options.connections = connections;
  Result<std::unique_ptr<PostgresRepository>> repo = PostgresRepository::Open(options);
  REQUIRE_MESSAGE(repo.ok(), repo.status().message());
  return std::move(*repo);
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_SUITE("postgres") {
  TEST_CASE("repository contract: PostgreSQL") {
    std::vector<std::unique_ptr<PostgresTestDatabase>> databases;
    contract::CheckRepositoryContract([&] {
      databases.push_back(std::make_unique<PostgresTestDatabase>());
      return Open(databases.back()->url());
    });
  }

  TEST_CASE("instances opened at once on an empty database migrate it once, without racing") {
    PostgresTestDatabase db;
    constexpr int kInstances = 6;
    std::vector<Status> opened(kInstances);
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < kInstances; ++i) {
      threads.emplace_back([&, i] {
        while (!go.load()) std::this_thread::yield();
        PostgresOptions options;
        options.conninfo = db.url();
        opened[static_cast<size_t>(i)] = PostgresRepository::Open(options).status();
      });
    }
    go = true;
    for (std::thread& t : threads) t.join();
    for (const Status& s : opened) CHECK_MESSAGE(s.ok(), s.message());
    auto repo = Open(db.url());
    CHECK(repo->Insert(contract::Make("c-1", "a@example.com", 1)).ok());
  }

  TEST_CASE("settings: the first writer wins across threads and store instances") {
    PostgresTestDatabase db;
    auto a = Open(db.url());
    auto b = Open(db.url());
    constexpr int kThreads = 8;
    std::vector<std::string> got(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        SettingsStore& store = t % 2 ? static_cast<SettingsStore&>(*a) : *b;
        Result<std::string> v =
            store.GetOrCreateSetting("jwt_secret", [t] { return "made-by-" + std::to_string(t); });
        got[static_cast<size_t>(t)] = v.ok() ? *v : "error: " + v.status().message();
      });
    }
    for (std::thread& t : threads) t.join();
    CHECK(std::set<std::string>(got.begin(), got.end()).size() == 1);
    CHECK(got[0].starts_with("made-by-"));
    // A later process reads the winner and makes nothing.
    auto c = Open(db.url());
    bool made = false;
    CHECK(*c->GetOrCreateSetting("jwt_secret", [&] {
      made = true;
      return std::string("late");
    }) == got[0]);
    CHECK_FALSE(made);
  }

  TEST_CASE("ReplaceSetting: concurrent read-change-write loops on two instances lose nothing") {
    PostgresTestDatabase db;
    auto a = Open(db.url());
    auto b = Open(db.url());
    contract::CheckReplaceSetting({a.get(), b.get()}, 30);
  }

  TEST_CASE("concurrent updates of one customer from two store instances lose nothing") {
    PostgresTestDatabase db;
    auto a = Open(db.url());
    auto b = Open(db.url());
    REQUIRE(a->Insert(contract::Make("c-1", "one@example.com", 1)).ok());
    constexpr int kRounds = 25;
    // Each instance edits its own field and appends its own tags: a lost
    // update would drop one instance's tag or leave its field stale.
    auto edit = [&](PostgresRepository& repo, char who) {
      for (int i = 0; i < kRounds; ++i) {
        Result<Customer> r = repo.Update("c-1", [&](Customer& c) {
          (who == 'a' ? c.first_name : c.last_name) = who + std::to_string(i);
          c.tags.push_back(who + std::to_string(i));
          std::this_thread::sleep_for(std::chrono::microseconds(200));  // widen the window
          return Status::Ok();
        });
        CHECK_MESSAGE(r.ok(), r.status().message());
      }
    };
    std::thread ta([&] { edit(*a, 'a'); });
    std::thread tb([&] { edit(*b, 'b'); });
    ta.join();
    tb.join();
    Customer c = *b->Get("c-1");
    CHECK(c.first_name == "a" + std::to_string(kRounds - 1));
    CHECK(c.last_name == "b" + std::to_string(kRounds - 1));
    CHECK(c.tags.size() == 2 * kRounds);
  }

  TEST_CASE("an email race across store instances has exactly one winner") {
    PostgresTestDatabase db;
    auto a = Open(db.url());
    auto b = Open(db.url());
    constexpr int kThreads = 8;
    std::atomic<int> won{0}, duplicate{0}, other{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        PostgresRepository& repo = t % 2 ? *a : *b;
        // The same email in different case: the folded key must clash.
        const std::string email = t % 2 ? "Race@Example.com" : "race@example.COM";
        while (!go.load()) std::this_thread::yield();
        Status s = repo.Insert(contract::Make("r-" + std::to_string(t), email, t));
        if (s.ok()) {
          ++won;
        } else if (s.code() == ErrorCode::kDuplicateEmail) {
          ++duplicate;
        } else {
          ++other;
        }
      });
    }
    go = true;
    for (std::thread& t : threads) t.join();
    CHECK(won.load() == 1);
    CHECK(duplicate.load() == kThreads - 1);
    CHECK(other.load() == 0);
  }

  TEST_CASE("listings use the indexes: email lookup, substring like through pg_trgm, sorts") {
    PostgresTestDatabase db;
    auto repo = Open(db.url());
    // Enough rows for the planner to prefer an index to a scan. VACUUM moves
    // the new rows out of the GIN indexes' pending lists, as autovacuum does
    // on a live database; until then the planner rightly shuns them.
    db.Exec(
        "INSERT INTO customers (id, email, email_key, display_name, name_key, created_at, "
        "updated_at) SELECT 'id-' || n, 'User' || n || '@Example.com', 'user' || n || "
        "'@example.com', 'Name ' || md5(n::text), 'name ' || md5(n::text), n, n "
        "FROM generate_series(1, 20000) AS n");
    db.Exec("VACUUM ANALYZE customers");
    auto plan = [&](std::vector<Condition> conditions, SortOrder sort = {}) {
      CustomerQuery q;
      q.conditions = std::move(conditions);
      q.sort = sort;
      Result<std::string> p = repo->Explain(q);
      REQUIRE_MESSAGE(p.ok(), p.status().message());
      return *p;
    };
    std::string p = plan({{QueryField::kEmail, QueryOp::kEq, {"USER77@example.com"}}});
    CAPTURE(p);
    CHECK(Contains(p, "customers_email_key"));
    p = plan({{QueryField::kName, QueryOp::kLike, {"*ABC1*"}}});
    CHECK(Contains(p, "customers_name_trgm"));
    p = plan({{QueryField::kEmail, QueryOp::kLike, {"*ser12345@*"}}});
    CHECK(Contains(p, "customers_email_trgm"));
    p = plan({{QueryField::kExternalRef, QueryOp::kEq, {"crm-1"}}});
    CHECK(Contains(p, "customers_external_ref"));
    p = plan({}, {QueryField::kCreatedAt, true});
    CHECK(Contains(p, "customers_created_at"));
    p = plan({}, {QueryField::kName, false});
    CHECK(Contains(p, "customers_name_key"));
  }

  TEST_CASE("ForEach reads one snapshot and blocks no writer, even across batches") {
    PostgresTestDatabase db;
    auto a = Open(db.url());
    auto b = Open(db.url());
    std::vector<Customer> batch;
    for (int i = 0; i < 1200; ++i) {  // more than one cursor batch
      batch.push_back(contract::Make("f-" + std::to_string(10000 + i),
                                     "f" + std::to_string(i) + "@x.org", 10 + i));
    }
    for (Result<UpsertOutcome>& o : a->UpsertBatch(batch).outcomes) REQUIRE(o.ok());
    size_t seen = 0;
    Status written = Status::Internal("not run");
    REQUIRE(a->ForEach([&](const Customer& c) {
               if (seen++ == 0) {
                 // Another instance writes while the walk is at its first
                 // customer: a new oldest one, a change and a removal.
                 written = b->Insert(contract::Make("f-0", "zero@x.org", 1));
                 if (written.ok()) written = b->Remove("f-11199");
                 if (written.ok()) {
                   written = b->Update("f-11000", [](Customer& u) {
                                u.first_name = "Later";
                                return Status::Ok();
                              }).status();
                 }
               }
               CHECK(c.id != "f-0");
               CHECK(c.first_name != "Later");
             }).ok());
    CHECK_MESSAGE(written.ok(), written.message());
    CHECK(seen == batch.size());
  }

  TEST_CASE("a batch import stores awkward text byte for byte") {
    PostgresTestDatabase db;
    auto repo = Open(db.url());
    std::vector<Customer> batch;
    for (int i = 0; i < 50; ++i) {
      Customer c = contract::Make("b-" + std::to_string(i), "b" + std::to_string(i) + "@x.org", i);
      // What array literals and JSON must carry through: quotes, backslashes,
      // braces, commas, the word NULL, non-ASCII, empty text.
      c.tags = {"a\"b", "c\\d", "{e,f}", "NULL", "", "Zo\u00eb"};
      c.display_name = i % 2 ? "O'Brien \"\\ NULL" : "";
      c.password_hash = i % 3 ? std::optional<std::string>("$2b$x") : std::nullopt;
      c.addresses = {contract::MakeAddress("ad-" + std::to_string(i))};
      c.addresses[0].line_2.reset();
      c.addresses[0].city = "NULL";
      batch.push_back(c);
    }
    CustomerRepository::BatchResult r = repo->UpsertBatch(batch);
    REQUIRE(r.outcomes.size() == batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
      CHECK(*r.outcomes[i] == UpsertOutcome::kCreated);
      CHECK(*repo->Get(batch[i].id) == batch[i]);
    }
    r = repo->UpsertBatch(batch);
    for (Result<UpsertOutcome>& o : r.outcomes) CHECK(*o == UpsertOutcome::kUnchanged);
  }

  TEST_CASE("a lost connection fails one call at most, then the pool reconnects") {
    PostgresTestDatabase db;
    auto repo = Open(db.url(), 2);
    REQUIRE(repo->Insert(contract::Make("c-1", "a@example.com", 1)).ok());
    // What a server restart does to the pool's idle connections.
    db.Exec(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
        "current_database() AND pid <> pg_backend_pid()");
    Result<Customer> got = repo->Get("c-1");
    CHECK_MESSAGE(got.ok(), got.status().message());
    CHECK(repo->Insert(contract::Make("c-2", "b@example.com", 2)).ok());
    CHECK(repo->Get("c-2").ok());
  }

  TEST_CASE("an unreachable server is kUnavailable") {
    PostgresOptions options;
    // Port 1: nothing listens there, so the connection is refused at once.
    options.conninfo = "postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=2";
    Result<std::unique_ptr<PostgresRepository>> repo = PostgresRepository::Open(options);
    REQUIRE_FALSE(repo.ok());
    CHECK(repo.status().code() == ErrorCode::kUnavailable);
    CHECK(Contains(repo.status().message(), "unreachable"));
  }
}

}  // namespace
}  // namespace gateway::postgres
