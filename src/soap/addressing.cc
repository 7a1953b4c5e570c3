#include "soap/addressing.h"

#include <cctype>
#include <chrono>
#include <cstdio>

namespace m2mrsp::soap {
namespace {

// Minimal percent-decoding for query values; invalid escapes are kept literally.
std::string PercentDecode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i] == '+' ? ' ' : s[i]);
    }
  }
  return out;
}

// Escapes what would end a query value or break the URI; keeps RFC 3986 query characters such
// as ':' and '/' so a uuid URN stays readable ("TransactionId=urn:uuid:…", as observed).
std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) ||
        std::string_view("-_.~:/@!$'()*,;").find(static_cast<char>(c)) != std::string_view::npos) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

// Visits "k=v" pairs of a query string.
template <typename F>
void ForEachQueryParam(std::string_view query, F&& f) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos) f(pair.substr(0, eq), pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
}

}  // namespace

bool IsDottedOid(std::string_view text) {
  if (text.empty() || text.size() > 256) return false;
  bool digit_before = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      digit_before = true;
    } else if (c == '.' && digit_before) {
      digit_before = false;
    } else {
      return false;
    }
  }
  return digit_before;
}

Result<std::string> EntityAddress::Format() const {
  if (!IsDottedOid(entity_id)) return InvalidArgument("EntityId is not a dotted OID");
  if (endpoint.find('?') != std::string::npos) return InvalidArgument("endpoint has a query");
  std::string out = endpoint + "?EntityId=" + entity_id;
  if (entity_name) out += "&EntityName=" + PercentEncode(*entity_name);
  return out;
}

Result<EntityAddress> EntityAddress::Parse(std::string_view address) {
  EntityAddress out;
  const size_t q = address.find('?');
  out.endpoint = std::string(address.substr(0, q));
  bool have_id = false;
  if (q != std::string_view::npos) {
    ForEachQueryParam(address.substr(q + 1), [&](std::string_view k, std::string_view v) {
      if (k == "EntityId" && !have_id) {
        out.entity_id = PercentDecode(v);
        have_id = true;
      } else if (k == "EntityName" && !out.entity_name) {
        out.entity_name = PercentDecode(v);
      }
    });
  }
  if (!have_id) {
    return Status::Sgp(ErrorKind::kParse, "1.1", "2.2", "address carries no EntityId");
  }
  if (!IsDottedOid(out.entity_id)) {
    return Status::Sgp(ErrorKind::kParse, "1.1", "2.1", "EntityId is not a dotted OID");
  }
  return out;
}

MessageIdParts SplitMessageId(std::string_view id) {
  MessageIdParts parts;
  std::string_view path = id.substr(0, id.find('?'));
  if (path.starts_with("//")) {
    path.remove_prefix(2);
    const size_t slash = path.find('/');
    parts.sender_id = std::string(path.substr(0, slash));
    if (slash != std::string_view::npos) parts.uuid_urn = std::string(path.substr(slash + 1));
  } else {
    parts.uuid_urn = std::string(path);
  }
  if (const size_t q = id.find('?'); q != std::string_view::npos) {
    ForEachQueryParam(id.substr(q + 1), [&](std::string_view k, std::string_view v) {
      if (k == "TransactionId") parts.transaction_id = PercentDecode(v);
      if (k == "MessageDate") parts.message_date = PercentDecode(v);
    });
  }
  return parts;
}

std::string FormatUtc(Clock::WallTime t) {
  return FormatUtcSeconds(std::chrono::floor<std::chrono::seconds>(t));
}

std::string FormatUtcSeconds(std::chrono::sys_seconds secs) {
  const auto days = std::chrono::floor<std::chrono::days>(secs);
  const std::chrono::year_month_day ymd(days);
  const std::chrono::hh_mm_ss hms(secs - days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

Result<std::string> MessageIdFactory::NewUuidUrn() {
  M2_ASSIGN_OR_RETURN(Bytes b, random_.Generate(16));
  // RFC 4122 §4.4: version 4, variant 10.
  b[6] = static_cast<uint8_t>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<uint8_t>((b[8] & 0x3F) | 0x80);
  const std::string h = ToHex(AsView(b));
  return "urn:uuid:" + h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
         h.substr(16, 4) + "-" + h.substr(20);
}

Result<std::string> MessageIdFactory::NewMessageId() { return NewMessageId(""); }

Result<std::string> MessageIdFactory::NewMessageId(std::string_view transaction_id) {
  M2_ASSIGN_OR_RETURN(std::string id, NewUuidUrn());
  std::string tx(transaction_id);
  if (tx.empty()) {
    M2_ASSIGN_OR_RETURN(tx, NewUuidUrn());
  }
  // '&' and '?' inside the transaction id would break the query; uuid URNs never contain them.
  return "//" + sender_oid_ + "/" + id + "?TransactionId=" + PercentEncode(tx) +
         "&MessageDate=" + FormatUtc(clock_.Now());
}

}  // namespace m2mrsp::soap
