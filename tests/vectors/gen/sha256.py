#!/usr/bin/python3
"""sha256.vec: SHA-256 known answers.

Values are quoted from FIPS 180-2 Appendix B.1 ("abc") and B.2 (the 448-bit two-block message),
plus the empty message (NIST CAVP SHAVS SHA256ShortMsg.rsp, Len = 0). Each digest is
recomputed with python3-cryptography's SHA256 (the independent implementation) before writing.
"""
import cryptography
from cryptography.hazmat.primitives import hashes
from vecio import write_vec

CASES = [
    (b"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (b"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    (b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
]

recs = []
for msg, digest in CASES:
    h = hashes.Hash(hashes.SHA256())
    h.update(msg)
    assert h.finalize().hex() == digest, msg
    recs.append([("Msg", msg.hex()), ("Digest", digest)])

write_vec("sha256.vec", "SHA-256 known-answer tests (Msg is hex of the ASCII text)",
          "FIPS 180-2 Appendix B.1 (\"abc\") and B.2 (448-bit message); empty message from NIST CAVP SHA256ShortMsg.rsp (Len = 0)",
          f"recomputed with python3-cryptography {cryptography.__version__} by gen/sha256.py",
          [("SHA-256", recs)])
