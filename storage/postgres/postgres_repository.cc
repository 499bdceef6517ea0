#include "storage/postgres/postgres_repository.h"

#include <chrono>
#include <cstdio>
#include <set>
#include <thread>

#include "storage/postgres/customer_rows.h"
#include "storage/postgres/schema.h"

namespace gateway::postgres {
namespace {

// The repository whose job runs on this thread, if any: callbacks run inside
// the job, and a call back into the same repository would wait for locks
// its own caller holds.
thread_local const PostgresRepository* t_running = nullptr;

// Serialization failures and deadlocks are retried this many times in all;
// each needs a conflicting writer, so a run of them is rare.
constexpr int kMaxAttempts = 10;

}  // namespace

Result<std::unique_ptr<PostgresRepository>> PostgresRepository::Open(
    const PostgresOptions& options) {
  {
    // Its own connection, so a failure to start says exactly what failed.
    Result<std::unique_ptr<Connection>> conn = Connection::Open(options.conninfo);
    if (!conn.ok()) return conn.status();
    if (Status s = Migrate(**conn); !s.ok()) return s;
  }
  return std::unique_ptr<PostgresRepository>(new PostgresRepository(options));
}

Status PostgresRepository::Run(Mode mode, const Job& job, size_t writes) {
  Status s = RunOnce(mode, job, writes);
  if (IsUnavailable(s)) {
    // The server's words name hosts and ports: they go to the operator's
    // log, once per outage, and callers get a plain answer to retry.
    if (reachable_.exchange(false)) {
      std::fprintf(stderr, "customer-gateway: warning: %s\n", s.message().c_str());
    }
    return Status::Unavailable("The customer database is unreachable; retry shortly");
  }
  if (!reachable_.load(std::memory_order_relaxed) && !reachable_.exchange(true)) {
    std::fprintf(stderr, "customer-gateway: PostgreSQL is reachable again\n");
  }
  return s;
}

Status PostgresRepository::RunOnce(Mode mode, const Job& job, size_t writes) {
  if (t_running == this) {
    return Status::Internal(
        "storage called back from inside a mutation, merge or visitor; the repository contract "
        "forbids it");
  }
  struct Running {
    explicit Running(const PostgresRepository* repo) { t_running = repo; }
    ~Running() { t_running = nullptr; }
  } running(this);
  const char* begin = mode == Mode::kRead ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                          : "BEGIN ISOLATION LEVEL READ COMMITTED";
  for (int attempt = 1;; ++attempt) {
    Result<Lease> lease = pool_.Acquire();
    if (!lease.ok()) return lease.status();
    Connection& conn = **lease;
    if (mode == Mode::kStatement) {
      // One statement that may run twice (a read, or an idempotent write
      // such as PutSetting's upsert): run again on a fresh connection when
      // a pooled one turns out dead.
      Status s = job(conn);
      if (IsUnavailable(s) && attempt == 1) continue;
      return s;
    }
    if (Status s = conn.Command(begin); !s.ok()) {
      // A pooled connection the server dropped unnoticed fails here, before
      // anything ran: the lease discards it, and a fresh one is tried once.
      if (IsUnavailable(s) && attempt == 1) continue;
      return s;
    }
    Status s = job(conn);
    if (s.ok()) {
      s = conn.Command("COMMIT");
      if (s.ok()) {
        if (mode == Mode::kWrite && on_commit_batch_) on_commit_batch_(writes);
        return s;
      }
    }
    const bool retry = conn.Retryable();
    if (conn.InTransaction()) (void)conn.Command("ROLLBACK");
    if (!retry || attempt == kMaxAttempts) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(attempt));
  }
}

Status PostgresRepository::Insert(const Customer& customer) {
  return Run(Mode::kWrite, [&](Connection& conn) { return InsertCustomer(conn, customer); });
}

Result<Customer> PostgresRepository::Get(std::string_view id) {
  Result<Customer> out = Status::Internal("not run");
  Status s = Run(Mode::kStatement, [&](Connection& conn) {
    out = LoadCustomer(conn, id);
    return out.status();
  });
  return s.ok() ? out : Result<Customer>(s);
}

Result<Customer> PostgresRepository::FindByEmail(std::string_view email) {
  Result<Customer> out = Status::Internal("not run");
  Status s = Run(Mode::kStatement, [&](Connection& conn) {
    out = LoadCustomerByEmail(conn, email);
    return out.status();
  });
  return s.ok() ? out : Result<Customer>(s);
}

Result<Customer> PostgresRepository::Update(std::string_view id, const Mutation& mutate) {
  Result<Customer> out = Status::Internal("not run");
  Status s = Run(Mode::kWrite, [&](Connection& conn) {
    out = LoadCustomer(conn, id, /*lock=*/true);
    if (!out.ok()) return out.status();
    if (Status m = mutate(*out); !m.ok()) return m;
    return SaveCustomer(conn, *out);
  });
  return s.ok() ? out : Result<Customer>(s);
}

Status PostgresRepository::Remove(std::string_view id) {
  return Run(Mode::kWrite, [&](Connection& conn) { return DeleteCustomer(conn, id); });
}

Result<CustomerPage> PostgresRepository::List(const CustomerQuery& query) {
  Result<CustomerPage> out = Status::Internal("not run");
  Status s = Run(Mode::kRead, [&](Connection& conn) {
    out = QueryCustomers(conn, query);
    return out.status();
  });
  return s.ok() ? out : Result<CustomerPage>(s);
}

namespace {

// The whole batch in a few statements: one to load and lock the stored
// records, one each for the new customers and their addresses, one per
// changed record. True when it committed to the savepoint; false when some
// record failed, after rolling back to it, so the caller runs the batch
// record by record to learn which (merges run again, as the port allows).
// A lost server or a deadlock is returned as it is: the transaction is over.
Result<bool> UpsertAtOnce(Connection& conn, const std::vector<Customer>& customers,
                          const CustomerRepository::UpsertMerge& merge,
                          std::vector<Result<UpsertOutcome>>& outcomes) {
  std::vector<std::string> ids;
  std::set<std::string_view> distinct;
  for (const Customer& c : customers) {
    // A file naming one id twice needs its records applied in order.
    if (!distinct.insert(c.id).second) return false;
    ids.push_back(c.id);
  }
  if (Status s = conn.Command("SAVEPOINT batch"); !s.ok()) return s;
  Status failed = [&]() -> Status {
    Result<std::map<std::string, Customer>> stored = LoadCustomersForUpdate(conn, ids);
    if (!stored.ok()) return stored.status();
    std::vector<Customer> incoming = customers;
    std::vector<const Customer*> created;
    std::vector<Result<UpsertOutcome>> out;
    for (size_t i = 0; i < incoming.size(); ++i) {
      auto found = stored->find(incoming[i].id);
      const Customer* existing = found == stored->end() ? nullptr : &found->second;
      if (merge) merge(i, existing, incoming[i]);
      if (existing == nullptr) {
        created.push_back(&incoming[i]);
        out.emplace_back(UpsertOutcome::kCreated);
      } else if (*existing == incoming[i]) {
        out.emplace_back(UpsertOutcome::kUnchanged);
      } else {
        if (Status w = SaveCustomer(conn, incoming[i]); !w.ok()) return w;
        out.emplace_back(UpsertOutcome::kUpdated);
      }
    }
    if (Status w = InsertCustomers(conn, created); !w.ok()) return w;
    outcomes = std::move(out);
    return Status::Ok();
  }();
  if (failed.ok()) {
    if (Status s = conn.Command("RELEASE SAVEPOINT batch"); !s.ok()) return s;
    return true;
  }
  if (conn.Retryable() || IsUnavailable(failed)) return failed;
  if (Status s = conn.Command("ROLLBACK TO SAVEPOINT batch"); !s.ok()) return s;
  if (Status s = conn.Command("RELEASE SAVEPOINT batch"); !s.ok()) return s;
  return false;
}

}  // namespace

CustomerRepository::BatchResult PostgresRepository::UpsertBatch(
    const std::vector<Customer>& customers, const UpsertMerge& merge) {
  BatchResult result;
  Status s = Run(Mode::kWrite, [&](Connection& conn) {
    result.outcomes.clear();
    Result<bool> at_once = UpsertAtOnce(conn, customers, merge, result.outcomes);
    if (!at_once.ok()) return at_once.status();
    if (*at_once) return Status::Ok();
    Customer merged;
    for (size_t i = 0; i < customers.size(); ++i) {
      if (Status sp = conn.Command("SAVEPOINT record"); !sp.ok()) return sp;
      Result<UpsertOutcome> outcome = [&]() -> Result<UpsertOutcome> {
        Result<Customer> existing = LoadCustomer(conn, customers[i].id, /*lock=*/true);
        if (!existing.ok() && existing.status().code() != ErrorCode::kCustomerNotFound) {
          return existing.status();
        }
        const Customer* incoming = &customers[i];
        if (merge) {
          merged = customers[i];
          merge(i, existing.ok() ? &*existing : nullptr, merged);
          incoming = &merged;
        }
        if (!existing.ok()) {
          if (Status w = InsertCustomer(conn, *incoming); !w.ok()) return w;
          return UpsertOutcome::kCreated;
        }
        if (*existing == *incoming) return UpsertOutcome::kUnchanged;
        if (Status w = SaveCustomer(conn, *incoming); !w.ok()) return w;
        return UpsertOutcome::kUpdated;
      }();
      if (!outcome.ok()) {
        // A deadlock or a lost server ends the whole transaction (Run retries
        // or fails every record); anything else fails this record alone.
        if (conn.Retryable() || IsUnavailable(outcome.status())) return outcome.status();
        if (Status rb = conn.Command("ROLLBACK TO SAVEPOINT record"); !rb.ok()) return rb;
      }
      if (Status rel = conn.Command("RELEASE SAVEPOINT record"); !rel.ok()) return rel;
      result.outcomes.push_back(std::move(outcome));
    }
    return Status::Ok();
  }, customers.size());
  if (!s.ok()) result.outcomes.assign(customers.size(), Result<UpsertOutcome>(s));
  return result;
}

Status PostgresRepository::ForEach(const std::function<void(const Customer&)>& visit) {
  // REPEATABLE READ: one snapshot for the whole walk, writers not blocked;
  // the cursor keeps memory to one batch of rows.
  return Run(Mode::kRead, [&](Connection& conn) { return VisitAllCustomers(conn, visit); });
}

Result<uint64_t> PostgresRepository::ReplaceAll(const std::vector<Customer>& customers) {
  uint64_t removed = 0;
  Status s = Run(Mode::kWrite, [&](Connection& conn) -> Status {
    // Writers wait until the swap commits (so none lands half in the old
    // set); readers carry on and see the old set until then.
    if (Status l = conn.Command("LOCK TABLE customers IN EXCLUSIVE MODE"); !l.ok()) return l;
    if (Status d = conn.Command("DELETE FROM addresses"); !d.ok()) return d;
    Result<PgResult> deleted = conn.ExecOnce("DELETE FROM customers");
    if (!deleted.ok()) return deleted.status();
    removed = static_cast<uint64_t>(deleted->affected());
    // All at once; on a failure, one at a time again to report it as Insert
    // would (which record, which field).
    std::vector<const Customer*> all;
    for (const Customer& c : customers) all.push_back(&c);
    if (Status sp = conn.Command("SAVEPOINT bulk"); !sp.ok()) return sp;
    Status bulk = InsertCustomers(conn, all);
    if (bulk.ok()) return Status::Ok();
    if (conn.Retryable() || IsUnavailable(bulk)) return bulk;
    if (Status rb = conn.Command("ROLLBACK TO SAVEPOINT bulk"); !rb.ok()) return rb;
    for (const Customer& c : customers) {
      if (Status w = InsertCustomer(conn, c); !w.ok()) return w;
    }
    return bulk;  // the records were fine one by one: the bulk failure stands
  });
  if (!s.ok()) return s;
  return removed;
}

Result<std::map<std::string, int64_t>> PostgresRepository::CountByPasswordScheme() {
  Result<std::map<std::string, int64_t>> out = Status::Internal("not run");
  Status s = Run(Mode::kStatement, [&](Connection& conn) {
    out = CountPasswordSchemes(conn);
    return out.status();
  });
  return s.ok() ? out : Result<std::map<std::string, int64_t>>(s);
}

Result<std::string> PostgresRepository::GetOrCreateSetting(
    std::string_view key, const std::function<std::string()>& make) {
  std::string value;
  // First writer wins across processes: whoever inserts first stores its
  // value, every other insert does nothing, and everyone reads the winner.
  Status s = Run(Mode::kWrite, [&](Connection& conn) -> Status {
    const Param k = std::string(key);
    Result<PgResult> got = conn.Exec("SELECT value FROM settings WHERE key = $1", {k});
    if (!got.ok()) return got.status();
    if (got->rows() == 0) {
      Result<PgResult> put = conn.Exec(
          "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
          {k, make()});
      if (!put.ok()) return put.status();
      got = conn.Exec("SELECT value FROM settings WHERE key = $1", {k});
      if (!got.ok()) return got.status();
    }
    if (got->rows() == 0) return Status::Internal("setting " + std::string(key) + " vanished");
    value = got->Text(0, 0);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return value;
}

Result<std::optional<std::string>> PostgresRepository::GetSetting(std::string_view key) {
  std::optional<std::string> value;
  Status s = Run(Mode::kStatement, [&](Connection& conn) -> Status {
    Result<PgResult> got =
        conn.Exec("SELECT value FROM settings WHERE key = $1", {Param(std::string(key))});
    if (!got.ok()) return got.status();
    if (got->rows() > 0) value = got->Text(0, 0);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return value;
}

Status PostgresRepository::PutSetting(std::string_view key, std::string_view value) {
  return Run(Mode::kStatement, [&](Connection& conn) -> Status {
    Result<PgResult> put = conn.Exec(
        "INSERT INTO settings (key, value) VALUES ($1, $2) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        {Param(std::string(key)), Param(std::string(value))});
    return put.ok() ? Status::Ok() : put.status();
  });
}

Result<bool> PostgresRepository::ReplaceSetting(std::string_view key, std::string_view expected,
                                                std::string_view value) {
  bool replaced = false;
  Status s = Run(Mode::kStatement, [&](Connection& conn) -> Status {
    Result<PgResult> put = conn.Exec(
        "UPDATE settings SET value = $3 WHERE key = $1 AND value = $2 RETURNING key",
        {Param(std::string(key)), Param(std::string(expected)), Param(std::string(value))});
    if (!put.ok()) return put.status();
    replaced = put->rows() == 1;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return replaced;
}

Result<std::string> PostgresRepository::Explain(const CustomerQuery& query) {
  Result<std::string> out = Status::Internal("not run");
  Status s = Run(Mode::kRead, [&](Connection& conn) {
    out = ExplainCustomerQuery(conn, query);
    return out.status();
  });
  return s.ok() ? out : Result<std::string>(s);
}

}  // namespace gateway::postgres
