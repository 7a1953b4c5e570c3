#include "scp/scp03_channel.h"

#include "crypto/cipher.h"
#include "crypto/kdf.h"

namespace m2mrsp::scp {
namespace {

using crypto::Scp03Derivation;

bool IsAesKeySize(size_t n) { return n == 16 || n == 24 || n == 32; }

}  // namespace

bool IsScp03SecurityLevel(uint8_t level) {
  // GP Amd D §5.1 Table 5-1 (security levels); 13 = C-MAC, C-DEC, R-MAC.
  return level == 0x01 || level == 0x03 || level == 0x11 || level == 0x13 || level == 0x33;
}

Status Scp03Keys::Validate() const {
  if (!IsAesKeySize(enc.size()) || mac.size() != enc.size() ||
      (!dek.empty() && dek.size() != enc.size())) {
    return InvalidArgument("SCP03 key set: Key-ENC/MAC/DEK must be AES keys of one length");
  }
  return Status::Ok();
}

Bytes InitializeUpdateResponse::Encode() const {
  Bytes out = key_diversification;
  Append(out, {kvn, kScp03Identifier, i});
  Append(out, card_challenge);
  Append(out, card_cryptogram);
  if (sequence_counter) AppendBigEndian(out, *sequence_counter, 3);
  return out;
}

Result<InitializeUpdateResponse> InitializeUpdateResponse::Decode(ByteView data) {
  // Amd D §7.1.1.6 Table 7-3 (S8 mode: 8-byte challenge and cryptogram).
  if (data.size() != 29 && data.size() != 32) {
    return ParseError("INITIALIZE UPDATE response: expected 29 or 32 bytes (S8 mode)");
  }
  ByteReader r(data);
  InitializeUpdateResponse out;
  auto div = *r.ReadView(10);
  out.key_diversification.assign(div.begin(), div.end());
  out.kvn = *r.ReadU8();
  if (*r.ReadU8() != kScp03Identifier) return ParseError("INITIALIZE UPDATE response: not SCP03");
  out.i = *r.ReadU8();
  if ((out.i & 0x01) != 0) return ParseError("INITIALIZE UPDATE response: S16 mode unsupported");
  auto ch = *r.ReadView(kScp03ChallengeSize);
  out.card_challenge.assign(ch.begin(), ch.end());
  auto cg = *r.ReadView(kScp03CryptogramSize);
  out.card_cryptogram.assign(cg.begin(), cg.end());
  const bool pseudo_random = (out.i & 0x10) != 0;
  if (pseudo_random != (data.size() == 32)) {
    return ParseError("INITIALIZE UPDATE response: sequence counter presence contradicts i");
  }
  if (pseudo_random) out.sequence_counter = *r.ReadBigEndian(3);
  return out;
}

Result<Bytes> PseudoRandomCardChallenge(ByteView key_enc, uint32_t sequence_counter,
                                        ByteView sd_aid) {
  if (sequence_counter > kScp03MaxSequenceCounter) {
    return InvalidArgument("SCP03 sequence counter exceeds 3 bytes");
  }
  Bytes context;
  AppendBigEndian(context, sequence_counter, 3);
  Append(context, sd_aid);
  M2_ASSIGN_OR_RETURN(SecretBytes ch, crypto::Scp03Kdf(key_enc, Scp03Derivation::kCardChallenge,
                                                       context, kScp03ChallengeSize * 8));
  return Bytes(ch.view().begin(), ch.view().end());  // a challenge is public
}

Result<Scp03Channel> Scp03Channel::Open(const Scp03Keys& keys, ByteView host_challenge,
                                        ByteView card_challenge) {
  M2_RETURN_IF_ERROR(keys.Validate());
  if (host_challenge.size() != kScp03ChallengeSize ||
      card_challenge.size() != kScp03ChallengeSize) {
    return InvalidArgument("SCP03: challenges must be 8 bytes (S8 mode)");
  }
  // Amd D §6.2.1: context = host challenge ‖ card challenge; key lengths as the static keys.
  const Bytes context = Concat({host_challenge, card_challenge});
  const size_t bits = keys.enc.size() * 8;
  Scp03Channel ch;
  M2_ASSIGN_OR_RETURN(ch.s_enc_,
                      crypto::Scp03Kdf(keys.enc.view(), Scp03Derivation::kSEnc, context, bits));
  M2_ASSIGN_OR_RETURN(SecretBytes s_mac,
                      crypto::Scp03Kdf(keys.mac.view(), Scp03Derivation::kSMac, context, bits));
  M2_ASSIGN_OR_RETURN(SecretBytes s_rmac,
                      crypto::Scp03Kdf(keys.mac.view(), Scp03Derivation::kSRmac, context, bits));
  // Amd D §6.2.2.2 / §6.2.2.3: cryptograms from S-MAC, L = 64 in S8 mode.
  M2_ASSIGN_OR_RETURN(SecretBytes card_cg,
                      crypto::Scp03Kdf(s_mac.view(), Scp03Derivation::kCardCryptogram, context,
                                       kScp03CryptogramSize * 8));
  M2_ASSIGN_OR_RETURN(SecretBytes host_cg,
                      crypto::Scp03Kdf(s_mac.view(), Scp03Derivation::kHostCryptogram, context,
                                       kScp03CryptogramSize * 8));
  ch.card_cryptogram_.assign(card_cg.view().begin(), card_cg.view().end());
  ch.host_cryptogram_.assign(host_cg.view().begin(), host_cg.view().end());
  M2_ASSIGN_OR_RETURN(crypto::Cmac mac, crypto::Cmac::Create(s_mac.view()));
  M2_ASSIGN_OR_RETURN(crypto::Cmac rmac, crypto::Cmac::Create(s_rmac.view()));
  ch.s_mac_.emplace(std::move(mac));
  ch.s_rmac_.emplace(std::move(rmac));
  return ch;
}

Status Scp03Channel::NextCommand() {
  // The counter block is 16 bytes; 2^64 commands cannot happen in a session, but never wrap.
  if (counter_ == UINT64_MAX) return LimitExceeded("SCP03 encryption counter exhausted");
  ++counter_;
  return Status::Ok();
}

Result<Bytes> Scp03Channel::CommandMac(std::initializer_list<ByteView> parts) {
  // CMAC over MCV ‖ parts: built as one list so no intermediate buffer is needed.
  Bytes input = mcv_;
  for (ByteView p : parts) Append(input, p);
  return s_mac_->Compute(input);
}

Status Scp03Channel::VerifyCommandMac(std::initializer_list<ByteView> parts, ByteView received) {
  M2_ASSIGN_OR_RETURN(Bytes full, CommandMac(parts));
  if (!ConstantTimeEqual(ByteView(full).first(kScp03MacSize), received)) {
    return SecurityError("SCP03: C-MAC verification failed");
  }
  Chain(full);
  return Status::Ok();
}

Result<Bytes> Scp03Channel::ResponseMac(std::initializer_list<ByteView> parts) {
  return ResponseMacAt(mcv_, parts);
}

Result<Bytes> Scp03Channel::ResponseMacAt(ByteView mcv, std::initializer_list<ByteView> parts) {
  Bytes input(mcv.begin(), mcv.end());
  for (ByteView p : parts) Append(input, p);
  M2_ASSIGN_OR_RETURN(Bytes full, s_rmac_->Compute(input));
  full.resize(kScp03MacSize);
  return full;
}

Status Scp03Channel::VerifyResponseMac(std::initializer_list<ByteView> parts, ByteView received) {
  M2_ASSIGN_OR_RETURN(Bytes mac, ResponseMac(parts));
  if (!ConstantTimeEqual(mac, received)) return SecurityError("SCP03: R-MAC verification failed");
  return Status::Ok();
}

Result<Bytes> Scp03Channel::Icv(bool response, uint64_t counter) {
  // Amd D §6.2.6 (command: counter right-aligned in 16 bytes) and §6.2.7 (response: first byte 80).
  uint8_t block[crypto::kAesBlock] = {};
  for (size_t i = 0; i < 8; ++i) block[15 - i] = static_cast<uint8_t>(counter >> (8 * i));
  if (response) block[0] = 0x80;
  return crypto::AesEcbEncrypt(s_enc_.view(), ByteView(block, sizeof block));
}

Result<Bytes> Scp03Channel::EncryptCommandData(ByteView plain) {
  M2_ASSIGN_OR_RETURN(Bytes icv, Icv(false, counter_));
  return crypto::AesCbcEncrypt(s_enc_.view(), icv, Pad80(plain));
}

Result<Bytes> Scp03Channel::DecryptCommandData(ByteView cipher) {
  if (cipher.empty() || cipher.size() % crypto::kAesBlock != 0) {
    return SecurityError("SCP03: encrypted data is not a whole number of AES blocks");
  }
  M2_ASSIGN_OR_RETURN(Bytes icv, Icv(false, counter_));
  M2_ASSIGN_OR_RETURN(Bytes plain, crypto::AesCbcDecrypt(s_enc_.view(), icv, cipher));
  return Unpad80(plain);
}

Result<Bytes> Scp03Channel::EncryptResponseData(ByteView plain) {
  M2_ASSIGN_OR_RETURN(Bytes icv, Icv(true, counter_));
  return crypto::AesCbcEncrypt(s_enc_.view(), icv, Pad80(plain));
}

Result<Bytes> Scp03Channel::DecryptResponseData(ByteView cipher) {
  return DecryptResponseDataAt(counter_, cipher);
}

Result<Bytes> Scp03Channel::DecryptResponseDataAt(uint64_t counter, ByteView cipher) {
  if (cipher.empty() || cipher.size() % crypto::kAesBlock != 0) {
    return SecurityError("SCP03: encrypted response is not a whole number of AES blocks");
  }
  M2_ASSIGN_OR_RETURN(Bytes icv, Icv(true, counter));
  M2_ASSIGN_OR_RETURN(Bytes plain, crypto::AesCbcDecrypt(s_enc_.view(), icv, cipher));
  return Unpad80(plain);
}

Bytes Pad80(ByteView data) {
  Bytes out(data.begin(), data.end());
  out.push_back(0x80);
  out.resize((out.size() + crypto::kAesBlock - 1) / crypto::kAesBlock * crypto::kAesBlock, 0x00);
  return out;
}

Result<Bytes> Unpad80(ByteView data) {
  // The marker must sit in the last block, followed only by zeros.
  size_t n = data.size();
  while (n > 0 && data[n - 1] == 0x00 && data.size() - n < crypto::kAesBlock) --n;
  if (n == 0 || data[n - 1] != 0x80 || data.size() - n >= crypto::kAesBlock) {
    return SecurityError("SCP03: bad 80 00.. padding");
  }
  return Bytes(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n - 1));
}

}  // namespace m2mrsp::scp
