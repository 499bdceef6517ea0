#include "core/customer_service.h"

#include <algorithm>

#include "common/uuid.h"
#include "core/validation.h"

namespace gateway {
namespace {

void StampNewAddress(Address& a, int64_t now) {
  a.id = NewUuid();
  a.created_at = now;
  a.updated_at = now;
}

Status HashQueueFull() {
  return Status::Busy("Too many password checks are in progress; retry shortly");
}

}  // namespace

void ApplyPatch(Customer& c, const CustomerPatch& patch) {
  if (patch.email) c.email = *patch.email;
  if (patch.display_name) {
    c.display_name = *patch.display_name;
    std::tie(c.first_name, c.last_name) = SplitDisplayName(c.display_name);
  }
  if (patch.first_name || patch.last_name) {
    std::string first = patch.first_name.value_or(c.first_name);
    std::string last = patch.last_name.value_or(c.last_name);
    // Writing back the names already stored (MicroBase clients resend them)
    // leaves Elastic Path's verbatim display name alone.
    if (first != c.first_name || last != c.last_name) {
      c.first_name = std::move(first);
      c.last_name = std::move(last);
      c.display_name = JoinDisplayName(c.first_name, c.last_name);
    }
  }
  for (const auto& [field, value] : patch.text_fields) c.Field(field) = value;
  if (patch.status) c.status = *patch.status;
  if (patch.tags) c.tags = *patch.tags;
  for (const auto& [slug, value] : patch.custom) c.custom[slug] = value;
}

CustomerService::CustomerService(CustomerRepository& repo, PasswordHasher& hasher,
                                 HashQueue& hash_queue, const Clock& clock)
    : repo_(repo),
      hasher_(hasher),
      hash_queue_(hash_queue),
      clock_(clock),
      dummy_hash_(hasher.Hash(NewUuid())) {}

Result<Customer> CustomerService::Create(NewCustomer in) {
  const int64_t now = clock_.NowMillis();
  Customer c;
  c.id = NewUuid();
  c.email = std::move(in.email);
  if (in.display_name) {
    c.display_name = *in.display_name;
    std::tie(c.first_name, c.last_name) = SplitDisplayName(c.display_name);
  }
  if (in.first_name || in.last_name) {
    c.first_name = in.first_name.value_or(c.first_name);
    c.last_name = in.last_name.value_or(c.last_name);
    if (!in.display_name) c.display_name = JoinDisplayName(c.first_name, c.last_name);
  }
  for (auto& [field, value] : in.text_fields) c.Field(field) = std::move(value);
  c.status = in.status.value_or(CustomerStatus::kActive);
  c.tags = std::move(in.tags);
  c.custom = std::move(in.custom);
  c.addresses = std::move(in.addresses);
  for (Address& a : c.addresses) StampNewAddress(a, now);
  c.created_at = now;
  c.updated_at = now;
  if (in.password && in.password->size() > limits::kPassword) {
    return Status::Violated("password", Violation::kTooLong, limits::kPassword);
  }
  if (Status s = ValidateCustomer(c); !s.ok()) return s;
  // Hash only after validation, and before storage so no lock is held.
  if (in.password) {
    auto ticket = hash_queue_.TryEnter();
    if (!ticket) return HashQueueFull();
    c.password_hash = hasher_.Hash(*in.password);
  }
  if (Status s = repo_.Insert(c); !s.ok()) return s;
  return c;
}

Result<Customer> CustomerService::Get(std::string_view id) { return repo_.Get(id); }

Result<Customer> CustomerService::Update(std::string_view id, CustomerPatch patch) {
  std::optional<std::string> new_hash;
  if (patch.password) {
    if (patch.password->size() > limits::kPassword) {
      return Status::Violated("password", Violation::kTooLong, limits::kPassword);
    }
    auto ticket = hash_queue_.TryEnter();
    if (!ticket) return HashQueueFull();
    new_hash = hasher_.Hash(*patch.password);
  }
  const int64_t now = clock_.NowMillis();
  return repo_.Update(id, [&](Customer& c) {
    ApplyPatch(c, patch);
    if (new_hash) c.password_hash = new_hash;
    c.updated_at = now;
    return ValidateCustomer(c);
  });
}

Status CustomerService::Remove(std::string_view id) { return repo_.Remove(id); }

Result<CustomerPage> CustomerService::List(const CustomerQuery& query) {
  if (Status s = ValidateQuery(query); !s.ok()) return s;
  std::optional<CustomerQuery> decided = WithoutNulOperands(query);
  if (!decided) return CustomerPage{};
  return repo_.List(*decided);
}

Result<Customer> CustomerService::Authenticate(std::string_view email, std::string_view password) {
  // Held for the verify and a possible rehash alike.
  auto ticket = hash_queue_.TryEnter();
  if (!ticket) return HashQueueFull();
  Result<Customer> found = repo_.FindByEmail(email);
  if (!found.ok() && found.status().code() != ErrorCode::kCustomerNotFound) {
    return found.status();
  }
  if (!found.ok() || !found->password_hash) {
    hasher_.Verify(password, dummy_hash_);  // same cost as a real miss
    return Status::BadCredentials();
  }
  const std::string old_hash = *found->password_hash;
  if (!hasher_.Verify(password, old_hash)) return Status::BadCredentials();
  if (hasher_.NeedsRehash(old_hash)) {
    std::string upgraded = hasher_.Hash(password);
    // Compare-and-set: a password changed meanwhile is left alone.
    Result<Customer> updated = repo_.Update(found->id, [&](Customer& c) {
      if (c.password_hash == old_hash) c.password_hash = upgraded;
      return Status::Ok();
    });
    if (updated.ok()) return updated;
  }
  return found;
}

Result<Customer> CustomerService::AddAddresses(std::string_view customer_id,
                                               std::vector<Address> addresses) {
  const int64_t now = clock_.NowMillis();
  for (Address& a : addresses) StampNewAddress(a, now);
  return repo_.Update(customer_id, [&](Customer& c) {
    c.addresses.insert(c.addresses.end(), addresses.begin(), addresses.end());
    c.updated_at = now;
    return ValidateCustomer(c);
  });
}

Result<Address> CustomerService::GetAddress(std::string_view customer_id,
                                            std::string_view address_id) {
  Result<Customer> c = repo_.Get(customer_id);
  if (!c.ok()) return c.status();
  const Address* a = c->FindAddress(address_id);
  if (a == nullptr) {
    return Status::AddressNotFound("No address found with id " + std::string(address_id));
  }
  return *a;
}

Result<Customer> CustomerService::UpdateAddress(std::string_view customer_id,
                                                std::string_view address_id,
                                                const AddressPatch& patch) {
  const int64_t now = clock_.NowMillis();
  return repo_.Update(customer_id, [&](Customer& c) {
    Address* a = c.FindAddress(address_id);
    if (a == nullptr) {
      return Status::AddressNotFound("No address found with id " + std::string(address_id));
    }
    for (const auto& [field, value] : patch.fields) a->Field(field) = value;
    for (const auto& [slug, value] : patch.custom) a->custom[slug] = value;
    a->updated_at = now;
    c.updated_at = now;
    return ValidateCustomer(c);
  });
}

Result<Customer> CustomerService::RemoveAddress(std::string_view customer_id,
                                                std::string_view address_id) {
  const int64_t now = clock_.NowMillis();
  return repo_.Update(customer_id, [&](Customer& c) {
    auto it = std::find_if(c.addresses.begin(), c.addresses.end(),
                           [&](const Address& a) { return a.id == address_id; });
    if (it == c.addresses.end()) {
      return Status::AddressNotFound("No address found with id " + std::string(address_id));
    }
    c.addresses.erase(it);
    c.updated_at = now;
    return Status::Ok();
  });
}

}  // namespace gateway
