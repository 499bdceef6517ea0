#include "tests/testing/in_memory_repository.h"

#include <algorithm>
#include <tuple>

namespace gateway::testing {
namespace {

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The value a condition compares, folded as core/customer_query.h says.
std::string Key(const Customer& c, QueryField field) {
  switch (field) {
    case QueryField::kId:
      return c.id;
    case QueryField::kEmail:
      return EmailKey(c.email);
    case QueryField::kName:
      return AsciiLower(c.display_name);
    case QueryField::kExternalRef:
      return c.external_ref.value_or("");
    case QueryField::kStatus:
      return std::string(StatusName(c.status));
    case QueryField::kTag:
    case QueryField::kCreatedAt:
    case QueryField::kUpdatedAt:
      break;
  }
  return {};
}

std::string FoldOperand(QueryField field, std::string_view v) {
  if (field == QueryField::kEmail) return EmailKey(v);
  if (field == QueryField::kName) return AsciiLower(v);
  return std::string(v);
}

bool Like(std::string_view text, std::string_view pattern) {
  const bool lead = !pattern.empty() && pattern.front() == '*';
  if (lead) pattern.remove_prefix(1);
  const bool trail = !pattern.empty() && pattern.back() == '*';
  if (trail) pattern.remove_suffix(1);
  const std::string t = AsciiLower(text);
  const std::string p = AsciiLower(pattern);
  if (lead && trail) return t.find(p) != std::string::npos;
  if (lead) return t.size() >= p.size() && t.compare(t.size() - p.size(), p.size(), p) == 0;
  if (trail) return t.rfind(p, 0) == 0;
  return t == p;
}

template <typename T>
bool Compare(QueryOp op, const T& a, const T& b) {
  switch (op) {
    case QueryOp::kGt:
      return a > b;
    case QueryOp::kGe:
      return a >= b;
    case QueryOp::kLt:
      return a < b;
    case QueryOp::kLe:
      return a <= b;
    default:
      return a == b;
  }
}

bool Holds(const Customer& c, const Condition& cond) {
  if (cond.field == QueryField::kTag) {
    return std::any_of(c.tags.begin(), c.tags.end(), [&](const std::string& tag) {
      return std::find(cond.values.begin(), cond.values.end(), tag) != cond.values.end();
    });
  }
  if (cond.field == QueryField::kCreatedAt || cond.field == QueryField::kUpdatedAt) {
    const int64_t t = cond.field == QueryField::kCreatedAt ? c.created_at : c.updated_at;
    return Compare(cond.op, t, cond.millis);
  }
  if (cond.field == QueryField::kExternalRef && !c.external_ref) return false;  // NULL
  const std::string key = Key(c, cond.field);
  if (cond.op == QueryOp::kLike) return Like(key, cond.values[0]);
  if (cond.op == QueryOp::kIn) {
    return std::any_of(cond.values.begin(), cond.values.end(),
                       [&](const std::string& v) { return key == FoldOperand(cond.field, v); });
  }
  return Compare(cond.op, key, FoldOperand(cond.field, cond.values[0]));
}

}  // namespace

Status InMemoryRepository::Conflicts(const Customer& c, std::string_view replacing) const {
  const std::string key = EmailKey(c.email);
  for (const auto& [id, other] : customers_) {
    if (id == replacing) continue;
    if (EmailKey(other.email) == key) {
      return Status::DuplicateEmail("A customer with this email already exists");
    }
    for (size_t i = 0; i < c.addresses.size(); ++i) {
      for (const Address& a : other.addresses) {
        if (a.id == c.addresses[i].id) {
          return Status::Invalid("addresses[" + std::to_string(i) + "].id",
                                 "address id " + a.id + " is already used by another customer");
        }
      }
    }
  }
  return Status::Ok();
}

Status InMemoryRepository::Put(const Customer& c, bool must_be_new) {
  const bool exists = customers_.count(c.id) != 0;
  if (must_be_new && exists) return Status::Invalid("id", "a customer with this id already exists");
  if (Status s = Conflicts(c, c.id); !s.ok()) return s;
  customers_[c.id] = c;
  return Status::Ok();
}

Status InMemoryRepository::Insert(const Customer& customer) {
  std::lock_guard lock(mu_);
  return Put(customer, true);
}

Result<Customer> InMemoryRepository::Get(std::string_view id) {
  std::lock_guard lock(mu_);
  auto it = customers_.find(id);
  if (it == customers_.end()) {
    return Status::CustomerNotFound("No customer found with id " + std::string(id));
  }
  return it->second;
}

Result<Customer> InMemoryRepository::FindByEmail(std::string_view email) {
  std::lock_guard lock(mu_);
  const std::string key = EmailKey(email);
  for (const auto& [id, c] : customers_) {
    if (EmailKey(c.email) == key) return c;
  }
  return Status::CustomerNotFound("No customer found with " + key);
}

Result<Customer> InMemoryRepository::Update(std::string_view id, const Mutation& mutate) {
  // Optimistic: mutate a copy without the lock, store it only if nothing
  // changed meanwhile, else run the mutation again on the newer customer.
  while (true) {
    Result<Customer> current = Get(id);
    if (!current.ok()) return current.status();
    Customer edited = *current;
    if (Status s = mutate(edited); !s.ok()) return s;
    std::lock_guard lock(mu_);
    auto it = customers_.find(id);
    if (it == customers_.end()) {
      return Status::CustomerNotFound("No customer found with id " + std::string(id));
    }
    if (!(it->second == *current)) continue;
    if (Status s = Put(edited, false); !s.ok()) return s;
    return edited;
  }
}

Status InMemoryRepository::Remove(std::string_view id) {
  std::lock_guard lock(mu_);
  auto it = customers_.find(id);
  if (it == customers_.end()) {
    return Status::CustomerNotFound("No customer found with id " + std::string(id));
  }
  customers_.erase(it);
  return Status::Ok();
}

Result<CustomerPage> InMemoryRepository::List(const CustomerQuery& query) {
  std::vector<Customer> matches;
  {
    std::lock_guard lock(mu_);
    for (const auto& entry : customers_) {
      const Customer& c = entry.second;
      if (std::all_of(query.conditions.begin(), query.conditions.end(),
                      [&](const Condition& cond) { return Holds(c, cond); })) {
        matches.push_back(c);
      }
    }
  }
  const SortOrder sort = query.sort;
  auto sort_key = [&](const Customer& c) {
    switch (sort.field) {
      case QueryField::kName:
        return std::tuple(int64_t{0}, AsciiLower(c.display_name), c.id);
      case QueryField::kEmail:
        return std::tuple(int64_t{0}, EmailKey(c.email), c.id);
      case QueryField::kId:
        return std::tuple(int64_t{0}, std::string(), c.id);
      case QueryField::kUpdatedAt:
        return std::tuple(c.updated_at, std::string(), c.id);
      default:
        return std::tuple(c.created_at, std::string(), c.id);
    }
  };
  std::sort(matches.begin(), matches.end(), [&](const Customer& a, const Customer& b) {
    return sort.descending ? sort_key(b) < sort_key(a) : sort_key(a) < sort_key(b);
  });
  CustomerPage page;
  page.total = static_cast<int64_t>(matches.size());
  const size_t begin = std::min(matches.size(), static_cast<size_t>(query.offset));
  const size_t end = std::min(matches.size(), begin + static_cast<size_t>(query.limit));
  page.customers.assign(matches.begin() + static_cast<std::ptrdiff_t>(begin),
                        matches.begin() + static_cast<std::ptrdiff_t>(end));
  return page;
}

CustomerRepository::BatchResult InMemoryRepository::UpsertBatch(
    const std::vector<Customer>& customers, const UpsertMerge& merge) {
  BatchResult result;
  for (size_t i = 0; i < customers.size(); ++i) {
    Result<Customer> stored = Get(customers[i].id);
    Customer incoming = customers[i];
    if (merge) merge(i, stored.ok() ? &*stored : nullptr, incoming);
    std::lock_guard lock(mu_);
    if (stored.ok() && *stored == incoming) {
      result.outcomes.emplace_back(UpsertOutcome::kUnchanged);
    } else if (Status s = Put(incoming, false); !s.ok()) {
      result.outcomes.emplace_back(s);
    } else {
      result.outcomes.emplace_back(stored.ok() ? UpsertOutcome::kUpdated : UpsertOutcome::kCreated);
    }
  }
  return result;
}

Status InMemoryRepository::ForEach(const std::function<void(const Customer&)>& visit) {
  CustomerQuery all;
  all.sort = {QueryField::kCreatedAt, false};
  all.limit = INT64_MAX;
  Result<CustomerPage> snapshot = List(all);  // a copy: the snapshot
  if (!snapshot.ok()) return snapshot.status();
  for (const Customer& c : snapshot->customers) visit(c);
  return Status::Ok();
}

Result<uint64_t> InMemoryRepository::ReplaceAll(const std::vector<Customer>& customers) {
  std::map<std::string, Customer, std::less<>> replaced;
  std::lock_guard lock(mu_);
  std::swap(replaced, customers_);
  for (const Customer& c : customers) {
    if (Status s = Put(c, true); !s.ok()) {
      customers_ = std::move(replaced);  // on failure nothing changed
      return s;
    }
  }
  return static_cast<uint64_t>(replaced.size());
}

Result<std::map<std::string, int64_t>> InMemoryRepository::CountByPasswordScheme() {
  std::map<std::string, int64_t> counts = {{"none", 0}, {"scrypt", 0}, {"bcrypt", 0}, {"other", 0}};
  std::lock_guard lock(mu_);
  for (const auto& [id, c] : customers_) counts[std::string(PasswordSchemeOf(c.password_hash))]++;
  return counts;
}

Result<std::string> InMemoryRepository::GetOrCreateSetting(
    std::string_view key, const std::function<std::string()>& make) {
  {
    std::lock_guard lock(mu_);
    if (auto it = settings_.find(key); it != settings_.end()) return it->second;
  }
  std::string made = make();
  std::lock_guard lock(mu_);
  return settings_.try_emplace(std::string(key), std::move(made)).first->second;
}

Result<std::optional<std::string>> InMemoryRepository::GetSetting(std::string_view key) {
  std::lock_guard lock(mu_);
  if (auto it = settings_.find(key); it != settings_.end()) return std::optional(it->second);
  return std::optional<std::string>();
}

Status InMemoryRepository::PutSetting(std::string_view key, std::string_view value) {
  std::lock_guard lock(mu_);
  settings_.insert_or_assign(std::string(key), std::string(value));
  return Status::Ok();
}

Result<bool> InMemoryRepository::ReplaceSetting(std::string_view key, std::string_view expected,
                                                std::string_view value) {
  std::lock_guard lock(mu_);
  auto it = settings_.find(key);
  if (it == settings_.end() || it->second != expected) return false;
  it->second = std::string(value);
  return true;
}

}  // namespace gateway::testing
