#include "adapters/microbase_v1/errors.h"

#include <initializer_list>
#include <utility>
#include <vector>

#include "adapters/http/request_log.h"
#include "adapters/http/request_util.h"
#include "adapters/microbase_v1/mapping.h"
#include "common/json_writer.h"

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
  // MicroBase cannot see the display name; it is its names joined by a space,
  // so a rule on it holds for both parts.
  const bool display_name = status.field() == "name";
  const std::string wire = display_name ? "firstName" : WireFieldPath(status.field());
  if (status.violation() == Violation::kNone) return wire + ": " + status.message();
  if (display_name && status.violation() == Violation::kTooLong) {
    return "firstName: firstName and lastName together " +
           ViolationText(Violation::kTooLong, status.limit() - 1);
  }
  const std::string subject = display_name ? "firstName and lastName" : std::string(Leaf(wire));
  return wire + ": " + subject + " " + ViolationText(status.violation(), status.limit());
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
