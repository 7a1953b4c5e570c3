#!/usr/bin/python3
"""gp_cert.vec: GlobalPlatform compact certificate (tag 7F21) signature check.

Certificate and issuer point are quoted from martinpaljak/GlobalPlatformPro
library/src/test/java/pro/javacard/gp/test/TestGPCertificate.java (CERTIFICATE, CA_POINT).
This script parses the TLVs itself, takes the signed data = every TLV inside 7F21 before 5F37
(= certificate bytes 4 .. len-67 for this 189-byte cert), converts the raw r|s of 5F37 to DER and
verifies ECDSA-SHA256 on P-256 with python3-cryptography (the independent implementation).
"""
import cryptography
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.exceptions import InvalidSignature
from vecio import write_vec

CERT = ("7F2181B99304010203044208A0000001510000005F2008A000000151535041950200805F250420"
        "2601015F2404203612317F4946B04104951CEEA4AA1DAFEEE5CB52527C8362BF8639BAFB34DDF9D02FE242DC8D53AFB86EB977F0075"
        "3A58A2592466EF5DFAD091BA4689D5FD6735CD6884FC39DBB7FEDF001005F3740392E53D1FC0715DE9769BF7D758A3188DAF80459D5"
        "342246751394E7E67A0B8D1511A0BA96AF384E96E23FDC93B538F9E3B3B6F021100A4CE141EDD467A949B6").lower()
ISSUER = ("047E0D5C818E2B34C61247E0C58F27411C0BA782DC395B818FC5AE1F1BD9382D4BDB4CB2D43397650436F9C2D63668F355"
          "0877B7968370F321B07639E408AAA48D").lower()


def tlv(buf, pos):
    """Read one BER-TLV at pos: (tag bytes, value start, value end)."""
    start = pos
    pos += 1
    if buf[start] & 0x1F == 0x1F:                  # multi-byte tag
        while buf[pos] & 0x80:
            pos += 1
        pos += 1
    tag = buf[start:pos]
    n = buf[pos]
    pos += 1
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(buf[pos:pos + k], "big")
        pos += k
    return tag, pos, pos + n


cert = bytes.fromhex(CERT)
tag, vs, ve = tlv(cert, 0)
assert tag == b"\x7f\x21" and ve == len(cert) == 189
pos, fields = vs, []
while pos < ve:
    t, s, e = tlv(cert, pos)
    fields.append((t.hex(), pos, s, e))
    pos = e
assert [f[0] for f in fields] == ["93", "42", "5f20", "95", "5f25", "5f24", "7f49", "5f37"]
_, sig_tlv_start, sig_s, sig_e = fields[-1]
signed = cert[vs:sig_tlv_start]
sig = cert[sig_s:sig_e]
assert signed == cert[4:len(cert) - 67] and len(signed) == 118 and len(sig) == 64

_, _, pk_s, pk_e = fields[6]                                   # 7F49 { B0 41 04|X|Y, F0 01 00 }
pk = cert[pk_s:pk_e]
assert pk[:2] == b"\xb0\x41" and pk[-3:] == b"\xf0\x01\x00" and len(pk) == 70
ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), pk[2:67])  # subject key is a P-256 point

issuer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), bytes.fromhex(ISSUER))
der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
issuer.verify(der, signed, ec.ECDSA(hashes.SHA256()))          # raises if it does not verify
try:                                                              # and a 1-bit change must fail
    issuer.verify(der, signed[:-1] + bytes([signed[-1] ^ 1]), ec.ECDSA(hashes.SHA256()))
    raise SystemExit("tampered data verified")
except InvalidSignature:
    pass

write_vec("gp_cert.vec", "GlobalPlatform 7F21 compact certificate: ECDSA-SHA256 (P-256) signature 5F37 over the TLVs before it",
          "martinpaljak/GlobalPlatformPro library/src/test/java/pro/javacard/gp/test/TestGPCertificate.java "
          "(CERTIFICATE, CA_POINT); /work/shared/spec/sgp02-security-wire.md section 2.4",
          f"gen/gp_cert.py parses the TLVs and verifies Sig over SignedData with IssuerPub using python3-cryptography {cryptography.__version__}",
          [("P-256", [[("Cert", CERT), ("IssuerPub", ISSUER), ("SignedData", signed.hex()), ("Sig", sig.hex())]])],
          notes=["SignedData = the TLVs inside 7F21 preceding 5F37 (cert bytes 4 .. len-67); Sig = raw r|s (64 bytes) from 5F37.",
                 "Key usage 95 02 00 80 = key agreement; public key 7F49 { B0 41 04|X|Y, F0 01 00 (P-256) }."])
