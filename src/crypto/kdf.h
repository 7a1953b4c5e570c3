// Key derivation functions of SGP.02:
//  - ANSI X9.63 KDF with SHA-256 (BSI TR-03111 §4.3.3), used after ECKA-EG key agreement
//    (SGP.02 §4.1.3.1, GP Amendment E): KeyData = H(Z ‖ 00000001 ‖ SharedInfo) ‖ H(Z ‖ 00000002 ‖
//    …).
//  - The NIST SP 800-108 counter-mode KDF with AES-CMAC in the GlobalPlatform SCP03 data layout
//    (GP Amendment D §4.1.5): block i = CMAC(K, 00×11 ‖ constant ‖ 00 ‖ L(16 bits) ‖ i(8 bits) ‖
//    context). The counter sits after L, so this is not OpenSSL's KBKDF layout.
// Outputs are key material and come back as SecretBytes. Stateless; thread-safe.
#pragma once

#include <cstdint>

#include "base/bytes.h"
#include "base/secret.h"
#include "base/status.h"

namespace m2mrsp::crypto {

// shared_secret: non-empty; out_len: 1..(32 * 2^16) bytes (our own bound, far above any use).
Result<SecretBytes> X963KdfSha256(ByteView shared_secret, ByteView shared_info, size_t out_len);

// GP Amendment D Table 4-1 derivation constants.
enum class Scp03Derivation : uint8_t {
  kCardCryptogram = 0x00,
  kHostCryptogram = 0x01,
  kCardChallenge = 0x02,
  kSEnc = 0x04,
  kSMac = 0x06,
  kSRmac = 0x07,
};

// key: 16/24/32-byte AES key; out_bits: a multiple of 8, at most 255 CMAC blocks (32640 bits;
// the counter is one byte).
Result<SecretBytes> Scp03Kdf(ByteView key, Scp03Derivation constant, ByteView context,
                             size_t out_bits);

}  // namespace m2mrsp::crypto
