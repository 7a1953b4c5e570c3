// Internal to src/net: the OpenSSL-backed TLS contexts behind ServerTls/ClientTls and the
// per-connection steps the HTTP code runs around a handshake. Includes Boost.Asio SSL (hence
// OpenSSL headers): only net's .cc files include it. Contexts are immutable after construction,
// so sharing them between I/O threads is safe (OpenSSL SSL_CTX is thread-safe for SSL_new).
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string_view>

#include "base/status.h"
#include "net/http.h"
#include "net/tls.h"

namespace m2mrsp::net {

enum class TlsKind { kMutual, kPsk };

class ServerTls {
 public:
  ServerTls(TlsKind kind, boost::asio::ssl::context ctx) : kind_(kind), ctx_(std::move(ctx)) {}
  TlsKind kind() const { return kind_; }
  // asio wants a mutable context to create streams; creating an SSL from it does not mutate the
  // configuration.
  boost::asio::ssl::context& context() const { return ctx_; }

  std::shared_ptr<const EntityDirectory> directory;  // kMutual
  PskLookup psk_lookup;                              // kPsk

 private:
  TlsKind kind_;
  mutable boost::asio::ssl::context ctx_;
};

class ClientTls {
 public:
  ClientTls(TlsKind kind, boost::asio::ssl::context ctx) : kind_(kind), ctx_(std::move(ctx)) {}
  TlsKind kind() const { return kind_; }
  boost::asio::ssl::context& context() const { return ctx_; }

  std::shared_ptr<const EntityDirectory> directory;  // kMutual, optional
  std::string psk_identity;                          // kPsk
  SecretBytes psk;                                   // kPsk

 private:
  TlsKind kind_;
  mutable boost::asio::ssl::context ctx_;
};

// Before the client handshake: SNI and RFC 6125 host (or IP) verification of the server
// certificate (kMutual only).
Status PrepareClientSsl(SSL* ssl, const ClientTls& tls, const std::string& host);

// After the server handshake: what the transport proved about the client. kMutual: the verified
// leaf certificate and the directory's entity for it (nullopt entity = trusted but unknown);
// kPsk: the identity whose key was found.
PeerIdentity ServerPeerIdentity(SSL* ssl, const ServerTls& tls);

// After the client handshake (kMutual): when expected_oid is not empty, the server certificate
// must map to that entity in the client's directory.
Status CheckServerEntity(SSL* ssl, const ClientTls& tls, const std::string& expected_oid);

}  // namespace m2mrsp::net
