#!/usr/bin/python3
"""iccid.vec: ICCID Luhn validation and the two BCD encodings.

89000123456789012341 is the GSMA TS.48 test profile ICCID (TS.48 v7 DER: '83 0A 89 00 01 23 45 67 89
01 23 41'). The other valid ICCIDs are built here: a chosen prefix plus a Luhn check digit computed
in python. Invalid ones are derived here. Encodings:
  SwappedBcd = EF.ICCID / GP tag 5A form: pad to 20 digits with 'F', swap the nibbles of each byte.
  PlainBcd   = SAIP ProfileHeader.iccid form: plain BCD, right-padded with 'F' to 10 bytes.
Accepted lengths are 18-20 digits including the Luhn digit (pySim sanitize_iccid / E.118 practice).
Plain python is the independent check; every record is asserted before writing.
"""
from vecio import write_vec


def luhn_digit(body):
    """Check digit to append to body."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:          # rightmost body digit is doubled (it sits left of the check digit)
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str(-total % 10)


def valid(iccid):
    return 18 <= len(iccid) <= 20 and iccid.isascii() and iccid.isdigit() and luhn_digit(iccid[:-1]) == iccid[-1]


def swapped_bcd(iccid):
    s = iccid.ljust(20, "f")
    return "".join(s[i + 1] + s[i] for i in range(0, 20, 2))


def plain_bcd(iccid):
    return iccid.ljust(20, "f")


TS48 = "89000123456789012341"
assert valid(TS48) and swapped_bcd(TS48) == "98001032547698103214" and plain_bcd(TS48) == TS48

# (prefix without check digit) -> full ICCID with computed Luhn digit
PREFIXES = ["8900012345678901234",     # 19 + 1 = 20 digits (reproduces TS.48 ICCID)
            "894412345678901234",      # 18 + 1 = 19 digits
            "898821199000000000",      # 18 + 1 = 19 digits (pySim test card style, 8988211 = sysmocom)
            "8949000000000000001",     # 19 + 1 = 20 digits
            "89014103211118510"]       # 17 + 1 = 18 digits
VALID = [p + luhn_digit(p) for p in PREFIXES]
assert VALID[0] == TS48
assert all(valid(i) for i in VALID)

v19 = VALID[1]
INVALID = [
    ("last digit changed", TS48[:-1] + str((int(TS48[-1]) + 1) % 10)),
    ("two adjacent digits transposed", TS48[:5] + TS48[6] + TS48[5] + TS48[7:]),
    ("19-digit with wrong Luhn", v19[:-1] + str((int(v19[-1]) + 3) % 10)),
    ("17 digits (Luhn-correct, too short)", "8901410321111851" + luhn_digit("8901410321111851")),
    ("21 digits (Luhn-correct, too long)", "89000123456789012345" + luhn_digit("89000123456789012345")),
    ("non-digit", TS48[:8] + "A" + TS48[9:]),
    ("hex F padding left in", TS48[:19] + "F"),
]
for why, i in INVALID:
    assert i not in VALID and not valid(i), why
assert luhn_digit(INVALID[3][1][:-1]) == INVALID[3][1][-1] and luhn_digit(INVALID[4][1][:-1]) == INVALID[4][1][-1]

enc = []
for i in VALID:
    enc.append([("Iccid", i), ("SwappedBcd", swapped_bcd(i)), ("PlainBcd", plain_bcd(i))])

write_vec("iccid.vec", "ICCID Luhn validation (18-20 digits) and BCD encodings; Iccid values are decimal strings",
          "GSMA TS.48 v7 test profile ICCID 89000123456789012341 (see /work/shared/spec/sgp02-security-wire.md section 1.4); "
          "other ICCIDs built here with a computed Luhn digit",
          "Luhn digits and encodings computed and asserted with plain python by gen/iccid.py",
          [("Valid", [[("Iccid", i), ("Valid", "1")] for i in VALID]),
           ("Invalid", [[("Iccid", i), ("Valid", "0")] for _, i in INVALID]),
           ("Encoding", enc)],
          notes=["[Encoding]: SwappedBcd = EF.ICCID/tag 5A (nibble-swapped, F-padded to 10 bytes);",
                 "PlainBcd = SAIP ProfileHeader.iccid (plain BCD, right-padded with F to 10 bytes). Hex in lowercase.",
                 "Invalid cases in order: last digit changed; digits 6-7 transposed; 19-digit wrong Luhn;",
                 "17 digits with correct Luhn; 21 digits with correct Luhn; non-digit 'A'; trailing 'F' pad digit."])
