// ES8 through the card (SGP.02 §3.1, §4.1.3): key establishment on a new ISD-P (07 → 0F), the
// TS.48 v7 profile package over SCP03t (→ 1F, EUICCResponse in the last answer), a restore in the
// middle of the download, enabling it and reading it through the device's USIM channel, and
// UpdateConnectivityParameters / PUT KEY inside an SCP03 session. The package is GSMA's
// (shared/testdata/ts48); the test skips itself where shared/ is absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "card_fixture.h"
#include "crypto/cipher.h"
#include "crypto/cmac.h"
#include "euicc/profile.h"
#include "euicc/usim.h"
#include "scp/key_establishment.h"
#include "scp/scp03.h"
#include "scp/scp03t.h"
#include "support/shared_data.h"
#include "support/vectors.h"

namespace m2mrsp::euicc::testing {
namespace {

std::optional<Bytes> Ts48Package() {
  return m2mrsp::testing::ReadTs48Package("ts48v7_SAIP2.3_NoBERTLV");
}

uint16_t SwOf(const Bytes& r) { return static_cast<uint16_t>((r[r.size() - 2] << 8) | r.back()); }
ByteView DataOf(const Bytes& r) { return ByteView(r.data(), r.size() - 2); }

class CardEs8 : public CardTest {
 protected:
  CardEs8() : dp_key_(crypto::EcPrivateKey::Generate(crypto::Curve::kNistP256).value()) {}

  Bytes ToIsdp(const Bytes& apdu) { return card_.ProcessApdu(isdp_, apdu); }

  // INSTALL [for personalization] + STORE DATA 3A01 / 3A02 to the ISD-P, with CERT.DP.ECDSA
  // signed by `ci`.
  Result<scp::Scp03Keys> Establish(const crypto::EcPrivateKey& ci) {
    const Bytes inst = ToIsdp(gp::EncodeCommand(gp::BuildInstallForPersonalization(isdp_)).value());
    if (Hex(inst) != "009000") return InternalError("INSTALL [for personalization]: " + Hex(inst));
    pki::GpCertificateFields f;
    f.serial = {0x03};
    f.ca_id = {0x0E};
    f.subject_id = HexOrDie("4450");
    f.usage = pki::GpKeyUsage::kVerification;
    f.expiration = std::chrono::year_month_day(std::chrono::year(2040), std::chrono::month(1),
                                               std::chrono::day(1));
    f.entity_type = pki::kEntitySmDp;
    f.public_key = dp_key_.PublicKey();
    M2_ASSIGN_OR_RETURN(auto cert, pki::GpCertificate::Sign(f, ci));
    scp::KeyEstablishmentHost host(dp_key_, keys_.ecasd.PublicKey(), scp::KeyAgreementCrt{},
                                   random_);
    M2_ASSIGN_OR_RETURN(Bytes d1, scp::KeyEstablishmentHost::CertificateData(cert.encoded()));
    const Bytes r1 =
        ToIsdp(gp::EncodeCommand(gp::MakeCommand(0x80, 0xE2, 0x09, 0x00, d1, 256)).value());
    if (SwOf(r1) != 0x9000) return SecurityError("3A01 refused: " + Hex(r1));
    M2_RETURN_IF_ERROR(host.AcceptChallenge(DataOf(r1)));
    M2_ASSIGN_OR_RETURN(Bytes d2, host.KeyParametersData());
    const Bytes r2 =
        ToIsdp(gp::EncodeCommand(gp::MakeCommand(0x80, 0xE2, 0x89, 0x01, d2, 256)).value());
    if (SwOf(r2) != 0x9000) return SecurityError("3A02 refused: " + Hex(r2));
    M2_ASSIGN_OR_RETURN(auto keys, host.Finish(DataOf(r2)));
    return scp::Scp03Keys{keys.kvn, std::move(keys.keys[0]), std::move(keys.keys[1]),
                          std::move(keys.keys[2])};
  }

  const Aid isdp_ = IsdP(0x11);
  crypto::EcPrivateKey dp_key_;
};

TEST_F(CardEs8, KeyEstablishmentPersonalisesTheIsdp) {
  ASSERT_EQ(CreateIsdp(0x11), "009000");
  auto keys = Establish(keys_.ci);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  EXPECT_EQ(card_.LifeCycle(isdp_), 0x0F);
  EXPECT_EQ(keys->kvn, 0x30);
}

TEST_F(CardEs8, KeyEstablishmentRefusals) {
  ASSERT_EQ(CreateIsdp(0x11), "009000");
  auto rogue_ci = crypto::EcPrivateKey::Generate(crypto::Curve::kNistP256).value();
  EXPECT_FALSE(Establish(rogue_ci).ok());  // CERT.DP.ECDSA not from our CI → 6982
  EXPECT_EQ(card_.LifeCycle(isdp_), 0x07);
  EXPECT_EQ(Hex(ToIsdp(HexOrDie("80E28901053A02020000"))), "6985");  // 3A02 without 3A01
  EXPECT_EQ(Hex(ToIsdp(gp::EncodeCommand(gp::BuildInstallForPersonalization(IsdP(0x12))).value())),
            "6A88");
  EXPECT_EQ(Hex(ToIsdp(HexOrDie("80E28800073A0704A0020601"))), "6982");  // 3A07 needs SCP03
  EXPECT_EQ(Hex(ToIsdp(HexOrDie("80AA000000"))), "6D00");
  EXPECT_EQ(Hex(ToIsdp(HexOrDie("84F2000008 0102030405060708"))), "6982");  // no session
}

TEST_F(CardEs8, DownloadInstallEnableAndUsim) {
  auto package = Ts48Package();
  if (!package) GTEST_SKIP() << "shared/testdata/ts48 is absent";
  ASSERT_EQ(CreateIsdp(0x11), "009000");
  auto keys = Establish(keys_.ci);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  scp::Scp03tHost host(keys->Clone(), random_);
  auto iu = host.InitializeUpdate();
  ASSERT_TRUE(host.CheckInitializeUpdateResponse(card_.ProcessScp03t(isdp_, *iu)).ok());
  auto ea = host.ExternalAuthenticate();
  ASSERT_TRUE(host.CheckExternalAuthenticateResponse(card_.ProcessScp03t(isdp_, *ea)).ok());
  auto segments = host.ProtectPackage(*package);
  ASSERT_TRUE(segments.ok());
  ASSERT_GT(segments->size(), 3u);
  Bytes last_answer;
  for (size_t i = 0; i < segments->size(); ++i) {
    if (i == segments->size() / 2) {
      // The card is persisted and restored in the middle of the download.
      auto restored = Euicc::Restore(card_.Serialize(), clock_, random_);
      ASSERT_TRUE(restored.ok()) << restored.status().ToString();
      card_ = std::move(*restored);
    }
    auto answer = host.CheckDataResponse(card_.ProcessScp03t(isdp_, (*segments)[i]));
    ASSERT_TRUE(answer.ok()) << i << ": " << answer.status().ToString();
    if (i + 1 < segments->size()) {
      EXPECT_TRUE(answer->empty()) << i;
      EXPECT_EQ(card_.LifeCycle(isdp_), 0x0F);
    } else {
      last_answer = *answer;
    }
  }
  EXPECT_EQ(Hex(last_answer), "3007A0053003800100");  // EUICCResponse: one PEStatus ok
  EXPECT_EQ(card_.LifeCycle(isdp_), 0x1F);
  ASSERT_TRUE(card_.Profile(isdp_).has_value());
  EXPECT_EQ(card_.Profile(isdp_)->iccid, "89000123456789012341");
  auto content = ProfileContent::Deserialize(card_.Profile(isdp_)->content);
  ASSERT_TRUE(content.ok()) << content.status().ToString();
  EXPECT_EQ(content->files.count("ADF.USIM/6F07"), 1u);

  // Before enabling, the device sees the provisioning profile; after, the TS.48 one.
  ASSERT_EQ(Enable(0x11), "9000");
  Attach(true);
  // SELECT ADF.USIM by AID, then EF.IMSI (6F07), READ BINARY (TS 31.102 §4.2.2).
  const Bytes select = card_.Transmit(HexOrDie("00A4040C07A0000000871002"));
  ASSERT_EQ(SwOf(select), 0x9000) << Hex(select);
  ASSERT_EQ(SwOf(card_.Transmit(HexOrDie("00A4000C026F07"))), 0x9000);
  EXPECT_EQ(Hex(card_.Transmit(HexOrDie("00B0000009"))),
            "080910101032547698"
            "9000");
  EXPECT_EQ(Hex(card_.ProcessScp03t(IsdP(0x99), *iu)), "9F440103");  // unknown ISD-P

  // AUTHENTICATE (TS 31.102 §7.1.2) with a vector a network computes for this profile; the SQN
  // array persists across a card restore, so replaying the vector is a sync failure.
  ASSERT_FALSE(content->aka.empty());
  auto network = MakeAkaFunctions(content->aka.front());
  ASSERT_TRUE(network.ok()) << network.status().ToString();
  const Bytes rand = HexOrDie("00112233445566778899AABBCCDDEEFF");
  const Bytes sqn = HexOrDie("000000000020"), amf = HexOrDie("8000");
  Bytes res, ak, mac_a, mac_s;
  SecretBytes ck, ik;
  ASSERT_TRUE((*network)->F2345(rand, res, ck, ik, ak).ok());
  ASSERT_TRUE((*network)->F1(rand, sqn, amf, mac_a, mac_s).ok());
  Bytes autn;
  for (size_t i = 0; i < 6; ++i) autn.push_back(static_cast<uint8_t>(sqn[i] ^ ak[i]));
  Append(autn, AsView(amf));
  Append(autn, AsView(mac_a));
  const Bytes auth = Concat({HexOrDie("008800812210"), rand, HexOrDie("10"), autn, HexOrDie("00")});
  const Bytes ok = card_.Transmit(auth);
  ASSERT_EQ(SwOf(ok), 0x9000) << Hex(ok);
  EXPECT_EQ(Hex(Bytes(ok.begin(), ok.begin() + 10)), "DB08" + Hex(res));
  auto restored = Euicc::Restore(card_.Serialize(), clock_, random_);
  ASSERT_TRUE(restored.ok());
  const Bytes replay = restored->Transmit(auth);
  EXPECT_EQ(replay.at(0), 0xDC) << Hex(replay);  // synchronisation failure: AUTS
}

// The TS.48 package pre-installed at manufacturing: the device reads EF.ICCID from the MF
// (swapped BCD of 89000123456789012341, security digest §1.4).
TEST_F(CardEs8, PreinstalledPackageThroughTheDeviceChannel) {
  auto package = Ts48Package();
  if (!package) GTEST_SKIP() << "shared/testdata/ts48 is absent";
  auto installed = InstalledProfileFromPackage(*package);
  ASSERT_TRUE(installed.ok()) << installed.status().ToString();
  CardKeys keys;
  auto config = MakeConfig(keys);
  config.preinstalled->profile = std::move(*installed);
  auto card = Euicc::Manufacture(std::move(config), clock_, random_);
  ASSERT_TRUE(card.ok());
  EXPECT_EQ(Hex(card->Transmit(HexOrDie("00A4000C023F00"))), "9000");
  EXPECT_EQ(Hex(card->Transmit(HexOrDie("00A4000C022FE2"))), "9000");
  EXPECT_EQ(Hex(card->Transmit(HexOrDie("00B000000A"))),
            "98001032547698103214"
            "9000");
  EXPECT_FALSE(InstalledProfileFromPackage(HexOrDie("A000")).ok());
}

TEST_F(CardEs8, TransmitWithoutEnabledProfile) {
  CardKeys keys;
  auto card = Euicc::Manufacture(MakeConfig(keys, false), clock_, random_).value();
  EXPECT_EQ(Hex(card.Transmit(HexOrDie("00B0000009"))), "6A82");
}

TEST_F(CardEs8, ConnectivityUpdateAndTokenKeyInScp03Session) {
  ASSERT_EQ(CreateIsdp(0x11), "009000");
  auto keys = Establish(keys_.ci);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  ASSERT_TRUE(card_.InstallProfile(isdp_, MakeProfile()).ok());
  scp::Scp03Host host(keys->Clone(), random_);
  const Bytes r1 = ToIsdp(host.InitializeUpdate().value());
  ASSERT_TRUE(host.CheckInitializeUpdateResponse(DataOf(r1), SwOf(r1)).ok());
  const Bytes r2 = ToIsdp(host.ExternalAuthenticate(0x33).value());
  ASSERT_TRUE(host.CheckExternalAuthenticateResponse(SwOf(r2)).ok());
  // WHTY's UpdateConnectivityParameters (resolutions §4; its Lc `0D` is one short of the
  // 14 data bytes it lists, corrected here).
  const Bytes r3 = ToIsdp(host.Wrap(HexOrDie("80E288000E3A070BA00906079133869942 11F1")).value());
  ASSERT_EQ(SwOf(r3), 0x9000) << Hex(r3);
  ASSERT_TRUE(host.Unwrap(DataOf(r3), SwOf(r3)).ok()) << Hex(r3);
  EXPECT_EQ(Hex(card_.Profile(isdp_)->connectivity_parameters), "A0090607913386994211F1");
  // PUT KEY of the token key (KVN 70): key under Key-DEK (AES-CBC, zero IV), KCV.
  const Bytes token_key = HexOrDie("404142434445464748494A4B4C4D4E4F");
  const Bytes enc = crypto::AesCbcEncrypt(keys->dek.view(), Bytes(16, 0), token_key).value();
  const Bytes kcv = crypto::AesEcbEncrypt(token_key, Bytes(16, 0x01)).value();
  Bytes put = HexOrDie("80D8000118708811 10");
  Append(put, AsView(enc));
  Append(put, {0x03, kcv[0], kcv[1], kcv[2]});
  const Bytes r4 = ToIsdp(host.Wrap(put).value());
  ASSERT_EQ(SwOf(r4), 0x9000) << Hex(r4);
  auto put_rsp = host.Unwrap(DataOf(r4), SwOf(r4));
  ASSERT_TRUE(put_rsp.ok()) << Hex(r4);
  EXPECT_EQ(Hex(*put_rsp), "70" + Hex(Bytes(kcv.begin(), kcv.begin() + 3)));
  // MasterDelete with the vector file's first record (same key, ISD-P ...1100).
  const auto rec = m2mrsp::testing::LoadVectors("euicc_master_delete.vec").at(0);
  ASSERT_EQ(Hex(rec.Hex("TokenKey")), Hex(token_key));
  EXPECT_EQ(Hex(card_.ProcessApdu(gp::IsdRAid(), rec.Hex("Apdu"))), "009000");
  EXPECT_FALSE(card_.LifeCycle(isdp_).has_value());
}

}  // namespace
}  // namespace m2mrsp::euicc::testing
