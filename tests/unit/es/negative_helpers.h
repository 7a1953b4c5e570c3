// Shared by the strict-decoding tests (negative_test.cc, additions_negative_test.cc): a
// hand-written SOAP envelope around a body, and the SGP.02 codes a refusal must carry.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "base/status.h"

namespace m2mrsp::es::testing {

inline std::string Envelope(std::string_view action, std::string_view body) {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8"?>)"
                     R"(<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" )"
                     R"(xmlns:a="http://www.w3.org/2005/08/addressing"><e:Header>)"
                     R"(<a:From><a:Address>https://x?EntityId=1.2</a:Address></a:From>)"
                     R"(<a:To>https://y?EntityId=1.3</a:To><a:MessageID>urn:uuid:1</a:MessageID>)"
                     R"(<a:Action>)") +
         std::string(action) + "</a:Action></e:Header><e:Body>" + std::string(body) +
         "</e:Body></e:Envelope>";
}

// `r` failed with SGP.02 subject/reason codes `subject`/`reason`.
template <typename T>
void ExpectCodes(const Result<T>& r, std::string_view subject, std::string_view reason) {
  ASSERT_FALSE(r.ok());
  ASSERT_TRUE(r.status().sgp().has_value()) << r.status().ToString();
  EXPECT_EQ(r.status().sgp()->subject(), subject) << r.status().ToString();
  EXPECT_EQ(r.status().sgp()->reason(), reason) << r.status().ToString();
}

}  // namespace m2mrsp::es::testing
