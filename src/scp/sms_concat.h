// Carrying SCP80 packets in SMS (3GPP TS 31.115 §5-§6, TS 23.040 §9.2.3.24): cutting a command or
// response packet into TP-UD parts with the packet identifier IE (70/71) and, when it does not
// fit one SMS, the concatenation IE (00 with an 8-bit, 08 with a 16-bit reference); and putting
// the parts back together on the receiving side.
//
// Segmenting is stateless. SmsReassembler keeps the pending sets of one receiver, bounded in
// parts per message, pending messages and age (on an injected Clock); it is not thread-safe (one
// per receiving endpoint, or guard it).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "base/bytes.h"
#include "base/clock.h"
#include "base/status.h"
#include "scp/sms_tpdu.h"

namespace m2mrsp::scp {

struct SegmentOptions {
  size_t max_user_data = kMaxUserData;  // some cards take only 130 (resolutions §7)
  bool reference_16bit = false;
  uint16_t reference = 0;  // 8-bit references use the low octet
};

// TP-UD parts for `packet` (from CPL/RPL on). One part: UDH `02 <iei> 00`. Several: each part
// carries the concatenation IE first and the first part also `<iei> 00` (the IE order seen in a
// real card's multi-part PoR, pySim test_sms.py: `07 00 03 01 02 01 71 00`).
Result<std::vector<Bytes>> SegmentPacket(uint8_t packet_iei, ByteView packet,
                                         const SegmentOptions& options = {});

// A whole packet recovered from one or more TP-UDs.
struct ReassembledPacket {
  uint8_t packet_iei = 0;  // 70 command, 71 response; 0 when the UDH held neither
  Bytes packet;
  size_t parts = 1;
};

struct ReassemblyLimits {
  size_t max_parts = 16;    // a longer concatenation is refused (TS 23.040 allows 255)
  size_t max_pending = 64;  // incomplete messages kept; the oldest is evicted beyond this
  std::chrono::seconds timeout{120};
};

class SmsReassembler {
 public:
  explicit SmsReassembler(const Clock& clock, ReassemblyLimits limits = {})
      : clock_(clock), limits_(limits) {}

  // Feeds the TP-UD of one SMS that had TP-UDHI set. Returns the packet when this part completes
  // it, nullopt while parts are missing, or an error for a malformed or over-limit part.
  // `sender` keys the pending sets (TP-OA/TP-DA digits): references are unique per sender only.
  Result<std::optional<ReassembledPacket>> Add(const std::string& sender, ByteView user_data);

  // Drops sets older than the timeout; Add() does this too. Returns how many were dropped.
  size_t Expire();
  size_t pending() const { return sets_.size(); }
  size_t evicted() const { return evicted_; }

 private:
  using Key = std::tuple<std::string, bool, uint16_t, uint8_t>;  // sender, 16-bit, ref, total
  struct Pending {
    Clock::MonoTime first_seen;
    uint64_t order = 0;
    std::vector<std::optional<Bytes>> parts;
    uint8_t packet_iei = 0;
  };

  const Clock& clock_;
  ReassemblyLimits limits_;
  std::map<Key, Pending> sets_;
  uint64_t next_order_ = 0;
  size_t evicted_ = 0;
};

// MT carriage: the SMS-DELIVER TPDUs for a command packet (TP-PID 7F, TP-DCS F6, TP-UDHI 1).
Result<std::vector<Bytes>> CommandPacketToSmsDeliver(ByteView packet, const SmsAddress& originator,
                                                     const std::array<uint8_t, 7>& scts,
                                                     const SegmentOptions& options = {});

// MO carriage: the SMS-SUBMIT TPDUs for a response packet (PoR) or an MO command packet.
Result<std::vector<Bytes>> PacketToSmsSubmit(uint8_t packet_iei, ByteView packet,
                                             const SmsAddress& destination,
                                             uint8_t message_reference,
                                             const SegmentOptions& options = {});

}  // namespace m2mrsp::scp
