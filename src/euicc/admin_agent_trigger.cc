#include "euicc/admin_agent_trigger.h"

#include <vector>

#include "tlv/ber.h"

namespace m2mrsp::euicc {
namespace {

tlv::Limits TriggerLimits() {
  tlv::Limits limits;
  limits.max_size = kMaxTriggerSize;
  limits.max_elements = 32;
  return limits;
}

Result<std::vector<tlv::Tlv>> Nested(const tlv::Tlv& parent) {
  return tlv::ParseSequence(parent.value, TriggerLimits());
}

// URIs, host names and agent ids are ASCII without controls or spaces [M: Amd B carries them
// as UTF-8; anything else cannot go into an HTTP request line or header].
Result<std::string> Text(ByteView value, std::string_view what) {
  if (value.empty() || value.size() > kMaxTriggerText) {
    return ParseError(std::string(what) + ": empty or too long");
  }
  std::string out;
  for (uint8_t c : value) {
    if (c < 0x21 || c > 0x7E) return ParseError(std::string(what) + ": not printable ASCII");
    out.push_back(static_cast<char>(c));
  }
  return out;
}

// TS 102 223 §8.38 timer value: hours, minutes, seconds as swapped BCD semi-octets (coded like
// the TP-SCTS of TS 23.040).
Result<uint32_t> SwappedBcd(uint8_t b) {
  const uint32_t lo = b & 0x0F, hi = b >> 4;
  if (lo > 9 || hi > 9) return ParseError("retry delay: not BCD");
  return lo * 10 + hi;
}

Status ParseRetry(ByteView value, AdminSessionTrigger& out) {
  // GP Amd B §3.8.3: counter(2) ‖ waiting delay (5: `A5 03 hh mm ss`, pySim reads 5 bytes) ‖
  // optional failure-report TLV `87`.
  ByteReader r(value);
  RetryPolicy policy;
  M2_ASSIGN_OR_RETURN(policy.retry_counter, r.ReadU16());
  M2_ASSIGN_OR_RETURN(ByteView timer, r.ReadView(5));
  if ((timer[0] & 0x7F) != 0x25 || timer[1] != 0x03) {
    return ParseError("retry policy: waiting delay is not a timer value A5 03");
  }
  M2_ASSIGN_OR_RETURN(uint32_t hh, SwappedBcd(timer[2]));
  M2_ASSIGN_OR_RETURN(uint32_t mm, SwappedBcd(timer[3]));
  M2_ASSIGN_OR_RETURN(uint32_t ss, SwappedBcd(timer[4]));
  if (mm > 59 || ss > 59) return ParseError("retry policy: minutes/seconds out of range");
  policy.delay = std::chrono::seconds(hh * 3600 + mm * 60 + ss);
  if (!r.empty()) {
    M2_ASSIGN_OR_RETURN(tlv::Tlv report, tlv::ParseOne(r.ReadRest(), TriggerLimits()));
    if (report.tag != 0x87) return ParseError("retry policy: unexpected trailing TLV");
    policy.report_failure = true;
  }
  out.retry = policy;
  return Status::Ok();
}

Status ParseSecurity(ByteView value, AdminSessionTrigger& out) {
  // GP Amd B §3.8.2 (pySim sample `85 08 04 DEADBEEF 02 00 40`): identity length ‖ identity ‖
  // `02` ‖ KVN ‖ KID ‖ optional SHA type.
  ByteReader r(value);
  M2_ASSIGN_OR_RETURN(uint8_t id_len, r.ReadU8());
  if (id_len == 0) return ParseError("security parameters: empty PSK identity");
  M2_ASSIGN_OR_RETURN(ByteView identity, r.ReadView(id_len));
  M2_ASSIGN_OR_RETURN(uint8_t kvn_kid_len, r.ReadU8());
  if (kvn_kid_len != 2) return ParseError("security parameters: key reference length is not 2");
  M2_ASSIGN_OR_RETURN(uint8_t kvn, r.ReadU8());
  M2_ASSIGN_OR_RETURN(uint8_t kid, r.ReadU8());
  if (r.remaining() > 1) return ParseError("security parameters: trailing bytes");
  out.psk_identity = Bytes(identity.begin(), identity.end());
  out.kvn = kvn;
  out.kid = kid;
  return Status::Ok();
}

Status ParseConnection(const tlv::Tlv& t, AdminSessionTrigger& out) {
  M2_ASSIGN_OR_RETURN(std::vector<tlv::Tlv> items, Nested(t));
  for (const tlv::Tlv& item : items) {
    // TS 102 223 §8: simple TLV tags may carry the comprehension-required bit (b8).
    switch (item.tag & 0x7F) {
      case 0x3C:  // §8.59 UICC/terminal interface transport level: protocol ‖ port
        if (item.value.size() != 3) return ParseError("transport level: length is not 3");
        out.transport_protocol = item.value[0];
        out.port = static_cast<uint16_t>((item.value[1] << 8) | item.value[2]);
        break;
      case 0x3E:  // §8.58 other address: type ‖ address
        if (item.value.empty()) return ParseError("destination address: empty");
        if ((item.value[0] == 0x21 && item.value.size() != 5) ||
            (item.value[0] == 0x57 && item.value.size() != 17)) {
          return ParseError("destination address: wrong length for its type");
        }
        out.destination_address = Bytes(item.value.begin(), item.value.end());
        break;
      default:
        break;  // bearer, buffer size, APN: the device's business
    }
  }
  return Status::Ok();
}

Status ParseHttpPost(const tlv::Tlv& t, AdminSessionTrigger& out) {
  M2_ASSIGN_OR_RETURN(std::vector<tlv::Tlv> items, Nested(t));
  for (const tlv::Tlv& item : items) {
    if (item.tag == 0x8A) {
      M2_ASSIGN_OR_RETURN(out.host, Text(item.value, "admin host"));
    } else if (item.tag == 0x8B) {
      M2_ASSIGN_OR_RETURN(out.agent_id, Text(item.value, "agent id"));
    } else if (item.tag == 0x8C) {
      M2_ASSIGN_OR_RETURN(out.uri, Text(item.value, "admin URI"));
    }
  }
  return Status::Ok();
}

Status ParseSessionParameters(const tlv::Tlv& t, AdminSessionTrigger& out) {
  M2_ASSIGN_OR_RETURN(std::vector<tlv::Tlv> items, Nested(t));
  for (const tlv::Tlv& item : items) {
    switch (item.tag) {
      case 0x84:
        M2_RETURN_IF_ERROR(ParseConnection(item, out));
        break;
      case 0x85:
        M2_RETURN_IF_ERROR(ParseSecurity(item.value, out));
        break;
      case 0x86:
        M2_RETURN_IF_ERROR(ParseRetry(item.value, out));
        break;
      case 0x89:
        M2_RETURN_IF_ERROR(ParseHttpPost(item, out));
        break;
      default:
        break;  // A5 extended security parameters and unknown tags
    }
  }
  return Status::Ok();
}

}  // namespace

Result<AdminSessionTrigger> ParseAdminSessionTrigger(ByteView data) {
  if (data.size() > kMaxTriggerSize) return LimitExceeded("admin session trigger too long");
  M2_ASSIGN_OR_RETURN(tlv::Tlv top, tlv::ParseOne(data, TriggerLimits()));
  if (top.tag != 0x81) return ParseError("GP Amd B Table 3-3: trigger does not start with 81");
  AdminSessionTrigger out;
  if (top.value.empty()) {
    out.defaults_only = true;  // `81 00` [C Njiwa]
    return out;
  }
  M2_ASSIGN_OR_RETURN(std::vector<tlv::Tlv> items, Nested(top));
  for (const tlv::Tlv& item : items) {
    if (item.tag == 0x83) {
      M2_RETURN_IF_ERROR(ParseSessionParameters(item, out));
    } else if (item.tag == 0xB3) {
      M2_ASSIGN_OR_RETURN(std::vector<tlv::Tlv> dns, Nested(item));
      if (const tlv::Tlv* fqdn = tlv::Find(dns, 0xD6)) {
        M2_ASSIGN_OR_RETURN(out.ras_fqdn, Text(fqdn->value, "RAS FQDN"));
      }
    }
  }
  return out;
}

}  // namespace m2mrsp::euicc
