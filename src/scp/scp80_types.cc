#include "scp/scp80_types.h"

#include <cstdio>
#include <iterator>

namespace m2mrsp::scp {

uint8_t Spi::first() const {
  return static_cast<uint8_t>((static_cast<unsigned>(counter) << 3) | (ciphering ? 0x04u : 0u) |
                              static_cast<unsigned>(integrity));
}

uint8_t Spi::second() const {
  return static_cast<uint8_t>(static_cast<unsigned>(por) |
                              (static_cast<unsigned>(por_integrity) << 2) |
                              (por_ciphered ? 0x10u : 0u) | (por_via_submit ? 0x20u : 0u));
}

// ETSI TS 102 225 §5.1.1: first octet b8-b6 and second octet b8-b7 are reserved (set to zero);
// PoR requirement `11` is reserved.
Result<Spi> Spi::Decode(uint8_t first, uint8_t second) {
  if ((first & 0xE0) != 0) return ParseError("SPI: reserved bits b8-b6 of the first octet set");
  if ((second & 0xC0) != 0) return ParseError("SPI: reserved bits b8-b7 of the second octet set");
  if ((second & 0x03) == 0x03) return ParseError("SPI: reserved PoR requirement value 3");
  Spi s;
  s.counter = static_cast<CounterPolicy>((first >> 3) & 0x03);
  s.ciphering = (first & 0x04) != 0;
  s.integrity = static_cast<Integrity>(first & 0x03);
  s.por = static_cast<PorRequest>(second & 0x03);
  s.por_integrity = static_cast<Integrity>((second >> 2) & 0x03);
  s.por_ciphered = (second & 0x10) != 0;
  s.por_via_submit = (second & 0x20) != 0;
  return s;
}

// TS 102 225 §5.1.2: b2b1 00 implicit, 01 DES, 10 AES, 11 proprietary; for DES b4b3 00 DES-CBC,
// 01 3DES 2 keys, 10 3DES 3 keys, 11 DES-ECB; for AES b4b3 00 = CBC, other values reserved.
Result<CipherAlgorithm> DecodeKic(uint8_t kic) {
  const uint8_t low = kic & 0x0F;
  switch (low) {
    case 0x01:
      return CipherAlgorithm::kDesCbc;
    case 0x05:
      return CipherAlgorithm::kTdes2Cbc;
    case 0x09:
      return CipherAlgorithm::kTdes3Cbc;
    case 0x0D:
      return CipherAlgorithm::kDesEcb;
    case 0x02:
      return CipherAlgorithm::kAesCbc;
    case 0x00:
      return ParseError("KIc: implicitly known algorithm is not supported");
    default:
      return ParseError("KIc: reserved or proprietary algorithm");
  }
}

// TS 102 225 §5.1.3.1 (CC: same DES codings as KIc; AES `x2` = CMAC) and §5.1.3.2 (RC: b2b1 01
// = CRC, b4b3 00 CRC16, 01 CRC32; 11 proprietary).
Result<IntegrityAlgorithm> DecodeKid(uint8_t kid, Integrity integrity) {
  const uint8_t low = kid & 0x0F;
  if (integrity == Integrity::kCc) {
    switch (low) {
      case 0x01:
        return IntegrityAlgorithm::kDesCbcMac;
      case 0x05:
        return IntegrityAlgorithm::kTdes2CbcMac;
      case 0x09:
        return IntegrityAlgorithm::kTdes3CbcMac;
      case 0x02:
        return IntegrityAlgorithm::kAesCmac;
      default:
        return ParseError("KID: unsupported cryptographic checksum algorithm");
    }
  }
  if (integrity == Integrity::kRc) {
    if (low == 0x01) return IntegrityAlgorithm::kCrc16;
    if (low == 0x05) return IntegrityAlgorithm::kCrc32;
    return ParseError("KID: unsupported redundancy check algorithm");
  }
  return ParseError("KID: no RC/CC algorithm for this SPI");
}

size_t CipherBlockSize(CipherAlgorithm algorithm) {
  return algorithm == CipherAlgorithm::kAesCbc ? 16 : 8;
}

size_t IntegrityLength(IntegrityAlgorithm algorithm) {
  switch (algorithm) {
    case IntegrityAlgorithm::kCrc16:
      return 2;
    case IntegrityAlgorithm::kCrc32:
      return 4;
    default:
      return 8;
  }
}

std::string PorStatusName(uint8_t status) {
  static constexpr const char* kNames[] = {
      "por_ok",
      "rc_cc_ds_failed",
      "cntr_low",
      "cntr_high",
      "cntr_blocked",
      "ciphering_error",
      "unidentified_security_error",
      "insufficient_memory",
      "more_time_needed",
      "tar_unknown",
      "insufficient_security_level",
      "actual_response_sms_submit",
      "actual_response_ussd",
  };
  if (status < std::size(kNames)) return kNames[status];
  char buf[16];
  std::snprintf(buf, sizeof buf, "reserved_%02x", status);
  return buf;
}

}  // namespace m2mrsp::scp
