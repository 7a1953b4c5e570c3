// The test-PKI generator behind `m2mrsp pki init`: every certificate it writes verifies through
// our chain checks and, independently, with `openssl verify` (skipped without the openssl CLI).
#include "pki/test_pki.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "crypto/x509.h"
#include "pki/chain.h"
#include "pki/gp_certificate.h"

namespace m2mrsp::pki {
namespace {

namespace fs = std::filesystem;
using crypto::X509Certificate;

const Clock::WallTime kNow = Clock::WallTime(std::chrono::seconds(1'800'000'000));

std::map<std::string, const PkiFile*> ByPath(const std::vector<PkiFile>& files) {
  std::map<std::string, const PkiFile*> m;
  for (const PkiFile& f : files) m[f.path] = &f;
  return m;
}

X509Certificate Cert(const std::map<std::string, const PkiFile*>& m, const std::string& path) {
  auto it = m.find(path);
  if (it == m.end()) {
    ADD_FAILURE() << "missing " << path;
    std::abort();
  }
  return *X509Certificate::Parse(it->second->data);
}

class TestPkiTest : public ::testing::TestWithParam<crypto::Curve> {};

TEST_P(TestPkiTest, EveryCertificateVerifies) {
  TestPkiOptions o;
  o.curve = GetParam();
  o.now = kNow;
  auto files = GenerateTestPki(o);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  const auto m = ByPath(*files);

  for (const PkiFile& f : *files) {
    const bool key = f.path.ends_with(".key.pem");
    EXPECT_EQ(f.is_secret(), key) << f.path;
    EXPECT_EQ(f.data.empty(), key) << f.path;
  }
  const X509Certificate ci = Cert(m, "ci/ci.pem");
  const X509Certificate eum = Cert(m, "eum/eum.pem");
  EXPECT_TRUE(VerifyCiCertificate(ci, kNow).ok());
  EXPECT_TRUE(VerifyEumCertificate(eum, ci, kNow).ok());
  EXPECT_EQ(ci.public_key().curve(), GetParam());

  auto euicc = GpCertificate::Decode(m.at("eum/euicc-sample.ecasd.bin")->data);
  ASSERT_TRUE(euicc.ok());
  EXPECT_EQ(ToHex(euicc->subject_id()), "89049032123451234512345678901235");
  EXPECT_TRUE(VerifyEuiccCertificate(*euicc, eum, ci, kNow).ok());

  const std::pair<const char*, GpRole> gp[] = {{"smdp/cert.dp.ecdsa.bin", GpRole::kDpEcdsa},
                                               {"smdp/cert.dp.ecka.bin", GpRole::kDpEcka},
                                               {"smsr/cert.sr.ecdsa.bin", GpRole::kSrEcdsa},
                                               {"smsr/cert.sr.ecka.bin", GpRole::kSrEcka}};
  for (const auto& [path, role] : gp) {
    auto c = GpCertificate::Decode(m.at(path)->data);
    ASSERT_TRUE(c.ok()) << path;
    auto key = VerifyEntityCertificate(*c, role, ci, kNow);
    EXPECT_TRUE(key.ok()) << path << ": " << key.status().ToString();
    // The private key file matches the certificate.
    std::string key_path = path;
    key_path.replace(key_path.size() - 4, 4, ".key.pem");
    const ByteView secret = m.at(key_path)->secret.view();
    const std::string pem(secret.begin(), secret.end());
    auto priv = crypto::EcPrivateKey::FromPem(pem);
    ASSERT_TRUE(priv.ok());
    EXPECT_TRUE(priv->PublicKey() == *key);
  }

  const std::string arc = DefaultEntityArc();
  int n = 2;
  for (const char* e : {"eum", "smdp", "smsr", "mno-a", "mno-b", "m2msp"}) {
    const X509Certificate server = Cert(m, std::string(e) + "/tls-server.pem");
    const X509Certificate client = Cert(m, std::string(e) + "/tls-client.pem");
    EXPECT_TRUE(VerifyX509Leaf(server, ci, kNow).ok()) << e;
    EXPECT_TRUE(VerifyX509Leaf(client, ci, kNow).ok()) << e;
    EXPECT_TRUE(server.server_auth() && !server.client_auth()) << e;
    EXPECT_TRUE(client.client_auth() && !client.server_auth()) << e;
    EXPECT_EQ(server.entity_oid(), arc + "." + std::to_string(n)) << e;
    EXPECT_EQ(client.entity_oid(), server.entity_oid()) << e;
    ++n;
  }
  const std::string json(m.at("entities.json")->data.begin(), m.at("entities.json")->data.end());
  EXPECT_NE(json.find("\"" + arc + ".3\": {\"role\": \"SM-DP\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"cert.dp.ecdsa\": \"smdp/cert.dp.ecdsa.bin\""), std::string::npos);
}

TEST_P(TestPkiTest, OpensslVerifiesTheX509Certificates) {
  if (std::system("openssl version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no openssl";
  TestPkiOptions o;
  o.curve = GetParam();
  o.now = std::chrono::system_clock::now();  // openssl checks against the real clock
  auto files = GenerateTestPki(o);
  ASSERT_TRUE(files.ok());
  char tmpl[] = "/tmp/m2mrsp_pki_XXXXXX";
  const fs::path dir = mkdtemp(tmpl);
  std::string leaves;
  for (const PkiFile& f : *files) {
    if (f.is_secret()) continue;
    fs::create_directories((dir / f.path).parent_path());
    std::ofstream(dir / f.path, std::ios::binary)
        .write(reinterpret_cast<const char*>(f.data.data()), static_cast<long>(f.data.size()));
    if (f.path.find("/tls-") != std::string::npos || f.path == "eum/eum.pem") {
      leaves += " " + (dir / f.path).string();
    }
  }
  const std::string cmd = "openssl verify -x509_strict -CAfile " + (dir / "ci/ci.pem").string() +
                          leaves + " >/dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  const std::string server = "openssl verify -purpose sslserver -CAfile " +
                             (dir / "ci/ci.pem").string() + " " +
                             (dir / "smdp/tls-server.pem").string() + " >/dev/null 2>&1";
  EXPECT_EQ(std::system(server.c_str()), 0);
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Curves, TestPkiTest,
                         ::testing::Values(crypto::Curve::kNistP256,
                                           crypto::Curve::kBrainpoolP256r1));

TEST(TestPki, RefusesBadValidity) {
  TestPkiOptions o;
  o.validity_days = 0;
  EXPECT_FALSE(GenerateTestPki(o).ok());
}

}  // namespace
}  // namespace m2mrsp::pki
