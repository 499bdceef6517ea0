// MicroBase error rendering: `{"ok":false,"error":"<code>","data":...}` with
// HTTP 200 for application errors, as the reference service answers. The one
// table from core ErrorCodes to MicroBase codes lives in errors.cc.
#pragma once

#include <httplib.h>

#include <string_view>

#include "core/status.h"

namespace gateway::microbase {

// `data_json` is serialized JSON, or empty for no `data` member.
void RenderFailure(httplib::Response& res, std::string_view code, std::string_view data_json = {},
                   int http_status = 200);
// Renders a core Status. `subject` is the value the failure is about (the id
// not found, the invalid email or country), quoted into `data` as MicroBase does.
void RenderStatus(httplib::Response& res, const Status& status, std::string_view subject = {});

}  // namespace gateway::microbase
