#!/usr/bin/python3
"""eid.vec: EID check digits, ISO/IEC 7064 MOD 97-10 (32 decimal digits; valid when the
whole EID as an integer mod 97 == 1; check digits = 98 - (prefix*100 mod 97)).

Valid EIDs are quoted from public sources: the classic GSMA example EID, the SGP.26 test EID,
pySim's test card EID (digest /work/shared/spec/sgp02-security-wire.md section 1.3) and two more
from osmocom/pysim tests/unittests/test_euicc.py. Invalid EIDs are derived here from the valid ones.
Plain python integer arithmetic is the independent check; every record is asserted before writing.
"""
from vecio import write_vec

VALID = ["89001012012341234012345678901224",   # GSMA example EID
         "89049032123451234512345678901235",   # SGP.26 test EID (pySim test_euicc.py)
         "89882119900000000000000000000005",   # pySim / sysmoEUICC1 test card
         "89086030202200000022000023022943",   # pySim test_euicc.py
         "89044045116727494800000004479366"]   # pySim test_euicc.py


def valid(eid):
    return len(eid) == 32 and eid.isdigit() and eid.isascii() and int(eid) % 97 == 1


def check_digits(prefix):
    return f"{98 - int(prefix + '00') % 97:02d}"


assert all(valid(e) for e in VALID)
e0 = VALID[0]
INVALID = [
    ("check digit changed", e0[:-1] + str((int(e0[-1]) + 1) % 10)),
    ("check digits 00", e0[:-2] + "00"),
    ("adjacent digits 5-6 transposed", e0[:4] + e0[5] + e0[4] + e0[6:]),
    ("adjacent digits 20-21 transposed", e0[:19] + e0[20] + e0[19] + e0[21:]),
    ("one digit in the body changed", e0[:10] + str((int(e0[10]) + 1) % 10) + e0[11:]),
    ("31 digits (last removed)", e0[:-1]),
    ("31 digits with correct MOD 97-10 check digits", e0[:29] + check_digits(e0[:29])),
    ("33 digits (a 0 appended)", e0 + "0"),
    ("33 digits ('0' prepended, so still 1 mod 97)", "0" + e0),
    ("non-digit 'A' in the body", e0[:12] + "A" + e0[13:]),
    ("non-digit '_' in the body", e0[:16] + "_" + e0[17:]),
    ("empty", ""),
]
# every derived value must really differ from the valid one
assert all(e != e0 for _, e in INVALID)

recs_valid = [[("Eid", e), ("Valid", "1")] for e in VALID]
recs_invalid = []
for why, e in INVALID:
    assert not valid(e), why
    recs_invalid.append([("Eid", e), ("Valid", "0")])
recs_cd = []
for e in VALID:
    assert e[:30] + check_digits(e[:30]) == e
    recs_cd.append([("Prefix", e[:30]), ("Eid", e)])
# two length cases are 1 mod 97, so only a length check rejects them
assert int(e0[:29] + check_digits(e0[:29])) % 97 == 1 and int("0" + e0) % 97 == 1

write_vec("eid.vec", "EID validation and check-digit computation (ISO/IEC 7064 MOD 97-10); values are decimal strings",
          "GSMA example EID; SGP.26 test EID; osmocom/pysim tests/unittests/test_euicc.py and pySim test card "
          "(see /work/shared/spec/sgp02-security-wire.md section 1.3); invalid ones derived here",
          "checked with python integer arithmetic (mod 97) by gen/eid.py",
          [("Valid", recs_valid), ("Invalid", recs_invalid), ("CheckDigits", recs_cd)],
          notes=["[Valid]/[Invalid]: Eid, Valid (1/0). [CheckDigits]: Prefix (first 30 digits) -> Eid (with the 2 check digits).",
                 "Invalid cases in order: check digit changed; check digits 00; digits 5-6 transposed; digits 20-21 transposed;",
                 "one body digit changed; 31 digits; 31 digits but 1 mod 97; 33 digits; 33 digits ('0' prepended) but 1 mod 97;",
                 "non-digit 'A'; non-digit '_'; empty string (Eid =)."])
