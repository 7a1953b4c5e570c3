// Decimal-digit helpers shared by the identifier types: digit checks and the two BCD
// encodings found on cards (plain, as in the EID and the SAIP profile header; nibble-swapped,
// as in EF.ICCID), with `F` padding.
#pragma once

#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"

namespace m2mrsp {

bool AllDecimal(std::string_view s);

// Packs decimal digits two per byte. Plain: first digit in the high nibble; swapped: first
// digit in the low nibble. Pads with `F` nibbles up to `size` bytes.
// REQUIRES: digits are 0-9 and fit in `size` bytes.
Bytes EncodeBcd(std::string_view digits, bool swapped, size_t size);

// Unpacks BCD. With allow_padding, `F` nibbles may end the number (and only end it: a digit
// after an `F` is an error); without it every nibble must be 0-9. Nibbles A-E are errors.
Result<std::string> DecodeBcd(ByteView bcd, bool swapped, bool allow_padding);

}  // namespace m2mrsp
