#include "gp/remote_script.h"

#include <algorithm>

namespace m2mrsp::gp {
namespace {

bool Contains(const std::vector<uint8_t>& v, uint8_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// --- expanded-format plumbing ---

// Reads the items of a template body. Definite: `body` is the template value and must be
// consumed exactly. Indefinite: `body` follows `80` and must end with `00 00` and nothing after.
Result<std::vector<tlv::Tlv>> ReadItems(ByteView body, bool indefinite, const ScriptLimits& limits,
                                        BadFormat* bad_format) {
  tlv::Limits tl;
  tl.max_size = limits.max_size;
  tl.require_minimal_length = limits.require_minimal_length;
  ByteReader r(body);
  std::vector<tlv::Tlv> items;
  while (true) {
    if (indefinite) {
      if (r.remaining() >= 2 && body[r.position()] == 0 && body[r.position() + 1] == 0) {
        if (r.remaining() != 2) return ParseError("bytes after the end-of-contents octets");
        return items;
      }
      if (r.empty()) return ParseError("indefinite script without end-of-contents octets");
    } else if (r.empty()) {
      return items;
    }
    if (items.size() == limits.max_items) return LimitExceeded("script has too many items");
    const size_t before = r.remaining();
    auto t = tlv::ReadTlv(r, tl);
    if (!t.ok()) {
      if (bad_format)
        *bad_format = before <= 1 ? BadFormat::kLengthMissing : BadFormat::kWrongLength;
      return t.status().WithContext("script item");
    }
    items.push_back(*t);
  }
}

// The template: tag, then either a definite length or `80`.
struct Template {
  bool indefinite = false;
  std::vector<tlv::Tlv> items;
};

Result<Template> ReadTemplate(ByteView data, tlv::Tag definite_tag, tlv::Tag indefinite_tag,
                              const ScriptLimits& limits, BadFormat* bad_format) {
  if (data.size() > limits.max_size) return LimitExceeded("script over the size limit");
  if (data.empty()) return ParseError("empty script");
  Template out;
  if (data[0] == indefinite_tag) {
    if (data.size() < 2 || data[1] != 0x80) return ParseError("expected indefinite length `80`");
    out.indefinite = true;
    M2_ASSIGN_OR_RETURN(out.items, ReadItems(data.subspan(2), true, limits, bad_format));
    return out;
  }
  if (data[0] != definite_tag) return ParseError("not a script template");
  tlv::Limits tl;
  tl.max_size = limits.max_size;
  tl.require_minimal_length = limits.require_minimal_length;
  auto t = tlv::ParseOne(data, tl);
  if (!t.ok()) return t.status().WithContext("script template");
  M2_ASSIGN_OR_RETURN(out.items, ReadItems(t->value, false, limits, bad_format));
  return out;
}

Result<Bytes> EncodeTemplate(tlv::Tag definite_tag, tlv::Tag indefinite_tag, bool indefinite,
                             ByteView body) {
  Bytes out;
  if (indefinite) {
    out.reserve(body.size() + 4);
    tlv::AppendTag(out, indefinite_tag);
    out.push_back(0x80);
    Append(out, body);
    Append(out, {0x00, 0x00});
  } else {
    tlv::AppendTlv(out, definite_tag, body);
  }
  return out;
}

Status AppendItem(Bytes& body, const ScriptItem& item) {
  if (!tlv::IsValidTag(item.tag)) return InvalidArgument("script item with an invalid tag");
  tlv::AppendTlv(body, item.tag, AsView(item.value));
  return Status::Ok();
}

bool IsChainingValue(uint8_t v) { return v == 0x01 || v == 0x11 || v == 0x02 || v == 0x03; }

// Minimal unsigned big-endian, 1..4 bytes.
Bytes EncodeCount(uint32_t v) {
  size_t width = 1;
  while (width < 4 && (v >> (8 * width)) != 0) ++width;
  Bytes out;
  AppendBigEndian(out, v, width);
  return out;
}

Result<uint32_t> DecodeCount(ByteView v) {
  if (v.empty() || v.size() > 4 || (v.size() > 1 && v[0] == 0)) {
    return ParseError("number of executed commands: not a minimal 1..4-byte integer");
  }
  uint32_t n = 0;
  for (uint8_t b : v) n = (n << 8) | b;
  return n;
}

Status CheckResponseItem(const ScriptItem& item) {
  switch (item.tag) {
    case kTagRApdu:
      if (item.value.size() < 2) return ParseError("R-APDU item shorter than a status word");
      return Status::Ok();
    case kTagBadFormat:
      if (item.value.size() != 1 || item.value[0] < 0x01 || item.value[0] > 0x03) {
        return ParseError("bad-format item must be one byte 01..03");
      }
      return Status::Ok();
    case kTagImmediateActionResponse:
      if (item.value.size() != 1) return ParseError("immediate action response must be 1 byte");
      return Status::Ok();
    case kTagScriptChainingResponse:
      if (item.value.size() != 1 || item.value[0] < 0x01 || item.value[0] > 0x03) {
        return ParseError("script chaining response must be one byte 01..03");
      }
      return Status::Ok();
    default:
      return ParseError("unknown tag in a response script");
  }
}

}  // namespace

// --- Compact format ---

Result<Bytes> EncodeCompactCommands(std::span<const CommandApdu> commands,
                                    const CompactOptions& options) {
  if (commands.size() > options.max_commands) return InvalidArgument("too many commands");
  Bytes out;
  for (const CommandApdu& c : commands) {
    if (c.extended || c.data.size() > kMaxShortNc || (c.ne && *c.ne > kMaxShortNe)) {
      return InvalidArgument("compact format carries short APDUs only");
    }
    Append(out, {c.cla, c.ins, c.p1, c.p2});
    const bool case2_ins = Contains(options.case2_instructions, c.ins);
    if (case2_ins) {
      if (!c.data.empty()) return InvalidArgument("compact: data on a case-2 instruction");
      out.push_back(c.ne ? static_cast<uint8_t>(*c.ne == kMaxShortNe ? 0 : *c.ne) : 0);
    } else {
      if (c.data.empty() && c.ne) return InvalidArgument("compact: case 2 on a case-3 instruction");
      out.push_back(static_cast<uint8_t>(c.data.size()));  // case 4: Le dropped (T=0 style)
      Append(out, AsView(c.data));
    }
  }
  if (out.size() > options.max_size) return InvalidArgument("compact script over the size limit");
  return out;
}

Result<std::vector<CommandApdu>> DecodeCompactCommands(ByteView data,
                                                       const CompactOptions& options) {
  if (data.size() > options.max_size) return LimitExceeded("compact script over the size limit");
  std::vector<CommandApdu> out;
  ByteReader r(data);
  while (!r.empty()) {
    if (out.size() == options.max_commands) return LimitExceeded("too many compact commands");
    auto header = r.ReadView(5);
    if (!header.ok()) return ParseError("compact command: truncated header");
    const ByteView h = *header;
    CommandApdu c = MakeCommand(h[0], h[1], h[2], h[3]);
    if (Contains(options.case2_instructions, c.ins)) {
      c.ne = h[4] == 0 ? static_cast<uint32_t>(kMaxShortNe) : h[4];
    } else if (h[4] != 0) {
      auto body = r.ReadView(h[4]);
      if (!body.ok()) return ParseError("compact command: data shorter than P3");
      c.data.assign(body->begin(), body->end());
    }
    out.push_back(std::move(c));
  }
  return out;
}

Bytes EncodeCompactResponse(const CompactResponse& response) {
  Bytes out;
  out.push_back(response.executed);
  AppendBigEndian(out, response.last_sw, 2);
  Append(out, AsView(response.last_data));
  return out;
}

Result<CompactResponse> DecodeCompactResponse(ByteView data, size_t max_data) {
  if (data.size() < 3) return ParseError("compact response shorter than 3 bytes");
  if (data.size() - 3 > max_data) return LimitExceeded("compact response data over the limit");
  return CompactResponse{.executed = data[0],
                         .last_sw = static_cast<uint16_t>((data[1] << 8) | data[2]),
                         .last_data = Bytes(data.begin() + 3, data.end())};
}

// --- Expanded command script ---

Result<CommandScript> MakeCommandScript(std::span<const CommandApdu> commands, bool indefinite,
                                        std::optional<ScriptChaining> chaining) {
  CommandScript s;
  s.indefinite = indefinite;
  if (chaining) s.items.push_back({kTagScriptChaining, {static_cast<uint8_t>(*chaining)}});
  for (const CommandApdu& c : commands) {
    M2_ASSIGN_OR_RETURN(Bytes wire, EncodeCommand(c));
    s.items.push_back({kTagCApdu, std::move(wire)});
  }
  return s;
}

Result<Bytes> EncodeCommandScript(const CommandScript& script) {
  Bytes body;
  for (const ScriptItem& item : script.items) M2_RETURN_IF_ERROR(AppendItem(body, item));
  return EncodeTemplate(kTagCommandScript, kTagCommandScriptIndefinite, script.indefinite,
                        AsView(body));
}

Result<CommandScript> DecodeCommandScript(ByteView data, const ScriptLimits& limits,
                                          BadFormat* bad_format) {
  M2_ASSIGN_OR_RETURN(Template t, ReadTemplate(data, kTagCommandScript, kTagCommandScriptIndefinite,
                                               limits, bad_format));
  CommandScript s;
  s.indefinite = t.indefinite;
  s.items.reserve(t.items.size());
  for (size_t i = 0; i < t.items.size(); ++i) {
    const tlv::Tlv& item = t.items[i];
    BadFormat type = BadFormat::kWrongLength;
    Status error;
    switch (item.tag) {
      case kTagCApdu:
        if (item.value.size() < 4) error = ParseError("C-APDU item shorter than a header");
        break;
      case kTagImmediateAction:
        if (item.value.empty()) error = ParseError("empty immediate action item");
        break;
      case kTagErrorAction:
        break;  // may be empty (TS 102 226 §5.2.1.3)
      case kTagScriptChaining:
        // At most one, and first [M: TS 102 226 §5.2.1.4].
        if (item.value.size() != 1 || !IsChainingValue(item.value[0])) {
          error = ParseError("script chaining item must be one byte 01/11/02/03");
        } else if (i != 0) {
          error = ParseError("script chaining item not first");
          type = BadFormat::kUnknownTag;
        }
        break;
      default:
        if (std::find(limits.extra_command_tags.begin(), limits.extra_command_tags.end(),
                      item.tag) == limits.extra_command_tags.end()) {
          error = ParseError("unknown tag in a command script");
          type = BadFormat::kUnknownTag;
        }
    }
    if (!error.ok()) {
      if (bad_format) *bad_format = type;
      return error;
    }
    s.items.push_back({item.tag, Bytes(item.value.begin(), item.value.end())});
  }
  return s;
}

Result<std::vector<CommandApdu>> CommandsOf(const CommandScript& script, const ApduLimits& limits) {
  std::vector<CommandApdu> out;
  for (const ScriptItem& item : script.items) {
    if (item.tag != kTagCApdu) continue;
    auto c = DecodeCommand(AsView(item.value), limits);
    if (!c.ok()) return c.status().WithContext("C-APDU item " + std::to_string(out.size()));
    out.push_back(std::move(*c));
  }
  return out;
}

// --- Expanded response script ---

Result<Bytes> EncodeResponseScript(const ResponseScript& script) {
  if (!script.indefinite && !script.executed) {
    return InvalidArgument("definite response script needs the executed-commands count");
  }
  Bytes body;
  if (script.executed)
    tlv::AppendTlv(body, kTagExecutedCount, AsView(EncodeCount(*script.executed)));
  for (const ScriptItem& item : script.items) {
    M2_RETURN_IF_ERROR(CheckResponseItem(item).WithContext("encode"));
    M2_RETURN_IF_ERROR(AppendItem(body, item));
  }
  return EncodeTemplate(kTagResponseScript, kTagResponseScriptIndefinite, script.indefinite,
                        AsView(body));
}

Result<ResponseScript> DecodeResponseScript(ByteView data, const ScriptLimits& limits) {
  M2_ASSIGN_OR_RETURN(Template t, ReadTemplate(data, kTagResponseScript,
                                               kTagResponseScriptIndefinite, limits, nullptr));
  ResponseScript s;
  s.indefinite = t.indefinite;
  size_t i = 0;
  if (!t.items.empty() && t.items[0].tag == kTagExecutedCount) {
    M2_ASSIGN_OR_RETURN(s.executed, DecodeCount(t.items[0].value));
    i = 1;
  } else if (!t.indefinite) {
    return ParseError("definite response script without `80` executed-commands count");
  }
  for (; i < t.items.size(); ++i) {
    ScriptItem item{t.items[i].tag, Bytes(t.items[i].value.begin(), t.items[i].value.end())};
    M2_RETURN_IF_ERROR(CheckResponseItem(item));
    s.items.push_back(std::move(item));
  }
  return s;
}

std::vector<ResponseApdu> RApdusOf(const ResponseScript& script) {
  std::vector<ResponseApdu> out;
  for (const ScriptItem& item : script.items) {
    if (item.tag != kTagRApdu || item.value.size() < 2) continue;
    // Size checked at decode; no data limit here (the script limit already applied).
    out.push_back(*DecodeResponse(AsView(item.value), item.value.size()));
  }
  return out;
}

std::optional<BadFormat> BadFormatOf(const ResponseScript& script) {
  for (const ScriptItem& item : script.items) {
    if (item.tag == kTagBadFormat && item.value.size() == 1) {
      return static_cast<BadFormat>(item.value[0]);
    }
  }
  return std::nullopt;
}

}  // namespace m2mrsp::gp
