#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <cstring>
#include <exception>

#include "crypto/hash.h"
#include "net/tls_internal.h"

namespace m2mrsp::net {
namespace {

namespace ssl = boost::asio::ssl;
using boost::asio::buffer;
using boost::system::error_code;

// Session id context: required by OpenSSL when the server verifies client certificates and a
// TLS 1.2 session is resumed (the resumed session carries the verified peer).
constexpr unsigned char kSessionIdContext[] = "m2mrsp-net";

// Our own ex_data slot on SSL_CTX: asio keeps its verify/password callbacks in the app-data slot
// (index 0), so the PSK callbacks find their ServerTls/ClientTls here.
int ContextIndex() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

Status LoadError(std::string_view what, const error_code& ec) {
  return SecurityError(std::string("TLS: cannot load ") + std::string(what) + ": " + ec.message());
}

// TLS 1.2 or newer, no compression, no renegotiation (DESIGN.md §6: TLS 1.2+ only).
Status CommonSetup(ssl::context& ctx, bool tls12_only, std::string_view ciphers) {
  SSL_CTX* h = ctx.native_handle();
  SSL_CTX_set_options(
      h, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_min_proto_version(h, TLS1_2_VERSION) != 1 ||
      (tls12_only && SSL_CTX_set_max_proto_version(h, TLS1_2_VERSION) != 1)) {
    return InternalError("TLS: cannot restrict protocol versions");
  }
  const std::string list(ciphers);
  if (SSL_CTX_set_cipher_list(h, list.c_str()) != 1) {
    ERR_clear_error();
    return InvalidArgument("TLS: no usable cipher in list '" + list + "'");
  }
  return Status::Ok();
}

Status LoadIdentityAndTrust(ssl::context& ctx, const std::string& chain, const SecretBytes& key,
                            const std::string& trust) {
  error_code ec;
  if (!chain.empty() || !key.empty()) {
    ctx.use_certificate_chain(buffer(chain), ec);
    if (ec) return LoadError("certificate chain", ec);
    ctx.use_private_key(buffer(key.view().data(), key.size()), ssl::context::pem, ec);
    if (ec) return LoadError("private key", ec);  // never echo the key
    if (SSL_CTX_check_private_key(ctx.native_handle()) != 1) {
      ERR_clear_error();
      return SecurityError("TLS: private key does not match the certificate");
    }
  }
  if (trust.empty()) return InvalidArgument("TLS: empty trust store");
  ctx.add_certificate_authority(buffer(trust), ec);
  if (ec) return LoadError("trust store", ec);
  return Status::Ok();
}

// OpenSSL callbacks are C: nothing may propagate out of them.
unsigned int PskServerCallback(SSL* ssl, const char* identity, unsigned char* psk,
                               unsigned int max_psk_len) noexcept {
  try {
    const auto* tls =
        static_cast<const ServerTls*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), ContextIndex()));
    if (tls == nullptr || identity == nullptr || !tls->psk_lookup) return 0;
    // RFC 4279 §5.3 allows identities up to 2^16-1 bytes; OpenSSL caps them at
    // PSK_MAX_IDENTITY_LEN (256) before we are called.
    std::optional<SecretBytes> key = tls->psk_lookup(std::string_view(identity));
    if (!key || key->empty() || key->size() > max_psk_len) return 0;  // → handshake failure
    std::memcpy(psk, key->view().data(), key->size());
    return static_cast<unsigned int>(key->size());
  } catch (...) {
    return 0;
  }
}

unsigned int PskClientCallback(SSL* ssl, const char* /*hint*/, char* identity,
                               unsigned int max_identity_len, unsigned char* psk,
                               unsigned int max_psk_len) noexcept {
  const auto* tls =
      static_cast<const ClientTls*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), ContextIndex()));
  if (tls == nullptr) return 0;
  const std::string& id = tls->psk_identity;
  if (id.size() + 1 > max_identity_len || tls->psk.empty() || tls->psk.size() > max_psk_len) {
    return 0;
  }
  std::memcpy(identity, id.c_str(), id.size() + 1);
  std::memcpy(psk, tls->psk.view().data(), tls->psk.size());
  return static_cast<unsigned int>(tls->psk.size());
}

Result<CertificateInfo> PeerCertificate(SSL* ssl) {
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (cert == nullptr) return SecurityError("TLS: peer sent no certificate");
  unsigned char* der = nullptr;
  const int len = i2d_X509(cert, &der);
  if (len <= 0) return InternalError("TLS: cannot encode peer certificate");
  auto digest = crypto::Sha256(ByteView(der, static_cast<size_t>(len)));
  OPENSSL_free(der);
  if (!digest.ok()) return digest.status();
  CertificateInfo info;
  info.sha256 = std::move(*digest);
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr) return InternalError("TLS: out of memory");
  X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
  char* text = nullptr;
  const long n = BIO_get_mem_data(bio, &text);
  if (n > 0) info.subject.assign(text, static_cast<size_t>(n));
  BIO_free(bio);
  return info;
}

template <typename Tls>
Result<std::shared_ptr<const Tls>> Build(TlsKind kind, ssl::context::method method,
                                         const std::function<Status(Tls&)>& configure) {
  try {
    auto tls = std::make_shared<Tls>(kind, ssl::context(method));
    M2_RETURN_IF_ERROR(configure(*tls));
    return std::shared_ptr<const Tls>(std::move(tls));
  } catch (const std::exception& e) {  // asio throws only if SSL_CTX_new fails
    return InternalError(std::string("TLS: cannot create context: ") + e.what());
  }
}

}  // namespace

Result<std::shared_ptr<const ServerTls>> MakeMutualTlsServer(const MutualTlsServerConfig& config) {
  if (!config.directory) return InvalidArgument("mutual TLS server needs an entity directory");
  if (config.certificate_chain_pem.empty())
    return InvalidArgument("TLS server needs a certificate");
  return Build<ServerTls>(TlsKind::kMutual, ssl::context::tls_server, [&](ServerTls& tls) {
    ssl::context& ctx = tls.context();
    M2_RETURN_IF_ERROR(CommonSetup(ctx, false, kMutualTlsCipherList));
    M2_RETURN_IF_ERROR(LoadIdentityAndTrust(ctx, config.certificate_chain_pem,
                                            config.private_key_pem, config.trust_store_pem));
    // SGP.02 Annex B: the requester is authenticated by its TLS client certificate. No
    // certificate or one that does not chain to the trust store → the handshake fails.
    ctx.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    SSL_CTX_set_verify_depth(ctx.native_handle(), 4);
    SSL_CTX_set_session_id_context(ctx.native_handle(), kSessionIdContext,
                                   sizeof(kSessionIdContext) - 1);
    tls.directory = config.directory;
    return Status::Ok();
  });
}

Result<std::shared_ptr<const ServerTls>> MakePskServer(PskServerConfig config) {
  if (!config.lookup) return InvalidArgument("PSK server needs a PSK lookup");
  return Build<ServerTls>(TlsKind::kPsk, ssl::context::tls_server, [&](ServerTls& tls) {
    ssl::context& ctx = tls.context();
    // SCP81: TLS 1.2 PSK key exchange only (digest §5.5); no certificates involved.
    M2_RETURN_IF_ERROR(CommonSetup(ctx, true, config.cipher_list));
    tls.psk_lookup = std::move(config.lookup);
    if (ContextIndex() < 0 || SSL_CTX_set_ex_data(ctx.native_handle(), ContextIndex(), &tls) != 1) {
      return InternalError("TLS: cannot attach PSK context");
    }
    SSL_CTX_set_psk_server_callback(ctx.native_handle(), &PskServerCallback);
    return Status::Ok();
  });
}

Result<std::shared_ptr<const ClientTls>> MakeMutualTlsClient(const MutualTlsClientConfig& config) {
  return Build<ClientTls>(TlsKind::kMutual, ssl::context::tls_client, [&](ClientTls& tls) {
    ssl::context& ctx = tls.context();
    M2_RETURN_IF_ERROR(CommonSetup(ctx, false, kMutualTlsCipherList));
    M2_RETURN_IF_ERROR(LoadIdentityAndTrust(ctx, config.certificate_chain_pem,
                                            config.private_key_pem, config.trust_store_pem));
    ctx.set_verify_mode(ssl::verify_peer);
    SSL_CTX_set_verify_depth(ctx.native_handle(), 4);
    tls.directory = config.directory;
    return Status::Ok();
  });
}

Result<std::shared_ptr<const ClientTls>> MakePskClient(PskClientConfig config) {
  if (config.identity.empty() || config.psk.empty()) {
    return InvalidArgument("PSK client needs an identity and a key");
  }
  return Build<ClientTls>(TlsKind::kPsk, ssl::context::tls_client, [&](ClientTls& tls) {
    ssl::context& ctx = tls.context();
    M2_RETURN_IF_ERROR(CommonSetup(ctx, true, config.cipher_list));
    tls.psk_identity = std::move(config.identity);
    tls.psk = std::move(config.psk);
    if (ContextIndex() < 0 || SSL_CTX_set_ex_data(ctx.native_handle(), ContextIndex(), &tls) != 1) {
      return InternalError("TLS: cannot attach PSK context");
    }
    SSL_CTX_set_psk_client_callback(ctx.native_handle(), &PskClientCallback);
    return Status::Ok();
  });
}

Status PrepareClientSsl(SSL* ssl, const ClientTls& tls, const std::string& host) {
  if (tls.kind() != TlsKind::kMutual) return Status::Ok();
  error_code ec;
  (void)boost::asio::ip::make_address(host, ec);
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  // RFC 6125 / RFC 2818: the server certificate must name the host we dialled.
  if (!ec) {
    if (X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) != 1) {
      return InvalidArgument("TLS: bad IP address " + host);
    }
  } else {
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (SSL_set1_host(ssl, host.c_str()) != 1 || SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) {
      return InvalidArgument("TLS: bad host name " + host);
    }
  }
  return Status::Ok();
}

PeerIdentity ServerPeerIdentity(SSL* ssl, const ServerTls& tls) {
  PeerIdentity peer;
  if (tls.kind() == TlsKind::kPsk) {
    peer.kind = PeerIdentity::Kind::kPsk;
    const char* id = SSL_get_psk_identity(ssl);
    if (id != nullptr) peer.psk_identity = id;
    return peer;
  }
  auto cert = PeerCertificate(ssl);
  if (!cert.ok() || SSL_get_verify_result(ssl) != X509_V_OK) return peer;  // kNone: refused
  peer.kind = PeerIdentity::Kind::kCertificate;
  peer.entity = tls.directory->Lookup(*cert);
  peer.certificate_sha256 = std::move(cert->sha256);
  peer.certificate_subject = std::move(cert->subject);
  return peer;
}

Status CheckServerEntity(SSL* ssl, const ClientTls& tls, const std::string& expected_oid) {
  if (tls.kind() != TlsKind::kMutual || expected_oid.empty()) return Status::Ok();
  if (!tls.directory) return InvalidArgument("TLS: expected entity given but no directory");
  M2_ASSIGN_OR_RETURN(CertificateInfo cert, PeerCertificate(ssl));
  const auto entity = tls.directory->Lookup(cert);
  if (!entity || entity->oid != expected_oid) {
    return SecurityError("TLS: server certificate is not entity " + expected_oid);
  }
  return Status::Ok();
}

}  // namespace m2mrsp::net
