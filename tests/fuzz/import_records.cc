// Import files, one record format per target (GATEWAY_FUZZ_FORMAT names it):
// the streaming reader's framing of the whole input, then each record
// through the format's reader, the core's validation and the format's writer.
#include <simdjson.h>

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
  static const RecordFormat* format = FindRecordFormat(GATEWAY_FUZZ_FORMAT);
  if (format == nullptr) std::abort();
  Result<std::unique_ptr<RecordReader>> reader =
      RecordReader::OpenBuffer(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!reader.ok()) return 0;  // empty input
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
