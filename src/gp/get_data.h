// GET DATA (GP Card Specification v2.3 §11.3, ISO/IEC 7816-4 §7.4.2) as SGP.02 uses it:
// `80 CA 00 5A 00` on the ECASD → `5A 10 <EID>` (SGP.02 §4.1.1.x, pySim), `80 CA FF 21 00` →
// extended card resources `FF21 { 81 #apps, 82 free NVM, 83 free RAM }` (GP v2.3.1 §11.3.3.1.2,
// ETSI TS 102 226; tags as in pySim `pySim/global_platform`), and `80 CA BF 30 Lc 5C <tag list> 00`
// for the eUICC capability audit (the tag-list content is open, resolutions §5 [?]). Also the `5C`
// tag-list codec shared with GET STATUS. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "base/bytes.h"
#include "base/eid.h"
#include "base/status.h"
#include "gp/apdu.h"
#include "tlv/ber.h"

namespace m2mrsp::gp {

inline constexpr uint8_t kInsGetData = 0xCA;
inline constexpr uint16_t kGetDataEid = 0x005A;
inline constexpr uint16_t kGetDataCardResources = 0xFF21;
inline constexpr uint16_t kGetDataEuiccCapabilities = 0xBF30;  // SGP.02 audit [C2 shape]
inline constexpr tlv::Tag kTagTagList = 0x5C;

// A `5C` value: concatenated tag encodings. At most 32 tags; each must be a valid 1..4-byte tag.
Bytes EncodeTagList(const std::vector<tlv::Tag>& tags);
Result<std::vector<tlv::Tag>> ParseTagList(ByteView value);

struct GetDataRequest {
  uint16_t p1p2 = 0;
  std::vector<tlv::Tag> tag_list;  // from a `5C` data field; empty = no data field
  bool operator==(const GetDataRequest&) const = default;
};

// `80 CA P1 P2 [Lc 5C L tags] 00`.
CommandApdu BuildGetData(const GetDataRequest& request);
// Accepts case 2 (no data) or case 4 with exactly one `5C` TLV.
Result<GetDataRequest> ParseGetData(const CommandApdu& apdu);

// `5A 10 <EID BCD>`.
Bytes EncodeEidResponse(const Eid& eid);
Result<Eid> ParseEidResponse(ByteView data);

struct CardResources {
  uint32_t installed_applications = 0;  // 81
  uint32_t free_non_volatile = 0;       // 82, bytes
  uint32_t free_volatile = 0;           // 83, bytes
  bool operator==(const CardResources&) const = default;
};
// Minimal big-endian integers (1..4 bytes) in each of 81/82/83.
Bytes EncodeCardResources(const CardResources& r);
// Each of 81/82/83 present once, 1..4 bytes; unknown tags inside FF21 are skipped.
Result<CardResources> ParseCardResources(ByteView data);

}  // namespace m2mrsp::gp
