#include "base/bytes.h"

#include "base/secret.h"

namespace m2mrsp {
namespace {

constexpr char kLower[] = "0123456789abcdef";
constexpr char kUpper[] = "0123456789ABCDEF";

std::string EncodeHex(ByteView bytes, const char* digits) {
  std::string out;
  out.resize(bytes.size() * 2);
  for (size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = digits[bytes[i] >> 4];
    out[2 * i + 1] = digits[bytes[i] & 0x0F];
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

Status TruncatedAt(size_t pos, size_t want, size_t have) {
  return ParseError("truncated input at offset " + std::to_string(pos) + ": need " +
                    std::to_string(want) + " bytes, " + std::to_string(have) + " left");
}

}  // namespace

std::string ToHex(ByteView bytes) { return EncodeHex(bytes, kLower); }
std::string ToHexUpper(ByteView bytes) { return EncodeHex(bytes, kUpper); }

Result<Bytes> FromHex(std::string_view hex) {
  Bytes out;
  // Reserved once so no reallocation leaves a copy behind; wiped on every error path because
  // SecretBytes::FromHex decodes key material through here.
  out.reserve(hex.size() / 2);
  auto fail = [&out](std::string message) -> Result<Bytes> {
    SecureWipe(out);
    return InvalidArgument(std::move(message));
  };
  size_t i = 0;
  while (i < hex.size()) {
    if (IsSpace(hex[i])) {
      ++i;
      continue;
    }
    const int hi = HexValue(hex[i]);
    if (hi < 0) return fail("invalid hex character at offset " + std::to_string(i));
    if (i + 1 >= hex.size()) return fail("odd number of hex digits");
    const int lo = HexValue(hex[i + 1]);
    if (lo < 0) {
      return fail(IsSpace(hex[i + 1])
                      ? "odd number of hex digits before offset " + std::to_string(i + 1)
                      : "invalid hex character at offset " + std::to_string(i + 1));
    }
    out.push_back(static_cast<uint8_t>((hi << 4) | lo));
    i += 2;
  }
  return out;
}

Bytes HexOrDie(std::string_view hex) {
  auto r = FromHex(hex);
  if (!r.ok()) FatalError("HexOrDie: " + r.status().message());
  return std::move(r).value();
}

Bytes Concat(std::initializer_list<ByteView> parts) {
  size_t total = 0;
  for (ByteView p : parts) total += p.size();
  Bytes out;
  out.reserve(total);
  for (ByteView p : parts) Append(out, p);
  return out;
}

void AppendBigEndian(Bytes& out, uint64_t value, size_t width) {
  if (width == 0 || width > 8) FatalError("AppendBigEndian: width must be 1..8");
  for (size_t i = width; i-- > 0;) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

Result<uint8_t> ByteReader::ReadU8() {
  if (remaining() < 1) return TruncatedAt(pos_, 1, remaining());
  return data_[pos_++];
}

Result<uint16_t> ByteReader::ReadU16() {
  M2_ASSIGN_OR_RETURN(uint32_t v, ReadBigEndian(2));
  return static_cast<uint16_t>(v);
}

Result<uint32_t> ByteReader::ReadBigEndian(size_t width) {
  if (width == 0 || width > 4) return InvalidArgument("ReadBigEndian: width must be 1..4");
  if (remaining() < width) return TruncatedAt(pos_, width, remaining());
  uint32_t v = 0;
  for (size_t i = 0; i < width; ++i) v = (v << 8) | data_[pos_ + i];
  pos_ += width;
  return v;
}

Result<ByteView> ByteReader::ReadView(size_t n) {
  if (remaining() < n) return TruncatedAt(pos_, n, remaining());
  ByteView v = data_.subspan(pos_, n);
  pos_ += n;
  return v;
}

ByteView ByteReader::ReadRest() {
  ByteView v = data_.subspan(pos_);
  pos_ = data_.size();
  return v;
}

Result<uint8_t> ByteReader::PeekU8() const {
  if (remaining() < 1) return TruncatedAt(pos_, 1, 0);
  return data_[pos_];
}

}  // namespace m2mrsp
