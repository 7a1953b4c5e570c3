#!/usr/bin/python3
"""Writes euicc_master_delete.vec: ES5.MasterDelete commands (DELETE with a B6 control reference
template and a 9E delete token) whose token is computed here, independently of m2mrsp, with
python3-cryptography AES-CMAC.

Rule (shared/spec/sgp02-resolutions.md §4, from WHTY's SM-DP code): token = full 16-byte
AES-CMAC with the ISD-P token key over P1 || P2 || Lc || data, where data is the 4F TLV and the
B6 TLV without the 9E token and Lc is the length of that data. The command is
80 E4 00 40 Lc' 4F 10 <AID> B6 L {42 SIN, 45 SDIN, 5F20 provider, 93 token id} 9E 10 <token> 00.
"""
from cryptography.hazmat.primitives.cmac import CMAC
from cryptography.hazmat.primitives.ciphers import algorithms

from vecio import write_vec


def tlv(tag, value):
    assert len(value) < 128
    return bytes.fromhex(tag) + bytes([len(value)]) + value


def cmac(key, msg):
    c = CMAC(algorithms.AES(key))
    c.update(msg)
    return c.finalize()


def record(name, key_hex, aid_hex, sin, sdin, provider, token_id):
    key = bytes.fromhex(key_hex)
    aid = bytes.fromhex(aid_hex)
    crt = tlv("42", sin) + tlv("45", sdin) + tlv("5f20", provider) + tlv("93", token_id)
    data = tlv("4f", aid) + tlv("b6", crt)
    p1, p2 = 0x00, 0x40
    token = cmac(key, bytes([p1, p2, len(data)]) + data)
    full = data + tlv("9e", token)
    apdu = bytes([0x80, 0xE4, p1, p2, len(full)]) + full + b"\x00"
    return [("Name", name), ("TokenKey", key.hex()), ("Aid", aid.hex()), ("Crt", crt.hex()),
            ("MacInput", (bytes([p1, p2, len(data)]) + data).hex()), ("Token", token.hex()),
            ("Apdu", apdu.hex())]


def main():
    recs = [
        record("aes128-tar11", "404142434445464748494a4b4c4d4e4f",
               "a0000005591010ffffffff8900001100", bytes.fromhex("01020304"),
               bytes.fromhex("a000000151000000"), b"MNO-A", bytes.fromhex("01")),
        record("aes256-tar12", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
               "a0000005591010ffffffff8900001200", bytes.fromhex("0a0b0c"),
               bytes.fromhex("a000000151000000"), b"SM-DP test", bytes.fromhex("0102")),
    ]
    write_vec("euicc_master_delete.vec", "SGP.02 ES5.MasterDelete delete tokens",
              "computed: rule of shared/spec/sgp02-resolutions.md §4 (WHTY SM-DP code), no published trace",
              "gen/euicc_master_delete.py, AES-CMAC by python3-cryptography (independent of m2mrsp)",
              [("MasterDelete", recs)])


if __name__ == "__main__":
    main()
