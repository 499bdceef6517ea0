#include "adapters/migration/importer.h"

#include <simdjson.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "adapters/migration/key_table.h"
#include "common/iso_time.h"
#include "core/validation.h"
#include "credentials/argon2_hash.h"
#include "credentials/scrypt_hasher.h"

namespace gateway::migration {
namespace {

bool SameAddressFields(const Address& a, const Address& b) {
  return std::all_of(kAllAddressFields.begin(), kAllAddressFields.end(),
                     [&](AddressField f) { return a.Field(f) == b.Field(f); });
}

// Timestamps a new customer gets when its record lacks them: one taken from
// the other, else the import's start; an address without its own takes its
// customer's.
void FillMissingTimes(ImportRecord& r, int64_t now) {
  Customer& c = r.customer;
  if (!r.has_created_at && !r.has_updated_at) {
    c.created_at = c.updated_at = now;
  } else if (!r.has_created_at) {
    c.created_at = c.updated_at;
  } else if (!r.has_updated_at) {
    c.updated_at = c.created_at;
  }
  for (size_t i = 0; i < c.addresses.size() && i < r.address_has_timestamps.size(); ++i) {
    if (r.address_has_timestamps[i]) continue;
    c.addresses[i].created_at = c.created_at;
    c.addresses[i].updated_at = c.updated_at;
  }
}

// Never echo a whole hash into logs: its first characters name the scheme.
std::string HashPrefix(const std::string& hash) {
  return hash.substr(0, std::min<size_t>(hash.size(), 4));
}

std::string UnsupportedHashReason(const std::string& hash) {
  std::string why = Argon2Refusal(hash);
  return "unsupported password hash format (\"" + HashPrefix(hash) + "...\"" +
         (why.empty() ? "" : ": " + why) +
         "); accepted are md5crypt ($1$), sha-crypt ($5$, $6$), yescrypt ($y$), scrypt ($7$), "
         "bcrypt ($2a$, $2b$, $2y$), Django's pbkdf2_sha256$, Argon2 ($argon2id$, $argon2i$, "
         "$argon2d$) and the gateway's $scrypt$, within the cost bounds of docs/migration.md, so "
         "the record was not imported";
}

}  // namespace

void MergeWithStored(const RecordFormat& format, const ImportRecord& record, const Customer& stored,
                     Customer& incoming, int64_t now) {
  format.KeepInvisibleFields(stored, record, incoming);
  if (!record.has_created_at) incoming.created_at = stored.created_at;
  const int64_t changed_at = record.has_updated_at ? incoming.updated_at : now;
  if (record.has_addresses) {
    for (size_t i = 0; i < incoming.addresses.size() && i < record.address_has_timestamps.size();
         ++i) {
      if (record.address_has_timestamps[i]) continue;
      Address& a = incoming.addresses[i];
      if (const Address* old = stored.FindAddress(a.id)) {
        a.created_at = old->created_at;
        a.updated_at = SameAddressFields(a, *old) ? old->updated_at : changed_at;
      } else {
        a.created_at = a.updated_at = changed_at;
      }
    }
  }
  if (!record.has_updated_at) {
    incoming.updated_at = stored.updated_at;
    if (!(incoming == stored)) incoming.updated_at = now;
  }
}

struct Importer::Pending {
  std::vector<Customer> customers;
  std::vector<ImportRecord> records;  // the flags; each customer lives in `customers`
  std::vector<std::pair<uint64_t, size_t>> positions;  // (record number, line)

  size_t size() const { return customers.size(); }
  void Add(ImportRecord r, uint64_t number, size_t line) {
    customers.push_back(std::move(r.customer));
    records.push_back(std::move(r));
    positions.emplace_back(number, line);
  }
  void Clear() {
    customers.clear();
    records.clear();
    positions.clear();
  }
};

Importer::Importer(const RecordFormat& format, CustomerRepository* repo, ImportOptions options)
    : format_(format), repo_(repo), options_(options) {
  options_.batch_size = std::max<size_t>(1, options_.batch_size);
}

namespace {

// One record as the decode thread leaves it: decoded and checked on its own,
// or why it could not be. The checks that depend on the records before it
// (a repeated id or email) are the writer side's, in file order.
struct Decoded {
  uint64_t number = 0;
  size_t line = 0;
  uint64_t bytes_after = 0;  // input consumed once this record was read
  std::optional<ImportRecord> record;
  std::string error;    // no record: why it could not be decoded
  std::string invalid;  // a record that fails ValidateCustomer or the hash check
};

// Records travel in chunks through a queue of at most kMaxChunks, so the
// decoder runs ahead of the writer by a bounded amount of memory.
constexpr size_t kChunkRecords = 256;
constexpr size_t kMaxChunks = 4;

class DecodeQueue {
 public:
  // Blocks while the queue is full; false once the reader side stopped.
  bool Push(std::vector<Decoded> chunk) {
    std::unique_lock lock(mu_);
    space_.wait(lock, [&] { return stopped_ || chunks_.size() < kMaxChunks; });
    if (stopped_) return false;
    chunks_.push_back(std::move(chunk));
    ready_.notify_one();
    return true;
  }
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    ready_.notify_one();
  }
  // Blocks until a chunk or the end; false at the end.
  bool Pop(std::vector<Decoded>& out) {
    std::unique_lock lock(mu_);
    ready_.wait(lock, [&] { return closed_ || !chunks_.empty(); });
    if (chunks_.empty()) return false;
    out = std::move(chunks_.front());
    chunks_.pop_front();
    space_.notify_one();
    return true;
  }
  // The consumer gives up early: the decoder stops at its next Push.
  void Stop() {
    std::lock_guard lock(mu_);
    stopped_ = true;
    space_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable ready_;
  std::condition_variable space_;
  std::deque<std::vector<Decoded>> chunks_;
  bool closed_ = false;
  bool stopped_ = false;
};

}  // namespace

Result<ImportCounts> Importer::Run(RecordReader& reader, const ProblemSink& on_problem,
                                   const ProgressSink& on_progress) {
  counts_ = ImportCounts();
  now_ = NowMillis();
  // Decoding, validating and hash checks run on a thread of their own, beside
  // the writes; the reader is used by that thread only until it is joined.
  DecodeQueue queue;
  std::thread decoder([&] {
    simdjson::dom::parser parser;
    RecordReader::Record rec;
    std::vector<Decoded> chunk;
    uint64_t number = 0;
    while (reader.Next(rec)) {
      Decoded& d = chunk.emplace_back();
      d.number = ++number;
      d.line = rec.line;
      d.bytes_after = reader.bytes_consumed();
      simdjson::dom::element root;
      if (!rec.framing_error.empty()) {
        d.error = rec.framing_error;
      } else if (auto err = parser.parse(rec.text.data(), rec.text.size(), false).get(root)) {
        d.error = std::string("not valid JSON: ") + simdjson::error_message(err);
      } else if (Result<ImportRecord> r = format_.Read(root); !r.ok()) {
        d.error = r.status().message();
      } else {
        Customer& c = r->customer;
        if (c.password_hash && !ScryptHasher::IsSupportedFormat(*c.password_hash)) {
          d.invalid =
              format_.WireFieldPath("password") + ": " + UnsupportedHashReason(*c.password_hash);
        } else {
          FillMissingTimes(*r, now_);
          if (Status v = ValidateCustomer(c); !v.ok()) {
            d.invalid = format_.WireFieldPath(v.field()) + ": " + v.message();
          }
        }
        d.record = std::move(*r);
      }
      if (chunk.size() == kChunkRecords) {
        if (!queue.Push(std::move(chunk))) break;
        chunk.clear();
      }
    }
    if (!chunk.empty()) queue.Push(std::move(chunk));
    queue.Close();
  });
  struct JoinDecoder {
    DecodeQueue& queue;
    std::thread& decoder;
    ~JoinDecoder() {  // on every early return: the decoder may be blocked on a full queue
      if (!decoder.joinable()) return;
      queue.Stop();
      decoder.join();
    }
  } join_decoder{queue, decoder};

  // Where each id and email was first seen, so a file cannot hold one
  // customer twice or give two customers one email: the line of each id, and
  // for each email key the entry of its owner's id. (Lines are kept in 32
  // bits: a file of over 4 billion lines would not fit the memory anyway.)
  KeyTable id_lines;
  KeyTable email_owners;
  Pending batch;
  uint64_t bytes_done = 0;

  auto too_many_rejects = [&] {
    return options_.max_rejects && counts_.rejected > *options_.max_rejects;
  };
  std::vector<Decoded> chunk;
  while (!too_many_rejects() && queue.Pop(chunk)) {
    for (Decoded& d : chunk) {
      if (too_many_rejects()) break;
      counts_.records = d.number;
      bytes_done = d.bytes_after;
      auto reject = [&](std::string id, std::string reason) {
        counts_.rejected++;
        on_problem(ImportProblem{d.number, d.line, std::move(id), std::move(reason)});
      };
      if (!d.record) {
        reject("", std::move(d.error));
        continue;
      }
      Customer& c = d.record->customer;
      if (on_record_id_) on_record_id_(c.id);
      const KeyTable::Entry id = id_lines.Insert(c.id, static_cast<uint32_t>(d.line));
      if (!id.inserted) {
        reject(c.id, "id " + c.id + " already appeared on line " +
                         std::to_string(id_lines.Value(id.index)) +
                         "; a file may hold each customer once");
        continue;
      }
      if (!d.invalid.empty()) {
        reject(c.id, std::move(d.invalid));
        continue;
      }
      const KeyTable::Entry owner = email_owners.Insert(EmailKey(c.email), id.index);
      if (!owner.inserted) {
        const uint32_t first = email_owners.Value(owner.index);
        reject(c.id, "email " + c.email + " is also the email of id " +
                         std::string(id_lines.Key(first)) + " on line " +
                         std::to_string(id_lines.Value(first)) +
                         "; emails are unique (case-insensitively)");
        continue;
      }
      batch.Add(std::move(*d.record), d.number, d.line);
      if (batch.size() >= options_.batch_size) {
        if (Status s = Flush(batch, on_problem); !s.ok()) return s;
        on_progress(counts_, bytes_done);
      }
    }
  }
  if (Status s = Flush(batch, on_problem); !s.ok()) return s;
  if (too_many_rejects()) {
    return Status::Unsupported(
        "stopped after " + std::to_string(counts_.rejected) + " rejected records (--max-rejects " +
        std::to_string(*options_.max_rejects) + "): the first " + std::to_string(counts_.records) +
        " records were processed (" + std::to_string(counts_.created) + " created, " +
        std::to_string(counts_.updated) + " updated), the rest of the file was not read");
  }
  decoder.join();  // it closed the queue: it has read the whole file
  if (!reader.status().ok()) return reader.status();
  on_progress(counts_, reader.bytes_consumed());
  return counts_;
}

std::string Importer::DescribeFailure(const Customer& c, const Status& s) {
  if (s.code() == ErrorCode::kDuplicateEmail) {
    std::string owner = "another customer";
    if (repo_ != nullptr) {
      if (Result<Customer> other = repo_->FindByEmail(c.email); other.ok()) {
        owner = "customer " + other->id;
      }
    }
    return "email " + c.email + " already belongs to " + owner +
           "; an import never merges two customers";
  }
  if (s.field().empty()) return s.message();
  return format_.WireFieldPath(s.field()) + ": " + s.message();
}

Status Importer::Flush(Pending& batch, const ProblemSink& on_problem) {
  if (batch.size() == 0) return Status::Ok();
  if (options_.dry_run) return FlushDryRun(batch, on_problem);
  auto merge = [&](size_t i, const Customer* stored, Customer& incoming) {
    if (stored != nullptr) MergeWithStored(format_, batch.records[i], *stored, incoming, now_);
  };
  CustomerRepository::BatchResult result = repo_->UpsertBatch(batch.customers, merge);
  Status fatal;
  for (size_t i = 0; i < batch.size(); ++i) {
    const Result<UpsertOutcome>& outcome = result.outcomes[i];
    if (outcome.ok()) {
      switch (outcome.value()) {
        case UpsertOutcome::kCreated:
          counts_.created++;
          break;
        case UpsertOutcome::kUpdated:
          counts_.updated++;
          break;
        case UpsertOutcome::kUnchanged:
          counts_.unchanged++;
          break;
      }
      continue;
    }
    if (outcome.status().code() == ErrorCode::kInternal) fatal = outcome.status();
    counts_.rejected++;
    const Customer& c = batch.customers[i];
    on_problem(ImportProblem{batch.positions[i].first, batch.positions[i].second, c.id,
                             DescribeFailure(c, outcome.status())});
  }
  batch.Clear();
  if (!fatal.ok()) {
    return Status::Internal("storage failed (" + fatal.message() +
                            "); batches committed so far are kept, run the import again to resume");
  }
  return Status::Ok();
}

Status Importer::FlushDryRun(Pending& batch, const ProblemSink& on_problem) {
  for (size_t i = 0; i < batch.size(); ++i) {
    Customer& c = batch.customers[i];
    if (repo_ == nullptr) {
      counts_.created++;
      continue;
    }
    Result<Customer> stored = repo_->Get(c.id);
    if (!stored.ok() && stored.status().code() != ErrorCode::kCustomerNotFound) {
      return stored.status();
    }
    if (stored.ok()) MergeWithStored(format_, batch.records[i], *stored, c, now_);
    const bool email_moves = !stored.ok() || EmailKey(stored->email) != EmailKey(c.email);
    if (email_moves) {
      if (Result<Customer> owner = repo_->FindByEmail(c.email); owner.ok()) {
        counts_.rejected++;
        on_problem(ImportProblem{batch.positions[i].first, batch.positions[i].second, c.id,
                                 DescribeFailure(c, Status::DuplicateEmail(""))});
        continue;
      }
    }
    if (!stored.ok()) {
      counts_.created++;
    } else if (*stored == c) {
      counts_.unchanged++;
    } else {
      counts_.updated++;
    }
  }
  batch.Clear();
  return Status::Ok();
}

}  // namespace gateway::migration
