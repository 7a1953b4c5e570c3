#!/usr/bin/python3
"""des.vec: single DES and Triple-DES (TDEA) CBC encryption and CBC-MAC.

The independent implementation is python3-cryptography's TripleDES: an 8-byte key is single DES
(K1K1K1), a 16-byte key is 2-key 3DES (K1K2K1), a 24-byte key is 3-key 3DES (K1K2K3).
Published anchors, asserted before writing:
  [DES-CBC] record 1: FIPS 81 CBC example ("Now is the time for all ", key 0123456789abcdef,
            IV 1234567890abcdef).
  [3DES-ECB]: NIST SP 800-67 Rev. 1 Appendix B example ("The qufck brown fox jump").
All other records use fixed, visible keys/data and are computed here. [CBC-MAC] is the ETSI
TS 102 225 cryptographic checksum for DES/3DES in CBC mode: the last 8-byte block of CBC
encryption with a zero IV over data that is already a multiple of 8 bytes (no padding here);
it is cross-checked with a hand-written CBC chain over single-block ECB calls.
"""
import cryptography
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from vecio import write_vec

K1, K2, K3 = "0123456789abcdef", "fedcba9876543210", "89abcdef01234567"
KEYS = {"DES": K1, "2-key 3DES": K1 + K2, "3-key 3DES": K1 + K2 + K3}


def enc(key, mode, data):
    e = Cipher(algorithms.TripleDES(bytes.fromhex(key)), mode).encryptor()
    return e.update(data) + e.finalize()


def cbc(key, iv, data):
    return enc(key, modes.CBC(bytes.fromhex(iv)), data)


def cbc_mac_by_hand(key, data):
    chain = bytes(8)
    for i in range(0, len(data), 8):
        chain = enc(key, modes.ECB(), bytes(a ^ b for a, b in zip(chain, data[i:i + 8])))
    return chain


# Key-expansion sanity: 8-byte key == K1K1K1, 16-byte key == K1K2K1
block = bytes.fromhex("4e6f772069732074")
assert enc(K1, modes.ECB(), block) == enc(K1 * 3, modes.ECB(), block)
assert enc(K1 + K2, modes.ECB(), block) == enc(K1 + K2 + K1, modes.ECB(), block)

# FIPS 81 CBC example
FIPS81 = ("0123456789abcdef", "1234567890abcdef", b"Now is the time for all ",
          "e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6")
assert cbc(FIPS81[0], FIPS81[1], FIPS81[2]).hex() == FIPS81[3]
# SP 800-67 Rev. 1 Appendix B (3-key TDEA, ECB)
SP80067 = ("0123456789abcdef23456789abcdef01456789abcdef0123", b"The qufck brown fox jump",
           "a826fd8ce53b855fcce21c8112256fe668d5c05dd9b6b900")
assert enc(SP80067[0], modes.ECB(), SP80067[1]).hex() == SP80067[2]

DATA32 = bytes(range(0x00, 0x20))           # 000102...1f
IVS = ["0000000000000000", "a0a1a2a3a4a5a6a7"]


def rec_cbc(key, iv, pt):
    return [("Key", key), ("Iv", iv), ("Plaintext", pt.hex()), ("Ciphertext", cbc(key, iv, pt).hex())]


des_cbc = [[("Key", FIPS81[0]), ("Iv", FIPS81[1]), ("Plaintext", FIPS81[2].hex()), ("Ciphertext", FIPS81[3])]]
des_cbc += [rec_cbc(K1, iv, DATA32) for iv in IVS]
tdes_cbc = [rec_cbc(KEYS[k], iv, DATA32[:n]) for k in ("2-key 3DES", "3-key 3DES") for iv, n in zip(IVS, (24, 32))]
tdes_ecb = [[("Key", SP80067[0]), ("Plaintext", SP80067[1].hex()), ("Ciphertext", SP80067[2])]]

macs = []
for name, key in KEYS.items():
    for n in (8, 16, 24, 32):
        msg = DATA32[:n]
        mac = cbc(key, "0000000000000000", msg)[-8:]
        assert mac == cbc_mac_by_hand(key, msg), (name, n)
        macs.append([("Key", key), ("Msg", msg.hex()), ("Mac", mac.hex())])

write_vec("des.vec", "DES / 3DES CBC encryption and CBC-MAC (no padding; data is block-aligned)",
          "FIPS 81 CBC example (DES-CBC record 1); NIST SP 800-67 Rev. 1 Appendix B ([3DES-ECB]); "
          "other records computed; CBC-MAC layout per ETSI TS 102 225 (DES/3DES CBC cryptographic checksum)",
          f"published anchors re-checked and all other values computed with python3-cryptography {cryptography.__version__} TripleDES by gen/des.py",
          [("DES-CBC", des_cbc), ("3DES-CBC", tdes_cbc), ("3DES-ECB", tdes_ecb), ("CBC-MAC", macs)],
          notes=["Key length selects the algorithm: 8 bytes single DES, 16 bytes 2-key 3DES (K1K2K1), 24 bytes 3-key 3DES.",
                 "[CBC-MAC]: Mac = last 8-byte block of CBC encryption of Msg with IV 0000000000000000.",
                 "[DES-CBC] record 1 is FIPS 81 (Plaintext = ASCII \"Now is the time for all \"); [3DES-ECB] is SP 800-67 Rev. 1."])
