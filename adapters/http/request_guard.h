// RequestGuard: the framing rules the gateway enforces on the raw bytes of a
// request head, before cpp-httplib parses it.
//
// cpp-httplib 0.11.4 percent-decodes header values, accepts conflicting or
// malformed Content-Lengths, ignores a GET's body (so it is read as the next
// request), holds a POST without a length until the client closes, applies
// Range to any response and buffers chunked and compressed bodies without a
// bound. The guard sees the head as sent, rejects what an honest client never
// sends, and rewrites the rest into a head cpp-httplib reads one way only:
// no Transfer-Encoding (the connection de-chunks the body itself), one
// Content-Length on every request that may carry a body, no Range.
//
// Everything here is pure: no sockets, no clocks. Safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace gateway::http {

struct HeadLimits {
  size_t max_request_line = 8192;   // longer: 414
  size_t max_header_bytes = 16384;  // all header lines together; more: 431
  size_t max_headers = 100;         // more: 431
  uint64_t max_body = 1 << 20;      // a declared or de-chunked body above it: 413
};

// A request the guard refuses, answered by the owning dialect (found from
// `path`, which may be empty when the request line itself is unreadable).
// The connection is always closed after it: its framing is in doubt.
struct Rejection {
  int status;
  std::string detail;
  std::string path;
  bool head_request = false;  // answer without a body
  std::string method = {};    // when the request line was readable
};

enum class BodyFraming { kNone, kLength, kChunked };

struct RequestHead {
  std::string method;
  std::string path;  // the target up to '?', as sent
  BodyFraming framing = BodyFraming::kNone;
  uint64_t content_length = 0;  // for kLength
  bool keep_alive = true;       // what the client asked for
  // The request line and the header lines cpp-httplib is given, each ending
  // in CRLF, without Content-Length, Transfer-Encoding or Range and without
  // the blank line: the connection appends the length and the end of head.
  std::string forwarded;
};

// The path of a (possibly partial) request line, for choosing the dialect
// that renders a rejection; "" when there is none yet.
std::string PathOf(std::string_view request_line);

// Where a head ends in `buffered` (which starts at a request's first byte):
// the length including the blank line, nullopt while more bytes are needed,
// or the rejection once the buffered bytes already exceed a limit.
std::variant<std::nullopt_t, size_t, Rejection> FindHeadEnd(std::string_view buffered,
                                                            const HeadLimits& limits);

// Checks a complete head (as delimited by FindHeadEnd).
std::variant<RequestHead, Rejection> ParseHead(std::string_view head, const HeadLimits& limits);

// Decodes a chunked body as its bytes arrive, never holding more than
// `max_body` decoded bytes; chunk extensions are skipped, trailers dropped.
class ChunkedDecoder {
 public:
  enum class State { kMore, kDone, kMalformed, kTooLarge };

  explicit ChunkedDecoder(uint64_t max_body) : max_body_(max_body) {}

  // Consumes a prefix of `input`, appending decoded bytes to `out`; returns
  // how many bytes were consumed. After kDone, the rest of `input` belongs
  // to the next request.
  size_t Feed(std::string_view input, std::string& out);
  State state() const { return state_; }

 private:
  enum class Phase { kSize, kData, kDataEnd, kTrailer };

  uint64_t max_body_;
  State state_ = State::kMore;
  Phase phase_ = Phase::kSize;
  std::string line_;  // the chunk-size or trailer line read so far
  uint64_t chunk_left_ = 0;
  uint64_t decoded_ = 0;
  size_t trailer_bytes_ = 0;
};

}  // namespace gateway::http
