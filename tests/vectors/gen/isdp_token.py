#!/usr/bin/python3
"""Generates isdp_token.vec: the ISD-P token key as the SM-DP provisions it and the tokens it makes.

[PutKey]  GlobalPlatform PUT KEY data field for the token key (shared/spec/sgp02-resolutions.md
          section 4, WHTY): 70 (new KVN) 88 (AES) 11 (component length) 10 (key length)
          AES-CBC(static Key-DEK, IV = 0, token key) 03 KCV, with KCV = first 3 bytes of
          AES-ECB(token key, 16 x 01) (GP Amd D key check value). Response = 70 KCV.
[Token]   MasterDelete token: full 16-byte AES-CMAC(token key, signed data) (resolutions section 4).
Computed with python3-cryptography only. Deterministic: a re-run reproduces the committed file.
"""
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from scp03_ref import cmac
from vecio import write_vec


def aes_cbc_zero_iv(key, data):
    e = Cipher(algorithms.AES(key), modes.CBC(bytes(16))).encryptor()
    return e.update(data) + e.finalize()


def kcv(key):
    e = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return (e.update(b"\x01" * 16) + e.finalize())[:3]


def main():
    put = []
    for dek, token in [("404142434445464748494a4b4c4d4e4f", "000102030405060708090a0b0c0d0e0f"),
                       ("8c1e9b2f0a5d4c3b2a1908f7e6d5c4b3", "e1e2e3e4e5e6e7e8e9eaebecedeeeff0")]:
        dek, token = bytes.fromhex(dek), bytes.fromhex(token)
        data = b"\x70\x88\x11\x10" + aes_cbc_zero_iv(dek, token) + b"\x03" + kcv(token)
        put.append([("Dek", dek.hex()), ("TokenKey", token.hex()), ("Data", data.hex()),
                    ("Kcv", kcv(token).hex()), ("Response", (b"\x70" + kcv(token)).hex())])
    tok = []
    key = bytes.fromhex("000102030405060708090a0b0c0d0e0f")
    for signed in ["00401e4f10a0000005591010ffffffff8900001000b60a42035344494e4503313233",
                   "0040124f10a0000005591010ffffffff8900001100"]:
        signed = bytes.fromhex(signed)
        tok.append([("TokenKey", key.hex()), ("SignedData", signed.hex()),
                    ("Token", cmac(key, signed).hex())])
    write_vec("isdp_token.vec", "ISD-P token key: PUT KEY data and MasterDelete tokens",
              "computed: GP PUT KEY layout and token rule of shared/spec/sgp02-resolutions.md section 4 (WHTY)",
              "gen/isdp_token.py (python3-cryptography AES-CBC/ECB and CMAC)",
              [("PutKey", put), ("Token", tok)])


if __name__ == "__main__":
    main()
