// The OpenAPI 3.1 documents of both dialects and the dev mock's admin API, compiled into the binary
// from adapters/openapi/*.json (CMakeLists.txt generates their definitions).
#pragma once

#include <string_view>

namespace gateway::openapi {

extern const std::string_view kElasticPathV2;
extern const std::string_view kMicroBaseV1;
extern const std::string_view kDevMockAdmin;

}  // namespace gateway::openapi
