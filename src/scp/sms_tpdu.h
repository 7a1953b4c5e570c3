// SMS transfer-layer PDUs of 3GPP TS 23.040 §9.2 as SCP80 uses them (3GPP TS 31.115 §4-§6):
// SMS-DELIVER (SM-SR → card, via the SMSC) and SMS-SUBMIT (card → SM-SR), their address fields
// (§9.1.2.5), and the user data header (§9.2.3.24) with its information elements.
//
// Decoders are strict and bounded: a TPDU is at most 175 octets (TS 23.040 §9.2.2), user data at
// most 140 octets, and trailing bytes are an error. Value types; thread-safe.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

namespace m2mrsp::scp {

inline constexpr size_t kMaxUserData = 140;            // TS 23.040 §9.2.3.16 (octets)
inline constexpr uint8_t kPidUsimDataDownload = 0x7F;  // TS 23.040 §9.2.3.9, TS 31.111 §7.1
inline constexpr uint8_t kDcsClass2EightBit = 0xF6;    // TS 23.038 §4: 1111 0110
inline constexpr uint8_t kIeiConcat8 = 0x00;           // TS 23.040 §9.2.3.24.1
inline constexpr uint8_t kIeiConcat16 = 0x08;          // TS 23.040 §9.2.3.24.8
inline constexpr uint8_t kIeiCommandPacket = 0x70;     // TS 31.115 §5 (CPI in the UDH)
inline constexpr uint8_t kIeiResponsePacket = 0x71;    // TS 31.115 §6 (RPI in the UDH)

// TP-OA / TP-DA (TS 23.040 §9.1.2.5): type of address octet + semi-octet digits. Digits are
// 0-9, '*', '#', 'a', 'b', 'c'. An alphanumeric address (TON 101, §9.1.2.5) is kept as its packed
// GSM 7-bit octets and the semi-octet count from the wire (not unpacked: nothing here needs it).
struct SmsAddress {
  uint8_t type = 0x91;  // 1 TON NPI: international, ISDN/E.164
  std::string digits;
  Bytes alphanumeric;        // only when (type & 0x70) == 0x50
  uint8_t alpha_length = 0;  // semi-octets, as on the wire

  bool is_alphanumeric() const { return (type & 0x70) == 0x50; }
  std::string ToString() const;  // digits, or "alnum:<hex>"

  Result<Bytes> Encode() const;
  static Result<SmsAddress> Decode(ByteReader& reader);
  bool operator==(const SmsAddress&) const = default;
};

struct InformationElement {
  uint8_t iei = 0;
  Bytes value;
  bool operator==(const InformationElement&) const = default;
};

// TP-UD with TP-UDHI set: UDHL, the IEs, then the payload.
struct UserData {
  std::vector<InformationElement> header;
  Bytes payload;

  const InformationElement* Find(uint8_t iei) const;
  Bytes Encode() const;  // with the UDHL octet (even for an empty header list)
  static Result<UserData> Decode(ByteView user_data);
};

// TS 23.040 §9.2.2.1.
struct SmsDeliver {
  bool more_messages = false;  // TP-MMS = 0 means "more messages are waiting"
  bool reply_path = false;
  bool udhi = true;
  bool status_report = false;  // TP-SRI
  SmsAddress originator;
  uint8_t pid = kPidUsimDataDownload;
  uint8_t dcs = kDcsClass2EightBit;
  std::array<uint8_t, 7> scts{};  // TP-SCTS, semi-octet timestamp as on the wire
  uint8_t udl = 0;                // as on the wire (septets for 7-bit DCS); Encode recomputes it
  Bytes user_data;                // TP-UD octets (UDH included when udhi)

  Result<Bytes> Encode() const;
  static Result<SmsDeliver> Decode(ByteView tpdu);
};

// TS 23.040 §9.2.2.2. The validity period is kept raw: 0, 1 or 7 octets per TP-VPF.
struct SmsSubmit {
  bool reject_duplicates = false;
  uint8_t vpf = 0;  // 0 absent, 2 relative, 1 enhanced, 3 absolute
  bool reply_path = false;
  bool udhi = true;
  bool status_report_request = false;
  uint8_t message_reference = 0;
  SmsAddress destination;
  uint8_t pid = kPidUsimDataDownload;
  uint8_t dcs = kDcsClass2EightBit;
  Bytes validity_period;
  uint8_t udl = 0;
  Bytes user_data;

  Result<Bytes> Encode() const;
  static Result<SmsSubmit> Decode(ByteView tpdu);
};

// Whether TP-UDL counts septets (GSM 7-bit default alphabet) for this TP-DCS (TS 23.038 §4).
bool DcsIsSeptets(uint8_t dcs);

}  // namespace m2mrsp::scp
