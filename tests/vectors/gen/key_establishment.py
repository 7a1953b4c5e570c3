#!/usr/bin/env python3
"""Independent computation of an SGP.02 key establishment exchange (GP Amendment E scenario #3,
ECKA-EG; SGP.02 §4.1.3.1 / ES8.EstablishISDPKeySet), written from the rules in
shared/spec/sgp02-resolutions.md §2 with python3-cryptography as the crypto implementation:

  STORE DATA #2 data field = DGI 3A02 (CRT A6) || DGI 7F49 (B0 04|X|Y, F0 00) || DGI 5F37 (r||s)
  signed data              = DGI 3A02 || DGI 7F49 || 00 85 || len || RC
  ShS                      = ECDH(eSK.DP, PK.ECASD) x-coordinate
  SharedInfo               = key usage (95) || key type (80) || key length (81) [|| DR]
  key data                 = X9.63-KDF-SHA256(ShS, SharedInfo), receipt key first, then the keys
  receipt                  = AES-CMAC(receipt key, CRT TLV [|| 85 L DR]) (no pre-padding)

Fixed private keys make everything but the ECDSA signature reproducible (python-cryptography signs
with a random nonce); the script verifies its own signature before writing. Output:
tests/vectors/key_establishment.vec."""
from cryptography.hazmat.primitives import hashes, cmac
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.kdf.x963kdf import X963KDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from vecio import write_vec

SK_ECASD = 0x81DB1EE100150FF2EA338D708271BE38300CB54241D79950F77B063039804F1D
SK_DP_ECDSA = 0x55E40BC41E37E3E2AD25C3C6654511FFA8474A91A0032087593852D3E7D76BD3
ESK_DP = 0x7A1B8A9D3C4E5F60718293A4B5C6D7E8F90112233445566778899AABBCCDDEEF
RC = bytes.fromhex("5B6C2E8D4F1A3B7C9D0E1F2A3B4C5D6E")
DR = bytes.fromhex("0F1E2D3C4B5A69788796A5B4C3D2E1F0")


def dgi(tag, value):
    assert len(value) < 255
    return tag.to_bytes(2, "big") + bytes([len(value)]) + value


def point(priv):
    return priv.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)


def crt(scenario, key_usage=0x10, key_type=0x88, key_len=16, key_id=1, kvn=0x30):
    body = (bytes([0x90, 0x02, 0x03, scenario, 0x95, 0x01, key_usage, 0x80, 0x01, key_type,
                   0x81, 0x01, key_len, 0x82, 0x01, key_id, 0x83, 0x01, kvn, 0x91, 0x00]))
    return bytes([0xA6, len(body)]) + body


def exchange(scenario, with_dr):
    curve = ec.SECP256R1()
    ecasd = ec.derive_private_key(SK_ECASD, curve)
    dp = ec.derive_private_key(SK_DP_ECDSA, curve)
    eph = ec.derive_private_key(ESK_DP, curve)
    a6 = crt(scenario)
    dgi_3a02 = dgi(0x3A02, a6)
    dgi_7f49 = dgi(0x7F49, bytes([0xB0, 0x41]) + point(eph) + bytes([0xF0, 0x01, 0x00]))
    signed = dgi_3a02 + dgi_7f49 + bytes([0x00, 0x85, len(RC)]) + RC
    der = dp.sign(signed, ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    rs = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    dp.public_key().verify(encode_dss_signature(r, s), signed, ec.ECDSA(hashes.SHA256()))
    store_data = dgi_3a02 + dgi_7f49 + dgi(0x5F37, rs)

    shs = eph.exchange(ec.ECDH(), ecasd.public_key())
    assert shs == ecasd.exchange(ec.ECDH(), eph.public_key())
    shared_info = bytes([0x10, 0x88, 0x10]) + (DR if with_dr else b"")
    key_data = X963KDF(hashes.SHA256(), 64, shared_info).derive(shs)
    receipt_key, enc, mac, dek = (key_data[i:i + 16] for i in range(0, 64, 16))
    c = cmac.CMAC(algorithms.AES(receipt_key))
    c.update(a6 + ((bytes([0x85, len(DR)]) + DR) if with_dr else b""))
    receipt = c.finalize()
    response = ((bytes([0x85, len(DR)]) + DR) if with_dr else b"") + bytes([0x86, 0x10]) + receipt
    rec = [("Curve", "P-256"),
           ("SkEcasd", f"{SK_ECASD:064x}"), ("PkEcasd", point(ecasd).hex()),
           ("SkDpEcdsa", f"{SK_DP_ECDSA:064x}"), ("PkDpEcdsa", point(dp).hex()),
           ("EskDp", f"{ESK_DP:064x}"),
           ("Rc", RC.hex()), ("Dr", DR.hex() if with_dr else ""),
           ("Crt", a6.hex()), ("SignedData", signed.hex()), ("StoreData", store_data.hex()),
           ("ShS", shs.hex()), ("SharedInfo", shared_info.hex()),
           ("ReceiptKey", receipt_key.hex()), ("KeyEnc", enc.hex()), ("KeyMac", mac.hex()),
           ("KeyDek", dek.hex()), ("Receipt", receipt.hex()), ("Response", response.hex())]
    return rec


write_vec(
    "key_establishment.vec",
    "SGP.02 key establishment (GP Amd E scenario #3, ECKA-EG): one ES8.EstablishISDPKeySet exchange",
    "rules of shared/spec/sgp02-resolutions.md §2 (WHTY + Njiwa agreement, [C2]); CRT A6 from WHTY",
    "computed with python3-cryptography 38 by gen/key_establishment.py (ECDH, X9.63 KDF, CMAC, ECDSA)",
    [("Scenario-09", [exchange(0x09, False)]), ("Scenario-0B-DR", [exchange(0x0B, True)])],
    notes=["StoreData = the data field of STORE DATA 80 E2 89 01 (3A02 || 7F49 || 5F37);",
           "Response = the card's answer data (85 DR when requested, then 86 10 receipt).",
           "SignatureDer is not stored: the r||s in StoreData is random per run and verified here."])
