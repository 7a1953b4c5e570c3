// X.509: certificates made by the openssl CLI (tests/vectors/x509, gen/x509_openssl.sh) are
// parsed and verified by our code; certificates our code makes are checked by `openssl verify`
// and `openssl x509 -text` (skipped when the openssl command is absent).
#include "crypto/x509.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace m2mrsp::crypto {
namespace {

namespace fs = std::filesystem;
using std::chrono::days;
using std::chrono::hours;

std::string ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

X509Certificate Vector(const std::string& name) {
  const std::string pem = ReadText(fs::path(M2MRSP_VECTOR_DIR) / "x509" / name);
  auto c = X509Certificate::FromPem(pem);
  if (!c.ok()) ADD_FAILURE() << name << ": " << c.status().ToString();
  return std::move(c).value();
}

bool HaveOpenssl() { return std::system("openssl version >/dev/null 2>&1") == 0; }

// Runs a shell command, returns {exit status, combined output}.
std::pair<int, std::string> Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return {-1, ""};
  std::array<char, 512> buf;
  while (fgets(buf.data(), buf.size(), p) != nullptr) out += buf.data();
  return {pclose(p), out};
}

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/m2mrsp_x509_XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string Write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
};

X509Request BaseRequest(const std::string& cn, Clock::WallTime now) {
  X509Request r;
  r.subject = {cn, "m2mrsp tests", "FR"};
  r.not_before = now - hours(1);
  r.not_after = now + days(30);
  return r;
}

struct Made {
  EcPrivateKey ci_key, leaf_key;
  X509Certificate ci, leaf;
};

Made MakeCiAndLeaf(Curve curve) {
  const auto now = std::chrono::system_clock::now();
  auto ci_key = EcPrivateKey::Generate(curve);
  auto leaf_key = EcPrivateKey::Generate(curve);
  X509Request ci_req = BaseRequest("Test CI", now);
  ci_req.ca = true;
  ci_req.key_usage = kKuKeyCertSign | kKuCrlSign;
  auto ci = X509Certificate::Create(ci_req, ci_key->PublicKey(), *ci_key, nullptr);
  EXPECT_TRUE(ci.ok()) << ci.status().ToString();
  X509Request leaf_req = BaseRequest("smdp TLS", now);
  leaf_req.key_usage = kKuDigitalSignature;
  leaf_req.server_auth = true;
  leaf_req.client_auth = true;
  leaf_req.dns_names = {"smdp.example", "localhost"};
  leaf_req.entity_oid = "1.3.6.1.4.1.99999.3";
  auto leaf = X509Certificate::Create(leaf_req, leaf_key->PublicKey(), *ci_key, &*ci);
  EXPECT_TRUE(leaf.ok()) << leaf.status().ToString();
  return {std::move(ci_key).value(), std::move(leaf_key).value(), std::move(ci).value(),
          std::move(leaf).value()};
}

TEST(X509, ParsesOpensslCertificates) {
  const X509Certificate ci = Vector("ci.pem");
  EXPECT_TRUE(ci.is_ca());
  EXPECT_EQ(ci.subject().common_name, "OpenSSL CI");
  EXPECT_EQ(ci.subject().country, "FR");
  EXPECT_EQ(*ci.key_usage(), uint32_t{kKuKeyCertSign | kKuCrlSign});
  EXPECT_EQ(ci.subject_key_id().size(), 20u);
  EXPECT_EQ(ci.public_key().curve(), Curve::kNistP256);
  EXPECT_TRUE(ci.IssuerNameIs(ci));
  EXPECT_TRUE(ci.VerifySignature(ci.public_key()).ok());

  const X509Certificate eum = Vector("eum.pem");
  EXPECT_TRUE(eum.is_ca());
  EXPECT_EQ(eum.path_len(), 0);
  EXPECT_EQ(eum.serial(), Bytes{0x02});
  EXPECT_EQ(eum.entity_oid(), std::string(kM2mrspOidArc) + ".2.2");
  EXPECT_EQ(eum.authority_key_id(), ci.subject_key_id());
  EXPECT_TRUE(eum.IssuerNameIs(ci));
  EXPECT_TRUE(eum.VerifySignature(ci.public_key()).ok());
  EXPECT_EQ(eum.subject_text(), "CN=OpenSSL EUM,O=openssl vectors,C=FR");

  const X509Certificate tls = Vector("tls-server.pem");
  EXPECT_FALSE(tls.is_ca());
  EXPECT_TRUE(tls.server_auth());
  EXPECT_FALSE(tls.client_auth());
  EXPECT_EQ(tls.dns_names(), std::vector<std::string>{"smdp.openssl.test"});
  EXPECT_EQ(tls.entity_oid(), std::string(kM2mrspOidArc) + ".2.3");
  EXPECT_TRUE(tls.VerifySignature(ci.public_key()).ok());

  const X509Certificate bp_ci = Vector("bp-ci.pem");
  const X509Certificate bp_leaf = Vector("bp-leaf.pem");
  EXPECT_EQ(bp_leaf.public_key().curve(), Curve::kBrainpoolP256r1);
  EXPECT_TRUE(bp_leaf.VerifySignature(bp_ci.public_key()).ok());
  EXPECT_FALSE(bp_leaf.VerifySignature(ci.public_key()).ok());  // wrong curve and key

  const X509Certificate expired = Vector("expired.pem");
  EXPECT_EQ(std::chrono::system_clock::to_time_t(expired.not_after()), 978307200);  // 2001-01-01
  EXPECT_TRUE(expired.VerifySignature(ci.public_key()).ok());

  const X509Certificate other = Vector("other-leaf.pem");
  EXPECT_FALSE(other.IssuerNameIs(ci));
  EXPECT_FALSE(other.VerifySignature(ci.public_key()).ok());
}

TEST(X509, DerAndPemAgree) {
  const X509Certificate eum = Vector("eum.pem");
  auto from_der = X509Certificate::FromDer(eum.der());
  ASSERT_TRUE(from_der.ok());
  EXPECT_EQ(from_der->der(), eum.der());
  auto parsed = X509Certificate::Parse(eum.der());
  ASSERT_TRUE(parsed.ok());
  auto pem = eum.ToPem();
  ASSERT_TRUE(pem.ok());
  auto again = X509Certificate::Parse(AsBytes("\n  " + *pem));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->der(), eum.der());
}

TEST(X509, RefusesMalformedInput) {
  const Bytes der = Vector("tls-server.pem").der();
  for (size_t n : {size_t{0}, size_t{1}, size_t{10}, der.size() / 2, der.size() - 1}) {
    EXPECT_FALSE(X509Certificate::FromDer(ByteView(der.data(), n)).ok()) << n;
  }
  Bytes trailing = der;
  trailing.push_back(0);
  EXPECT_FALSE(X509Certificate::FromDer(trailing).ok());
  EXPECT_FALSE(X509Certificate::FromPem("-----BEGIN CERTIFICATE-----\nAAAA\n").ok());
  EXPECT_FALSE(X509Certificate::FromDer(Bytes(X509Certificate::kMaxSize + 1, 0x30)).ok());
}

TEST(X509, TamperedSignatureFails) {
  const X509Certificate ci = Vector("ci.pem");
  Bytes der = Vector("tls-server.pem").der();
  der[der.size() - 5] ^= 0x01;  // inside the signature's s value
  auto bad = X509Certificate::FromDer(der);
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->VerifySignature(ci.public_key()).kind(), ErrorKind::kSecurity);
}

TEST(X509, CreatedFieldsRoundTrip) {
  for (Curve curve : {Curve::kNistP256, Curve::kBrainpoolP256r1}) {
    Made m = MakeCiAndLeaf(curve);
    EXPECT_TRUE(m.ci.is_ca());
    EXPECT_TRUE(m.ci.authority_key_id().empty());
    EXPECT_EQ(m.ci.subject_key_id(), *KeyIdentifier(m.ci_key.PublicKey()));
    EXPECT_FALSE(m.leaf.is_ca());
    EXPECT_EQ(m.leaf.subject().common_name, "smdp TLS");
    EXPECT_EQ(m.leaf.entity_oid(), "1.3.6.1.4.1.99999.3");
    EXPECT_EQ(m.leaf.authority_key_id(), m.ci.subject_key_id());
    EXPECT_EQ(*m.leaf.key_usage(), uint32_t{kKuDigitalSignature});
    EXPECT_TRUE(m.leaf.server_auth() && m.leaf.client_auth());
    EXPECT_EQ(m.leaf.dns_names().size(), 2u);
    EXPECT_EQ(m.leaf.serial().size(), 16u);
    EXPECT_TRUE(m.leaf.public_key() == m.leaf_key.PublicKey());
    EXPECT_TRUE(m.leaf.IssuerNameIs(m.ci));
    EXPECT_TRUE(m.leaf.VerifySignature(m.ci.public_key()).ok());
    EXPECT_FALSE(m.leaf.VerifySignature(m.leaf_key.PublicKey()).ok());
  }
}

TEST(X509, CreateRefusesBadRequests) {
  const auto now = std::chrono::system_clock::now();
  auto key = EcPrivateKey::Generate(Curve::kNistP256);
  auto other = EcPrivateKey::Generate(Curve::kNistP256);
  X509Request r = BaseRequest("x", now);
  r.entity_oid = "1.2.x";
  EXPECT_FALSE(X509Certificate::Create(r, key->PublicKey(), *key, nullptr).ok());
  r = BaseRequest("x", now);
  r.dns_names = {"a,DNS:evil"};
  EXPECT_FALSE(X509Certificate::Create(r, key->PublicKey(), *key, nullptr).ok());
  r = BaseRequest("x", now);
  r.not_after = r.not_before;
  EXPECT_FALSE(X509Certificate::Create(r, key->PublicKey(), *key, nullptr).ok());
  r = BaseRequest("x", now);  // self-signed with someone else's key
  EXPECT_FALSE(X509Certificate::Create(r, key->PublicKey(), *other, nullptr).ok());
  r.subject.common_name.clear();
  EXPECT_FALSE(X509Certificate::Create(r, key->PublicKey(), *key, nullptr).ok());
}

// Independent checks: the openssl command line verifies and decodes what we made.
TEST(X509, OpensslVerifiesCreatedCertificates) {
  if (!HaveOpenssl()) GTEST_SKIP() << "openssl command not found";
  for (Curve curve : {Curve::kNistP256, Curve::kBrainpoolP256r1}) {
    Made m = MakeCiAndLeaf(curve);
    TempDir dir;
    const std::string ci = dir.Write("ci.pem", *m.ci.ToPem());
    const std::string leaf = dir.Write("leaf.pem", *m.leaf.ToPem());
    auto [rc, out] =
        Shell("openssl verify -x509_strict -purpose sslserver -CAfile " + ci + " " + leaf);
    EXPECT_EQ(rc, 0) << out;
    std::tie(rc, out) = Shell("openssl verify -purpose sslclient -CAfile " + ci + " " + leaf);
    EXPECT_EQ(rc, 0) << out;
    std::tie(rc, out) = Shell("openssl x509 -noout -text -in " + leaf);
    EXPECT_EQ(rc, 0) << out;
    EXPECT_NE(out.find("CN = smdp TLS"), std::string::npos) << out;
    EXPECT_NE(out.find("DNS:smdp.example"), std::string::npos) << out;
    EXPECT_NE(out.find("TLS Web Server Authentication, TLS Web Client Authentication"),
              std::string::npos);
    EXPECT_NE(out.find(kEntityIdExtensionOid), std::string::npos) << out;
    // The entity OID extension value is DER OBJECT IDENTIFIER 1.3.6.1.4.1.99999.3.
    std::tie(rc, out) = Shell("openssl asn1parse -in " + leaf +
                              " | grep -A1 ':" + std::string(kEntityIdExtensionOid) + "'");
    EXPECT_NE(out.find("[HEX DUMP]:06092B06010401868D1F03"), std::string::npos) << out;
    // Not chained: verifying the leaf against itself fails.
    std::tie(rc, out) = Shell("openssl verify -CAfile " + leaf + " " + leaf);
    EXPECT_NE(rc, 0) << out;
  }
}

}  // namespace
}  // namespace m2mrsp::crypto
