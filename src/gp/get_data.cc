#include "gp/get_data.h"

#include "gp/install.h"

namespace m2mrsp::gp {
namespace {

constexpr size_t kMaxTags = 32;

Bytes MinimalBigEndian(uint32_t v) {
  size_t width = 1;
  while (width < 4 && (v >> (8 * width)) != 0) ++width;
  Bytes out;
  AppendBigEndian(out, v, width);
  return out;
}

}  // namespace

Bytes EncodeTagList(const std::vector<tlv::Tag>& tags) {
  Bytes out;
  for (tlv::Tag t : tags) tlv::AppendTag(out, t);
  return out;
}

Result<std::vector<tlv::Tag>> ParseTagList(ByteView value) {
  std::vector<tlv::Tag> tags;
  size_t pos = 0;
  while (pos < value.size()) {
    if (tags.size() == kMaxTags) return LimitExceeded("tag list longer than 32 tags");
    // ISO/IEC 7816-4 §5.2.2.1: low five bits all ones → more tag bytes follow while b8 is set.
    tlv::Tag tag = value[pos++];
    if ((tag & 0x1F) == 0x1F) {
      do {
        if (pos == value.size() || tlv::TagSize(tag) == 4) return ParseError("bad tag in tag list");
        tag = (tag << 8) | value[pos];
      } while (value[pos++] & 0x80);
    }
    if (!tlv::IsValidTag(tag)) return ParseError("bad tag in tag list");
    tags.push_back(tag);
  }
  return tags;
}

CommandApdu BuildGetData(const GetDataRequest& request) {
  CommandApdu apdu = MakeCommand(0x80, kInsGetData, static_cast<uint8_t>(request.p1p2 >> 8),
                                 static_cast<uint8_t>(request.p1p2 & 0xFF));
  if (!request.tag_list.empty()) {
    apdu.data = tlv::Encode(kTagTagList, AsView(EncodeTagList(request.tag_list)));
  }
  apdu.ne = kMaxShortNe;
  return apdu;
}

Result<GetDataRequest> ParseGetData(const CommandApdu& apdu) {
  if (!IsGpClass(apdu.cla) || apdu.ins != kInsGetData) return ParseError("not a GET DATA command");
  GetDataRequest req;
  req.p1p2 = apdu.p1p2();
  if (apdu.data.empty()) return req;
  tlv::Limits limits;
  limits.max_size = 255;
  auto t = tlv::ParseOne(AsView(apdu.data), limits);
  if (!t.ok()) return t.status().WithContext("GET DATA data field");
  if (t->tag != kTagTagList) return ParseError("GET DATA: data field is not a `5C` tag list");
  M2_ASSIGN_OR_RETURN(req.tag_list, ParseTagList(t->value));
  if (req.tag_list.empty()) return ParseError("GET DATA: empty tag list");
  return req;
}

Bytes EncodeEidResponse(const Eid& eid) { return tlv::Encode(0x5A, AsView(eid.ToBcd())); }

Result<Eid> ParseEidResponse(ByteView data) {
  auto t = tlv::ParseOne(data);
  if (!t.ok()) return t.status().WithContext("EID response");
  if (t->tag != 0x5A) return ParseError("EID response: expected tag 5A");
  auto eid = Eid::FromBcd(t->value);
  if (!eid.ok()) return ParseError("EID response: " + eid.status().message());
  return eid;
}

Bytes EncodeCardResources(const CardResources& r) {
  tlv::Builder b;
  b.Open(0xFF21)
      .Add(0x81, AsView(MinimalBigEndian(r.installed_applications)))
      .Add(0x82, AsView(MinimalBigEndian(r.free_non_volatile)))
      .Add(0x83, AsView(MinimalBigEndian(r.free_volatile)))
      .Close();
  return std::move(b).Finish();
}

Result<CardResources> ParseCardResources(ByteView data) {
  tlv::Limits limits;
  limits.max_size = 1024;
  limits.max_elements = 32;
  auto outer = tlv::ParseOne(data, limits);
  if (!outer.ok()) return outer.status().WithContext("card resources");
  if (outer->tag != 0xFF21) return ParseError("card resources: expected tag FF21");
  auto children = tlv::Children(*outer, limits);
  if (!children.ok()) return children.status().WithContext("card resources");
  CardResources r;
  uint32_t* fields[3] = {&r.installed_applications, &r.free_non_volatile, &r.free_volatile};
  bool seen[3] = {false, false, false};
  for (const tlv::Tlv& t : *children) {
    if (t.tag < 0x81 || t.tag > 0x83) continue;
    const size_t i = t.tag - 0x81;
    if (seen[i]) return ParseError("card resources: repeated tag");
    if (t.value.empty() || t.value.size() > 4) return ParseError("card resources: bad integer");
    uint32_t v = 0;
    for (uint8_t byte : t.value) v = (v << 8) | byte;
    *fields[i] = v;
    seen[i] = true;
  }
  if (!seen[0] || !seen[1] || !seen[2]) return ParseError("card resources: 81/82/83 missing");
  return r;
}

}  // namespace m2mrsp::gp
