#include "adapters/http/request_guard.h"

#include <algorithm>
#include <vector>

namespace gateway::http {
namespace {

constexpr size_t kMaxChunkLine = 4096;
constexpr size_t kMaxTrailerBytes = 16384;

bool IsTchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsTchar(c)) return false;
  }
  return true;
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Calls fn for each comma-separated, trimmed, non-empty element.
template <typename Fn>
void ForEachListElement(std::string_view value, Fn fn) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view element = Trim(value.substr(0, comma));
    if (!element.empty()) fn(element);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

}  // namespace

std::string PathOf(std::string_view line) {
  size_t sp = line.find(' ');
  if (sp == std::string_view::npos) return "";
  std::string_view target = line.substr(sp + 1);
  size_t end = target.find_first_of(" ?\r\n");
  return std::string(target.substr(0, end));
}

namespace {

bool IsMethod(std::string_view method, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    if (method == n) return true;
  }
  return false;
}

// Headers cpp-httplib sets itself on every request; a client's copy would be
// read first and could pass for the peer's address.
bool IsReservedName(std::string_view name) {
  for (std::string_view r : {"REMOTE_ADDR", "REMOTE_PORT", "LOCAL_ADDR", "LOCAL_PORT"}) {
    if (EqualsIgnoreCase(name, r)) return true;
  }
  return false;
}

}  // namespace

std::variant<std::nullopt_t, size_t, Rejection> FindHeadEnd(std::string_view buffered,
                                                            const HeadLimits& limits) {
  size_t line_end = buffered.find('\n');
  if (line_end == std::string_view::npos ? buffered.size() > limits.max_request_line
                                         : line_end + 1 > limits.max_request_line + 2) {
    return Rejection{414, "The request line is longer than the server accepts",
                     PathOf(buffered.substr(0, 512))};
  }
  if (line_end == std::string_view::npos) return std::nullopt;
  size_t headers = 0;
  size_t pos = line_end + 1;
  for (;;) {
    size_t lf = buffered.find('\n', pos);
    if (lf == std::string_view::npos) break;
    std::string_view line = buffered.substr(pos, lf - pos);
    if (line.empty() || line == "\r") return lf + 1;
    if (++headers > limits.max_headers) {
      return Rejection{431, "The request has more header fields than the server accepts",
                       PathOf(buffered.substr(0, line_end))};
    }
    pos = lf + 1;
  }
  if (buffered.size() - (line_end + 1) > limits.max_header_bytes) {
    return Rejection{431, "The request header fields are larger than the server accepts",
                     PathOf(buffered.substr(0, line_end))};
  }
  return std::nullopt;
}

std::variant<RequestHead, Rejection> ParseHead(std::string_view head, const HeadLimits& limits) {
  // Split into lines; each must end in CRLF, with no other CR or LF.
  std::vector<std::string_view> lines;
  for (size_t pos = 0; pos < head.size();) {
    size_t lf = head.find('\n', pos);
    if (lf == std::string_view::npos) lf = head.size();
    std::string_view line = head.substr(pos, lf - pos);
    pos = lf + 1;
    if (line.empty() || line.back() != '\r') {
      return Rejection{400, "Request lines must end in CRLF", PathOf(head.substr(0, 512))};
    }
    line.remove_suffix(1);
    if (line.find('\r') != std::string_view::npos) {
      return Rejection{400, "The request head holds a stray CR", PathOf(head.substr(0, 512))};
    }
    lines.push_back(line);
  }
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  if (lines.empty()) return Rejection{400, "The request line is missing", ""};

  RequestHead out;
  const std::string_view request_line = lines[0];
  const std::string path = PathOf(request_line);
  auto reject = [&](int status, std::string detail) {
    return Rejection{status, std::move(detail), path, out.method == "HEAD", out.method};
  };

  size_t sp1 = request_line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : request_line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || request_line.find(' ', sp2 + 1) != std::string_view::npos) {
    return reject(400, "The request line is not METHOD TARGET VERSION");
  }
  std::string_view method = request_line.substr(0, sp1);
  std::string_view target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = request_line.substr(sp2 + 1);
  if (!IsToken(method)) return reject(400, "The request method is not a token");
  out.method = std::string(method);
  if (target.empty() || target.front() != '/') {
    return reject(400, "The request target must be an absolute path");
  }
  for (char c : target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return reject(400, "The request target holds a control character");
    }
  }
  bool http11 = version == "HTTP/1.1";
  if (!http11 && version != "HTTP/1.0") {
    if (version.substr(0, 5) == "HTTP/")
      return reject(505, "Only HTTP/1.0 and HTTP/1.1 are served");
    return reject(400, "The request line has no HTTP version");
  }
  if (!IsMethod(method, {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})) {
    return reject(501, "The method " + std::string(method) + " is not served");
  }
  out.path = path;
  out.keep_alive = http11;

  size_t content_lengths = 0, transfer_encodings = 0, hosts = 0;
  bool chunked = false;
  uint64_t length = 0;
  size_t header_bytes = 0;
  out.forwarded.reserve(head.size() + 32);
  out.forwarded.append(request_line).append("\r\n");
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    header_bytes += line.size() + 2;
    if (line.front() == ' ' || line.front() == '\t') {
      return reject(400, "Folded header lines are not accepted");
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || !IsToken(line.substr(0, colon))) {
      return reject(400, "A header field name is malformed");
    }
    std::string_view name = line.substr(0, colon);
    std::string_view value = Trim(line.substr(colon + 1));
    for (char c : value) {
      unsigned char u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t') || u == 0x7f) {
        return reject(400, "A header field value holds a control character");
      }
    }
    if (EqualsIgnoreCase(name, "Content-Length")) {
      ++content_lengths;
      if (value.empty() || value.size() > 18 ||
          value.find_first_not_of("0123456789") != std::string_view::npos) {
        return reject(400, "Content-Length must be a single decimal number");
      }
      length = std::stoull(std::string(value));
      continue;
    }
    if (EqualsIgnoreCase(name, "Transfer-Encoding")) {
      ++transfer_encodings;
      bool tokens_only = true;
      ForEachListElement(value, [&](std::string_view coding) {
        if (!IsToken(coding) || coding.find('%') != std::string_view::npos) tokens_only = false;
      });
      if (!tokens_only || value.empty()) return reject(400, "Transfer-Encoding is malformed");
      if (!EqualsIgnoreCase(value, "chunked")) {
        return reject(501, "Only the chunked transfer coding is accepted");
      }
      chunked = true;
      continue;
    }
    if (EqualsIgnoreCase(name, "Content-Encoding")) {
      bool identity = true;
      ForEachListElement(value, [&](std::string_view coding) {
        if (!EqualsIgnoreCase(coding, "identity")) identity = false;
      });
      if (!identity) return reject(415, "Encoded request bodies are not accepted");
      continue;
    }
    if (EqualsIgnoreCase(name, "Host")) ++hosts;
    if (EqualsIgnoreCase(name, "Connection")) {
      ForEachListElement(value, [&](std::string_view option) {
        if (EqualsIgnoreCase(option, "close")) out.keep_alive = false;
        if (!http11 && EqualsIgnoreCase(option, "keep-alive")) out.keep_alive = true;
      });
      // cpp-httplib compares this header verbatim; it is given the outcome.
      continue;
    }
    if (EqualsIgnoreCase(name, "Expect") && !EqualsIgnoreCase(value, "100-continue")) {
      return reject(417, "Only Expect: 100-continue is understood");
    }
    // Range is never applied to API responses.
    if (EqualsIgnoreCase(name, "Range") || EqualsIgnoreCase(name, "If-Range") ||
        IsReservedName(name)) {
      continue;
    }
    out.forwarded.append(line).append("\r\n");
  }
  if (header_bytes > limits.max_header_bytes) {
    return reject(431, "The request header fields are larger than the server accepts");
  }
  if (lines.size() - 1 > limits.max_headers) {
    return reject(431, "The request has more header fields than the server accepts");
  }
  if (content_lengths > 1) return reject(400, "The request has more than one Content-Length");
  if (transfer_encodings > 1) return reject(400, "The request has more than one Transfer-Encoding");
  if (content_lengths && transfer_encodings) {
    return reject(400, "The request has both Content-Length and Transfer-Encoding");
  }
  if (http11 ? hosts != 1 : hosts > 1) {
    return reject(400, "An HTTP/1.1 request must have exactly one Host header");
  }
  if (!out.keep_alive) {
    out.forwarded.append("Connection: close\r\n");
  } else if (!http11) {
    out.forwarded.append("Connection: Keep-Alive\r\n");
  }

  const bool may_have_body = IsMethod(method, {"POST", "PUT", "PATCH"});
  if (!may_have_body && (chunked || length > 0)) {
    return reject(400, "A " + out.method + " request must not have a body");
  }
  if (chunked) {
    out.framing = BodyFraming::kChunked;
  } else if (may_have_body) {
    // No length and no chunking is an empty body (RFC 9112 6.3), not a body
    // that ends when the client closes.
    if (length > limits.max_body) {
      return reject(413, "The request body is larger than the server accepts");
    }
    out.framing = length > 0 ? BodyFraming::kLength : BodyFraming::kNone;
    out.content_length = length;
  }
  return out;
}

size_t ChunkedDecoder::Feed(std::string_view input, std::string& out) {
  size_t i = 0;
  // Appends input up to and including the next LF to line_; true once whole.
  auto take_line = [&](size_t max) {
    size_t lf = input.find('\n', i);
    size_t end = lf == std::string_view::npos ? input.size() : lf + 1;
    line_.append(input.substr(i, end - i));
    i = end;
    if (line_.size() > max) state_ = State::kMalformed;
    return lf != std::string_view::npos && state_ == State::kMore;
  };
  auto line_is_crlf_terminated = [&] {
    return line_.size() >= 2 && line_[line_.size() - 2] == '\r';
  };
  while (i < input.size() && state_ == State::kMore) {
    switch (phase_) {
      case Phase::kSize: {
        if (!take_line(kMaxChunkLine)) break;
        if (!line_is_crlf_terminated()) {
          state_ = State::kMalformed;
          break;
        }
        uint64_t size = 0;
        size_t digits = 0;
        for (; digits < line_.size(); ++digits) {
          char c = Lower(line_[digits]);
          int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
          if (v < 0) break;
          if (digits == 15) {
            state_ = State::kMalformed;
            break;
          }
          size = size * 16 + static_cast<uint64_t>(v);
        }
        if (state_ != State::kMore) break;
        char after = line_[digits];
        if (digits == 0 || (after != '\r' && after != ';' && after != ' ' && after != '\t')) {
          state_ = State::kMalformed;
          break;
        }
        line_.clear();
        if (size == 0) {
          phase_ = Phase::kTrailer;
        } else if (decoded_ + size > max_body_) {
          state_ = State::kTooLarge;
        } else {
          chunk_left_ = size;
          phase_ = Phase::kData;
        }
        break;
      }
      case Phase::kData: {
        size_t n = static_cast<size_t>(std::min<uint64_t>(chunk_left_, input.size() - i));
        out.append(input.substr(i, n));
        i += n;
        decoded_ += n;
        chunk_left_ -= n;
        if (chunk_left_ == 0) phase_ = Phase::kDataEnd;
        break;
      }
      case Phase::kDataEnd: {
        line_.push_back(input[i++]);
        if (line_ == "\r") break;
        if (line_ != "\r\n") {
          state_ = State::kMalformed;
          break;
        }
        line_.clear();
        phase_ = Phase::kSize;
        break;
      }
      case Phase::kTrailer: {
        if (!take_line(kMaxChunkLine)) break;
        if (!line_is_crlf_terminated()) {
          state_ = State::kMalformed;
          break;
        }
        if (line_ == "\r\n") {
          state_ = State::kDone;
          break;
        }
        trailer_bytes_ += line_.size();
        if (trailer_bytes_ > kMaxTrailerBytes) state_ = State::kMalformed;
        line_.clear();
        break;
      }
    }
  }
  return i;
}

}  // namespace gateway::http
