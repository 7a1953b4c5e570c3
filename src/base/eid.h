// Eid: the 32-digit eUICC identifier (SGP.02 §2.2.2; GSMA SGP.29 for the numbering scheme).
//
// Always valid once constructed: 32 decimal digits whose ISO/IEC 7064 MOD 97-10 check (the
// whole number mod 97) equals 1. On the card and in TLV `5A` it is 16 bytes of plain
// (not nibble-swapped) BCD; in the web services it is the decimal string.
// Immutable value type; safe to share between threads.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"

namespace m2mrsp {

class Eid {
 public:
  static constexpr size_t kDigits = 32;
  static constexpr size_t kBcdSize = 16;

  // Validates length, digits and check digits. Errors carry SGP.02 8.1.1 / 2.1 (EID invalid).
  static Result<Eid> Parse(std::string_view digits);
  // Completes the first 30 digits with the two MOD 97-10 check digits.
  static Result<Eid> FromPrefix(std::string_view first30);
  // Decodes 16 bytes of BCD (each nibble 0..9), then validates.
  static Result<Eid> FromBcd(ByteView bcd);

  // The two check digits that make `first30` a valid EID. REQUIRES: 30 decimal digits.
  static Result<std::string> CheckDigits(std::string_view first30);

  const std::string& ToString() const { return digits_; }
  Bytes ToBcd() const;

  auto operator<=>(const Eid&) const = default;

 private:
  explicit Eid(std::string digits) : digits_(std::move(digits)) {}
  std::string digits_;
};

}  // namespace m2mrsp
