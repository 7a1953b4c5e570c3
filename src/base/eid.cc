#include "base/eid.h"

#include "base/digits.h"

namespace m2mrsp {
namespace {

Status InvalidEid(std::string why) {
  return Status::Sgp(ErrorKind::kInvalidArgument, "8.1.1", "2.1", "invalid EID: " + why);
}

// ISO/IEC 7064 MOD 97-10 over a decimal string (digits already validated).
int Mod97(std::string_view digits) {
  int r = 0;
  for (char c : digits) r = (r * 10 + (c - '0')) % 97;
  return r;
}

}  // namespace

Result<Eid> Eid::Parse(std::string_view digits) {
  if (digits.size() != kDigits) {
    return InvalidEid("expected 32 digits, got " + std::to_string(digits.size()) + " characters");
  }
  if (!AllDecimal(digits)) return InvalidEid("contains a character other than 0-9");
  if (Mod97(digits) != 1) return InvalidEid("check digits do not verify (ISO 7064 MOD 97-10)");
  return Eid(std::string(digits));
}

Result<std::string> Eid::CheckDigits(std::string_view first30) {
  if (first30.size() != kDigits - 2 || !AllDecimal(first30)) {
    return InvalidEid("check digits need exactly 30 leading decimal digits");
  }
  std::string padded(first30);
  padded += "00";
  const int check = 98 - Mod97(padded);
  std::string out(2, '0');
  out[0] = static_cast<char>('0' + check / 10);
  out[1] = static_cast<char>('0' + check % 10);
  return out;
}

Result<Eid> Eid::FromPrefix(std::string_view first30) {
  M2_ASSIGN_OR_RETURN(std::string check, CheckDigits(first30));
  return Parse(std::string(first30) + check);
}

Result<Eid> Eid::FromBcd(ByteView bcd) {
  if (bcd.size() != kBcdSize) {
    return InvalidEid("BCD form must be 16 bytes, got " + std::to_string(bcd.size()));
  }
  auto digits = DecodeBcd(bcd, /*swapped=*/false, /*allow_padding=*/false);
  if (!digits.ok()) return InvalidEid(digits.status().message());
  return Parse(*digits);
}

Bytes Eid::ToBcd() const { return EncodeBcd(digits_, /*swapped=*/false, kBcdSize); }

}  // namespace m2mrsp
