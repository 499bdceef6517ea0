// Row mapping between the canonical Customer aggregate and the customers and
// addresses tables. Every function runs on a connection the caller owns and
// inside whatever transaction the caller opened.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "core/customer.h"
#include "core/customer_query.h"
#include "core/status.h"
#include "storage/sqlite/connection.h"

namespace gateway::sqlite {

Result<Customer> LoadCustomer(Connection& conn, std::string_view id);
Result<Customer> LoadCustomerByEmail(Connection& conn, std::string_view email);
// Inserts a new customer with its addresses; kDuplicateEmail on a taken email.
Status InsertCustomer(Connection& conn, const Customer& c);
// Rewrites an existing customer row and replaces its addresses.
Status SaveCustomer(Connection& conn, const Customer& c);
Status DeleteCustomer(Connection& conn, std::string_view id);
Result<CustomerPage> QueryCustomers(Connection& conn, const CustomerQuery& q);
// Brings the substring index (customers_search) up to date with the rows the
// open transaction changed; the writer runs it before every commit.
Status SyncSearchIndex(Connection& conn);
// CustomerRepository::CountByPasswordScheme, in one scan.
Result<std::map<std::string, int64_t>> CountPasswordSchemes(Connection& conn);
// Streams every customer, oldest first, from the caller's transaction: run
// inside one read transaction it is one consistent snapshot.
Status VisitAllCustomers(Connection& conn, const std::function<void(const Customer&)>& visit);
// SQLite's plan for the page query QueryCustomers runs for `q`, one step per
// line, so tests can prove which indexes a listing uses.
Result<std::string> ExplainCustomerQuery(Connection& conn, const CustomerQuery& q);

}  // namespace gateway::sqlite
