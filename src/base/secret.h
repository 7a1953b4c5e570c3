// SecretBytes: key material that wipes itself and never prints.
//
// Owns its buffer; the bytes are overwritten (explicit_bzero, which the compiler may not elide)
// on destruction, on move-from and on Reset(). Copying is explicit (Clone()) so key copies are
// visible in review. There is deliberately no stream operator, no ToHex and no implicit
// conversion to Bytes: the only way out is view(), at the point of use.
// Also here: ConstantTimeEqual for MAC/cryptogram/receipt comparison, and SecureWipe.
// Not thread-safe (a value type).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/bytes.h"

namespace m2mrsp {

// Overwrites the buffer with zeros in a way the optimiser keeps.
void SecureWipe(void* data, size_t size);
inline void SecureWipe(Bytes& b) { SecureWipe(b.data(), b.size()); }

// Compares two buffers in time that depends only on their lengths (which are public). Buffers
// of different length compare unequal.
bool ConstantTimeEqual(ByteView a, ByteView b);

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(size_t size) : bytes_(size, 0) {}
  // Copies `data` into a new secret. The caller remains responsible for wiping its source.
  explicit SecretBytes(ByteView data) : bytes_(data.begin(), data.end()) {}
  // Takes ownership of `data` (no copy left behind in the moved-from vector).
  static SecretBytes Adopt(Bytes&& data);
  // Parses hex into a secret, wiping the intermediate buffer. Errors never echo the input.
  static Result<SecretBytes> FromHex(std::string_view hex);

  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  ~SecretBytes() { Reset(); }

  SecretBytes Clone() const { return SecretBytes(view()); }
  void Reset();

  size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  ByteView view() const { return ByteView(bytes_.data(), bytes_.size()); }
  uint8_t* data() { return bytes_.data(); }

  // Describes the secret without revealing it: "<secret, 16 bytes>".
  std::string Describe() const;

 private:
  Bytes bytes_;
};

}  // namespace m2mrsp
