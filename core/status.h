// Status and Result: errors as values, never exceptions across layers.
//
// A Status names what went wrong in protocol-neutral terms (ErrorCode), which
// field was at fault (when one was), and a human-readable detail. Each dialect
// maps ErrorCode to its own wire error in exactly one table.
//
// Thread-safety: plain values; copy freely.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace gateway {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,  // a value breaks a validation rule; field() says which
  kInvalidEmail,     // email syntax
  kInvalidCountry,   // not an ISO 3166-1 alpha-2 code
  kDuplicateEmail,   // another customer holds this email
  kCustomerNotFound,
  kAddressNotFound,
  kBadCredentials,  // email unknown or password wrong: never say which
  kUnsupported,     // a recognised request we deliberately do not serve
  kBusy,            // refused for now to stay responsive (hash queue full): retry later
  kUnavailable,     // the store cannot be reached now (database down): retry later
  kInternal,        // storage or system failure
};

// Which text rule a kInvalidArgument value broke, when it was one of the
// rules every text field shares, so a dialect words the message under its own
// field names without parsing the core's. kNone: the message is all there is.
enum class Violation {
  kNone,
  kTooLong,  // limit() characters at most
  kNotUtf8,
  kControlCharacter,  // C0 (but tab, and LF/CR in free text), DEL or C1
};

// The predicate of a violation's message: "must be at most 255 characters".
inline std::string ViolationText(Violation v, size_t limit) {
  switch (v) {
    case Violation::kTooLong:
      return "must be at most " + std::to_string(limit) + " characters";
    case Violation::kNotUtf8:
      return "must be valid UTF-8";
    case Violation::kControlCharacter:
      return "must not contain control characters";
    case Violation::kNone:
      break;
  }
  return "is not valid";
}

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Invalid(std::string field, std::string detail) {
    return Status(ErrorCode::kInvalidArgument, std::move(detail), std::move(field));
  }
  // A shared text rule broken by `field`: "<field> <ViolationText>".
  static Status Violated(std::string field, Violation v, size_t limit = 0) {
    Status s(ErrorCode::kInvalidArgument, field + " " + ViolationText(v, limit), field);
    s.violation_ = v;
    s.limit_ = limit;
    return s;
  }
  static Status InvalidEmail(std::string field, std::string detail) {
    return Status(ErrorCode::kInvalidEmail, std::move(detail), std::move(field));
  }
  static Status InvalidCountry(std::string field, std::string detail) {
    return Status(ErrorCode::kInvalidCountry, std::move(detail), std::move(field));
  }
  static Status DuplicateEmail(std::string detail) {
    return Status(ErrorCode::kDuplicateEmail, std::move(detail), "email");
  }
  static Status CustomerNotFound(std::string detail) {
    return Status(ErrorCode::kCustomerNotFound, std::move(detail));
  }
  static Status AddressNotFound(std::string detail) {
    return Status(ErrorCode::kAddressNotFound, std::move(detail));
  }
  static Status BadCredentials() {
    return Status(ErrorCode::kBadCredentials, "The email or password is not valid");
  }
  static Status Unsupported(std::string detail) {
    return Status(ErrorCode::kUnsupported, std::move(detail));
  }
  static Status Busy(std::string detail) { return Status(ErrorCode::kBusy, std::move(detail)); }
  static Status Unavailable(std::string detail) {
    return Status(ErrorCode::kUnavailable, std::move(detail));
  }
  static Status Internal(std::string detail) {
    return Status(ErrorCode::kInternal, std::move(detail));
  }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The canonical field at fault ("email", "addresses[0].country"), or empty.
  const std::string& field() const { return field_; }
  // The text rule broken (kNone when the message is free text), and its limit.
  Violation violation() const { return violation_; }
  size_t limit() const { return limit_; }

  // Rewrites the field path, e.g. to prefix an address index.
  Status WithField(std::string field) const {
    Status s = *this;
    s.field_ = std::move(field);
    return s;
  }

 private:
  Status(ErrorCode code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::string field_;
  Violation violation_ = Violation::kNone;
  size_t limit_ = 0;
};

// Either a value or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace gateway
