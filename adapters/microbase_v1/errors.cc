#include "adapters/microbase_v1/errors.h"

#include <initializer_list>
#include <utility>
#include <vector>

#include "adapters/http/request_log.h"
#include "adapters/http/request_util.h"
#include "adapters/microbase_v1/mapping.h"
#include "common/json_writer.h"
#include "core/validation.h"

namespace gateway::microbase {
namespace {

std::string_view Leaf(std::string_view path) {
  size_t dot = path.find_last_of('.');
  return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

}  // namespace

FailureData DataText(std::string text) {
  return [text = std::move(text)](JsonWriter& w) { w.String(text); };
}

FailureData DataObject(
    std::initializer_list<std::pair<std::string_view, std::string_view>> members) {
  std::vector<std::pair<std::string, std::string>> copied(members.begin(), members.end());
  return [copied = std::move(copied)](JsonWriter& w) {
    w.BeginObject();
    for (const auto& [key, value] : copied) w.Field(key, value);
    w.EndObject();
  };
}

void RenderFailure(httplib::Response& res, std::string_view code, const FailureData& data,
                   int http_status) {
  JsonWriter w;
  w.BeginObject().Field("ok", false).Field("error", code);
  if (data) data(w.Key("data"));
  w.EndObject();
  http::SetJson(res, http_status, w.Take());
}

void RenderValidation(httplib::Response& res, const std::string& message) {
  RenderFailure(res, "validation_error",
                [&](JsonWriter& w) { w.BeginArray().String(message).EndArray(); });
}

std::string ValidationMessage(const Status& status) {
  if (status.field().empty()) return status.message();
  // MicroBase cannot see the display name; it is its names joined by a space.
  if (status.field() == "name") {
    const std::string& message = status.message();
    if (message.rfind("name must be at most ", 0) == 0) {
      return "firstName: firstName and lastName together must be at most " +
             std::to_string(limits::kName - 1) + " characters";
    }
    // Core messages on the name open with "name"; the rule holds for both parts.
    if (message.rfind("name ", 0) == 0)
      return "firstName: firstName and lastName" + message.substr(4);
    return "firstName: " + message;
  }
  const std::string wire = WireFieldPath(status.field());
  std::string message = status.message();
  // Core messages open with the canonical field name; say it in our words.
  const std::string_view canonical_leaf = Leaf(status.field());
  if (message.rfind(canonical_leaf, 0) == 0) {
    message.replace(0, canonical_leaf.size(), Leaf(wire));
  }
  return wire + ": " + message;
}

void RenderStatus(httplib::Response& res, const Status& status, const Subject& subject,
                  NotFound not_found) {
  const auto both_ids = [&] {
    return DataObject({{"customerId", subject.customer_id}, {"addressId", subject.address_id}});
  };
  switch (status.code()) {
    case ErrorCode::kInvalidArgument:
      return RenderValidation(res, ValidationMessage(status));
    case ErrorCode::kInvalidEmail:
      return RenderFailure(res, "customer_invalid_email", DataObject({{"email", subject.email}}));
    case ErrorCode::kInvalidCountry:
      return RenderFailure(res, "address_contry_invalid",
                           DataObject({{"address", subject.country}}));
    case ErrorCode::kDuplicateEmail:
      return RenderFailure(res, "duplicate_key", DataText(status.message()));
    case ErrorCode::kCustomerNotFound:
      if (not_found == NotFound::kCombined) {
        return RenderFailure(res, "customer_address_not_found", both_ids());
      }
      return RenderFailure(res, "customer_not_found",
                           subject.customer_id.empty()
                               ? DataObject({{"id", subject.id}})
                               : DataObject({{"customerId", subject.customer_id}}));
    case ErrorCode::kAddressNotFound:
      return RenderFailure(
          res,
          not_found == NotFound::kCombined ? "customer_address_not_found" : "address_not_found",
          both_ids());
    case ErrorCode::kBadCredentials:
      return RenderFailure(res, "bad_credentials", DataObject({{"email", subject.email}}));
    case ErrorCode::kUnsupported:
      return RenderFailure(res, "unsupported", DataText(status.message()));
    case ErrorCode::kBusy:
    case ErrorCode::kUnavailable:
      return RenderFailure(res, "service_unavailable", DataText(status.message()), 503);
    case ErrorCode::kOk:
    case ErrorCode::kInternal:
      break;
  }
  http::ReportInternalError("microbase", status.message());
  RenderFailure(res, "internal_error", {}, 500);
}

}  // namespace gateway::microbase
