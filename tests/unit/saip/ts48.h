// Test helpers: the GSMA TS.48 v7 packages in ../shared/testdata/ts48 (external oracle, never
// copied into the repository) and a reader for the facts of their ASN.1 value notation.
#pragma once

#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "base/bytes.h"

namespace m2mrsp::saip::testing {

inline const std::vector<std::string>& Ts48Stems() {
  static const std::vector<std::string> stems = {
      "ts48v7_SAIP2.3_NoBERTLV", "ts48v7_SAIP2.3_NoBERTLV_NoRAMRFM", "ts48v7_SAIP2.3_BERTLV_SUCI",
      "ts48v7_SAIP2.3_BERTLV_SUCI_NoRAMRFM"};
  return stems;
}

inline std::string Ts48Dir() { return std::string(M2MRSP_SHARED_DIR) + "/testdata/ts48/"; }

inline bool ReadFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

// What the GSMA value notation (*.asn1.txt) says, read with plain text matching (no ASN.1
// tooling shared with the code under test).
struct ValueNotation {
  std::vector<std::string> element_names;  // "header", "mf", ...
  std::string iccid;                       // header iccid hex digits
  std::string ef_imsi;                     // first ef-imsi fillFileContent, hex
  size_t aka_count = 0;
  size_t sd_key_count = 0;  // keyVersionNumber fields
};

inline ValueNotation ParseValueNotation(const std::string& text) {
  ValueNotation v;
  static const std::regex pe(R"(^value\d+ ProfileElement ::= ([A-Za-z0-9-]+) : \{)");
  static const std::regex iccid(R"(^\s*iccid '([0-9A-Fa-f]+)'H)");
  static const std::regex fill(R"(^\s*fillFileContent : '([0-9A-Fa-f]*)'H)");
  std::istringstream in(text);
  std::string line;
  bool in_imsi = false;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, pe)) {
      v.element_names.push_back(m[1]);
      if (m[1] == "akaParameter") ++v.aka_count;
    } else if (line.find("keyVersionNumber") != std::string::npos) {
      ++v.sd_key_count;
    } else if (v.iccid.empty() && std::regex_search(line, m, iccid)) {
      v.iccid = m[1];
    } else if (line.find("ef-imsi {") != std::string::npos) {
      in_imsi = v.ef_imsi.empty();
    } else if (in_imsi && std::regex_search(line, m, fill)) {
      v.ef_imsi = m[1];
      in_imsi = false;
    }
  }
  return v;
}

}  // namespace m2mrsp::saip::testing
