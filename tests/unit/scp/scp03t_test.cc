// SCP03t (SGP.02 §4.1.3.3): both sides against TLVs computed by an independent python3 script
// (tests/vectors/gen/scp03t.py), host against card with a 20 KB package (interactive and as one
// pre-built script), and the card's refusals of tampering, replay, bad order and oversize.
#include "scp/scp03t.h"

#include <gtest/gtest.h>

#include "crypto/secure_random.h"
#include "support/vectors.h"
#include "tlv/ber.h"

namespace m2mrsp::scp {
namespace {

using testing::VectorRecord;

const Bytes kIsdP = HexOrDie("A0000005591010FFFFFFFF8900001100");

uint32_t Counter(const Bytes& b) { return (uint32_t{b[0]} << 16) | (uint32_t{b[1]} << 8) | b[2]; }

Scp03Keys KeysOf(const VectorRecord& r) {
  Scp03Keys k;
  k.kvn = r.Hex("Kvn").at(0);
  k.enc = SecretBytes(r.Hex("KeyEnc"));
  k.mac = SecretBytes(r.Hex("KeyMac"));
  return k;
}

Scp03CardConfig CardConfigOf(const VectorRecord& r) {
  return Scp03CardConfig{KeysOf(r), r.Hex("SdAid"), Counter(r.Hex("SequenceCounter")) - 1,
                         r.Hex("KeyDiversification")};
}

class Scp03tVector : public ::testing::TestWithParam<size_t> {
 protected:
  const VectorRecord& rec() const {
    static const auto all = testing::InSection(testing::LoadVectors("scp03t.vec"), "SCP03t");
    return all.at(GetParam());
  }
};

TEST_P(Scp03tVector, HostProducesTheIndependentTlvs) {
  const VectorRecord& r = rec();
  ScriptedRandom random(r.Hex("HostChallenge"));
  Scp03tHost host(KeysOf(r), random, r.Hex("KeyId").at(0));
  EXPECT_EQ(ToHex(*host.InitializeUpdate()), ToHex(r.Hex("InitUpdateTlv")));
  ASSERT_TRUE(host.CheckInitializeUpdateResponse(r.Hex("InitUpdateRspTlv")).ok());
  EXPECT_EQ(ToHex(*host.ExternalAuthenticate()), ToHex(r.Hex("ExtAuthTlv")));
  ASSERT_TRUE(host.CheckExternalAuthenticateResponse(r.Hex("ExtAuthRspTlv")).ok());
  for (int n = 1; n <= 3; ++n) {
    const std::string s = "Segment" + std::to_string(n);
    auto tlv = host.ProtectSegment(r.Hex(s));
    ASSERT_TRUE(tlv.ok()) << tlv.status().ToString();
    EXPECT_EQ(ToHex(*tlv), ToHex(r.Hex(s + "Tlv"))) << s;
    auto rsp = host.CheckDataResponse(r.Hex(s + "RspTlv"));
    ASSERT_TRUE(rsp.ok()) << s << ": " << rsp.status().ToString();
    EXPECT_EQ(ToHex(*rsp), ToHex(r.Hex(s + "RspData")));
  }
}

TEST_P(Scp03tVector, CardAnswersWithTheIndependentTlvs) {
  const VectorRecord& r = rec();
  Scp03tCard card(CardConfigOf(r));
  int segment = 0;
  card.set_segment_handler([&](ByteView plain) -> Result<Bytes> {
    ++segment;
    const std::string s = "Segment" + std::to_string(segment);
    EXPECT_EQ(ToHex(plain), ToHex(r.Hex(s)));
    return r.Hex(s + "RspData");
  });
  EXPECT_EQ(ToHex(card.Process(r.Hex("InitUpdateTlv"))), ToHex(r.Hex("InitUpdateRspTlv")));
  EXPECT_EQ(ToHex(card.Process(r.Hex("ExtAuthTlv"))), ToHex(r.Hex("ExtAuthRspTlv")));
  for (int n = 1; n <= 3; ++n) {
    const std::string s = "Segment" + std::to_string(n);
    EXPECT_EQ(ToHex(card.Process(r.Hex(s + "Tlv"))), ToHex(r.Hex(s + "RspTlv"))) << s;
    EXPECT_TRUE(card.status().ok()) << card.status().ToString();
  }
  EXPECT_EQ(segment, 3);
}

TEST_P(Scp03tVector, HostPredictsTheCardChallenge) {
  const VectorRecord& r = rec();
  ScriptedRandom random(r.Hex("HostChallenge"));
  Scp03tHost host(KeysOf(r), random, r.Hex("KeyId").at(0));
  ASSERT_TRUE(host.InitializeUpdate().ok());
  ASSERT_TRUE(host.PredictCardChallenge(r.Hex("SdAid"), Counter(r.Hex("SequenceCounter"))).ok());
  EXPECT_EQ(ToHex(*host.ExternalAuthenticate()), ToHex(r.Hex("ExtAuthTlv")));
  EXPECT_EQ(ToHex(*host.ProtectSegment(r.Hex("Segment1"))), ToHex(r.Hex("Segment1Tlv")));
  EXPECT_TRUE(host.CheckInitializeUpdateResponse(r.Hex("InitUpdateRspTlv")).ok());
  EXPECT_TRUE(host.CheckExternalAuthenticateResponse(r.Hex("ExtAuthRspTlv")).ok());
  EXPECT_TRUE(host.CheckDataResponse(r.Hex("Segment1RspTlv")).ok());
}

INSTANTIATE_TEST_SUITE_P(Gen, Scp03tVector, ::testing::Values<size_t>(0, 1));

// --- host against card --------------------------------------------------------------------

Scp03Keys FreshKeys() {
  Scp03Keys k;
  k.kvn = 0x30;
  k.enc = SecretBytes(*crypto::SecureRandom::Instance().Generate(16));
  k.mac = SecretBytes(*crypto::SecureRandom::Instance().Generate(16));
  k.dek = SecretBytes(*crypto::SecureRandom::Instance().Generate(16));
  return k;
}

Bytes Package(size_t n) { return *crypto::SecureRandom::Instance().Generate(n); }

struct Session {
  Scp03Keys keys = FreshKeys();
  Scp03tHost host{keys.Clone(), crypto::SecureRandom::Instance()};
  Scp03tCard card{Scp03CardConfig{keys.Clone(), kIsdP, 7, Bytes(10, 0)}};

  void Handshake() {
    ASSERT_TRUE(host.CheckInitializeUpdateResponse(card.Process(*host.InitializeUpdate())).ok());
    ASSERT_TRUE(
        host.CheckExternalAuthenticateResponse(card.Process(*host.ExternalAuthenticate())).ok());
  }
};

TEST(Scp03tEndToEnd, TwentyKilobytePackageInteractively) {
  Session s;
  s.Handshake();
  const Bytes package = Package(20 * 1024);
  auto segments = s.host.ProtectPackage(package);
  ASSERT_TRUE(segments.ok());
  ASSERT_EQ(segments->size(), 21u);  // 20 × 1000 + 480
  for (const Bytes& seg : *segments) {
    EXPECT_LE(seg.size(), kScp03tMaxTlvSize);
    const Bytes rsp = s.card.Process(seg);
    ASSERT_EQ(ToHex(rsp), "8600") << s.card.status().ToString();
    ASSERT_TRUE(s.host.CheckDataResponse(rsp).ok());
  }
  EXPECT_EQ(s.card.package(), package);
  EXPECT_EQ(s.card.sequence_counter(), 8u);
}

TEST(Scp03tEndToEnd, WholeScriptBuiltOfflineWithPredictedChallenge) {
  Session s;
  Bytes script = *s.host.InitializeUpdate();
  ASSERT_TRUE(s.host.PredictCardChallenge(kIsdP, 8).ok());
  Append(script, *s.host.ExternalAuthenticate());
  const Bytes package = Package(5000);
  auto segments = s.host.ProtectPackage(package, 512);
  ASSERT_TRUE(segments.ok());
  for (const Bytes& seg : *segments) Append(script, seg);
  // The last segment is answered with data (standing for the SAIP EUICCResponse).
  Bytes received;
  const Bytes euicc_response = HexOrDie("A00FA00D800101A1080201000C03616263");
  s.card.set_segment_handler([&](ByteView seg) -> Result<Bytes> {
    Append(received, seg);
    return received.size() == package.size() ? euicc_response : Bytes{};
  });
  const Bytes responses = s.card.ProcessScript(script);
  ASSERT_TRUE(s.card.status().ok()) << s.card.status().ToString();
  EXPECT_EQ(received, package);
  auto items = tlv::ParseSequence(responses);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 2 + 10u);
  ASSERT_TRUE(s.host.CheckInitializeUpdateResponse((*items)[0].raw).ok());
  ASSERT_TRUE(s.host.CheckExternalAuthenticateResponse((*items)[1].raw).ok());
  for (size_t i = 2; i < items->size(); ++i) {
    auto data = s.host.CheckDataResponse((*items)[i].raw);
    ASSERT_TRUE(data.ok()) << data.status().ToString();
    EXPECT_EQ(ToHex(*data), i + 1 == items->size() ? ToHex(euicc_response) : "");
  }
  EXPECT_EQ(s.host.pending_responses(), 0u);
}

TEST(Scp03tEndToEnd, WrongPredictionIsCaughtWhenTheCardAnswers) {
  Session s;
  const Bytes iu = *s.host.InitializeUpdate();
  ASSERT_TRUE(s.host.PredictCardChallenge(kIsdP, 9).ok());  // the card will use 8
  const Bytes ea = *s.host.ExternalAuthenticate();
  EXPECT_FALSE(s.host.CheckInitializeUpdateResponse(s.card.Process(iu)).ok());
  EXPECT_EQ(ToHex(s.card.Process(ea)), "9f450102");
}

// --- refusals -----------------------------------------------------------------------------

class Scp03tCardRefuses : public ::testing::Test {
 protected:
  void SetUp() override {
    s_.Handshake();
    segments_ = *s_.host.ProtectPackage(Package(3000));
  }
  Session s_;
  std::vector<Bytes> segments_;
};

TEST_F(Scp03tCardRefuses, TamperedSegmentAndEverythingAfter) {
  ASSERT_EQ(ToHex(s_.card.Process(segments_[0])), "8600");
  Bytes bad = segments_[1];
  bad[10] ^= 0x01;
  EXPECT_EQ(ToHex(s_.card.Process(bad)), "9f460102");
  EXPECT_EQ(s_.card.status().kind(), ErrorKind::kSecurity);
  EXPECT_FALSE(s_.card.authenticated());
  EXPECT_EQ(ToHex(s_.card.Process(segments_[1])), "9f460102");  // session closed: restart at 84
  EXPECT_EQ(s_.card.package().size(), 1000u);
  // The SM-DP restarts: new handshake, package from its first segment.
  s_.Handshake();
  EXPECT_TRUE(s_.card.package().empty());
  auto again = s_.host.ProtectSegment(HexOrDie("0102"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(ToHex(s_.card.Process(*again)), "8600");
  EXPECT_EQ(ToHex(s_.card.package()), "0102");
}

TEST_F(Scp03tCardRefuses, TamperedMac) {
  Bytes bad = segments_[0];
  bad.back() ^= 0x80;
  EXPECT_EQ(ToHex(s_.card.Process(bad)), "9f460102");
}

TEST_F(Scp03tCardRefuses, ReplayedSegment) {
  ASSERT_EQ(ToHex(s_.card.Process(segments_[0])), "8600");
  EXPECT_EQ(ToHex(s_.card.Process(segments_[0])), "9f460102");
}

TEST_F(Scp03tCardRefuses, SegmentsOutOfOrder) {
  EXPECT_EQ(ToHex(s_.card.Process(segments_[1])), "9f460102");
}

TEST_F(Scp03tCardRefuses, MalformedAndOversizedTlvs) {
  EXPECT_EQ(ToHex(s_.card.Process(HexOrDie("8610AABB"))), "9f460101");  // truncated
  EXPECT_EQ(ToHex(s_.card.Process(HexOrDie("860100"))), "9f460101");    // too short
  EXPECT_EQ(ToHex(s_.card.Process(HexOrDie("86810100"))), "9f460101");  // non-minimal length
  EXPECT_EQ(ToHex(s_.card.Process(HexOrDie("22020101"))), "9f460101");  // unknown tag
  EXPECT_EQ(ToHex(s_.card.Process(Bytes(1100, 0x86))), "9f460101");     // over 1024
  EXPECT_EQ(ToHex(s_.card.Process({})), "9f460101");
}

TEST(Scp03tCard, PackageLimit) {
  Scp03Keys keys = FreshKeys();
  Scp03tHost host(keys.Clone(), crypto::SecureRandom::Instance());
  Scp03tCard card(Scp03CardConfig{keys.Clone(), kIsdP, 0, Bytes(10, 0)}, Scp03tLimits{1024, 1500});
  ASSERT_TRUE(host.CheckInitializeUpdateResponse(card.Process(*host.InitializeUpdate())).ok());
  ASSERT_TRUE(
      host.CheckExternalAuthenticateResponse(card.Process(*host.ExternalAuthenticate())).ok());
  auto segs = *host.ProtectPackage(Package(2000));
  EXPECT_EQ(ToHex(card.Process(segs[0])), "8600");
  const Bytes rsp = card.Process(segs[1]);
  EXPECT_EQ(ToHex(rsp), "9f460101");
  EXPECT_EQ(card.status().kind(), ErrorKind::kLimitExceeded);
  ASSERT_TRUE(host.CheckDataResponse(HexOrDie("8600")).ok());
  EXPECT_FALSE(host.CheckDataResponse(rsp).ok());
}

TEST(Scp03tCard, HandshakeErrors) {
  Scp03Keys keys = FreshKeys();
  Scp03tCard card(Scp03CardConfig{keys.Clone(), kIsdP, 0, Bytes(10, 0)});
  Scp03tHost host(keys.Clone(), crypto::SecureRandom::Instance());
  // 85 and 86 before 84.
  EXPECT_EQ(ToHex(card.Process(HexOrDie("85113300112233445566770011223344556677"))), "9f450102");
  EXPECT_EQ(ToHex(card.Process(Concat({HexOrDie("8618"), Bytes(24, 0)}))), "9f460102");
  // Wrong KVN, unknown key id, bad length.
  EXPECT_EQ(ToHex(card.Process(HexOrDie("840A31000011223344556677"))), "9f440103");
  EXPECT_EQ(ToHex(card.Process(HexOrDie("840A30020011223344556677"))), "9f440103");
  EXPECT_EQ(ToHex(card.Process(HexOrDie("8409300000112233445566"))), "9f440101");
  EXPECT_EQ(card.sequence_counter(), 0u);
  // Wrong host cryptogram / C-MAC / security level.
  for (size_t byte : {3u, 12u, 2u}) {
    ASSERT_TRUE(host.CheckInitializeUpdateResponse(card.Process(*host.InitializeUpdate())).ok());
    Bytes ea = *host.ExternalAuthenticate();
    ea[byte] ^= 0x01;
    const Bytes rsp = card.Process(ea);
    EXPECT_EQ(ToHex(rsp), byte == 2 ? "9f450101" : "9f450102");
    EXPECT_FALSE(host.CheckExternalAuthenticateResponse(rsp).ok());
  }
}

TEST(Scp03tHost, RefusesBadResponses) {
  Session s;
  s.Handshake();
  auto seg = s.host.ProtectSegment(Package(100));
  s.card.set_segment_handler([](ByteView) -> Result<Bytes> { return HexOrDie("A000"); });
  Bytes rsp = s.card.Process(*seg);
  ASSERT_EQ(rsp[0], 0x86);
  rsp[5] ^= 0x01;
  EXPECT_EQ(s.host.CheckDataResponse(rsp).status().kind(), ErrorKind::kSecurity);
  // After a failure the host must start again.
  EXPECT_FALSE(s.host.ProtectSegment(Package(10)).ok());
  EXPECT_FALSE(s.host.CheckDataResponse(HexOrDie("8600")).ok());

  Scp03tHost h2(FreshKeys(), crypto::SecureRandom::Instance());
  ASSERT_TRUE(h2.InitializeUpdate().ok());
  EXPECT_EQ(h2.CheckInitializeUpdateResponse(HexOrDie("9F440103")).kind(), ErrorKind::kNotFound);
  EXPECT_FALSE(h2.ExternalAuthenticate().ok());
  EXPECT_FALSE(h2.ProtectSegment(Package(10)).ok());
  EXPECT_FALSE(h2.CheckInitializeUpdateResponse(HexOrDie("8400")).ok());
}

TEST(Scp03tHost, SegmentSizeBounds) {
  Session s;
  s.Handshake();
  EXPECT_TRUE(s.host.ProtectSegment(Package(1000)).ok());
  EXPECT_TRUE(s.host.ProtectSegment(Package(1007)).ok());   // 1008 + 8 + 4 = 1020
  EXPECT_FALSE(s.host.ProtectSegment(Package(1008)).ok());  // 1024 + 8 + 4 > 1024
  EXPECT_FALSE(s.host.ProtectSegment({}).ok());
  EXPECT_FALSE(s.host.ProtectPackage({}).ok());
}

TEST(Scp03t, ErrorTlvCoding) {
  EXPECT_EQ(ToHex(Scp03tErrorTlv(0x84, 0x03)), "9f440103");
  EXPECT_EQ(ToHex(Scp03tErrorTlv(0x85, 0x02)), "9f450102");
  EXPECT_EQ(ToHex(Scp03tErrorTlv(0x86, 0x01)), "9f460101");
}

}  // namespace
}  // namespace m2mrsp::scp
