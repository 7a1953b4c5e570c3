// AES (NIST SP 800-38A) and DES/3DES (python3-cryptography, FIPS 81) vectors.
#include "crypto/cipher.h"

#include <gtest/gtest.h>

#include "support/vectors.h"

namespace m2mrsp::crypto {
namespace {

TEST(Aes, Sp80038aVectors) {
  const auto records = testing::LoadVectors("aes.vec");
  size_t n = 0;
  for (const auto& rec : records) {
    SCOPED_TRACE(rec.Where() + " " + rec.section);
    const Bytes key = rec.Hex("Key"), pt = rec.Hex("Plaintext"), ct = rec.Hex("Ciphertext");
    if (rec.section.rfind("CBC", 0) == 0) {
      EXPECT_EQ(*AesCbcEncrypt(key, rec.Hex("Iv"), pt), ct);
      EXPECT_EQ(*AesCbcDecrypt(key, rec.Hex("Iv"), ct), pt);
    } else {
      EXPECT_EQ(*AesEcbEncrypt(key, pt), ct);
      EXPECT_EQ(*AesEcbDecrypt(key, ct), pt);
      auto enc = AesEcbEncryptor::Create(key);
      ASSERT_TRUE(enc.ok());
      Bytes first(16);
      ASSERT_TRUE(enc->EncryptBlock(pt.data(), first.data()).ok());
      EXPECT_EQ(first, Bytes(ct.begin(), ct.begin() + 16));
    }
    ++n;
  }
  EXPECT_EQ(n, 6u);  // ECB and CBC for 128/192/256
}

TEST(Aes, RefusesBadSizes) {
  const Bytes k16(16), iv(16), block(16);
  EXPECT_FALSE(AesCbcEncrypt(Bytes(15), iv, block).ok());
  EXPECT_FALSE(AesCbcEncrypt(k16, Bytes(8), block).ok());
  EXPECT_FALSE(AesCbcEncrypt(k16, iv, Bytes(17)).ok());
  EXPECT_FALSE(AesEcbEncrypt(k16, Bytes(15)).ok());
  EXPECT_FALSE(AesEcbEncryptor::Create(Bytes(20)).ok());
  EXPECT_TRUE(AesCbcEncrypt(k16, iv, {})->empty());
}

TEST(Des, Vectors) {
  const auto records = testing::LoadVectors("des.vec");
  size_t enc = 0, mac = 0;
  for (const auto& rec : records) {
    SCOPED_TRACE(rec.Where() + " " + rec.section);
    const Bytes key = rec.Hex("Key");
    if (rec.Has("Mac")) {
      auto m = DesCbcMac(key, rec.Hex("Msg"));
      ASSERT_TRUE(m.ok()) << m.status().ToString();
      EXPECT_EQ(*m, rec.Hex("Mac"));
      ++mac;
    } else if (rec.section == "3DES-ECB") {
      // ECB is CBC with a zero IV applied to each block on its own.
      const Bytes pt = rec.Hex("Plaintext"), ct = rec.Hex("Ciphertext"), zero(kDesBlock, 0);
      for (size_t i = 0; i < pt.size(); i += kDesBlock) {
        EXPECT_EQ(*DesCbcEncrypt(key, zero, ByteView(pt).subspan(i, kDesBlock)),
                  Bytes(ct.begin() + static_cast<std::ptrdiff_t>(i),
                        ct.begin() + static_cast<std::ptrdiff_t>(i + kDesBlock)));
      }
      ++enc;
    } else {
      const Bytes iv = rec.Hex("Iv"), pt = rec.Hex("Plaintext"), ct = rec.Hex("Ciphertext");
      EXPECT_EQ(*DesCbcEncrypt(key, iv, pt), ct);
      EXPECT_EQ(*DesCbcDecrypt(key, iv, ct), pt);
      ++enc;
    }
  }
  EXPECT_GE(enc, 3u);
  EXPECT_GE(mac, 3u);
}

TEST(Des, CbcMacOfRealCardOtaCommand) {
  // osmocom/pysim tests/unittests/test_ota.py Test_SMS_3DES.test_cmd_3des_signed: a SCP80
  // command packet with SPI 02 19 (CC, 2-key 3DES KID 35, no counter) for a real card's KID3.
  // MAC input = CPL ‖ CHL ‖ SPI ‖ KIc ‖ KID ‖ TAR ‖ CNTR ‖ PCNTR ‖ APDU ‖ one 00 pad byte
  // (shared/spec/sgp02-security-wire.md §5.2); pySim's expected CC is 072ea17bdb72060e.
  const Bytes kid3 = HexOrDie("12110C78E678C25408233076AA033615");
  const Bytes input = HexOrDie("001d 15 0219 35 35 b00000 0000000000 00 00a40000023f00 00");
  EXPECT_EQ(ToHex(*DesCbcMac(kid3, input)), "072ea17bdb72060e");
}

TEST(Des, RefusesBadSizes) {
  EXPECT_FALSE(DesCbcEncrypt(Bytes(12), Bytes(8), Bytes(8)).ok());
  EXPECT_FALSE(DesCbcEncrypt(Bytes(16), Bytes(16), Bytes(8)).ok());
  EXPECT_FALSE(DesCbcEncrypt(Bytes(16), Bytes(8), Bytes(7)).ok());
  EXPECT_FALSE(DesCbcMac(Bytes(16), {}).ok());
}

}  // namespace
}  // namespace m2mrsp::crypto
