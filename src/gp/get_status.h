// GET STATUS (GP Card Specification v2.3 §11.4) with the TLV response format (P2 b2 = 1):
// the request builder and parser, the `E3` registry-entry response parser (server side) and
// encoder with paging over `6310` "more data" (card side).
//
// SGP.02 audit use [C WHTY + Njiwa, resolutions §5]: `80 F2 40 02 Lc 4F 10 <ISD-P AID>
// [5C 03 4F 9F70] 00` → `E3 { 4F <AID> 9F70 <LCS> ... }`; `4F 00` selects every entry.
// Value types and stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "gp/apdu.h"
#include "tlv/ber.h"

namespace m2mrsp::gp {

inline constexpr uint8_t kInsGetStatus = 0xF2;
// P1 subsets (GP v2.3 Table 11-33).
inline constexpr uint8_t kGetStatusIsd = 0x80;
inline constexpr uint8_t kGetStatusApplications = 0x40;  // applications and SDs (ISD-Ps)
inline constexpr uint8_t kGetStatusLoadFiles = 0x20;
inline constexpr uint8_t kGetStatusLoadFilesAndModules = 0x10;
// P2 (GP v2.3 Table 11-34): b2 = TLV response format, b1 = next occurrence.
inline constexpr uint8_t kGetStatusFirst = 0x02;
inline constexpr uint8_t kGetStatusNext = 0x03;

// Life-cycle states of an ISD-P in `9F70` (SGP.02 §2.2.1.2 [C2], security digest §1.5).
inline constexpr uint8_t kLifeCycleSelectable = 0x07;
inline constexpr uint8_t kLifeCyclePersonalized = 0x0F;
inline constexpr uint8_t kLifeCycleDisabled = 0x1F;
inline constexpr uint8_t kLifeCycleEnabled = 0x3F;

struct GetStatusRequest {
  uint8_t subset = kGetStatusApplications;
  bool next = false;
  Bytes aid_filter;                // value of `4F`; empty = all entries
  std::vector<tlv::Tag> tag_list;  // `5C`; empty = no list (the card's default tags)
  bool operator==(const GetStatusRequest&) const = default;
};

// `80 F2 P1 P2 Lc 4F L <aid> [5C L tags] 00`. Errors when the filter is over 16 bytes.
Result<CommandApdu> BuildGetStatus(const GetStatusRequest& request);
// Refuses P1 outside the four subsets, the legacy (non-TLV) response formats and data that is
// not `4F` optionally followed by `5C`.
Result<GetStatusRequest> ParseGetStatus(const CommandApdu& apdu);

// One `E3` registry entry (GP v2.3 Table 11-36). `53` carries the SGP.02 ISD-P attributes
// (b1 = fall-back) [C Njiwa]. Tags the model does not name are kept in `other`, in order.
struct RegistryEntry {
  Bytes aid;                                 // 4F (mandatory)
  std::optional<uint8_t> life_cycle;         // 9F70
  std::optional<Bytes> privileges;           // C5, 1 or 3 bytes
  std::optional<Bytes> load_file_aid;        // C4
  std::optional<Bytes> security_domain_aid;  // CC (associated SD)
  std::optional<Bytes> sgp_attributes;       // 53
  std::vector<std::pair<tlv::Tag, Bytes>> other;
  bool operator==(const RegistryEntry&) const = default;
};

// E3 { 4F, 9F70, C5, C4, CC, 53, other... } in that order.
Bytes EncodeRegistryEntry(const RegistryEntry& entry);
// A response data field: zero or more `E3` entries and nothing else.
Result<std::vector<RegistryEntry>> ParseGetStatusResponse(ByteView data, size_t max_entries = 256);

// Card side: the next page of a response. Takes whole entries from `entries[start..]` while the
// encoding stays within `max_bytes` (256 for short APDUs); `more` says whether SW 6310 must be
// sent. An entry that alone exceeds max_bytes is an error (kLimitExceeded).
struct GetStatusPage {
  Bytes data;
  size_t next = 0;  // index of the first entry not sent
  bool more = false;
  uint16_t sw() const;
};
Result<GetStatusPage> MakeGetStatusPage(const std::vector<RegistryEntry>& entries, size_t start,
                                        size_t max_bytes = kMaxShortNe);

}  // namespace m2mrsp::gp
