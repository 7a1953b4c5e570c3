// Test helper: validates XML documents against the GSMA schema bundle with xmllint (an
// independent validator, libxml2). The bundle lives in ../shared beside the project
// (M2MRSP_SHARED_DIR); when it or xmllint is missing, Available() explains why and the tests
// skip themselves (GTEST_SKIP), never pass.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace m2mrsp::es::testing {

#ifndef M2MRSP_SHARED_DIR
#define M2MRSP_SHARED_DIR ""
#endif

inline std::string SchemaPath() {
  return std::string(M2MRSP_SHARED_DIR) + "/schema/es-messages.xsd";
}

// Empty when validation can run, else the reason it cannot.
inline std::string Unavailable() {
  if (std::string(M2MRSP_SHARED_DIR).empty()) return "M2MRSP_SHARED_DIR not defined";
  if (!std::filesystem::exists(SchemaPath())) return "no schema at " + SchemaPath();
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) return "xmllint not installed";
  return "";
}

struct LintReport {
  bool all_valid = false;
  std::map<std::string, std::string> failures;  // name -> xmllint output about it
  std::string output;
};

// Runs one xmllint over all documents (one schema compilation). `docs` are (name, xml) pairs;
// names must be usable in file names.
inline LintReport Lint(const std::vector<std::pair<std::string, std::string>>& docs,
                       const std::string& schema = SchemaPath()) {
  namespace fs = std::filesystem;
  static int counter = 0;
  const fs::path dir = fs::temp_directory_path() / ("m2mrsp_es_lint_" + std::to_string(getpid()) +
                                                    "_" + std::to_string(counter++));
  fs::create_directories(dir);
  std::string cmd = "xmllint --noout --nonet --schema '" + schema + "'";
  std::vector<std::string> paths;
  for (const auto& [name, xml] : docs) {
    const fs::path p = dir / (name + ".xml");
    std::ofstream(p) << xml;
    paths.push_back(p.string());
    cmd += " '" + p.string() + "'";
  }
  cmd += " 2>&1";
  LintReport report;
  if (FILE* pipe = popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) report.output.append(buf, n);
    report.all_valid = pclose(pipe) == 0;
  }
  // xmllint prints "<file> validates" per valid file; collect the lines about the others.
  for (size_t i = 0; i < docs.size(); ++i) {
    if (report.output.find(paths[i] + " validates") != std::string::npos) continue;
    std::string about;
    size_t pos = 0;
    while ((pos = report.output.find(paths[i], pos)) != std::string::npos) {
      const size_t end = report.output.find('\n', pos);
      about += report.output.substr(pos, end - pos) + "\n";
      pos = end == std::string::npos ? report.output.size() : end;
    }
    report.failures[docs[i].first] = about.empty() ? "(no verdict)" : about;
  }
  if (!report.failures.empty()) report.all_valid = false;
  fs::remove_all(dir);
  return report;
}

// A schema for whole envelopes: the bundle's SOAP 1.2 and WS-Addressing schemas plus
// es-messages.xsd (the SOAP Body admits any element with lax validation, so the body element is
// checked against its GSMA declaration). soap-12.xsd imports xml.xsd from the network; a local
// stand-in declaring xml:lang is imported first so that xmllint --nonet compiles it. Written
// once per process into a temporary folder; returns its path.
inline std::string EnvelopeSchemaPath() {
  namespace fs = std::filesystem;
  static const std::string path = [] {
    const fs::path dir =
        fs::temp_directory_path() / ("m2mrsp_es_envelope_xsd_" + std::to_string(getpid()));
    fs::create_directories(dir);
    const std::string import =
        std::string(M2MRSP_SHARED_DIR) + "/schema/gsma-esim-messaging-3/xsd/import/";
    std::ofstream(dir / "xml-lang.xsd")
        << "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
           "targetNamespace=\"http://www.w3.org/XML/1998/namespace\">"
           "<xs:attribute name=\"lang\" type=\"xs:language\"/></xs:schema>";
    std::ofstream(dir / "envelope.xsd")
        << "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
           "targetNamespace=\"urn:m2mrsp:test:envelope\">"
           "<xs:import namespace=\"http://www.w3.org/XML/1998/namespace\" "
           "schemaLocation=\"xml-lang.xsd\"/>"
           "<xs:import namespace=\"http://www.w3.org/2003/05/soap-envelope\" schemaLocation=\"" +
               import +
               "soap-12.xsd\"/>"
               "<xs:import namespace=\"http://www.w3.org/2005/08/addressing\" schemaLocation=\"" +
               import +
               "ws-addr.xsd\"/>"
               "<xs:import namespace=\"http://namespaces.gsma.org/esim-messaging/3\" "
               "schemaLocation=\"" +
               SchemaPath() + "\"/></xs:schema>";
    return (dir / "envelope.xsd").string();
  }();
  return path;
}

}  // namespace m2mrsp::es::testing
