#!/usr/bin/python3
"""Writes sms.vec: SMS TPDUs (3GPP TS 23.040) carrying SCP80 packets (3GPP TS 31.115).

Published TPDUs from osmocom/pysim (tests/unittests/test_ota.py SJA5 samples, test_sms.py) are
re-encoded by the small TS 23.040 encoder below and asserted. pySim's SJA5 SMS-DELIVER TPDUs carry
TP-UDL = 03 (the test passes tp_udl=3 by hand) although 37 (3DES) or 45 (AES) octets of user data follow; the records
hold the corrected TPDU (TP-UDL = 25) and the script asserts that this is the only difference.
Concatenated records are computed here (IE layout of a real card's multi-part PoR, test_sms.py).
"""
from vecio import write_vec

H = bytes.fromhex


def address(digits, ton_npi):
    sem = "0123456789*#abc"
    nibbles = [sem.index(d) for d in digits]
    if len(nibbles) % 2:
        nibbles.append(0xF)
    value = bytes(nibbles[i] | nibbles[i + 1] << 4 for i in range(0, len(nibbles), 2))
    return bytes([len(digits), ton_npi]) + value


def deliver(first, oa, pid, dcs, scts, ud):
    return bytes([first]) + oa + bytes([pid, dcs]) + scts + bytes([len(ud)]) + ud


def submit(first, mr, da, pid, dcs, vp, ud):
    return bytes([first, mr]) + da + bytes([pid, dcs]) + vp + bytes([len(ud)]) + ud


OA = address("12345678", 0x81)
assert OA == H("088121436587")
SCTS = H("22705200000000")

sja5 = {
    "pysim-sja5-3des-ciphered-cc": (
        "00201506193535b00011ae733256918d050b87c94fbfe12e4dc402f262c41cf67f2f",
        "400881214365877ff6227052000000000302700000201506193535b00011ae733256918d050b87c94fbfe12e4dc402f262c41cf67f2f"),
    "pysim-sja5-3des-uncipheredpor-cc": (
        "00201506093535b00011c49ac91ab8159ba5b83a54fb6385e0a5e31694f8b215fafc",
        "400881214365877ff6227052000000000302700000201506093535b00011c49ac91ab8159ba5b83a54fb6385e0a5e31694f8b215fafc"),
    "pysim-sja5-3des-nopor-cc": (
        "00201506013535b000113190be334900f52b025f3f7eddfe868e96ebf310023b7769",
        "400881214365877ff6227052000000000302700000201506013535b000113190be334900f52b025f3f7eddfe868e96ebf310023b7769"),
    "pysim-sja5-aes128-ciphered-cc": (
        "00281506192222b00011e87cceebb2d93083011ce294f93fc4d8de80da1abae8c37ca3e72ec4432e5058",
        "400881214365877ff6227052000000000302700000281506192222b00011e87cceebb2d93083011ce294f93fc4d8de80da1abae8c37ca3e72ec4432e5058"),
}

deliver_records = []
for name, (packet, pysim_tpdu) in sja5.items():
    ud = H("027000") + H(packet)
    tpdu = deliver(0x40, OA, 0x7F, 0xF6, SCTS, ud)
    pysim = H(pysim_tpdu)
    udl_at = 1 + len(OA) + 2 + 7
    assert pysim[udl_at] == 0x03 and tpdu[udl_at] == len(ud)
    assert tpdu[:udl_at] + tpdu[udl_at + 1:] == pysim[:udl_at] + pysim[udl_at + 1:], name
    deliver_records.append([("Name", name), ("Tpdu", tpdu.hex()), ("First", "40"),
                            ("Address", OA.hex()), ("Pid", "7f"), ("Dcs", "f6"), ("Scts", SCTS.hex()),
                            ("UserData", ud.hex()), ("Packet", packet)])

# pySim test_sms.py Test_DELIVER: alphanumeric TP-OA, no UDH, PID 7F, DCS F6, UDL 8.
plain = H("0408D0E5759A0E7FF6907090307513000824010101BB400101")
rebuilt = deliver(0x04, bytes([0x08, 0xD0]) + H("E5759A0E"), 0x7F, 0xF6, H("90709030751300"),
                  H("24010101BB400101"))
assert rebuilt == plain
deliver_records.append([("Name", "pysim-test-sms-deliver-alnum"), ("Tpdu", plain.hex()),
                        ("First", "04"), ("Address", "08d0e5759a0e"), ("Pid", "7f"), ("Dcs", "f6"),
                        ("Scts", "90709030751300"), ("UserData", "24010101bb400101"), ("Packet", "")])

# pySim test_sms.py Test_SUBMIT: RD, relative VP, UDHI, 8-bit class 1, UDL 140.
sub = H("550d0b911614261771f000f5a78c0b050423f423f40003010201424547494e3a56434152440d0a56455253494f4e3a322e310d0a4e3a4d650d0a54454c3b505245463b43454c4c3b564f4943453a2b36313431363237313137300d0a54454c3b484f4d453b564f4943453a2b36313339353337303437310d0a54454c3b574f524b3b564f4943453a2b36313339363734373031350d0a454e443a")
da = address("61416271170", 0x91)
assert da == H("0b911614261771f0")
ud = sub[1 + 1 + len(da) + 2 + 1 + 1:]
assert submit(0x55, 0x0D, da, 0x00, 0xF5, H("a7"), ud) == sub and len(ud) == 140
submit_records = [[("Name", "pysim-test-sms-submit"), ("Tpdu", sub.hex()), ("First", "55"),
                   ("Mr", "0d"), ("Address", da.hex()), ("Pid", "00"), ("Dcs", "f5"), ("Vp", "a7"),
                   ("UserData", ud.hex())]]

# PoR in an SMS-SUBMIT (card -> SM-SR), pySim's real AES PoR; no VP, MR 01, to +4912345678.
por = H("002412b00011ebc6b497e2cad7aedf36ace0e3a29b38853f0fe9ccde81913be5702b73abce1f")
da2 = address("4912345678", 0x91)
ud2 = H("027100") + por
submit_records.append([("Name", "por-aes128-submit"), ("Tpdu", submit(0x41, 0x01, da2, 0x7F, 0xF6,
                                                                      b"", ud2).hex()),
                       ("First", "41"), ("Mr", "01"), ("Address", da2.hex()), ("Pid", "7f"),
                       ("Dcs", "f6"), ("Vp", ""), ("UserData", ud2.hex())])


def concat_parts(iei, packet, ref, ref16, max_ud=140):
    """TS 23.040 §9.2.3.24.1/.8: concat IE first in every part; `iei 00` in the first only."""
    cie = (bytes([0x08, 4]) + ref.to_bytes(2, "big")) if ref16 else bytes([0x00, 3, ref])
    first_cap = max_ud - (1 + len(cie) + 2 + 2)
    cap = max_ud - (1 + len(cie) + 2)
    chunks = [packet[:first_cap]]
    rest = packet[first_cap:]
    while rest:
        chunks.append(rest[:cap])
        rest = rest[cap:]
    out = []
    for seq, chunk in enumerate(chunks, 1):
        ies = cie + bytes([len(chunks), seq]) + (bytes([iei, 0]) if seq == 1 else b"")
        out.append(bytes([len(ies)]) + ies + chunk)
    return out


# The IE layout matches the real card's multi-part PoR UDH quoted by pySim test_sms.py.
assert concat_parts(0x71, b"x" * 200, 1, False)[0][:8] == H("0700030102017100")
assert concat_parts(0x71, b"x" * 200, 0x1234, True)[0][:9] == H("080804123402017100")

big_packet = bytes((i * 7 + 3) & 0xFF for i in range(230))
segmented = []
for name, ref, ref16 in (("cmd-230-ref8", 0x2A, False), ("cmd-230-ref16", 0xBEEF, True)):
    parts = concat_parts(0x70, big_packet, ref, ref16)
    assert len(parts) == 2 and all(len(p) <= 140 for p in parts)
    tpdus = [deliver(0x40 if i == 0 else 0x44, OA, 0x7F, 0xF6, SCTS, p)
             for i, p in enumerate(parts)]
    segmented.append([("Name", name), ("Packet", big_packet.hex()), ("Reference", f"{ref:04x}"),
                      ("Ref16", "01" if ref16 else "00"), ("Address", OA.hex()),
                      ("Scts", SCTS.hex()), ("Part1", parts[0].hex()), ("Part2", parts[1].hex()),
                      ("Tpdu1", tpdus[0].hex()), ("Tpdu2", tpdus[1].hex())])

write_vec(
    "sms.vec", "SMS TPDUs carrying SCP80 packets (3GPP TS 23.040, TS 31.115)",
    "osmocom/pysim tests/unittests/test_ota.py (SJA5 SMS-DELIVER samples, TP-UDL corrected) and "
    "tests/unittests/test_sms.py; concatenated records computed by gen/sms.py",
    "gen/sms.py re-encodes every pySim TPDU with its own TS 23.040 encoder and asserts the bytes",
    [("Deliver", deliver_records), ("Submit", submit_records), ("Segmented", segmented)],
    notes=[
        "First = TPDU first octet. SJA5 TPDUs: pySim has TP-UDL 03, here the real length (25 or 2d).",
        "Segmented: Part1/Part2 = TP-UD of each part (UDH: concat IE, then 70 00 in part 1 only);",
        "  Tpdu1 has TP-MMS=0 (more messages waiting), Tpdu2 TP-MMS=1.",
    ])
