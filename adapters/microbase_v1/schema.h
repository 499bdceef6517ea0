// Request schemas for MicroBase methods, checked the way MicroBase's ajv
// validator does: properties in declaration order, a missing required
// property reported when its turn comes, only the first failure reported,
// as "payload.addresses[0].phone: should be number".
//
// The schemas are immutable constants; Validate is safe from any thread.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gateway::microbase {

struct Schema {
  enum class Type { kString, kNumber, kObject, kArray, kAny };
  Type type = Type::kAny;
  std::vector<std::pair<std::string_view, const Schema*>> properties;  // checked in this order
  std::vector<std::string_view> required;
  const Schema* items = nullptr;  // for kArray
};

// The first failure as MicroBase words it, or nullopt when `value` conforms.
std::optional<std::string> Validate(simdjson::dom::element value, const Schema& schema);
// The same for arguments already known to be an object.
std::optional<std::string> Validate(simdjson::dom::object args, const Schema& schema);

// The schemas of each method.
namespace schemas {
extern const Schema kAddress;
extern const Schema kAddressWithId;
extern const Schema kCreate;
extern const Schema kInfo;  // also remove: just a required string id
extern const Schema kUpdate;
extern const Schema kCheckCredentials;
extern const Schema kAddressCreate;
extern const Schema kAddressInfo;  // also address.remove
extern const Schema kAddressUpdate;
}  // namespace schemas

}  // namespace gateway::microbase
