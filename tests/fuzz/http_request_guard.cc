// The HTTP request guard on raw request bytes: finding the end of the head,
// checking it, and de-chunking what follows it as a chunked body fed in
// pieces of the sizes the first byte picks. The guard's own promises are
// checked: a head end lies inside the buffered bytes, the decoder never
// consumes more than it was given nor yields more than the body limit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "adapters/http/request_guard.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gateway::http;
  if (size == 0) return 0;
  HeadLimits limits;
  limits.max_body = 4096;
  const size_t piece = 1 + data[0] % 64;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);

  (void)PathOf(bytes.substr(0, bytes.find('\n')));
  auto end = FindHeadEnd(bytes, limits);
  std::string_view body = bytes;
  if (const size_t* head_size = std::get_if<size_t>(&end)) {
    if (*head_size > bytes.size()) std::abort();
    (void)ParseHead(bytes.substr(0, *head_size), limits);
    body = bytes.substr(*head_size);
  }

  ChunkedDecoder decoder(limits.max_body);
  std::string out;
  while (!body.empty() && decoder.state() == ChunkedDecoder::State::kMore) {
    const std::string_view chunk = body.substr(0, piece);
    const size_t used = decoder.Feed(chunk, out);
    if (used > chunk.size() || out.size() > limits.max_body) std::abort();
    if (used == 0 && decoder.state() == ChunkedDecoder::State::kMore && chunk.size() == piece) {
      // No progress on a full piece would make a connection spin.
      std::abort();
    }
    body.remove_prefix(used == 0 ? chunk.size() : used);
  }
  return 0;
}
