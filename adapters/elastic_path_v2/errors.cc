#include "adapters/elastic_path_v2/errors.h"

#include "adapters/elastic_path_v2/mapping.h"
#include "adapters/http/request_log.h"
#include "adapters/http/request_util.h"
#include "common/iso_time.h"
#include "common/json_writer.h"
#include "common/uuid.h"

namespace gateway::elastic_path {
namespace {

struct Wire {
  int status;
  const char* title;
};

Wire ToWire(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return {400, "Bad Request"};
    case ErrorCode::kInvalidEmail:
      return {400, "Bad Request"};
    case ErrorCode::kInvalidCountry:
      return {400, "Bad Request"};
    case ErrorCode::kDuplicateEmail:
      return {409, "Duplicate email"};
    case ErrorCode::kCustomerNotFound:
      return {404, "Not Found"};
    case ErrorCode::kAddressNotFound:
      return {404, "Not Found"};
    case ErrorCode::kBadCredentials:
      return {401, "Unauthorized"};
    case ErrorCode::kUnsupported:
      return {501, "Not Implemented"};
    case ErrorCode::kBusy:
    case ErrorCode::kUnavailable:
      return {503, "Service Unavailable"};
    case ErrorCode::kOk:
    case ErrorCode::kInternal:
      break;
  }
  return {500, "Internal Server Error"};
}

}  // namespace

void RenderError(httplib::Response& res, int status, std::string_view title,
                 std::string_view detail, std::string_view source, std::string_view reason) {
  JsonWriter w;
  w.BeginObject().Key("errors").BeginArray().BeginObject();
  w.Field("status", status).Field("title", title).Field("detail", detail);
  if (!source.empty()) w.Field("source", source);
  if (!reason.empty()) w.Key("meta").BeginObject().Field("reason", reason).EndObject();
  // A 500 carries the request's id (also in X-Request-Id and the log) to
  // quote when reporting it; the detail stays generic.
  if (status >= 500) {
    std::string_view id = http::CurrentRequestId();
    w.Field("request_id", id.empty() ? NewUuid() : std::string(id));
  }
  w.EndObject().EndArray().EndObject();
  http::SetJson(res, status, w.Take());
}

void RenderStatus(httplib::Response& res, const Status& status) {
  Wire wire = ToWire(status.code());
  if (wire.status == 500) {
    http::ReportInternalError("elastic_path", status.message());
    RenderError(res, 500, wire.title, "The server failed to handle the request");
    return;
  }
  std::string source = status.field().empty() ? "" : "data." + WireFieldPath(status.field());
  RenderError(res, wire.status, wire.title, status.message(), source);
}

void RenderQueryError(httplib::Response& res, const Status& status) {
  if (status.field() == "filter") {
    RenderError(res, 400, "Bad Request", "Could not parse the supplied filter", "filter",
                status.message());
    return;
  }
  RenderError(res, 400, "Bad Request", status.message(), status.field());
}

}  // namespace gateway::elastic_path
