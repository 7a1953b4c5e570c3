// ES5.MasterDelete (SGP.02 §3.10): the delete token is checked with the ISD-P token key; the
// expected tokens come from tests/vectors/euicc_master_delete.vec (python3-cryptography).
#include <gtest/gtest.h>

#include "card_fixture.h"
#include "support/vectors.h"

namespace m2mrsp::euicc::testing {
namespace {

class CardMasterDelete : public CardTest {
 protected:
  Aid Prepare(const m2mrsp::testing::VectorRecord& rec) {
    const Aid aid = Aid::FromBytes(rec.Hex("Aid")).value();
    const uint32_t tar = gp::TarOfIsdPAid(aid).value().value();
    EXPECT_EQ(CreateIsdp(tar), "009000");
    EXPECT_TRUE(card_.InstallProfile(aid, MakeProfile(kPol1DeleteNotAllowed)).ok());
    EXPECT_TRUE(card_.SetTokenKey(aid, SecretBytes(rec.Hex("TokenKey"))).ok());
    return aid;
  }
};

TEST_F(CardMasterDelete, ValidTokenDeletesIgnoringPol1) {
  const auto records = m2mrsp::testing::LoadVectors("euicc_master_delete.vec");
  ASSERT_EQ(records.size(), 2u);
  for (const auto& rec : records) {
    SCOPED_TRACE(rec.Where());
    const Aid aid = Prepare(rec);
    EXPECT_EQ(Hex(card_.ProcessApdu(gp::IsdRAid(), rec.Hex("Apdu"))), "009000");
    EXPECT_FALSE(card_.LifeCycle(aid).has_value());
  }
}

TEST_F(CardMasterDelete, Refusals) {
  const auto rec = m2mrsp::testing::LoadVectors("euicc_master_delete.vec").at(0);
  const Aid aid = Prepare(rec);
  Bytes bad = rec.Hex("Apdu");
  bad[bad.size() - 2] ^= 0x01;  // last token byte
  EXPECT_EQ(Hex(card_.ProcessApdu(gp::IsdRAid(), bad)), "6982");
  // Without the 9E token: malformed MasterDelete.
  const Bytes crt = rec.Hex("Crt");
  Bytes no_token = HexOrDie("80E40040");
  no_token.push_back(static_cast<uint8_t>(18 + 2 + crt.size()));
  Append(no_token, HexOrDie("4F10" + aid.ToHex()));
  no_token.push_back(0xB6);
  no_token.push_back(static_cast<uint8_t>(crt.size()));
  Append(no_token, AsView(crt));
  no_token.push_back(0x00);
  EXPECT_EQ(Hex(card_.ProcessApdu(gp::IsdRAid(), no_token)), "6A80");
  // Enabled → 6985 even with a valid token.
  ASSERT_EQ(IsdR(AidDgi("3A03", gp::TarOfIsdPAid(aid).value().value())), "9000");
  EXPECT_EQ(Hex(card_.ProcessApdu(gp::IsdRAid(), rec.Hex("Apdu"))), "6985");
}

TEST_F(CardMasterDelete, NoTokenKeyOrUnknownIsdp) {
  const auto rec = m2mrsp::testing::LoadVectors("euicc_master_delete.vec").at(0);
  EXPECT_EQ(Hex(card_.ProcessApdu(gp::IsdRAid(), rec.Hex("Apdu"))), "6A88");
  const Aid aid = Aid::FromBytes(rec.Hex("Aid")).value();
  ASSERT_EQ(CreateIsdp(gp::TarOfIsdPAid(aid).value().value()), "009000");
  ASSERT_TRUE(card_.InstallProfile(aid, MakeProfile()).ok());
  EXPECT_EQ(Hex(card_.ProcessApdu(gp::IsdRAid(), rec.Hex("Apdu"))), "6985");
  EXPECT_FALSE(card_.SetTokenKey(aid, SecretBytes(Bytes(5, 1))).ok());
}

}  // namespace
}  // namespace m2mrsp::euicc::testing
