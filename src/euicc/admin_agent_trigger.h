// The Administration Session Triggering Parameters of GlobalPlatform Amendment B (Table 3-3,
// §3.8), as the ISD-R receives them in the secured data of an SCP80 push SMS (SGP.02 §2.4.4,
// resolutions §6: the bare `81` TLV, no STORE DATA wrapper [C2]):
//
//   81 L                             triggering parameters (`81 00`: use the configured defaults)
//     83 L                           security-domain admin session parameters
//       84 L  connection parameters  (TS 102 223 OPEN CHANNEL TLVs: 35, 39, 47, 3C, 3E)
//       85 L  security parameters    len ‖ PSK identity ‖ 02 ‖ KVN ‖ KID [‖ SHA type]
//       A5 L  extended security parameters (kept opaque)
//       86 L  retry policy           retry counter(2) ‖ A5 03 hh mm ss ‖ [87 00]
//       89 L  HTTP POST parameters   8A admin host | 8B agent id | 8C admin URI (UTF-8)
//     B3 L                           DNS resolution parameters: D6 RAS FQDN | FA connection
//
// Layouts from pySim `pySim/global_platform/http.py` (with its de/encode samples) and the
// digests; byte details and confidence in docs/formats/euicc-frontends.md. Value type and a
// stateless, bounded parser; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "base/bytes.h"
#include "base/status.h"

namespace m2mrsp::euicc {

inline constexpr size_t kMaxTriggerSize = 512;  // fits one concatenated SMS set comfortably
inline constexpr size_t kMaxTriggerText = 255;  // host, agent id, URI, FQDN

// GP Amd B §3.8.3.
struct RetryPolicy {
  uint16_t retry_counter = 0;     // retries after the first failed attempt
  std::chrono::seconds delay{0};  // waiting delay between attempts
  bool report_failure = false;    // `87` present: report when the retries are exhausted
};

struct AdminSessionTrigger {
  bool defaults_only = false;  // `81 00`
  // 84: TS 102 223 §8.59 transport level `3C` (protocol type, port) and §8.58 other address
  // `3E` (type `21` IPv4 / `57` IPv6, then the address). Other OPEN CHANNEL TLVs are ignored.
  std::optional<uint8_t> transport_protocol;
  std::optional<uint16_t> port;
  Bytes destination_address;  // 3E value as received (type ‖ address); empty when absent
  // 85: GP Amd B §3.8.2.
  std::optional<Bytes> psk_identity;
  std::optional<uint8_t> kvn;
  std::optional<uint8_t> kid;
  std::optional<RetryPolicy> retry;     // 86
  std::optional<std::string> host;      // 8A
  std::optional<std::string> agent_id;  // 8B
  std::optional<std::string> uri;       // 8C (absolute `https://host/path` or a path)
  std::optional<std::string> ras_fqdn;  // B3 / D6
};

// Strict about structure (exactly one `81` TLV, lengths, value sizes, printable text), lenient
// about unknown nested tags (ignored, for forward compatibility) [M].
Result<AdminSessionTrigger> ParseAdminSessionTrigger(ByteView data);

}  // namespace m2mrsp::euicc
