// Byte buffers, hex conversion and a bounds-checked reader.
//
// Bytes owns; ByteView borrows (it must not outlive the buffer it points into). ByteReader
// consumes a ByteView front to back and never reads past its end: every read returns a Result
// so truncated input becomes an error value, not undefined behaviour. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace m2mrsp {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

// Lowercase hex, no separators.
std::string ToHex(ByteView bytes);
std::string ToHexUpper(ByteView bytes);

// Accepts upper or lower case; ignores spaces, tabs and newlines between digit pairs (not
// inside a pair); an empty string is an empty buffer. Odd digit count or any other character is
// an error naming its offset.
Result<Bytes> FromHex(std::string_view hex);

// For literals in code and tests. REQUIRES: valid hex (aborts otherwise: programming error).
Bytes HexOrDie(std::string_view hex);

inline ByteView AsView(const Bytes& b) { return ByteView(b.data(), b.size()); }
inline ByteView AsBytes(std::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

inline void Append(Bytes& out, ByteView more) { out.insert(out.end(), more.begin(), more.end()); }
inline void Append(Bytes& out, std::initializer_list<uint8_t> more) {
  out.insert(out.end(), more.begin(), more.end());
}
// Concatenation of any number of views.
Bytes Concat(std::initializer_list<ByteView> parts);

// Big-endian unsigned integers of 1..8 bytes.
void AppendBigEndian(Bytes& out, uint64_t value, size_t width);

class ByteReader {
 public:
  explicit ByteReader(ByteView data) : data_(data) {}

  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }
  bool empty() const { return remaining() == 0; }

  Result<uint8_t> ReadU8();
  Result<uint16_t> ReadU16();                    // big-endian
  Result<uint32_t> ReadBigEndian(size_t width);  // 1..4 bytes
  // A view of the next n bytes (into the original buffer).
  Result<ByteView> ReadView(size_t n);
  // The rest of the input.
  ByteView ReadRest();
  Result<uint8_t> PeekU8() const;

 private:
  ByteView data_;
  size_t pos_ = 0;
};

}  // namespace m2mrsp
