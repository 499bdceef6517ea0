// Elastic Path error rendering: every failure is a JSON:API `errors` array
// whose objects repeat the HTTP status as an integer. The one table mapping
// core ErrorCodes to Elastic Path statuses and titles lives in errors.cc.
#pragma once

#include <httplib.h>

#include <string_view>

#include "core/status.h"

namespace gateway::elastic_path {

void RenderError(httplib::Response& res, int status, std::string_view title,
                 std::string_view detail, std::string_view source = {});
// Renders a core Status; `source` names the wire field when the status has one.
void RenderStatus(httplib::Response& res, const Status& status);

}  // namespace gateway::elastic_path
