// INSTALL command (GP Card Specification v2.3 §11.5) in the two forms SGP.02 uses:
// [for install and make selectable] (`80 E6 0C 00`, ES3/ES5.CreateISDP, SGP.02 §4.1.1.1) and
// [for personalization] (`80 E6 20 00`, GP §11.5.2.3). Builders for the servers, strict parsers
// for the card simulator; the parser accepts exactly what the builder produces plus the GP
// variants listed in docs/formats/gp.md (P1 `04`, 1-byte privileges, a token).
// Value types and stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "base/aid.h"
#include "base/bytes.h"
#include "base/status.h"
#include "gp/apdu.h"

namespace m2mrsp::gp {

inline constexpr uint8_t kInsInstall = 0xE6;
inline constexpr uint8_t kInstallP1ForInstall = 0x04;
inline constexpr uint8_t kInstallP1MakeSelectable = 0x08;
inline constexpr uint8_t kInstallP1ForInstallAndMakeSelectable = 0x0C;
inline constexpr uint8_t kInstallP1ForPersonalization = 0x20;

// Install parameters field (GP v2.3 Table 11-49): `C9` application-specific parameters
// (mandatory, may be empty) and, optionally, `EF` system-specific parameters. The only `EF`
// content supported is the SGP.02 reserved-memory quota `83` [C Njiwa citing SGP.02 v4.2
// Table 10; WHTY never sends it]; other `EF` content is refused by the parser.
struct InstallParameters {
  Bytes application_specific;               // value of C9
  std::optional<uint32_t> reserved_memory;  // EF { 83 <quota> }, quota in bytes

  bool operator==(const InstallParameters&) const = default;
};

struct InstallForInstall {
  Aid elf_aid;
  Aid module_aid;
  Aid instance_aid;
  Bytes privileges;  // 1 or 3 bytes (GP v2.3 §11.1.2)
  InstallParameters parameters;
  Bytes token;                  // empty: no delegated-management token
  bool make_selectable = true;  // P1 0C; false = P1 04

  bool operator==(const InstallForInstall&) const = default;
};

// SGP.02 CreateISDP defaults [C2 WHTY + Njiwa, shared/spec/sgp02-resolutions.md §3]:
// ELF/EM = the ISD-P ELF and module AIDs; privileges `80 C0 00` (Security Domain, Trusted
// Path, Authorized Management); C9 = `81 02 03 70` (SCP03, i = 70); empty token.
InstallForInstall CreateIsdpInstall(const Aid& isdp_aid,
                                    std::optional<uint32_t> reserved_memory = std::nullopt);

Result<Bytes> EncodeInstallParameters(const InstallParameters& p);
Result<InstallParameters> ParseInstallParameters(ByteView field);

// Short case 4 APDU with Le `00` (the card answers a single `00` byte, GP §11.5.3).
Result<CommandApdu> BuildInstallForInstall(const InstallForInstall& install);
Result<InstallForInstall> ParseInstallForInstall(const CommandApdu& apdu);

// `80 E6 20 00 Lc 00 00 <len> <AID> 00 00 00 00`.
CommandApdu BuildInstallForPersonalization(const Aid& application);
Result<Aid> ParseInstallForPersonalization(const CommandApdu& apdu);

// CLA of a GP command (GP v2.3 §11.1.4): `80`..`87` (basic and channels 1-3, with or without
// secure messaging) or `C0`..`EF` (further logical channels).
bool IsGpClass(uint8_t cla);

}  // namespace m2mrsp::gp
