// SCP80 secured packets in the SMS flavour (ETSI TS 102 225 §5.1/§5.2 with 3GPP TS 31.115 §4-§6):
// the command packet (off-card wraps, on-card opens and verifies) and the response packet / PoR
// (on-card wraps, off-card opens and verifies).
//
//   command:  CPL(2) CHL(1) SPI(2) KIc KID TAR(3) | CNTR(5) PCNTR RC/CC/DS data padding
//   response: RPL(2) RHL(1) TAR(3) | CNTR(5) PCNTR status RC/CC/DS data padding
// The part after `|` is ciphered when the SPI asks for it (CBC, zero IV). The command packet
// identifier (UDH IEI 70) is not part of the command's RC/CC/DS; the response packet identifier
// `02 71 00` is part of the response's (pySim real-card PoRs; docs/formats/scp80.md).
//
// Keys are borrowed views of SecretBytes and never copied out. Functions are stateless and
// thread-safe. Counter checks and PoR policy live in scp80_card.h.
#pragma once

#include <optional>

#include "base/aid.h"
#include "base/bytes.h"
#include "base/status.h"
#include "scp/scp80_types.h"

namespace m2mrsp::scp {

inline constexpr uint64_t kMaxCounter = 0xFFFFFFFFFFull;  // CNTR is 5 octets
inline constexpr size_t kCommandHeaderFixed = 13;         // SPI..PCNTR, CHL without RC/CC/DS
inline constexpr size_t kResponseHeaderFixed = 10;        // TAR..status, RHL without RC/CC/DS

// KIc and KID key values (views of SecretBytes). An empty view where the SPI needs no key.
struct Scp80Keys {
  ByteView kic;
  ByteView kid;
};

struct CommandHeader {
  Spi spi;
  uint8_t kic = 0;
  uint8_t kid = 0;
  Tar tar = Tar::FromValue(0);
  uint64_t counter = 0;  // REQUIRES: <= kMaxCounter
};

// Builds the secured command packet (from CPL on; the UDH is the SMS layer's business).
// Digital signatures (SPI `11`) are refused.
Result<Bytes> WrapCommand(const CommandHeader& header, const Scp80Keys& keys, ByteView data);

// The clear part of a command packet, read without keys: enough to find the TAR's key set.
struct CommandPreview {
  Spi spi;
  uint8_t kic = 0;
  uint8_t kid = 0;
  Tar tar = Tar::FromValue(0);
  size_t checksum_length = 0;  // CHL - 13
};
Result<CommandPreview> PreviewCommand(ByteView packet);

struct OpenedCommand {
  CommandHeader header;
  uint8_t pcntr = 0;
  Bytes checksum;  // the RC/CC/DS as received (already verified)
  Bytes data;      // deciphered secured data, padding removed
};

// Outcome of OpenCommand: the command, or the PoR status the failure maps to plus the error.
struct CommandOpenResult {
  std::optional<OpenedCommand> command;
  PorStatus status = PorStatus::kOk;
  Status error;
  // Only when the RC/CC check failed: what the packet claims, for diagnostics (the `ota unwrap`
  // tool shows it). Unauthenticated: never act on it.
  std::optional<OpenedCommand> unverified;
};

// Parses, deciphers and verifies a command packet. Structural errors in the clear header give
// kUnidentifiedSecurityError, deciphering problems kCipheringError, a wrong RC/CC
// kIntegrityFailed (TS 102 225 §5.2.2 Table 5.5). Counters are not checked here.
CommandOpenResult OpenCommand(ByteView packet, const Scp80Keys& keys);

// Security of a PoR, derived from the command's SPI second octet and its KIc/KID.
struct PorSecurity {
  bool ciphered = false;
  Integrity integrity = Integrity::kNone;
  uint8_t kic = 0;
  uint8_t kid = 0;
  static PorSecurity ForCommand(const Spi& spi, uint8_t kic, uint8_t kid) {
    return {spi.por_ciphered, spi.por_integrity, kic, kid};
  }
  static PorSecurity None() { return {}; }
};

struct ResponseHeader {
  Tar tar = Tar::FromValue(0);
  uint64_t counter = 0;
  uint8_t status = 0;
};

// Builds RPL..end. The RC/CC covers `02 71 00` ‖ RPL ‖ … ‖ data ‖ padding (TS 31.115 §6).
Result<Bytes> WrapResponse(const ResponseHeader& header, const PorSecurity& security,
                           const Scp80Keys& keys, ByteView data);

struct OpenedResponse {
  ResponseHeader header;
  uint8_t pcntr = 0;
  Bytes checksum;
  Bytes data;  // padding removed
  // False when the PoR came without the RC/CC the command asked for (an error PoR the card sent
  // unsecured, see scp80_card.h); its contents are then unauthenticated.
  bool secured = true;
};

// Opens a response packet (RPL..end, without the UDH) with the security the command requested.
// A PoR with RHL = 10 where RC/CC was expected is accepted only with a non-zero status and comes
// back with secured = false; a PoR OK must carry the requested security.
Result<OpenedResponse> OpenResponse(ByteView packet, const PorSecurity& expected,
                                    const Scp80Keys& keys);

// ISO/IEC 13239 CRCs as TS 102 225 §5.1.3.2 uses them (big-endian on the wire).
uint16_t Crc16(ByteView data);
uint32_t Crc32(ByteView data);

}  // namespace m2mrsp::scp
