#include "milenage/milenage.h"

namespace m2mrsp::milenage {
namespace {

// Cyclic left rotation of a 128-bit block by `bits` (a multiple of 8).
Block Rotate(const Block& in, uint8_t bits) {
  const size_t bytes = bits / 8;
  Block out;
  for (size_t i = 0; i < 16; ++i) out[i] = in[(i + bytes) % 16];
  return out;
}

Block Xor(const Block& a, const Block& b) {
  Block out;
  for (size_t i = 0; i < 16; ++i) out[i] = static_cast<uint8_t>(a[i] ^ b[i]);
  return out;
}

Status CheckSize(ByteView v, size_t n, const char* what) {
  if (v.size() != n) {
    return InvalidArgument(std::string("MILENAGE: ") + what + " must be " + std::to_string(n) +
                           " bytes, got " + std::to_string(v.size()));
  }
  return Status::Ok();
}

}  // namespace

Result<Milenage> Milenage::Create(ByteView k, ByteView opc, const Constants& constants) {
  M2_RETURN_IF_ERROR(CheckSize(k, 16, "K"));
  M2_RETURN_IF_ERROR(CheckSize(opc, 16, "OPc"));
  for (uint8_t r : constants.r) {
    if (r % 8 != 0 || r >= 128) {
      return InvalidArgument("MILENAGE: rotation constants must be multiples of 8 below 128");
    }
  }
  M2_ASSIGN_OR_RETURN(crypto::AesEcbEncryptor aes, crypto::AesEcbEncryptor::Create(k));
  Block o;
  std::copy(opc.begin(), opc.end(), o.begin());
  return Milenage(std::move(aes), o, constants);
}

Result<Bytes> Milenage::ComputeOpc(ByteView k, ByteView op) {
  M2_RETURN_IF_ERROR(CheckSize(k, 16, "K"));
  M2_RETURN_IF_ERROR(CheckSize(op, 16, "OP"));
  M2_ASSIGN_OR_RETURN(crypto::AesEcbEncryptor aes, crypto::AesEcbEncryptor::Create(k));
  Bytes out(16);
  M2_RETURN_IF_ERROR(aes.EncryptBlock(op.data(), out.data()));
  for (size_t i = 0; i < 16; ++i) out[i] ^= op[i];
  return out;
}

Status Milenage::Temp(ByteView rand, Block& temp) {
  M2_RETURN_IF_ERROR(CheckSize(rand, 16, "RAND"));
  Block in;
  for (size_t i = 0; i < 16; ++i) in[i] = static_cast<uint8_t>(rand[i] ^ opc_[i]);
  return aes_.EncryptBlock(in.data(), temp.data());
}

Status Milenage::Out(const Block& temp, size_t i, Block& out) {
  const Block in = Xor(Rotate(Xor(temp, opc_), constants_.r[i]), constants_.c[i]);
  Block enc;
  M2_RETURN_IF_ERROR(aes_.EncryptBlock(in.data(), enc.data()));
  out = Xor(enc, opc_);
  return Status::Ok();
}

Result<F1Output> Milenage::F1(ByteView rand, ByteView sqn, ByteView amf) {
  M2_RETURN_IF_ERROR(CheckSize(sqn, 6, "SQN"));
  M2_RETURN_IF_ERROR(CheckSize(amf, 2, "AMF"));
  Block temp;
  M2_RETURN_IF_ERROR(Temp(rand, temp));
  // IN1 = SQN ‖ AMF ‖ SQN ‖ AMF; OUT1 = E_K(TEMP xor rot(IN1 xor OPc, r1) xor c1) xor OPc.
  Block in1;
  std::copy(sqn.begin(), sqn.end(), in1.begin());
  std::copy(amf.begin(), amf.end(), in1.begin() + 6);
  std::copy(in1.begin(), in1.begin() + 8, in1.begin() + 8);
  const Block x = Xor(Xor(temp, Rotate(Xor(in1, opc_), constants_.r[0])), constants_.c[0]);
  Block enc;
  M2_RETURN_IF_ERROR(aes_.EncryptBlock(x.data(), enc.data()));
  const Block out1 = Xor(enc, opc_);
  F1Output r;
  r.mac_a.assign(out1.begin(), out1.begin() + 8);
  r.mac_s.assign(out1.begin() + 8, out1.end());
  return r;
}

Result<F2345Output> Milenage::F2345(ByteView rand) {
  Block temp;
  M2_RETURN_IF_ERROR(Temp(rand, temp));
  Block out2, out3, out4;
  M2_RETURN_IF_ERROR(Out(temp, 1, out2));
  M2_RETURN_IF_ERROR(Out(temp, 2, out3));
  M2_RETURN_IF_ERROR(Out(temp, 3, out4));
  F2345Output r;
  r.res.assign(out2.begin() + 8, out2.end());
  r.ak.assign(out2.begin(), out2.begin() + 6);
  r.ck = SecretBytes(ByteView(out3.data(), out3.size()));
  r.ik = SecretBytes(ByteView(out4.data(), out4.size()));
  SecureWipe(out3.data(), out3.size());
  SecureWipe(out4.data(), out4.size());
  return r;
}

Result<Bytes> Milenage::F5Star(ByteView rand) {
  Block temp;
  M2_RETURN_IF_ERROR(Temp(rand, temp));
  Block out5;
  M2_RETURN_IF_ERROR(Out(temp, 4, out5));
  return Bytes(out5.begin(), out5.begin() + 6);
}

}  // namespace m2mrsp::milenage
