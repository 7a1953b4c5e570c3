// Status words (SW1 SW2) that the GlobalPlatform commands of SGP.02 produce or expect, with their
// names. Sources: ISO/IEC 7816-4 §5.1.3 (generic), GP Card Specification v2.3 §11.1.3 and the
// per-command tables of chapter 11, SGP.02 §4.1 (the card errors of ES5/ES8 functions, as
// catalogued in shared/spec/sgp02-resolutions.md §3–§5: `69E1` POL1 refusal). Constants and
// stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace m2mrsp::gp {

inline constexpr uint16_t kSwOk = 0x9000;
// GP v2.3 §11.4.2 (GET STATUS): more data available, repeat with P2 "next occurrence".
inline constexpr uint16_t kSwMoreData = 0x6310;
// ISO/IEC 7816-4: 61xx = xx more bytes available (GET RESPONSE), 6Cxx = wrong Le, xx exact.
inline constexpr uint8_t kSw1BytesAvailable = 0x61;
inline constexpr uint8_t kSw1WrongLeExact = 0x6C;
// TS 102 226 §5.2.1.1 (pySim): response data truncated; ends the script.
inline constexpr uint16_t kSwResponseTruncated = 0x62F1;
inline constexpr uint16_t kSwMemoryFailure = 0x6581;
inline constexpr uint16_t kSwWrongLength = 0x6700;
inline constexpr uint16_t kSwLogicalChannelNotSupported = 0x6881;
inline constexpr uint16_t kSwSecureMessagingNotSupported = 0x6882;
inline constexpr uint16_t kSwSecurityStatusNotSatisfied = 0x6982;
inline constexpr uint16_t kSwAuthenticationMethodBlocked = 0x6983;
inline constexpr uint16_t kSwConditionsOfUseNotSatisfied = 0x6985;
// SGP.02 §4.1 (ISD-R commands): "POL1 of the Profile prevents this action" [C2 WHTY + Njiwa].
inline constexpr uint16_t kSwPol1Refused = 0x69E1;
inline constexpr uint16_t kSwIncorrectData = 0x6A80;
inline constexpr uint16_t kSwFunctionNotSupported = 0x6A81;
inline constexpr uint16_t kSwFileOrAppNotFound = 0x6A82;
inline constexpr uint16_t kSwRecordNotFound = 0x6A83;
inline constexpr uint16_t kSwNotEnoughMemory = 0x6A84;
inline constexpr uint16_t kSwIncorrectP1P2 = 0x6A86;
inline constexpr uint16_t kSwReferencedDataNotFound = 0x6A88;
inline constexpr uint16_t kSwWrongP1P2 = 0x6B00;
inline constexpr uint16_t kSwInsNotSupported = 0x6D00;
inline constexpr uint16_t kSwClaNotSupported = 0x6E00;
inline constexpr uint16_t kSwNoPreciseDiagnosis = 0x6F00;

inline constexpr uint8_t Sw1(uint16_t sw) { return static_cast<uint8_t>(sw >> 8); }
inline constexpr uint8_t Sw2(uint16_t sw) { return static_cast<uint8_t>(sw & 0xFF); }

// Normal processing (9000, 61xx) or a warning (62xx, 63xx): the command was executed.
bool IsSuccessOrWarning(uint16_t sw);

// A short English name ("more data available", "6Cxx: wrong Le, 2 bytes available"); unknown
// words give "unknown status word". Never empty.
std::string StatusWordName(uint16_t sw);

}  // namespace m2mrsp::gp
