// Test helper: an in-process mutual-TLS world for the binding tests. A CA and leaf certificates
// made with crypto::X509Certificate (each leaf: serverAuth + clientAuth, DNS "localhost", the
// entityId extension), an EntityDirectory of the listed entities, one certificate the CA issued
// but the directory does not list, and a rogue CA with its own leaf. Also the helpers to start
// an EsServer for a party and to make an EsClient for it. Header-only (the test glob takes
// *_test.cc only).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "binding/es_client.h"
#include "binding/es_server.h"
#include "crypto/hash.h"
#include "crypto/x509.h"
#include "net/entity_directory.h"

namespace m2mrsp::binding::testing {

inline const net::Entity kSmsr{"1.3.6.1.4.1.99999.4", "SM-SR", "smsr"};
inline const net::Entity kSmdp{"1.3.6.1.4.1.99999.3", "SM-DP", "smdp"};
inline const net::Entity kMno{"1.3.6.1.4.1.99999.5", "MNO", "mno-a"};
inline const net::Entity kUnlisted{"1.3.6.1.4.1.99999.8", "SM-DP", "unlisted"};
inline const net::Entity kRogue{"1.3.6.1.4.1.99999.3", "SM-DP", "rogue"};  // claims SM-DP's OID

struct Party {
  std::string cert_pem;
  std::string key_pem;  // test keys only
  Bytes fingerprint;
};

// Waits on a condition with a generous timeout (never a sleep-as-sync).
class Waiter {
 public:
  void Notify(const std::function<void()>& change = {}) {
    {
      std::lock_guard lock(mu_);
      if (change) change();
    }
    cv_.notify_all();
  }
  bool WaitFor(const std::function<bool()>& ready,
               std::chrono::seconds timeout = std::chrono::seconds(30)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, ready);
  }
  std::mutex& mu() { return mu_; }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
};

class World {
 public:
  World() {
    ca_key_ = Must(crypto::EcPrivateKey::Generate(crypto::Curve::kNistP256));
    ca_ = MakeCa(*ca_key_, "binding test CA");
    rogue_key_ = Must(crypto::EcPrivateKey::Generate(crypto::Curve::kNistP256));
    rogue_ca_ = MakeCa(*rogue_key_, "rogue CA");
    for (const net::Entity& e : {kSmsr, kSmdp, kMno, kUnlisted}) {
      parties_[e.name] = Issue(e, *ca_key_, *ca_);
    }
    parties_[kRogue.name] = Issue(kRogue, *rogue_key_, *rogue_ca_);
    directory_ = std::make_shared<net::InMemoryEntityDirectory>();
    for (const net::Entity& e : {kSmsr, kSmdp, kMno}) {
      directory_->AddFingerprint(parties_[e.name].fingerprint, e);
    }
  }

  std::string CaPem() const { return *ca_->ToPem(); }

  std::shared_ptr<const net::ServerTls> ServerTls(const net::Entity& e) {
    net::MutualTlsServerConfig c;
    c.certificate_chain_pem = parties_[e.name].cert_pem;
    c.private_key_pem = SecretBytes(AsBytes(parties_[e.name].key_pem));
    c.trust_store_pem = CaPem();
    c.directory = directory_;
    return Must(net::MakeMutualTlsServer(c));
  }
  // name empty: no client certificate.
  std::shared_ptr<const net::ClientTls> ClientTls(const std::string& name) {
    net::MutualTlsClientConfig c;
    if (!name.empty()) {
      c.certificate_chain_pem = parties_[name].cert_pem;
      c.private_key_pem = SecretBytes(AsBytes(parties_[name].key_pem));
    }
    c.trust_store_pem = CaPem();
    c.directory = directory_;
    return Must(net::MakeMutualTlsClient(c));
  }

  EsServerOptions ServerOptions(const net::Entity& e) {
    EsServerOptions o;
    o.self = e;
    o.http.tls = ServerTls(e);
    o.public_host = "localhost";  // the name in the certificates
    o.delivery.tls = ClientTls(e.name);
    o.delivery.retry.initial_delay = std::chrono::milliseconds(20);
    return o;
  }
  EsClientOptions ClientOptions(const net::Entity& e, const std::string& callback_url,
                                std::shared_ptr<PendingCalls> pending) {
    EsClientOptions o;
    o.self = LocalEntity{e, callback_url};
    o.tls = ClientTls(e.name);
    o.pending = std::move(pending);
    return o;
  }

 private:
  template <typename T>
  static T Must(Result<T> r) {
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return std::move(*r);
  }
  static std::optional<crypto::X509Certificate> MakeCa(const crypto::EcPrivateKey& key,
                                                       const std::string& cn) {
    crypto::X509Request r;
    r.subject = {cn, "m2mrsp binding test", ""};
    r.not_before = std::chrono::system_clock::now() - std::chrono::hours(24);
    r.not_after = std::chrono::system_clock::now() + std::chrono::hours(24 * 30);
    r.ca = true;
    r.key_usage = crypto::kKuKeyCertSign | crypto::kKuCrlSign;
    return Must(crypto::X509Certificate::Create(r, key.PublicKey(), key, nullptr));
  }
  static Party Issue(const net::Entity& e, const crypto::EcPrivateKey& ca_key,
                     const crypto::X509Certificate& ca) {
    auto key = Must(crypto::EcPrivateKey::Generate(crypto::Curve::kNistP256));
    crypto::X509Request r;
    r.subject = {e.name, "m2mrsp binding test", ""};
    r.not_before = std::chrono::system_clock::now() - std::chrono::hours(24);
    r.not_after = std::chrono::system_clock::now() + std::chrono::hours(24 * 30);
    r.key_usage = crypto::kKuDigitalSignature;
    r.server_auth = true;
    r.client_auth = true;
    r.dns_names = {"localhost"};
    r.entity_oid = e.oid;
    auto cert = Must(crypto::X509Certificate::Create(r, key.PublicKey(), ca_key, &ca));
    Party p;
    p.cert_pem = Must(cert.ToPem());
    p.key_pem = Must(key.ExportPem());
    p.fingerprint = Must(crypto::Sha256(cert.der()));
    return p;
  }

  std::optional<crypto::EcPrivateKey> ca_key_, rogue_key_;
  std::optional<crypto::X509Certificate> ca_, rogue_ca_;
  std::map<std::string, Party> parties_;
  std::shared_ptr<net::InMemoryEntityDirectory> directory_;
};

}  // namespace m2mrsp::binding::testing
