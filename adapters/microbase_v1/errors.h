// MicroBase error rendering: `{"ok":false,"error":"<code>","data":...}` with
// HTTP 200 for application errors, as the reference service answers. The one
// table from core ErrorCodes to MicroBase codes, and the `data` each code
// carries, lives in errors.cc.
//
// Stateless; safe from any thread.
#pragma once

#include <httplib.h>

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "common/json_writer.h"
#include "core/status.h"

namespace gateway::microbase {

// What a failure is about. Each code shows the members MicroBase shows for it:
// customer_not_found `{"id"}` (or `{"customerId"}` from the address methods),
// address_not_found and customer_address_not_found `{"customerId","addressId"}`,
// customer_invalid_email and bad_credentials `{"email"}`,
// address_contry_invalid `{"address": <country>}`.
struct Subject {
  std::string_view id = {};
  std::string_view customer_id = {};
  std::string_view address_id = {};
  std::string_view email = {};
  std::string_view country = {};
};

// How a method names a missing customer or address. customer.address.update
// and customer.address.remove answer both as customer_address_not_found.
enum class NotFound { kDistinct, kCombined };

// Writes the `data` member's value; empty for no `data` member.
using FailureData = std::function<void(JsonWriter&)>;
// `data` as a string.
FailureData DataText(std::string text);
// `data` as an object of string members, in order.
FailureData DataObject(
    std::initializer_list<std::pair<std::string_view, std::string_view>> members);

void RenderFailure(httplib::Response& res, std::string_view code, const FailureData& data = {},
                   int http_status = 200);
// `validation_error` with one message, e.g. "payload.email: should be string".
void RenderValidation(httplib::Response& res, const std::string& message);
// Renders a core Status in MicroBase's words.
void RenderStatus(httplib::Response& res, const Status& status, const Subject& subject = {},
                  NotFound not_found = NotFound::kDistinct);

// The validation message for a core kInvalidArgument, in mongoose's
// `path: message` style with this dialect's field names
// ("addresses.0.address_1: address_1 must be at most 255 characters").
std::string ValidationMessage(const Status& status);

}  // namespace gateway::microbase
