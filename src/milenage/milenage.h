// MILENAGE (3GPP TS 35.206): the authentication and key-generation functions f1, f1*, f2, f3,
// f4, f5 and f5* of a USIM, with the operator variant constant OPc (computed from OP when an
// operator supplies OP). Used by the eUICC simulator to answer AUTHENTICATE and by the
// simulated networks to build authentication vectors.
//
// The rotation constants r1..r5 and the additive constants c1..c5 default to TS 35.206 §4.1;
// SAIP akaParameter may carry others (rotationConstants, xoringConstants), so they are settable.
// A Milenage object holds K (wiped on destruction) and a keyed AES context: it is not
// thread-safe; use one per card/thread.
#pragma once

#include <array>
#include <cstdint>

#include "base/bytes.h"
#include "base/secret.h"
#include "base/status.h"
#include "crypto/cipher.h"

namespace m2mrsp::milenage {

using Block = std::array<uint8_t, 16>;

struct Constants {
  std::array<uint8_t, 5> r = {64, 0, 32, 64, 96};  // rotations in bits, each a multiple of 8
  std::array<Block, 5> c = {Block{}, Block{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
                            Block{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2},
                            Block{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4},
                            Block{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8}};
};

struct F2345Output {
  Bytes res;       // f2, 8 bytes
  SecretBytes ck;  // f3, 16 bytes
  SecretBytes ik;  // f4, 16 bytes
  Bytes ak;        // f5, 6 bytes
};

struct F1Output {
  Bytes mac_a;  // f1, 8 bytes (network authentication, part of AUTN)
  Bytes mac_s;  // f1*, 8 bytes (resynchronisation, part of AUTS)
};

class Milenage {
 public:
  // k, opc: 16 bytes each. Rotation constants must be multiples of 8 below 128.
  static Result<Milenage> Create(ByteView k, ByteView opc, const Constants& constants = {});
  // OPc = E_K(OP) xor OP (TS 35.206 §4.1).
  static Result<Bytes> ComputeOpc(ByteView k, ByteView op);

  Milenage(Milenage&&) noexcept = default;
  Milenage& operator=(Milenage&&) noexcept = default;
  ~Milenage() { SecureWipe(opc_.data(), opc_.size()); }

  // rand: 16 bytes; sqn: 6 bytes; amf: 2 bytes.
  Result<F1Output> F1(ByteView rand, ByteView sqn, ByteView amf);
  // rand: 16 bytes.
  Result<F2345Output> F2345(ByteView rand);
  Result<Bytes> F5Star(ByteView rand);  // AK for resynchronisation, 6 bytes

 private:
  Milenage(crypto::AesEcbEncryptor aes, Block opc, const Constants& constants)
      : aes_(std::move(aes)), opc_(opc), constants_(constants) {}
  Status Temp(ByteView rand, Block& temp);
  // OUTi = E_K(rot(TEMP xor OPc, r_i) xor c_i) xor OPc, for i = 2..5 (index 1..4).
  Status Out(const Block& temp, size_t i, Block& out);

  crypto::AesEcbEncryptor aes_;
  Block opc_;
  Constants constants_;
};

}  // namespace m2mrsp::milenage
