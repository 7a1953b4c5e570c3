// ETSI TS 102 226 remote APDU formats: the compact format (§5.1) and the expanded format
// (§5.2) with its definite (`AA`/`AB`) and indefinite (`AE 80 … 00 00` / `AF 80 … 00 00`)
// length codings. Tags from ETSI TS 101 220 tables 7.18–7.20 as used by pySim
// (`pySim/ota.py`) and Njiwa; SGP.02 sends the expanded format on ES5/ES8 (security digest
// §5.4). These are the "secured data" of an SCP80 packet or the body of an SCP81 POST.
//
// Decoders are strict: known item tags only, explicit size and item-count limits, nothing after
// the template or its end-of-contents. Item values are kept as bytes so that a decoded script
// re-encodes to the same bytes (with minimal lengths); CommandsOf()/RApdusOf() interpret them.
// Value types and stateless functions; thread-safe. Byte layout: docs/formats/gp.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "gp/apdu.h"
#include "tlv/ber.h"

namespace m2mrsp::gp {

// --- Compact format (TS 102 226 §5.1) ------------------------------------------------------

// Commands are concatenated TS 102 221 (T=0 style) APDUs: CLA INS P1 P2 P3 [data]. P3 is Le
// for the instructions in `case2_instructions`, Lc otherwise (P3 `00` there = case 1). A case 4
// command travels without its Le (the card answers 61xx, as the real-card PoRs in pySim show).
struct CompactOptions {
  // READ BINARY, READ RECORD, GET RESPONSE, FETCH, GET CHALLENGE, GET DATA.
  std::vector<uint8_t> case2_instructions = {0xB0, 0xB2, 0xC0, 0x12, 0x84, 0xCA};
  size_t max_commands = 64;
  size_t max_size = 64 * 1024;
};

// Errors for extended APDUs, Ne on a non-case-2 instruction without data, or data on a case-2
// instruction.
Result<Bytes> EncodeCompactCommands(std::span<const CommandApdu> commands,
                                    const CompactOptions& options = {});
Result<std::vector<CommandApdu>> DecodeCompactCommands(ByteView data,
                                                       const CompactOptions& options = {});

// TS 102 226 §5.1.2: number of commands executed, SW of the last one, its response data.
struct CompactResponse {
  uint8_t executed = 0;
  uint16_t last_sw = 0;
  Bytes last_data;
  bool operator==(const CompactResponse&) const = default;
};
Bytes EncodeCompactResponse(const CompactResponse& response);
Result<CompactResponse> DecodeCompactResponse(ByteView data, size_t max_data = kMaxShortNe);

// --- Expanded format (TS 102 226 §5.2) -----------------------------------------------------

inline constexpr tlv::Tag kTagCommandScript = 0xAA;            // definite length
inline constexpr tlv::Tag kTagCommandScriptIndefinite = 0xAE;  // `AE 80 … 00 00`
inline constexpr tlv::Tag kTagResponseScript = 0xAB;
inline constexpr tlv::Tag kTagResponseScriptIndefinite = 0xAF;
// Command script items (TS 102 226 §5.2.1).
inline constexpr tlv::Tag kTagCApdu = 0x22;
inline constexpr tlv::Tag kTagImmediateAction = 0x81;
inline constexpr tlv::Tag kTagErrorAction = 0x82;
inline constexpr tlv::Tag kTagScriptChaining = 0x83;
// Response script items (TS 102 226 §5.2.2).
inline constexpr tlv::Tag kTagExecutedCount = 0x80;
inline constexpr tlv::Tag kTagRApdu = 0x23;
inline constexpr tlv::Tag kTagImmediateActionResponse = 0x81;
inline constexpr tlv::Tag kTagScriptChainingResponse = 0x83;
inline constexpr tlv::Tag kTagBadFormat = 0x90;

// Script chaining TLV values [C Njiwa; TS 102 226 §5.2.1.4].
enum class ScriptChaining : uint8_t {
  kFirstClearedOnReset = 0x01,
  kFirstKeptOnReset = 0x11,
  kSubsequent = 0x02,
  kLast = 0x03,
};
// Bad format TLV values (TS 102 226 table 5.12, pySim).
enum class BadFormat : uint8_t { kUnknownTag = 0x01, kWrongLength = 0x02, kLengthMissing = 0x03 };

struct ScriptItem {
  tlv::Tag tag = 0;
  Bytes value;
  bool operator==(const ScriptItem&) const = default;
};

struct ScriptLimits {
  size_t max_size = 64 * 1024;  // whole script
  size_t max_items = 256;
  bool require_minimal_length = false;  // refuse `81 05`-style lengths (the fuzzer's mode)
  // Further item tags accepted in command scripts and kept opaque, e.g. the SCP03t TLVs
  // `84`/`85`/`86` that SGP.02 places directly in the script [C Njiwa, ?].
  std::vector<tlv::Tag> extra_command_tags;
};

struct CommandScript {
  bool indefinite = false;
  std::vector<ScriptItem> items;
  bool operator==(const CommandScript&) const = default;
};

// One `22` item per command (encoded with EncodeCommand), optionally preceded by a `83`
// script-chaining item.
Result<CommandScript> MakeCommandScript(std::span<const CommandApdu> commands,
                                        bool indefinite = false,
                                        std::optional<ScriptChaining> chaining = std::nullopt);
Result<Bytes> EncodeCommandScript(const CommandScript& script);
// When the error is in an item and `bad_format` is given, it receives the TS 102 226 bad-format
// type the card reports (`90 01 xx`).
Result<CommandScript> DecodeCommandScript(ByteView data, const ScriptLimits& limits = {},
                                          BadFormat* bad_format = nullptr);
// The `22` items decoded as C-APDUs (other items skipped).
Result<std::vector<CommandApdu>> CommandsOf(const CommandScript& script,
                                            const ApduLimits& limits = {});

struct ResponseScript {
  bool indefinite = false;
  // `80` number of executed commands: mandatory in the definite form (pySim), absent in the
  // indefinite responses of a real eUICC (pySim ExpandedIndefiniteTestCase).
  std::optional<uint32_t> executed;
  std::vector<ScriptItem> items;  // 23 / 90 / 81 / 83
  bool operator==(const ResponseScript&) const = default;
};

Result<Bytes> EncodeResponseScript(const ResponseScript& script);
Result<ResponseScript> DecodeResponseScript(ByteView data, const ScriptLimits& limits = {});
// The `23` items split into data and SW (validated at decode: at least two bytes).
std::vector<ResponseApdu> RApdusOf(const ResponseScript& script);
// The value of the `90` item, if any.
std::optional<BadFormat> BadFormatOf(const ResponseScript& script);

}  // namespace m2mrsp::gp
