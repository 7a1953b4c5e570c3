// Mutual TLS (ES web services) and TLS 1.2 PSK (SCP81) on 127.0.0.1, port 0, with certificates
// made at test time by the openssl command line (test_pki.h), plus `openssl s_client` as an
// independent PSK client. Skipped (not passed) when the openssl binary is absent.
#include "net/tls.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "net/http_client.h"
#include "net/http_server.h"
#include "test_pki.h"

namespace m2mrsp::net {
namespace {

using testing::TestPki;

const Entity kSmdp{"1.3.6.1.4.1.99999.1", "SM-DP", "smdp1"};
const Entity kSmsr{"1.3.6.1.4.1.99999.2", "SM-SR", "smsr1"};

// SCP81 PSK identity in the Njiwa form (security-wire digest §5.5): ASCII hex of
// 80 01 02 | 81 10 <EID> | 4F 10 <ISD-R AID> | 82 01 <key id> | 83 01 <KVN>, with the SGP.26 test
// EID, the ISD-R AID of SGP.02 Annex H, key id 01 and KVN 40.
constexpr const char* kPskIdentity =
    "800102"
    "811089049032123451234512345678901235"
    "4F10A0000005591010FFFFFFFF8900000100"
    "820101"
    "830140";
constexpr const char* kPskHex = "000102030405060708090A0B0C0D0E0F";

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (testing::OpensslCliAvailable()) pki_ = new TestPki();
  }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }
  void SetUp() override {
    if (pki_ == nullptr) GTEST_SKIP() << "openssl command line not installed";
    ASSERT_TRUE(pki_->ok()) << "openssl could not make the test PKI";
  }

  std::shared_ptr<InMemoryEntityDirectory> Directory() {
    auto dir = std::make_shared<InMemoryEntityDirectory>();
    dir->AddFingerprint(pki_->Fingerprint("client1"), kSmdp);
    dir->AddFingerprint(pki_->Fingerprint("server"), kSmsr);
    return dir;
  }

  std::unique_ptr<HttpServer> StartMutual(const std::string& cert, Handler handler) {
    MutualTlsServerConfig c;
    c.certificate_chain_pem = pki_->Cert(cert);
    c.private_key_pem = pki_->Key(cert);
    c.trust_store_pem = pki_->Cert("ca");
    c.directory = Directory();
    auto tls = MakeMutualTlsServer(c);
    EXPECT_TRUE(tls.ok()) << tls.status().ToString();
    if (!tls.ok()) return nullptr;
    HttpServerOptions o;
    o.tls = *tls;
    auto server = HttpServer::Start(o, std::move(handler));
    EXPECT_TRUE(server.ok()) << server.status().ToString();
    return server.ok() ? std::move(*server) : nullptr;
  }

  // name empty: no client certificate.
  std::shared_ptr<const ClientTls> MutualClient(const std::string& name) {
    MutualTlsClientConfig c;
    if (!name.empty()) {
      c.certificate_chain_pem = pki_->Cert(name);
      c.private_key_pem = pki_->Key(name);
    }
    c.trust_store_pem = pki_->Cert("ca");
    c.directory = Directory();
    auto tls = MakeMutualTlsClient(c);
    EXPECT_TRUE(tls.ok()) << tls.status().ToString();
    return tls.ok() ? *tls : nullptr;
  }

  static TestPki* pki_;
};

TestPki* TlsTest::pki_ = nullptr;

HttpResponse Ok(const HttpRequestView&) { return HttpResponse{200, {}, "ok"}; }

TEST_F(TlsTest, MutualTlsPassesVerifiedIdentityToHandler) {
  std::mutex mu;
  PeerIdentity seen;
  auto server = StartMutual("server", SyncHandler([&](const HttpRequestView& v) {
                              std::lock_guard lock(mu);
                              seen = v.peer;
                              return HttpResponse{200, {}, v.request.body};
                            }));
  ASSERT_NE(server, nullptr);
  HttpClient client;
  for (const char* host : {"127.0.0.1", "localhost"}) {  // both are in the server's SAN
    SCOPED_TRACE(host);
    auto r = client.Send(Endpoint{host, server->port(), MutualClient("client1"), kSmsr.oid},
                         HttpRequest{"POST", "/es3", {}, "soap"});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->body, "soap");
  }
  std::lock_guard lock(mu);
  EXPECT_EQ(seen.kind, PeerIdentity::Kind::kCertificate);
  ASSERT_TRUE(seen.entity.has_value());
  EXPECT_EQ(*seen.entity, kSmdp);
  // Our fingerprint and subject equal what the openssl command line prints.
  EXPECT_EQ(seen.certificate_sha256, pki_->Fingerprint("client1"));
  EXPECT_EQ(seen.certificate_subject, pki_->Subject("client1"));
  EXPECT_EQ(seen.certificate_subject, "O=m2mrsp test,CN=client1");
}

TEST_F(TlsTest, MutualTlsKeepsConnectionAlive) {
  auto server = StartMutual("server", SyncHandler(Ok));
  HttpClient client;
  const Endpoint ep{"127.0.0.1", server->port(), MutualClient("client1"), ""};
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.Send(ep, {}).ok());
  EXPECT_EQ(client.connections_opened(), 1u);
}

TEST_F(TlsTest, DirectoryMatchesTheCertificateNotItsSubject) {
  // A certificate with a registered entity's subject but another key (e.g. issued by an EUM,
  // itself a CA under the CI) must not be taken for that entity.
  InMemoryEntityDirectory dir;
  dir.AddFingerprint(Bytes(32, 0x11), kSmdp);
  EXPECT_EQ(dir.Lookup(CertificateInfo{Bytes(32, 0x11), "O=m2mrsp test,CN=client1"}), kSmdp);
  EXPECT_EQ(dir.Lookup(CertificateInfo{Bytes(32, 0x22), "O=m2mrsp test,CN=client1"}), std::nullopt);
}

class HandlerSpy {
 public:
  Handler handler() {
    return SyncHandler([this](const HttpRequestView& v) {
      ++calls;
      return Ok(v);
    });
  }
  std::atomic<int> calls{0};
};

TEST_F(TlsTest, MissingClientCertificateIsRefused) {
  HandlerSpy spy;
  auto server = StartMutual("server", spy.handler());
  HttpClient client;
  auto r = client.Send(Endpoint{"127.0.0.1", server->port(), MutualClient(""), ""}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kSecurity) << r.status().ToString();
  EXPECT_EQ(spy.calls, 0);
}

TEST_F(TlsTest, UntrustedClientCertificateIsRefused) {
  HandlerSpy spy;
  auto server = StartMutual("server", spy.handler());
  HttpClient client;
  // Same subject as client1, issued by another CA.
  auto r = client.Send(Endpoint{"127.0.0.1", server->port(), MutualClient("rogue_client"), ""}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kSecurity) << r.status().ToString();
  EXPECT_EQ(spy.calls, 0);
}

TEST_F(TlsTest, TrustedButUnknownClientGets403) {
  HandlerSpy spy;
  auto server = StartMutual("server", spy.handler());
  HttpClient client;
  auto r = client.Send(Endpoint{"127.0.0.1", server->port(), MutualClient("client2"), ""}, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(spy.calls, 0);
}

TEST_F(TlsTest, ClientRefusesServerWithUntrustedCertificate) {
  HandlerSpy spy;
  auto server = StartMutual("rogue_server", spy.handler());
  HttpClient client;
  auto r = client.Send(Endpoint{"127.0.0.1", server->port(), MutualClient("client1"), ""}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kSecurity) << r.status().ToString();
  EXPECT_EQ(spy.calls, 0);
}

TEST_F(TlsTest, ClientRefusesServerThatIsNotTheExpectedEntity) {
  HandlerSpy spy;
  auto server = StartMutual("server", spy.handler());  // maps to kSmsr
  HttpClient client;
  auto r =
      client.Send(Endpoint{"127.0.0.1", server->port(), MutualClient("client1"), kSmdp.oid}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kSecurity) << r.status().ToString();
  EXPECT_EQ(spy.calls, 0);
}

// openssl s_client as an independent ES client: with client1's certificate it gets an answer
// (and the handler sees client1's entity); without a certificate it gets nothing.
TEST_F(TlsTest, OpensslClientWithCertificateCompletesExchange) {
  std::atomic<int> calls{0};
  std::mutex mu;
  std::optional<Entity> seen;
  auto server = StartMutual("server", SyncHandler([&](const HttpRequestView& v) {
                              ++calls;
                              std::lock_guard lock(mu);
                              seen = v.peer.entity;
                              return HttpResponse{200, {}, "es ok"};
                            }));
  std::ofstream(pki_->Path("req")) << "POST /es2 HTTP/1.1\r\nHost: localhost\r\n"
                                      "Content-Length: 0\r\nConnection: close\r\n\r\n";
  const std::string base =
      "timeout 10 openssl s_client -connect 127.0.0.1:" + std::to_string(server->port()) +
      " -CAfile " + pki_->Path("ca.pem") + " -verify_return_error -brief -ign_eof";
  const std::string with_cert =
      testing::RunCommand(base + " -cert " + pki_->Path("client1.pem") + " -key " +
                          pki_->Path("client1.key") + " <" + pki_->Path("req") + " 2>/dev/null");
  EXPECT_EQ(with_cert.rfind("HTTP/1.1 200", 0), 0u) << with_cert;
  EXPECT_NE(with_cert.find("es ok"), std::string::npos);
  const std::string without = testing::RunCommand(base + " <" + pki_->Path("req") + " 2>/dev/null");
  EXPECT_EQ(without.find("HTTP/1.1"), std::string::npos) << without;
  EXPECT_EQ(calls, 1);
  std::lock_guard lock(mu);
  EXPECT_EQ(seen, kSmdp);
}

TEST_F(TlsTest, BadConfigurationsAreErrors) {
  MutualTlsServerConfig c;
  c.certificate_chain_pem = pki_->Cert("server");
  c.private_key_pem = pki_->Key("client1");  // not the server's key
  c.trust_store_pem = pki_->Cert("ca");
  c.directory = Directory();
  EXPECT_EQ(MakeMutualTlsServer(c).status().kind(), ErrorKind::kSecurity);
  c.private_key_pem = SecretBytes(AsBytes("not a key"));
  EXPECT_FALSE(MakeMutualTlsServer(c).ok());
  c.directory = nullptr;
  EXPECT_EQ(MakeMutualTlsServer(c).status().kind(), ErrorKind::kInvalidArgument);
  PskServerConfig p;
  p.lookup = [](std::string_view) { return std::optional<SecretBytes>(); };
  p.cipher_list = "NO-SUCH-CIPHER";
  EXPECT_EQ(MakePskServer(std::move(p)).status().kind(), ErrorKind::kInvalidArgument);
}

// --- SCP81 PSK-TLS ---

class PskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PskServerConfig c;
    c.lookup = [this](std::string_view identity) -> std::optional<SecretBytes> {
      ++lookups_;
      if (identity != kPskIdentity) return std::nullopt;
      auto key = SecretBytes::FromHex(kPskHex);
      return key.ok() ? std::optional<SecretBytes>(std::move(*key)) : std::nullopt;
    };
    auto tls = MakePskServer(std::move(c));
    ASSERT_TRUE(tls.ok()) << tls.status().ToString();
    HttpServerOptions o;
    o.tls = *tls;
    auto server = HttpServer::Start(
        o, SyncHandler([this](const HttpRequestView& v) {
          ++calls_;
          std::lock_guard lock(mu_);
          identity_ = v.peer.psk_identity;
          kind_ = v.peer.kind;
          return HttpResponse{
              200, {{"X-Admin-Protocol", "globalplatform-remote-admin/1.0"}}, "scp81 ok"};
        }));
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
  }

  std::shared_ptr<const ClientTls> PskClient(std::string identity, std::string_view key_hex) {
    PskClientConfig c;
    c.identity = std::move(identity);
    auto key = SecretBytes::FromHex(key_hex);
    EXPECT_TRUE(key.ok());
    c.psk = std::move(*key);
    auto tls = MakePskClient(std::move(c));
    EXPECT_TRUE(tls.ok()) << tls.status().ToString();
    return tls.ok() ? *tls : nullptr;
  }

  std::atomic<int> lookups_{0};
  std::atomic<int> calls_{0};
  std::mutex mu_;
  std::string identity_;
  PeerIdentity::Kind kind_ = PeerIdentity::Kind::kNone;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(PskTest, OurClientAndServerCompleteAnAdminExchange) {
  HttpClient client;
  const Endpoint ep{"127.0.0.1", server_->port(), PskClient(kPskIdentity, kPskHex), ""};
  for (int i = 0; i < 2; ++i) {
    auto r = client.Send(ep, HttpRequest{"POST", "/smsr/ram", {}, ""});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->body, "scp81 ok");
  }
  EXPECT_EQ(client.connections_opened(), 1u);
  std::lock_guard lock(mu_);
  EXPECT_EQ(kind_, PeerIdentity::Kind::kPsk);
  EXPECT_EQ(identity_, kPskIdentity);
}

TEST_F(PskTest, WrongPskIsRefused) {
  HttpClient client;
  auto r = client.Send(Endpoint{"127.0.0.1", server_->port(),
                                PskClient(kPskIdentity, "FF0102030405060708090A0B0C0D0E0F"), ""},
                       {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kSecurity) << r.status().ToString();
  EXPECT_EQ(calls_, 0);
}

TEST_F(PskTest, UnknownIdentityIsRefused) {
  HttpClient client;
  auto r =
      client.Send(Endpoint{"127.0.0.1", server_->port(), PskClient("8001FF", kPskHex), ""}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kSecurity) << r.status().ToString();
  EXPECT_EQ(calls_, 0);
  EXPECT_GE(lookups_, 1);
}

// openssl s_client as the independent device-side client.
class PskOpensslTest : public PskTest {
 protected:
  void SetUp() override {
    if (!testing::OpensslCliAvailable()) GTEST_SKIP() << "openssl command line not installed";
    PskTest::SetUp();
    char tmpl[] = "/tmp/m2mrsp-net-psk-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::ofstream(dir_ + "/req") << "POST /smsr/ram HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    "X-Admin-Protocol: globalplatform-remote-admin/1.0\r\n"
                                    "Content-Length: 0\r\nConnection: close\r\n\r\n";
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  // Returns s_client's stdout (the HTTP response); stderr (handshake summary) goes to *summary.
  std::string SClient(const std::string& version, const std::string& cipher,
                      const std::string& key_hex, std::string* summary) {
    const std::string cmd =
        "timeout 10 openssl s_client -connect 127.0.0.1:" + std::to_string(server_->port()) + " " +
        version + " -cipher " + cipher + " -psk " + key_hex + " -psk_identity " + kPskIdentity +
        " -brief -ign_eof <" + dir_ + "/req 2>" + dir_ + "/err";
    std::string out = testing::RunCommand(cmd);
    if (summary) *summary = testing::Slurp(dir_ + "/err");
    return out;
  }
  std::string dir_;
};

TEST_F(PskOpensslTest, OpensslClientCompletesHandshakeAndHttpExchange) {
  for (const char* cipher : {"PSK-AES128-CBC-SHA256", "PSK-AES128-GCM-SHA256"}) {
    SCOPED_TRACE(cipher);
    std::string summary;
    const std::string out = SClient("-tls1_2", cipher, kPskHex, &summary);
    EXPECT_NE(summary.find(std::string("Ciphersuite: ") + cipher), std::string::npos) << summary;
    EXPECT_EQ(out.rfind("HTTP/1.1 200", 0), 0u) << out << summary;
    EXPECT_NE(out.find("X-Admin-Protocol: globalplatform-remote-admin/1.0"), std::string::npos);
    EXPECT_NE(out.find("scp81 ok"), std::string::npos);
  }
  EXPECT_EQ(calls_, 2);
  std::lock_guard lock(mu_);
  EXPECT_EQ(identity_, kPskIdentity);
}

TEST_F(PskOpensslTest, OpensslClientWithWrongPskIsRefused) {
  std::string summary;
  const std::string out =
      SClient("-tls1_2", "PSK-AES128-CBC-SHA256", "FF0102030405060708090A0B0C0D0E0F", &summary);
  EXPECT_EQ(out.find("HTTP/1.1"), std::string::npos) << out;
  EXPECT_EQ(calls_, 0);
}

TEST_F(PskOpensslTest, NonScp81CipherIsRefused) {
  std::string summary;
  const std::string out = SClient("-tls1_2", "PSK-AES256-CBC-SHA384", kPskHex, &summary);
  EXPECT_EQ(out.find("HTTP/1.1"), std::string::npos) << out;
  EXPECT_EQ(calls_, 0);
}

TEST_F(PskOpensslTest, Tls13IsRefused) {
  std::string summary;
  const std::string out = SClient("-tls1_3", "PSK-AES128-CBC-SHA256", kPskHex, &summary);
  EXPECT_EQ(out.find("HTTP/1.1"), std::string::npos) << out;
  EXPECT_EQ(calls_, 0);
}

}  // namespace
}  // namespace m2mrsp::net
