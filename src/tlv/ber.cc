#include "tlv/ber.h"

#include <algorithm>

namespace m2mrsp::tlv {
namespace {

// Recursion bound regardless of the caller's limits, so a generous limit cannot exhaust the stack.
constexpr size_t kHardMaxDepth = 64;

Status Malformed(std::string what, size_t offset) {
  return ParseError("BER-TLV: " + what + " at offset " + std::to_string(offset));
}

Result<Tag> ReadTag(ByteReader& r) {
  const size_t at = r.position();
  auto first = r.ReadU8();
  if (!first.ok()) return Malformed("missing tag", at);
  if (*first == 0x00) return Malformed("tag 00 (end-of-contents) not allowed", at);
  Tag tag = *first;
  if ((*first & 0x1F) != 0x1F) return tag;
  for (size_t n = 1;; ++n) {
    auto next = r.ReadU8();
    if (!next.ok()) return Malformed("truncated multi-byte tag", at);
    if (n == 1 && *next == 0x80) return Malformed("tag with leading zero subsequent byte", at);
    tag = (tag << 8) | *next;
    if ((*next & 0x80) == 0) return tag;
    if (n == 3) return Malformed("tag longer than 4 bytes", at);
  }
}

Result<size_t> ReadLength(ByteReader& r, const Limits& limits) {
  const size_t at = r.position();
  auto first = r.ReadU8();
  if (!first.ok()) return Malformed("missing length", at);
  if (*first < 0x80) return size_t{*first};
  if (*first == 0x80) return Malformed("indefinite length not supported", at);
  const size_t n = *first & 0x7F;
  if (n > 4) return Malformed("length field longer than 4 bytes", at);
  auto v = r.ReadBigEndian(n);
  if (!v.ok()) return Malformed("truncated length field", at);
  const size_t len = *v;
  if (limits.require_minimal_length) {
    const size_t min_bytes = len < 0x80        ? 0
                             : len <= 0xFF     ? 1
                             : len <= 0xFFFF   ? 2
                             : len <= 0xFFFFFF ? 3
                                               : 4;
    if (n != min_bytes) return Malformed("non-minimal length encoding", at);
  }
  return len;
}

Status ParseNodes(ByteView data, const Limits& limits, std::span<const Tag> opaque, size_t depth,
                  size_t& budget, std::vector<Node>& out) {
  if (depth > limits.max_depth || depth > kHardMaxDepth) {
    return LimitExceeded("BER-TLV: nesting deeper than " + std::to_string(limits.max_depth));
  }
  ByteReader r(data);
  while (!r.empty()) {
    if (budget == 0) {
      return LimitExceeded("BER-TLV: more than " + std::to_string(limits.max_elements) +
                           " elements");
    }
    --budget;
    M2_ASSIGN_OR_RETURN(Tlv t, ReadTlv(r, limits));
    Node node{t, {}};
    if (t.constructed() && std::find(opaque.begin(), opaque.end(), t.tag) == opaque.end()) {
      M2_RETURN_IF_ERROR(ParseNodes(t.value, limits, opaque, depth + 1, budget, node.children));
    }
    out.push_back(std::move(node));
  }
  return Status::Ok();
}

}  // namespace

bool IsValidTag(Tag tag) {
  if (tag == 0) return false;
  const size_t n = TagSize(tag);
  uint8_t bytes[4];
  for (size_t i = 0; i < n; ++i) bytes[i] = static_cast<uint8_t>(tag >> (8 * (n - 1 - i)));
  const bool multi = (bytes[0] & 0x1F) == 0x1F;
  if (!multi) return n == 1;
  if (n == 1) return false;
  if (bytes[1] == 0x80) return false;
  for (size_t i = 1; i < n; ++i) {
    const bool more = (bytes[i] & 0x80) != 0;
    if (more != (i + 1 < n)) return false;
  }
  return true;
}

size_t TagSize(Tag tag) {
  if (tag > 0xFFFFFF) return 4;
  if (tag > 0xFFFF) return 3;
  if (tag > 0xFF) return 2;
  return 1;
}

bool IsConstructed(Tag tag) {
  const uint8_t first = static_cast<uint8_t>(tag >> (8 * (TagSize(tag) - 1)));
  return (first & 0x20) != 0;
}

Result<Tlv> ReadTlv(ByteReader& r, const Limits& limits) {
  const size_t start = r.position();
  M2_ASSIGN_OR_RETURN(Tag tag, ReadTag(r));
  M2_ASSIGN_OR_RETURN(size_t len, ReadLength(r, limits));
  if (len > limits.max_size) {
    return LimitExceeded("BER-TLV: value of " + std::to_string(len) + " bytes over the limit of " +
                         std::to_string(limits.max_size));
  }
  if (len > r.remaining()) {
    return Malformed("value truncated (" + std::to_string(len) + " bytes declared, " +
                         std::to_string(r.remaining()) + " present)",
                     start);
  }
  const size_t header = r.position() - start;
  Tlv t;
  t.tag = tag;
  t.value = *r.ReadView(len);
  t.raw = ByteView(t.value.data() - header, header + len);
  return t;
}

Result<Tlv> ParseOne(ByteView data, const Limits& limits) {
  if (data.size() > limits.max_size) return LimitExceeded("BER-TLV: input over the size limit");
  ByteReader r(data);
  M2_ASSIGN_OR_RETURN(Tlv t, ReadTlv(r, limits));
  if (!r.empty()) {
    return Malformed(std::to_string(r.remaining()) + " trailing bytes after the TLV", r.position());
  }
  return t;
}

Result<std::vector<Tlv>> ParseSequence(ByteView data, const Limits& limits) {
  if (data.size() > limits.max_size) return LimitExceeded("BER-TLV: input over the size limit");
  std::vector<Tlv> out;
  ByteReader r(data);
  while (!r.empty()) {
    if (out.size() >= limits.max_elements) {
      return LimitExceeded("BER-TLV: more than " + std::to_string(limits.max_elements) +
                           " elements");
    }
    M2_ASSIGN_OR_RETURN(Tlv t, ReadTlv(r, limits));
    out.push_back(t);
  }
  return out;
}

Result<std::vector<Tlv>> Children(const Tlv& parent, const Limits& limits) {
  if (!parent.constructed()) return ParseError("BER-TLV: children of a primitive TLV");
  return ParseSequence(parent.value, limits);
}

const Tlv* Find(const std::vector<Tlv>& seq, Tag tag) {
  for (const Tlv& t : seq) {
    if (t.tag == tag) return &t;
  }
  return nullptr;
}

const Node* Node::Find(Tag tag) const {
  for (const Node& n : children) {
    if (n.tlv.tag == tag) return &n;
  }
  return nullptr;
}

Result<std::vector<Node>> ParseTree(ByteView data, const Limits& limits,
                                    std::span<const Tag> opaque) {
  if (data.size() > limits.max_size) return LimitExceeded("BER-TLV: input over the size limit");
  std::vector<Node> out;
  size_t budget = limits.max_elements;
  M2_RETURN_IF_ERROR(ParseNodes(data, limits, opaque, 1, budget, out));
  return out;
}

void AppendTag(Bytes& out, Tag tag) {
  if (!IsValidTag(tag)) FatalError("tlv::AppendTag: malformed tag");
  AppendBigEndian(out, tag, TagSize(tag));
}

void AppendLength(Bytes& out, size_t length) {
  if (length < 0x80) {
    out.push_back(static_cast<uint8_t>(length));
  } else if (length <= 0xFF) {
    Append(out, {0x81, static_cast<uint8_t>(length)});
  } else if (length <= 0xFFFF) {
    out.push_back(0x82);
    AppendBigEndian(out, length, 2);
  } else if (length <= 0xFFFFFF) {
    out.push_back(0x83);
    AppendBigEndian(out, length, 3);
  } else if (length <= 0xFFFFFFFFu) {
    out.push_back(0x84);
    AppendBigEndian(out, length, 4);
  } else {
    FatalError("tlv::AppendLength: length over 4 bytes");
  }
}

void AppendTlv(Bytes& out, Tag tag, ByteView value) {
  AppendTag(out, tag);
  AppendLength(out, value.size());
  Append(out, value);
}

Bytes Encode(Tag tag, ByteView value) {
  Bytes out;
  out.reserve(value.size() + 8);
  AppendTlv(out, tag, value);
  return out;
}

Builder& Builder::Add(Tag tag, ByteView value) {
  AppendTlv(out_, tag, value);
  return *this;
}

Builder& Builder::Add(Tag tag, std::initializer_list<uint8_t> value) {
  return Add(tag, ByteView(value.begin(), value.size()));
}

Builder& Builder::AddRaw(ByteView encoded) {
  Append(out_, encoded);
  return *this;
}

Builder& Builder::Open(Tag tag) {
  if (!IsConstructed(tag)) FatalError("tlv::Builder::Open on a primitive tag");
  AppendTag(out_, tag);
  open_.push_back({tag, out_.size()});
  return *this;
}

Builder& Builder::Close() {
  if (open_.empty()) FatalError("tlv::Builder::Close without Open");
  const size_t start = open_.back().start;
  open_.pop_back();
  Bytes len;
  AppendLength(len, out_.size() - start);
  out_.insert(out_.begin() + static_cast<std::ptrdiff_t>(start), len.begin(), len.end());
  return *this;
}

Bytes Builder::Finish() && {
  if (!open_.empty()) FatalError("tlv::Builder::Finish with an unclosed TLV");
  return std::move(out_);
}

}  // namespace m2mrsp::tlv
