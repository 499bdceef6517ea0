#include "adapters/migration/record_reader.h"

#include <simdjson.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace gateway::migration {
namespace {

constexpr size_t kInitialCapacity = size_t{1} << 20;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::unique_ptr<char[]> NewBuffer(size_t capacity) {
  // Value-initialised, so the padding simdjson may read is never garbage.
  return std::make_unique<char[]>(capacity + simdjson::SIMDJSON_PADDING);
}

}  // namespace

Result<std::unique_ptr<RecordReader>> RecordReader::Open(const std::string& path) {
  const bool is_stdin = path == "-";
  std::FILE* file = is_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return Status::Internal("cannot read " + path + ": " + std::strerror(errno));
  }
  std::optional<uint64_t> total;
  struct stat st {};
  if (fstat(fileno(file), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      if (!is_stdin) std::fclose(file);
      return Status::Internal("cannot read " + path + ": it is a directory");
    }
    if (S_ISREG(st.st_mode)) total = static_cast<uint64_t>(st.st_size);
  }
  return std::unique_ptr<RecordReader>(new RecordReader(file, !is_stdin, total));
}

Result<std::unique_ptr<RecordReader>> RecordReader::OpenBuffer(std::string_view bytes) {
  if (bytes.empty()) return Status::Invalid("", "there is nothing to read");
  // fmemopen only reads ("r"), so casting away const is safe.
  std::FILE* file = fmemopen(const_cast<char*>(bytes.data()), bytes.size(), "r");
  if (file == nullptr) return Status::Internal(std::string("cannot read: ") + std::strerror(errno));
  return std::unique_ptr<RecordReader>(new RecordReader(file, true, bytes.size()));
}

RecordReader::RecordReader(std::FILE* file, bool owned, std::optional<uint64_t> total)
    : file_(file),
      owned_(owned),
      total_(total),
      buf_(NewBuffer(kInitialCapacity)),
      capacity_(kInitialCapacity) {}

RecordReader::~RecordReader() {
  if (owned_) std::fclose(file_);
}

std::string_view RecordReader::layout() const {
  switch (layout_) {
    case Layout::kLines:
      return "JSON lines";
    case Layout::kArray:
      return "JSON array";
    case Layout::kConcatenated:
      return "concatenated JSON";
    case Layout::kUnknown:
      break;
  }
  return "empty";
}

bool RecordReader::Fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
    consumed_before_buffer_ += begin_;
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == capacity_) {
    std::unique_ptr<char[]> bigger = NewBuffer(capacity_ * 2);
    std::memcpy(bigger.get(), buf_.get(), end_);
    buf_ = std::move(bigger);
    capacity_ *= 2;
  }
  size_t n = std::fread(buf_.get() + end_, 1, capacity_ - end_, file_);
  if (n == 0) {
    if (std::ferror(file_))
      status_ = Status::Internal(std::string("read error: ") + std::strerror(errno));
    eof_ = true;
    return false;
  }
  end_ += n;
  return true;
}

bool RecordReader::Ensure(size_t offset) {
  while (begin_ + offset >= end_) {
    if (!Fill()) return false;
  }
  return true;
}

void RecordReader::Consume(size_t n) {
  line_ += static_cast<size_t>(std::count(buf_.get() + begin_, buf_.get() + begin_ + n, '\n'));
  begin_ += n;
}

bool RecordReader::DetectLayout() {
  if (Ensure(2) && std::memcmp(buf_.get() + begin_, "\xEF\xBB\xBF", 3) == 0) Consume(3);
  while (Ensure(0) && IsSpace(buf_[begin_])) Consume(1);
  if (!Ensure(0)) {
    done_ = true;
    return false;
  }
  const char first = buf_[begin_];
  if (first == '[') {
    layout_ = Layout::kArray;
    Consume(1);
    return true;
  }
  layout_ = Layout::kLines;
  if (first == '{') {
    size_t i = 1;
    while (Ensure(i) &&
           (buf_[begin_ + i] == ' ' || buf_[begin_ + i] == '\t' || buf_[begin_ + i] == '\r'))
      ++i;
    if (!Ensure(i) || buf_[begin_ + i] == '\n') layout_ = Layout::kConcatenated;
  }
  return true;
}

bool RecordReader::Next(Record& out) {
  out.framing_error.clear();
  if (done_) return false;
  if (layout_ == Layout::kUnknown && !DetectLayout()) return false;
  return layout_ == Layout::kLines ? NextLine(out) : NextScanned(out);
}

bool RecordReader::NextLine(Record& out) {
  while (true) {
    size_t scanned = 0;
    size_t length = 0;
    bool newline = false;
    while (true) {
      const char* from = buf_.get() + begin_ + scanned;
      const void* nl = std::memchr(from, '\n', end_ - begin_ - scanned);
      if (nl != nullptr) {
        length = static_cast<size_t>(static_cast<const char*>(nl) - (buf_.get() + begin_));
        newline = true;
        break;
      }
      scanned = end_ - begin_;
      if (!Fill()) {
        length = end_ - begin_;
        break;
      }
    }
    if (!newline && length == 0) {
      done_ = true;
      return false;
    }
    std::string_view text(buf_.get() + begin_, length);
    while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
    while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
    const size_t line = line_;
    begin_ += length + (newline ? 1 : 0);
    if (newline) ++line_;
    if (text.empty()) continue;
    out.text = text;
    out.line = line;
    return true;
  }
}

bool RecordReader::NextScanned(Record& out) {
  const bool array = layout_ == Layout::kArray;
  // Separators between records: whitespace, and in an array commas and the
  // closing bracket.
  while (true) {
    if (!Ensure(0)) {
      done_ = true;
      if (!array) return false;
      out.text = {};
      out.line = line_;
      out.framing_error = "the file ends before the JSON array is closed with ']'";
      return true;
    }
    const char c = buf_[begin_];
    if (IsSpace(c) || (array && c == ',')) {
      Consume(1);
      continue;
    }
    if (array && c == ']') {
      Consume(1);
      while (Ensure(0) && IsSpace(buf_[begin_])) Consume(1);
      done_ = true;
      if (!Ensure(0)) return false;
      out.text = std::string_view(buf_.get() + begin_, std::min<size_t>(end_ - begin_, 40));
      out.line = line_;
      out.framing_error = "unexpected text after the closing ']' of the JSON array";
      return true;
    }
    break;
  }

  const char first = buf_[begin_];
  const bool scalar = first != '{' && first != '[';
  int depth = 0;
  bool in_string = false;
  bool escape = false;
  size_t i = 0;
  bool complete = false;
  while (!complete) {
    if (begin_ + i >= end_ && !Fill()) break;
    const char* p = buf_.get() + begin_;
    const size_t available = end_ - begin_;
    for (; i < available; ++i) {
      const char ch = p[i];
      if (in_string) {
        if (escape) {
          escape = false;
        } else if (ch == '\\') {
          escape = true;
        } else if (ch == '"') {
          in_string = false;
        }
        continue;
      }
      if (ch == '"') {
        in_string = true;
      } else if (scalar) {
        if (IsSpace(ch) || (array && (ch == ',' || ch == ']'))) {
          complete = true;
          break;
        }
      } else if (ch == '{' || ch == '[') {
        ++depth;
      } else if (ch == '}' || ch == ']') {
        if (--depth == 0) {
          ++i;
          complete = true;
          break;
        }
      }
    }
  }
  out.text = std::string_view(buf_.get() + begin_, i);
  out.line = line_;
  if (!complete && !(scalar && !in_string)) {
    out.framing_error = "the file ends inside this record";
    done_ = true;
  }
  Consume(i);
  return true;
}

}  // namespace gateway::migration
