// Aid (ISO/IEC 7816-4 application identifier, 5..16 bytes: 5-byte RID + PIX) and Tar (the
// 3-byte Toolkit Application Reference of ETSI TS 101 220 that addresses a security domain
// in OTA packets). Distinct types so one is never passed for the other.
// Immutable value types; safe to share between threads.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"

namespace m2mrsp {

class Aid {
 public:
  static constexpr size_t kMinSize = 5;
  static constexpr size_t kMaxSize = 16;

  static Result<Aid> FromBytes(ByteView bytes);
  static Result<Aid> Parse(std::string_view hex);

  ByteView bytes() const { return AsView(bytes_); }
  std::string ToHex() const { return ToHexUpper(AsView(bytes_)); }

  auto operator<=>(const Aid&) const = default;

 private:
  explicit Aid(Bytes b) : bytes_(std::move(b)) {}
  Bytes bytes_;
};

class Tar {
 public:
  static constexpr size_t kSize = 3;

  static Result<Tar> FromBytes(ByteView bytes);
  static Result<Tar> Parse(std::string_view hex);
  static Tar FromValue(uint32_t value24);  // REQUIRES: value24 < 2^24

  uint32_t value() const { return value_; }
  Bytes ToBytes() const;
  std::string ToHex() const { return ToHexUpper(AsView(ToBytes())); }

  auto operator<=>(const Tar&) const = default;

 private:
  explicit Tar(uint32_t v) : value_(v) {}
  uint32_t value_;
};

}  // namespace m2mrsp
