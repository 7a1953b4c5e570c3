#!/usr/bin/python3
"""ecdh.vec: ECDH (ECKA) shared secret = x-coordinate of Priv * PeerPub, 32 bytes.

[P-256]: RFC 5903 section 8.1 (i, gix, giy, r, grx, gry, girx), both directions; osmocom/pysim
  tests/unittests/test_esim.py TestECKA.test_mode51 (third-party SM-DP+ trace: smdp_otsk,
  smdp_otpk, euicc_otpk, expected_shared_secret).
[brainpoolP256r1]: RFC 7027 Appendix A.1 (dA, x_qA, y_qA, dB, x_qB, y_qB, x_Z), both directions.
python3-cryptography (the independent implementation) recomputes every OwnPub from Priv and every
Shared from Priv and PeerPub; the script asserts they equal the published values.
"""
import cryptography
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives import serialization
from vecio import write_vec

CURVES = {"P-256": ec.SECP256R1(), "brainpoolP256r1": ec.BrainpoolP256R1()}
RAW = serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint

# (curve, [(label, priv, pub_x, pub_y), (label, priv, pub_x, pub_y)], shared x)
RFC = [
    ("P-256", "RFC 5903 8.1",
     ("c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433",
      "dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180",
      "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3"),
     ("c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53",
      "d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63",
      "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab"),
     "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de"),
    ("brainpoolP256r1", "RFC 7027 A.1",
     ("81db1ee100150ff2ea338d708271be38300cb54241d79950f77b063039804f1d",
      "44106e913f92bc02a1705d9953a8414db95e1aaa49e81d9e85f929a8e3100be5",
      "8ab4846f11caccb73ce49cbdd120f5a900a69fd32c272223f789ef10eb089bdc"),
     ("55e40bc41e37e3e2ad25c3c6654511ffa8474a91a0032087593852d3e7d76bd3",
      "8d2d688c6cf93e1160ad04cc4429117dc2c41825e1e9fca0addd34e6f1b39f7b",
      "990c57520812be512641e47034832106bc7d3e8dd0e4c7f1136d7006547cec6a"),
     "89afc39d41d3b327814b80940b042590f96556ec91e6ae7939bce31f3a18bf2b"),
]
PYSIM = ("P-256",
         "fb68a38ccedb69e15cbe03c256228998ac398587e5dc7117f948145c839d61a4",
         "04a27e2bdbd94dcf67d4c9ae5cb149d9d0f093be7a16dc41ec9db0318e4db72d09"
         "234a7d7631979a5d150eec40afe17ce41673df9d2f2e4246d60051c74eba7964",
         "0400f7b8d71403f21d84b00cd9e561178d737d3f4d065e62fee279271298dd4f07"
         "4794ab791b9939d4461296efe388aa26731064263af988b7d2c4d77da44801b5",
         "c9a993dd4879a8f7161f2085410edd4f9652f1df37be097ba96ba2ca6be528fe")


def own_pub(curve, priv):
    key = ec.derive_private_key(int(priv, 16), CURVES[curve])
    return key, key.public_key().public_bytes(*RAW).hex()


def record(curve, priv, own, peer, shared):
    key, pub = own_pub(curve, priv)
    assert pub == own, (curve, priv)
    peer_key = ec.EllipticCurvePublicKey.from_encoded_point(CURVES[curve], bytes.fromhex(peer))
    assert key.exchange(ec.ECDH(), peer_key).hex() == shared, (curve, priv)
    return [("Curve", curve), ("Priv", priv), ("OwnPub", own), ("PeerPub", peer), ("Shared", shared)]


sections = {"P-256": [], "brainpoolP256r1": []}
for curve, _src, a, b, shared in RFC:
    pa, pb = "04" + a[1] + a[2], "04" + b[1] + b[2]
    sections[curve].append(record(curve, a[0], pa, pb, shared))
    sections[curve].append(record(curve, b[0], pb, pa, shared))
sections["P-256"].append(record(*PYSIM))

write_vec("ecdh.vec", "ECDH shared secret (x-coordinate, 32 bytes); public keys uncompressed 04|X|Y",
          "RFC 5903 section 8.1 (P-256); osmocom/pysim tests/unittests/test_esim.py TestECKA (P-256, third-party SM-DP+ trace); "
          "RFC 7027 Appendix A.1 (brainpoolP256r1)",
          f"OwnPub and Shared recomputed with python3-cryptography {cryptography.__version__} by gen/ecdh.py",
          list(sections.items()),
          notes=["Records 1-2 of [P-256] are RFC 5903 (i/gi and r/gr), record 3 is pySim TestECKA (SM-DP+ side);",
                 "[brainpoolP256r1] records are RFC 7027 A.1 (dA/qA, then dB/qB)."])
