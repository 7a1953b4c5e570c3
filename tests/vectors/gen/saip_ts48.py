#!/usr/bin/python3
"""saip_ts48.vec: facts of the four GSMA TS.48 v7 profile packages, extracted by an independent
minimal DER walker (this file; plain python, no code shared with the C++ decoder).

Input: ../shared/testdata/ts48/*.der beside the checkout (GSMA TS.48 v7.0, Apache 2.0; not copied
into the repository). Output per package: Name (file stem), Length (bytes), Tags (the tag bytes of
every top-level ProfileElement, concatenated), Iccid (header iccid, plain BCD digits), EfIccid
(mf ef-iccid fillFileContent), EfImsi (first usim ef-imsi fillFileContent), AkaKey (first
akaParameter algoParameter key), SdAid (securityDomain instance AID), Sha256 (of the whole file,
computed with python3-cryptography, so the C++ test knows it reads the same bytes).
Each value is cross-checked against the GSMA ASN.1 value notation (*.asn1.txt) before writing.
Field positions follow PEDefinitions v3.3.1 (AUTOMATIC TAGS): ProfileHeader.iccid [3] = 83;
PE-MF ef-iccid [4] = A4; PE-USIM ef-imsi [3] = A3; File fillFileContent [3] = 83;
PE-AKAParameter algoConfiguration [1] = A1 (explicit, CHOICE) > algoParameter [1] = A1 > key [2] = 82;
PE-SecurityDomain instance [1] = A1 > instanceAID = third 4F.
"""
import re
import sys
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from vecio import write_vec

SHARED = Path(__file__).resolve().parents[4] / "shared" / "testdata" / "ts48"
STEMS = ["ts48v7_SAIP2.3_NoBERTLV", "ts48v7_SAIP2.3_NoBERTLV_NoRAMRFM",
         "ts48v7_SAIP2.3_BERTLV_SUCI", "ts48v7_SAIP2.3_BERTLV_SUCI_NoRAMRFM"]


def tlvs(data):
    """Yields (tag_bytes, value) for a concatenation of DER TLVs; raises on malformed input."""
    i = 0
    while i < len(data):
        start = i
        first = data[i]
        i += 1
        if first & 0x1F == 0x1F:
            while data[i] & 0x80:
                i += 1
            i += 1
        tag = data[start:i]
        n = data[i]
        i += 1
        if n & 0x80:
            k = n & 0x7F
            if k == 0 or k > 4:
                raise ValueError("bad length form")
            n = int.from_bytes(data[i:i + k], "big")
            i += k
        if i + n > len(data):
            raise ValueError("truncated")
        yield tag, data[i:i + n]
        i += n


def child(value, tag_hex, nth=0):
    found = [v for t, v in tlvs(value) if t.hex() == tag_hex]
    return found[nth]


def facts(der):
    out = {"Tags": "", "EfImsi": None, "AkaKey": None, "Count": 0}
    for tag, value in tlvs(der):
        out["Tags"] += tag.hex()
        out["Count"] += 1
        t = tag.hex()
        if t == "a0":
            out["Iccid"] = child(value, "83").hex()
        elif t == "b0":
            out["EfIccid"] = child(child(value, "a4"), "83").hex()
        elif t == "b3" and out["EfImsi"] is None:
            out["EfImsi"] = child(child(value, "a3"), "83").hex()
        elif t == "a4" and out["AkaKey"] is None:
            out["AkaKey"] = child(child(child(value, "a1"), "a1"), "82").hex()
        elif t == "a6":
            out["SdAid"] = child(child(value, "a1"), "4f", 2).hex()
    return out


def check_against_value_notation(stem, f):
    text = (SHARED / (stem + ".asn1.txt")).read_text()
    names = re.findall(r"^value\d+ ProfileElement ::= ([A-Za-z0-9-]+) :", text, re.M)
    assert len(names) == f["Count"], stem
    assert re.search(r"iccid '%s'H" % f["Iccid"].upper(), text), stem
    assert f["EfIccid"].upper() in text and f["EfImsi"].upper() in text, stem
    assert "key '%s'H" % f["AkaKey"].upper() in text, stem
    assert "'%s'H" % f["SdAid"].upper() in text, stem


def main():
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} not found: the TS.48 packages live in ../shared beside the checkout")
    records = []
    for stem in STEMS:
        der = (SHARED / (stem + ".der")).read_bytes()
        f = facts(der)
        check_against_value_notation(stem, f)
        h = hashes.Hash(hashes.SHA256())
        h.update(der)
        records.append([("Name", stem), ("Length", str(len(der))), ("Tags", f["Tags"]),
                        ("Iccid", f["Iccid"]), ("EfIccid", f["EfIccid"]), ("EfImsi", f["EfImsi"]),
                        ("AkaKey", f["AkaKey"]), ("SdAid", f["SdAid"]),
                        ("Sha256", h.finalize().hex())])
    write_vec("saip/ts48.vec", "GSMA TS.48 v7 profile packages: facts for the SAIP decoder",
              "GSMA TS.48 v7.0 generic eUICC test profiles (../shared/testdata/ts48, "
              "GSMATerminals/Generic-eUICC-Test-Profile-for-Device-Testing-Public)",
              "extracted by gen/saip_ts48.py (independent python DER walker), each value checked "
              "against the GSMA ASN.1 value notation",
              [("TS48", records)],
              notes=["Tags = top-level element tag bytes concatenated (all one-byte tags here).",
                     "Iccid is the header's plain-BCD hex, which equals its digits for a 20-digit ICCID."])


if __name__ == "__main__":
    main()
