// net::ParseEntitiesJson on the shape `m2mrsp pki init` writes (docs/formats/pki.md), and the
// refusals that keep a tampered file from pointing outside the PKI directory.
#include "net/entity_directory_json.h"

#include <gtest/gtest.h>

namespace m2mrsp::net {
namespace {

constexpr const char* kSample = R"({
  "curve": "P-256",
  "entityArc": "1.3.6.1.4.1.99999",
  "entityIdExtension": "2.25.101888271034237228525398607593864757687.1.1",
  "entities": {
    "1.3.6.1.4.1.99999.1": {"role": "CI", "name": "ci", "certificates": {"ci": "ci/ci.pem"}},
    "1.3.6.1.4.1.99999.4": {"role": "SM-SR", "name": "smsr", "certificates": {
        "tls-client": "smsr/tls-client.pem", "tls-server": "smsr/tls-server.pem"}}
  }
})";

TEST(EntitiesJson, ReadsThePkiInitShape) {
  auto f = ParseEntitiesJson(kSample);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->curve, "P-256");
  ASSERT_EQ(f->entities.size(), 2u);
  const EntityRecord* smsr = f->Find("smsr");
  ASSERT_NE(smsr, nullptr);
  EXPECT_EQ(smsr->entity, (Entity{"1.3.6.1.4.1.99999.4", "SM-SR", "smsr"}));
  EXPECT_EQ(smsr->certificates.at("tls-server"), "smsr/tls-server.pem");
  EXPECT_EQ(f->Find("1.3.6.1.4.1.99999.1")->entity.role, "CI");
  EXPECT_EQ(f->Find("nobody"), nullptr);
}

TEST(EntitiesJson, RefusesMalformedOrUnsafeFiles) {
  for (
      const char* bad :
      {"", "[]", "{", R"({"entities": []})",
       R"({"entities": {"1..2": {"role": "CI", "name": "ci"}}})",
       R"({"entities": {"x": {"role": "CI", "name": "ci"}}})",
       R"({"entities": {"1.2": {"role": 7, "name": "ci"}}})",
       R"({"entities": {"1.2": {"name": "ci"}}})",
       R"({"entities": {"1.2": {"role": "CI", "name": "ci", "certificates": {"ci": "../x.pem"}}}})",
       R"({"entities": {"1.2": {"role": "CI", "name": "ci", "certificates": {"ci": "/etc/x"}}}})",
       R"({"entities": {"1.2": {"role": "CI", "name": "ci", "certificates": {"ci": "a//b"}}}})",
       R"({"entities": {"1.2": {"role": "CI", "name": "ci", "certificates": {"ci": 3}}}})"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(ParseEntitiesJson(bad).ok());
  }
  EXPECT_EQ(ParseEntitiesJson(std::string(kMaxEntitiesJsonBytes + 1, ' ')).status().kind(),
            ErrorKind::kLimitExceeded);
  EXPECT_FALSE(ReadPkiFile("/tmp", "../etc/passwd").ok());
}

}  // namespace
}  // namespace m2mrsp::net
