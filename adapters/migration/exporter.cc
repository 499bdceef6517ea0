#include "adapters/migration/exporter.h"

#include <cerrno>
#include <cstring>
#include <string>

#include "core/ports/customer_repository.h"

namespace gateway::migration {
namespace {

constexpr size_t kFlushBytes = size_t{1} << 20;
constexpr uint64_t kProgressEvery = 1000;

}  // namespace

Result<ExportCounts> Export(CustomerRepository& repo, const RecordFormat& format, std::FILE* out,
                            const ExportProgress& on_progress) {
  ExportCounts counts;
  std::string buffer;
  Status write_error;
  auto flush = [&] {
    if (write_error.ok() && !buffer.empty() &&
        std::fwrite(buffer.data(), 1, buffer.size(), out) != buffer.size()) {
      write_error = Status::Internal(std::string("write failed: ") + std::strerror(errno));
    }
    buffer.clear();
  };
  Status read = repo.ForEach([&](const Customer& c) {
    if (!write_error.ok()) return;
    format.Write(c, buffer);
    buffer.push_back('\n');
    counts.customers++;
    if (!c.password_hash) {
      counts.without_password++;
    } else if (PasswordSchemeOf(c.password_hash) == "scrypt") {
      counts.gateway_hashes++;
    }
    if (buffer.size() >= kFlushBytes) flush();
    if (counts.customers % kProgressEvery == 0) on_progress(counts.customers);
  });
  flush();
  if (!read.ok()) return read;
  if (!write_error.ok()) return write_error;
  if (std::fflush(out) != 0) {
    return Status::Internal(std::string("write failed: ") + std::strerror(errno));
  }
  on_progress(counts.customers);
  return counts;
}

}  // namespace gateway::migration
