// Command and response APDUs (ISO/IEC 7816-4 §5.1): the four command cases in short and
// extended form, and the response split into data and status word.
//
// A CommandApdu owns its data field. Ne (the expected response length) is kept as the number of
// bytes it stands for, 1..65536: Le `00` means 256 in short form and `0000` means 65536 in
// extended form, so a caller never handles the zero encodings. Encode() picks the short form
// when Nc <= 255 and Ne <= 256, unless `extended` is set; Decode() sets `extended` from the
// wire so that re-encoding a decoded APDU gives the same bytes. Decoding is strict: Lc must
// match the bytes present, Lc 0 is refused, and nothing may trail the Le field.
// Value types and stateless functions; thread-safe. Byte layout: docs/formats/gp.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "base/bytes.h"
#include "base/status.h"

namespace m2mrsp::gp {

// ISO/IEC 7816-4 §5.1 command cases.
enum class ApduCase { kCase1, kCase2, kCase3, kCase4 };

inline constexpr size_t kMaxShortNc = 255;
inline constexpr size_t kMaxShortNe = 256;
inline constexpr size_t kMaxExtendedNc = 65535;
inline constexpr size_t kMaxExtendedNe = 65536;

struct ApduLimits {
  size_t max_data = kMaxExtendedNc;  // largest command data field (Nc) accepted
  bool allow_extended = true;        // false: a card that only speaks short APDUs
};

struct CommandApdu {
  uint8_t cla = 0;
  uint8_t ins = 0;
  uint8_t p1 = 0;
  uint8_t p2 = 0;
  Bytes data;                  // Nc = data.size(); empty = no Lc field
  std::optional<uint32_t> ne;  // absent = no Le field; else 1..65536
  bool extended = false;       // force the extended form (set by Decode from the wire)

  ApduCase apdu_case() const;
  uint16_t p1p2() const { return static_cast<uint16_t>((p1 << 8) | p2); }
  bool operator==(const CommandApdu&) const = default;
};

inline CommandApdu MakeCommand(uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2, Bytes data = {},
                               std::optional<uint32_t> ne = std::nullopt) {
  CommandApdu c;
  c.cla = cla;
  c.ins = ins;
  c.p1 = p1;
  c.p2 = p2;
  c.data = std::move(data);
  c.ne = ne;
  return c;
}

// Errors (kInvalidArgument) when Nc > 65535, Ne is 0 or > 65536.
Result<Bytes> EncodeCommand(const CommandApdu& apdu);
// Strict decoder of one complete C-APDU.
Result<CommandApdu> DecodeCommand(ByteView wire, const ApduLimits& limits = {});

struct ResponseApdu {
  Bytes data;
  uint16_t sw = 0;

  uint8_t sw1() const { return static_cast<uint8_t>(sw >> 8); }
  uint8_t sw2() const { return static_cast<uint8_t>(sw & 0xFF); }
  bool operator==(const ResponseApdu&) const = default;
};

Bytes EncodeResponse(const ResponseApdu& response);
// `wire` is data ‖ SW1 SW2; fewer than two bytes, or more than max_data + 2, is an error.
Result<ResponseApdu> DecodeResponse(ByteView wire, size_t max_data = kMaxExtendedNe);

}  // namespace m2mrsp::gp
