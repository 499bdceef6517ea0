#include "storage/sqlite/sqlite_repository.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "storage/sqlite/bulk_load.h"
#include "storage/sqlite/customer_rows.h"
#include "storage/sqlite/schema.h"

namespace gateway::sqlite {

struct SqliteRepository::PendingWrite {
  GroupedWrite write;
  bool done = false;
};

namespace {

// The database file's descriptor for flock, closed last (see the constructor).
struct FileLock {
  int fd = -1;
  ~FileLock() {
    if (fd >= 0) close(fd);
  }
  int Release() { return std::exchange(fd, -1); }
};

Status Locked(const std::string& path) {
  return Status::Internal(
      "database " + path +
      " is being loaded by an import that builds its listing and search indexes when it ends; "
      "open it once that import has finished");
}

}  // namespace

Result<std::unique_ptr<SqliteRepository>> SqliteRepository::Open(const SqliteOptions& options) {
  const bool in_memory = options.path == ":memory:" || options.path.empty();
  // Taken before any connection exists and released after the last one
  // closed: every gateway process holds the file with flock, shared, except
  // a bulk load deferring indexes, which holds it alone. Nothing then reads
  // the database while its indexes are missing.
  FileLock lock;
  bool exclusive = false;
  if (!in_memory) {
    lock.fd = open(options.path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock.fd < 0) {
      return Status::Internal("cannot open database " + options.path + ": " + std::strerror(errno));
    }
    exclusive = options.defer_indexes && flock(lock.fd, LOCK_EX | LOCK_NB) == 0;
    if (!exclusive && flock(lock.fd, LOCK_SH | LOCK_NB) != 0) return Locked(options.path);
  }
  Result<std::unique_ptr<Connection>> conn = Connection::Open(options.path, true);
  if (!conn.ok()) return conn.status();
  if (Status s = Migrate(**conn); !s.ok()) return s;
  Connection& c = **conn;
  // One transaction: the marker is read, and the indexes deferred or built,
  // with no other writer in between. Notes another program's writes left
  // behind (its transactions did not run SyncSearchIndex) are applied before
  // the first query.
  bool deferring = false;
  if (Status s = c.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  Status prepared = [&]() -> Status {
    Result<bool> pending = IndexesPending(c);
    if (!pending.ok()) return pending.status();
    if (exclusive) {
      Result<bool> empty = NoCustomers(c);
      if (!empty.ok()) return empty.status();
      deferring = *pending || *empty;
      if (deferring && !*pending) return DeferIndexes(c);
    }
    if (*pending && !deferring) {
      std::fprintf(stderr, "building the indexes an interrupted import left pending in %s\n",
                   options.path.c_str());
      if (Status s = BuildPendingIndexes(c); !s.ok()) return s;
    }
    return SyncSearchIndex(c);
  }();
  if (!prepared.ok()) return c.Rollback(prepared);
  if (Status s = c.Exec("COMMIT"); !s.ok()) return c.Rollback(s);
  // Nothing deferred: other processes may open the database beside this one.
  if (exclusive && !deferring) flock(lock.fd, LOCK_SH);
  // Building an index sorts all its entries; with temporary files in memory
  // the whole sort would be, beside the page cache. On disk, the sorter
  // keeps to its own bounded memory and merges runs from the files.
  if (deferring) {
    if (Status s = c.Exec("PRAGMA temp_store=FILE"); !s.ok()) return s;
  }
  if (options.writer_cache_kib > 0) {
    const std::string pragma = "PRAGMA cache_size=-" + std::to_string(options.writer_cache_kib);
    if (Status s = (*conn)->Exec(pragma.c_str()); !s.ok()) return s;
  }
  return std::unique_ptr<SqliteRepository>(
      new SqliteRepository(options, std::move(*conn), lock.Release(), deferring));
}

SqliteRepository::SqliteRepository(SqliteOptions options, std::unique_ptr<Connection> writer,
                                   int lock_fd, bool deferring)
    : options_(std::move(options)),
      in_memory_(options_.path == ":memory:" || options_.path.empty()),
      writer_conn_(std::move(writer)),
      lock_fd_(lock_fd),
      deferring_(deferring) {
  writer_ = std::thread([this] { WriterLoop(); });
}

SqliteRepository::~SqliteRepository() {
  {
    std::lock_guard lock(write_mu_);
    stopping_ = true;
  }
  write_cv_.notify_all();
  writer_.join();
  idle_readers_.clear();
  if (in_memory_) return;
  // A failed checkpoint loses nothing: the WAL stays beside the database and
  // is replayed on the next open.
  if (Status s = writer_conn_->Exec("PRAGMA wal_checkpoint(TRUNCATE)"); !s.ok()) {
    std::fprintf(stderr, "warning: WAL checkpoint on close failed: %s\n", s.message().c_str());
  }
  writer_conn_.reset();
  close(lock_fd_);
}

Status SqliteRepository::FinishBulkLoad() {
  if (!indexes_deferred()) return Status::Ok();
  // Alone: a failure rolls the whole build back and leaves the marker.
  Status s = Write([](Connection& conn) { return BuildPendingIndexes(conn); }, /*alone=*/true);
  if (s.ok()) {
    std::lock_guard lock(write_mu_);
    deferring_ = false;
    flock(lock_fd_, LOCK_SH);
  }
  return s;
}

bool SqliteRepository::indexes_deferred() const {
  std::lock_guard lock(write_mu_);
  return deferring_;
}

SqliteRepository::Stats SqliteRepository::stats() const {
  std::lock_guard lock(write_mu_);
  return stats_;
}

Status SqliteRepository::Write(const Job& job, bool alone) {
  if (OnWriterThread()) return ReentrantCall();
  PendingWrite pending{GroupedWrite{&job, alone, Status::Ok()}};
  {
    std::lock_guard lock(write_mu_);
    queue_.push_back(&pending);
  }
  write_cv_.notify_one();
  std::unique_lock lock(write_mu_);
  done_cv_.wait(lock, [&] { return pending.done; });
  return pending.write.result;
}

void SqliteRepository::WriterLoop() {
  std::vector<PendingWrite*> batch;
  while (true) {
    {
      std::unique_lock lock(write_mu_);
      write_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and every queued write is done
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        // A job that wants its transaction alone is never grouped.
        if (!batch.empty() && (batch.front()->write.alone || queue_.front()->write.alone)) break;
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    CommitBatch(batch);
    // Before the callers are released, so a write they saw acknowledged is
    // already counted.
    if (options_.on_commit_batch) options_.on_commit_batch(batch.size());
    {
      std::lock_guard lock(write_mu_);
      for (PendingWrite* w : batch) w->done = true;
      stats_.transactions++;
      stats_.writes += batch.size();
    }
    done_cv_.notify_all();
    batch.clear();
  }
}

void SqliteRepository::CommitBatch(std::vector<PendingWrite*>& batch) {
  std::vector<GroupedWrite*> group;
  group.reserve(batch.size());
  for (PendingWrite* w : batch) group.push_back(&w->write);
  static const Job sync_search = [](Connection& conn) { return SyncSearchIndex(conn); };
  CommitGroup(*writer_conn_, group, sync_search);
}

bool SqliteRepository::OnWriterThread() const {
  return std::this_thread::get_id() == writer_.get_id();
}

Status SqliteRepository::ReentrantCall() {
  // Waiting here for the writer thread, which is this thread, would never end.
  return Status::Internal(
      "storage called back from inside a mutation, merge or visitor; the repository contract "
      "forbids it");
}

Status SqliteRepository::Read(const Job& job) {
  if (in_memory_) return Write(job);
  std::unique_ptr<Connection> conn;
  {
    std::lock_guard lock(read_mu_);
    if (!idle_readers_.empty()) {
      conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
  }
  if (!conn) {
    Result<std::unique_ptr<Connection>> opened = Connection::Open(options_.path, false);
    if (!opened.ok()) return opened.status();
    conn = std::move(*opened);
  }
  // One read transaction, so a customer and its addresses come from one snapshot.
  Status s = conn->Run("BEGIN");
  if (s.ok()) {
    s = RunGuarded(job, *conn);
    if (Status end = conn->Run("COMMIT"); !end.ok() && s.ok()) s = end;
  }
  std::lock_guard lock(read_mu_);
  idle_readers_.push_back(std::move(conn));
  return s;
}

Status SqliteRepository::Insert(const Customer& customer) {
  return Write([&](Connection& conn) { return InsertCustomer(conn, customer); });
}

Result<Customer> SqliteRepository::Get(std::string_view id) {
  Result<Customer> out = Status::Internal("not run");
  Status s = Read([&](Connection& conn) {
    out = LoadCustomer(conn, id);
    return out.status();
  });
  return s.ok() ? out : Result<Customer>(s);
}

Result<Customer> SqliteRepository::FindByEmail(std::string_view email) {
  Result<Customer> out = Status::Internal("not run");
  Status s = Read([&](Connection& conn) {
    out = LoadCustomerByEmail(conn, email);
    return out.status();
  });
  return s.ok() ? out : Result<Customer>(s);
}

Result<Customer> SqliteRepository::Update(std::string_view id, const Mutation& mutate) {
  Result<Customer> out = Status::Internal("not run");
  Status s = Write([&](Connection& conn) {
    out = LoadCustomer(conn, id);
    if (!out.ok()) return out.status();
    if (Status m = mutate(*out); !m.ok()) return m;
    return SaveCustomer(conn, *out);
  });
  return s.ok() ? out : Result<Customer>(s);
}

Status SqliteRepository::Remove(std::string_view id) {
  return Write([&](Connection& conn) { return DeleteCustomer(conn, id); });
}

Result<CustomerPage> SqliteRepository::List(const CustomerQuery& query) {
  Result<CustomerPage> out = Status::Internal("not run");
  Status s = Read([&](Connection& conn) {
    out = QueryCustomers(conn, query);
    return out.status();
  });
  return s.ok() ? out : Result<CustomerPage>(s);
}

CustomerRepository::BatchResult SqliteRepository::UpsertBatch(
    const std::vector<Customer>& customers, const UpsertMerge& merge) {
  BatchResult result;
  const Job upsert = [&](Connection& conn) {
    result.outcomes.clear();
    Customer merged;
    for (size_t i = 0; i < customers.size(); ++i) {
      if (Status s = conn.Run("SAVEPOINT record"); !s.ok()) return s;
      Result<UpsertOutcome> outcome = [&]() -> Result<UpsertOutcome> {
        Result<Customer> existing = LoadCustomer(conn, customers[i].id);
        if (!existing.ok() && existing.status().code() != ErrorCode::kCustomerNotFound) {
          return existing.status();
        }
        const Customer* incoming = &customers[i];
        if (merge) {
          merged = customers[i];
          merge(i, existing.ok() ? &*existing : nullptr, merged);
          incoming = &merged;
        }
        const Customer& c = *incoming;
        if (!existing.ok()) {
          if (Status w = InsertCustomer(conn, c); !w.ok()) return w;
          return UpsertOutcome::kCreated;
        }
        if (*existing == c) return UpsertOutcome::kUnchanged;
        if (Status w = SaveCustomer(conn, c); !w.ok()) return w;
        return UpsertOutcome::kUpdated;
      }();
      Status end = outcome.ok() ? Status::Ok() : conn.Run("ROLLBACK TO record");
      if (end.ok()) end = conn.Run("RELEASE record");
      // A lost transaction fails the whole batch: CommitGroup answers every record.
      if (!end.ok()) return end;
      if (!conn.InTransaction()) return Status::Internal("write transaction lost");
      result.outcomes.push_back(std::move(outcome));
    }
    return Status::Ok();
  };
  // Alone: each record's savepoint must be the outermost one (see Write).
  Status s = Write(upsert, /*alone=*/true);
  if (!s.ok()) result.outcomes.assign(customers.size(), Result<UpsertOutcome>(s));
  return result;
}

Status SqliteRepository::ForEach(const std::function<void(const Customer&)>& visit) {
  // One read transaction: writers carry on beside it (WAL), and the visit sees
  // every customer exactly once as of its start.
  return Read([&](Connection& conn) { return VisitAllCustomers(conn, visit); });
}

Result<uint64_t> SqliteRepository::ReplaceAll(const std::vector<Customer>& customers) {
  uint64_t removed = 0;
  // Alone: a restore of many customers should not share its transaction, and
  // a failure must roll back the whole replacement, not one savepoint of it.
  Status s = Write(
      [&](Connection& conn) -> Status {
        {
          Result<Statement> count = conn.Prepare("SELECT count(*) FROM customers");
          if (!count.ok()) return count.status();
          if (count->Step() != SQLITE_ROW) return conn.Error("count customers");
          removed = static_cast<uint64_t>(count->Int(0));
        }
        if (Status d = conn.Exec("DELETE FROM addresses"); !d.ok()) return d;
        if (Status d = conn.Exec("DELETE FROM customers"); !d.ok()) return d;
        for (const Customer& c : customers) {
          if (Status w = InsertCustomer(conn, c); !w.ok()) return w;
        }
        return Status::Ok();
      },
      /*alone=*/true);
  if (!s.ok()) return s;
  return removed;
}

Result<std::map<std::string, int64_t>> SqliteRepository::CountByPasswordScheme() {
  Result<std::map<std::string, int64_t>> out = Status::Internal("not run");
  Status s = Read([&](Connection& conn) {
    out = CountPasswordSchemes(conn);
    return out.status();
  });
  return s.ok() ? out : Result<std::map<std::string, int64_t>>(s);
}

Result<std::string> SqliteRepository::GetOrCreateSetting(std::string_view key,
                                                         const std::function<std::string()>& make) {
  std::string value;
  Status s = Write([&](Connection& conn) {
    {
      Result<Statement> get = conn.Prepare("SELECT value FROM settings WHERE key = ?1");
      if (!get.ok()) return get.status();
      get->Bind(1, key);
      if (get->Step() == SQLITE_ROW) {
        value = get->Text(0);
        return Status::Ok();
      }
    }
    value = make();
    Result<Statement> put = conn.Prepare("INSERT INTO settings (key, value) VALUES (?1, ?2)");
    if (!put.ok()) return put.status();
    put->Bind(1, key).Bind(2, value);
    return put->Step() == SQLITE_DONE ? Status::Ok() : conn.Error("store setting");
  });
  if (!s.ok()) return s;
  return value;
}

Result<std::optional<std::string>> SqliteRepository::GetSetting(std::string_view key) {
  std::optional<std::string> value;
  Status s = Read([&](Connection& conn) {
    Result<Statement> get = conn.Prepare("SELECT value FROM settings WHERE key = ?1");
    if (!get.ok()) return get.status();
    get->Bind(1, key);
    const int rc = get->Step();
    if (rc == SQLITE_ROW) value = get->Text(0);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? Status::Ok() : conn.Error("read setting");
  });
  if (!s.ok()) return s;
  return value;
}

Status SqliteRepository::PutSetting(std::string_view key, std::string_view value) {
  return Write([&](Connection& conn) {
    Result<Statement> put = conn.Prepare(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    if (!put.ok()) return put.status();
    put->Bind(1, key).Bind(2, value);
    return put->Step() == SQLITE_DONE ? Status::Ok() : conn.Error("store setting");
  });
}

Result<bool> SqliteRepository::ReplaceSetting(std::string_view key, std::string_view expected,
                                              std::string_view value) {
  bool replaced = false;
  Status s = Write([&](Connection& conn) {
    Result<Statement> put = conn.Prepare(
        "UPDATE settings SET value = ?3 WHERE key = ?1 AND value = ?2 RETURNING key");
    if (!put.ok()) return put.status();
    put->Bind(1, key).Bind(2, expected).Bind(3, value);
    int rc;
    while ((rc = put->Step()) == SQLITE_ROW) replaced = true;
    return rc == SQLITE_DONE ? Status::Ok() : conn.Error("replace setting");
  });
  if (!s.ok()) return s;
  return replaced;
}

}  // namespace gateway::sqlite
