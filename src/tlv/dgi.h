// GlobalPlatform Data Grouping Identifier (DGI) format (GP Card Specification v2.3 §11.11.3.2,
// used by STORE DATA for personalisation and by SGP.02 key establishment, DGIs `3A01`/`3A02`).
//
// A DGI is a 2-byte tag, a length and a value. The length is one byte for 0..254 (`00`..`FE`)
// or three bytes, `FF` followed by a 2-byte big-endian length, for 255..65535.
// Reading is zero-copy (views into the caller's buffer) and bounded by DgiLimits. Stateless;
// thread-safe. Worked examples: docs/formats/tlv.md.
#pragma once

#include <cstdint>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

namespace m2mrsp::tlv {

struct DgiLimits {
  size_t max_size = 1 << 20;  // input size
  size_t max_count = 4096;    // DGIs per sequence
  // GP codes 0..254 in one byte; refuse `FF 00 10`-style three-byte forms for short values.
  bool require_minimal_length = false;
};

struct Dgi {
  uint16_t tag = 0;
  ByteView value;
  ByteView raw;  // tag + length + value as encoded
};

Result<Dgi> ReadDgi(ByteReader& reader, const DgiLimits& limits = {});
// `data` must be exactly one DGI.
Result<Dgi> ParseOneDgi(ByteView data, const DgiLimits& limits = {});
// `data` is a sequence of DGIs filling it completely.
Result<std::vector<Dgi>> ParseDgis(ByteView data, const DgiLimits& limits = {});
const Dgi* FindDgi(const std::vector<Dgi>& seq, uint16_t tag);

constexpr size_t kMaxDgiValue = 0xFFFF;

// Errors (kInvalidArgument) when value is longer than 65535 bytes.
Status AppendDgi(Bytes& out, uint16_t tag, ByteView value);
Result<Bytes> EncodeDgi(uint16_t tag, ByteView value);

}  // namespace m2mrsp::tlv
