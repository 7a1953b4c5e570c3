#!/usr/bin/python3
"""Generates usim_aka.vec: expected USIM AUTHENTICATE outcomes, computed independently of the C++.

[TestAlgorithm]  3GPP TS 34.108 section 8.1.2 "test algorithm" (the usim-test-algorithm of SAIP,
                 used by the GSMA TS.48 test profiles), written here from the clause text:
                 XDOUT = K xor RAND; RES = XDOUT[0..7] (8 bytes, our RES length choice);
                 CK = XDOUT rotated left by 1 byte; IK = rotated left by 2 bytes; AK = XDOUT[3..8];
                 CDOUT = SQN || AMF; XMAC = XDOUT[0..7] xor CDOUT; AUTN = SQN xor AK || AMF || MAC;
                 resynchronisation (8.1.2.2): AK* = XDOUT[3..8] as well, MAC-S = XDOUT[0..7] xor
                 (SQN_MS || 0000), AUTS = SQN_MS xor AK* || MAC-S.
[Milenage]       3GPP TS 35.208 test sets 1-6 (milenage.vec, checked by milenage_check.py): AUTN
                 built from the set's SQN/AMF/MAC-A, and the AUTS a USIM holding SQN_MS returns
                 (f1* with AMF* = 0000 per TS 33.102 section 6.3.3, computed by milenage_check's
                 independent MILENAGE).
Both sections give the full R-APDU data of TS 31.102 section 7.1.2.1: DB 08 RES 10 CK 10 IK 08 Kc
with Kc = c3(CK, IK) = CK1 xor CK2 xor IK1 xor IK2 (TS 33.102 section 6.8.1.2).
Deterministic: a re-run reproduces the committed file.
"""
from milenage_check import milenage
from vecio import read_vec, write_vec


def xor(a, b):
    return bytes(x ^ y for x, y in zip(a, b))


def c3(ck, ik):
    return xor(xor(ck[:8], ck[8:]), xor(ik[:8], ik[8:]))


def success_data(res, ck, ik):
    return b"\xdb" + bytes([len(res)]) + res + b"\x10" + ck + b"\x10" + ik + b"\x08" + c3(ck, ik)


def test_algorithm(k, rand, sqn, amf):
    xdout = xor(k, rand)
    res, ck, ik, ak = xdout[:8], xdout[1:] + xdout[:1], xdout[2:] + xdout[:2], xdout[3:9]
    mac = xor(xdout[:8], sqn + amf)
    return res, ck, ik, ak, mac


def test_algorithm_auts(k, rand, sqn_ms):
    xdout = xor(k, rand)
    return xor(sqn_ms, xdout[3:9]) + xor(xdout[:8], sqn_ms + b"\x00\x00")


def main():
    ta = []
    cases = [  # (K, RAND, SQN, AMF, SQN_MS for the resynchronisation record)
        ("000102030405060708090a0b0c0d0e0f", "00112233445566778899aabbccddeeff", "000000000021",
         "8000", "000000000040"),  # TS.48 key
        ("000102030405060708090a0b0c0d0e0f", "f0e1d2c3b4a5968778695a4b3c2d1e0f", "0000000004e3",
         "0000", "000000100001"),
        ("465b5ce8b199b49faa5f0a2ee238a6bc", "23553cbe9637a89d218ae64dae47bf35", "ff9bb4d0b607",
         "b9b9", "ff9bb4d0b600"),
    ]
    for k, rand, sqn, amf, sqn_ms in cases:
        k, rand, sqn, amf, sqn_ms = (bytes.fromhex(x) for x in (k, rand, sqn, amf, sqn_ms))
        res, ck, ik, ak, mac = test_algorithm(k, rand, sqn, amf)
        autn = xor(sqn, ak) + amf + mac
        ta.append([("K", k.hex()), ("Rand", rand.hex()), ("Sqn", sqn.hex()), ("Amf", amf.hex()),
                   ("Res", res.hex()), ("Ck", ck.hex()), ("Ik", ik.hex()), ("Ak", ak.hex()),
                   ("MacA", mac.hex()), ("Autn", autn.hex()),
                   ("Response", success_data(res, ck, ik).hex()), ("SqnMs", sqn_ms.hex()),
                   ("Auts", test_algorithm_auts(k, rand, sqn_ms).hex())])
    mil = []
    for _sec, r in read_vec("milenage.vec"):
        v = {f: bytes.fromhex(x) for f, x in r.items()}
        out = milenage(v["K"], v["Rand"], v["Sqn"], v["Amf"], v["Opc"])
        assert out["F1"] == v["F1"] and out["F5star"] == v["F5star"]
        autn = xor(v["Sqn"], v["F5"]) + v["Amf"] + v["F1"]
        # SQN_MS: the set's SQN with the IND bits cleared and SEQ advanced by 2, so that a USIM
        # holding it rejects the set's SQN as not fresh.
        sqn_int = int.from_bytes(v["Sqn"], "big")
        sqn_ms = (((sqn_int >> 5) + 2) << 5 | (sqn_int & 0x1F)) & ((1 << 48) - 1)
        sqn_ms = sqn_ms.to_bytes(6, "big")
        mac_s = milenage(v["K"], v["Rand"], sqn_ms, b"\x00\x00", v["Opc"])["F1star"]
        auts = xor(sqn_ms, v["F5star"]) + mac_s
        mil.append([("K", v["K"].hex()), ("Opc", v["Opc"].hex()), ("Rand", v["Rand"].hex()),
                    ("Sqn", v["Sqn"].hex()), ("Autn", autn.hex()),
                    ("Response", success_data(v["F2"], v["F3"], v["F4"]).hex()),
                    ("SqnMs", sqn_ms.hex()), ("Auts", auts.hex())])
    write_vec("usim_aka.vec", "USIM AUTHENTICATE (TS 31.102 7.1.2): test algorithm and MILENAGE",
              "computed: TS 34.108 8.1.2 test algorithm from the clause text; MILENAGE TS 35.208 sets 1-6",
              "gen/usim_aka.py (python3-cryptography AES for MILENAGE via milenage_check.py; "
              "test algorithm is XOR only)",
              [("TestAlgorithm", ta), ("Milenage", mil)],
              notes=["Response = R-APDU data of a successful 3G AUTHENTICATE: DB 08 RES 10 CK 10 IK 08 Kc.",
                     "Auts = what the USIM answers (DC 0E Auts) when its highest accepted SQN is SqnMs."])


if __name__ == "__main__":
    main()
