#include "base/secret.h"

#include <string.h>  // explicit_bzero (glibc)

namespace m2mrsp {

void SecureWipe(void* data, size_t size) {
  if (data != nullptr && size > 0) explicit_bzero(data, size);
}

bool ConstantTimeEqual(ByteView a, ByteView b) {
  if (a.size() != b.size()) return false;
  volatile uint8_t diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff = static_cast<uint8_t>(diff | (a[i] ^ b[i]));
  return diff == 0;
}

SecretBytes SecretBytes::Adopt(Bytes&& data) {
  SecretBytes s;
  s.bytes_ = std::move(data);  // vector move transfers the buffer; nothing is left behind
  data.clear();
  return s;
}

Result<SecretBytes> SecretBytes::FromHex(std::string_view hex) {
  auto parsed = m2mrsp::FromHex(hex);
  if (!parsed.ok()) return InvalidArgument("secret value is not valid hex");
  return Adopt(std::move(parsed).value());
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) {
  other.bytes_.clear();
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Reset();
    bytes_ = std::move(other.bytes_);
    other.bytes_.clear();
  }
  return *this;
}

void SecretBytes::Reset() {
  SecureWipe(bytes_.data(), bytes_.size());
  bytes_.clear();
  bytes_.shrink_to_fit();
}

std::string SecretBytes::Describe() const {
  return "<secret, " + std::to_string(bytes_.size()) + " bytes>";
}

}  // namespace m2mrsp
