// The http(s) URLs the binding dials: wsa:To and wsa:ReplyTo addresses ("https://host:port/path",
// optionally followed by the GSMA "?EntityId=…" query, es-messages.md §2.3). Only what an
// endpoint needs is parsed: scheme, host (name, IPv4 or bracketed IPv6), port, path. Userinfo and
// fragments are refused. Values; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace m2mrsp::binding {

struct Url {
  bool tls = true;   // https
  std::string host;  // without brackets
  uint16_t port = 0;
  std::string path;  // "/…", the HTTP request target (the query is not sent)
};

inline constexpr size_t kMaxUrlLength = 2048;

// Errors: kInvalidArgument (subject 1.6 / reason 2.1 for untrusted ReplyTo values).
Result<Url> ParseUrl(std::string_view url);

}  // namespace m2mrsp::binding
