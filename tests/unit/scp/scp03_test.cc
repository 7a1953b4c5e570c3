// SCP03 over APDUs: both sides replay pySim's nine sysmoEUICC1 traces byte for byte
// (tests/vectors/scp03_kdf.vec + scp03_apdu.vec), then host and card run against each other at
// every security level and key length, and the card refuses tampering, replay and bad order.
#include "scp/scp03.h"

#include <gtest/gtest.h>

#include "crypto/cipher.h"
#include "crypto/cmac.h"
#include "crypto/kdf.h"
#include "crypto/secure_random.h"
#include "support/vectors.h"

namespace m2mrsp::scp {
namespace {

using testing::VectorRecord;

struct Trace {
  VectorRecord session;  // scp03_kdf.vec
  VectorRecord apdus;    // scp03_apdu.vec
};

std::vector<Trace> LoadTraces() {
  const auto sessions = testing::InSection(testing::LoadVectors("scp03_kdf.vec"), "SCP03");
  const auto apdus = testing::InSection(testing::LoadVectors("scp03_apdu.vec"), "SCP03");
  std::vector<Trace> out;
  for (const auto& a : apdus) {
    for (const auto& s : sessions) {
      if (s.Get("Name") == a.Get("Name")) out.push_back({s, a});
    }
  }
  if (out.size() != 9) throw std::runtime_error("expected nine SCP03 traces");
  return out;
}

const std::vector<Trace>& Traces() {
  static const std::vector<Trace> traces = LoadTraces();
  return traces;
}

Scp03Keys KeysOf(const VectorRecord& s) {
  Scp03Keys k;
  k.kvn = s.Hex("Kvn").at(0);
  k.enc = SecretBytes(s.Hex("KeyEnc"));
  k.mac = SecretBytes(s.Hex("KeyMac"));
  return k;
}

uint32_t Counter(const Bytes& b) { return (uint32_t{b[0]} << 16) | (uint32_t{b[1]} << 8) | b[2]; }

Scp03CardConfig CardConfigOf(const Trace& t) {
  Scp03CardConfig c;
  c.keys = KeysOf(t.session);
  c.sd_aid = t.apdus.Hex("SdAid");
  c.sequence_counter = Counter(t.apdus.Hex("SequenceCounter")) - 1;  // the card adds one
  return c;
}

constexpr const char* kCases[] = {"Case1", "Case2", "Case3", "Case4"};

class Scp03Trace : public ::testing::TestWithParam<size_t> {};

TEST_P(Scp03Trace, HostReproducesRealHostAndAcceptsRealCard) {
  const Trace& t = Traces()[GetParam()];
  SCOPED_TRACE(t.session.Get("Name"));
  ScriptedRandom random(t.session.Hex("HostChallenge"));
  Scp03Host host(KeysOf(t.session), random);
  EXPECT_EQ(ToHex(*host.InitializeUpdate()), ToHex(t.session.Hex("InitUpdateCmd")));
  ASSERT_TRUE(host.CheckInitializeUpdateResponse(t.session.Hex("InitUpdateRsp"), 0x9000).ok());
  auto ext = host.ExternalAuthenticate(t.session.Hex("SecurityLevel").at(0));
  ASSERT_TRUE(ext.ok()) << ext.status().ToString();
  EXPECT_EQ(ToHex(*ext), ToHex(t.session.Hex("ExtAuthCmd")));
  ASSERT_TRUE(host.CheckExternalAuthenticateResponse(0x9000).ok());
  EXPECT_EQ(ToHex(*host.Wrap(t.apdus.Hex("GetEidCmd"))), ToHex(t.apdus.Hex("GetEidCmdWrapped")));
  auto rsp = host.Unwrap(t.apdus.Hex("GetEidRspWrapped"), 0x9000);
  ASSERT_TRUE(rsp.ok()) << rsp.status().ToString();
  EXPECT_EQ(ToHex(*rsp), ToHex(t.apdus.Hex("GetEidRsp")));
  for (const std::string c : kCases) {
    auto w = host.Wrap(t.apdus.Hex(c + "Cmd"));
    ASSERT_TRUE(w.ok()) << c << ": " << w.status().ToString();
    EXPECT_EQ(ToHex(*w), ToHex(t.apdus.Hex(c + "Wrapped"))) << c;
  }
}

TEST_P(Scp03Trace, CardReproducesRealCardAndAcceptsRealHost) {
  const Trace& t = Traces()[GetParam()];
  SCOPED_TRACE(t.session.Get("Name"));
  Scp03Card card(CardConfigOf(t));
  auto iu = card.InitializeUpdate(t.session.Hex("InitUpdateCmd"));
  ASSERT_TRUE(iu.ok()) << iu.status().ToString();
  EXPECT_EQ(ToHex(*iu), ToHex(t.session.Hex("InitUpdateRsp")));
  EXPECT_EQ(card.sequence_counter(), Counter(t.apdus.Hex("SequenceCounter")));
  auto ea = card.ExternalAuthenticate(t.session.Hex("ExtAuthCmd"));
  ASSERT_TRUE(ea.ok()) << ea.status().ToString();
  EXPECT_EQ(card.security_level(), t.session.Hex("SecurityLevel").at(0));
  auto cmd = card.UnwrapCommand(t.apdus.Hex("GetEidCmdWrapped"));
  ASSERT_TRUE(cmd.ok()) << cmd.status().ToString();
  EXPECT_EQ(ToHex(*cmd), ToHex(t.apdus.Hex("GetEidCmd")));
  auto rsp = card.WrapResponse(t.apdus.Hex("GetEidRsp"), 0x9000);
  ASSERT_TRUE(rsp.ok());
  EXPECT_EQ(ToHex(*rsp), ToHex(t.apdus.Hex("GetEidRspWrapped")));
  for (const std::string c : kCases) {
    auto u = card.UnwrapCommand(t.apdus.Hex(c + "Wrapped"));
    ASSERT_TRUE(u.ok()) << c << ": " << u.status().ToString();
    // The plain form comes back exactly as the host gave it (pySim writes CLA 80 in both cases).
    EXPECT_EQ(ToHex(*u), ToHex(t.apdus.Hex(c + "Cmd"))) << c;
  }
}

INSTANTIATE_TEST_SUITE_P(PySim, Scp03Trace, ::testing::Range<size_t>(0, 9));

// --- host against card --------------------------------------------------------------------

Scp03Keys FreshKeys(size_t len, uint8_t kvn = 0x30) {
  Scp03Keys k;
  k.kvn = kvn;
  k.enc = SecretBytes(*crypto::SecureRandom::Instance().Generate(len));
  k.mac = SecretBytes(*crypto::SecureRandom::Instance().Generate(len));
  k.dek = SecretBytes(*crypto::SecureRandom::Instance().Generate(len));
  return k;
}

const Bytes kIsdP = HexOrDie("A0000005591010FFFFFFFF8900001100");

struct Pair {
  Scp03Host host;
  Scp03Card card;
};

Pair Connect(const Scp03Keys& keys, uint8_t level) {
  Pair p{Scp03Host(keys.Clone(), crypto::SecureRandom::Instance()),
         Scp03Card(Scp03CardConfig{keys.Clone(), kIsdP, 41, Bytes(10, 0x5A)})};
  auto iu = p.card.InitializeUpdate(*p.host.InitializeUpdate());
  EXPECT_TRUE(iu.ok()) << iu.status().ToString();
  EXPECT_TRUE(p.host.CheckInitializeUpdateResponse(*iu, 0x9000).ok());
  auto ea = p.card.ExternalAuthenticate(*p.host.ExternalAuthenticate(level));
  EXPECT_TRUE(ea.ok()) << ea.status().ToString();
  EXPECT_TRUE(p.host.CheckExternalAuthenticateResponse(p.card.status_word()).ok());
  return p;
}

class Scp03EndToEnd : public ::testing::TestWithParam<std::tuple<size_t, uint8_t>> {};

TEST_P(Scp03EndToEnd, CommandsAndResponsesRoundTrip) {
  const auto [key_len, level] = GetParam();
  Pair p = Connect(FreshKeys(key_len), level);
  ASSERT_TRUE(p.card.authenticated());
  EXPECT_EQ(p.card.sequence_counter(), 42u);
  const char* commands[] = {"80F22002", "80CA006600",
                            "80E29100"
                            "06BF3E035C015A00",
                            "80E2880010"
                            "000102030405060708090A0B0C0D0E0F",
                            "80E2880001FF"};
  for (const char* c : commands) {
    const Bytes plain = HexOrDie(c);
    auto wrapped = p.host.Wrap(plain);
    ASSERT_TRUE(wrapped.ok()) << wrapped.status().ToString();
    auto unwrapped = p.card.UnwrapCommand(*wrapped);
    ASSERT_TRUE(unwrapped.ok()) << c << ": " << unwrapped.status().ToString();
    EXPECT_EQ(ToHex(*unwrapped), ToHex(plain));
    // Responses with data, plain and with a warning word (both protected).
    const Bytes data = HexOrDie("BF3E125A1089049032123451234512345678901235");
    const uint16_t sw = plain[1] == 0xF2 ? 0x6310 : 0x9000;
    auto r = p.card.WrapResponse(data, sw);
    ASSERT_TRUE(r.ok());
    auto back = p.host.Unwrap(*r, sw);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(ToHex(*back), ToHex(data));
  }
  // Error status words travel unprotected (Amd D §6.2.5).
  auto w = p.host.Wrap(HexOrDie("80E4000000"));
  ASSERT_TRUE(p.card.UnwrapCommand(*w).ok());
  auto r = p.card.WrapResponse({}, 0x6A88);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  EXPECT_TRUE(p.host.Unwrap(*r, 0x6A88).ok());
}

INSTANTIATE_TEST_SUITE_P(LevelsAndKeys, Scp03EndToEnd,
                         ::testing::Combine(::testing::Values<size_t>(16, 24, 32),
                                            ::testing::Values<uint8_t>(0x01, 0x03, 0x11, 0x13,
                                                                       0x33)));

// --- refusals -----------------------------------------------------------------------------

TEST(Scp03Card, RefusesCommandsBeforeAuthentication) {
  const Scp03Keys keys = FreshKeys(16);
  Scp03Card card(Scp03CardConfig{keys.Clone(), kIsdP, 0, Bytes(10, 0)});
  EXPECT_FALSE(card.UnwrapCommand(HexOrDie("84F2200208AABBCCDDEEFF0011")).ok());
  EXPECT_EQ(card.status_word(), 0x6982);
  EXPECT_FALSE(card.ExternalAuthenticate(HexOrDie("8482330010"
                                                  "00112233445566778899AABBCCDDEEFF"))
                   .ok());
  EXPECT_EQ(card.status_word(), 0x6985);
  EXPECT_FALSE(card.WrapResponse({}, 0x9000).ok());
  // After INITIALIZE UPDATE but before EXTERNAL AUTHENTICATE.
  Scp03Host host(keys.Clone(), crypto::SecureRandom::Instance());
  ASSERT_TRUE(card.InitializeUpdate(*host.InitializeUpdate()).ok());
  EXPECT_FALSE(card.UnwrapCommand(HexOrDie("84F2200208AABBCCDDEEFF0011")).ok());
  EXPECT_EQ(card.status_word(), 0x6982);
  EXPECT_FALSE(host.Wrap(HexOrDie("80F22002")).ok());
}

TEST(Scp03Card, RefusesWrongKvnAndMalformedInitializeUpdate) {
  Scp03Card card(Scp03CardConfig{FreshKeys(16, 0x30), kIsdP, 0, Bytes(10, 0)});
  EXPECT_FALSE(card.InitializeUpdate(HexOrDie("8050310008"
                                              "0011223344556677"
                                              "00"))
                   .ok());
  EXPECT_EQ(card.status_word(), 0x6A88);
  EXPECT_FALSE(card.InitializeUpdate(HexOrDie("8050300007"
                                              "00112233445566"
                                              "00"))
                   .ok());
  EXPECT_EQ(card.status_word(), 0x6700);
  EXPECT_FALSE(card.InitializeUpdate(HexOrDie("805030")).ok());
  EXPECT_EQ(card.status_word(), 0x6700);
  EXPECT_EQ(card.sequence_counter(), 0u);  // refused commands do not consume a challenge
  EXPECT_TRUE(card.InitializeUpdate(HexOrDie("8050000008"
                                             "0011223344556677"
                                             "00"))
                  .ok());
  EXPECT_EQ(card.sequence_counter(), 1u);  // KVN 00 = first available key set
}

TEST(Scp03Card, RefusesExhaustedSequenceCounter) {
  Scp03Card card(Scp03CardConfig{FreshKeys(16), kIsdP, kScp03MaxSequenceCounter, Bytes(10, 0)});
  EXPECT_FALSE(card.InitializeUpdate(HexOrDie("8050300008"
                                              "0011223344556677"
                                              "00"))
                   .ok());
  EXPECT_EQ(card.status_word(), 0x6985);
}

TEST(Scp03Host, RefusesWrongCardCryptogramAndKvn) {
  const Trace& t = Traces()[0];
  Bytes rsp = t.session.Hex("InitUpdateRsp");
  {
    ScriptedRandom random(t.session.Hex("HostChallenge"));
    Scp03Host host(KeysOf(t.session), random);
    ASSERT_TRUE(host.InitializeUpdate().ok());
    Bytes bad = rsp;
    bad[21] ^= 0x01;  // first cryptogram byte
    const Status s = host.CheckInitializeUpdateResponse(bad, 0x9000);
    EXPECT_EQ(s.kind(), ErrorKind::kSecurity);
    EXPECT_FALSE(host.ExternalAuthenticate(0x33).ok());
  }
  {
    ScriptedRandom random(t.session.Hex("HostChallenge"));
    Scp03Host host(KeysOf(t.session), random);
    ASSERT_TRUE(host.InitializeUpdate().ok());
    Bytes bad = rsp;
    bad[10] = 0x31;
    EXPECT_FALSE(host.CheckInitializeUpdateResponse(bad, 0x9000).ok());
  }
  {
    ScriptedRandom random(t.session.Hex("HostChallenge"));
    Scp03Host host(KeysOf(t.session), random);
    ASSERT_TRUE(host.InitializeUpdate().ok());
    EXPECT_FALSE(host.CheckInitializeUpdateResponse(ByteView(rsp).first(31), 0x9000).ok());
  }
}

TEST(Scp03Card, RefusesWrongHostCryptogramAndWrongExtAuthMac) {
  const Trace& t = Traces()[2];  // AES128_33
  for (size_t byte : {5u, 13u}) {
    Scp03Card card(CardConfigOf(t));
    ASSERT_TRUE(card.InitializeUpdate(t.session.Hex("InitUpdateCmd")).ok());
    Bytes bad = t.session.Hex("ExtAuthCmd");
    bad[byte] ^= 0x80;
    EXPECT_FALSE(card.ExternalAuthenticate(bad).ok());
    EXPECT_EQ(card.status_word(), byte == 5 ? 0x6300 : 0x6982);
    EXPECT_FALSE(card.authenticated());
  }
}

TEST(Scp03Card, WrongCommandMacClosesTheSession) {
  const Trace& t = Traces()[2];
  Scp03Card card(CardConfigOf(t));
  ASSERT_TRUE(card.InitializeUpdate(t.session.Hex("InitUpdateCmd")).ok());
  ASSERT_TRUE(card.ExternalAuthenticate(t.session.Hex("ExtAuthCmd")).ok());
  Bytes bad = t.apdus.Hex("GetEidCmdWrapped");
  bad[bad.size() - 2] ^= 0x01;  // last C-MAC byte (before Le)
  EXPECT_FALSE(card.UnwrapCommand(bad).ok());
  EXPECT_EQ(card.status_word(), 0x6982);
  EXPECT_FALSE(card.authenticated());
  EXPECT_FALSE(card.UnwrapCommand(t.apdus.Hex("GetEidCmdWrapped")).ok());
}

TEST(Scp03Card, RefusesReplayedAndReorderedCommands) {
  for (size_t i : {0u, 1u, 2u}) {
    const Trace& t = Traces()[i];
    Scp03Card card(CardConfigOf(t));
    ASSERT_TRUE(card.InitializeUpdate(t.session.Hex("InitUpdateCmd")).ok());
    ASSERT_TRUE(card.ExternalAuthenticate(t.session.Hex("ExtAuthCmd")).ok());
    ASSERT_TRUE(card.UnwrapCommand(t.apdus.Hex("GetEidCmdWrapped")).ok());
    EXPECT_FALSE(card.UnwrapCommand(t.apdus.Hex("GetEidCmdWrapped")).ok());  // replay
    EXPECT_EQ(card.status_word(), 0x6982);
    // Skipping case 1 (reordering) also breaks the MAC chain.
    Scp03Card card2(CardConfigOf(t));
    ASSERT_TRUE(card2.InitializeUpdate(t.session.Hex("InitUpdateCmd")).ok());
    ASSERT_TRUE(card2.ExternalAuthenticate(t.session.Hex("ExtAuthCmd")).ok());
    ASSERT_TRUE(card2.UnwrapCommand(t.apdus.Hex("GetEidCmdWrapped")).ok());
    EXPECT_FALSE(card2.UnwrapCommand(t.apdus.Hex("Case2Wrapped")).ok());
  }
  // A replayed EXTERNAL AUTHENTICATE needs the old card challenge: the counter moved on.
  const Trace& t = Traces()[0];
  Scp03Card card(CardConfigOf(t));
  ASSERT_TRUE(card.InitializeUpdate(t.session.Hex("InitUpdateCmd")).ok());
  ASSERT_TRUE(card.InitializeUpdate(t.session.Hex("InitUpdateCmd")).ok());
  EXPECT_FALSE(card.ExternalAuthenticate(t.session.Hex("ExtAuthCmd")).ok());
  EXPECT_EQ(card.status_word(), 0x6300);
}

// A command whose MAC is right but whose decrypted data lacks the 80 00.. padding: built here
// with the session keys derived by the KDF (its own vectors pass in crypto's tests).
TEST(Scp03Card, RefusesBadPadding) {
  const Trace& t = Traces()[1];  // AES128_03: C-MAC + C-DEC
  Scp03Card card(CardConfigOf(t));
  ASSERT_TRUE(card.InitializeUpdate(t.session.Hex("InitUpdateCmd")).ok());
  ASSERT_TRUE(card.ExternalAuthenticate(t.session.Hex("ExtAuthCmd")).ok());
  const Bytes s_enc = t.session.Hex("SEnc");
  const Bytes s_mac = t.session.Hex("SMac");
  Bytes counter_block(16, 0);
  counter_block[15] = 1;
  const Bytes icv = *crypto::AesEcbEncrypt(s_enc, counter_block);
  const Bytes enc = *crypto::AesCbcEncrypt(s_enc, icv, Bytes(16, 0x41));  // no padding
  const Bytes ext = t.session.Hex("ExtAuthCmd");
  const Bytes mcv = *crypto::AesCmac(s_mac, Concat({Bytes(16, 0), ByteView(ext).first(13)}));
  const Bytes header = HexOrDie("84E2880018");
  const Bytes mac = *crypto::AesCmac(s_mac, Concat({mcv, header, enc}));
  const Bytes cmd = Concat({header, enc, ByteView(mac).first(8)});
  EXPECT_FALSE(card.UnwrapCommand(cmd).ok());
  EXPECT_EQ(card.status_word(), 0x6982);
  EXPECT_FALSE(card.authenticated());
}

TEST(Scp03Host, RefusesTamperedResponse) {
  const Trace& t = Traces()[2];  // AES128_33
  ScriptedRandom random(t.session.Hex("HostChallenge"));
  Scp03Host host(KeysOf(t.session), random);
  ASSERT_TRUE(host.InitializeUpdate().ok());
  ASSERT_TRUE(host.CheckInitializeUpdateResponse(t.session.Hex("InitUpdateRsp"), 0x9000).ok());
  ASSERT_TRUE(host.ExternalAuthenticate(0x33).ok());
  ASSERT_TRUE(host.CheckExternalAuthenticateResponse(0x9000).ok());
  ASSERT_TRUE(host.Wrap(t.apdus.Hex("GetEidCmd")).ok());
  Bytes bad = t.apdus.Hex("GetEidRspWrapped");
  bad[0] ^= 0x01;
  EXPECT_EQ(host.Unwrap(bad, 0x9000).status().kind(), ErrorKind::kSecurity);
  EXPECT_FALSE(host.Unwrap(t.apdus.Hex("GetEidRspWrapped"), 0x6310).ok());  // SW is MACed
  EXPECT_FALSE(host.Unwrap(HexOrDie("0102"), 0x9000).ok());                 // no room for R-MAC
}

TEST(Scp03Host, RefusesLevelsTheCardDoesNotOffer) {
  Scp03Keys keys = FreshKeys(16);
  Scp03Host host(keys.Clone(), crypto::SecureRandom::Instance());
  Scp03Card card(Scp03CardConfig{keys.Clone(), kIsdP, 0, Bytes(10, 0)});
  ASSERT_TRUE(
      host.CheckInitializeUpdateResponse(*card.InitializeUpdate(*host.InitializeUpdate()), 0x9000)
          .ok());
  EXPECT_FALSE(host.ExternalAuthenticate(0x31).ok());
  EXPECT_FALSE(host.ExternalAuthenticate(0x00).ok());
  EXPECT_TRUE(host.ExternalAuthenticate(0x13).ok());
}

TEST(Scp03Channel, PaddingRules) {
  EXPECT_EQ(ToHex(Pad80({})), "80000000000000000000000000000000");
  EXPECT_EQ(Pad80(Bytes(16, 1)).size(), 32u);
  EXPECT_EQ(ToHex(*Unpad80(HexOrDie("41800000000000000000000000000000"))), "41");
  EXPECT_FALSE(Unpad80(Bytes(16, 0)).ok());
  EXPECT_FALSE(Unpad80(HexOrDie("41800000000000000000000000000001")).ok());
  EXPECT_FALSE(Unpad80(Concat({HexOrDie("80"), Bytes(16, 0)})).ok());  // marker outside last block
  EXPECT_FALSE(Unpad80({}).ok());
}

TEST(Scp03Channel, InitializeUpdateResponseCodec) {
  const Bytes rsp = Traces()[0].session.Hex("InitUpdateRsp");
  auto d = InitializeUpdateResponse::Decode(rsp);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->kvn, 0x30);
  EXPECT_EQ(d->i, 0x70);
  EXPECT_EQ(*d->sequence_counter, 2u);
  EXPECT_EQ(ToHex(d->Encode()), ToHex(rsp));
  Bytes no_counter(rsp.begin(), rsp.begin() + 29);
  no_counter[12] = 0x60;  // random challenge: no counter
  EXPECT_TRUE(InitializeUpdateResponse::Decode(no_counter).ok());
  Bytes s16 = rsp;
  s16[12] = 0x71;
  EXPECT_FALSE(InitializeUpdateResponse::Decode(s16).ok());
  Bytes scp02 = rsp;
  scp02[11] = 0x02;
  EXPECT_FALSE(InitializeUpdateResponse::Decode(scp02).ok());
}

}  // namespace
}  // namespace m2mrsp::scp
