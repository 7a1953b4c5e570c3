// binding::LoadPkiNode and net::LoadEntityDirectory against a directory written like
// `m2mrsp pki init` (pki::GenerateTestPki; the binding unit tests cannot link the pki library,
// hence here): every TLS certificate maps to its entity, an entity is found by folder name, OID
// or unique role, and a tampered directory (a certificate moved to another entity, a missing or
// foreign private key) is refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "binding/pki_node.h"
#include "crypto/hash.h"
#include "crypto/x509.h"
#include "integration/pki_dir.h"

namespace m2mrsp {
namespace {

using testing::PkiDir;

std::unique_ptr<PkiDir> NewPki() {
  auto dir = PkiDir::Create();
  EXPECT_TRUE(dir.ok()) << dir.status().ToString();
  return dir.ok() ? std::move(*dir) : nullptr;
}

net::CertificateInfo InfoOf(const std::string& pem) {
  auto cert = crypto::X509Certificate::FromPem(pem);
  EXPECT_TRUE(cert.ok()) << cert.status().ToString();
  if (!cert.ok()) return {};
  return net::CertificateInfo{*crypto::Sha256(cert->der()), ""};
}

TEST(PkiNodeFromPkiInit, EveryTlsCertificateMapsToItsEntity) {
  auto pki = NewPki();
  ASSERT_NE(pki, nullptr);
  net::EntitiesFile file;
  auto directory = net::LoadEntityDirectory(pki->path(), &file);
  ASSERT_TRUE(directory.ok()) << directory.status().ToString();
  std::set<std::string> names;
  size_t certificates = 0;
  for (const net::EntityRecord& r : file.entities) {
    names.insert(r.entity.name);
    for (const auto& [kind, path] : r.certificates) {
      if (kind != "tls-server" && kind != "tls-client") continue;
      SCOPED_TRACE(path);
      auto entity = (*directory)->Lookup(InfoOf(pki->Read(path)));
      ASSERT_TRUE(entity.has_value());
      EXPECT_EQ(*entity, r.entity);
      ++certificates;
    }
  }
  // docs/formats/pki.md: CI, EUM, SM-DP, SM-SR, MNO A and B, M2M SP; TLS pairs for all but the CI.
  EXPECT_EQ(names, (std::set<std::string>{"ci", "eum", "smdp", "smsr", "mno-a", "mno-b", "m2msp"}));
  EXPECT_EQ(certificates, 12u);
  EXPECT_FALSE((*directory)->Lookup(InfoOf(pki->Read("ci/ci.pem"))).has_value());
}

TEST(PkiNodeFromPkiInit, FindsTheEntityByNameOidOrUniqueRole) {
  auto pki = NewPki();
  ASSERT_NE(pki, nullptr);
  auto smdp = binding::LoadPkiNode(pki->path(), "smdp");
  ASSERT_TRUE(smdp.ok()) << smdp.status().ToString();
  EXPECT_EQ(smdp->self.role, "SM-DP");
  EXPECT_TRUE(smdp->server_tls && smdp->client_tls && smdp->directory);
  auto by_oid = binding::LoadPkiNode(pki->path(), smdp->self.oid);
  ASSERT_TRUE(by_oid.ok());
  EXPECT_EQ(by_oid->self, smdp->self);
  auto by_role = binding::LoadPkiNode(pki->path(), "SM-SR");
  ASSERT_TRUE(by_role.ok()) << by_role.status().ToString();
  EXPECT_EQ(by_role->self.name, "smsr");
  EXPECT_EQ(binding::LoadPkiNode(pki->path(), "MNO").status().kind(),
            ErrorKind::kInvalidArgument);  // MNO A and MNO B
  EXPECT_EQ(binding::LoadPkiNode(pki->path(), "nobody").status().kind(), ErrorKind::kNotFound);
  // The CI has no TLS certificates of its own.
  EXPECT_FALSE(binding::LoadPkiNode(pki->path(), "ci").ok());
}

TEST(PkiNodeFromPkiInit, RefusesATamperedDirectory) {
  auto pki = NewPki();
  ASSERT_NE(pki, nullptr);
  // A missing private key: that entity cannot load, the others still can.
  std::filesystem::remove(pki->path() / "smdp/tls-server.key.pem");
  EXPECT_FALSE(binding::LoadPkiNode(pki->path(), "smdp").ok());
  EXPECT_TRUE(binding::LoadPkiNode(pki->path(), "smsr").ok());
  // Another entity's private key beside the certificate: the TLS context refuses the pair.
  const std::string foreign = pki->Read("mno-a/tls-client.key.pem");
  ASSERT_TRUE(pki->Write("smsr/tls-client.key.pem", AsBytes(foreign), 0600).ok());
  EXPECT_FALSE(binding::LoadPkiNode(pki->path(), "smsr").ok());
  // MNO A's certificate filed as the SM-SR's: its entityId extension names MNO A, not the OID
  // entities.json gives, so the whole directory is refused.
  const std::string moved = pki->Read("mno-a/tls-client.pem");
  ASSERT_TRUE(pki->Write("smsr/tls-client.pem", AsBytes(moved)).ok());
  EXPECT_FALSE(net::LoadEntityDirectory(pki->path()).ok());
  EXPECT_FALSE(binding::LoadPkiNode(pki->path(), "mno-b").ok());
}

}  // namespace
}  // namespace m2mrsp
