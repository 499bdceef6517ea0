// CustomerRepository: the port through which the core stores customers.
//
// Implementations (storage/) must make each call atomic: a call that returns
// a non-ok Status has changed nothing. A customer is stored and loaded as one
// aggregate with its addresses. Email uniqueness is case-insensitive
// (EmailKey) and violations answer ErrorCode::kDuplicateEmail.
//
// Thread-safety: implementations must be safe for concurrent use from many
// request threads.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/customer.h"
#include "core/customer_query.h"
#include "core/status.h"

namespace gateway {

enum class UpsertOutcome { kCreated, kUpdated, kUnchanged };

class CustomerRepository {
 public:
  // Edits a loaded customer in place; a non-ok Status aborts the update.
  using Mutation = std::function<Status(Customer&)>;

  virtual ~CustomerRepository() = default;

  virtual Status Insert(const Customer& customer) = 0;
  virtual Result<Customer> Get(std::string_view id) = 0;
  virtual Result<Customer> FindByEmail(std::string_view email) = 0;
  // Loads the customer, applies `mutate` and stores the result in one
  // transaction, so concurrent updates never lose each other's fields.
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

  // Calls `visit` for every customer in creation order, all from one consistent
  // snapshot: writes made while it runs are neither half seen nor seen twice.
  virtual Status ForEach(const std::function<void(const Customer&)>& visit) = 0;

  // Removes every customer with its addresses and stores `customers` in their
  // place exactly as given (ids, timestamps, password hashes), in one
  // transaction: readers see the old set or the new one, never a mix, and on
  // failure nothing changed. Settings are kept. An empty `customers` empties
  // the store (the dev mock's reset); a list taken with ForEach brings a
  // snapshot back. Returns how many customers were removed.
  virtual Result<uint64_t> ReplaceAll(const std::vector<Customer>& customers) = 0;

  // A durable key/value setting (generated secrets). Returns the stored value,
  // storing make() first when the key is absent.
  virtual Result<std::string> GetOrCreateSetting(std::string_view key,
                                                 const std::function<std::string()>& make) = 0;
};

}  // namespace gateway
