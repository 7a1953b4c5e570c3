"""Vectors for the eUICC OTA front ends (src/euicc/sms_pp.*): an independent SCP80 + SMS
implementation on python3-cryptography, written from ETSI TS 102 225 / 3GPP TS 31.115 /
TS 23.040 as summarised in shared/spec/sgp02-security-wire.md §5.1-§5.4 and
sgp02-resolutions.md §5.

[Notification]  the MO SMS-SUBMIT of a default notification: SPI 02 00, KIc 10, KID 12 (AES-CMAC
                key set 1), TAR 000001, CNTR 0, secured data = the E1 TLV of the card-originated
                sample logged in WHTY code (resolutions §5), UDH 02 70 00. The sample's own CC
                cannot be checked (its key is unknown); the header bytes before the CC must match
                it, which this script asserts.
[ScriptPor]     an MT SMS-DELIVER carrying the digest's expanded "enable profile" script
                (security digest §5.4) with SPI 16 39, KIc = KID = 12 (AES), counter 1, TAR
                000001; the card answers 9000; the expected PoR is the response script
                AB 07 80 01 01 23 02 90 00, ciphered and CC'd, in an SMS-SUBMIT to the originator.
"""
from cryptography.hazmat.primitives import cmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from vecio import write_vec

H = bytes.fromhex


def aes_cmac8(key, data):
    c = cmac.CMAC(algorithms.AES(key))
    c.update(data)
    return c.finalize()[:8]


def aes_cbc(key, data):
    e = Cipher(algorithms.AES(key), modes.CBC(b"\0" * 16)).encryptor()
    return e.update(data) + e.finalize()


def command_packet(spi, kic, kid, tar, counter, kic_key, kid_key, data):
    """TS 102 225 §5.1.1 command packet, AES only: CC = first 8 bytes of AES-CMAC."""
    ciph = bool(spi[0] & 0x04)
    pad = (-(5 + 1 + 8 + len(data))) % 16 if ciph else 0
    chl = 13 + 8
    cpl = 1 + chl + len(data) + pad
    head = cpl.to_bytes(2, "big") + bytes([chl]) + spi + bytes([kic, kid]) + tar
    cnt = counter.to_bytes(5, "big") + bytes([pad])
    body = data + b"\0" * pad
    cc = aes_cmac8(kid_key, head + cnt + body)
    secured = cnt + cc + body
    return head + (aes_cbc(kic_key, secured) if ciph else secured)


def response_packet(spi2, tar, counter, status, kic_key, kid_key, data):
    """TS 31.115 §6 PoR with AES CC (the CC covers the 02 71 00 UDH) and optional ciphering."""
    ciph = bool(spi2 & 0x10)
    pad = (-(5 + 1 + 1 + 8 + len(data))) % 16 if ciph else 0
    rhl = 10 + 8
    rpl = 1 + rhl + len(data) + pad
    head = rpl.to_bytes(2, "big") + bytes([rhl]) + tar
    cnt = counter.to_bytes(5, "big") + bytes([pad, status])
    body = data + b"\0" * pad
    cc = aes_cmac8(kid_key, H("027100") + head + cnt + body)
    secured = cnt + cc + body
    return head + (aes_cbc(kic_key, secured) if ciph else secured)


def address(digits, ton_npi=0x91):
    nib = [int(d) for d in digits]
    if len(nib) % 2:
        nib.append(0xF)
    return bytes([len(digits), ton_npi]) + bytes(nib[i] | nib[i + 1] << 4 for i in range(0, len(nib), 2))


def sms_submit(mr, da, ud):
    # TS 23.040 §9.2.2.2: MTI 01, UDHI, no validity period; PID 7F, DCS F6.
    return bytes([0x41, mr]) + da + bytes([0x7F, 0xF6, len(ud)]) + ud


def sms_deliver(oa, scts, ud):
    # TS 23.040 §9.2.2.1: MTI 00, TP-MMS (no more messages), UDHI.
    return bytes([0x44]) + oa + bytes([0x7F, 0xF6]) + scts + bytes([len(ud)]) + ud


KEY_KIC = H("000102030405060708090a0b0c0d0e0f")
KEY_KID = H("101112131415161718191a1b1c1d1e1f")

# --- Notification ---------------------------------------------------------------------------
WHTY = H("027000004D15020010120000010000000000" "0045AAB54EB13D7749"
         "E1354C10890010120123412340123456789012244D0102"
         "4E0200004F10A0000005591010FFFFFFFF89000013001408" "3A45990057918503")
E1 = WHTY[-0x37:]
assert E1[0] == 0xE1 and E1[1] == 0x35 and len(E1) == 0x37
packet = command_packet(H("0200"), 0x10, 0x12, H("000001"), 0, b"", KEY_KID, E1)
assert packet[:16] == WHTY[3:19], "header differs from the WHTY sample"
assert len(packet) == len(WHTY) - 3
MSISDN = "447700900123"
notif_tpdu = sms_submit(0x00, address(MSISDN), H("027000") + packet)
notification = [("Name", "whty-e1-spi0200"), ("KidKey", KEY_KID.hex()), ("E1", E1.hex()),
                ("Msisdn", MSISDN.encode().hex()), ("Packet", packet.hex()),
                ("Tpdu", notif_tpdu.hex())]

# --- Script and PoR ---------------------------------------------------------------------------
SCRIPT = H("AA1C221A80E28800153A03124F10A0000005591010FFFFFFFF8900001000")
R_SCRIPT = H("AB078001012302" "9000")
OA = address("447700900999")
SCTS = H("22705200000000")
cmd = command_packet(H("1639"), 0x12, 0x12, H("000001"), 1, KEY_KIC, KEY_KID, SCRIPT)
deliver = sms_deliver(OA, SCTS, H("027000") + cmd)
por = response_packet(0x39, H("000001"), 1, 0x00, KEY_KIC, KEY_KID, R_SCRIPT)
submit = sms_submit(0x00, OA, H("027100") + por)
script_por = [("Name", "enable-profile-spi1639"), ("KicKey", KEY_KIC.hex()),
              ("KidKey", KEY_KID.hex()), ("Script", SCRIPT.hex()), ("Command", cmd.hex()),
              ("Deliver", deliver.hex()), ("ResponseScript", R_SCRIPT.hex()), ("Por", por.hex()),
              ("Submit", submit.hex())]

write_vec(
    "euicc_frontends.vec",
    "eUICC OTA front ends: MO notification SMS and an SMS-PP script PoR",
    "computed: layouts from shared/spec/sgp02-security-wire.md §5.1-§5.4 and sgp02-resolutions.md "
    "§5 (WHTY card-originated notification header and E1)",
    "gen/euicc_frontends.py (python3-cryptography AES-CBC and CMAC); the notification header "
    "equals the WHTY sample's bytes up to the CC",
    [("Notification", [notification]), ("ScriptPor", [script_por])],
    notes=["Msisdn is the ASCII of the SM-SR MSISDN digits, hex-coded.",
           "Tpdu/Submit are SMS-SUBMIT with message reference 00; Deliver is the MT SMS-DELIVER."],
)
