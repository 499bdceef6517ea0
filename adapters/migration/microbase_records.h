// MicroBase records: one document of micro-customer-service's `customers`
// collection as `mongoexport` writes it (relaxed or canonical Extended JSON,
// and the legacy form of older tools):
//
//   {"_id":"HkhhuXESl","email":"john.doe@gmail.com","password":"$2a$10$...",
//    "firstName":"John","lastName":"Doe","status":"ACTIVE","tags":["VIP"],
//    "addresses":[{"name":"Work","firstName":"John",...,"phone":2173203531,"id":"r1xj..."}],
//    "createdAt":{"$date":"2017-01-11T18:44:45.123Z"},"updatedAt":{...},"__v":0}
//
// `_id` may also be {"$oid": "..."} and is kept verbatim as the customer id;
// address ids are kept too. Export writes the same shape (relaxed form), so
// `mongoimport` takes it back.
//
// What MicroBase cannot carry, and an import therefore keeps from the stored
// customer: external_ref, the Elastic Path display name (while first and last
// name are unchanged), address county. A stored password hash in the
// gateway's own scheme is newer than any bcrypt hash MicroBase holds (it came
// from a login or a password change here), so a bcrypt hash never replaces it.
//
// Thread-safety: stateless.
#pragma once

#include "adapters/migration/record_format.h"

namespace gateway::migration {

const RecordFormat& MicroBaseRecords();

}  // namespace gateway::migration
