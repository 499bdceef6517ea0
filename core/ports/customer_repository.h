// CustomerRepository: the port through which the core stores customers.
//
// The contract a storage engine implements (tests/storage/repository_contract.h
// checks it; run it against a new engine unchanged):
//
// Atomicity and errors
// - Each call is atomic: a call that returns a non-ok Status changed nothing.
//   Engine failures are kInternal; nothing else is ever thrown across the port.
// - A customer is stored and loaded as one aggregate with its addresses, in
//   their order; every field round-trips byte for byte (timestamps in ms).
// - Ids are compared byte for byte. Insert of an id that exists: kInvalidArgument
//   on field "id". Get/Update/Remove of an unknown id: kCustomerNotFound.
// - Email uniqueness is on EmailKey(email) (ASCII letters lower-cased), across
//   every write path and race; a violation is kDuplicateEmail and FindByEmail
//   looks up by EmailKey too. An address id used by another customer is
//   kInvalidArgument on field "addresses[i].id".
//
// Durability
// - A write returns only once it is durable: nothing acknowledged is lost.
//
// Listing
// - List implements core/customer_query.h's semantics exactly (operators,
//   case folding, empty `in`, sort and tie-break, total). It receives only
//   queries ValidateQuery accepts; its own answers must not depend on the
//   engine's native collation or LIKE.
//
// Callbacks (Mutation, UpsertMerge, ForEach's visitor)
// - They may run on a thread of the engine's own, inside its transaction.
// - They must not call this repository (or its SettingsStore). An engine must
//   not deadlock if one does: it answers that inner call with kInternal.
// - A Mutation or UpsertMerge may run more than once if the engine retries a
//   transaction; it must only edit the customer it is given.
//
// Thread-safety: implementations must be safe for concurrent use from many
// request threads.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/customer.h"
#include "core/customer_query.h"
#include "core/ports/password_hasher.h"
#include "core/status.h"

namespace gateway {

enum class UpsertOutcome { kCreated, kUpdated, kUnchanged };

// The scheme of a stored password hash, as CountByPasswordScheme reports it:
// "none" (no hash, or an empty one), "scrypt" (the gateway's own, "$scrypt$"),
// "bcrypt" (imported, "$2a$", "$2b$" or "$2y$") or "other" (anything else).
inline std::string_view PasswordSchemeOf(const std::optional<std::string>& hash) {
  if (!hash || hash->empty()) return "none";
  const std::string_view h = *hash;
  if (h.starts_with("$scrypt$")) return "scrypt";
  if (IsBcryptHash(h)) return "bcrypt";
  return "other";
}

class CustomerRepository {
 public:
  // Edits a loaded customer in place; a non-ok Status aborts the update.
  using Mutation = std::function<Status(Customer&)>;

  virtual ~CustomerRepository() = default;

  virtual Status Insert(const Customer& customer) = 0;
  virtual Result<Customer> Get(std::string_view id) = 0;
  virtual Result<Customer> FindByEmail(std::string_view email) = 0;
  // Loads the customer, applies `mutate` and stores the result in one
  // transaction, so concurrent updates never lose each other's fields. The
  // stored customer is returned. A non-ok Status from `mutate` is returned
  // as it is, and nothing is stored.
  virtual Result<Customer> Update(std::string_view id, const Mutation& mutate) = 0;
  virtual Status Remove(std::string_view id) = 0;
  virtual Result<CustomerPage> List(const CustomerQuery& query) = 0;

  // Imports whole customers keyed by id: each record is created, replaced or
  // left as it is. Every record commits or fails on its own; `outcomes` gets
  // one entry per record, in order, and a record's failure never stops the rest.
  struct BatchResult {
    std::vector<Result<UpsertOutcome>> outcomes;
  };
  // Completes record `index` from the stored customer (nullptr when the id is
  // new) inside the write transaction, so fields the source cannot carry are
  // kept even while other writers change them.
  using UpsertMerge = std::function<void(size_t index, const Customer* stored, Customer& incoming)>;
  virtual BatchResult UpsertBatch(const std::vector<Customer>& customers,
                                  const UpsertMerge& merge = {}) = 0;

  // Calls `visit` for every customer in creation order (created_at, then id),
  // all from one consistent snapshot taken when ForEach starts: writes
  // committed while it runs are not seen, no customer is seen twice or half
  // written. On a database file writers are not blocked while it runs (an
  // in-memory store may hold them until it ends).
  virtual Status ForEach(const std::function<void(const Customer&)>& visit) = 0;

  // Removes every customer with its addresses and stores `customers` in their
  // place exactly as given (ids, timestamps, password hashes), in one
  // transaction: readers see the old set or the new one, never a mix, and on
  // failure nothing changed. Settings are kept. An empty `customers` empties
  // the store (the dev mock's reset); a list taken with ForEach brings a
  // snapshot back. Returns how many customers were removed.
  virtual Result<uint64_t> ReplaceAll(const std::vector<Customer>& customers) = 0;

  // How many customers carry each password scheme (PasswordSchemeOf), from
  // one snapshot: always the four keys "none", "scrypt", "bcrypt" and "other",
  // zero included. Called on every metrics scrape, so it must be one cheap
  // query that reads no customer data beyond the hash's prefix.
  virtual Result<std::map<std::string, int64_t>> CountByPasswordScheme() = 0;
};

}  // namespace gateway
