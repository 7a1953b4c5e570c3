#include "scp/scp80_packet.h"

#include <algorithm>
#include <array>

#include "base/secret.h"
#include "crypto/cipher.h"
#include "crypto/cmac.h"

namespace m2mrsp::scp {
namespace {

// The SMS response packet identifier as the CC sees it: UDH length 02, IEI 71, length 00
// (3GPP TS 31.115 §6; reproduced by pySim's real-card PoR vectors).
constexpr std::array<uint8_t, 3> kResponseUdh = {0x02, 0x71, 0x00};

Status KeyLengthError(const char* what) {
  return InvalidArgument(std::string("SCP80: ") + what + " key has the wrong length");
}

// Key lengths per algorithm: DES 8, 3DES two-key 16, three-key 24, AES 16/24/32.
bool KeyFits(CipherAlgorithm algorithm, size_t n) {
  switch (algorithm) {
    case CipherAlgorithm::kDesCbc:
    case CipherAlgorithm::kDesEcb:
      return n == 8;
    case CipherAlgorithm::kTdes2Cbc:
      return n == 16;
    case CipherAlgorithm::kTdes3Cbc:
      return n == 24;
    case CipherAlgorithm::kAesCbc:
      return n == 16 || n == 24 || n == 32;
    case CipherAlgorithm::kImplicit:
      return false;
  }
  return false;
}

bool KeyFits(IntegrityAlgorithm algorithm, size_t n) {
  switch (algorithm) {
    case IntegrityAlgorithm::kDesCbcMac:
      return n == 8;
    case IntegrityAlgorithm::kTdes2CbcMac:
      return n == 16;
    case IntegrityAlgorithm::kTdes3CbcMac:
      return n == 24;
    case IntegrityAlgorithm::kAesCmac:
      return n == 16 || n == 24 || n == 32;
    case IntegrityAlgorithm::kCrc16:
    case IntegrityAlgorithm::kCrc32:
      return true;  // keyless
  }
  return false;
}

// TS 102 225 §5.1.2: CBC with an all-zero initial chaining value; DES-ECB block by block.
Result<Bytes> Cipher(CipherAlgorithm algorithm, ByteView key, ByteView data, bool decrypt) {
  if (!KeyFits(algorithm, key.size())) return KeyLengthError("KIc");
  if (data.size() % CipherBlockSize(algorithm) != 0) {
    return InvalidArgument("SCP80: ciphered part is not a whole number of blocks");
  }
  if (algorithm == CipherAlgorithm::kAesCbc) {
    const Bytes iv(crypto::kAesBlock, 0);
    return decrypt ? crypto::AesCbcDecrypt(key, iv, data) : crypto::AesCbcEncrypt(key, iv, data);
  }
  const Bytes iv(crypto::kDesBlock, 0);
  if (algorithm != CipherAlgorithm::kDesEcb) {
    return decrypt ? crypto::DesCbcDecrypt(key, iv, data) : crypto::DesCbcEncrypt(key, iv, data);
  }
  Bytes out;
  out.reserve(data.size());
  for (size_t i = 0; i < data.size(); i += crypto::kDesBlock) {
    ByteView block = data.subspan(i, crypto::kDesBlock);
    M2_ASSIGN_OR_RETURN(Bytes b, decrypt ? crypto::DesCbcDecrypt(key, iv, block)
                                         : crypto::DesCbcEncrypt(key, iv, block));
    Append(out, b);
  }
  return out;
}

// TS 102 225 §5.1.3: DES CC = last block of CBC-MAC over the input zero-padded to 8 octets (the
// padding is MACed, never sent); AES CC = first 8 octets of AES-CMAC (no padding); RC = CRC.
Result<Bytes> Checksum(IntegrityAlgorithm algorithm, ByteView key, ByteView input) {
  if (!KeyFits(algorithm, key.size())) return KeyLengthError("KID");
  Bytes out;
  switch (algorithm) {
    case IntegrityAlgorithm::kCrc16:
      AppendBigEndian(out, Crc16(input), 2);
      return out;
    case IntegrityAlgorithm::kCrc32:
      AppendBigEndian(out, Crc32(input), 4);
      return out;
    case IntegrityAlgorithm::kAesCmac: {
      M2_ASSIGN_OR_RETURN(Bytes mac, crypto::AesCmac(key, input));
      mac.resize(8);
      return mac;
    }
    default: {
      Bytes padded(input.begin(), input.end());
      padded.resize((padded.size() + 7) / 8 * 8, 0x00);
      return crypto::DesCbcMac(key, padded);
    }
  }
}

size_t PaddingFor(size_t length, size_t block) { return (block - length % block) % block; }

CommandOpenResult Fail(PorStatus status, Status error) {
  CommandOpenResult r;
  r.status = status;
  r.error = std::move(error);
  return r;
}

// The secured part shared by command and response packets (TS 102 225 §5.1.2-§5.1.3, §5.2):
// the checksum covers `mac_prefix` ‖ header ‖ counter block ‖ data ‖ padding; the counter
// block, checksum, data and padding are then ciphered when asked. Appends to `header`.
Result<Bytes> AppendSecuredPart(Bytes header, ByteView mac_prefix, const Bytes& counter,
                                ByteView data, size_t pad,
                                const std::optional<IntegrityAlgorithm>& integrity,
                                const std::optional<CipherAlgorithm>& cipher,
                                const Scp80Keys& keys) {
  const Bytes padding(pad, 0x00);
  Bytes checksum;
  if (integrity) {
    const Bytes input = Concat({mac_prefix, header, counter, data, padding});
    M2_ASSIGN_OR_RETURN(checksum, Checksum(*integrity, keys.kid, input));
  }
  Bytes plain = Concat({counter, checksum, data, padding});
  if (cipher) {
    auto enc = Cipher(*cipher, keys.kic, plain, false);
    SecureWipe(plain);
    if (!enc.ok()) return enc.status();
    Append(header, *enc);
  } else {
    Append(header, plain);
  }
  return header;
}

}  // namespace

uint32_t Crc32(ByteView data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (uint8_t b : data) {
    crc ^= b;
    for (int i = 0; i < 8; ++i) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// ISO/IEC 13239 CRC-16 (generator x^16+x^12+x^5+1, reflected, preset and final XOR FFFF).
uint16_t Crc16(ByteView data) {
  uint32_t crc = 0xFFFF;
  for (uint8_t b : data) {
    crc ^= b;
    for (int i = 0; i < 8; ++i) crc = (crc >> 1) ^ (0x8408u & (0u - (crc & 1u)));
  }
  return static_cast<uint16_t>(~crc & 0xFFFF);
}

// ETSI TS 102 225 §5.1.1 / 3GPP TS 31.115 §5 (SMS command packet).
Result<Bytes> WrapCommand(const CommandHeader& h, const Scp80Keys& keys, ByteView data) {
  const Spi& spi = h.spi;
  if (h.counter > kMaxCounter) return InvalidArgument("SCP80: counter exceeds 5 octets");
  if (spi.integrity == Integrity::kDs)
    return InvalidArgument("SCP80: digital signatures unsupported");
  std::optional<IntegrityAlgorithm> integrity;
  if (spi.integrity != Integrity::kNone) {
    M2_ASSIGN_OR_RETURN(integrity, DecodeKid(h.kid, spi.integrity));
  }
  const size_t cc_len = integrity ? IntegrityLength(*integrity) : 0;
  std::optional<CipherAlgorithm> cipher;
  size_t pad = 0;
  if (spi.ciphering) {
    M2_ASSIGN_OR_RETURN(cipher, DecodeKic(h.kic));
    // §5.1.2: CNTR ‖ PCNTR ‖ RC/CC/DS ‖ data is padded to the block size; PCNTR counts the pad.
    pad = PaddingFor(6 + cc_len + data.size(), CipherBlockSize(*cipher));
  }
  const size_t chl = kCommandHeaderFixed + cc_len;
  const size_t cpl = 1 + chl + data.size() + pad;
  if (cpl > 0xFFFF) return LimitExceeded("SCP80: command packet longer than CPL allows");

  Bytes header;
  AppendBigEndian(header, cpl, 2);
  Append(header, {static_cast<uint8_t>(chl), spi.first(), spi.second(), h.kic, h.kid});
  Append(header, h.tar.ToBytes());
  Bytes counter;
  AppendBigEndian(counter, h.counter, 5);
  counter.push_back(static_cast<uint8_t>(pad));
  // §5.1.3: the RC/CC covers CPL..PCNTR and the secured data with its padding.
  return AppendSecuredPart(std::move(header), {}, counter, data, pad, integrity, cipher, keys);
}

Result<CommandPreview> PreviewCommand(ByteView packet) {
  ByteReader r(packet);
  M2_ASSIGN_OR_RETURN(uint16_t cpl, r.ReadU16());
  if (cpl != r.remaining()) return ParseError("SCP80: CPL does not match the packet length");
  M2_ASSIGN_OR_RETURN(uint8_t chl, r.ReadU8());
  if (chl < kCommandHeaderFixed) return ParseError("SCP80: CHL shorter than 13");
  if (chl > cpl - 1u) return ParseError("SCP80: CHL exceeds the packet");
  M2_ASSIGN_OR_RETURN(ByteView fixed, r.ReadView(7));
  M2_ASSIGN_OR_RETURN(Spi spi, Spi::Decode(fixed[0], fixed[1]));
  M2_ASSIGN_OR_RETURN(Tar tar, Tar::FromBytes(fixed.subspan(4, 3)));
  CommandPreview p;
  p.spi = spi;
  p.kic = fixed[2];
  p.kid = fixed[3];
  p.tar = tar;
  p.checksum_length = chl - kCommandHeaderFixed;
  return p;
}

CommandOpenResult OpenCommand(ByteView packet, const Scp80Keys& keys) {
  auto preview = PreviewCommand(packet);
  if (!preview.ok()) return Fail(PorStatus::kUnidentifiedSecurityError, preview.status());
  const Spi& spi = preview->spi;
  std::optional<IntegrityAlgorithm> integrity;
  if (spi.integrity == Integrity::kDs) {
    return Fail(PorStatus::kUnidentifiedSecurityError,
                ParseError("SCP80: digital signatures unsupported"));
  }
  if (spi.integrity != Integrity::kNone) {
    auto alg = DecodeKid(preview->kid, spi.integrity);
    if (!alg.ok()) return Fail(PorStatus::kUnidentifiedSecurityError, alg.status());
    integrity = *alg;
  }
  const size_t cc_len = integrity ? IntegrityLength(*integrity) : 0;
  if (preview->checksum_length != cc_len) {
    return Fail(PorStatus::kUnidentifiedSecurityError,
                ParseError("SCP80: CHL does not fit the RC/CC length of the KID algorithm"));
  }
  constexpr size_t kClear = 2 + 1 + 7;  // CPL, CHL, SPI..TAR
  const ByteView clear = packet.first(kClear);
  const ByteView rest = packet.subspan(kClear);
  Bytes plain;
  if (spi.ciphering) {
    auto alg = DecodeKic(preview->kic);
    if (!alg.ok()) return Fail(PorStatus::kCipheringError, alg.status());
    if (rest.empty())
      return Fail(PorStatus::kCipheringError, ParseError("SCP80: nothing ciphered"));
    auto dec = Cipher(*alg, keys.kic, rest, true);
    if (!dec.ok()) return Fail(PorStatus::kCipheringError, dec.status());
    plain = std::move(dec).value();
  } else {
    plain.assign(rest.begin(), rest.end());
  }
  if (plain.size() < 6 + cc_len) {
    return Fail(spi.ciphering ? PorStatus::kCipheringError : PorStatus::kUnidentifiedSecurityError,
                ParseError("SCP80: secured part shorter than CNTR, PCNTR and RC/CC"));
  }
  const ByteView pv(plain);
  const ByteView counter_part = pv.first(6);
  const ByteView checksum = pv.subspan(6, cc_len);
  const ByteView body = pv.subspan(6 + cc_len);
  const uint8_t pcntr = counter_part[5];
  OpenedCommand cmd;
  cmd.header.spi = spi;
  cmd.header.kic = preview->kic;
  cmd.header.kid = preview->kid;
  cmd.header.tar = preview->tar;
  for (size_t i = 0; i < 5; ++i) cmd.header.counter = (cmd.header.counter << 8) | counter_part[i];
  cmd.pcntr = pcntr;
  cmd.checksum.assign(checksum.begin(), checksum.end());
  cmd.data.assign(body.begin(), body.end() - std::min<size_t>(pcntr, body.size()));
  if (integrity) {
    auto expected = Checksum(*integrity, keys.kid, Concat({clear, counter_part, body}));
    if (!expected.ok()) return Fail(PorStatus::kUnidentifiedSecurityError, expected.status());
    if (!ConstantTimeEqual(*expected, checksum)) {
      CommandOpenResult bad =
          Fail(PorStatus::kIntegrityFailed, SecurityError("SCP80: RC/CC verification failed"));
      bad.unverified = std::move(cmd);
      SecureWipe(plain);
      return bad;
    }
  }
  if (pcntr > body.size()) {
    return Fail(spi.ciphering ? PorStatus::kCipheringError : PorStatus::kUnidentifiedSecurityError,
                ParseError("SCP80: PCNTR larger than the secured data"));
  }
  SecureWipe(plain);
  CommandOpenResult r;
  r.command = std::move(cmd);
  return r;
}

// ETSI TS 102 225 §5.2 / 3GPP TS 31.115 §6 (SMS response packet).
Result<Bytes> WrapResponse(const ResponseHeader& h, const PorSecurity& sec, const Scp80Keys& keys,
                           ByteView data) {
  if (h.counter > kMaxCounter) return InvalidArgument("SCP80: counter exceeds 5 octets");
  if (sec.integrity == Integrity::kDs)
    return InvalidArgument("SCP80: digital signatures unsupported");
  std::optional<IntegrityAlgorithm> integrity;
  if (sec.integrity != Integrity::kNone) {
    M2_ASSIGN_OR_RETURN(integrity, DecodeKid(sec.kid, sec.integrity));
  }
  const size_t cc_len = integrity ? IntegrityLength(*integrity) : 0;
  std::optional<CipherAlgorithm> cipher;
  size_t pad = 0;
  if (sec.ciphered) {
    M2_ASSIGN_OR_RETURN(cipher, DecodeKic(sec.kic));
    pad = PaddingFor(7 + cc_len + data.size(), CipherBlockSize(*cipher));
  }
  const size_t rhl = kResponseHeaderFixed + cc_len;
  const size_t rpl = 1 + rhl + data.size() + pad;
  if (rpl > 0xFFFF) return LimitExceeded("SCP80: response packet longer than RPL allows");
  Bytes header;
  AppendBigEndian(header, rpl, 2);
  header.push_back(static_cast<uint8_t>(rhl));
  Append(header, h.tar.ToBytes());
  Bytes counter;
  AppendBigEndian(counter, h.counter, 5);
  Append(counter, {static_cast<uint8_t>(pad), h.status});
  return AppendSecuredPart(std::move(header), kResponseUdh, counter, data, pad, integrity, cipher,
                           keys);
}

Result<OpenedResponse> OpenResponse(ByteView packet, const PorSecurity& expected,
                                    const Scp80Keys& keys) {
  ByteReader r(packet);
  M2_ASSIGN_OR_RETURN(uint16_t rpl, r.ReadU16());
  if (rpl != r.remaining()) return ParseError("SCP80: RPL does not match the packet length");
  M2_ASSIGN_OR_RETURN(uint8_t rhl, r.ReadU8());
  if (rhl < kResponseHeaderFixed) return ParseError("SCP80: RHL shorter than 10");
  M2_ASSIGN_OR_RETURN(ByteView tar_bytes, r.ReadView(3));
  const ByteView rest = r.ReadRest();
  const size_t cc_len = rhl - kResponseHeaderFixed;
  if (expected.integrity == Integrity::kDs)
    return ParseError("SCP80: digital signatures unsupported");
  std::optional<IntegrityAlgorithm> integrity;
  if (expected.integrity != Integrity::kNone) {
    M2_ASSIGN_OR_RETURN(integrity, DecodeKid(expected.kid, expected.integrity));
  }
  const size_t expected_len = integrity ? IntegrityLength(*integrity) : 0;
  OpenedResponse out;
  if (cc_len == 0 && expected_len != 0) {
    out.secured = false;  // an error PoR sent without security; checked below
  } else if (cc_len != expected_len) {
    return ParseError("SCP80: RHL does not fit the RC/CC the command asked for");
  }
  Bytes plain;
  if (expected.ciphered && out.secured) {
    M2_ASSIGN_OR_RETURN(CipherAlgorithm alg, DecodeKic(expected.kic));
    if (rest.empty()) return ParseError("SCP80: nothing ciphered in the PoR");
    M2_ASSIGN_OR_RETURN(plain, Cipher(alg, keys.kic, rest, true));
  } else {
    plain.assign(rest.begin(), rest.end());
  }
  if (plain.size() < 7 + cc_len) return ParseError("SCP80: PoR shorter than its header");
  const ByteView pv(plain);
  const ByteView counter_part = pv.first(7);
  const ByteView checksum = pv.subspan(7, cc_len);
  const ByteView body = pv.subspan(7 + cc_len);
  if (integrity && out.secured) {
    M2_ASSIGN_OR_RETURN(Bytes want,
                        Checksum(*integrity, keys.kid,
                                 Concat({kResponseUdh, packet.first(6), counter_part, body})));
    if (!ConstantTimeEqual(want, checksum)) {
      return SecurityError("SCP80: PoR RC/CC verification failed");
    }
  }
  const uint8_t pcntr = counter_part[5];
  if (pcntr > body.size()) return ParseError("SCP80: PoR PCNTR larger than its data");
  M2_ASSIGN_OR_RETURN(out.header.tar, Tar::FromBytes(tar_bytes));
  for (size_t i = 0; i < 5; ++i) out.header.counter = (out.header.counter << 8) | counter_part[i];
  out.header.status = counter_part[6];
  if (!out.secured && out.header.status == static_cast<uint8_t>(PorStatus::kOk)) {
    return SecurityError("SCP80: PoR OK without the RC/CC the command asked for");
  }
  out.pcntr = pcntr;
  out.checksum.assign(checksum.begin(), checksum.end());
  out.data.assign(body.begin(), body.end() - pcntr);
  return out;
}

}  // namespace m2mrsp::scp
