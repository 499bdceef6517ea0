// Row mapping between the canonical Customer aggregate and the PostgreSQL
// customers and addresses tables. Every function runs on a connection the
// caller holds and inside whatever transaction the caller opened.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/customer.h"
#include "core/customer_query.h"
#include "core/status.h"
#include "storage/postgres/connection.h"

namespace gateway::postgres {

// `lock` takes the row lock (SELECT ... FOR UPDATE) for a read-modify-write.
Result<Customer> LoadCustomer(Connection& conn, std::string_view id, bool lock = false);
Result<Customer> LoadCustomerByEmail(Connection& conn, std::string_view email);
// Inserts a new customer with its addresses; kDuplicateEmail on a taken email.
Status InsertCustomer(Connection& conn, const Customer& c);
// Rewrites an existing customer row and replaces its addresses.
Status SaveCustomer(Connection& conn, const Customer& c);
Status DeleteCustomer(Connection& conn, std::string_view id);
// Loads and row-locks whichever of `ids` exist, keyed by id.
Result<std::map<std::string, Customer>> LoadCustomersForUpdate(Connection& conn,
                                                               const std::vector<std::string>& ids);
// Inserts new customers with their addresses in two statements, whatever
// their number. Any failure fails them all; the caller learns which record
// broke a rule by inserting them one at a time (InsertCustomer).
Status InsertCustomers(Connection& conn, const std::vector<const Customer*>& customers);
// Count and page; run it in one snapshot (REPEATABLE READ) so they agree.
Result<CustomerPage> QueryCustomers(Connection& conn, const CustomerQuery& q);
Result<std::map<std::string, int64_t>> CountPasswordSchemes(Connection& conn);
// Streams every customer, oldest first, through a cursor `batch` rows at a
// time; inside a REPEATABLE READ transaction it is one consistent snapshot.
Status VisitAllCustomers(Connection& conn, const std::function<void(const Customer&)>& visit,
                         int batch = 500);
// PostgreSQL's plan for the page query QueryCustomers runs for `q`, so tests
// can prove which indexes a listing uses.
Result<std::string> ExplainCustomerQuery(Connection& conn, const CustomerQuery& q);

}  // namespace gateway::postgres
