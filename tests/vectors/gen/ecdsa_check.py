#!/usr/bin/python3
"""Cross-checks ecdsa/openssl_ecdsa.vec (made by the openssl CLI) with python3-cryptography:
every Valid = 1 record must verify (ECDSA-SHA256, DER signature, uncompressed public point) and
every Valid = 0 record must fail. Exits non-zero on any disagreement."""
import sys
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from vecio import read_vec

CURVES = {"P-256": ec.SECP256R1(), "brainpoolP256r1": ec.BrainpoolP256R1()}
bad = 0
recs = read_vec("ecdsa/openssl_ecdsa.vec")
for n, (_sec, r) in enumerate(recs, 1):
    pub = ec.EllipticCurvePublicKey.from_encoded_point(CURVES[r["Curve"]], bytes.fromhex(r["Pub"]))
    try:
        pub.verify(bytes.fromhex(r["SigDer"]), bytes.fromhex(r["Msg"]), ec.ECDSA(hashes.SHA256()))
        ok = True
    except InvalidSignature:
        ok = False
    if ok != (r["Valid"] == "1"):
        print(f"record {n}: Valid = {r['Valid']} but python3-cryptography says {ok}")
        bad += 1
print(f"ecdsa/openssl_ecdsa.vec: {len(recs)} records, {bad} disagreements")
sys.exit(1 if bad or not recs else 0)
