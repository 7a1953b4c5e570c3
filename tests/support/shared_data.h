// The external oracles in ../shared (M2MRSP_SHARED_DIR) as test and bench inputs: today the GSMA
// TS.48 v7 profile packages. Header-only so the benchmarks can use it too; callers skip (never
// pass) when a file is absent.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string_view>

#include "base/bytes.h"

namespace m2mrsp::testing {

// The four TS.48 v7 packages (file stems in ../shared/testdata/ts48).
inline constexpr std::string_view kTs48Stems[] = {
    "ts48v7_SAIP2.3_NoBERTLV", "ts48v7_SAIP2.3_NoBERTLV_NoRAMRFM", "ts48v7_SAIP2.3_BERTLV_SUCI",
    "ts48v7_SAIP2.3_BERTLV_SUCI_NoRAMRFM"};

// The DER of ../shared/testdata/ts48/<stem>.der; nullopt when ../shared is absent.
inline std::optional<Bytes> ReadTs48Package(std::string_view stem) {
  const auto path =
      std::filesystem::path(M2MRSP_SHARED_DIR) / "testdata" / "ts48" / (std::string(stem) + ".der");
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace m2mrsp::testing
