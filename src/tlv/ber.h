// BER-TLV reader and writer (ISO/IEC 7816-4 §5.2 / ITU-T X.690 §8.1 subset used by
// GlobalPlatform, ETSI TS 102 226 and SGP.02).
//
// Reading is zero-copy: a Tlv holds views into the caller's buffer, which must outlive it.
// Supported: tags of 1..4 bytes (multi-byte form when the low five bits of the first byte are
// all ones), definite lengths in short form or long form `81`..`84`. Refused: indefinite
// length (`80`), lengths over four bytes, truncation, trailing bytes where exactly one TLV is
// expected, and anything over the explicit Limits (total size, nesting depth, element count).
// Stateless functions; thread-safe. Byte layout with worked examples: docs/formats/tlv.md.
#pragma once

#include <cstdint>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

namespace m2mrsp::tlv {

// A tag as its encoded bytes read big-endian: 0x5A, 0x7F21, 0xBF3E, 0x9F70.
using Tag = uint32_t;

struct Limits {
  size_t max_size = 1 << 20;            // largest input / value accepted, in bytes
  size_t max_depth = 16;                // nesting levels for ParseTree (top level = 1)
  size_t max_elements = 1 << 16;        // TLVs per sequence and per tree
  bool require_minimal_length = false;  // DER: refuse `81 05`-style non-minimal lengths
};

// True when `tag` is a well-formed 1..4-byte tag encoding.
bool IsValidTag(Tag tag);
// Bit 6 of the first tag byte.
bool IsConstructed(Tag tag);
size_t TagSize(Tag tag);

struct Tlv {
  Tag tag = 0;
  ByteView value;  // the value field
  ByteView raw;    // tag + length + value, exactly as encoded
  bool constructed() const { return IsConstructed(tag); }
};

// Reads the next TLV from `reader`. On error the reader position is unspecified.
Result<Tlv> ReadTlv(ByteReader& reader, const Limits& limits = {});
// `data` must be exactly one TLV.
Result<Tlv> ParseOne(ByteView data, const Limits& limits = {});
// `data` is a sequence of TLVs that must fill it completely (empty data is an empty sequence).
Result<std::vector<Tlv>> ParseSequence(ByteView data, const Limits& limits = {});
// The children of a constructed TLV (an error for a primitive one).
Result<std::vector<Tlv>> Children(const Tlv& parent, const Limits& limits = {});

// First element with `tag`, or nullptr.
const Tlv* Find(const std::vector<Tlv>& seq, Tag tag);

// A fully parsed tree: constructed TLVs have their children parsed, recursively, within
// limits.max_depth and limits.max_elements (counted over the whole tree). Tags listed in
// `opaque` are kept as leaves even when their constructed bit is set: ISO 7816 data objects do
// not always honour that bit (the `7F49` public-key template holds `B0`/`F0` primitives).
struct Node {
  Tlv tlv;
  std::vector<Node> children;
  const Node* Find(Tag tag) const;
};
Result<std::vector<Node>> ParseTree(ByteView data, const Limits& limits = {},
                                    std::span<const Tag> opaque = {});

// --- Writing -------------------------------------------------------------------------------

// REQUIRES: IsValidTag(tag) (tags are constants of our code; aborts otherwise).
void AppendTag(Bytes& out, Tag tag);
// Minimal definite length. REQUIRES: length < 2^32.
void AppendLength(Bytes& out, size_t length);
void AppendTlv(Bytes& out, Tag tag, ByteView value);
Bytes Encode(Tag tag, ByteView value);

// Builds nested TLVs without computing lengths by hand:
//   Builder b; b.Open(0xE3).Add(0x4F, aid).Add(0x9F70, {0x3F}).Close();
//   Bytes out = b.Finish();
// Not thread-safe.
class Builder {
 public:
  Builder& Add(Tag tag, ByteView value);
  Builder& Add(Tag tag, std::initializer_list<uint8_t> value);
  Builder& AddRaw(ByteView encoded);  // already-encoded TLVs, appended as they are
  Builder& Open(Tag tag);             // starts a constructed TLV
  Builder& Close();                   // ends the innermost open one
  // REQUIRES: every Open() closed (aborts otherwise: a programming error).
  Bytes Finish() &&;
  size_t size() const { return out_.size(); }

 private:
  struct Open_ {
    Tag tag;
    size_t start;  // where its value begins in out_
  };
  Bytes out_;
  std::vector<Open_> open_;
};

}  // namespace m2mrsp::tlv
