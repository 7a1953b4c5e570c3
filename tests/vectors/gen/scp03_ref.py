"""Reference GlobalPlatform SCP03 primitives on python3-cryptography, shared by the generator
scripts (scp03_kdf.py, scp03_apdu.py, scp03t.py): AES-CMAC, the SCP03 KDF (GP Amd D §4.1.5:
CMAC over 00x11 || constant || 00 || L(16 bits) || i(8 bits) || context), AES and 80-padding.
Independent of m2mrsp's C++ code."""
from cryptography.hazmat.primitives.cmac import CMAC
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms


def cmac(key, data):
    c = CMAC(algorithms.AES(key))
    c.update(data)
    return c.finalize()


def kdf(key, const, context, bits):
    out, i = b"", 1
    while len(out) * 8 < bits:
        out += cmac(key, bytes(11) + bytes([const, 0]) + bits.to_bytes(2, "big") + bytes([i]) + context)
        i += 1
    return out[:bits // 8]


def aes(key, mode, data, decrypt=False):
    c = Cipher(algorithms.AES(key), mode)
    x = c.decryptor() if decrypt else c.encryptor()
    return x.update(data) + x.finalize()


def pad80(data):
    data += b"\x80"
    return data + bytes(-len(data) % 16)
