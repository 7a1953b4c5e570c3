#include "crypto/ec.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstring>

#include "crypto/ossl.h"

namespace m2mrsp::crypto {
namespace {

using internal::BioPtr;
using internal::BnCtxPtr;
using internal::EcGroupPtr;
using internal::EcPointPtr;
using internal::OpenSslError;
using internal::ParamBldPtr;
using internal::ParamPtr;
using internal::PkeyCtxPtr;
using internal::SecretBnPtr;
using OwnedPkey = std::unique_ptr<evp_pkey_st, PkeyFree>;

const char* GroupName(Curve c) { return c == Curve::kNistP256 ? "prime256v1" : "brainpoolP256r1"; }
int GroupNid(Curve c) { return c == Curve::kNistP256 ? NID_X9_62_prime256v1 : NID_brainpoolP256r1; }

Status Refused(std::string why) {
  ERR_clear_error();
  return InvalidArgument(std::move(why));
}

Result<Curve> CurveOf(const EVP_PKEY* pkey) {
  if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC) return Refused("not an elliptic-curve key");
  char name[80] = {};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &len) !=
      1) {
    return Refused("EC key without a named curve (explicit parameters are not supported)");
  }
  auto c = CurveFromName(name);
  if (!c.ok()) return Refused("unsupported curve " + std::string(name));
  return *c;
}

// 04 ‖ X ‖ Y of a key, from its affine coordinates (independent of the point format the key
// was loaded with).
Result<Bytes> UncompressedPoint(const EVP_PKEY* pkey) {
  BIGNUM* x = nullptr;
  BIGNUM* y = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, &x) != 1 ||
      EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &y) != 1) {
    BN_free(x);
    BN_free(y);
    return OpenSslError("EC public point");
  }
  internal::BnPtr xp(x), yp(y);
  Bytes out(kUncompressedPointSize);
  out[0] = 0x04;
  if (BN_bn2binpad(x, out.data() + 1, kFieldSize) != static_cast<int>(kFieldSize) ||
      BN_bn2binpad(y, out.data() + 1 + kFieldSize, kFieldSize) != static_cast<int>(kFieldSize)) {
    return OpenSslError("EC public point size");
  }
  return out;
}

Status CheckPublic(EVP_PKEY* pkey) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  // Both curves have cofactor 1, so a point on the curve other than infinity is in the prime-order
  // group: the quick check (no n·Q multiplication) is complete here.
  if (!ctx || EVP_PKEY_public_check_quick(ctx.get()) != 1) {
    return Refused("public key is not a valid point of the curve's prime-order group");
  }
  return Status::Ok();
}

Result<OwnedPkey> FromParams(ParamBldPtr& bld, int selection) {
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, selection, params.get()) != 1) {
    return Refused("EC key rejected (point not on the curve or malformed)");
  }
  return OwnedPkey(raw);
}

Result<EcPublicKey> PublicOf(const EVP_PKEY* pkey, Curve curve) {
  M2_ASSIGN_OR_RETURN(Bytes point, UncompressedPoint(pkey));
  return EcPublicKey::FromUncompressed(curve, point);
}

Result<std::string> BioToString(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  if (n <= 0 || data == nullptr) return OpenSslError("PEM output");
  return std::string(data, static_cast<size_t>(n));
}

}  // namespace

void PkeyFree::operator()(evp_pkey_st* p) const { EVP_PKEY_free(p); }

std::string_view CurveName(Curve curve) {
  return curve == Curve::kNistP256 ? "P-256" : "brainpoolP256r1";
}

Result<Curve> CurveFromName(std::string_view name) {
  if (name == "P-256" || name == "prime256v1" || name == "secp256r1") return Curve::kNistP256;
  if (name == "brainpoolP256r1") return Curve::kBrainpoolP256r1;
  return InvalidArgument("unknown curve \"" + std::string(name) + "\" (P-256 or brainpoolP256r1)");
}

// --- EcPublicKey ---------------------------------------------------------------------------

Result<EcPublicKey> EcPublicKey::FromUncompressed(Curve curve, ByteView point) {
  if (point.size() != kUncompressedPointSize || point[0] != 0x04) {
    return InvalidArgument("EC point must be 65 bytes 04 || X || Y, got " +
                           std::to_string(point.size()) + " bytes");
  }
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, GroupName(curve), 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return OpenSslError("EC public key parameters");
  }
  M2_ASSIGN_OR_RETURN(OwnedPkey pkey, FromParams(bld, EVP_PKEY_PUBLIC_KEY));
  M2_RETURN_IF_ERROR(CheckPublic(pkey.get()));
  EcPublicKey key(std::shared_ptr<evp_pkey_st>(pkey.release(), PkeyFree()), curve);
  key.point_.assign(point.begin(), point.end());
  return key;
}

Result<EcPublicKey> EcPublicKey::FromPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return OpenSslError("BIO");
  OwnedPkey pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey) return Refused("not a PEM public key (SubjectPublicKeyInfo)");
  M2_ASSIGN_OR_RETURN(Curve curve, CurveOf(pkey.get()));
  return PublicOf(pkey.get(), curve);
}

Result<EcPublicKey> EcPublicKey::FromDer(ByteView der) {
  const unsigned char* p = der.data();
  OwnedPkey pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (!pkey || p != der.data() + der.size()) {
    return Refused("not a DER SubjectPublicKeyInfo (or trailing bytes)");
  }
  M2_ASSIGN_OR_RETURN(Curve curve, CurveOf(pkey.get()));
  return PublicOf(pkey.get(), curve);
}

Result<std::string> EcPublicKey::ToPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), pkey_.get()) != 1) return OpenSslError("PEM");
  return BioToString(bio.get());
}

Result<Bytes> EcPublicKey::ToDer() const {
  unsigned char* buf = nullptr;
  const int n = i2d_PUBKEY(pkey_.get(), &buf);
  if (n <= 0) return OpenSslError("DER public key");
  Bytes out(buf, buf + n);
  OPENSSL_free(buf);
  return out;
}

bool EcPublicKey::operator==(const EcPublicKey& other) const {
  return curve_ == other.curve_ && point_ == other.point_;
}

// --- EcPrivateKey --------------------------------------------------------------------------

Result<EcPrivateKey> EcPrivateKey::Adopt(OwnedPkey pkey) {
  M2_ASSIGN_OR_RETURN(Curve curve, CurveOf(pkey.get()));
  BIGNUM* d = nullptr;
  if (EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_PRIV_KEY, &d) != 1) {
    return Refused("key has no private part");
  }
  BN_clear_free(d);
  M2_ASSIGN_OR_RETURN(EcPublicKey pub, PublicOf(pkey.get(), curve));
  return EcPrivateKey(std::move(pkey), curve, std::move(pub));
}

Result<EcPrivateKey> EcPrivateKey::Generate(Curve curve) {
  OwnedPkey pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", GroupName(curve)));
  if (!pkey) return OpenSslError("EC key generation");
  return Adopt(std::move(pkey));
}

Result<EcPrivateKey> EcPrivateKey::GenerateWith(Curve curve, Random& random) {
  // For a 256-bit order a draw is out of range with probability < 2^-32 (P-256) or about
  // 1/3 (brainpoolP256r1, order below 2^256 by a wider margin): retry a bounded number of times.
  for (int attempt = 0; attempt < 64; ++attempt) {
    SecretBytes d(kFieldSize);
    M2_RETURN_IF_ERROR(random.Fill(std::span<uint8_t>(d.data(), d.size())));
    auto key = FromScalar(curve, d.view());
    if (key.ok()) return key;
  }
  return InternalError("no valid EC scalar in 64 draws from the random source");
}

Result<EcPrivateKey> EcPrivateKey::FromScalar(Curve curve, ByteView scalar) {
  if (scalar.size() != kFieldSize) {
    return InvalidArgument("EC private scalar must be 32 bytes, got " +
                           std::to_string(scalar.size()));
  }
  EcGroupPtr group(EC_GROUP_new_by_curve_name(GroupNid(curve)));
  SecretBnPtr d(BN_secure_new());
  BnCtxPtr bn_ctx(BN_CTX_secure_new());
  if (!group || !d || !bn_ctx ||
      BN_bin2bn(scalar.data(), static_cast<int>(scalar.size()), d.get()) == nullptr) {
    return OpenSslError("EC scalar");
  }
  if (BN_is_zero(d.get()) || BN_cmp(d.get(), EC_GROUP_get0_order(group.get())) >= 0) {
    return InvalidArgument("EC private scalar out of range [1, n-1]");
  }
  EcPointPtr q(EC_POINT_new(group.get()));
  uint8_t point[kUncompressedPointSize];
  if (!q || EC_POINT_mul(group.get(), q.get(), d.get(), nullptr, nullptr, bn_ctx.get()) != 1 ||
      EC_POINT_point2oct(group.get(), q.get(), POINT_CONVERSION_UNCOMPRESSED, point, sizeof point,
                         bn_ctx.get()) != sizeof point) {
    return OpenSslError("EC public point from scalar");
  }
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, GroupName(curve), 0) !=
          1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point) !=
          1) {
    return OpenSslError("EC private key parameters");
  }
  M2_ASSIGN_OR_RETURN(OwnedPkey pkey, FromParams(bld, EVP_PKEY_KEYPAIR));
  M2_ASSIGN_OR_RETURN(EcPublicKey pub,
                      EcPublicKey::FromUncompressed(curve, ByteView(point, sizeof point)));
  return EcPrivateKey(std::move(pkey), curve, std::move(pub));
}

Result<EcPrivateKey> EcPrivateKey::FromPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return OpenSslError("BIO");
  OwnedPkey pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey) return Refused("not an unencrypted PEM private key");
  return Adopt(std::move(pkey));
}

Result<SecretBytes> EcPrivateKey::ExportScalar() const {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey_.get(), OSSL_PKEY_PARAM_PRIV_KEY, &raw) != 1) {
    return OpenSslError("EC private scalar");
  }
  SecretBnPtr d(raw);
  SecretBytes out(kFieldSize);
  if (BN_bn2binpad(d.get(), out.data(), kFieldSize) != static_cast<int>(kFieldSize)) {
    return OpenSslError("EC private scalar size");
  }
  return out;
}

Result<std::string> EcPrivateKey::ExportPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0, nullptr,
                                       nullptr) != 1) {
    return OpenSslError("PEM private key");
  }
  return BioToString(bio.get());
}

}  // namespace m2mrsp::crypto
