// SCP80 command and response packets against pySim's real-card vectors and independently
// computed ones (tests/vectors/scp80.vec, gen/scp80.py).
#include "scp/scp80_packet.h"

#include <gtest/gtest.h>

#include "support/vectors.h"

namespace m2mrsp::scp {
namespace {

using testing::InSection;
using testing::LoadVectors;
using testing::VectorRecord;

CommandHeader HeaderOf(const VectorRecord& rec) {
  const Bytes spi = rec.Hex("Spi");
  CommandHeader h;
  h.spi = *Spi::Decode(spi[0], spi[1]);
  h.kic = rec.Hex("Kic")[0];
  h.kid = rec.Hex("Kid")[0];
  h.tar = *Tar::FromBytes(rec.Hex("Tar"));
  for (uint8_t b : rec.Hex("Counter")) h.counter = h.counter << 8 | b;
  return h;
}

PorSecurity SecurityOf(const VectorRecord& rec) {
  auto spi = Spi::Decode(0, rec.Hex("Spi2")[0]);
  EXPECT_TRUE(spi.ok());
  return PorSecurity::ForCommand(*spi, rec.Hex("Kic")[0], rec.Hex("Kid")[0]);
}

TEST(Scp80Command, WrapMatchesVectors) {
  const auto records = InSection(LoadVectors("scp80.vec"), "Command");
  for (const auto& rec : records) {
    SCOPED_TRACE(rec.Where() + " " + rec.Get("Name"));
    const Bytes kic = rec.Hex("KicKey"), kid = rec.Hex("KidKey");
    auto packet = WrapCommand(HeaderOf(rec), {kic, kid}, rec.Hex("Data"));
    ASSERT_TRUE(packet.ok()) << packet.status().ToString();
    EXPECT_EQ(ToHex(*packet), ToHex(rec.Hex("Packet")));
  }
  EXPECT_EQ(records.size(), 16u);
}

TEST(Scp80Command, OpenRecoversDataAndVerifies) {
  for (const auto& rec : InSection(LoadVectors("scp80.vec"), "Command")) {
    SCOPED_TRACE(rec.Where() + " " + rec.Get("Name"));
    const Bytes kic = rec.Hex("KicKey"), kid = rec.Hex("KidKey");
    const Bytes packet = rec.Hex("Packet");
    CommandOpenResult r = OpenCommand(packet, {kic, kid});
    ASSERT_TRUE(r.command.has_value()) << r.error.ToString();
    const CommandHeader want = HeaderOf(rec);
    EXPECT_EQ(r.command->header.spi, want.spi);
    EXPECT_EQ(r.command->header.tar, want.tar);
    EXPECT_EQ(r.command->header.counter, want.counter);
    EXPECT_EQ(ToHex(r.command->data), ToHex(rec.Hex("Data")));
    // Flipping any byte after the TAR breaks ciphering or the RC/CC, or (plain packets without
    // RC/CC) changes what comes out.
    if (want.spi.integrity != Integrity::kNone) {
      for (size_t i = 10; i < packet.size(); ++i) {
        Bytes bad = packet;
        bad[i] ^= 0x01;
        CommandOpenResult b = OpenCommand(bad, {kic, kid});
        ASSERT_FALSE(b.command.has_value()) << "byte " << i;
        EXPECT_TRUE(b.status == PorStatus::kIntegrityFailed ||
                    b.status == PorStatus::kCipheringError)
            << "byte " << i;
      }
    }
  }
}

TEST(Scp80Command, HeaderErrorsMapToStatuses) {
  const Bytes kic = HexOrDie("200102030405060708090a0b0c0d0e0f");
  const Bytes kid = HexOrDie("201102030405060708090a0b0c0d0e0f");
  const Bytes good = HexOrDie(
      "00281506192222b00011e87cceebb2d93083011ce294f93fc4d8de80da1abae8c37ca3e72ec4432e5058");
  Bytes short_cpl = good;
  short_cpl[1] = 0x27;
  EXPECT_EQ(OpenCommand(short_cpl, {kic, kid}).status, PorStatus::kUnidentifiedSecurityError);
  Bytes truncated(good.begin(), good.end() - 1);
  EXPECT_EQ(OpenCommand(truncated, {kic, kid}).status, PorStatus::kUnidentifiedSecurityError);
  Bytes bad_chl = good;
  bad_chl[2] = 0x11;  // claims a 4-byte CC, AES-CMAC gives 8
  EXPECT_EQ(OpenCommand(bad_chl, {kic, kid}).status, PorStatus::kUnidentifiedSecurityError);
  Bytes wrong_key = kid;
  wrong_key[0] ^= 1;
  EXPECT_EQ(OpenCommand(good, {kic, wrong_key}).status, PorStatus::kIntegrityFailed);
  EXPECT_EQ(OpenCommand(good, {Bytes(5), kid}).status, PorStatus::kCipheringError);
  EXPECT_EQ(OpenCommand(ByteView(), {kic, kid}).status, PorStatus::kUnidentifiedSecurityError);
}

TEST(Scp80Command, WrapRefusesBadHeaders) {
  CommandHeader h;
  h.spi.integrity = Integrity::kDs;
  EXPECT_FALSE(WrapCommand(h, {}, {}).ok());
  h.spi.integrity = Integrity::kCc;
  h.kid = 0x12;
  EXPECT_FALSE(WrapCommand(h, {{}, Bytes(15)}, {}).ok());  // AES key of 15 bytes
  h.kid = 0x13;
  EXPECT_FALSE(WrapCommand(h, {{}, Bytes(16)}, {}).ok());  // proprietary algorithm
  h.kid = 0x12;
  h.counter = kMaxCounter + 1;
  EXPECT_FALSE(WrapCommand(h, {{}, Bytes(16)}, {}).ok());
  h.counter = 0;
  EXPECT_FALSE(WrapCommand(h, {{}, Bytes(16)}, Bytes(0x10000)).ok());  // CPL overflow
}

TEST(Scp80Response, OpenMatchesVectorsAndWrapReproducesThem) {
  const auto records = InSection(LoadVectors("scp80.vec"), "Response");
  for (const auto& rec : records) {
    SCOPED_TRACE(rec.Where() + " " + rec.Get("Name"));
    const Bytes kic = rec.Hex("KicKey"), kid = rec.Hex("KidKey");
    const PorSecurity sec = SecurityOf(rec);
    auto por = OpenResponse(rec.Hex("Response"), sec, {kic, kid});
    ASSERT_TRUE(por.ok()) << por.status().ToString();
    EXPECT_EQ(por->header.tar.ToHex(), Tar::FromBytes(rec.Hex("Tar"))->ToHex());
    EXPECT_EQ(por->header.status, rec.Hex("Status")[0]);
    EXPECT_EQ(por->pcntr, rec.Hex("Pcntr")[0]);
    EXPECT_EQ(ToHex(por->checksum), ToHex(rec.Hex("Checksum")));
    EXPECT_EQ(ToHex(por->data), ToHex(rec.Hex("Data")));
    auto again = WrapResponse(por->header, sec, {kic, kid}, por->data);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(ToHex(*again), ToHex(rec.Hex("Response")));
  }
  EXPECT_EQ(records.size(), 11u);
}

TEST(Scp80Response, TamperedRealCardPorIsRejected) {
  for (const auto& rec : InSection(LoadVectors("scp80.vec"), "ResponseBad")) {
    auto por =
        OpenResponse(rec.Hex("Response"), SecurityOf(rec), {rec.Hex("KicKey"), rec.Hex("KidKey")});
    ASSERT_FALSE(por.ok());
    EXPECT_EQ(por.status().kind(), ErrorKind::kSecurity);
  }
}

TEST(Scp80Response, UnsecuredErrorPorAcceptedOnlyWithErrorStatus) {
  const PorSecurity cc{false, Integrity::kCc, 0x12, 0x12};
  const Bytes key(16, 0x42);
  // RPL 000e, RHL 0a, TAR 000001, CNTR 0, PCNTR 0, status 01 + 3 data bytes.
  auto err = OpenResponse(HexOrDie("000e0a000001000000000000 01 016132"), cc, {key, key});
  ASSERT_TRUE(err.ok()) << err.status().ToString();
  EXPECT_FALSE(err->secured);
  EXPECT_EQ(err->header.status, 0x01);
  auto ok = OpenResponse(HexOrDie("000e0a000001000000000000 00 016132"), cc, {key, key});
  EXPECT_FALSE(ok.ok());
}

TEST(Scp80Response, MalformedIsAnError) {
  const PorSecurity none;
  for (const char* hex : {"", "00", "0001", "000e0a0000010000000000", "000e09000001000000000000",
                          "000e0a00000100000000000000ff", "000b0a000001000000000f00"}) {
    SCOPED_TRACE(hex);
    EXPECT_FALSE(OpenResponse(HexOrDie(hex), none, {}).ok());
  }
}

TEST(Scp80Crc, CheckValues) {
  // Standard check values of CRC-32 (ISO/IEC 13239, zlib) and CRC-16/X.25 over "123456789".
  EXPECT_EQ(Crc32(AsBytes("123456789")), 0xCBF43926u);
  EXPECT_EQ(Crc16(AsBytes("123456789")), 0x906Eu);
}

TEST(Scp80Types, SpiRoundTripAndReserved) {
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      auto spi = Spi::Decode(static_cast<uint8_t>(a), static_cast<uint8_t>(b));
      const bool reserved = (a & 0xE0) != 0 || (b & 0xC0) != 0 || (b & 0x03) == 0x03;
      ASSERT_EQ(spi.ok(), !reserved) << a << " " << b;
      if (spi.ok()) {
        EXPECT_EQ(spi->first(), a);
        EXPECT_EQ(spi->second(), b);
      }
    }
  }
  auto s = Spi::Decode(0x16, 0x39);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->counter, CounterPolicy::kHigher);
  EXPECT_TRUE(s->ciphering);
  EXPECT_EQ(s->integrity, Integrity::kCc);
  EXPECT_EQ(s->por, PorRequest::kAlways);
  EXPECT_EQ(s->por_integrity, Integrity::kCc);
  EXPECT_TRUE(s->por_ciphered);
  EXPECT_TRUE(s->por_via_submit);
}

TEST(Scp80Types, KicKidCodings) {
  EXPECT_EQ(*DecodeKic(0x12), CipherAlgorithm::kAesCbc);
  EXPECT_EQ(*DecodeKic(0x35), CipherAlgorithm::kTdes2Cbc);
  EXPECT_EQ(*DecodeKic(0x39), CipherAlgorithm::kTdes3Cbc);
  EXPECT_EQ(*DecodeKic(0x1D), CipherAlgorithm::kDesEcb);
  EXPECT_FALSE(DecodeKic(0x10).ok());
  EXPECT_FALSE(DecodeKic(0x16).ok());
  EXPECT_EQ(*DecodeKid(0x12, Integrity::kCc), IntegrityAlgorithm::kAesCmac);
  EXPECT_EQ(*DecodeKid(0x15, Integrity::kRc), IntegrityAlgorithm::kCrc32);
  EXPECT_EQ(*DecodeKid(0x11, Integrity::kRc), IntegrityAlgorithm::kCrc16);
  EXPECT_FALSE(DecodeKid(0x1D, Integrity::kCc).ok());
  EXPECT_FALSE(DecodeKid(0x12, Integrity::kDs).ok());
  EXPECT_EQ(PorStatusName(0x09), "tar_unknown");
  EXPECT_EQ(PorStatusName(0x42), "reserved_42");
}

}  // namespace
}  // namespace m2mrsp::scp
