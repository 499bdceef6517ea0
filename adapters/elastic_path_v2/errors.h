// Elastic Path error rendering: every failure is a JSON:API `errors` array
// whose objects repeat the HTTP status as an integer. The one table mapping
// core ErrorCodes to Elastic Path statuses and titles lives in errors.cc.
#pragma once

#include <httplib.h>

#include <string_view>

#include "core/status.h"

namespace gateway::elastic_path {

// `reason`, when given, lands in the error's `meta.reason`: for errors whose
// `detail` is a fixed documented text but whose cause helps the caller.
void RenderError(httplib::Response& res, int status, std::string_view title,
                 std::string_view detail, std::string_view source = {},
                 std::string_view reason = {});
// Renders a core Status; `source` names the wire field when the status has one.
void RenderStatus(httplib::Response& res, const Status& status);
// Renders a 400 for a bad query parameter; Status::field() names the
// parameter. A bad filter answers Elastic Path's documented detail "Could not
// parse the supplied filter" with the parser's reason in `meta.reason`.
void RenderQueryError(httplib::Response& res, const Status& status);

}  // namespace gateway::elastic_path
