#include "euicc/sms_pp_script.h"

#include <algorithm>
#include <vector>

#include "gp/apdu.h"
#include "tlv/ber.h"

namespace m2mrsp::euicc {
namespace {

constexpr uint8_t kTagScp03tInitUpdate = 0x84;  // SGP.02 §4.1.3.3 [C2 resolutions §1.1]
constexpr uint8_t kTagScp03tExtAuth = 0x85;
constexpr uint8_t kTagScp03tData = 0x86;
constexpr uint16_t kSwUnknown = 0x6F00;  // ISO 7816-4: no precise diagnosis
constexpr uint16_t kSwWrongLength = 0x6700;

bool IsScp03tTag(uint32_t tag) {
  return tag == kTagScp03tInitUpdate || tag == kTagScp03tExtAuth || tag == kTagScp03tData;
}

// resolutions §1.3: an SCP03t error is a `9F4x` TLV (command tag − 40) instead of a status word.
bool IsScp03tError(uint32_t tag) { return tag >= 0x9F40 && tag <= 0x9F4F; }

// The largest response-script item a command can produce: `23 L` + data + SW, the data bounded
// by Ne (256 without Le) and by 4 KiB, more than any command of this card answers [M].
size_t MaxItemResponse(const gp::CommandApdu& command) {
  return 6 + std::min<size_t>(command.ne.value_or(256), 4096) + 2;
}
// SCP03t response items: `86 00`, an EUICCResponse (< 32 bytes) or `9F4x 01 reason` [C2].
constexpr size_t kMaxScp03tItemResponse = 64;

gp::ResponseApdu SplitResponse(ByteView r_apdu) {
  auto decoded = gp::DecodeResponse(r_apdu);
  if (!decoded.ok()) return gp::ResponseApdu{{}, kSwUnknown};  // a card bug, not input
  return std::move(*decoded);
}

// TS 102 226 §5.1: concatenated T=0 style commands; the answer is the compact response
// (§5.1.2: executed count, last SW, last data), as in the real-card PoR `01 6132` (pySim).
Result<ScriptRun> RunCompact(OtaCard& card, const Aid& target, ByteView data,
                             const ScriptRunLimits& limits) {
  ScriptRun run;
  run.format = ScriptFormat::kCompact;
  gp::CompactOptions options;
  options.max_commands = limits.max_items;
  options.max_size = limits.max_script;
  auto commands = gp::DecodeCompactCommands(data, options);
  gp::CompactResponse response;
  if (!commands.ok()) {
    // Nothing executed; a P3 that does not match the bytes is a wrong length [M].
    response.last_sw = kSwWrongLength;
    run.bad_format = gp::BadFormat::kWrongLength;
    run.response = gp::EncodeCompactResponse(response);
    return run;
  }
  for (const gp::CommandApdu& command : *commands) {
    M2_ASSIGN_OR_RETURN(Bytes wire, gp::EncodeCommand(command));
    const Bytes r_apdu = card.ProcessApdu(target, AsView(wire));
    gp::ResponseApdu r = SplitResponse(AsView(r_apdu));
    ++run.executed;
    response.last_sw = r.sw;
    response.last_data = std::move(r.data);
    if (!ContinuesScript(response.last_sw)) {
      run.stopped_on_error = true;
      break;
    }
  }
  response.executed = static_cast<uint8_t>(std::min<size_t>(run.executed, 0xFF));
  run.response = gp::EncodeCompactResponse(response);
  return run;
}

// Hands one SCP03t TLV to the ISD-P and appends its response TLVs as response-script items.
// Returns false when the card answered with an error TLV (the script stops).
Result<bool> RunScp03tItem(OtaCard& card, const Aid& target, const gp::ScriptItem& item,
                           std::vector<gp::ScriptItem>& out, const ScriptRunLimits& limits) {
  const Bytes command = tlv::Encode(item.tag, AsView(item.value));
  const Bytes answer = card.ProcessScp03t(target, AsView(command));
  tlv::Limits tlv_limits;
  tlv_limits.max_size = limits.max_response;
  tlv_limits.max_elements = limits.max_items;
  auto tlvs = tlv::ParseSequence(AsView(answer), tlv_limits);
  if (!tlvs.ok()) return InternalError("card answered SCP03t with malformed TLVs");
  bool ok = true;
  for (const tlv::Tlv& t : *tlvs) {
    out.push_back({t.tag, Bytes(t.value.begin(), t.value.end())});
    if (IsScp03tError(t.tag)) ok = false;
  }
  return ok;
}

// TS 102 226 §5.2.2 response script. Encoded here rather than by gp::EncodeResponseScript so
// that the SCP03t response TLVs (`86 00`, `9F4x`, …) can stand in it as items [C Njiwa, ?].
Bytes EncodeResponse(const gp::ResponseScript& script) {
  Bytes body;
  if (script.executed) {
    Bytes count;
    for (uint32_t v = *script.executed; v != 0; v >>= 8) {
      count.insert(count.begin(), static_cast<uint8_t>(v));
    }
    if (count.empty()) count.push_back(0);
    tlv::AppendTlv(body, gp::kTagExecutedCount, AsView(count));
  }
  for (const gp::ScriptItem& item : script.items)
    tlv::AppendTlv(body, item.tag, AsView(item.value));
  if (!script.indefinite) return tlv::Encode(gp::kTagResponseScript, AsView(body));
  Bytes out = {static_cast<uint8_t>(gp::kTagResponseScriptIndefinite), 0x80};
  out.insert(out.end(), body.begin(), body.end());
  out.push_back(0x00);
  out.push_back(0x00);
  return out;
}

Result<ScriptRun> BadFormatResponse(bool indefinite, gp::BadFormat type) {
  ScriptRun run;
  run.format = ScriptFormat::kExpanded;
  run.bad_format = type;
  gp::ResponseScript response;
  response.indefinite = indefinite;
  if (!indefinite) response.executed = 0;
  response.items.push_back({gp::kTagBadFormat, {static_cast<uint8_t>(type)}});
  run.response = EncodeResponse(response);
  return run;
}

}  // namespace

bool ContinuesScript(uint16_t sw) {
  const uint8_t sw1 = static_cast<uint8_t>(sw >> 8);
  return sw == 0x9000 || sw1 == 0x61 || sw1 == 0x91 || sw1 == 0x92 || sw1 == 0x9F || sw1 == 0x62 ||
         sw1 == 0x63;
}

ScriptFormat DetectFormat(ByteView data, bool target_is_isdp) {
  if (data.empty()) return ScriptFormat::kCompact;
  if (data[0] == gp::kTagCommandScript || data[0] == gp::kTagCommandScriptIndefinite) {
    return ScriptFormat::kExpanded;
  }
  if (target_is_isdp && IsScp03tTag(data[0])) return ScriptFormat::kScp03t;
  return ScriptFormat::kCompact;
}

Result<ScriptRun> RunExpandedScript(OtaCard& card, const Aid& target, bool target_is_isdp,
                                    ByteView data, const ScriptRunLimits& limits) {
  const bool indefinite = !data.empty() && data[0] == gp::kTagCommandScriptIndefinite;
  if (data.size() > limits.max_script) {
    return BadFormatResponse(indefinite, gp::BadFormat::kWrongLength);
  }
  gp::ScriptLimits script_limits;
  script_limits.max_size = limits.max_script;
  script_limits.max_items = limits.max_items;
  // SCP03t TLVs stand directly in the script, not wrapped in `22` (security digest §5.4
  // [C Njiwa, ?]); only an ISD-P understands them.
  if (target_is_isdp) {
    script_limits.extra_command_tags = {kTagScp03tInitUpdate, kTagScp03tExtAuth, kTagScp03tData};
  }
  gp::BadFormat bad_value = gp::BadFormat::kUnknownTag;
  auto script = gp::DecodeCommandScript(data, script_limits, &bad_value);
  if (!script.ok()) {
    // Not a script template at all: the outer tag is unknown. Inside one, the decoder names the
    // item's problem (defaulting to an unknown tag).
    const bool template_ok = !data.empty() && (data[0] == gp::kTagCommandScript ||
                                               data[0] == gp::kTagCommandScriptIndefinite);
    return BadFormatResponse(indefinite, template_ok ? bad_value : gp::BadFormat::kUnknownTag);
  }

  ScriptRun run;
  run.format = ScriptFormat::kExpanded;
  gp::ResponseScript response;
  response.indefinite = script->indefinite;
  size_t response_size = 0;
  // Response budget: the response script's own header, count and end-of-contents.
  constexpr size_t kResponseFrame = 16;
  for (const gp::ScriptItem& item : script->items) {
    if (item.tag == gp::kTagCApdu) {
      auto command = gp::DecodeCommand(AsView(item.value));
      if (!command.ok()) {
        // TS 102 226 §5.2.2: a C-APDU TLV whose contents do not parse is a wrong length.
        response.items.push_back({gp::kTagBadFormat, {uint8_t(gp::BadFormat::kWrongLength)}});
        run.bad_format = gp::BadFormat::kWrongLength;
        run.stopped_on_error = true;
        break;
      }
      // A command runs only when its largest answer still fits the response: the card never
      // executes a command whose result it cannot report. The script ends there and the
      // executed count tells the sender where to resume (TS 102 226 §5.2.2 has no item for
      // this case) [M].
      if (response_size + kResponseFrame + MaxItemResponse(*command) > limits.max_response) {
        run.stopped_on_error = true;
        run.response_truncated = true;
        break;
      }
      const Bytes r_apdu = card.ProcessApdu(target, AsView(item.value));
      ++run.executed;
      const gp::ResponseApdu r = SplitResponse(AsView(r_apdu));
      response_size += r_apdu.size() + 4;
      response.items.push_back({gp::kTagRApdu, gp::EncodeResponse(r)});
      if (!ContinuesScript(r.sw)) {
        run.stopped_on_error = true;
        break;
      }
    } else if (IsScp03tTag(item.tag)) {
      if (response_size + kResponseFrame + kMaxScp03tItemResponse > limits.max_response) {
        run.stopped_on_error = true;
        run.response_truncated = true;
        break;
      }
      ++run.executed;
      const size_t before = response.items.size();
      M2_ASSIGN_OR_RETURN(bool ok, RunScp03tItem(card, target, item, response.items, limits));
      for (size_t i = before; i < response.items.size(); ++i) {
        response_size += response.items[i].value.size() + 4;
      }
      if (!ok) {
        run.stopped_on_error = true;
        break;
      }
    }
    // `83` script chaining, `81` immediate action and `82` error action carry no command: the
    // simulator has no proactive session to open and keeps no chaining state here [M].
  }
  // The executed count is mandatory in the definite form and absent in a real eUICC's
  // indefinite responses (pySim ExpandedIndefiniteTestCase) [C].
  if (!response.indefinite) response.executed = static_cast<uint32_t>(run.executed);
  run.response = EncodeResponse(response);
  return run;
}

Result<ScriptRun> RunSecuredData(OtaCard& card, const Aid& target, bool target_is_isdp,
                                 ByteView data, const ScriptRunLimits& limits) {
  switch (DetectFormat(data, target_is_isdp)) {
    case ScriptFormat::kExpanded:
      return RunExpandedScript(card, target, target_is_isdp, data, limits);
    case ScriptFormat::kScp03t: {
      // SGP.02 §4.1.3.3: bare SCP03t TLVs; the card's response TLVs are the answer.
      if (data.size() > limits.max_script) return LimitExceeded("SCP03t data exceeds its limit");
      ScriptRun run;
      run.format = ScriptFormat::kScp03t;
      run.response = card.ProcessScp03t(target, data);
      run.executed = 1;
      if (run.response.size() > limits.max_response) {
        return LimitExceeded("SCP03t response exceeds its limit");
      }
      ByteReader reader(AsView(run.response));
      auto first = tlv::ReadTlv(reader);
      run.stopped_on_error = first.ok() && IsScp03tError(first->tag);
      return run;
    }
    case ScriptFormat::kCompact:
      break;
  }
  return RunCompact(card, target, data, limits);
}

}  // namespace m2mrsp::euicc
