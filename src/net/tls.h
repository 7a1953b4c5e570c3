// TLS configurations for the HTTP server and client: mutual X.509 TLS for the ES web services
// (SGP.02 Annex B) and TLS 1.2 PSK for the SCP81 admin sessions (GP Amd B, SGP.02 §2.4.4 / ES5).
//
// A ServerTls / ClientTls is an immutable, shareable TLS context built once from a config (the
// OpenSSL SSL_CTX lives inside; nothing OpenSSL leaks into this header) and used by any number of
// connections and threads. Certificates and trust stores are passed as PEM text; private keys and
// pre-shared keys as SecretBytes (wiped after use, never logged). Errors name what failed to load,
// never the secret. The PSK lookup callback runs on a server I/O thread during the handshake and
// must be thread-safe and quick.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/secret.h"
#include "base/status.h"
#include "net/entity_directory.h"

namespace m2mrsp::net {

// SCP81 cipher suites, TLS 1.2 only (security-wire digest §5.5; GP Amd B §2.3 via Njiwa/WHTY):
// TLS_PSK_WITH_AES_128_GCM_SHA256 (0x00A8) and TLS_PSK_WITH_AES_128_CBC_SHA256 (0x00AE).
inline constexpr std::string_view kScp81CipherList = "PSK-AES128-GCM-SHA256:PSK-AES128-CBC-SHA256";

// ECDHE with AEAD only for TLS 1.2; TLS 1.3 keeps OpenSSL's default (all AEAD) suites.
inline constexpr std::string_view kMutualTlsCipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

struct MutualTlsServerConfig {
  std::string certificate_chain_pem;  // leaf first, then intermediates
  SecretBytes private_key_pem;
  std::string trust_store_pem;  // CA certificates the client certificates must chain to
  // Maps verified client certificates to entities. REQUIRED (a server that cannot say who the
  // requester is must not serve ES functions).
  std::shared_ptr<const EntityDirectory> directory;
};

struct MutualTlsClientConfig {
  // Both empty: no client certificate (server authentication only; an ES server refuses it).
  std::string certificate_chain_pem;
  SecretBytes private_key_pem;
  std::string trust_store_pem;  // CA certificates the server certificate must chain to
  // Optional: when set, an Endpoint with expected_entity_oid is checked against it.
  std::shared_ptr<const EntityDirectory> directory;
};

// Returns the PSK for a client's identity, or nullopt for an unknown identity (the handshake
// then fails with an alert). The identity is untrusted input.
using PskLookup = std::function<std::optional<SecretBytes>(std::string_view identity)>;

struct PskServerConfig {
  PskLookup lookup;
  std::string cipher_list = std::string(kScp81CipherList);
};

struct PskClientConfig {
  std::string identity;  // SCP81: ASCII-hex of the ISD-R key identification TLVs (digest §5.5)
  SecretBytes psk;
  std::string cipher_list = std::string(kScp81CipherList);
};

class ServerTls;  // defined in net/tls_internal.h
class ClientTls;

Result<std::shared_ptr<const ServerTls>> MakeMutualTlsServer(const MutualTlsServerConfig& config);
Result<std::shared_ptr<const ServerTls>> MakePskServer(PskServerConfig config);
Result<std::shared_ptr<const ClientTls>> MakeMutualTlsClient(const MutualTlsClientConfig& config);
Result<std::shared_ptr<const ClientTls>> MakePskClient(PskClientConfig config);

}  // namespace m2mrsp::net
