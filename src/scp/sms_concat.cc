#include "scp/sms_concat.h"

#include <algorithm>

namespace m2mrsp::scp {
namespace {

struct ConcatInfo {
  bool is16 = false;
  uint16_t reference = 0;
  uint8_t total = 0;
  uint8_t sequence = 0;
};

// The concatenation IE of a part, if any. TS 23.040 §9.2.3.24.1: a total of 0, or a sequence
// number of 0 or above the total, means the receiver ignores the whole IE.
Result<std::optional<ConcatInfo>> FindConcat(const UserData& ud) {
  for (const auto& ie : ud.header) {
    if (ie.iei != kIeiConcat8 && ie.iei != kIeiConcat16) continue;
    ConcatInfo c;
    c.is16 = ie.iei == kIeiConcat16;
    if (ie.value.size() != (c.is16 ? 4u : 3u)) {
      return ParseError("SMS UDH: concatenation IE of the wrong length");
    }
    size_t i = 0;
    c.reference = c.is16 ? static_cast<uint16_t>(ie.value[0] << 8 | ie.value[1]) : ie.value[0];
    i = c.is16 ? 2 : 1;
    c.total = ie.value[i];
    c.sequence = ie.value[i + 1];
    if (c.total == 0 || c.sequence == 0 || c.sequence > c.total) return std::optional<ConcatInfo>();
    return std::optional<ConcatInfo>(c);
  }
  return std::optional<ConcatInfo>();
}

uint8_t PacketIei(const UserData& ud) {
  if (ud.Find(kIeiCommandPacket) != nullptr) return kIeiCommandPacket;
  if (ud.Find(kIeiResponsePacket) != nullptr) return kIeiResponsePacket;
  return 0;
}

}  // namespace

Result<std::vector<Bytes>> SegmentPacket(uint8_t packet_iei, ByteView packet,
                                         const SegmentOptions& o) {
  if (o.max_user_data > kMaxUserData || o.max_user_data < 16) {
    return InvalidArgument("SMS: max_user_data must be 16..140");
  }
  const InformationElement id{packet_iei, {}};
  std::vector<Bytes> parts;
  if (3 + packet.size() <= o.max_user_data) {
    parts.push_back(UserData{{id}, Bytes(packet.begin(), packet.end())}.Encode());
    return parts;
  }
  const size_t concat_len = o.reference_16bit ? 6 : 5;  // IEI, IEDL, ref(1|2), total, seq
  const size_t first_cap = o.max_user_data - (1 + concat_len + 2);
  const size_t cap = o.max_user_data - (1 + concat_len);
  const size_t count = 1 + (packet.size() - first_cap + cap - 1) / cap;
  if (count > 255) return LimitExceeded("SMS: packet needs more than 255 parts");
  size_t offset = 0;
  for (size_t seq = 1; seq <= count; ++seq) {
    InformationElement concat;
    concat.iei = o.reference_16bit ? kIeiConcat16 : kIeiConcat8;
    if (o.reference_16bit)
      AppendBigEndian(concat.value, o.reference, 2);
    else
      concat.value.push_back(static_cast<uint8_t>(o.reference & 0xFF));
    Append(concat.value, {static_cast<uint8_t>(count), static_cast<uint8_t>(seq)});
    UserData ud;
    ud.header.push_back(std::move(concat));
    if (seq == 1) ud.header.push_back(id);
    const size_t n = std::min(seq == 1 ? first_cap : cap, packet.size() - offset);
    ud.payload.assign(packet.begin() + static_cast<std::ptrdiff_t>(offset),
                      packet.begin() + static_cast<std::ptrdiff_t>(offset + n));
    offset += n;
    parts.push_back(ud.Encode());
  }
  return parts;
}

size_t SmsReassembler::Expire() {
  const auto now = clock_.Monotonic();
  size_t dropped = 0;
  for (auto it = sets_.begin(); it != sets_.end();) {
    if (now - it->second.first_seen >= limits_.timeout) {
      it = sets_.erase(it);
      ++dropped;
    } else {
      ++it;
    }
  }
  return dropped;
}

Result<std::optional<ReassembledPacket>> SmsReassembler::Add(const std::string& sender,
                                                             ByteView user_data) {
  if (user_data.size() > kMaxUserData) return LimitExceeded("SMS: user data over 140 octets");
  M2_ASSIGN_OR_RETURN(UserData ud, UserData::Decode(user_data));
  M2_ASSIGN_OR_RETURN(std::optional<ConcatInfo> concat, FindConcat(ud));
  if (!concat) {
    ReassembledPacket single;
    single.packet_iei = PacketIei(ud);
    single.packet = std::move(ud.payload);
    return std::optional<ReassembledPacket>(std::move(single));
  }
  if (concat->total > limits_.max_parts) {
    return LimitExceeded("SMS: concatenated message has more parts than allowed");
  }
  Expire();
  const Key key{sender, concat->is16, concat->reference, concat->total};
  auto it = sets_.find(key);
  if (it == sets_.end()) {
    if (limits_.max_pending == 0) {
      return LimitExceeded("SMS reassembly: no pending messages allowed (max_pending = 0)");
    }
    if (sets_.size() >= limits_.max_pending) {
      auto oldest = std::min_element(sets_.begin(), sets_.end(), [](const auto& a, const auto& b) {
        return a.second.order < b.second.order;
      });
      sets_.erase(oldest);
      ++evicted_;
    }
    Pending p;
    p.first_seen = clock_.Monotonic();
    p.order = next_order_++;
    p.parts.resize(concat->total);
    it = sets_.emplace(key, std::move(p)).first;
  }
  Pending& p = it->second;
  auto& slot = p.parts[concat->sequence - 1u];
  if (slot) return std::optional<ReassembledPacket>();  // a repeated part: keep the first copy
  slot = std::move(ud.payload);
  if (const uint8_t iei = PacketIei(ud); iei != 0) p.packet_iei = iei;
  if (std::any_of(p.parts.begin(), p.parts.end(), [](const auto& s) { return !s.has_value(); })) {
    return std::optional<ReassembledPacket>();
  }
  ReassembledPacket done;
  done.packet_iei = p.packet_iei;
  done.parts = p.parts.size();
  for (const auto& part : p.parts) Append(done.packet, *part);
  sets_.erase(it);
  return std::optional<ReassembledPacket>(std::move(done));
}

Result<std::vector<Bytes>> CommandPacketToSmsDeliver(ByteView packet, const SmsAddress& originator,
                                                     const std::array<uint8_t, 7>& scts,
                                                     const SegmentOptions& options) {
  M2_ASSIGN_OR_RETURN(std::vector<Bytes> parts, SegmentPacket(kIeiCommandPacket, packet, options));
  std::vector<Bytes> tpdus;
  for (size_t i = 0; i < parts.size(); ++i) {
    SmsDeliver d;
    d.more_messages = i + 1 < parts.size();
    d.originator = originator;
    d.scts = scts;
    d.user_data = std::move(parts[i]);
    M2_ASSIGN_OR_RETURN(Bytes tpdu, d.Encode());
    tpdus.push_back(std::move(tpdu));
  }
  return tpdus;
}

Result<std::vector<Bytes>> PacketToSmsSubmit(uint8_t packet_iei, ByteView packet,
                                             const SmsAddress& destination,
                                             uint8_t message_reference,
                                             const SegmentOptions& options) {
  M2_ASSIGN_OR_RETURN(std::vector<Bytes> parts, SegmentPacket(packet_iei, packet, options));
  std::vector<Bytes> tpdus;
  for (size_t i = 0; i < parts.size(); ++i) {
    SmsSubmit s;
    s.message_reference = static_cast<uint8_t>(message_reference + i);
    s.destination = destination;
    s.user_data = std::move(parts[i]);
    M2_ASSIGN_OR_RETURN(Bytes tpdu, s.Encode());
    tpdus.push_back(std::move(tpdu));
  }
  return tpdus;
}

}  // namespace m2mrsp::scp
