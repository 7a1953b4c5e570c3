#include "base/digits.h"

namespace m2mrsp {

bool AllDecimal(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Bytes EncodeBcd(std::string_view digits, bool swapped, size_t size) {
  if (!AllDecimal(digits) || digits.size() > size * 2) {
    FatalError("EncodeBcd: digits do not fit or are not decimal");
  }
  Bytes out(size, 0xFF);
  for (size_t i = 0; i < digits.size(); ++i) {
    const uint8_t d = static_cast<uint8_t>(digits[i] - '0');
    const bool high = (i % 2 == 0) != swapped;
    uint8_t& b = out[i / 2];
    b = high ? static_cast<uint8_t>((b & 0x0F) | (d << 4)) : static_cast<uint8_t>((b & 0xF0) | d);
  }
  return out;
}

Result<std::string> DecodeBcd(ByteView bcd, bool swapped, bool allow_padding) {
  std::string out;
  out.reserve(bcd.size() * 2);
  bool padding = false;
  for (size_t i = 0; i < bcd.size() * 2; ++i) {
    const uint8_t b = bcd[i / 2];
    const bool high = (i % 2 == 0) != swapped;
    const uint8_t n = high ? (b >> 4) : (b & 0x0F);
    if (n == 0x0F && allow_padding) {
      padding = true;
      continue;
    }
    if (n > 9) return ParseError("invalid BCD nibble at position " + std::to_string(i));
    if (padding) return ParseError("digit after F padding at position " + std::to_string(i));
    out.push_back(static_cast<char>('0' + n));
  }
  return out;
}

}  // namespace m2mrsp
