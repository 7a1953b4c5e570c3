#include "base/aid.h"

namespace m2mrsp {

Result<Aid> Aid::FromBytes(ByteView bytes) {
  if (bytes.size() < kMinSize || bytes.size() > kMaxSize) {
    return InvalidArgument("AID must be 5 to 16 bytes, got " + std::to_string(bytes.size()));
  }
  return Aid(Bytes(bytes.begin(), bytes.end()));
}

Result<Aid> Aid::Parse(std::string_view hex) {
  auto b = FromHex(hex);
  if (!b.ok()) return b.status().WithContext("AID");
  return FromBytes(*b);
}

Result<Tar> Tar::FromBytes(ByteView bytes) {
  if (bytes.size() != kSize) {
    return InvalidArgument("TAR must be 3 bytes, got " + std::to_string(bytes.size()));
  }
  return Tar((uint32_t{bytes[0]} << 16) | (uint32_t{bytes[1]} << 8) | bytes[2]);
}

Result<Tar> Tar::Parse(std::string_view hex) {
  auto b = FromHex(hex);
  if (!b.ok()) return b.status().WithContext("TAR");
  return FromBytes(*b);
}

Tar Tar::FromValue(uint32_t value24) {
  if (value24 > 0xFFFFFF) FatalError("Tar::FromValue: more than 24 bits");
  return Tar(value24);
}

Bytes Tar::ToBytes() const {
  Bytes out;
  AppendBigEndian(out, value_, kSize);
  return out;
}

}  // namespace m2mrsp
