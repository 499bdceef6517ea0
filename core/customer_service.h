// CustomerService: the use cases both dialects call.
//
// Adapters check their own wire rules (required fields, JSON types), build the
// neutral inputs below and call one method; the service applies the bridge
// rules (name split/join, field preservation), validation, password hashing
// (before any storage call, so no lock is held while hashing), and stores.
//
// Thread-safety: safe for concurrent use; holds no mutable state of its own.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/customer.h"
#include "core/customer_query.h"
#include "core/hash_queue.h"
#include "core/ports/clock.h"
#include "core/ports/customer_repository.h"
#include "core/ports/password_hasher.h"
#include "core/status.h"

namespace gateway {

// Values of CustomerTextFields; nullopt leaves the field unset (create) or
// clears it (update). A field not listed is left alone.
using TextFieldValues = std::vector<std::pair<CustomerTextField, std::optional<std::string>>>;

struct NewCustomer {
  std::string email;
  std::optional<std::string> display_name;  // Elastic Path `name`
  std::optional<std::string> first_name;    // MicroBase names
  std::optional<std::string> last_name;
  std::optional<std::string> password;
  TextFieldValues text_fields;
  std::optional<CustomerStatus> status;
  std::vector<std::string> tags;
  std::vector<Address> addresses;
  CustomValues custom;  // checked by the caller (ApplyCustomValues)
};

// Only the fields set here change; everything else stays as stored.
struct CustomerPatch {
  std::optional<std::string> email;
  std::optional<std::string> display_name;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> password;
  TextFieldValues text_fields;
  std::optional<CustomerStatus> status;
  std::optional<std::vector<std::string>> tags;
  CustomValues custom;  // values to set, checked by the caller; others stay
};

// Field-by-field address change: nullopt clears that field.
struct AddressPatch {
  std::vector<std::pair<AddressField, std::optional<std::string>>> fields;
  CustomValues custom;  // values to set, checked by the caller; others stay
};

class CustomerService {
 public:
  // Every call that hashes a password first takes a place in `hash_queue`
  // and answers kBusy when there is none. `clock` stamps created_at/updated_at.
  CustomerService(CustomerRepository& repo, PasswordHasher& hasher, HashQueue& hash_queue,
                  const Clock& clock = SystemClock());

  Result<Customer> Create(NewCustomer in);
  Result<Customer> Get(std::string_view id);
  Result<Customer> Update(std::string_view id, CustomerPatch patch);
  Status Remove(std::string_view id);
  Result<CustomerPage> List(const CustomerQuery& query);

  // Verifies an email/password pair. Unknown email and wrong password are the
  // same kBadCredentials, in about the same time. A legacy (bcrypt) hash that
  // verifies is replaced by the current scheme in the same call.
  Result<Customer> Authenticate(std::string_view email, std::string_view password);

  // Appends addresses (ids assigned here) and returns the whole customer.
  Result<Customer> AddAddresses(std::string_view customer_id, std::vector<Address> addresses);
  Result<Address> GetAddress(std::string_view customer_id, std::string_view address_id);
  Result<Customer> UpdateAddress(std::string_view customer_id, std::string_view address_id,
                                 const AddressPatch& patch);
  Result<Customer> RemoveAddress(std::string_view customer_id, std::string_view address_id);

  PasswordHasher& hasher() { return hasher_; }

 private:
  CustomerRepository& repo_;
  PasswordHasher& hasher_;
  HashQueue& hash_queue_;
  const Clock& clock_;
  std::string dummy_hash_;  // verified against when the email is unknown
};

// Applies a patch under the name rule; exposed for unit tests.
void ApplyPatch(Customer& c, const CustomerPatch& patch);

}  // namespace gateway
