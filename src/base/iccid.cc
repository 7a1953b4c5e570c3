#include "base/iccid.h"

#include "base/digits.h"

namespace m2mrsp {
namespace {

Status InvalidIccid(std::string why) {
  return Status::Sgp(ErrorKind::kInvalidArgument, "8.2.1", "2.1", "invalid ICCID: " + why);
}

// Luhn sum over digits (already validated), doubling every second digit from the right,
// starting with the rightmost when `payload_only` (the check digit is not yet there).
int LuhnSum(std::string_view digits, bool payload_only) {
  int sum = 0;
  bool dbl = payload_only;
  for (size_t i = digits.size(); i-- > 0;) {
    int d = digits[i] - '0';
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum;
}

}  // namespace

Result<Iccid> Iccid::Parse(std::string_view digits) {
  if (digits.size() < kMinDigits || digits.size() > kMaxDigits) {
    return InvalidIccid("expected 18 to 20 digits, got " + std::to_string(digits.size()) +
                        " characters");
  }
  if (!AllDecimal(digits)) return InvalidIccid("contains a character other than 0-9");
  if (LuhnSum(digits, false) % 10 != 0) return InvalidIccid("Luhn check digit does not verify");
  return Iccid(std::string(digits));
}

Result<char> Iccid::LuhnDigit(std::string_view payload) {
  if (payload.empty() || !AllDecimal(payload)) {
    return InvalidIccid("Luhn check digit needs a non-empty decimal payload");
  }
  const int sum = LuhnSum(payload, true);
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

Result<Iccid> Iccid::FromPayload(std::string_view digits_without_check) {
  if (digits_without_check.size() < kMinDigits - 1 ||
      digits_without_check.size() > kMaxDigits - 1) {
    return InvalidIccid("payload must be 17 to 19 digits");
  }
  M2_ASSIGN_OR_RETURN(char check, LuhnDigit(digits_without_check));
  std::string full(digits_without_check);
  full.push_back(check);
  return Parse(full);
}

Result<Iccid> Iccid::FromBcd(ByteView bcd, bool swapped) {
  if (bcd.size() != kBcdSize) {
    return InvalidIccid("BCD form must be 10 bytes, got " + std::to_string(bcd.size()));
  }
  auto digits = DecodeBcd(bcd, swapped, /*allow_padding=*/true);
  if (!digits.ok()) return InvalidIccid(digits.status().message());
  return Parse(*digits);
}

Result<Iccid> Iccid::FromSwappedBcd(ByteView bcd) { return FromBcd(bcd, true); }
Result<Iccid> Iccid::FromPlainBcd(ByteView bcd) { return FromBcd(bcd, false); }

Bytes Iccid::ToSwappedBcd() const { return EncodeBcd(digits_, true, kBcdSize); }
Bytes Iccid::ToPlainBcd() const { return EncodeBcd(digits_, false, kBcdSize); }

}  // namespace m2mrsp
