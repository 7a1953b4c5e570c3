// Regression tests for the SCP03t download path of the card (review rev1): an interrupted
// download does not block the ISD-P, the SCP03t session and its replay log end with the
// EUICCResponse, the card image stays within what Restore accepts whatever the SM-DP sends, the
// device channel never serves a deleted profile, and a package whose values the card cannot keep
// is refused at installation. TS.48 v7 package from shared/testdata (skipped where absent).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "card_fixture.h"
#include "euicc/profile.h"
#include "saip/package.h"
#include "scp/key_establishment.h"
#include "scp/scp03.h"
#include "scp/scp03t.h"
#include "support/shared_data.h"

namespace m2mrsp::euicc::testing {
namespace {

std::optional<Bytes> Ts48() { return m2mrsp::testing::ReadTs48Package("ts48v7_SAIP2.3_NoBERTLV"); }

uint16_t SwOf(const Bytes& r) { return static_cast<uint16_t>((r[r.size() - 2] << 8) | r.back()); }
ByteView DataOf(const Bytes& r) { return ByteView(r.data(), r.size() - 2); }

// SAIP EUICCResponse with one PEStatus (isd_p.cc): ok, bad-values, not-enough-memory.
constexpr char kEuiccOk[] = "3007A0053003800100";
constexpr char kEuiccNoMemory[] = "3009A00530038001048100";

class CardDownload : public CardTest {
 protected:
  CardDownload() : dp_(crypto::EcPrivateKey::Generate(crypto::Curve::kNistP256).value()) {}

  Bytes To(const Aid& isdp, const gp::CommandApdu& c) {
    return card_.ProcessApdu(isdp, gp::EncodeCommand(c).value());
  }

  // ES8.EstablishISDPKeySet on a new ISD-P `tar`: its SCP03 keys.
  Result<scp::Scp03Keys> NewIsdpWithKeys(uint32_t tar) {
    if (CreateIsdp(tar) != "009000") return InternalError("CreateISDP refused");
    const Aid isdp = IsdP(tar);
    if (Hex(To(isdp, gp::BuildInstallForPersonalization(isdp))) != "009000")
      return InternalError("INSTALL [for personalization] refused");
    pki::GpCertificateFields f;
    f.serial = {0x03};
    f.ca_id = {0x0E};
    f.subject_id = HexOrDie("4450");
    f.usage = pki::GpKeyUsage::kVerification;
    f.expiration = std::chrono::year_month_day(std::chrono::year(2040), std::chrono::month(1),
                                               std::chrono::day(1));
    f.entity_type = pki::kEntitySmDp;
    f.public_key = dp_.PublicKey();
    M2_ASSIGN_OR_RETURN(auto cert, pki::GpCertificate::Sign(f, keys_.ci));
    scp::KeyEstablishmentHost host(dp_, keys_.ecasd.PublicKey(), scp::KeyAgreementCrt{}, random_);
    M2_ASSIGN_OR_RETURN(Bytes d1, scp::KeyEstablishmentHost::CertificateData(cert.encoded()));
    const Bytes r1 = To(isdp, gp::MakeCommand(0x80, 0xE2, 0x09, 0x00, d1, 256));
    if (SwOf(r1) != 0x9000) return SecurityError("3A01 refused: " + Hex(r1));
    M2_RETURN_IF_ERROR(host.AcceptChallenge(DataOf(r1)));
    M2_ASSIGN_OR_RETURN(Bytes d2, host.KeyParametersData());
    const Bytes r2 = To(isdp, gp::MakeCommand(0x80, 0xE2, 0x89, 0x01, d2, 256));
    if (SwOf(r2) != 0x9000) return SecurityError("3A02 refused: " + Hex(r2));
    M2_ASSIGN_OR_RETURN(auto k, host.Finish(DataOf(r2)));
    return scp::Scp03Keys{k.kvn, std::move(k.keys[0]), std::move(k.keys[1]), std::move(k.keys[2])};
  }

  // A new SCP03t session (84, 85) on `isdp`.
  std::unique_ptr<scp::Scp03tHost> Open(const Aid& isdp, const scp::Scp03Keys& k) {
    auto host = std::make_unique<scp::Scp03tHost>(k.Clone(), random_);
    EXPECT_TRUE(
        host->CheckInitializeUpdateResponse(card_.ProcessScp03t(isdp, *host->InitializeUpdate()))
            .ok());
    EXPECT_TRUE(host->CheckExternalAuthenticateResponse(
                        card_.ProcessScp03t(isdp, *host->ExternalAuthenticate()))
                    .ok());
    return host;
  }

  // Sends segments [first, last) and returns the last answer's data ("" when none).
  Result<Bytes> SendSegments(scp::Scp03tHost& host, const Aid& isdp,
                             const std::vector<Bytes>& segments, size_t first, size_t last) {
    Bytes answer;
    for (size_t i = first; i < last; ++i) {
      M2_ASSIGN_OR_RETURN(answer, host.CheckDataResponse(card_.ProcessScp03t(isdp, segments[i])));
    }
    return answer;
  }

  void ExpectImageRestores() {
    const Bytes image = card_.Serialize();
    EXPECT_LE(image.size(), card_.ImageSizeBound());
    EXPECT_LE(card_.ImageSizeBound(), kMaxCardImage);
    auto restored = Euicc::Restore(image, clock_, random_);
    ASSERT_TRUE(restored.ok()) << restored.status().ToString();
    EXPECT_EQ(restored->Serialize(), image);
  }

  crypto::EcPrivateKey dp_;
};

// Half a package, then the SM-DP restarts from its first segment in a new session: the package
// installs (before the fix the stale half stayed in front of it for ever).
TEST_F(CardDownload, InterruptedDownloadRestartsInANewSession) {
  auto package = Ts48();
  if (!package) GTEST_SKIP() << "shared/testdata/ts48 is absent";
  auto keys = NewIsdpWithKeys(0x11);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  {
    auto host = Open(IsdP(0x11), *keys);
    auto segments = host->ProtectPackage(*package).value();
    ASSERT_GT(segments.size(), 2u);
    auto half = SendSegments(*host, IsdP(0x11), segments, 0, segments.size() / 2);
    ASSERT_TRUE(half.ok()) << half.status().ToString();
    EXPECT_TRUE(half->empty());
  }
  ExpectImageRestores();  // the partial download persists with its open session
  auto host = Open(IsdP(0x11), *keys);
  auto segments = host->ProtectPackage(*package).value();
  auto last = SendSegments(*host, IsdP(0x11), segments, 0, segments.size());
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  EXPECT_EQ(Hex(*last), kEuiccOk);
  EXPECT_EQ(card_.LifeCycle(IsdP(0x11)), 0x1F);
}

// An SCP03 session opened in the middle of a download ends the SCP03t session, and with it the
// partial package: the next SCP03t session starts from an empty download.
TEST_F(CardDownload, Scp03SessionDropsThePartialDownload) {
  auto package = Ts48();
  if (!package) GTEST_SKIP() << "shared/testdata/ts48 is absent";
  auto keys = NewIsdpWithKeys(0x11);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  auto host = Open(IsdP(0x11), *keys);
  auto segments = host->ProtectPackage(*package).value();
  ASSERT_TRUE(SendSegments(*host, IsdP(0x11), segments, 0, 2).ok());
  const size_t with_download = card_.Serialize().size();
  scp::Scp03Host apdu_host(keys->Clone(), random_);
  const Bytes iu = card_.ProcessApdu(IsdP(0x11), *apdu_host.InitializeUpdate());
  ASSERT_EQ(SwOf(iu), 0x9000);
  EXPECT_LT(card_.Serialize().size() + 1000, with_download);
  ExpectImageRestores();
}

// After the EUICCResponse the session is over: its log is not kept and a further segment is out
// of sequence (9F46 01 02).
TEST_F(CardDownload, SessionEndsWithTheEuiccResponse) {
  auto package = Ts48();
  if (!package) GTEST_SKIP() << "shared/testdata/ts48 is absent";
  auto keys = NewIsdpWithKeys(0x11);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  const size_t before = card_.Serialize().size();
  auto host = Open(IsdP(0x11), *keys);
  auto segments = host->ProtectPackage(*package).value();
  auto last = SendSegments(*host, IsdP(0x11), segments, 0, segments.size());
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  EXPECT_EQ(Hex(*last), kEuiccOk);
  // Image growth = the installed profile only (no session log the size of the package).
  const InstalledProfile installed = *card_.Profile(IsdP(0x11));
  EXPECT_LT(card_.Serialize().size(), before + installed.content.size() + 512);
  auto extra = host->ProtectSegment(HexOrDie("A000"));
  ASSERT_TRUE(extra.ok());
  EXPECT_EQ(Hex(card_.ProcessScp03t(IsdP(0x11), *extra)), "9F460102");
  ExpectImageRestores();
}

// The reviewer's scenario: five ISD-Ps each fed 1000-byte segments that never complete a package.
// The card refuses (EUICCResponse not-enough-memory) before its image outgrows what Restore
// accepts, and every image it produces restores to itself.
TEST_F(CardDownload, ImageNeverOutgrowsRestore) {
  const Bytes junk(1000, 0x30);  // whole `30 30 …` TLVs, never an `end` element
  size_t refused = 0;
  for (uint32_t tar = 0x11; tar < 0x16; ++tar) {
    auto keys = NewIsdpWithKeys(tar);
    ASSERT_TRUE(keys.ok()) << keys.status().ToString();
    auto host = Open(IsdP(tar), *keys);
    for (int i = 0; i < 1100; ++i) {
      auto answer = host->CheckDataResponse(
          card_.ProcessScp03t(IsdP(tar), host->ProtectSegment(junk).value()));
      ASSERT_TRUE(answer.ok()) << answer.status().ToString();
      if (!answer->empty()) {
        EXPECT_EQ(Hex(*answer), kEuiccNoMemory);
        ++refused;
        break;
      }
    }
    EXPECT_LE(card_.ImageSizeBound(), kMaxCardImage);
  }
  EXPECT_EQ(refused, 5u);  // each download ends refused: 1 MiB per package, 8 MiB per image
  ExpectImageRestores();
}

// A session kept open at the budget's edge: the image restores at every step.
TEST_F(CardDownload, OpenSessionsAtTheBudgetRestore) {
  const Bytes junk(1000, 0x30);
  std::vector<std::unique_ptr<scp::Scp03tHost>> hosts;
  for (uint32_t tar = 0x11; tar < 0x15; ++tar) {
    auto keys = NewIsdpWithKeys(tar);
    ASSERT_TRUE(keys.ok()) << keys.status().ToString();
    hosts.push_back(Open(IsdP(tar), *keys));
    for (int i = 0; i < 1000; ++i) {
      auto answer = hosts.back()->CheckDataResponse(
          card_.ProcessScp03t(IsdP(tar), hosts.back()->ProtectSegment(junk).value()));
      ASSERT_TRUE(answer.ok());
      if (!answer->empty()) break;
    }
  }
  ExpectImageRestores();
}

// The device channel follows the profile of the ISD-P, not its AID: after delete and re-create
// with another profile, the old files are gone.
TEST_F(CardDownload, DeviceChannelForgetsADeletedProfile) {
  auto package = Ts48();
  if (!package) GTEST_SKIP() << "shared/testdata/ts48 is absent";
  auto installed = InstalledProfileFromPackage(*package);
  ASSERT_TRUE(installed.ok()) << installed.status().ToString();
  ASSERT_EQ(CreateIsdp(0x11), "009000");
  ASSERT_TRUE(card_.InstallProfile(IsdP(0x11), std::move(*installed)).ok());
  ASSERT_EQ(Enable(0x11), "9000");
  Attach(true, 1000);
  ASSERT_EQ(Confirm(0), "80009000");
  ASSERT_EQ(Hex(card_.Transmit(HexOrDie("00A4000C023F00"))), "9000");  // TS.48 MF
  ASSERT_EQ(Enable(0x10), "9000");
  Attach(true, 2000);
  ASSERT_EQ(Confirm(1), "80009000");
  ASSERT_EQ(Delete(0x11), "009000");
  ASSERT_EQ(CreateIsdp(0x11), "009000");
  ASSERT_TRUE(card_.InstallProfile(IsdP(0x11), MakeProfile()).ok());  // no files
  ASSERT_EQ(Enable(0x11), "9000");
  Attach(true, 3000);
  EXPECT_EQ(Hex(card_.Transmit(HexOrDie("00A4000C023F00"))), "6A82");
}

// PIN attempts "max 10, left 15" (0xAF): saip accepts the byte, the card cannot keep it. Refused
// when the package is mapped (bad-values for a download), and content the card could not read
// back is refused by InstallProfile.
TEST_F(CardDownload, RefusesValuesTheCardCannotKeep) {
  auto package = Ts48();
  if (!package) GTEST_SKIP() << "shared/testdata/ts48 is absent";
  Bytes p = *package;
  const Bytes needle = HexOrDie("840200AA");  // maxNumOfAttemps-retryNumLeft = 10/10
  auto it = std::search(p.begin(), p.end(), needle.begin(), needle.end());
  ASSERT_NE(it, p.end());
  *(it + 3) = 0xAF;
  ASSERT_TRUE(saip::Decode(p).ok());
  auto installed = InstalledProfileFromPackage(p);
  ASSERT_FALSE(installed.ok());
  EXPECT_EQ(installed.status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_NE(installed.status().message().find("attempts"), std::string::npos);

  InstalledProfile bad = MakeProfile();
  bad.content = HexOrDie("0102030405");
  ASSERT_EQ(CreateIsdp(0x11), "009000");
  EXPECT_FALSE(card_.InstallProfile(IsdP(0x11), std::move(bad)).ok());
  EXPECT_EQ(card_.LifeCycle(IsdP(0x11)), 0x07);
}

}  // namespace
}  // namespace m2mrsp::euicc::testing
