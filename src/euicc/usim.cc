#include "euicc/usim.h"

#include <algorithm>

#include "gp/apdu.h"
#include "gp/status_word.h"
#include "milenage/milenage.h"
#include "tlv/ber.h"

namespace m2mrsp::euicc {
namespace {

constexpr uint64_t kSqnMask = (uint64_t{1} << 48) - 1;
constexpr uint16_t kSwAuthMacFailure = 0x9862;  // TS 31.102 §7.1.2: authentication error
constexpr uint8_t kUsimStateVersion = 1;

uint64_t Load48(ByteView b) {
  uint64_t v = 0;
  for (uint8_t x : b) v = (v << 8) | x;
  return v;
}

Bytes Store48(uint64_t v) {
  Bytes out;
  AppendBigEndian(out, v & kSqnMask, 6);
  return out;
}

Bytes Xor(ByteView a, ByteView b) {
  Bytes out(a.begin(), a.end());
  for (size_t i = 0; i < out.size() && i < b.size(); ++i) out[i] ^= b[i];
  return out;
}

Bytes WithSw(Bytes data, uint16_t sw) {
  data.push_back(gp::Sw1(sw));
  data.push_back(gp::Sw2(sw));
  return data;
}

class MilenageFunctions final : public AkaFunctions {
 public:
  explicit MilenageFunctions(milenage::Milenage m) : m_(std::move(m)) {}
  Status F1(ByteView rand, ByteView sqn, ByteView amf, Bytes& mac_a, Bytes& mac_s) override {
    M2_ASSIGN_OR_RETURN(milenage::F1Output out, m_.F1(rand, sqn, amf));
    mac_a = std::move(out.mac_a);
    mac_s = std::move(out.mac_s);
    return Status::Ok();
  }
  Status F2345(ByteView rand, Bytes& res, SecretBytes& ck, SecretBytes& ik, Bytes& ak) override {
    M2_ASSIGN_OR_RETURN(milenage::F2345Output out, m_.F2345(rand));
    res = std::move(out.res);
    ck = std::move(out.ck);
    ik = std::move(out.ik);
    ak = std::move(out.ak);
    return Status::Ok();
  }
  Status F5Star(ByteView rand, Bytes& ak) override {
    M2_ASSIGN_OR_RETURN(ak, m_.F5Star(rand));
    return Status::Ok();
  }

 private:
  milenage::Milenage m_;
};

// 3GPP TS 34.108 §8.1.2: XDOUT = K ⊕ RAND; RES = XDOUT[0..7] (RES length 64 bits, our choice
// within the clause's n); CK/IK = XDOUT rotated left by 8/16 bits; AK = AK* = XDOUT bits 24..71;
// MAC-A = XDOUT[0..7] ⊕ (SQN ‖ AMF); MAC-S likewise with AMF* (§8.1.2.2).
class TestAlgorithmFunctions final : public AkaFunctions {
 public:
  explicit TestAlgorithmFunctions(ByteView k) : k_(k) {}
  Status F1(ByteView rand, ByteView sqn, ByteView amf, Bytes& mac_a, Bytes& mac_s) override {
    M2_RETURN_IF_ERROR(Check(rand));
    if (sqn.size() != 6 || amf.size() != 2) return InvalidArgument("SQN 6, AMF 2 bytes");
    const SecretBytes x = XdOut(rand);
    const Bytes cdout = Concat({sqn, amf});
    mac_a = Xor(x.view().first(8), cdout);
    mac_s = mac_a;  // f1* has the same definition; the caller passes AMF* = 0000
    return Status::Ok();
  }
  Status F2345(ByteView rand, Bytes& res, SecretBytes& ck, SecretBytes& ik, Bytes& ak) override {
    M2_RETURN_IF_ERROR(Check(rand));
    const SecretBytes x = XdOut(rand);
    const ByteView v = x.view();
    res.assign(v.begin(), v.begin() + 8);
    ck = SecretBytes(Concat({v.subspan(1), v.first(1)}));
    ik = SecretBytes(Concat({v.subspan(2), v.first(2)}));
    ak.assign(v.begin() + 3, v.begin() + 9);
    return Status::Ok();
  }
  Status F5Star(ByteView rand, Bytes& ak) override {
    M2_RETURN_IF_ERROR(Check(rand));
    const SecretBytes x = XdOut(rand);
    ak.assign(x.view().begin() + 3, x.view().begin() + 9);
    return Status::Ok();
  }

 private:
  static Status Check(ByteView rand) {
    return rand.size() == 16 ? Status::Ok() : InvalidArgument("RAND must be 16 bytes");
  }
  SecretBytes XdOut(ByteView rand) const { return SecretBytes::Adopt(Xor(k_.view(), rand)); }
  SecretBytes k_;
};

}  // namespace

Result<std::unique_ptr<AkaFunctions>> MakeAkaFunctions(const AkaConfig& aka) {
  switch (aka.algorithm) {
    case AkaAlgorithm::kMilenage: {
      milenage::Constants constants;
      for (size_t i = 0; i < 5; ++i) constants.r[i] = aka.rotation[i];
      if (!aka.xoring.empty()) {
        if (aka.xoring.size() != 80) return InvalidArgument("xoringConstants must be 80 bytes");
        for (size_t i = 0; i < 5; ++i) {
          std::copy_n(aka.xoring.begin() + static_cast<std::ptrdiff_t>(16 * i), 16,
                      constants.c[i].begin());
        }
      }
      M2_ASSIGN_OR_RETURN(milenage::Milenage m,
                          milenage::Milenage::Create(aka.k.view(), aka.opc.view(), constants));
      return std::unique_ptr<AkaFunctions>(new MilenageFunctions(std::move(m)));
    }
    case AkaAlgorithm::kTestAlgorithm:
      if (aka.k.size() != 16) return InvalidArgument("test algorithm K must be 16 bytes");
      return std::unique_ptr<AkaFunctions>(new TestAlgorithmFunctions(aka.k.view()));
    case AkaAlgorithm::kTuak:
      return InvalidArgument("TUAK is not implemented");
  }
  return InvalidArgument("unknown AKA algorithm");
}

// SAIP sqnOptions (docs/formats/usim.md §SQN, [?]): b2 (02) enables the Δ check ("wrap
// around" protection), b3 (04) the age-limit check; IND is 5 bits because sqnInit holds 32
// entries. Δ and L are SEQ differences.
Result<SqnPolicy> SqnPolicy::FromConfig(const AkaConfig& aka) {
  if (aka.sqn_delta.size() != 6 || aka.sqn_age_limit.size() != 6) {
    return InvalidArgument("sqnDelta and sqnAgeLimit must be 6 bytes");
  }
  SqnPolicy p;
  p.ind_bits = 5;
  p.check_delta = (aka.sqn_options & 0x02) != 0;
  p.check_age = (aka.sqn_options & 0x04) != 0;
  p.delta = Load48(aka.sqn_delta);
  p.age_limit = Load48(aka.sqn_age_limit);
  return p;
}

Result<UsimState> UsimState::Initial(const AkaConfig& aka) {
  M2_ASSIGN_OR_RETURN(SqnPolicy policy, SqnPolicy::FromConfig(aka));
  UsimState s;
  s.seq.assign(size_t{1} << policy.ind_bits, 0);
  if (aka.sqn_init.size() > s.seq.size()) return InvalidArgument("too many sqnInit entries");
  for (size_t i = 0; i < aka.sqn_init.size(); ++i) {
    if (aka.sqn_init[i].size() != 6) return InvalidArgument("sqnInit entries must be 6 bytes");
    s.seq[i] = Load48(aka.sqn_init[i]) >> policy.ind_bits;
  }
  return s;
}

// TS 33.102 Annex C.2.2/C.3.4: SQN_MS = SEQ_MS ‖ IND_MS, the highest SEQ of the array with the
// index holding it (the lowest such index on ties).
uint64_t UsimState::HighestSqn(unsigned ind_bits) const {
  uint64_t best = 0;
  size_t index = 0;
  for (size_t i = 0; i < seq.size(); ++i) {
    if (seq[i] > best) {
      best = seq[i];
      index = i;
    }
  }
  return ((best << ind_bits) | index) & kSqnMask;
}

Bytes UsimState::Serialize() const {
  tlv::Builder b;
  b.Add(0x80, {kUsimStateVersion});
  Bytes packed;
  for (uint64_t s : seq) AppendBigEndian(packed, s, 6);
  b.Add(0x81, packed);
  return std::move(b).Finish();
}

Result<UsimState> UsimState::Deserialize(ByteView data) {
  tlv::Limits limits;
  limits.max_size = 4096;
  limits.max_elements = 4;
  M2_ASSIGN_OR_RETURN(std::vector<tlv::Tlv> seq, tlv::ParseSequence(data, limits));
  if (seq.size() != 2 || seq[0].tag != 0x80 || seq[1].tag != 0x81) {
    return ParseError("USIM state: expected version and SQN array");
  }
  if (seq[0].value.size() != 1 || seq[0].value[0] != kUsimStateVersion) {
    return ParseError("USIM state: unsupported format version");
  }
  const ByteView packed = seq[1].value;
  if (packed.size() % 6 != 0 || packed.empty() || packed.size() / 6 > 256 ||
      ((packed.size() / 6) & (packed.size() / 6 - 1)) != 0) {
    return ParseError("USIM state: SQN array must hold a power of two of 6-byte entries");
  }
  UsimState s;
  for (size_t i = 0; i < packed.size(); i += 6) s.seq.push_back(Load48(packed.subspan(i, 6)));
  return s;
}

Result<AkaResult> RunAka(const AkaConfig& aka, UsimState& state, ByteView rand, ByteView autn) {
  if (rand.size() != 16 || autn.size() != 16) return InvalidArgument("RAND/AUTN: 16 bytes");
  M2_ASSIGN_OR_RETURN(SqnPolicy policy, SqnPolicy::FromConfig(aka));
  if (state.seq.size() != (size_t{1} << policy.ind_bits)) {
    return InvalidArgument("USIM state does not match the SQN policy");
  }
  M2_ASSIGN_OR_RETURN(std::unique_ptr<AkaFunctions> f, MakeAkaFunctions(aka));

  AkaResult r;
  Bytes ak;
  M2_RETURN_IF_ERROR(f->F2345(rand, r.res, r.ck, r.ik, ak));
  // TS 33.102 §6.3.3: SQN = (SQN ⊕ AK) ⊕ AK, then XMAC = f1(SQN, RAND, AMF) against MAC-A.
  const Bytes sqn = Xor(autn.first(6), ak);
  const ByteView amf = autn.subspan(6, 2);
  Bytes xmac, unused;
  M2_RETURN_IF_ERROR(f->F1(rand, sqn, amf, xmac, unused));
  if (!ConstantTimeEqual(xmac, autn.subspan(8, 8))) {
    r = AkaResult{};
    r.kind = AkaResult::Kind::kMacFailure;
    return r;
  }

  // Annex C.2.2: freshness of SEQ against SEQ_MS(IND), the Δ and age-limit checks against the
  // highest SEQ_MS.
  const uint64_t sqn_value = Load48(sqn);
  const uint64_t s = sqn_value >> policy.ind_bits;
  const size_t ind = static_cast<size_t>(sqn_value & ((uint64_t{1} << policy.ind_bits) - 1));
  const uint64_t highest = state.HighestSqn(policy.ind_bits) >> policy.ind_bits;
  bool fresh = s > state.seq[ind];
  if (policy.check_delta && s > highest && s - highest > policy.delta) fresh = false;
  if (policy.check_age && highest > s && highest - s > policy.age_limit) fresh = false;
  if (!fresh) {
    // §6.3.3 / §6.3.5: AUTS = SQN_MS ⊕ f5*(RAND) ‖ f1*(SQN_MS, RAND, AMF* = 0000).
    const Bytes sqn_ms = Store48(state.HighestSqn(policy.ind_bits));
    Bytes ak_star, mac_a, mac_s;
    M2_RETURN_IF_ERROR(f->F5Star(rand, ak_star));
    M2_RETURN_IF_ERROR(f->F1(rand, sqn_ms, Bytes{0x00, 0x00}, mac_a, mac_s));
    r = AkaResult{};
    r.kind = AkaResult::Kind::kSyncFailure;
    r.auts = Concat({Xor(sqn_ms, ak_star), mac_s});
    return r;
  }
  state.seq[ind] = s;
  // TS 33.102 §6.8.1.2 c3: Kc = CK1 ⊕ CK2 ⊕ IK1 ⊕ IK2.
  Bytes kc = Xor(Xor(r.ck.view().first(8), r.ck.view().subspan(8)),
                 Xor(r.ik.view().first(8), r.ik.view().subspan(8)));
  r.kc = SecretBytes::Adopt(std::move(kc));
  r.kind = AkaResult::Kind::kSuccess;
  return r;
}

Bytes Authenticate(const AkaConfig& aka, UsimState& state, ByteView command_apdu) {
  auto cmd = gp::DecodeCommand(command_apdu);
  if (!cmd.ok()) return WithSw({}, gp::kSwWrongLength);
  if ((cmd->cla & 0xF0) != 0x00) return WithSw({}, gp::kSwClaNotSupported);
  if (cmd->ins != 0x88) return WithSw({}, gp::kSwInsNotSupported);
  // TS 31.102 §7.1.2: P1 00, P2 81 = specific reference data, 3G context.
  if (cmd->p1 != 0x00 || cmd->p2 != 0x81) return WithSw({}, gp::kSwIncorrectP1P2);
  const Bytes& d = cmd->data;
  if (d.size() != 34) return WithSw({}, gp::kSwWrongLength);
  if (d[0] != 0x10 || d[17] != 0x10) return WithSw({}, gp::kSwIncorrectData);
  auto r = RunAka(aka, state, ByteView(d).subspan(1, 16), ByteView(d).subspan(18, 16));
  if (!r.ok()) return WithSw({}, gp::kSwNoPreciseDiagnosis);
  switch (r->kind) {
    case AkaResult::Kind::kMacFailure:
      return WithSw({}, kSwAuthMacFailure);
    case AkaResult::Kind::kSyncFailure: {
      Bytes out{0xDC, static_cast<uint8_t>(r->auts.size())};
      Append(out, r->auts);
      return WithSw(std::move(out), gp::kSwOk);
    }
    case AkaResult::Kind::kSuccess:
      break;
  }
  // §7.1.2.1: DB ‖ L RES ‖ L CK ‖ L IK ‖ L Kc (Kc: GSM access is available in our profiles).
  Bytes out{0xDB, static_cast<uint8_t>(r->res.size())};
  Append(out, r->res);
  out.push_back(static_cast<uint8_t>(r->ck.size()));
  Append(out, r->ck.view());
  out.push_back(static_cast<uint8_t>(r->ik.size()));
  Append(out, r->ik.view());
  out.push_back(static_cast<uint8_t>(r->kc.size()));
  Append(out, r->kc.view());
  Bytes rapdu = WithSw(std::move(out), gp::kSwOk);
  return rapdu;
}

}  // namespace m2mrsp::euicc
