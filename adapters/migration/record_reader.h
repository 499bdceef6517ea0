// RecordReader: splits an export file into JSON records as it streams it, so
// a file of any size is read in bounded memory and a malformed record costs
// only that record. Three layouts are recognised from the first bytes:
//   JSON lines         one record per line (mongoexport's default, our export)
//   JSON array         [ {...}, {...} ] (mongoexport --jsonArray, pretty or not)
//   concatenated JSON  objects one after another over many lines
//                      (mongoexport --pretty); chosen when the first line is a lone "{"
// Each record comes with the 1-based line it starts on, for error reports.
//
// Thread-safety: one reader per thread.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace gateway::migration {

class RecordReader {
 public:
  struct Record {
    // Valid until the next call to Next. At least simdjson::SIMDJSON_PADDING
    // readable bytes follow it, so it can be parsed in place.
    std::string_view text;
    size_t line = 0;
    // Set when the record could not be delimited (an unclosed array, a file
    // ending inside a record); `text` then holds what was there.
    std::string framing_error;
  };

  // Opens `path`; "-" reads standard input.
  static Result<std::unique_ptr<RecordReader>> Open(const std::string& path);
  // Reads `bytes` (e.g. a request body), which must outlive the reader and
  // not be empty.
  static Result<std::unique_ptr<RecordReader>> OpenBuffer(std::string_view bytes);
  ~RecordReader();
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;

  // The next record; false at the end of the input or on a read error
  // (status() tells which).
  bool Next(Record& out);
  const Status& status() const { return status_; }

  uint64_t bytes_consumed() const { return consumed_before_buffer_ + begin_; }
  // The input's size when it is a regular file.
  std::optional<uint64_t> total_bytes() const { return total_; }
  std::string_view layout() const;

 private:
  enum class Layout { kUnknown, kLines, kArray, kConcatenated };

  RecordReader(std::FILE* file, bool owned, std::optional<uint64_t> total);
  // Reads more input after end_, moving unconsumed bytes to the front and
  // growing the buffer when it is full. False when nothing more came.
  bool Fill();
  // Makes at least one byte past `begin_ + offset` available; false at EOF.
  bool Ensure(size_t offset);
  bool DetectLayout();
  bool NextLine(Record& out);
  bool NextScanned(Record& out);
  void Consume(size_t n);

  std::FILE* file_;
  bool owned_;
  std::optional<uint64_t> total_;
  std::unique_ptr<char[]> buf_;
  size_t capacity_ = 0;  // usable bytes; the padding lies beyond
  size_t begin_ = 0;     // first unconsumed byte
  size_t end_ = 0;       // one past the last byte read
  uint64_t consumed_before_buffer_ = 0;
  size_t line_ = 1;
  bool eof_ = false;
  bool done_ = false;
  Layout layout_ = Layout::kUnknown;
  Status status_;
};

}  // namespace gateway::migration
