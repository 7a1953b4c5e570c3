#include "base/status.h"

#include <cstdio>
#include <cstdlib>

namespace m2mrsp {
namespace {

bool IsDottedCode(std::string_view s) {
  if (s.empty() || s.size() > 31) return false;
  int components = 0;
  size_t digits = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      if (++digits > 3) return false;
    } else if (c == '.') {
      if (digits == 0) return false;
      digits = 0;
      ++components;
    } else {
      return false;
    }
  }
  return digits > 0 && components < 7;
}

}  // namespace

std::string_view ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kOk:
      return "OK";
    case ErrorKind::kInvalidArgument:
      return "invalid argument";
    case ErrorKind::kParse:
      return "parse error";
    case ErrorKind::kLimitExceeded:
      return "limit exceeded";
    case ErrorKind::kSecurity:
      return "security check failed";
    case ErrorKind::kNotFound:
      return "not found";
    case ErrorKind::kAlreadyExists:
      return "already exists";
    case ErrorKind::kFailedPrecondition:
      return "failed precondition";
    case ErrorKind::kUnavailable:
      return "unavailable";
    case ErrorKind::kTimeout:
      return "timeout";
    case ErrorKind::kIo:
      return "I/O error";
    case ErrorKind::kInternal:
      return "internal error";
  }
  return "unknown error";
}

std::optional<SgpCode> SgpCode::Make(std::string_view subject, std::string_view reason) {
  if (!IsDottedCode(subject) || !IsDottedCode(reason)) return std::nullopt;
  return SgpCode(std::string(subject), std::string(reason));
}

Status Status::Error(ErrorKind kind, std::string message) {
  Status s;
  // An "error" of kind OK would silently read as success; make it internal instead.
  s.kind_ = kind == ErrorKind::kOk ? ErrorKind::kInternal : kind;
  s.message_ = std::move(message);
  return s;
}

Status Status::Sgp(ErrorKind kind, std::string_view subject, std::string_view reason,
                   std::string message) {
  Status s = Error(kind, std::move(message));
  s.sgp_ = SgpCode::Make(subject, reason);
  if (!s.sgp_) s.message_ += " (invalid SGP.02 status code dropped)";
  return s;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  Status s = *this;
  s.message_ = std::string(context) + ": " + message_;
  return s;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(ErrorKindName(kind_));
  out += ": ";
  out += message_;
  if (sgp_) {
    out += " [";
    out += sgp_->subject();
    out += '/';
    out += sgp_->reason();
    out += ']';
  }
  return out;
}

void FatalError(std::string_view what) {
  std::fprintf(stderr, "m2mrsp fatal: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

}  // namespace m2mrsp
