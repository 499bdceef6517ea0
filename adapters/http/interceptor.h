// RequestInterceptor: sees every request the host dispatches to a route, so
// cross-cutting behaviour (the dev mock's request journal and fault
// injection) plugs in without the host or the dialects knowing about it.
//
// Thread-safety: both methods are called concurrently from the server's
// workers; implementations lock what they share.
#pragma once

#include <httplib.h>

#include "adapters/http/dialect.h"

namespace gateway::http {

class RequestInterceptor {
 public:
  virtual ~RequestInterceptor() = default;

  // Runs before the route's dialect; `owner` is null when no dialect owns the
  // path. Returning true means this interceptor answered in `res` (it may
  // render through owner->RenderHostError), and the dialect is not called.
  virtual bool Before(const httplib::Request& req, httplib::Response& res, Dialect* owner) = 0;
  // Runs once the response is final, whoever produced it.
  virtual void After(const httplib::Request& req, const httplib::Response& res,
                     const Dialect* owner) = 0;
};

}  // namespace gateway::http
