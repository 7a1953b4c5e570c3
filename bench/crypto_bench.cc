// Foundation hot paths against their bare-OpenSSL baselines. Figures: docs/PERFORMANCE.md.
//   build/release/bench/crypto_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include "crypto/cipher.h"
#include "crypto/cmac.h"
#include "crypto/ec.h"
#include "crypto/kdf.h"
#include "milenage/milenage.h"
#include "tlv/ber.h"

using namespace m2mrsp;

namespace {

const Bytes kKey = HexOrDie("2b7e151628aed2a6abf7158809cf4f3c");

// Raw OpenSSL CMAC with the algorithm fetched and the context keyed once: the floor.
void BM_CmacRawOpenssl(benchmark::State& state) {
  const Bytes msg(static_cast<size_t>(state.range(0)), 0x5A);
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "CMAC", nullptr);
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string("cipher", const_cast<char*>("AES-128-CBC"), 0),
      OSSL_PARAM_construct_end()};
  EVP_MAC_init(ctx, kKey.data(), kKey.size(), params);
  uint8_t out[16];
  size_t n = 0;
  for (auto _ : state) {
    EVP_MAC_init(ctx, nullptr, 0, nullptr);
    EVP_MAC_update(ctx, msg.data(), msg.size());
    EVP_MAC_final(ctx, out, &n, sizeof out);
    benchmark::DoNotOptimize(out);
  }
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_CmacRawOpenssl)->Arg(64)->Arg(1024);

// Our keyed Cmac (the secure-channel path).
void BM_CmacKeyed(benchmark::State& state) {
  const Bytes msg(static_cast<size_t>(state.range(0)), 0x5A);
  auto cmac = crypto::Cmac::Create(kKey);
  uint8_t out[16];
  for (auto _ : state) {
    (void)cmac->Compute({ByteView(msg)}, out);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_CmacKeyed)->Arg(64)->Arg(1024);

// One-shot AesCmac: includes the per-call key schedule and context.
void BM_CmacOneShot(benchmark::State& state) {
  const Bytes msg(static_cast<size_t>(state.range(0)), 0x5A);
  for (auto _ : state) benchmark::DoNotOptimize(crypto::AesCmac(kKey, msg));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_CmacOneShot)->Arg(64)->Arg(1024);

void BM_AesCbcEncrypt(benchmark::State& state) {
  const Bytes msg(static_cast<size_t>(state.range(0)), 0x5A), iv(16, 0);
  for (auto _ : state) benchmark::DoNotOptimize(crypto::AesCbcEncrypt(kKey, iv, msg));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_AesCbcEncrypt)->Arg(64)->Arg(1024);

// One SCP03 session-key derivation (128-bit output: one CMAC block).
void BM_Scp03Kdf(benchmark::State& state) {
  const Bytes ctx(16, 0x11);
  for (auto _ : state) {
    benchmark::DoNotOptimize(crypto::Scp03Kdf(kKey, crypto::Scp03Derivation::kSEnc, ctx, 128));
  }
}
BENCHMARK(BM_Scp03Kdf);

// A USIM AUTHENTICATE: f1 + f2345 (five AES blocks plus TEMP twice).
void BM_MilenageAuthenticate(benchmark::State& state) {
  auto m = milenage::Milenage::Create(kKey, kKey);
  const Bytes rand(16, 0x23), sqn(6, 0x01), amf(2, 0x80);
  for (auto _ : state) {
    benchmark::DoNotOptimize(m->F1(rand, sqn, amf));
    benchmark::DoNotOptimize(m->F2345(rand));
  }
}
BENCHMARK(BM_MilenageAuthenticate);

void BM_EcdsaSign(benchmark::State& state) {
  auto key = crypto::EcPrivateKey::Generate(static_cast<crypto::Curve>(state.range(0)));
  const Bytes msg(128, 0x42);
  for (auto _ : state) benchmark::DoNotOptimize(crypto::EcdsaSignRaw(*key, msg));
}
BENCHMARK(BM_EcdsaSign)->Arg(0)->Arg(1)->ArgName("brainpool");

void BM_EcdsaVerify(benchmark::State& state) {
  auto key = crypto::EcPrivateKey::Generate(static_cast<crypto::Curve>(state.range(0)));
  const Bytes msg(128, 0x42);
  const Bytes sig = *crypto::EcdsaSignRaw(*key, msg);
  for (auto _ : state) benchmark::DoNotOptimize(crypto::EcdsaVerifyRaw(key->PublicKey(), msg, sig));
}
BENCHMARK(BM_EcdsaVerify)->Arg(0)->Arg(1)->ArgName("brainpool");

// ECDH including import of the peer's point (what key establishment does per eUICC).
void BM_EcdhWithPointImport(benchmark::State& state) {
  const auto curve = static_cast<crypto::Curve>(state.range(0));
  auto own = crypto::EcPrivateKey::Generate(curve);
  auto peer = crypto::EcPrivateKey::Generate(curve);
  const Bytes point = peer->PublicKey().ToUncompressed();
  for (auto _ : state) {
    auto pub = crypto::EcPublicKey::FromUncompressed(curve, point);
    benchmark::DoNotOptimize(crypto::Ecdh(*own, *pub));
  }
}
BENCHMARK(BM_EcdhWithPointImport)->Arg(0)->Arg(1)->ArgName("brainpool");

// Parse a GET STATUS-like response of 32 ISD-P entries as a tree.
void BM_TlvParseTree(benchmark::State& state) {
  tlv::Builder b;
  for (int i = 0; i < 32; ++i) {
    b.Open(0xE3)
        .Add(0x4F, HexOrDie("A0000005591010FFFFFFFF8900001000"))
        .Add(0x9F70, {0x3F})
        .Close();
  }
  const Bytes data = std::move(b).Finish();
  for (auto _ : state) benchmark::DoNotOptimize(tlv::ParseTree(data));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_TlvParseTree);

}  // namespace
