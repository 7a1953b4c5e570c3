#!/usr/bin/python3
"""Checks milenage.vec (3GPP TS 35.208 test sets; the values are 3GPP's, this script only checks them).

An independent MILENAGE (3GPP TS 35.206 section 4.1) written from the algorithm description, with
python3-cryptography's AES-128 as the kernel Ek. For every record it recomputes OPc from OP and
f1, f1*, f2, f3, f4, f5, f5* from K, RAND, SQN, AMF, OPc, and exits non-zero on any mismatch.
"""
import sys
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from vecio import read_vec

R = (64, 0, 32, 64, 96)          # r1..r5 in bits
C = (0, 1, 2, 4, 8)              # c1..c5: value in the last byte of a zero block


def ek(k, block):
    e = Cipher(algorithms.AES(k), modes.ECB()).encryptor()
    return e.update(block) + e.finalize()


def xor(a, b):
    return bytes(x ^ y for x, y in zip(a, b))


def rot(x, r):                   # cyclic left rotation of a 128-bit block by r bits (multiple of 8 here)
    n = r // 8
    return x[n:] + x[:n]


def milenage(k, rand, sqn, amf, opc):
    temp = ek(k, xor(rand, opc))
    c = [bytes(15) + bytes([ci]) for ci in C]
    in1 = sqn + amf + sqn + amf
    out1 = xor(ek(k, xor(xor(temp, rot(xor(in1, opc), R[0])), c[0])), opc)
    out = [xor(ek(k, xor(rot(xor(temp, opc), R[i]), c[i])), opc) for i in range(1, 5)]
    return {"F1": out1[:8], "F1star": out1[8:], "F2": out[0][8:], "F5": out[0][:6],
            "F3": out[1], "F4": out[2], "F5star": out[3][:6]}


def main():
    bad = 0
    recs = read_vec("milenage.vec")
    for n, (_sec, r) in enumerate(recs, 1):
        v = {f: bytes.fromhex(x) for f, x in r.items()}
        got = {"Opc": xor(ek(v["K"], v["Op"]), v["Op"])}
        got.update(milenage(v["K"], v["Rand"], v["Sqn"], v["Amf"], v["Opc"]))
        for f, x in got.items():
            if x != v[f]:
                print(f"record {n}: {f} expected {v[f].hex()} computed {x.hex()}")
                bad += 1
    # TS 35.207 section 3 kernel check: AES with test set 1 key
    assert ek(bytes.fromhex("465b5ce8b199b49faa5f0a2ee238a6bc"),
              bytes.fromhex("ee36f7cf037d37d3692f7f0399e7949a")).hex() == "9e2980c59739da67b136355e3cede6a2"
    print(f"milenage.vec: {len(recs)} records, {bad} mismatches")
    return 1 if bad or len(recs) != 6 else 0


if __name__ == "__main__":
    sys.exit(main())
