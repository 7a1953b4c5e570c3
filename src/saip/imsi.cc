// EF.IMSI coding, 3GPP TS 31.102 §4.2.2 (with TS 24.008 §10.5.1.4 mobile identity nibbles).
#include <string>

#include "base/digits.h"
#include "saip/package.h"

namespace m2mrsp::saip {
namespace {

constexpr size_t kEfImsiSize = 9;

Status BadImsi(const std::string& what) { return ParseError("EF.IMSI: " + what); }

}  // namespace

Result<std::string> DecodeImsi(ByteView ef) {
  if (ef.empty()) return BadImsi("empty");
  const size_t len = ef[0];
  if (len == 0 || len > 8) return BadImsi("length byte " + std::to_string(len));
  if (ef.size() < 1 + len) return BadImsi("shorter than its length byte");
  // Byte 2: digit 1 in b8..b5, parity in b4 (1 = odd number of digits), type 001 in b3..b1.
  const uint8_t b1 = ef[1];
  if ((b1 & 0x07) != 0x01) return BadImsi("identity type is not IMSI");
  if ((b1 >> 4) > 9) return BadImsi("non-digit");
  std::string digits(1, static_cast<char>('0' + (b1 >> 4)));
  bool ended = false;
  for (size_t i = 2; i <= len; ++i) {
    for (int shift : {0, 4}) {
      const uint8_t nib = static_cast<uint8_t>((ef[i] >> shift) & 0x0F);
      if (nib == 0x0F && i == len && shift == 4) {
        ended = true;  // only the very last nibble may be padding
      } else if (nib > 9 || ended) {
        return BadImsi("non-digit nibble");
      } else {
        digits.push_back(static_cast<char>('0' + nib));
      }
    }
  }
  const bool odd = (digits.size() % 2) == 1;
  if (odd != ((b1 & 0x08) != 0)) return BadImsi("parity bit does not match the digit count");
  return digits;
}

Result<Bytes> EncodeImsi(std::string_view imsi) {
  if (imsi.size() < 6 || imsi.size() > 15 || !AllDecimal(imsi)) {
    return InvalidArgument("IMSI must be 6 to 15 decimal digits");
  }
  Bytes out(kEfImsiSize, 0xFF);
  const size_t n = imsi.size();
  out[0] = static_cast<uint8_t>((n + 2) / 2);
  out[1] = static_cast<uint8_t>(((imsi[0] - '0') << 4) | ((n % 2) ? 0x09 : 0x01));
  for (size_t i = 1; i < n; ++i) {
    const size_t byte = 2 + (i - 1) / 2;
    const uint8_t d = static_cast<uint8_t>(imsi[i] - '0');
    if ((i - 1) % 2 == 0) {
      out[byte] = static_cast<uint8_t>(0xF0 | d);
    } else {
      out[byte] = static_cast<uint8_t>((out[byte] & 0x0F) | (d << 4));
    }
  }
  return out;
}

}  // namespace m2mrsp::saip
