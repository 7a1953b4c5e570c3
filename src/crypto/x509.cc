#include "crypto/x509.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <ctime>

#include "crypto/hash.h"
#include "crypto/ossl.h"

namespace m2mrsp::crypto {
namespace {

using internal::BioPtr;
using internal::BnPtr;
using internal::Deleter;
using internal::OpenSslError;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using NamePtr = std::unique_ptr<X509_NAME, Deleter<X509_NAME_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;
using ObjPtr = std::unique_ptr<ASN1_OBJECT, Deleter<ASN1_OBJECT_free>>;
using OctetPtr = std::unique_ptr<ASN1_OCTET_STRING, Deleter<ASN1_OCTET_STRING_free>>;
using IntegerPtr = std::unique_ptr<ASN1_INTEGER, Deleter<ASN1_INTEGER_free>>;
using NamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES_free>>;

Status Refused(std::string why) {
  ERR_clear_error();
  return ParseError(std::move(why));
}

// A dotted OID in numeric form only (no names, so configuration text cannot sneak in).
bool IsDottedOid(std::string_view s) {
  if (s.empty() || s.size() > 200 || s.front() == '.' || s.back() == '.') return false;
  size_t dots = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (s[i - 1] == '.') return false;
      ++dots;
    } else if (!std::isdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return dots >= 1;
}

bool IsDnsName(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') return false;
  }
  return true;
}

ObjPtr NumericObject(std::string_view dotted) {
  return ObjPtr(OBJ_txt2obj(std::string(dotted).c_str(), 1));
}

std::string ObjectText(const ASN1_OBJECT* obj) {
  char buf[256];
  int n = OBJ_obj2txt(buf, sizeof buf, obj, 1);
  if (n <= 0 || static_cast<size_t>(n) >= sizeof buf) return {};
  return std::string(buf, static_cast<size_t>(n));
}

std::string NameText(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) return {};
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return len > 0 ? std::string(data, static_cast<size_t>(len)) : std::string();
}

std::string NameEntry(const X509_NAME* name, int nid) {
  int idx = X509_NAME_get_index_by_NID(name, nid, -1);
  if (idx < 0) return {};
  const ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
  unsigned char* utf8 = nullptr;
  int len = ASN1_STRING_to_UTF8(&utf8, s);
  if (len < 0) return {};
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

Result<Clock::WallTime> TimeOf(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return Refused("X.509: bad validity time");
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

Bytes OctetBytes(const ASN1_OCTET_STRING* s) {
  if (s == nullptr) return {};
  const unsigned char* p = ASN1_STRING_get0_data(s);
  return Bytes(p, p + ASN1_STRING_length(s));
}

Status AddNameEntry(X509_NAME* name, const char* field, const std::string& value) {
  if (value.empty()) return Status::Ok();
  if (X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(value.data()),
                                 static_cast<int>(value.size()), -1, 0) != 1) {
    return InvalidArgument(std::string("X.509: bad name attribute ") + field);
  }
  return Status::Ok();
}

// An extension from OpenSSL's configuration syntax. Values are built by this file from
// validated inputs only.
Status AddConfExtension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) return OpenSslError("X.509 extension");
  return Status::Ok();
}

Status AddEntityOid(X509* cert, const std::string& entity_oid) {
  ObjPtr ext_oid = NumericObject(kEntityIdExtensionOid);
  ObjPtr entity = NumericObject(entity_oid);
  if (!ext_oid || !entity) return InvalidArgument("X.509: bad entity OID " + entity_oid);
  int len = i2d_ASN1_OBJECT(entity.get(), nullptr);
  if (len <= 0) return OpenSslError("X.509: entity OID encoding");
  Bytes der(static_cast<size_t>(len));
  unsigned char* p = der.data();
  i2d_ASN1_OBJECT(entity.get(), &p);
  OctetPtr value(ASN1_OCTET_STRING_new());
  if (!value || ASN1_OCTET_STRING_set(value.get(), der.data(), len) != 1) {
    return OpenSslError("X.509: entity OID value");
  }
  ExtPtr ext(X509_EXTENSION_create_by_OBJ(nullptr, ext_oid.get(), 0, value.get()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) return OpenSslError("X.509: entity OID");
  return Status::Ok();
}

Result<std::string> EntityOidOf(X509* cert) {
  ObjPtr ext_oid = NumericObject(kEntityIdExtensionOid);
  int idx = X509_get_ext_by_OBJ(cert, ext_oid.get(), -1);
  if (idx < 0) return std::string();
  if (X509_get_ext_by_OBJ(cert, ext_oid.get(), idx) >= 0) {
    return Refused("X.509: entity OID extension present twice");
  }
  const ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(X509_get_ext(cert, idx));
  const unsigned char* p = ASN1_STRING_get0_data(data);
  const long len = ASN1_STRING_length(data);
  ObjPtr obj(d2i_ASN1_OBJECT(nullptr, &p, len));
  if (!obj || p != ASN1_STRING_get0_data(data) + len) {
    return Refused("X.509: entity OID extension is not one OBJECT IDENTIFIER");
  }
  std::string text = ObjectText(obj.get());
  if (!IsDottedOid(text)) return Refused("X.509: entity OID extension unreadable");
  return text;
}

}  // namespace

Result<Bytes> KeyIdentifier(const EcPublicKey& key) {
  M2_ASSIGN_OR_RETURN(Bytes digest, Sha256(key.ToUncompressed()));
  digest.resize(20);
  return digest;
}

Result<X509Certificate> X509Certificate::FromHandle(std::shared_ptr<x509_st> x509) {
  X509* x = x509.get();
  // Decodes and caches the extensions; EXFLAG_INVALID marks malformed or duplicated ones.
  const uint32_t flags = X509_get_extension_flags(x);
  if ((flags & EXFLAG_INVALID) != 0) return Refused("X.509: invalid or duplicate extension");
  // RFC 5280 §4.2: a critical extension we do not process makes the certificate unusable.
  if ((flags & EXFLAG_CRITICAL) != 0) return Refused("X.509: unsupported critical extension");
  if (X509_get_version(x) != X509_VERSION_3) return Refused("X.509: not a version 3 certificate");

  X509Certificate c;
  int len = i2d_X509(x, nullptr);
  if (len <= 0) return OpenSslError("X.509 encoding");
  c.der_.resize(static_cast<size_t>(len));
  unsigned char* p = c.der_.data();
  i2d_X509(x, &p);

  c.subject_text_ = NameText(X509_get_subject_name(x));
  c.issuer_text_ = NameText(X509_get_issuer_name(x));
  c.subject_.common_name = NameEntry(X509_get_subject_name(x), NID_commonName);
  c.subject_.organization = NameEntry(X509_get_subject_name(x), NID_organizationName);
  c.subject_.country = NameEntry(X509_get_subject_name(x), NID_countryName);

  BnPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), nullptr));
  if (!serial) return Refused("X.509: bad serial number");
  c.serial_.resize(static_cast<size_t>(BN_num_bytes(serial.get())));
  BN_bn2bin(serial.get(), c.serial_.data());

  M2_ASSIGN_OR_RETURN(c.not_before_, TimeOf(X509_get0_notBefore(x)));
  M2_ASSIGN_OR_RETURN(c.not_after_, TimeOf(X509_get0_notAfter(x)));

  c.ca_ = (flags & EXFLAG_CA) != 0;
  if (c.ca_ && X509_get_pathlen(x) >= 0) c.path_len_ = static_cast<int>(X509_get_pathlen(x));
  if ((flags & EXFLAG_KUSAGE) != 0) c.key_usage_ = X509_get_key_usage(x);
  if ((flags & EXFLAG_XKUSAGE) != 0) {
    const uint32_t xku = X509_get_extended_key_usage(x);
    c.server_auth_ = (xku & XKU_SSL_SERVER) != 0;
    c.client_auth_ = (xku & XKU_SSL_CLIENT) != 0;
  }
  int crit = 0;
  NamesPtr sans(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x, NID_subject_alt_name, &crit, nullptr)));
  if (sans) {
    for (int i = 0; i < sk_GENERAL_NAME_num(sans.get()); ++i) {
      const GENERAL_NAME* gn = sk_GENERAL_NAME_value(sans.get(), i);
      if (gn->type != GEN_DNS) continue;
      const ASN1_IA5STRING* s = gn->d.dNSName;
      std::string name(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                       static_cast<size_t>(ASN1_STRING_length(s)));
      // A DNS name is printable ASCII (RFC 5280 §4.2.1.6); anything else is a malformed
      // certificate, not text to pass on to logs or JSON.
      for (char ch : name) {
        if (ch < 0x21 || ch > 0x7E)
          return Refused("X.509: subjectAltName dNSName is not printable ASCII");
      }
      c.dns_names_.push_back(std::move(name));
    }
  }
  c.ski_ = OctetBytes(X509_get0_subject_key_id(x));
  c.aki_ = OctetBytes(X509_get0_authority_key_id(x));
  M2_ASSIGN_OR_RETURN(c.entity_oid_, EntityOidOf(x));

  const X509_PUBKEY* spki = X509_get_X509_PUBKEY(x);
  unsigned char* spki_der = nullptr;
  int spki_len = i2d_X509_PUBKEY(spki, &spki_der);
  if (spki_len <= 0) return Refused("X.509: unreadable public key");
  Bytes key_der(spki_der, spki_der + spki_len);
  OPENSSL_free(spki_der);
  auto key = EcPublicKey::FromDer(key_der);
  if (!key.ok()) return key.status().WithContext("X.509 subject public key");
  c.public_key_ = std::move(key).value();
  c.x509_ = std::move(x509);
  ERR_clear_error();
  return c;
}

Result<X509Certificate> X509Certificate::FromDer(ByteView der) {
  if (der.empty() || der.size() > kMaxSize) return LimitExceeded("X.509: size out of range");
  const unsigned char* p = der.data();
  X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!x) return Refused("X.509: not a DER certificate");
  if (p != der.data() + der.size()) return Refused("X.509: trailing bytes after the certificate");
  // Re-encoding must give the input back: refuses BER leniencies OpenSSL tolerates.
  int len = i2d_X509(x.get(), nullptr);
  if (len != static_cast<int>(der.size())) return Refused("X.509: not DER");
  return FromHandle(std::shared_ptr<x509_st>(x.release(), Deleter<X509_free>()));
}

Result<X509Certificate> X509Certificate::FromPem(std::string_view pem) {
  if (pem.size() > 4 * kMaxSize) return LimitExceeded("X.509: PEM too large");
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return OpenSslError("BIO");
  X509Ptr x(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!x) return Refused("X.509: no PEM certificate");
  int len = i2d_X509(x.get(), nullptr);
  if (len <= 0) return Refused("X.509: unencodable certificate");
  Bytes der(static_cast<size_t>(len));
  unsigned char* p = der.data();
  i2d_X509(x.get(), &p);
  return FromDer(der);
}

Result<X509Certificate> X509Certificate::Parse(ByteView data) {
  size_t i = 0;
  while (i < data.size() && std::isspace(data[i])) ++i;
  static constexpr std::string_view kBegin = "-----BEGIN";
  std::string_view rest(reinterpret_cast<const char*>(data.data()) + i, data.size() - i);
  if (rest.substr(0, kBegin.size()) == kBegin) {
    return FromPem(rest);  // OpenSSL wants "-----BEGIN" at the start of a line
  }
  return FromDer(data);
}

Result<std::string> X509Certificate::ToPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), x509_.get()) != 1) return OpenSslError("PEM write");
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

bool X509Certificate::IssuerNameIs(const X509Certificate& issuer) const {
  return X509_NAME_cmp(X509_get_issuer_name(x509_.get()),
                       X509_get_subject_name(issuer.x509_.get())) == 0;
}

Status X509Certificate::VerifySignature(const EcPublicKey& issuer_key) const {
  int r = X509_verify(x509_.get(), issuer_key.handle());
  ERR_clear_error();
  if (r != 1) return SecurityError("X.509: signature does not verify with the issuer key");
  return Status::Ok();
}

Result<X509Certificate> X509Certificate::Create(const X509Request& req,
                                                const EcPublicKey& subject_key,
                                                const EcPrivateKey& signer,
                                                const X509Certificate* issuer) {
  if (req.subject.common_name.empty()) return InvalidArgument("X.509: subject CN required");
  if (!req.subject.country.empty() && req.subject.country.size() != 2) {
    return InvalidArgument("X.509: country must be two letters");
  }
  if (req.serial.size() > 20) return InvalidArgument("X.509: serial longer than 20 bytes");
  if (req.not_after <= req.not_before) return InvalidArgument("X.509: empty validity period");
  if (req.path_len && (!req.ca || *req.path_len < 0)) {
    return InvalidArgument("X.509: pathLen needs a CA and a non-negative value");
  }
  if (!req.entity_oid.empty() && !IsDottedOid(req.entity_oid)) {
    return InvalidArgument("X.509: entity OID must be dotted decimal");
  }
  for (const std::string& dns : req.dns_names) {
    if (!IsDnsName(dns)) return InvalidArgument("X.509: bad DNS name " + dns);
  }
  if (issuer == nullptr && !(signer.PublicKey() == subject_key)) {
    return InvalidArgument("X.509: a self-signed certificate is signed with its own key");
  }

  X509Ptr x(X509_new());
  if (!x || X509_set_version(x.get(), X509_VERSION_3) != 1) return OpenSslError("X509_new");

  Bytes serial = req.serial;
  if (serial.empty()) {
    serial.resize(16);
    if (RAND_bytes(serial.data(), static_cast<int>(serial.size())) != 1) {
      return OpenSslError("serial");
    }
    serial[0] = static_cast<uint8_t>((serial[0] & 0x7F) | 0x01);  // positive, 16 bytes long
  }
  BnPtr bn(BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr));
  IntegerPtr asn1_serial(bn ? BN_to_ASN1_INTEGER(bn.get(), nullptr) : nullptr);
  if (!asn1_serial || BN_is_zero(bn.get()) ||
      X509_set_serialNumber(x.get(), asn1_serial.get()) != 1) {
    return InvalidArgument("X.509: bad serial number");
  }

  NamePtr name(X509_NAME_new());
  M2_RETURN_IF_ERROR(AddNameEntry(name.get(), "C", req.subject.country));
  M2_RETURN_IF_ERROR(AddNameEntry(name.get(), "O", req.subject.organization));
  M2_RETURN_IF_ERROR(AddNameEntry(name.get(), "CN", req.subject.common_name));
  if (X509_set_subject_name(x.get(), name.get()) != 1) return OpenSslError("subject");
  const X509_NAME* issuer_name =
      issuer != nullptr ? X509_get_subject_name(issuer->x509_.get()) : name.get();
  if (X509_set_issuer_name(x.get(), issuer_name) != 1) return OpenSslError("issuer");

  const time_t from = std::chrono::system_clock::to_time_t(req.not_before);
  const time_t to = std::chrono::system_clock::to_time_t(req.not_after);
  if (ASN1_TIME_set(X509_getm_notBefore(x.get()), from) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(x.get()), to) == nullptr) {
    return OpenSslError("validity");
  }
  if (X509_set_pubkey(x.get(), subject_key.handle()) != 1) return OpenSslError("public key");

  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer != nullptr ? issuer->x509_.get() : x.get(), x.get(), nullptr, nullptr,
                 0);
  std::string bc = req.ca ? "critical,CA:TRUE" : "critical,CA:FALSE";
  if (req.path_len) bc += ",pathlen:" + std::to_string(*req.path_len);
  M2_RETURN_IF_ERROR(AddConfExtension(x.get(), &ctx, NID_basic_constraints, bc));
  if (req.key_usage != 0) {
    std::string ku = "critical";
    if (req.key_usage & kKuDigitalSignature) ku += ",digitalSignature";
    if (req.key_usage & kKuKeyAgreement) ku += ",keyAgreement";
    if (req.key_usage & kKuKeyCertSign) ku += ",keyCertSign";
    if (req.key_usage & kKuCrlSign) ku += ",cRLSign";
    M2_RETURN_IF_ERROR(AddConfExtension(x.get(), &ctx, NID_key_usage, ku));
  }
  if (req.server_auth || req.client_auth) {
    std::string eku;
    if (req.server_auth) eku = "serverAuth";
    if (req.client_auth) eku += eku.empty() ? "clientAuth" : ",clientAuth";
    M2_RETURN_IF_ERROR(AddConfExtension(x.get(), &ctx, NID_ext_key_usage, eku));
  }
  if (!req.dns_names.empty()) {
    std::string san;
    for (const std::string& dns : req.dns_names) san += (san.empty() ? "DNS:" : ",DNS:") + dns;
    M2_RETURN_IF_ERROR(AddConfExtension(x.get(), &ctx, NID_subject_alt_name, san));
  }
  M2_ASSIGN_OR_RETURN(Bytes ski, KeyIdentifier(subject_key));
  M2_RETURN_IF_ERROR(AddConfExtension(x.get(), &ctx, NID_subject_key_identifier, ToHex(ski)));
  if (issuer != nullptr) {
    // RFC 5280 §4.2.1.1: the issuer's SKI. Omitted on the self-signed root (permitted).
    if (issuer->subject_key_id().empty()) {
      return InvalidArgument("X.509: issuer certificate has no subject key identifier");
    }
    M2_RETURN_IF_ERROR(
        AddConfExtension(x.get(), &ctx, NID_authority_key_identifier, "keyid:always"));
  }
  if (!req.entity_oid.empty()) M2_RETURN_IF_ERROR(AddEntityOid(x.get(), req.entity_oid));

  if (X509_sign(x.get(), signer.handle(), internal::Sha256()) <= 0) {
    return OpenSslError("X.509 signing");
  }
  return FromHandle(std::shared_ptr<x509_st>(x.release(), Deleter<X509_free>()));
}

}  // namespace m2mrsp::crypto
