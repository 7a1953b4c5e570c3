// Iccid: the ICCID of a profile (ITU-T E.118), 18 to 20 decimal digits, the last one a Luhn
// check digit.
//
// Three encodings meet in SGP.02 (see docs/formats/identifiers.md):
//   - web services (ES1–ES4): the decimal string;
//   - EF.ICCID (2FE2) and GP TLV `5A` on the card: BCD with nibbles swapped, `F`-padded to 10
//     bytes (`89000123456789012341` -> `98 00 10 32 54 76 98 10 32 14`);
//   - SAIP ProfileHeader.iccid: plain BCD, `F`-padded to 10 bytes.
// Always valid once constructed. Immutable value type; safe to share between threads.
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"

namespace m2mrsp {

class Iccid {
 public:
  static constexpr size_t kMinDigits = 18;
  static constexpr size_t kMaxDigits = 20;
  static constexpr size_t kBcdSize = 10;

  // Validates length, digits and the Luhn check digit. Errors carry SGP.02 8.2.1 / 2.1.
  static Result<Iccid> Parse(std::string_view digits);
  // Appends the Luhn check digit to 17..19 digits.
  static Result<Iccid> FromPayload(std::string_view digits_without_check);
  // The Luhn check digit for `payload` (decimal digits, any length >= 1).
  static Result<char> LuhnDigit(std::string_view payload);

  static Result<Iccid> FromSwappedBcd(ByteView bcd);  // EF.ICCID / TLV 5A
  static Result<Iccid> FromPlainBcd(ByteView bcd);    // SAIP profile header

  const std::string& ToString() const { return digits_; }
  Bytes ToSwappedBcd() const;
  Bytes ToPlainBcd() const;

  auto operator<=>(const Iccid&) const = default;

 private:
  explicit Iccid(std::string digits) : digits_(std::move(digits)) {}
  static Result<Iccid> FromBcd(ByteView bcd, bool swapped);
  std::string digits_;
};

}  // namespace m2mrsp
