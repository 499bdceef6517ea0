#include "adapters/openapi/openapi_dialect.h"

#include <string>

#include "adapters/http/request_util.h"
#include "adapters/openapi/documents.h"
#include "common/json_writer.h"

namespace gateway::openapi {
namespace {

constexpr std::string_view kPrefix = "/openapi";

}  // namespace

bool OpenApiDialect::Owns(std::string_view path) const {
  return path.substr(0, kPrefix.size()) == kPrefix &&
         (path.size() == kPrefix.size() || path[kPrefix.size()] == '/');
}

// The host's neutral JSON:API error shape: these paths belong to no platform.
void OpenApiDialect::RenderHostError(int status, std::string_view detail,
                                     httplib::Response& res) const {
  JsonWriter w;
  w.BeginObject().Key("errors").BeginArray().BeginObject();
  w.Field("status", status).Field("title", http::StatusTitle(status)).Field("detail", detail);
  w.EndObject().EndArray().EndObject();
  http::SetJson(res, status, w.Take());
}

void OpenApiDialect::Handle(const httplib::Request& req, httplib::Response& res) {
  res.set_header("Access-Control-Allow-Origin", "*");
  std::string_view document;
  if (req.path == "/openapi/elastic-path-v2.json") document = kElasticPathV2;
  if (req.path == "/openapi/microbase-v1.json") document = kMicroBaseV1;
  if (req.path == "/openapi/dev-mock-admin.json") document = kDevMockAdmin;
  if (document.empty()) {
    return RenderHostError(404, "No route matches " + req.method + " " + req.path, res);
  }
  if (req.method != "GET") {
    res.set_header("Allow", "GET");
    return RenderHostError(405, req.method + " is not allowed on " + req.path, res);
  }
  http::SetJson(res, 200, std::string(document));
}

}  // namespace gateway::openapi
