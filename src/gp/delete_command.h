// DELETE (GP Card Specification v2.3 §11.2) of an ISD-P, as ES3/ES5.DeleteISDP and
// ES8/MasterDelete send it: `80 E4 00 P2 Lc 4F L <AID> [B6 ... 9E ...] 00`.
//
// P2: GP defines b8 = 1 "delete object and related objects" (`80`); both public SGP.02
// implementations send `40` (WHTY + Njiwa [C2], resolutions §3). The builder sends `40` by
// default; the parser accepts `00`, `40` and `80`. MasterDelete adds a `B6` control reference
// template and a `9E` delete token [C WHTY]; they are carried as opaque values here (the token
// is verified by the ISD-P, in src/scp). Value types and stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "base/aid.h"
#include "base/bytes.h"
#include "base/status.h"
#include "gp/apdu.h"

namespace m2mrsp::gp {

inline constexpr uint8_t kInsDelete = 0xE4;
inline constexpr uint8_t kDeleteP2ObjectOnly = 0x00;
inline constexpr uint8_t kDeleteP2Sgp02 = 0x40;           // what SGP.02 servers send [C2]
inline constexpr uint8_t kDeleteP2RelatedObjects = 0x80;  // GP v2.3 Table 11-23

struct DeleteRequest {
  Aid aid;
  uint8_t p2 = kDeleteP2Sgp02;
  std::optional<Bytes> control_reference;  // value of B6 (MasterDelete)
  std::optional<Bytes> token;              // value of 9E (MasterDelete)
  bool operator==(const DeleteRequest&) const = default;
};

// Short case 4 with Le `00`. Errors when P2 is not 00/40/80 or the data exceeds 255 bytes.
Result<CommandApdu> BuildDelete(const DeleteRequest& request);
// Data must be `4F` [`B6`] [`9E`] in that order, nothing else.
Result<DeleteRequest> ParseDelete(const CommandApdu& apdu);

}  // namespace m2mrsp::gp
