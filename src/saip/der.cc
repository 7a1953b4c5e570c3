#include "saip/der.h"

#include <string>

namespace m2mrsp::saip::internal {

tlv::Limits DerLimits() {
  tlv::Limits l;
  l.max_size = 4 << 20;
  l.require_minimal_length = true;
  return l;
}

Status Malformed(std::string_view what, std::string_view detail) {
  return ParseError("SAIP " + std::string(what) + ": " + std::string(detail));
}

Result<std::vector<tlv::Tlv>> ChildrenOf(const tlv::Tlv& parent, std::string_view what) {
  if (!parent.constructed()) return Malformed(what, "expected a constructed value");
  auto kids = tlv::ParseSequence(parent.value, DerLimits());
  if (!kids.ok()) return kids.status().WithContext("SAIP " + std::string(what));
  return kids;
}

Result<std::vector<tlv::Tlv>> ChildrenOf(ByteView raw, uint32_t tag, std::string_view what) {
  auto one = tlv::ParseOne(raw, DerLimits());
  if (!one.ok()) return one.status().WithContext("SAIP " + std::string(what));
  if (one->tag != tag) return Malformed(what, "unexpected tag");
  return ChildrenOf(*one, what);
}

Result<uint32_t> ReadUnsigned(const tlv::Tlv& t, uint32_t max_value, std::string_view what) {
  const ByteView v = t.value;
  // X.690 §8.3.2: at least one octet; no redundant leading 00 (or FF) octet.
  if (v.empty() || v.size() > 5) return Malformed(what, "bad INTEGER length");
  if (v[0] & 0x80) return Malformed(what, "negative INTEGER");
  if (v.size() > 1 && v[0] == 0 && !(v[1] & 0x80)) return Malformed(what, "non-minimal INTEGER");
  uint64_t n = 0;
  for (uint8_t b : v) n = (n << 8) | b;
  if (n > max_value) return Malformed(what, "INTEGER out of range");
  return static_cast<uint32_t>(n);
}

Bytes EncodeUnsigned(uint32_t value) {
  Bytes out;
  AppendBigEndian(out, value, 4);
  size_t skip = 0;
  while (skip < 3 && out[skip] == 0 && !(out[skip + 1] & 0x80)) ++skip;
  out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(skip));
  return out;
}

Result<std::string> OidToString(ByteView content) {
  if (content.empty() || content.size() > 64) return Malformed("OID", "bad length");
  std::vector<uint64_t> arcs;
  uint64_t cur = 0;
  bool in_arc = false;
  for (uint8_t b : content) {
    if (!in_arc && b == 0x80) return Malformed("OID", "non-minimal arc");
    if (cur > (uint64_t{1} << 56)) return Malformed("OID", "arc too large");
    cur = (cur << 7) | (b & 0x7F);
    in_arc = (b & 0x80) != 0;
    if (!in_arc) {
      arcs.push_back(cur);
      cur = 0;
    }
  }
  if (in_arc) return Malformed("OID", "truncated arc");
  // X.690 §8.19.4: the first subidentifier packs the first two arcs.
  const uint64_t first = arcs[0] < 40 ? 0 : arcs[0] < 80 ? 1 : 2;
  std::string s = std::to_string(first) + "." + std::to_string(arcs[0] - first * 40);
  for (size_t i = 1; i < arcs.size(); ++i) s += "." + std::to_string(arcs[i]);
  return s;
}

Result<PeHeader> ParsePeHeader(const tlv::Tlv& t) {
  M2_ASSIGN_OR_RETURN(auto kids, ChildrenOf(t, "PEHeader"));
  SeqCursor c(kids);
  PeHeader h;
  if (const tlv::Tlv* m = c.Next(0x80)) {
    if (!m->value.empty()) return Malformed("PEHeader", "mandated NULL with content");
    h.mandated = true;
  }
  const tlv::Tlv* id = c.Next(0x81);
  if (id == nullptr) return Malformed("PEHeader", "identification missing");
  M2_ASSIGN_OR_RETURN(uint32_t n, ReadUnsigned(*id, 32767, "PEHeader.identification"));
  h.identification = static_cast<uint16_t>(n);
  return h;
}

}  // namespace m2mrsp::saip::internal
