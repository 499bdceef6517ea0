// The request guard's framing rules, on raw heads, without a socket.
#include <doctest/doctest.h>

#include <string>

#include "adapters/http/request_guard.h"

namespace gateway::http {
namespace {

const HeadLimits kLimits;

int RejectedWith(std::string_view head) {
  auto out = ParseHead(head, kLimits);
  if (auto* r = std::get_if<Rejection>(&out)) return r->status;
  return 0;
}

RequestHead Accepted(std::string_view head) {
  auto out = ParseHead(head, kLimits);
  REQUIRE(std::holds_alternative<RequestHead>(out));
  return std::get<RequestHead>(out);
}

TEST_CASE("Content-Length must be one plain decimal number") {
  const std::string post = "POST /v2/customers HTTP/1.1\r\nHost: h\r\n";
  CHECK(RejectedWith(post + "Content-Length: 78abc\r\n\r\n") == 400);
  CHECK(RejectedWith(post + "Content-Length: +78\r\n\r\n") == 400);
  CHECK(RejectedWith(post + "Content-Length: 7, 7\r\n\r\n") == 400);
  CHECK(RejectedWith(post + "Content-Length: 7\r\nContent-Length: 7\r\n\r\n") == 400);
  CHECK(RejectedWith(post + "Content-Length: %37\r\n\r\n") == 400);
  RequestHead ok = Accepted(post + "content-length: 7\r\n\r\n");
  CHECK(ok.framing == BodyFraming::kLength);
  CHECK(ok.content_length == 7);
  CHECK(ok.forwarded.find("ength") == std::string::npos);
}

TEST_CASE("Transfer-Encoding: chunked only, alone, never beside Content-Length") {
  const std::string post = "POST /v2/customers HTTP/1.1\r\nHost: h\r\n";
  CHECK(Accepted(post + "Transfer-Encoding: Chunked\r\n\r\n").framing == BodyFraming::kChunked);
  CHECK(RejectedWith(post + "Transfer-Encoding: %63hunked\r\n\r\n") == 400);
  CHECK(RejectedWith(post + "Transfer-Encoding: gzip, chunked\r\n\r\n") == 501);
  CHECK(RejectedWith(post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n") ==
        400);
  CHECK(RejectedWith(post + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n") == 400);
  CHECK(Accepted(post + "Transfer-Encoding: chunked\r\n\r\n").forwarded.find("Transfer") ==
        std::string::npos);
}

TEST_CASE("only POST, PUT and PATCH carry a body; a body-less one has an empty body") {
  CHECK(RejectedWith("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n") == 400);
  CHECK(RejectedWith("HEAD / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n") == 400);
  CHECK(RejectedWith("DELETE / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\n") == 400);
  CHECK(Accepted("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n").framing ==
        BodyFraming::kNone);
  CHECK(Accepted("POST /x?id=1 HTTP/1.1\r\nHost: h\r\n\r\n").framing == BodyFraming::kNone);
  CHECK(RejectedWith("PRI / HTTP/1.1\r\nHost: h\r\n\r\n") == 501);
}

TEST_CASE("encoded bodies and oversized declared bodies are refused before reading") {
  const std::string post = "POST /v2/customers HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n";
  CHECK(RejectedWith(post + "Content-Encoding: gzip\r\n\r\n") == 415);
  CHECK(RejectedWith(post + "Content-Encoding: br\r\n\r\n") == 415);
  CHECK(Accepted(post + "Content-Encoding: identity\r\n\r\n").content_length == 10);
  CHECK(RejectedWith("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1048577\r\n\r\n") == 413);
}

TEST_CASE("HTTP/1.1 needs exactly one Host") {
  CHECK(RejectedWith("GET / HTTP/1.1\r\n\r\n") == 400);
  CHECK(RejectedWith("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == 400);
  CHECK(RejectedWith("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n") == 400);
  CHECK(Accepted("GET / HTTP/1.0\r\n\r\n").keep_alive == false);
}

TEST_CASE("malformed heads") {
  CHECK(RejectedWith("GET / HTTP/1.1\nHost: h\r\n\r\n") == 400);
  CHECK(RejectedWith("GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n") == 400);
  CHECK(RejectedWith("GET / HTTP/1.1\r\nHost : h\r\n\r\n") == 400);
  CHECK(RejectedWith("GET / HTTP/2.0\r\nHost: h\r\n\r\n") == 505);
  CHECK(RejectedWith("GET http://h/ HTTP/1.1\r\nHost: h\r\n\r\n") == 400);
  CHECK(RejectedWith("GET /  HTTP/1.1\r\nHost: h\r\n\r\n") == 400);
  CHECK(RejectedWith("GET / HTTP/1.1\r\nHost: h\r\nX: a\x01\r\n\r\n") == 400);
  CHECK(RejectedWith("POST / HTTP/1.1\r\nHost: h\r\nExpect: nothing\r\n\r\n") == 417);
}

TEST_CASE("Range and the library's own address headers are not forwarded") {
  RequestHead h = Accepted(
      "GET /v2/customers HTTP/1.1\r\nHost: h\r\nRange: bytes=0-3\r\nREMOTE_ADDR: 1.2.3.4\r\n\r\n");
  CHECK(h.forwarded == "GET /v2/customers HTTP/1.1\r\nHost: h\r\n");
  CHECK(h.path == "/v2/customers");
}

TEST_CASE("head limits: request line 414, header count and bytes 431") {
  HeadLimits limits;
  limits.max_request_line = 64;
  limits.max_headers = 3;
  limits.max_header_bytes = 100;
  auto status = [&](std::string_view buffered) {
    auto r = FindHeadEnd(buffered, limits);
    return std::holds_alternative<Rejection>(r) ? std::get<Rejection>(r).status : 0;
  };
  CHECK(status("GET /" + std::string(100, 'a')) == 414);
  CHECK(status("GET /" + std::string(100, 'a') + " HTTP/1.1\r\n") == 414);
  CHECK(status("GET / HTTP/1.1\r\na: 1\r\nb: 2\r\nc: 3\r\nd: 4\r\n") == 431);
  CHECK(status("GET / HTTP/1.1\r\na: " + std::string(200, 'x')) == 431);
  CHECK(status("GET / HTTP/1.1\r\nHost: h\r\n") == 0);
  auto done = FindHeadEnd("GET / HTTP/1.1\r\nHost: h\r\n\r\nnext", limits);
  CHECK(std::get<size_t>(done) == 27);
}

std::pair<ChunkedDecoder::State, std::string> Decode(std::string_view input, uint64_t max,
                                                     size_t step = 1) {
  ChunkedDecoder d(max);
  std::string out;
  size_t off = 0;
  while (off < input.size() && d.state() == ChunkedDecoder::State::kMore) {
    size_t n = std::min(step, input.size() - off);
    size_t used = d.Feed(input.substr(off, n), out);
    if (used < n && d.state() == ChunkedDecoder::State::kMore) FAIL("decoder stopped early");
    off += used;
  }
  return {d.state(), out};
}

TEST_CASE("chunked bodies decode byte by byte and stop at the limit") {
  const std::string body = "4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nTrailer: x\r\n\r\n";
  for (size_t step : {size_t{1}, size_t{3}, body.size()}) {
    auto [state, out] = Decode(body, 100, step);
    CHECK(state == ChunkedDecoder::State::kDone);
    CHECK(out == "Wikipedia");
  }
  CHECK(Decode(body, 8).first == ChunkedDecoder::State::kTooLarge);
  // A declared chunk over the limit is refused before its data arrives.
  CHECK(Decode("ffffff\r\n", 1 << 20).first == ChunkedDecoder::State::kTooLarge);
  CHECK(Decode("ffffffffffffffffff\r\n", 1 << 20).first == ChunkedDecoder::State::kMalformed);
  CHECK(Decode("x\r\n", 100).first == ChunkedDecoder::State::kMalformed);
  CHECK(Decode("4\r\nWikiXX", 100).first == ChunkedDecoder::State::kMalformed);
  CHECK(Decode("4\nWiki\r\n0\r\n\r\n", 100).first == ChunkedDecoder::State::kMalformed);
  CHECK(Decode("1\r\n" + std::string(5000, ' '), 100).first == ChunkedDecoder::State::kMalformed);
  // What follows the body is left for the next request.
  ChunkedDecoder d(100);
  std::string out;
  CHECK(d.Feed("1\r\na\r\n0\r\n\r\nGET", out) == 11);
  CHECK(d.state() == ChunkedDecoder::State::kDone);
}

}  // namespace
}  // namespace gateway::http
