// Elastic Path records: one v2 customer object, as `GET /v2/customers` pages
// it, optionally wrapped as {"data": {...}}, with an optional `addresses`
// array of v2 address objects as `GET /v2/customers/:id/addresses` returns
// them:
//
//   {"type":"customer","id":"...","name":"Ron Swanson","email":"ron@swanson.com",
//    "external_ref":null,"password":true,"meta":{"timestamps":{...}},
//    "addresses":[{"type":"address","id":"...","first_name":"Ron",...}]}
//
// Elastic Path never exports password hashes (`password` is a boolean), nor
// does it know status or tags: an import keeps those from the stored
// customer, and a new customer gets no password (`password: false`) until
// one is set. A record without `addresses` keeps the stored addresses; an
// empty array removes them.
//
// Thread-safety: stateless.
#pragma once

#include "adapters/migration/record_format.h"

namespace gateway::migration {

const RecordFormat& ElasticPathRecords();

}  // namespace gateway::migration
