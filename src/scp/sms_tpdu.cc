#include "scp/sms_tpdu.h"

namespace m2mrsp::scp {
namespace {

constexpr size_t kMaxTpdu = 175;          // TS 23.040 §9.2.2: at most 175 octets
constexpr size_t kMaxAddressDigits = 20;  // §9.1.2.5: address value of up to 10 octets
constexpr char kSemiOctets[] = "0123456789*#abc";

Result<uint8_t> DigitValue(char c) {
  for (uint8_t i = 0; i < 15; ++i) {
    if (kSemiOctets[i] == c || (c >= 'A' && c <= 'C' && kSemiOctets[i] == c - 'A' + 'a')) return i;
  }
  // The byte in hex, never raw: it may not be printable or valid UTF-8.
  static constexpr char kHex[] = "0123456789abcdef";
  const auto b = static_cast<unsigned char>(c);
  return InvalidArgument(std::string("SMS address: invalid digit (byte 0x") + kHex[b >> 4] +
                         kHex[b & 0x0F] + ")");
}

// UD length in octets for a TP-UDL value.
size_t UserDataOctets(uint8_t dcs, uint8_t udl) {
  return DcsIsSeptets(dcs) ? (static_cast<size_t>(udl) * 7 + 7) / 8 : udl;
}

Result<uint8_t> EncodeUdl(uint8_t dcs, const Bytes& ud) {
  if (DcsIsSeptets(dcs)) return InvalidArgument("SMS: encoding 7-bit user data is not supported");
  if (ud.size() > kMaxUserData) return LimitExceeded("SMS: user data longer than 140 octets");
  return static_cast<uint8_t>(ud.size());
}

Result<Bytes> ReadUserData(ByteReader& r, uint8_t dcs, uint8_t udl) {
  if (DcsIsSeptets(dcs) ? udl > 160 : udl > kMaxUserData) {
    return ParseError("SMS: TP-UDL beyond the 140-octet limit");
  }
  const size_t n = UserDataOctets(dcs, udl);
  if (r.remaining() != n) return ParseError("SMS: TP-UDL does not match the user data length");
  M2_ASSIGN_OR_RETURN(ByteView ud, r.ReadView(n));
  return Bytes(ud.begin(), ud.end());
}

}  // namespace

// TS 23.038 §4: groups 00xx/01xx use b3b2 for the alphabet (00 = GSM 7-bit); 1111 uses b2
// (0 = GSM 7-bit); 1100/1101 (message waiting) are GSM 7-bit; the rest are octets here.
bool DcsIsSeptets(uint8_t dcs) {
  const uint8_t group = dcs >> 4;
  if (group <= 0x07) return (dcs & 0x0C) == 0x00;
  if (group == 0x0C || group == 0x0D) return true;
  if (group == 0x0F) return (dcs & 0x04) == 0;
  return false;
}

std::string SmsAddress::ToString() const {
  return is_alphanumeric() ? "alnum:" + ToHex(alphanumeric) : digits;
}

Result<Bytes> SmsAddress::Encode() const {
  Bytes out;
  if (is_alphanumeric()) {
    if (alphanumeric.size() != (alpha_length + 1u) / 2 || alphanumeric.size() > 10) {
      return InvalidArgument("SMS address: alphanumeric length mismatch");
    }
    Append(out, {alpha_length, type});
    Append(out, alphanumeric);
    return out;
  }
  if (digits.size() > kMaxAddressDigits) return InvalidArgument("SMS address: too many digits");
  if ((type & 0x80) == 0) return InvalidArgument("SMS address: type octet must have b8 set");
  Append(out, {static_cast<uint8_t>(digits.size()), type});
  for (size_t i = 0; i < digits.size(); i += 2) {
    M2_ASSIGN_OR_RETURN(uint8_t lo, DigitValue(digits[i]));
    uint8_t hi = 0x0F;
    if (i + 1 < digits.size()) {
      M2_ASSIGN_OR_RETURN(hi, DigitValue(digits[i + 1]));
    }
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return out;
}

Result<SmsAddress> SmsAddress::Decode(ByteReader& r) {
  M2_ASSIGN_OR_RETURN(uint8_t len, r.ReadU8());
  M2_ASSIGN_OR_RETURN(uint8_t type, r.ReadU8());
  if (len > kMaxAddressDigits) return ParseError("SMS address: longer than 20 semi-octets");
  M2_ASSIGN_OR_RETURN(ByteView value, r.ReadView((len + 1u) / 2));
  SmsAddress a;
  a.type = type;
  if (a.is_alphanumeric()) {
    a.alphanumeric.assign(value.begin(), value.end());
    a.alpha_length = len;
    return a;
  }
  for (size_t i = 0; i < len; ++i) {
    const uint8_t nibble = (i % 2 == 0) ? (value[i / 2] & 0x0F) : (value[i / 2] >> 4);
    if (nibble == 0x0F) return ParseError("SMS address: filler inside the digits");
    a.digits.push_back(kSemiOctets[nibble]);
  }
  if (len % 2 == 1 && (value.back() >> 4) != 0x0F) {
    return ParseError("SMS address: odd length without the F filler");
  }
  return a;
}

const InformationElement* UserData::Find(uint8_t iei) const {
  for (const auto& ie : header) {
    if (ie.iei == iei) return &ie;
  }
  return nullptr;
}

Bytes UserData::Encode() const {
  Bytes udh;
  for (const auto& ie : header) {
    Append(udh, {ie.iei, static_cast<uint8_t>(ie.value.size())});
    Append(udh, ie.value);
  }
  Bytes out{static_cast<uint8_t>(udh.size())};
  Append(out, udh);
  Append(out, payload);
  return out;
}

// TS 23.040 §9.2.3.24: UDHL, then IEI ‖ IEDL ‖ IED repeated; IEs may not overrun the UDHL.
Result<UserData> UserData::Decode(ByteView user_data) {
  ByteReader r(user_data);
  M2_ASSIGN_OR_RETURN(uint8_t udhl, r.ReadU8());
  M2_ASSIGN_OR_RETURN(ByteView udh, r.ReadView(udhl));
  UserData out;
  ByteReader h(udh);
  while (!h.empty()) {
    M2_ASSIGN_OR_RETURN(uint8_t iei, h.ReadU8());
    M2_ASSIGN_OR_RETURN(uint8_t len, h.ReadU8());
    auto value = h.ReadView(len);
    if (!value.ok()) return ParseError("SMS UDH: information element overruns the header");
    out.header.push_back({iei, Bytes(value->begin(), value->end())});
  }
  const ByteView rest = r.ReadRest();
  out.payload.assign(rest.begin(), rest.end());
  return out;
}

Result<Bytes> SmsDeliver::Encode() const {
  Bytes out{static_cast<uint8_t>(0x00 | (more_messages ? 0 : 0x04) | (status_report ? 0x20 : 0) |
                                 (udhi ? 0x40 : 0) | (reply_path ? 0x80 : 0))};
  M2_ASSIGN_OR_RETURN(Bytes oa, originator.Encode());
  Append(out, oa);
  Append(out, {pid, dcs});
  Append(out, scts);
  M2_ASSIGN_OR_RETURN(uint8_t len, EncodeUdl(dcs, user_data));
  out.push_back(len);
  Append(out, user_data);
  return out;
}

// TS 23.040 §9.2.2.1: first octet (MTI 00, MMS b3, LP b4, SRI b6, UDHI b7, RP b8), TP-OA,
// TP-PID, TP-DCS, TP-SCTS(7), TP-UDL, TP-UD.
Result<SmsDeliver> SmsDeliver::Decode(ByteView tpdu) {
  if (tpdu.size() > kMaxTpdu) return ParseError("SMS-DELIVER: longer than 175 octets");
  ByteReader r(tpdu);
  M2_ASSIGN_OR_RETURN(uint8_t first, r.ReadU8());
  if ((first & 0x03) != 0x00) return ParseError("SMS-DELIVER: TP-MTI is not 00");
  SmsDeliver d;
  d.more_messages = (first & 0x04) == 0;
  d.status_report = (first & 0x20) != 0;
  d.udhi = (first & 0x40) != 0;
  d.reply_path = (first & 0x80) != 0;
  M2_ASSIGN_OR_RETURN(d.originator, SmsAddress::Decode(r));
  M2_ASSIGN_OR_RETURN(d.pid, r.ReadU8());
  M2_ASSIGN_OR_RETURN(d.dcs, r.ReadU8());
  M2_ASSIGN_OR_RETURN(ByteView scts, r.ReadView(7));
  std::copy(scts.begin(), scts.end(), d.scts.begin());
  M2_ASSIGN_OR_RETURN(d.udl, r.ReadU8());
  M2_ASSIGN_OR_RETURN(d.user_data, ReadUserData(r, d.dcs, d.udl));
  return d;
}

Result<Bytes> SmsSubmit::Encode() const {
  const size_t vp_len = vpf == 0 ? 0 : vpf == 2 ? 1 : 7;
  if (vpf > 3 || validity_period.size() != vp_len) {
    return InvalidArgument("SMS-SUBMIT: validity period does not match TP-VPF");
  }
  Bytes out{static_cast<uint8_t>(0x01 | (reject_duplicates ? 0x04 : 0) | (vpf << 3) |
                                 (status_report_request ? 0x20 : 0) | (udhi ? 0x40 : 0) |
                                 (reply_path ? 0x80 : 0)),
            message_reference};
  M2_ASSIGN_OR_RETURN(Bytes da, destination.Encode());
  Append(out, da);
  Append(out, {pid, dcs});
  Append(out, validity_period);
  M2_ASSIGN_OR_RETURN(uint8_t len, EncodeUdl(dcs, user_data));
  out.push_back(len);
  Append(out, user_data);
  return out;
}

// TS 23.040 §9.2.2.2: first octet (MTI 01, RD b3, VPF b5b4, SRR b6, UDHI b7, RP b8), TP-MR,
// TP-DA, TP-PID, TP-DCS, TP-VP (0/1/7), TP-UDL, TP-UD.
Result<SmsSubmit> SmsSubmit::Decode(ByteView tpdu) {
  if (tpdu.size() > kMaxTpdu) return ParseError("SMS-SUBMIT: longer than 175 octets");
  ByteReader r(tpdu);
  M2_ASSIGN_OR_RETURN(uint8_t first, r.ReadU8());
  if ((first & 0x03) != 0x01) return ParseError("SMS-SUBMIT: TP-MTI is not 01");
  SmsSubmit s;
  s.reject_duplicates = (first & 0x04) != 0;
  s.vpf = (first >> 3) & 0x03;
  s.status_report_request = (first & 0x20) != 0;
  s.udhi = (first & 0x40) != 0;
  s.reply_path = (first & 0x80) != 0;
  M2_ASSIGN_OR_RETURN(s.message_reference, r.ReadU8());
  M2_ASSIGN_OR_RETURN(s.destination, SmsAddress::Decode(r));
  M2_ASSIGN_OR_RETURN(s.pid, r.ReadU8());
  M2_ASSIGN_OR_RETURN(s.dcs, r.ReadU8());
  const size_t vp_len = s.vpf == 0 ? 0 : s.vpf == 2 ? 1 : 7;
  M2_ASSIGN_OR_RETURN(ByteView vp, r.ReadView(vp_len));
  s.validity_period.assign(vp.begin(), vp.end());
  M2_ASSIGN_OR_RETURN(s.udl, r.ReadU8());
  M2_ASSIGN_OR_RETURN(s.user_data, ReadUserData(r, s.dcs, s.udl));
  return s;
}

}  // namespace m2mrsp::scp
