// A scripted OtaCard for the front-end tests: TARs map to applications, APDUs to canned
// answers, and every call is logged so tests can check what reached the card.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/bytes.h"
#include "euicc/ota_card.h"
#include "gp/aids.h"

namespace m2mrsp::euicc::testing {

class FakeKeys final : public scp::Scp80CardKeys {
 public:
  std::optional<scp::MinimumSecurity> FindTar(const Tar& tar) const override {
    auto it = tars.find(tar.value());
    if (it == tars.end()) return std::nullopt;
    return it->second;
  }
  const scp::Scp80KeySet* FindKeySet(const Tar&, uint8_t key_set) const override {
    auto it = sets.find(key_set);
    return it == sets.end() ? nullptr : &it->second;
  }
  void AddKeySet(uint8_t key_set, const Bytes& kic, const Bytes& kid) {
    scp::Scp80KeySet s;
    s.kic = SecretBytes(AsView(kic));
    s.kid = SecretBytes(AsView(kid));
    sets.erase(key_set);
    sets.emplace(key_set, std::move(s));
  }
  std::map<uint32_t, scp::MinimumSecurity> tars;
  std::map<uint8_t, scp::Scp80KeySet> sets;
};

struct ApduCall {
  Aid target;
  std::string apdu_hex;
};

class FakeCard final : public OtaCard {
 public:
  FakeCard() { AddApplication(gp::IsdRAid(), {true, false, false}); }
  // Registers an application under its TAR (ISD-R/ISD-P AIDs: bytes 13..15).
  void AddApplication(const Aid& aid, scp::MinimumSecurity min) {
    auto tar = gp::TarOfIsdPAid(aid);
    const uint32_t value = tar.ok() ? tar->value() : 0xB00011;
    apps.insert_or_assign(value, aid);
    keys.tars[value] = min;
  }
  void AddApplicationAtTar(uint32_t tar, const Aid& aid, scp::MinimumSecurity min) {
    apps.insert_or_assign(tar, aid);
    keys.tars[tar] = min;
  }

  std::optional<Aid> ApplicationForTar(const Tar& tar) const override {
    auto it = apps.find(tar.value());
    if (it == apps.end()) return std::nullopt;
    return it->second;
  }
  const scp::Scp80CardKeys& Scp80Keys() const override { return keys; }
  scp::Scp80CounterStore& Scp80Counters() override { return counters; }
  std::optional<SecretBytes> Scp81Psk(ByteView identity) const override {
    auto it = psks.find(ToHex(identity));
    if (it == psks.end()) return std::nullopt;
    return SecretBytes(AsView(it->second));
  }
  Bytes ProcessApdu(const Aid& target, ByteView command_apdu) override {
    apdus.push_back({target, ToHex(command_apdu)});
    auto it = answers.find(ToHex(command_apdu));
    if (it != answers.end()) return it->second;
    if (default_answer) return default_answer(command_apdu);
    return HexOrDie("9000");
  }
  Bytes ProcessScp03t(const Aid& target, ByteView tlvs) override {
    scp03t.push_back({target, ToHex(tlvs)});
    return scp03t_answer;
  }
  std::vector<OutgoingNotification> DueNotifications(int64_t) override { return due; }
  void NotificationSent(uint16_t sequence_number, int64_t now) override {
    sent.emplace_back(sequence_number, now);
  }
  SmsrAddress SmsrAddressing() const override { return smsr; }
  // Hands out `originated_counters` in order, then fails.
  Result<uint64_t> NextOriginatedCounter(uint8_t) override {
    if (originated_counters.empty()) return Status::Error(ErrorKind::kLimitExceeded, "exhausted");
    const uint64_t c = originated_counters.front();
    originated_counters.erase(originated_counters.begin());
    return c;
  }

  FakeKeys keys;
  scp::InMemoryCounterStore counters;
  std::map<uint32_t, Aid> apps;
  std::map<std::string, Bytes> psks;     // identity hex → PSK
  std::map<std::string, Bytes> answers;  // command hex (lower case) → R-APDU
  std::function<Bytes(ByteView)> default_answer;
  Bytes scp03t_answer = HexOrDie("8600");
  std::vector<ApduCall> apdus;
  std::vector<ApduCall> scp03t;
  std::vector<OutgoingNotification> due;
  std::vector<std::pair<uint16_t, int64_t>> sent;
  SmsrAddress smsr{"447700900123", ""};
  std::vector<uint64_t> originated_counters;
};

}  // namespace m2mrsp::euicc::testing
