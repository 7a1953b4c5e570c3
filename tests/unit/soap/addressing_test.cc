// WS-Addressing value conventions and the message exchange patterns.
#include "soap/addressing.h"

#include <gtest/gtest.h>

#include "soap/exchange.h"

namespace m2mrsp::soap {
namespace {

TEST(EntityAddress, FormatsAndParses) {
  EntityAddress e{"https://smsr.example:20000", "1.3.6.1.4.1.20", "SM-SR A&B"};
  auto text = e.Format();
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "https://smsr.example:20000?EntityId=1.3.6.1.4.1.20&EntityName=SM-SR%20A%26B");
  auto back = EntityAddress::Parse(*text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, e);
  // The ZTE trace form (es-messages.md §2.3).
  auto zte =
      EntityAddress::Parse("https://smsr.example:20000?EntityId=1.3.6.1.4.1.20&EntityName=SM-SR");
  ASSERT_TRUE(zte.ok());
  EXPECT_EQ(zte->entity_id, "1.3.6.1.4.1.20");
  EXPECT_EQ(zte->entity_name, "SM-SR");
  EXPECT_EQ(EntityAddress::Parse("https://x").status().sgp()->reason(), "2.2");
  EXPECT_EQ(EntityAddress::Parse("https://x?EntityId=abc").status().sgp()->reason(), "2.1");
  EXPECT_FALSE((EntityAddress{"https://x?q", "1.2", {}}.Format().ok()));
  EXPECT_FALSE((EntityAddress{"https://x", "1..2", {}}.Format().ok()));
}

TEST(MessageId, UuidFromInjectedRandom) {
  // RFC 4122 §4.4 version-4 UUID from bytes 00..0f; expected value from python3
  // uuid.UUID(bytes=bytes(range(16)), version=4).
  Bytes script;
  for (uint8_t i = 0; i < 32; ++i) script.push_back(static_cast<uint8_t>(i % 16));
  ScriptedRandom random(script);
  FakeClock clock;  // 1700000000 s = 2023-11-14T22:13:20Z
  MessageIdFactory ids("1.3.6.1.4.1.10", random, clock);
  auto id = ids.NewMessageId();
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id,
            "//1.3.6.1.4.1.10/urn:uuid:00010203-0405-4607-8809-0a0b0c0d0e0f"
            "?TransactionId=urn:uuid:00010203-0405-4607-8809-0a0b0c0d0e0f"
            "&MessageDate=2023-11-14T22:13:20Z");
  EXPECT_FALSE(ids.NewMessageId().ok());  // the script ran out: an error, not a repeat
  const MessageIdParts parts = SplitMessageId(*id);
  EXPECT_EQ(parts.sender_id, "1.3.6.1.4.1.10");
  EXPECT_EQ(parts.uuid_urn, "urn:uuid:00010203-0405-4607-8809-0a0b0c0d0e0f");
  EXPECT_EQ(parts.transaction_id, "urn:uuid:00010203-0405-4607-8809-0a0b0c0d0e0f");
  EXPECT_EQ(parts.message_date, "2023-11-14T22:13:20Z");
  EXPECT_EQ(SplitMessageId("urn:uuid:x").uuid_urn, "urn:uuid:x");
}

class CountingRandom final : public Random {
 public:
  Status Fill(std::span<uint8_t> out) override {
    for (uint8_t& b : out) b = static_cast<uint8_t>(n_++ * 37);
    return Status::Ok();
  }

 private:
  uint32_t n_ = 0;
};

TEST(Exchange, SynchronousAsynchronousNotification) {
  CountingRandom random;
  FakeClock clock;
  MessageIdFactory smdp_ids("1.2.10", random, clock), smsr_ids("1.2.20", random, clock);
  const Sender smdp{{"https://smdp.example/ES3/ES3SmDpService", "1.2.10", "SM-DP"}};
  const Sender smsr{{"https://smsr.example/ES3/ES3SmSrService", "1.2.20", {}}};

  auto req =
      RequestAddressing(Exchange::kAsynchronous, smdp, "https://smsr.example/ES3?EntityId=1.2.20",
                        "http://gsma.com/ES3/ProfileManagement/ES3-CreateISDP",
                        "https://smdp.example/ES3/ES3SmDpService", smdp_ids);
  ASSERT_TRUE(req.ok()) << req.status().ToString();
  EXPECT_EQ(req->reply_to, "https://smdp.example/ES3/ES3SmDpService");
  EXPECT_EQ(AcknowledgementFor(Exchange::kAsynchronous), Acknowledgement::kAcceptedEmpty);

  auto cb =
      ResponseAddressing(Exchange::kAsynchronous, *req, smsr,
                         "http://gsma.com/ES3/ProfileManagementCallBack/ES3-CreateISDP", smsr_ids);
  ASSERT_TRUE(cb.ok());
  EXPECT_EQ(cb->to, "https://smdp.example/ES3/ES3SmDpService");
  EXPECT_EQ(cb->relates_to, req->message_id);
  EXPECT_FALSE(cb->reply_to.has_value());
  EXPECT_EQ(SplitMessageId(cb->message_id).transaction_id,
            SplitMessageId(req->message_id).transaction_id);
  EXPECT_NE(cb->message_id, req->message_id);
  EXPECT_EQ(SplitMessageId(cb->message_id).sender_id, "1.2.20");

  auto sync =
      RequestAddressing(Exchange::kSynchronous, smdp, "https://smsr.example/ES3",
                        "http://gsma.com/ES3/ProfileManagement/ES3-GetEISRequest", "", smdp_ids);
  ASSERT_TRUE(sync.ok());
  EXPECT_FALSE(sync->reply_to.has_value());
  auto resp =
      ResponseAddressing(Exchange::kSynchronous, *sync, smsr,
                         "http://gsma.com/ES3/ProfileManagement/ES3-GetEISResponse", smsr_ids);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->to, sync->from);
  EXPECT_EQ(AcknowledgementFor(Exchange::kSynchronous), Acknowledgement::kResponseEnvelope);

  // No callback without a callable ReplyTo; an async request needs one; notifications have no
  // response.
  Addressing no_reply = *req;
  no_reply.reply_to = std::string(kWsaAnonymous);
  EXPECT_EQ(ResponseAddressing(Exchange::kAsynchronous, no_reply, smsr, "urn:a", smsr_ids)
                .status()
                .kind(),
            ErrorKind::kFailedPrecondition);
  EXPECT_FALSE(
      RequestAddressing(Exchange::kAsynchronous, smdp, "https://x", "urn:a", "", smdp_ids).ok());
  EXPECT_FALSE(ResponseAddressing(Exchange::kNotification, *req, smsr, "urn:a", smsr_ids).ok());
  EXPECT_EQ(AcknowledgementFor(Exchange::kNotification), Acknowledgement::kAcceptedEmpty);
}

}  // namespace
}  // namespace m2mrsp::soap
