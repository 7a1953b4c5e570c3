#!/usr/bin/python3
"""Writes tests/vectors/gp/gppro.cert.hex and gppro.issuer.hex: GlobalPlatformPro's
TestGPCertificate certificate (7F21, hex text) and its issuer's P-256 point, taken from
gp_cert.vec (where gp_cert.py verified the signature with python3-cryptography), so the CLI test
(`m2mrsp cert verify --ca gppro.issuer.hex gppro.cert.hex`, tests/CMakeLists.txt) reads files.
Before writing, the signature is verified again here with python3-cryptography."""
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from vecio import read_vec

recs = read_vec("gp_cert.vec")
assert len(recs) == 1
_, fields = recs[0]
cert, issuer = bytes.fromhex(fields["Cert"]), bytes.fromhex(fields["IssuerPub"])
signed, sig = bytes.fromhex(fields["SignedData"]), bytes.fromhex(fields["Sig"])
assert cert[4:4 + len(signed)] == signed and cert.endswith(sig)
key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), issuer)
key.verify(encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")),
           signed, ec.ECDSA(hashes.SHA256()))
out = Path(__file__).resolve().parent.parent / "gp"
(out / "gppro.cert.hex").write_text(cert.hex().upper() + "\n")
(out / "gppro.issuer.hex").write_text(issuer.hex().upper() + "\n")
print("gp/gppro.cert.hex, gp/gppro.issuer.hex written and verified")
