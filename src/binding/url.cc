#include "binding/url.h"

#include <charconv>

namespace m2mrsp::binding {
namespace {

Status Bad(std::string_view why) {
  return Status::Sgp(ErrorKind::kInvalidArgument, "1.6", "2.1", "bad URL: " + std::string(why));
}

}  // namespace

Result<Url> ParseUrl(std::string_view url) {
  if (url.size() > kMaxUrlLength) return Bad("too long");
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F) {
      return Bad("unexpected character");
    }
  }
  Url out;
  if (url.starts_with("https://")) {
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    out.tls = false;
    url.remove_prefix(7);
  } else {
    return Bad("scheme must be http or https");
  }
  if (url.find('#') != std::string_view::npos) return Bad("fragment");
  const size_t authority_end = url.find_first_of("/?");
  const std::string_view authority = url.substr(0, authority_end);
  std::string_view rest =
      authority_end == std::string_view::npos ? std::string_view() : url.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) return Bad("userinfo");
  std::string_view port_text;
  if (authority.starts_with("[")) {  // RFC 3986 §3.2.2 IP-literal
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return Bad("unclosed IPv6 literal");
    out.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Bad("junk after IPv6 literal");
      port_text = after.substr(1);
    }
  } else {
    const size_t colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (out.host.empty()) return Bad("no host");
  if (port_text.empty()) {
    out.port = out.tls ? 443 : 80;
  } else {
    unsigned value = 0;
    const auto [p, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || p != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      return Bad("bad port");
    }
    out.port = static_cast<uint16_t>(value);
  }
  const size_t query = rest.find('?');
  out.path = std::string(rest.substr(0, query));
  if (out.path.empty()) out.path = "/";
  return out;
}

}  // namespace m2mrsp::binding
