#include "gp/get_status.h"

#include "gp/get_data.h"
#include "gp/install.h"
#include "gp/status_word.h"

namespace m2mrsp::gp {
namespace {

constexpr tlv::Tag kTagEntry = 0xE3;
constexpr tlv::Tag kTagAid = 0x4F;
constexpr tlv::Tag kTagLifeCycle = 0x9F70;
constexpr tlv::Tag kTagPrivileges = 0xC5;
constexpr tlv::Tag kTagLoadFile = 0xC4;
constexpr tlv::Tag kTagSecurityDomain = 0xCC;
constexpr tlv::Tag kTagSgpAttributes = 0x53;

bool IsSubset(uint8_t p1) {
  return p1 == kGetStatusIsd || p1 == kGetStatusApplications || p1 == kGetStatusLoadFiles ||
         p1 == kGetStatusLoadFilesAndModules;
}

Status SetOnce(std::optional<Bytes>& field, ByteView value) {
  if (field) return ParseError("GET STATUS entry: repeated tag");
  field = Bytes(value.begin(), value.end());
  return Status::Ok();
}

}  // namespace

Result<CommandApdu> BuildGetStatus(const GetStatusRequest& request) {
  if (request.aid_filter.size() > 16) return InvalidArgument("GET STATUS: AID filter too long");
  CommandApdu apdu = MakeCommand(0x80, kInsGetStatus, request.subset,
                                 request.next ? kGetStatusNext : kGetStatusFirst);
  tlv::AppendTlv(apdu.data, kTagAid, AsView(request.aid_filter));
  if (!request.tag_list.empty()) {
    tlv::AppendTlv(apdu.data, kTagTagList, AsView(EncodeTagList(request.tag_list)));
  }
  apdu.ne = kMaxShortNe;
  return apdu;
}

Result<GetStatusRequest> ParseGetStatus(const CommandApdu& apdu) {
  if (!IsGpClass(apdu.cla) || apdu.ins != kInsGetStatus) {
    return ParseError("not a GET STATUS command");
  }
  if (!IsSubset(apdu.p1)) return ParseError("GET STATUS: unknown P1");
  if (apdu.p2 != kGetStatusFirst && apdu.p2 != kGetStatusNext) {
    return ParseError("GET STATUS: only the TLV response format (P2 02/03) is supported");
  }
  tlv::Limits limits;
  limits.max_size = 255;
  limits.max_elements = 4;
  auto seq = tlv::ParseSequence(AsView(apdu.data), limits);
  if (!seq.ok()) return seq.status().WithContext("GET STATUS data field");
  if (seq->empty() || seq->size() > 2 || (*seq)[0].tag != kTagAid) {
    return ParseError("GET STATUS: data must be `4F` optionally followed by `5C`");
  }
  GetStatusRequest req;
  req.subset = apdu.p1;
  req.next = apdu.p2 == kGetStatusNext;
  const ByteView aid = (*seq)[0].value;
  if (aid.size() > 16) return ParseError("GET STATUS: AID filter longer than 16 bytes");
  req.aid_filter.assign(aid.begin(), aid.end());
  if (seq->size() == 2) {
    if ((*seq)[1].tag != kTagTagList) return ParseError("GET STATUS: unexpected tag after 4F");
    M2_ASSIGN_OR_RETURN(req.tag_list, ParseTagList((*seq)[1].value));
    if (req.tag_list.empty()) return ParseError("GET STATUS: empty tag list");
  }
  return req;
}

Bytes EncodeRegistryEntry(const RegistryEntry& e) {
  tlv::Builder b;
  b.Open(kTagEntry).Add(kTagAid, AsView(e.aid));
  if (e.life_cycle) b.Add(kTagLifeCycle, {*e.life_cycle});
  if (e.privileges) b.Add(kTagPrivileges, AsView(*e.privileges));
  if (e.load_file_aid) b.Add(kTagLoadFile, AsView(*e.load_file_aid));
  if (e.security_domain_aid) b.Add(kTagSecurityDomain, AsView(*e.security_domain_aid));
  if (e.sgp_attributes) b.Add(kTagSgpAttributes, AsView(*e.sgp_attributes));
  for (const auto& [tag, value] : e.other) b.Add(tag, AsView(value));
  b.Close();
  return std::move(b).Finish();
}

Result<std::vector<RegistryEntry>> ParseGetStatusResponse(ByteView data, size_t max_entries) {
  tlv::Limits limits;
  limits.max_size = 64 * 1024;
  limits.max_elements = max_entries;
  auto seq = tlv::ParseSequence(data, limits);
  if (!seq.ok()) return seq.status().WithContext("GET STATUS response");
  std::vector<RegistryEntry> out;
  out.reserve(seq->size());
  tlv::Limits inner;
  inner.max_elements = 64;
  for (const tlv::Tlv& t : *seq) {
    if (t.tag != kTagEntry) return ParseError("GET STATUS response: expected E3 entries");
    auto children = tlv::Children(t, inner);
    if (!children.ok()) return children.status().WithContext("GET STATUS entry");
    RegistryEntry e;
    bool have_aid = false;
    for (const tlv::Tlv& c : *children) {
      switch (c.tag) {
        case kTagAid:
          if (have_aid) return ParseError("GET STATUS entry: repeated 4F");
          if (c.value.size() < 5 || c.value.size() > 16) {
            return ParseError("GET STATUS entry: AID must be 5..16 bytes");
          }
          e.aid.assign(c.value.begin(), c.value.end());
          have_aid = true;
          break;
        case kTagLifeCycle:
          if (e.life_cycle || c.value.size() != 1) {
            return ParseError("GET STATUS entry: bad or repeated 9F70");
          }
          e.life_cycle = c.value[0];
          break;
        case kTagPrivileges:
          if (c.value.size() != 1 && c.value.size() != 3) {
            return ParseError("GET STATUS entry: privileges must be 1 or 3 bytes");
          }
          M2_RETURN_IF_ERROR(SetOnce(e.privileges, c.value));
          break;
        case kTagLoadFile:
          M2_RETURN_IF_ERROR(SetOnce(e.load_file_aid, c.value));
          break;
        case kTagSecurityDomain:
          M2_RETURN_IF_ERROR(SetOnce(e.security_domain_aid, c.value));
          break;
        case kTagSgpAttributes:
          M2_RETURN_IF_ERROR(SetOnce(e.sgp_attributes, c.value));
          break;
        default:
          e.other.emplace_back(c.tag, Bytes(c.value.begin(), c.value.end()));
      }
    }
    if (!have_aid) return ParseError("GET STATUS entry without 4F");
    out.push_back(std::move(e));
  }
  return out;
}

uint16_t GetStatusPage::sw() const { return more ? kSwMoreData : kSwOk; }

Result<GetStatusPage> MakeGetStatusPage(const std::vector<RegistryEntry>& entries, size_t start,
                                        size_t max_bytes) {
  if (start > entries.size()) return InvalidArgument("GET STATUS page start past the end");
  GetStatusPage page;
  page.next = start;
  while (page.next < entries.size()) {
    const Bytes enc = EncodeRegistryEntry(entries[page.next]);
    if (page.data.size() + enc.size() > max_bytes) {
      if (page.next == start) return LimitExceeded("GET STATUS entry larger than a page");
      page.more = true;
      break;
    }
    Append(page.data, AsView(enc));
    ++page.next;
  }
  return page;
}

}  // namespace m2mrsp::gp
