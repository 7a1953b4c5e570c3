// Internal DER helpers shared by the saip views: strict child iteration, unsigned INTEGERs,
// OBJECT IDENTIFIER text and PEHeader. Stateless; views point into the caller's buffer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "saip/package.h"
#include "tlv/ber.h"

namespace m2mrsp::saip::internal {

// DER framing for everything below a ProfileElement: definite minimal lengths.
tlv::Limits DerLimits();

// The children of the single constructed TLV `raw` with tag `tag`.
Result<std::vector<tlv::Tlv>> ChildrenOf(ByteView raw, uint32_t tag, std::string_view what);
Result<std::vector<tlv::Tlv>> ChildrenOf(const tlv::Tlv& parent, std::string_view what);

// A non-negative DER INTEGER that fits `max_value` (X.690 §8.3: minimal two's complement).
Result<uint32_t> ReadUnsigned(const tlv::Tlv& t, uint32_t max_value, std::string_view what);
// Minimal DER content octets of a non-negative integer.
Bytes EncodeUnsigned(uint32_t value);

// Dotted text of an OBJECT IDENTIFIER's content octets (X.690 §8.19).
Result<std::string> OidToString(ByteView content);

// PEHeader ::= SEQUENCE { mandated [0] NULL OPTIONAL, identification [1] UInt15 }.
Result<PeHeader> ParsePeHeader(const tlv::Tlv& t);

// Walks a SEQUENCE's children in order: Next(tag) returns the next child if it has `tag`.
class SeqCursor {
 public:
  explicit SeqCursor(const std::vector<tlv::Tlv>& children) : c_(children) {}
  const tlv::Tlv* Next(uint32_t tag) {
    if (i_ < c_.size() && c_[i_].tag == tag) return &c_[i_++];
    return nullptr;
  }
  bool done() const { return i_ == c_.size(); }
  // Children after the last expected one are ignored: the module is EXTENSIBILITY IMPLIED.

 private:
  const std::vector<tlv::Tlv>& c_;
  size_t i_ = 0;
};

Status Malformed(std::string_view what, std::string_view detail);

}  // namespace m2mrsp::saip::internal
