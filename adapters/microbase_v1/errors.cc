#include "adapters/microbase_v1/errors.h"

#include <cstdio>

#include "adapters/http/request_util.h"
#include "adapters/microbase_v1/mapping.h"
#include "core/json_writer.h"

namespace gateway::microbase {
namespace {

std::string SubjectData(std::string_view key, std::string_view subject) {
  JsonWriter w;
  w.BeginObject().Field(key, subject).EndObject();
  return w.Take();
}

std::string Quoted(std::string_view text) {
  std::string s;
  AppendJsonString(s, text);
  return s;
}

}  // namespace

void RenderFailure(httplib::Response& res, std::string_view code, std::string_view data_json,
                   int http_status) {
  std::string body = R"({"ok":false,"error":)";
  AppendJsonString(body, code);
  if (!data_json.empty()) {
    body += R"(,"data":)";
    body += data_json;
  }
  body += "}";
  http::SetJson(res, http_status, std::move(body));
}

void RenderStatus(httplib::Response& res, const Status& status, std::string_view subject) {
  switch (status.code()) {
    case ErrorCode::kInvalidArgument:
      return RenderFailure(res, "validation_error",
                           JsonStringArray({WireFieldPath(status.field()) + ": " + status.message()}));
    case ErrorCode::kInvalidEmail:
      return RenderFailure(res, "customer_invalid_email", SubjectData("email", subject));
    case ErrorCode::kInvalidCountry:
      return RenderFailure(res, "address_contry_invalid", SubjectData("address", subject));
    case ErrorCode::kDuplicateEmail:
      return RenderFailure(res, "duplicate_key", Quoted(status.message()));
    case ErrorCode::kCustomerNotFound:
      return RenderFailure(res, "customer_not_found", SubjectData("id", subject));
    case ErrorCode::kAddressNotFound:
      return RenderFailure(res, "address_not_found", SubjectData("id", subject));
    case ErrorCode::kBadCredentials:
      return RenderFailure(res, "bad_credentials");
    case ErrorCode::kUnsupported:
      return RenderFailure(res, "unsupported", Quoted(status.message()));
    case ErrorCode::kOk:
    case ErrorCode::kInternal:
      break;
  }
  std::fprintf(stderr, "microbase: internal error: %s\n", status.message().c_str());
  RenderFailure(res, "internal_error", {}, 500);
}

}  // namespace gateway::microbase
