// Import files, one record format per target (GATEWAY_FUZZ_FORMAT names it):
// the streaming reader's framing of the whole input, then each record
// through the format's reader, the core's validation and the format's writer.
#include <simdjson.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "adapters/migration/record_format.h"
#include "adapters/migration/record_reader.h"
#include "core/validation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gateway;
  using namespace gateway::migration;
  // The reader takes a path: hand it an in-memory file.
  static const int fd = memfd_create("fuzz-import", 0);
  static const std::string path = "/proc/self/fd/" + std::to_string(fd);
  static const RecordFormat* format = FindRecordFormat(GATEWAY_FUZZ_FORMAT);
  if (fd < 0 || format == nullptr) std::abort();
  if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) {
    std::abort();
  }
  Result<std::unique_ptr<RecordReader>> reader = RecordReader::Open(path);
  if (!reader.ok()) std::abort();
  simdjson::dom::parser parser;
  RecordReader::Record record;
  while ((*reader)->Next(record)) {
    if (!record.framing_error.empty()) continue;
    simdjson::dom::element root;
    if (parser.parse(record.text.data(), record.text.size(), false).get(root)) continue;
    Result<ImportRecord> in = format->Read(root);
    if (!in.ok() || !ValidateCustomer(in->customer).ok()) continue;
    std::string out;
    format->Write(in->customer, out);
  }
  return 0;
}
