// ISD-R command set (ES5, SGP.02 §4.1.1): every command in success and each refusal with its
// status word (resolutions §3-§5), and the ECASD data objects.
#include <gtest/gtest.h>

#include "card_fixture.h"
#include "crypto/secure_random.h"
#include "gp/get_data.h"
#include "gp/get_status.h"
#include "scp/key_establishment.h"

namespace m2mrsp::euicc::testing {
namespace {

TEST_F(CardTest, ManufacturedState) {
  EXPECT_EQ(card_.eid().ToString(), "89049032123451234512345678901235");
  EXPECT_EQ(card_.EnabledProfile(), IsdP(0x10));
  EXPECT_TRUE(card_.IsFallBack(IsdP(0x10)));
  EXPECT_EQ(card_.FreeMemory(), 512u * 1024 - 1024 - 20000);
}

TEST_F(CardTest, CreateIsdpWithAndWithoutQuota) {
  const uint32_t before = card_.FreeMemory();
  EXPECT_EQ(CreateIsdp(0x11), "009000");
  EXPECT_EQ(card_.LifeCycle(IsdP(0x11)), 0x07);
  EXPECT_EQ(card_.FreeMemory(), before - 1024);
  EXPECT_EQ(CreateIsdp(0x12, 100000), "009000");
  EXPECT_EQ(card_.FreeMemory(), before - 2048 - 100000);
  // The exact WHTY example bytes (resolutions §3) for TAR 000013.
  EXPECT_EQ(IsdR("80E60C003F10A0000005591010FFFFFFFF8900000D0010A0000005591010FFFFFFFF8900000E00"
                 "10A0000005591010FFFFFFFF89000013000380C00006C9048102037000"
                 "00"),
            "009000");
}

TEST_F(CardTest, CreateIsdpRefusals) {
  ASSERT_EQ(CreateIsdp(0x11), "009000");
  EXPECT_EQ(CreateIsdp(0x11), "6985");              // AID exists
  EXPECT_EQ(CreateIsdp(0x05), "6A80");              // TAR outside 000010..00FFFF
  EXPECT_EQ(CreateIsdp(0x13, 600 * 1024), "6A84");  // quota over the free memory
  EXPECT_EQ(IsdR("80E60C000401020304"
                 "00"),
            "6A80");  // garbled data
  auto install = gp::CreateIsdpInstall(IsdP(0x14));
  install.elf_aid = gp::GpIsdAid();
  EXPECT_EQ(Send(gp::BuildInstallForInstall(install).value()), "6A88");  // unknown ELF
  auto apdu = gp::BuildInstallForInstall(gp::CreateIsdpInstall(IsdP(0x14))).value();
  apdu.p1 = 0x04;
  EXPECT_EQ(Send(apdu), "6A86");  // only [for install and make selectable]
}

TEST_F(CardTest, InstallProfileMemory) {
  ASSERT_EQ(CreateIsdp(0x11, 30000), "009000");
  EXPECT_EQ(card_.InstallProfile(IsdP(0x11), MakeProfile(0, 30001)).kind(),
            ErrorKind::kLimitExceeded);
  EXPECT_TRUE(card_.InstallProfile(IsdP(0x11), MakeProfile(0, 30000)).ok());
  EXPECT_EQ(card_.LifeCycle(IsdP(0x11)), 0x1F);
  EXPECT_EQ(card_.InstallProfile(IsdP(0x11), MakeProfile()).kind(), ErrorKind::kFailedPrecondition);
  ASSERT_EQ(CreateIsdp(0x12), "009000");
  EXPECT_FALSE(card_.InstallProfile(IsdP(0x12), MakeProfile(0, 600 * 1024)).ok());
}

TEST_F(CardTest, EnableProfile) {
  AddProfile(0x11);
  EXPECT_EQ(Enable(0x11), "9000");
  EXPECT_EQ(card_.EnabledProfile(), IsdP(0x11));
  EXPECT_EQ(card_.LifeCycle(IsdP(0x10)), 0x1F);
  EXPECT_TRUE(card_.PendingRefresh());
}

TEST_F(CardTest, EnableRefusals) {
  EXPECT_EQ(Enable(0x99), "6A88");  // no such ISD-P
  ASSERT_EQ(CreateIsdp(0x11), "009000");
  EXPECT_EQ(Enable(0x11), "6985");                      // SELECTABLE, no profile
  EXPECT_EQ(Enable(0x10), "6985");                      // already enabled
  EXPECT_EQ(IsdR("80E28800073A03044F02A000"), "6A80");  // AID too short
  EXPECT_EQ(IsdR("80E28800043A030100"), "6A80");        // no 4F
  AddProfile(0x12);
  AddProfile(0x13);
  ASSERT_EQ(Enable(0x12), "9000");
  EXPECT_EQ(Enable(0x13), "6985");  // previous switch not yet through
}

TEST_F(CardTest, EnableRefusedByPol1OfEnabledProfile) {
  AddProfile(0x11, kPol1DisableNotAllowed);
  AddProfile(0x12);
  ASSERT_EQ(Enable(0x11), "9000");
  Attach(true);
  ASSERT_EQ(Confirm(0), "80009000");
  EXPECT_EQ(Enable(0x12), "69E1");
  EXPECT_EQ(Disable(0x11), "69E1");
}

TEST_F(CardTest, DisableProfileEnablesFallBack) {
  AddProfile(0x11);
  ASSERT_EQ(Enable(0x11), "9000");
  Attach(true);
  ASSERT_EQ(Confirm(0), "80009000");
  EXPECT_EQ(Disable(0x11), "9000");
  EXPECT_EQ(card_.EnabledProfile(), IsdP(0x10));
  EXPECT_EQ(card_.LifeCycle(IsdP(0x11)), 0x1F);
}

TEST_F(CardTest, DisableRefusals) {
  AddProfile(0x11);
  EXPECT_EQ(Disable(0x99), "6A88");
  EXPECT_EQ(Disable(0x11), "6985");  // not enabled
  EXPECT_EQ(Disable(0x10), "6985");  // the fall-back profile
}

TEST_F(CardTest, DeleteProfile) {
  AddProfile(0x11);
  AddProfile(0x12);
  const uint32_t before = card_.FreeMemory();
  EXPECT_EQ(Delete(0x11, "40"), "009000");
  EXPECT_EQ(Delete(0x12, "80"), "009000");
  EXPECT_EQ(card_.FreeMemory(), before + 2 * (1024 + 20000));
  EXPECT_FALSE(card_.LifeCycle(IsdP(0x11)).has_value());
  ASSERT_EQ(CreateIsdp(0x13), "009000");
  EXPECT_EQ(Delete(0x13), "009000");  // a SELECTABLE ISD-P can be cleaned up
}

TEST_F(CardTest, DeleteRefusals) {
  EXPECT_EQ(Delete(0x99), "6A88");
  EXPECT_EQ(Delete(0x10), "6985");  // enabled (and fall-back)
  AddProfile(0x11, kPol1DeleteNotAllowed);
  EXPECT_EQ(Delete(0x11), "69E1");
  AddProfile(0x12);
  EXPECT_EQ(Delete(0x12, "00"), "6A86");
  ASSERT_EQ(SetFallBack(0x12), "9000");
  EXPECT_EQ(Delete(0x12), "6985");  // fall-back attribute
  AddProfile(0x13);
  ASSERT_EQ(SetEmergency(0x13), "9000");
  EXPECT_EQ(Delete(0x13), "6985");  // emergency attribute
  EXPECT_EQ(IsdR("80E40040034F0100"), "6A80");
}

TEST_F(CardTest, FallBackAndEmergencyAttributes) {
  AddProfile(0x11);
  AddProfile(0x12);
  EXPECT_EQ(SetFallBack(0x11), "9000");
  EXPECT_TRUE(card_.IsFallBack(IsdP(0x11)));
  EXPECT_FALSE(card_.IsFallBack(IsdP(0x10)));  // moved, not added
  EXPECT_EQ(SetEmergency(0x11), "6985");       // mutually exclusive
  EXPECT_EQ(SetEmergency(0x12), "9000");
  EXPECT_EQ(SetFallBack(0x12), "6985");
  EXPECT_EQ(SetFallBack(0x99), "6A88");
  EXPECT_EQ(SetEmergency(0x99), "6A88");
  ASSERT_EQ(CreateIsdp(0x13), "009000");
  EXPECT_EQ(SetFallBack(0x13), "6985");  // no profile in it
  EXPECT_EQ(SetEmergency(0x13), "6985");
}

TEST(CardNoFallBack, DisableWithoutFallBackIsRefused) {
  CardKeys keys;
  FakeClock clock;
  ScriptedRandom random({});
  auto config = MakeConfig(keys);
  config.preinstalled->fallback = false;
  auto card = Euicc::Manufacture(std::move(config), clock, random);
  ASSERT_TRUE(card.ok()) << card.status().ToString();
  const Bytes apdu = HexOrDie("80E28800153A03124F10" + IsdP(0x10).ToHex());
  Bytes disable = apdu;
  disable[6] = 0x04;
  EXPECT_EQ(Hex(card->ProcessApdu(gp::IsdRAid(), disable)), "6985");
}

TEST_F(CardTest, CardResources) {
  AddProfile(0x11);
  const std::string r = IsdR("80CAFF2100");
  ASSERT_EQ(r.substr(r.size() - 4), "9000");
  auto res = gp::ParseCardResources(HexOrDie(r.substr(0, r.size() - 4)));
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->installed_applications, 4u);
  EXPECT_EQ(res->free_non_volatile, card_.FreeMemory());
  EXPECT_EQ(res->free_volatile, 16u * 1024);
  // BF30 form with a tag list naming FF21.
  const std::string bf30 = IsdR("80CABF30045C02FF2100");
  EXPECT_EQ(bf30.substr(0, 4), "BF30");
  EXPECT_NE(bf30.find(r.substr(0, r.size() - 4)), std::string::npos);
  EXPECT_EQ(IsdR("80CA00AB00"), "6A88");
}

TEST_F(CardTest, GetStatusAllAndFiltered) {
  AddProfile(0x11);
  ASSERT_EQ(SetEmergency(0x11), "9000");
  const std::string all = IsdR("80F2400202 4F00 00");
  ASSERT_EQ(all.substr(all.size() - 4), "9000");
  auto entries = gp::ParseGetStatusResponse(HexOrDie(all.substr(0, all.size() - 4)));
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].life_cycle, 0x3F);
  EXPECT_EQ((*entries)[0].sgp_attributes, Bytes{0x01});  // fall-back
  EXPECT_EQ((*entries)[1].life_cycle, 0x1F);
  EXPECT_EQ((*entries)[1].sgp_attributes, Bytes{0x02});  // emergency
  // WHTY form (resolutions §5): one AID, tag list 4F 9F70.
  EXPECT_EQ(IsdR("80F24002174F10" + IsdP(0x11).ToHex() + "5C034F9F7000"),
            "E3164F10" + IsdP(0x11).ToHex() + "9F70011F9000");
  EXPECT_EQ(IsdR("80F24002124F10" + IsdP(0x99).ToHex() + "00"), "6A88");
  EXPECT_EQ(IsdR("80F28002024F0000"), "6A86");  // only the application subset
}

TEST_F(CardTest, GetStatusPaging) {
  for (uint32_t tar = 0x11; tar < 0x11 + 14; ++tar) ASSERT_EQ(CreateIsdp(tar), "009000");
  std::string r = IsdR("80F24002024F0000");
  ASSERT_EQ(r.substr(r.size() - 4), "6310");
  size_t count = gp::ParseGetStatusResponse(HexOrDie(r.substr(0, r.size() - 4)))->size();
  r = IsdR("80F24003024F0000");
  ASSERT_EQ(r.substr(r.size() - 4), "9000");
  count += gp::ParseGetStatusResponse(HexOrDie(r.substr(0, r.size() - 4)))->size();
  EXPECT_EQ(count, 15u);
  EXPECT_EQ(IsdR("80F24003024F0000"), "6A88");  // no open listing
}

TEST_F(CardTest, UpdateSmsrAddressingParameters) {
  // A3 { 81 07 91 447700900002 (swapped BCD), 82 04 91 44770 (F-padded) }.
  EXPECT_EQ(IsdR("80E2880014 3A07 11 A30F 8107914477000900 20 8204914477F0"), "9000");
  EXPECT_EQ(card_.SmsrAddressing().msisdn, "447700900002");
  EXPECT_EQ(card_.SmsrAddressing().smsc_address, "44770");
  EXPECT_EQ(IsdR("80E28800073A0705A1038101"), "6A80");       // not A3
  EXPECT_EQ(IsdR("80E28800073A0705A303810191"), "6A80");     // bad length
  EXPECT_EQ(IsdR("80E28800083A0706A30483029A1F"), "6A80");   // unknown tag
  EXPECT_EQ(card_.SmsrAddressing().msisdn, "447700900002");  // unchanged by refusals
}

TEST_F(CardTest, FinaliseIsdrHandover) {
  const Tar isdr = Tar::FromValue(1);
  ASSERT_NE(card_.Scp80Keys().FindKeySet(isdr, 1), nullptr);
  EXPECT_EQ(IsdR("80E4000005F20301010300"), "009000");  // Njiwa/WHTY form
  EXPECT_EQ(card_.Scp80Keys().FindKeySet(isdr, 1), nullptr);
  EXPECT_NE(card_.Scp80Keys().FindKeySet(isdr, 2), nullptr);
  EXPECT_EQ(IsdR("80E4000005F20307010300"), "6A88");    // no key set 7
  EXPECT_EQ(IsdR("80E4000005F20302010300"), "6985");    // would leave no SCP80 key set
  EXPECT_EQ(IsdR("80E4000005F20302030100"), "6A80");    // key-id range reversed
  EXPECT_EQ(IsdR("80E4000005F20340010200"), "009000");  // the SCP81 PSK set
  EXPECT_FALSE(card_.Scp81Psk(AsBytes("isdr-psk-1")).has_value());
}

TEST_F(CardTest, DispatcherRefusals) {
  EXPECT_EQ(IsdR("80AA000000"), "6D00");
  EXPECT_EQ(IsdR("00CAFF2100"), "6E00");
  EXPECT_EQ(IsdR("80"), "6700");
  EXPECT_EQ(IsdR("80E2880005"), "6A80");          // no data field (Le only)
  EXPECT_EQ(IsdR("80E28800053A0301"), "6700");    // Lc beyond the data
  EXPECT_EQ(IsdR("80E28800033A0900"), "6A88");    // unknown DGI
  EXPECT_EQ(IsdR("80E2C800043A030100"), "6A86");  // RFU P1 coding
  EXPECT_EQ(Hex(card_.ProcessApdu(IsdP(0x99), HexOrDie("80CA005A00"))), "6A82");
  EXPECT_EQ(IsdR("00A4040010" + gp::IsdRAid().ToHex()),
            "6F128410" + gp::IsdRAid().ToHex() + "9000");
  EXPECT_EQ(IsdR("00A4040010" + gp::EcasdAid().ToHex()), "6A82");
}

TEST_F(CardTest, EcasdDataObjects) {
  auto ecasd = [&](std::string_view hex) {
    return Hex(card_.ProcessApdu(gp::EcasdAid(), HexOrDie(hex)));
  };
  EXPECT_EQ(ecasd("80CA005A00"),
            "5A1089049032123451234512345678901235"
            "9000");
  EXPECT_EQ(ecasd("80CA7F2100"), Hex(keys_.ecasd_cert) + "9000");
  EXPECT_EQ(ecasd("80CABF30045C027F2100").substr(0, 4), "BF30");
  const std::string both = ecasd("80CABF30055C035A7F2100");
  EXPECT_NE(both.find("5A1089049032"), std::string::npos);
  EXPECT_NE(both.find(Hex(keys_.ecasd_cert)), std::string::npos);
  EXPECT_EQ(ecasd("80CA004200"), "6A88");
  EXPECT_EQ(ecasd("80CABF3000"), "6A80");  // BF30 needs a tag list
  EXPECT_EQ(ecasd("80E2880000"), "6D00");
  EXPECT_EQ(ecasd("80CA"), "6700");
  EXPECT_EQ(ecasd("80F2400000"), "6D00");
}

TEST_F(CardTest, OtaCardKeyAccess) {
  EXPECT_EQ(card_.ApplicationForTar(Tar::FromValue(1)), gp::IsdRAid());
  EXPECT_EQ(card_.ApplicationForTar(Tar::FromValue(2)), gp::EcasdAid());
  EXPECT_EQ(card_.ApplicationForTar(Tar::FromValue(0x10)), IsdP(0x10));
  EXPECT_FALSE(card_.ApplicationForTar(Tar::FromValue(0x11)).has_value());
  EXPECT_TRUE(card_.Scp80Keys().FindTar(Tar::FromValue(0x10)).has_value());
  EXPECT_EQ(card_.Scp80Keys().FindKeySet(Tar::FromValue(0x11), 1), nullptr);
  EXPECT_EQ(card_.Scp80Keys().FindKeySet(Tar::FromValue(1), 3), nullptr);
  ASSERT_TRUE(card_.Scp80Counters().Save(2, 41).ok());
  EXPECT_EQ(card_.Scp80Counters().Load(2).value(), 41u);
  EXPECT_FALSE(card_.Scp80Counters().Save(9, 1).ok());
  auto psk = card_.Scp81Psk(AsBytes("isdr-psk-1"));
  ASSERT_TRUE(psk.has_value());
  EXPECT_EQ(psk->size(), 16u);
  EXPECT_FALSE(card_.Scp81Psk(AsBytes("other")).has_value());
}

TEST(CardManufacture, RefusesBadConfig) {
  CardKeys keys;
  FakeClock clock;
  ScriptedRandom random({});
  auto c1 = MakeConfig(keys);
  c1.eid = "89049032123451234512345678901234";  // check digits wrong
  EXPECT_FALSE(Euicc::Manufacture(std::move(c1), clock, random).ok());
  auto c2 = MakeConfig(keys);
  c2.scp80_key_sets[1].kvn = 1;  // duplicate
  EXPECT_FALSE(Euicc::Manufacture(std::move(c2), clock, random).ok());
  auto c3 = MakeConfig(keys);
  c3.ci_public_point[10] ^= 1;  // not on the curve
  EXPECT_FALSE(Euicc::Manufacture(std::move(c3), clock, random).ok());
  auto c4 = MakeConfig(keys);
  c4.scp81_keys[0].kvn = 0x30;
  EXPECT_FALSE(Euicc::Manufacture(std::move(c4), clock, random).ok());
  auto c5 = MakeConfig(keys);
  c5.scp80_key_sets.clear();
  EXPECT_FALSE(Euicc::Manufacture(std::move(c5), clock, random).ok());
}

// EstablishISDRKeySet (SM-SR change): the new SM-SR runs key establishment with its
// CERT.SR.ECDSA; the card installs the derived keys as SCP80 key set 3.
TEST_F(CardTest, EstablishIsdrKeySet) {
  auto sr_key = crypto::EcPrivateKey::Generate(crypto::Curve::kNistP256).value();
  pki::GpCertificateFields f;
  f.serial = {0x02};
  f.ca_id = {0x0E};
  f.subject_id = HexOrDie("5352");
  f.usage = pki::GpKeyUsage::kVerification;
  f.expiration = std::chrono::year_month_day(std::chrono::year(2040), std::chrono::month(1),
                                             std::chrono::day(1));
  f.entity_type = pki::kEntitySmSr;
  f.public_key = sr_key.PublicKey();
  auto cert = pki::GpCertificate::Sign(f, keys_.ci).value();
  scp::KeyAgreementCrt crt;
  crt.kvn = 0x03;
  crypto::SecureRandom rnd;
  scp::KeyEstablishmentHost host(sr_key, keys_.ecasd.PublicKey(), crt, rnd);

  const Bytes data1 = scp::KeyEstablishmentHost::CertificateData(cert.encoded()).value();
  const Bytes enc1 = gp::EncodeCommand(gp::MakeCommand(0x80, 0xE2, 0x09, 0x00, data1, 256)).value();
  const Bytes r1 = card_.ProcessApdu(gp::IsdRAid(), enc1);
  ASSERT_EQ(Hex(Bytes(r1.end() - 2, r1.end())), "9000");
  ASSERT_TRUE(host.AcceptChallenge(ByteView(r1.data(), r1.size() - 2)).ok());
  const Bytes data2 = host.KeyParametersData().value();
  const Bytes r2 = card_.ProcessApdu(
      gp::IsdRAid(),
      gp::EncodeCommand(gp::MakeCommand(0x80, 0xE2, 0x89, 0x01, data2, 256)).value());
  ASSERT_EQ(Hex(Bytes(r2.end() - 2, r2.end())), "9000");
  auto keys = host.Finish(ByteView(r2.data(), r2.size() - 2));
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  const scp::Scp80KeySet* set = card_.Scp80Keys().FindKeySet(Tar::FromValue(1), 3);
  ASSERT_NE(set, nullptr);
  EXPECT_TRUE(ConstantTimeEqual(set->kic.view(), keys->keys[0].view()));
  EXPECT_TRUE(ConstantTimeEqual(set->kid.view(), keys->keys[1].view()));

  // A KVN in use (here the set just established, as for key set 1 that secures the SM-SR's
  // packets) is refused: 6985, and the keys stay.
  scp::KeyEstablishmentHost again(sr_key, keys_.ecasd.PublicKey(), crt, rnd);
  const Bytes r3 = card_.ProcessApdu(gp::IsdRAid(), enc1);
  ASSERT_EQ(Hex(Bytes(r3.end() - 2, r3.end())), "9000");
  ASSERT_TRUE(again.AcceptChallenge(ByteView(r3.data(), r3.size() - 2)).ok());
  const Bytes r4 = card_.ProcessApdu(
      gp::IsdRAid(), gp::EncodeCommand(gp::MakeCommand(0x80, 0xE2, 0x89, 0x01,
                                                       again.KeyParametersData().value(), 256))
                         .value());
  EXPECT_EQ(Hex(r4), "6985");
  set = card_.Scp80Keys().FindKeySet(Tar::FromValue(1), 3);
  ASSERT_NE(set, nullptr);
  EXPECT_TRUE(ConstantTimeEqual(set->kic.view(), keys->keys[0].view()));

  // #2 without #1 → 6985; a certificate not signed by the CI → 6982.
  EXPECT_EQ(Hex(card_.ProcessApdu(
                gp::IsdRAid(),
                gp::EncodeCommand(gp::MakeCommand(0x80, 0xE2, 0x89, 0x01, data2, 256)).value())),
            "6985");
  auto rogue = pki::GpCertificate::Sign(f, sr_key).value();
  const Bytes bad1 = scp::KeyEstablishmentHost::CertificateData(rogue.encoded()).value();
  EXPECT_EQ(Hex(card_.ProcessApdu(
                gp::IsdRAid(),
                gp::EncodeCommand(gp::MakeCommand(0x80, 0xE2, 0x09, 0x00, bad1, 256)).value())),
            "6982");
}

}  // namespace
}  // namespace m2mrsp::euicc::testing
