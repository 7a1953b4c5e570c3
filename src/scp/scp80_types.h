// SCP80 header vocabulary (ETSI TS 102 225 §5.1.1-§5.1.3, §5.2; 3GPP TS 31.115 §4): the two SPI
// octets, the KIc/KID algorithm and key-set octets, and the PoR response status codes.
//
// Pure value types with strict decoders: reserved codings are errors, never silently mapped.
// Byte layouts with worked hex: docs/formats/scp80.md. Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"

namespace m2mrsp::scp {

// SPI first octet b5b4 (TS 102 225 §5.1.1).
enum class CounterPolicy : uint8_t {
  kNone = 0,       // no counter
  kNoCheck = 1,    // counter available, no replay or sequence checking
  kHigher = 2,     // process only if the counter is higher than the receiver's
  kOneHigher = 3,  // process only if the counter is exactly one higher
};

// SPI b2b1 of either octet: redundancy check, cryptographic checksum or digital signature.
enum class Integrity : uint8_t { kNone = 0, kRc = 1, kCc = 2, kDs = 3 };

// SPI second octet b2b1 (PoR requirement); value 3 is reserved.
enum class PorRequest : uint8_t { kNone = 0, kAlways = 1, kOnError = 2 };

struct Spi {
  // First octet.
  CounterPolicy counter = CounterPolicy::kNone;
  bool ciphering = false;
  Integrity integrity = Integrity::kNone;
  // Second octet.
  PorRequest por = PorRequest::kNone;
  Integrity por_integrity = Integrity::kNone;
  bool por_ciphered = false;
  bool por_via_submit = false;  // b6: PoR in SMS-SUBMIT (1) or SMS-DELIVER-REPORT (0)

  uint8_t first() const;
  uint8_t second() const;
  // Reserved bits (first b8-b6, second b8-b7) and the reserved PoR value `11` are refused.
  static Result<Spi> Decode(uint8_t first, uint8_t second);
  bool operator==(const Spi&) const = default;
};

// Ciphering algorithm of KIc (TS 102 225 §5.1.2): low nibble b2b1 family, b4b3 mode.
enum class CipherAlgorithm : uint8_t {
  kImplicit,  // `x0`: agreed beforehand; we refuse it (no out-of-band agreement exists)
  kDesCbc,    // `x1`
  kTdes2Cbc,  // `x5`: triple DES, outer-CBC, two keys
  kTdes3Cbc,  // `x9`: three keys
  kDesEcb,    // `xD`
  kAesCbc,    // `x2`
};

// Integrity algorithm of KID (TS 102 225 §5.1.3): CC (DES family / AES-CMAC) or RC (CRC).
enum class IntegrityAlgorithm : uint8_t {
  kDesCbcMac,    // CC `x1`
  kTdes2CbcMac,  // CC `x5`
  kTdes3CbcMac,  // CC `x9`
  kAesCmac,      // CC `x2`
  kCrc16,        // RC `x1`
  kCrc32,        // RC `x5`
};

// A decoded KIc or KID octet: high nibble = key set (key version), low nibble = algorithm.
struct KeyIdentifier {
  uint8_t raw = 0;
  uint8_t key_set() const { return static_cast<uint8_t>(raw >> 4); }
};

Result<CipherAlgorithm> DecodeKic(uint8_t kic);
// `integrity` says whether the KID is read as a CC (kCc) or RC (kRc) algorithm.
Result<IntegrityAlgorithm> DecodeKid(uint8_t kid, Integrity integrity);

// Block size used for ciphering padding: 8 (DES family) or 16 (AES).
size_t CipherBlockSize(CipherAlgorithm algorithm);
// RC/CC length we produce: CRC16 2, CRC32 4, DES CC 8, AES-CMAC 8 (TS 102 225 §5.1.3.1, the
// AES CC is the first 8 octets of the CMAC).
size_t IntegrityLength(IntegrityAlgorithm algorithm);

// Response status code (TS 102 225 §5.2.2 Table 5.5 / GSM 03.48 Table 5).
enum class PorStatus : uint8_t {
  kOk = 0x00,
  kIntegrityFailed = 0x01,  // RC/CC/DS failed
  kCounterLow = 0x02,
  kCounterHigh = 0x03,
  kCounterBlocked = 0x04,
  kCipheringError = 0x05,
  kUnidentifiedSecurityError = 0x06,
  kInsufficientMemory = 0x07,
  kMoreTime = 0x08,
  kTarUnknown = 0x09,
  kInsufficientSecurityLevel = 0x0A,
  kResponseInSmsSubmit = 0x0B,
  kResponseInUssd = 0x0C,
};

// "por_ok", "counter_low", ...; "reserved_XX" for other values.
std::string PorStatusName(uint8_t status);

}  // namespace m2mrsp::scp
