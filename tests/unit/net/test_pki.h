// A throw-away X.509 PKI made at test time with the openssl command line (an implementation
// independent of ours): a test CA, a server certificate for localhost/127.0.0.1, two client
// certificates, and a rogue CA with its own client and server certificates. EC P-256 keys.
// Also the certificates' SHA-256 fingerprints and RFC 2253 subjects as openssl prints them, so the
// tests check our values against openssl's. Header-only (the test glob takes *_test.cc only).
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "base/bytes.h"
#include "base/secret.h"

namespace m2mrsp::net::testing {

inline bool OpensslCliAvailable() { return std::system("openssl version >/dev/null 2>&1") == 0; }

inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs a shell command, returns its stdout (empty on failure; `ok` tells).
inline std::string RunCommand(const std::string& cmd, bool* ok = nullptr) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) {
    if (ok) *ok = false;
    return out;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int rc = pclose(p);
  if (ok) *ok = rc == 0;
  return out;
}

class TestPki {
 public:
  // Generates everything in a fresh temp dir; ok() is false if any openssl call failed.
  TestPki() {
    char tmpl[] = "/tmp/m2mrsp-net-pki-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return;
    dir_ = tmpl;
    std::ofstream(Path("openssl.cnf")) << kConfig;
    ok_ = MakeCa("ca", "/CN=m2mrsp test CA/O=m2mrsp test") &&
          MakeLeaf("server", "ca", "/CN=localhost/O=m2mrsp test", 1) &&
          MakeLeaf("client1", "ca", "/CN=client1/O=m2mrsp test", 2) &&
          MakeLeaf("client2", "ca", "/CN=client2/O=m2mrsp test", 3) &&
          MakeCa("rogue_ca", "/CN=rogue CA/O=elsewhere") &&
          MakeLeaf("rogue_client", "rogue_ca", "/CN=client1/O=m2mrsp test", 4) &&
          MakeLeaf("rogue_server", "rogue_ca", "/CN=localhost/O=m2mrsp test", 5);
  }
  ~TestPki() {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  bool ok() const { return ok_; }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  std::string Cert(const std::string& name) const { return Slurp(Path(name + ".pem")); }
  SecretBytes Key(const std::string& name) const {
    const std::string pem = Slurp(Path(name + ".key"));
    return SecretBytes(AsBytes(pem));
  }
  // `openssl x509 -fingerprint -sha256`, as bytes.
  Bytes Fingerprint(const std::string& name) const {
    std::string out =
        RunCommand("openssl x509 -noout -fingerprint -sha256 -in " + Path(name + ".pem"));
    const auto eq = out.find('=');
    if (eq == std::string::npos) return {};
    std::string hex;
    for (char c : out.substr(eq + 1)) {
      if (std::isxdigit(static_cast<unsigned char>(c))) hex += c;
    }
    auto bytes = FromHex(hex);
    return bytes.ok() ? *bytes : Bytes{};
  }
  // `openssl x509 -subject -nameopt RFC2253`, without the "subject=" prefix.
  std::string Subject(const std::string& name) const {
    std::string out =
        RunCommand("openssl x509 -noout -subject -nameopt RFC2253 -in " + Path(name + ".pem"));
    const std::string prefix = "subject=";
    if (out.rfind(prefix, 0) == 0) out = out.substr(prefix.size());
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
  }

 private:
  static constexpr const char* kConfig = R"([req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[leaf]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
)";

  bool Run(const std::string& cmd) const {
    return std::system(("cd " + dir_ + " && " + cmd + " >/dev/null 2>&1").c_str()) == 0;
  }
  bool GenKey(const std::string& name) const {
    return Run("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + name +
               ".key");
  }
  bool MakeCa(const std::string& name, const std::string& subject) const {
    return GenKey(name) &&
           Run("openssl req -x509 -new -config openssl.cnf -extensions v3_ca -key " + name +
               ".key -subj '" + subject + "' -days 2 -out " + name + ".pem");
  }
  bool MakeLeaf(const std::string& name, const std::string& ca, const std::string& subject,
                int serial) const {
    return GenKey(name) &&
           Run("openssl req -new -config openssl.cnf -key " + name + ".key -subj '" + subject +
               "' -out " + name + ".csr") &&
           Run("openssl x509 -req -in " + name + ".csr -CA " + ca + ".pem -CAkey " + ca +
               ".key -set_serial " + std::to_string(serial) +
               " -days 2 -extfile openssl.cnf -extensions leaf -out " + name + ".pem");
  }

  std::string dir_;
  bool ok_ = false;
};

}  // namespace m2mrsp::net::testing
