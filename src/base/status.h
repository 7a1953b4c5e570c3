// Status and Result<T>: errors as values.
//
// A Status is OK or an error with a kind, a human-readable message and, where the failure maps
// onto the SGP.02 status model, the dotted subject code and reason code of SGP.02 §5.1.6
// (e.g. subject "8.1.1" = EID, reason "3.9" = Unknown). The binding edge turns the codes into
// FunctionExecutionStatus/StatusCodeData; inside the system they travel with the error.
// Untrusted input never throws or asserts: every parser returns a Status or a Result<T>.
// Value types; cheap to move; not synchronised (like any value).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace m2mrsp {

enum class ErrorKind {
  kOk = 0,
  kInvalidArgument,  // caller passed something malformed (bad hex, wrong length, bad digits)
  kParse,            // untrusted bytes/text could not be decoded
  kLimitExceeded,    // a parser limit (size, depth, count) was hit
  kSecurity,         // MAC/signature/certificate/point check failed
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,  // state does not allow the operation
  kUnavailable,         // transient: peer unreachable, busy
  kTimeout,
  kIo,
  kInternal,  // a library we call failed unexpectedly
};

std::string_view ErrorKindName(ErrorKind kind);

// SGP.02 §5.1.6 "subject code" + "reason code", both dotted decimal strings ("8.1.1", "3.9").
class SgpCode {
 public:
  // Both codes must be dotted decimal: digits separated by single dots, 1..7 components,
  // each component 1..3 digits. Invalid input gives nullopt.
  static std::optional<SgpCode> Make(std::string_view subject, std::string_view reason);

  const std::string& subject() const { return subject_; }
  const std::string& reason() const { return reason_; }
  bool operator==(const SgpCode&) const = default;

 private:
  SgpCode(std::string s, std::string r) : subject_(std::move(s)), reason_(std::move(r)) {}
  std::string subject_;
  std::string reason_;
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status Error(ErrorKind kind, std::string message);
  // Error carrying SGP.02 codes. REQUIRES: subject/reason are valid dotted codes (they are
  // compile-time constants in our code); invalid ones are dropped and noted in the message.
  static Status Sgp(ErrorKind kind, std::string_view subject, std::string_view reason,
                    std::string message);

  bool ok() const { return kind_ == ErrorKind::kOk; }
  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  const std::optional<SgpCode>& sgp() const { return sgp_; }

  // Returns a copy with `context: ` prepended to the message; codes are kept.
  Status WithContext(std::string_view context) const;

  // "kind: message [subject/reason]" or "OK".
  std::string ToString() const;

 private:
  ErrorKind kind_ = ErrorKind::kOk;
  std::string message_;
  std::optional<SgpCode> sgp_;
};

// Convenience constructors for the common kinds.
inline Status InvalidArgument(std::string m) {
  return Status::Error(ErrorKind::kInvalidArgument, std::move(m));
}
inline Status ParseError(std::string m) { return Status::Error(ErrorKind::kParse, std::move(m)); }
inline Status LimitExceeded(std::string m) {
  return Status::Error(ErrorKind::kLimitExceeded, std::move(m));
}
inline Status SecurityError(std::string m) {
  return Status::Error(ErrorKind::kSecurity, std::move(m));
}
inline Status InternalError(std::string m) {
  return Status::Error(ErrorKind::kInternal, std::move(m));
}

// Aborts the process with a message. Only for broken invariants of our own code (programming
// errors), never for anything input can cause.
[[noreturn]] void FatalError(std::string_view what);

// Result<T>: a T or an error Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (std::get<Status>(v_).ok()) FatalError("Result constructed from an OK Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  // The error; OK when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

  // REQUIRES: ok(). Calling these on an error is a programming error and aborts.
  T& value() & {
    Check();
    return std::get<T>(v_);
  }
  const T& value() const& {
    Check();
    return std::get<T>(v_);
  }
  T&& value() && {
    Check();
    return std::get<T>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  void Check() const {
    if (!ok()) FatalError("Result::value() on error: " + std::get<Status>(v_).ToString());
  }
  std::variant<T, Status> v_;
};

}  // namespace m2mrsp

#define M2_CONCAT_INNER(a, b) a##b
#define M2_CONCAT(a, b) M2_CONCAT_INNER(a, b)

// Returns the Status of `expr` from the enclosing function when it is an error.
#define M2_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::m2mrsp::Status m2_status_ = (expr);    \
    if (!m2_status_.ok()) return m2_status_; \
  } while (0)

// `lhs = value of expr`, or returns its error from the enclosing function.
#define M2_ASSIGN_OR_RETURN(lhs, expr) \
  M2_ASSIGN_OR_RETURN_IMPL(M2_CONCAT(m2_result_, __LINE__), lhs, expr)
#define M2_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
