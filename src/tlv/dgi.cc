#include "tlv/dgi.h"

namespace m2mrsp::tlv {
namespace {

Status Malformed(std::string what, size_t offset) {
  return ParseError("DGI: " + what + " at offset " + std::to_string(offset));
}

}  // namespace

Result<Dgi> ReadDgi(ByteReader& r, const DgiLimits& limits) {
  const size_t start = r.position();
  auto tag = r.ReadU16();
  if (!tag.ok()) return Malformed("truncated tag", start);
  auto first = r.ReadU8();
  if (!first.ok()) return Malformed("missing length", start);
  size_t len = *first;
  if (*first == 0xFF) {
    auto ext = r.ReadU16();
    if (!ext.ok()) return Malformed("truncated three-byte length", start);
    len = *ext;
    if (limits.require_minimal_length && len < 0xFF) {
      return Malformed("three-byte length for a value under 255 bytes", start);
    }
  }
  if (len > r.remaining()) {
    return Malformed("value truncated (" + std::to_string(len) + " bytes declared, " +
                         std::to_string(r.remaining()) + " present)",
                     start);
  }
  const size_t header = r.position() - start;
  Dgi d;
  d.tag = *tag;
  d.value = *r.ReadView(len);
  d.raw = ByteView(d.value.data() - header, header + len);
  return d;
}

Result<Dgi> ParseOneDgi(ByteView data, const DgiLimits& limits) {
  if (data.size() > limits.max_size) return LimitExceeded("DGI: input over the size limit");
  ByteReader r(data);
  M2_ASSIGN_OR_RETURN(Dgi d, ReadDgi(r, limits));
  if (!r.empty()) {
    return Malformed(std::to_string(r.remaining()) + " trailing bytes after the DGI", r.position());
  }
  return d;
}

Result<std::vector<Dgi>> ParseDgis(ByteView data, const DgiLimits& limits) {
  if (data.size() > limits.max_size) return LimitExceeded("DGI: input over the size limit");
  std::vector<Dgi> out;
  ByteReader r(data);
  while (!r.empty()) {
    if (out.size() >= limits.max_count) {
      return LimitExceeded("DGI: more than " + std::to_string(limits.max_count) + " DGIs");
    }
    M2_ASSIGN_OR_RETURN(Dgi d, ReadDgi(r, limits));
    out.push_back(d);
  }
  return out;
}

const Dgi* FindDgi(const std::vector<Dgi>& seq, uint16_t tag) {
  for (const Dgi& d : seq) {
    if (d.tag == tag) return &d;
  }
  return nullptr;
}

Status AppendDgi(Bytes& out, uint16_t tag, ByteView value) {
  if (value.size() > kMaxDgiValue) {
    return InvalidArgument("DGI value of " + std::to_string(value.size()) + " bytes exceeds 65535");
  }
  AppendBigEndian(out, tag, 2);
  if (value.size() < 0xFF) {
    out.push_back(static_cast<uint8_t>(value.size()));
  } else {
    out.push_back(0xFF);
    AppendBigEndian(out, value.size(), 2);
  }
  Append(out, value);
  return Status::Ok();
}

Result<Bytes> EncodeDgi(uint16_t tag, ByteView value) {
  Bytes out;
  out.reserve(value.size() + 5);
  M2_RETURN_IF_ERROR(AppendDgi(out, tag, value));
  return out;
}

}  // namespace m2mrsp::tlv
