#!/usr/bin/python3
"""Checks that every .vec file under tests/vectors/ follows the shared format:
  line 1 '# <Title>', line 2 '# Source: ...', line 3 '# Verified: ...';
  every other line is blank, a '#' comment, '[Section]' or 'Name = value';
  records = runs of 'Name = value' lines separated by blank lines, no repeated name in a record;
  values are lowercase even-length hex (or empty) except the text fields listed below;
  each record's field set is one of those expected for its file; no CR, no trailing blanks.
Prints the record count per file; exits non-zero on any problem."""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT_FIELDS = {"Name", "Curve", "Length", "Valid", "Eid", "Prefix", "Iccid"}
SCP03 = {"Name", "KeyEnc", "KeyMac", "HostChallenge", "CardChallenge", "CardCryptogram", "HostCryptogram",
         "SEnc", "SMac", "SRmac", "Kvn", "SecurityLevel", "InitUpdateCmd", "InitUpdateRsp", "ExtAuthCmd"}
EXPECTED = {
    "cmac.vec": [{"Key", "Msg", "Mac"}],
    "aes.vec": [{"Key", "Plaintext", "Ciphertext"}, {"Key", "Iv", "Plaintext", "Ciphertext"}],
    "sha256.vec": [{"Msg", "Digest"}],
    "x963kdf.vec": [{"Z", "SharedInfo", "Length", "KeyData"}],
    "ecdh.vec": [{"Curve", "Priv", "OwnPub", "PeerPub", "Shared"}],
    "milenage.vec": [{"K", "Rand", "Sqn", "Amf", "Op", "Opc", "F1", "F1star", "F2", "F5", "F3", "F4", "F5star"}],
    "eid.vec": [{"Eid", "Valid"}, {"Prefix", "Eid"}],
    "iccid.vec": [{"Iccid", "Valid"}, {"Iccid", "SwappedBcd", "PlainBcd"}],
    "scp03_kdf.vec": [SCP03],
    "des.vec": [{"Key", "Iv", "Plaintext", "Ciphertext"}, {"Key", "Plaintext", "Ciphertext"}, {"Key", "Msg", "Mac"}],
    "gp_cert.vec": [{"Cert", "IssuerPub", "SignedData", "Sig"}],
    "ecdsa/openssl_ecdsa.vec": [{"Curve", "Pub", "Msg", "SigDer", "Valid"}],
    "scp80.vec": [{'Counter', 'Data', 'Kic', 'KicKey', 'Kid', 'KidKey', 'Name', 'Packet', 'Spi', 'Tar'}, {'Checksum', 'Counter', 'Data', 'Kic', 'KicKey', 'Kid', 'KidKey', 'Name', 'Pcntr', 'Response', 'Spi2', 'Status', 'Tar'}, {'Kic', 'KicKey', 'Kid', 'KidKey', 'Name', 'Response', 'Spi2'}],
    "sms.vec": [{'Address', 'Dcs', 'First', 'Name', 'Packet', 'Pid', 'Scts', 'Tpdu', 'UserData'}, {'Address', 'Dcs', 'First', 'Mr', 'Name', 'Pid', 'Tpdu', 'UserData', 'Vp'}, {'Address', 'Name', 'Packet', 'Part1', 'Part2', 'Ref16', 'Reference', 'Scts', 'Tpdu1', 'Tpdu2'}],
    "scp03_apdu.vec": [{'Case1Cmd', 'Case1Wrapped', 'Case2Cmd', 'Case2Wrapped', 'Case3Cmd', 'Case3Wrapped', 'Case4Cmd', 'Case4Wrapped', 'GetEidCmd', 'GetEidCmdWrapped', 'GetEidRsp', 'GetEidRspWrapped', 'Name', 'SdAid', 'SequenceCounter'}],
    "scp03t.vec": [{'ExtAuthRspTlv', 'ExtAuthTlv', 'HostChallenge', 'InitUpdateRspTlv', 'InitUpdateTlv', 'KeyDiversification', 'KeyEnc', 'KeyId', 'KeyMac', 'Kvn', 'Name', 'SdAid', 'Segment1', 'Segment1RspData', 'Segment1RspTlv', 'Segment1Tlv', 'Segment2', 'Segment2RspData', 'Segment2RspTlv', 'Segment2Tlv', 'Segment3', 'Segment3RspData', 'Segment3RspTlv', 'Segment3Tlv', 'SequenceCounter'}],
    "saip/ts48.vec": [{"Name", "Length", "Tags", "Iccid", "EfIccid", "EfImsi", "AkaKey", "SdAid", "Sha256"}],
    "euicc_frontends.vec": [{"E1", "KidKey", "Msisdn", "Name", "Packet", "Tpdu"},
                            {"Command", "Deliver", "KicKey", "KidKey", "Name", "Por", "ResponseScript",
                             "Script", "Submit"}],
    "euicc_master_delete.vec": [{"Name", "TokenKey", "Aid", "Crt", "MacInput", "Token", "Apdu"}],
    "usim_aka.vec": [{"K", "Rand", "Sqn", "Amf", "Res", "Ck", "Ik", "Ak", "MacA", "Autn", "Response", "SqnMs", "Auts"}, {"K", "Opc", "Rand", "Sqn", "Autn", "Response", "SqnMs", "Auts"}],
    "isdp_token.vec": [{"Dek", "TokenKey", "Data", "Kcv", "Response"}, {"TokenKey", "SignedData", "Token"}],
    "key_establishment.vec": [{'Crt', 'Curve', 'Dr', 'EskDp', 'KeyDek', 'KeyEnc', 'KeyMac', 'PkDpEcdsa', 'PkEcasd', 'Rc', 'Receipt', 'ReceiptKey', 'Response', 'ShS', 'SharedInfo', 'SignedData', 'SkDpEcdsa', 'SkEcasd', 'StoreData'}],
}
FIELD = re.compile(r"^([A-Za-z][A-Za-z0-9]*) = ?(.*)$")
HEX = re.compile(r"^([0-9a-f]{2})*$")


def check(path):
    errs, recs, cur = [], [], None
    raw = path.read_bytes()
    if b"\r" in raw or not raw.endswith(b"\n"):
        errs.append("CR found or no final newline")
    lines = raw.decode("utf-8").split("\n")[:-1]
    if len(lines) < 3 or not lines[0].startswith("# ") or not lines[1].startswith("# Source: ") \
            or not lines[2].startswith("# Verified: "):
        errs.append("header must be '# Title' / '# Source: ' / '# Verified: '")
    section = None
    for n, line in enumerate(lines, 1):
        if line != line.rstrip():
            errs.append(f"line {n}: trailing blank")
        if not line.strip():
            cur = None
        elif line.startswith("#"):
            continue
        elif re.fullmatch(r"\[[^\]]+\]", line):
            section, cur = line[1:-1], None
        elif m := FIELD.match(line):
            name, value = m.group(1), m.group(2)
            if cur is None:
                cur = {}
                recs.append((section, cur, n))
            if name in cur:
                errs.append(f"line {n}: field {name} repeated in one record")
            cur[name] = value
            if name not in TEXT_FIELDS and not HEX.match(value):
                errs.append(f"line {n}: {name} is not lowercase even-length hex")
        else:
            errs.append(f"line {n}: unparseable: {line!r}")
    rel = str(path.relative_to(ROOT))
    for section, rec, n in recs:
        if set(rec) not in EXPECTED.get(rel, []):
            errs.append(f"record at line {n}: unexpected field set {sorted(rec)}")
        if section is None:
            errs.append(f"record at line {n}: outside any [Section]")
    return rel, recs, errs


def main():
    files = sorted(ROOT.rglob("*.vec"))
    bad = 0
    for rel in EXPECTED:
        if not (ROOT / rel).exists():
            print(f"MISSING {rel}")
            bad += 1
    for path in files:
        rel, recs, errs = check(path)
        sections = sorted({s for s, _, _ in recs})
        print(f"{'OK  ' if not errs else 'FAIL'} {rel}: {len(recs)} records, sections {', '.join(sections)}")
        for e in errs:
            print(f"     {e}")
        bad += bool(errs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
