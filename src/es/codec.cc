#include "es/codec.h"

#include <charconv>
#include <cstdio>

#include "soap/addressing.h"

namespace m2mrsp::es {
namespace {

Status Bad(std::string why) { return Status::Error(ErrorKind::kParse, std::move(why)); }

bool AllDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// XSD lengths count characters: count UTF-8 code points (continuation bytes excluded).
size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

Status CheckString(std::string_view s, Facet f) {
  for (unsigned char c : s) {
    // XML 1.0 §2.2: these control characters cannot be carried at all; CR would arrive as LF
    // (end-of-line normalisation), so it is refused too.
    if (c < 0x20 && c != '\t' && c != '\n') return Bad("control character");
  }
  switch (f) {
    case Facet::kString100:
      if (CodePoints(s) > 100) return Bad("longer than 100 characters (String100)");
      break;
    case Facet::kNonEmpty:
      if (s.empty()) return Bad("empty");
      break;
    case Facet::kThreeDigitVersion: {
      // \d+[.]\d+[.]\d+
      const size_t a = s.find('.');
      const size_t b = a == std::string_view::npos ? a : s.find('.', a + 1);
      if (b == std::string_view::npos || !AllDigits(s.substr(0, a)) ||
          !AllDigits(s.substr(a + 1, b - a - 1)) || !AllDigits(s.substr(b + 1))) {
        return Bad("not a three-digit version x.y.z");
      }
      break;
    }
    case Facet::kImsi:
      if (s.size() > 15 || (!s.empty() && !AllDigits(s))) return Bad("not an IMSI (\\d{0,15})");
      break;
    case Facet::kMsisdn:
      if (s.size() < 3 || s.size() > 15 || !AllDigits(s)) return Bad("not an MSISDN (\\d{3,15})");
      break;
    default:
      break;
  }
  return Status::Ok();
}

Status CheckBytes(const Bytes& b, Facet f) {
  if (f == Facet::kHex16 && b.size() > 16) return Bad("more than 16 octets");
  if (f == Facet::kOneOctet && b.size() != 1) return Bad("not exactly 1 octet");
  if (f == Facet::kTwoOctets && b.size() != 2) return Bad("not exactly 2 octets");
  return Status::Ok();
}

Status CheckInteger(int64_t v, bool negative_ok, Facet f) {
  if (!negative_ok && v < 0) return Bad("negative");
  switch (f) {
    case Facet::kPositive:
      if (v < 1) return Bad("not a positive integer");
      break;
    case Facet::kKeysetVersion:
      if (v < 1 || v > 127) return Bad("key set version outside 1..127");
      break;
    case Facet::kKeyIndex:
      if (v < 0 || v > 127) return Bad("key index outside 0..127");
      break;
    case Facet::kByte:
      if (v < -128 || v > 127) return Bad("outside xs:byte");
      break;
    default:
      break;
  }
  return Status::Ok();
}

// xs:integer lexical form: optional sign, digits. Bounded to 64 bits (a documented limit).
template <typename T>
Status ParseInteger(std::string_view t, T& out) {
  std::string_view digits = t;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (!AllDigits(digits)) return Bad("not an integer");
  if (negative && std::is_unsigned_v<T>) {
    if (digits.find_first_not_of('0') != std::string_view::npos) return Bad("negative");
    out = 0;
    return Status::Ok();
  }
  std::string s = (negative ? "-" : "") + std::string(digits);
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return Bad("integer out of range");
  return Status::Ok();
}

Status ParseFixedDigits(std::string_view s, size_t at, size_t n, int& out) {
  if (at + n > s.size() || !AllDigits(s.substr(at, n))) return Bad("bad dateTime");
  out = 0;
  for (size_t i = at; i < at + n; ++i) out = out * 10 + (s[i] - '0');
  return Status::Ok();
}

std::string Join(const std::vector<std::string_view>& path, std::string_view last) {
  std::string out;
  for (std::string_view p : path) {
    out += p;
    out += '/';
  }
  out += last;
  return out;
}

}  // namespace

// ---- placeholders --------------------------------------------------------------------------

const Eid& UnsetEid() {
  static const Eid kEid = *Eid::FromPrefix(std::string(30, '0'));
  return kEid;
}
const Iccid& UnsetIccid() {
  static const Iccid kIccid = *Iccid::FromPayload("890000000000000000");
  return kIccid;
}
const Aid& UnsetAid() {
  static const Aid kAid = *Aid::FromBytes(Bytes(5, 0));
  return kAid;
}
const Tar& UnsetTar() {
  static const Tar kTar = Tar::FromValue(0);
  return kTar;
}

// ---- DateTime ------------------------------------------------------------------------------

Result<DateTime> DateTime::Parse(std::string_view s) {
  // xs:dateTime: YYYY-MM-DDThh:mm:ss[.fff][Z|(+|-)hh:mm]
  int y, mo, d, h, mi, se;
  M2_RETURN_IF_ERROR(ParseFixedDigits(s, 0, 4, y));
  M2_RETURN_IF_ERROR(ParseFixedDigits(s, 5, 2, mo));
  M2_RETURN_IF_ERROR(ParseFixedDigits(s, 8, 2, d));
  M2_RETURN_IF_ERROR(ParseFixedDigits(s, 11, 2, h));
  M2_RETURN_IF_ERROR(ParseFixedDigits(s, 14, 2, mi));
  M2_RETURN_IF_ERROR(ParseFixedDigits(s, 17, 2, se));
  if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') {
    return Bad("bad dateTime separators");
  }
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    const size_t end = s.find_first_not_of("0123456789", pos + 1);
    if (end == pos + 1) return Bad("bad dateTime fraction");
    pos = end == std::string_view::npos ? s.size() : end;
  }
  int offset_minutes = 0;
  if (pos < s.size()) {
    if (s.substr(pos) == "Z") {
      pos = s.size();
    } else if ((s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && s[pos + 3] == ':') {
      int oh, om;
      M2_RETURN_IF_ERROR(ParseFixedDigits(s, pos + 1, 2, oh));
      M2_RETURN_IF_ERROR(ParseFixedDigits(s, pos + 4, 2, om));
      if (oh > 14 || om > 59) return Bad("bad dateTime offset");
      offset_minutes = (s[pos] == '-' ? -1 : 1) * (oh * 60 + om);
      pos = s.size();
    } else {
      return Bad("bad dateTime zone");
    }
  }
  const std::chrono::year_month_day ymd{std::chrono::year(y),
                                        std::chrono::month(static_cast<unsigned>(mo)),
                                        std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 24 || mi > 59 || se > 59 || (h == 24 && (mi != 0 || se != 0))) {
    return Bad("dateTime out of range");
  }
  DateTime out;
  out.time = std::chrono::sys_days(ymd) + std::chrono::hours(h) + std::chrono::minutes(mi) +
             std::chrono::seconds(se) - std::chrono::minutes(offset_minutes);
  // Keep to years we can write back as four digits (an offset can cross year 0 or 9999).
  const std::chrono::year_month_day utc{std::chrono::floor<std::chrono::days>(out.time)};
  if (utc.year() < std::chrono::year(1) || utc.year() > std::chrono::year(9999)) {
    return Bad("dateTime year outside 0001..9999");
  }
  return out;
}

// Formatted from sys_seconds directly: converting to system_clock (nanoseconds) would overflow
// outside 1678..2262, and the schema allows years 0001..9999 (found by fuzz/soap_fuzzer.cc).
std::string DateTime::ToString() const { return soap::FormatUtcSeconds(time); }

FunctionExecutionStatus FunctionExecutionStatus::FromError(const Status& status) {
  FunctionExecutionStatus out;
  out.status = ExecutionStatus::kFailed;
  StatusCodeData data;
  // Default when the error carries no code: 1.2 "Function provider" / 4.2 "Execution error".
  data.subject.value = status.sgp() ? status.sgp()->subject() : "1.2";
  data.reason.value = status.sgp() ? status.sgp()->reason() : "4.2";
  if (!status.message().empty()) data.message = status.message();
  out.status_code_data = std::move(data);
  return out;
}

// ---- simple values -------------------------------------------------------------------------

Result<std::string> ToText(const std::string& v, Facet f) {
  M2_RETURN_IF_ERROR(CheckString(v, f));
  return v;
}
Status FromText(std::string_view t, std::string& out, Facet f) {
  M2_RETURN_IF_ERROR(CheckString(t, f));
  out = std::string(t);
  return Status::Ok();
}

Result<std::string> ToText(const Oid& v, Facet) {
  if (!soap::IsDottedOid(v.value)) return Bad("not a dotted object identifier");
  return v.value;
}
Status FromText(std::string_view t, Oid& out, Facet) {
  if (!soap::IsDottedOid(t)) return Bad("not a dotted object identifier");
  out.value = std::string(t);
  return Status::Ok();
}

Result<std::string> ToText(const DateTime& v, Facet) { return v.ToString(); }
Status FromText(std::string_view t, DateTime& out, Facet) {
  M2_ASSIGN_OR_RETURN(out, DateTime::Parse(t));
  return Status::Ok();
}

// EIDType is hexBinary (16 octets) whose hex digits are the EID's decimal digits (§3.5).
Result<std::string> ToText(const Eid& v, Facet) { return v.ToString(); }
Status FromText(std::string_view t, Eid& out, Facet) {
  M2_ASSIGN_OR_RETURN(out, Eid::Parse(t));
  return Status::Ok();
}

// ICCIDType: 89[0-9fF]{4,18}, not BCD-swapped; F padding tolerated on input (§3.5).
Result<std::string> ToText(const Iccid& v, Facet) {
  if (!v.ToString().starts_with("89")) return Bad("ICCIDType requires the 89 prefix");
  return v.ToString();
}
Status FromText(std::string_view t, Iccid& out, Facet) {
  if (t.size() < 6 || t.size() > 20 || !t.starts_with("89") ||
      t.find_first_not_of("0123456789fF") != std::string_view::npos) {
    return Bad("not an ICCIDType (89[0-9fF]{4,18})");
  }
  while (!t.empty() && (t.back() == 'f' || t.back() == 'F')) t.remove_suffix(1);
  M2_ASSIGN_OR_RETURN(out, Iccid::Parse(t));
  return Status::Ok();
}

Result<std::string> ToText(const Aid& v, Facet) { return v.ToHex(); }
Status FromText(std::string_view t, Aid& out, Facet) {
  M2_ASSIGN_OR_RETURN(out, Aid::Parse(t));
  return Status::Ok();
}

Result<std::string> ToText(const Tar& v, Facet) { return v.ToHex(); }
Status FromText(std::string_view t, Tar& out, Facet) {
  M2_ASSIGN_OR_RETURN(out, Tar::Parse(t));
  return Status::Ok();
}

Result<std::string> ToText(const Bytes& v, Facet f) {
  M2_RETURN_IF_ERROR(CheckBytes(v, f));
  return ToHexUpper(AsView(v));
}
Status FromText(std::string_view t, Bytes& out, Facet f) {
  M2_ASSIGN_OR_RETURN(Bytes b, FromHex(t));
  M2_RETURN_IF_ERROR(CheckBytes(b, f));
  out = std::move(b);
  return Status::Ok();
}

Result<std::string> ToText(const bool& v, Facet) { return std::string(v ? "true" : "false"); }
Status FromText(std::string_view t, bool& out, Facet) {
  if (t == "true" || t == "1") {
    out = true;
  } else if (t == "false" || t == "0") {
    out = false;
  } else {
    return Bad("not an xs:boolean");
  }
  return Status::Ok();
}

Result<std::string> ToText(const uint64_t& v, Facet f) {
  if (v > static_cast<uint64_t>(INT64_MAX)) return std::to_string(v);
  M2_RETURN_IF_ERROR(CheckInteger(static_cast<int64_t>(v), false, f));
  return std::to_string(v);
}
Status FromText(std::string_view t, uint64_t& out, Facet f) {
  uint64_t v = 0;
  M2_RETURN_IF_ERROR(ParseInteger(t, v));
  if (v <= static_cast<uint64_t>(INT64_MAX)) {
    M2_RETURN_IF_ERROR(CheckInteger(static_cast<int64_t>(v), false, f));
  }
  out = v;
  return Status::Ok();
}

Result<std::string> ToText(const int64_t& v, Facet f) {
  M2_RETURN_IF_ERROR(CheckInteger(v, true, f));
  return std::to_string(v);
}
Status FromText(std::string_view t, int64_t& out, Facet f) {
  int64_t v = 0;
  M2_RETURN_IF_ERROR(ParseInteger(t, v));
  M2_RETURN_IF_ERROR(CheckInteger(v, true, f));
  out = v;
  return Status::Ok();
}

// ---- subjects ------------------------------------------------------------------------------

std::string_view SubjectForPath(const std::vector<std::string_view>& path) {
  // SGP.02 §5.1.6 subject codes (architecture digest §7.4; resolutions §7, WHTY names).
  struct Entry {
    std::string_view element, subject;
  };
  static constexpr Entry kSubjects[] = {
      {"Eid", "8.1.1"},
      {"Iccid", "8.2.1"},
      {"pol2", "8.2.3"},
      {"ProfileType", "8.2.5"},
      {"SubscriptionAddress", "8.2.6"},
      {"newSubscriptionAddress", "8.2.6"},
      {"Eis", "8.6"},
      {"Smsr-id", "8.7"},
      {"SmSr-id", "8.7"},
      {"Target-Smsr-id", "8.7"},
      {"CurrentSMSRid", "8.7"},
      {"Isd-p-aid", "8.3"},
      {"Sd-aid", "8.3"},
      {"Isd-r", "8.4"},
      {"SmsrCertificate", "8.5.3"},
  };
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    for (const Entry& e : kSubjects) {
      if (e.element == *it) return e.subject;
    }
  }
  return "1.6";
}

// ---- Encoder -------------------------------------------------------------------------------

pugi::xml_node Encoder::Append(std::string_view name) {
  return element_.append_child(("rps:" + std::string(name)).c_str());
}

void Encoder::Fail(std::string_view name, std::string_view why) {
  status_ = InvalidArgument(std::string(name) + ": " + std::string(why));
}

void Encoder::Fragment(std::string_view name, const XmlFragment& v) {
  if (!status_.ok()) return;
  pugi::xml_node e = Append(name);
  if (v.id) e.append_attribute("Id").set_value(v.id->c_str());
  if (v.children.empty()) return;
  auto xml = soap::ParseXml("<w>" + v.children + "</w>");
  if (!xml.ok()) return Fail(name, "fragment is not well-formed XML");
  for (pugi::xml_node c = xml->root().first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    if (!soap::CopyWithNamespaces(c, e)) return Fail(name, "cannot copy the fragment");
  }
}

// ---- Decoder -------------------------------------------------------------------------------

Decoder::Decoder(pugi::xml_node element, std::vector<std::string_view>& path)
    : element_(element), path_(path) {
  for (pugi::xml_node c = element.first_child(); c; c = c.next_sibling()) {
    if ((c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) &&
        !soap::IsXmlWhitespace(c.value())) {
      status_ = Status::Sgp(ErrorKind::kParse, SubjectForPath(path_), "2.1",
                            Join(path_, "") + " unexpected text");
      return;
    }
  }
  cur_ = element.first_child();
  Advance();
}

void Decoder::Advance() {
  while (cur_ && cur_.type() != pugi::node_element) cur_ = cur_.next_sibling();
  if (!cur_ || !status_.ok()) return;
  const auto ns = soap::NamespaceOf(cur_);
  if (!ns || *ns != kNamespace) {
    Invalid(soap::LocalName(cur_), "element in the wrong namespace");
    cur_ = pugi::xml_node();
  }
}

bool Decoder::Peek(std::string_view name) const { return cur_ && soap::LocalName(cur_) == name; }

pugi::xml_node Decoder::Take() {
  pugi::xml_node e = cur_;
  cur_ = cur_.next_sibling();
  Advance();
  return e;
}

void Decoder::Missing(std::string_view name) {
  path_.push_back(name);
  const std::string_view subject = SubjectForPath(path_);
  path_.pop_back();
  status_ = Status::Sgp(ErrorKind::kParse, subject, "2.2",
                        Join(path_, name) + ": mandatory element missing");
}

void Decoder::Invalid(std::string_view name, std::string_view why) {
  path_.push_back(name);
  const std::string_view subject = SubjectForPath(path_);
  path_.pop_back();
  status_ =
      Status::Sgp(ErrorKind::kParse, subject, "2.1", Join(path_, name) + ": " + std::string(why));
}

Result<std::string> Decoder::Text(const pugi::xml_node& e, bool trim) {
  std::string text;
  for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) {
      return Status::Sgp(ErrorKind::kParse, SubjectForPath(path_), "2.1",
                         Join(path_, "") + " unexpected child element " + c.name());
    }
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) text += c.value();
  }
  for (pugi::xml_attribute a = e.first_attribute(); a; a = a.next_attribute()) {
    if (!soap::IsNamespaceDeclaration(a)) {
      return Status::Sgp(ErrorKind::kParse, SubjectForPath(path_), "2.1",
                         Join(path_, "") + " unexpected attribute " + a.name());
    }
  }
  if (trim) {
    const size_t b = text.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return std::string();
    text = text.substr(b, text.find_last_not_of(" \t\r\n") - b + 1);
  }
  return text;
}

void Decoder::Fragment(std::string_view name, XmlFragment& out) {
  if (!status_.ok()) return;
  if (!Peek(name)) return Missing(name);
  const pugi::xml_node e = Take();
  out = XmlFragment();
  for (pugi::xml_attribute a = e.first_attribute(); a; a = a.next_attribute()) {
    if (soap::IsNamespaceDeclaration(a)) continue;
    if (std::string_view(a.name()) != "Id") return Invalid(name, "unexpected attribute");
    out.id = a.value();
  }
  pugi::xml_document scratch;
  for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) {
      const pugi::xml_node copy = soap::CopyWithNamespaces(c, scratch);
      if (!copy) return Invalid(name, "cannot copy");
      out.children += soap::SerializeNode(copy);
    } else if ((c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) &&
               !soap::IsXmlWhitespace(c.value())) {
      return Invalid(name, "unexpected text");
    }
  }
}

Status Decoder::Finish() {
  if (!status_.ok()) return status_;
  if (cur_) {
    Invalid(soap::LocalName(cur_), "unknown or misplaced element");
    return status_;
  }
  for (pugi::xml_attribute a = element_.first_attribute(); a; a = a.next_attribute()) {
    if (soap::IsNamespaceDeclaration(a)) continue;
    bool used = false;
    for (std::string_view u : used_attributes_) used |= u == a.name();
    if (!used) {
      Invalid(a.name(), "unknown attribute");
      return status_;
    }
  }
  return Status::Ok();
}

}  // namespace m2mrsp::es
