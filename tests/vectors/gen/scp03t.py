#!/usr/bin/python3
"""scp03t.vec: SCP03t (SGP.02 section 4.1.3.3) command and response TLVs, computed independently.

There is no published SCP03t trace, so this script is a second implementation of the rules as
written in shared/spec/sgp02-resolutions.md section 1 (built from the WHTY and Njiwa SGP.02 code
bases and GP Amendment D), on python3-cryptography, written without looking at the C++ code:
  84 0A  KVN | key id | host challenge (8)
  84 20  key diversification (10) | KVN | 03 | 70 | card challenge (8) | card cryptogram (8) | counter (3)
         card challenge = SCP03 KDF(Key-ENC, 02, L=64, counter | ISD-P AID)   (section 1.4)
  85 11  33 | host cryptogram (8) | C-MAC (8); C-MAC = CMAC(S-MAC, 00*16 | 85 11 | 33 | host cryptogram)
  85 00  response
  86 L   AES-CBC(S-ENC, ICV, data | 80 00..) | C-MAC (8); counter incremented before each 86 (first = 1),
         ICV = AES-ECB(S-ENC, counter as 16 bytes), C-MAC = CMAC(S-MAC, MCV | 86 | L | ciphertext),
         L = BER length counting the MAC, MCV = full CMAC of the previous command (85 first)
  86 00  response without data
  86 L   response data: AES-CBC(S-ENC, AES-ECB(S-ENC, 80 | counter as 15 bytes), data | 80 00..) | R-MAC,
         R-MAC = CMAC(S-RMAC, C-MAC of the command answered | 86 | L | encrypted data)[:8]
The SCP03 KDF itself is the one checked against pySim's real-card traces in scp03_kdf.py.
"""
import cryptography
from cryptography.hazmat.primitives.cmac import CMAC
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from scp03_ref import cmac, kdf
from vecio import write_vec

H = bytes.fromhex
ISD_P_AID = H("a0000005591010ffffffff8900001100")






def ecb(key, block):
    e = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return e.update(block) + e.finalize()


def cbc(key, iv, data):
    e = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return e.update(data) + e.finalize()


def pad(data):
    data = data + b"\x80"
    return data + bytes(-len(data) % 16)


def ber_len(n):
    if n < 0x80:
        return bytes([n])
    if n < 0x100:
        return bytes([0x81, n])
    return bytes([0x82]) + n.to_bytes(2, "big")


def tlv(tag, value):
    return bytes([tag]) + ber_len(len(value)) + value


def session(name, key_enc, key_mac, kvn, key_id, host_ch, counter, div, segments):
    bits = len(key_enc) * 8
    card_ch = kdf(key_enc, 0x02, counter.to_bytes(3, "big") + ISD_P_AID, 64)
    ctx = host_ch + card_ch
    s_enc, s_mac, s_rmac = kdf(key_enc, 4, ctx, bits), kdf(key_mac, 6, ctx, bits), kdf(key_mac, 7, ctx, bits)
    card_cg, host_cg = kdf(s_mac, 0, ctx, 64), kdf(s_mac, 1, ctx, 64)
    rec = [("Name", name), ("KeyEnc", key_enc.hex()), ("KeyMac", key_mac.hex()), ("Kvn", f"{kvn:02x}"),
           ("KeyId", f"{key_id:02x}"), ("SdAid", ISD_P_AID.hex()), ("SequenceCounter", counter.to_bytes(3, "big").hex()),
           ("KeyDiversification", div.hex()), ("HostChallenge", host_ch.hex())]
    rec.append(("InitUpdateTlv", tlv(0x84, bytes([kvn, key_id]) + host_ch).hex()))
    rsp = div + bytes([kvn, 0x03, 0x70]) + card_ch + card_cg + counter.to_bytes(3, "big")
    rec.append(("InitUpdateRspTlv", tlv(0x84, rsp).hex()))
    value = bytes([0x33]) + host_cg
    hdr = bytes([0x85]) + ber_len(len(value) + 8)
    mcv = cmac(s_mac, bytes(16) + hdr + value)
    rec.append(("ExtAuthTlv", (hdr + value + mcv[:8]).hex()))
    rec.append(("ExtAuthRspTlv", "8500"))
    for n, (plain, rsp_data) in enumerate(segments, 1):
        ctr = n
        enc = cbc(s_enc, ecb(s_enc, ctr.to_bytes(16, "big")), pad(plain))
        hdr = bytes([0x86]) + ber_len(len(enc) + 8)
        mcv = cmac(s_mac, mcv + hdr + enc)
        rec += [(f"Segment{n}", plain.hex()), (f"Segment{n}Tlv", (hdr + enc + mcv[:8]).hex()),
                (f"Segment{n}RspData", rsp_data.hex())]
        if rsp_data:
            renc = cbc(s_enc, ecb(s_enc, b"\x80" + ctr.to_bytes(15, "big")), pad(rsp_data))
            rhdr = bytes([0x86]) + ber_len(len(renc) + 8)
            rmac = cmac(s_rmac, mcv + rhdr + renc)[:8]
            rec.append((f"Segment{n}RspTlv", (rhdr + renc + rmac).hex()))
        else:
            rec.append((f"Segment{n}RspTlv", "8600"))
    return rec


def pattern(n, seed):
    return bytes((seed + 7 * i) & 0xFF for i in range(n))


# Segment 1: one whole block (padding adds a block); 2: 200 bytes (81 length form);
# 3: 1000 bytes, the largest the resolutions recommend (82 length form), answered with data
# standing for the SAIP EUICCResponse (opaque here).
SEGMENTS = [(pattern(16, 1), b""), (pattern(200, 2), b""),
            (pattern(1000, 3), H("a00fa00d800101a1080201000c03616263"))]
recs = [
    session("AES128", H("000102030405060708090a0b0c0d0e0f"), H("101112131415161718191a1b1c1d1e1f"),
            0x30, 0x00, H("0123456789abcdef"), 5, bytes(10), SEGMENTS),
    session("AES256", H("404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"),
            H("606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"),
            0x30, 0x01, H("fedcba9876543210"), 0x10000, H("0102030405060708090a"), SEGMENTS),
]
write_vec("scp03t.vec", "SCP03t (SGP.02 4.1.3.3) command and response TLVs",
          "computed by gen/scp03t.py from the rules of shared/spec/sgp02-resolutions.md section 1 "
          "(WHTY shenqinglan/whatever_ty Scp03t.java and Njiwa, with GP Amendment D); no published trace exists",
          f"independent implementation on python3-cryptography {cryptography.__version__} (AES, CMAC); "
          "the SCP03 KDF matches pySim's real-card traces (gen/scp03_kdf.py)",
          [("SCP03t", recs)],
          notes=["SequenceCounter is the counter the card uses for this session (its stored value + 1).",
                 "SegmentN is a plaintext profile-package segment, SegmentNTlv the protected 86 TLV,",
                 "SegmentNRspData the card's response data for it (empty: the card answers 86 00), SegmentNRspTlv the response."])
