// The eUICC's HTTPS administration agent (GlobalPlatform Amendment B "RAM over HTTP", SCP81;
// SGP.02 §2.4.4 ES5 over HTTPS): pure session logic, no sockets. A push trigger (the secured
// data of an SCP80 SMS to the ISD-R) starts a session; the agent then hands out one HttpRequest
// at a time (POST to the admin URI, then to each X-Admin-Next-URI, carrying the response script
// of the previous command script) and consumes each HttpResponse: `200` with a command script is
// executed on the ISD-R or on the X-Admin-Targeted-Application, `204` ends the session.
// Transport failures and `4xx`/`5xx` answers are retried per the trigger's retry policy on the
// injected clock; malformed answers end the session with an error.
//
// Header set and flow: security digest §5.5, resolutions §6 [C2 WHTY + Njiwa]; decisions and
// confidence in docs/spec-map.parts/euicc-frontends.md. The card and clock are borrowed and must
// outlive the agent. Not thread-safe; one session at a time (SGP.02: no concurrent sessions).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/aid.h"
#include "base/bytes.h"
#include "base/clock.h"
#include "base/eid.h"
#include "base/secret.h"
#include "base/status.h"
#include "euicc/admin_agent_trigger.h"
#include "euicc/ota_card.h"
#include "euicc/sms_pp_script.h"

namespace m2mrsp::euicc {

inline constexpr std::string_view kAdminProtocol = "globalplatform-remote-admin/1.0";
inline constexpr std::string_view kCommandContentType =
    "application/vnd.globalplatform.card-content-mgt;version=1.0";
inline constexpr std::string_view kResponseContentType =
    "application/vnd.globalplatform.card-content-mgt-response;version=1.0";

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// What the transport sends (it adds Content-Length or chunking itself).
struct HttpRequest {
  std::string method = "POST";
  std::string path;
  HttpHeaders headers;
  Bytes body;
  // First header with this name (case-insensitive), or nullptr.
  const std::string* Header(std::string_view name) const;
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  Bytes body;
};

// Where and how to connect: the PSK-TLS parameters for the transport (SCP81: the eUICC is the
// TLS client, PSK = the ISD-R key named by the identity). Move-only (holds the PSK).
struct AdminTransport {
  std::string host;
  uint16_t port = 443;
  Bytes destination_address;  // trigger `3E` (type ‖ address) when given
  Bytes psk_identity;
  SecretBytes psk;
};

// Values used when the trigger leaves them out (or is `81 00`).
struct AdminAgentDefaults {
  std::string host;
  uint16_t port = 443;
  std::string uri = "/";
  uint8_t psk_kvn = 0x40;  // ISD-R PSK key versions 40–4F (security digest §5.5) [S/C]
  uint8_t psk_kid = 0x01;  // [M]
  RetryPolicy retry;       // no retry unless configured
};

struct AdminAgentOptions {
  AdminAgentDefaults defaults;
  ScriptRunLimits script;
  size_t max_body = 64 * 1024;  // command script accepted in one response
  size_t max_header_value = 512;
  size_t max_exchanges = 64;  // POSTs per session, retries excluded
  std::chrono::seconds response_timeout{60};
};

enum class AdminSessionState {
  kIdle,       // no session
  kReady,      // a request is due: NextRequest() returns it
  kAwaiting,   // a request is in flight
  kBackoff,    // waiting for the retry delay
  kCompleted,  // ended by `204`
  kFailed,     // ended by an error (final_status() says which)
};

// The PSK identity SGP.02 §2.4.4 (Table 4, as Njiwa cites v4.1) defines when the trigger gives
// none: ASCII upper-case hex of `80 01 02 | 81 10 EID | 4F 10 ISD-R AID | 82 01 KID | 83 01 KVN`
// [C Njiwa].
Bytes DefaultPskIdentity(const Eid& eid, const Aid& isd_r, uint8_t kid, uint8_t kvn);

class AdminAgent {
 public:
  AdminAgent(OtaCard& card, const Clock& clock, Eid eid, Aid isd_r, AdminAgentOptions options = {});

  // Parses the trigger and resolves the PSK. Errors (session not started) for a malformed
  // trigger, no admin host/URI, an unknown PSK identity, or a session already running.
  Status Start(ByteView trigger);

  // Valid after a successful Start().
  const AdminTransport& transport() const { return transport_; }

  // The request to send now, or nullopt when none is due (in flight, backing off, or ended).
  // Also notices an expired response timeout (counted as a transport failure).
  std::optional<HttpRequest> NextRequest();
  // The answer to the request last returned by NextRequest().
  void OnResponse(const HttpResponse& response);
  // Connection, TLS or timeout failure of the request in flight.
  void OnTransportFailure(std::string_view what);

  AdminSessionState state() const { return state_; }
  // When the next attempt is allowed (kBackoff only).
  std::optional<Clock::MonoTime> retry_at() const { return retry_at_; }
  // OK after `204`; the cause after a failure.
  const Status& final_status() const { return final_status_; }
  bool report_failure() const { return report_failure_; }
  size_t scripts_run() const { return scripts_run_; }
  size_t failed_attempts() const { return failed_attempts_; }

 private:
  void Fail(Status status);
  void Retry(std::string reason);
  Status HandleScript(const HttpResponse& response);
  HttpRequest BuildRequest(const std::string& path, Bytes body,
                           std::optional<std::string_view> script_status) const;

  OtaCard& card_;
  const Clock& clock_;
  Eid eid_;
  Aid isd_r_;
  AdminAgentOptions options_;

  AdminSessionState state_ = AdminSessionState::kIdle;
  AdminTransport transport_;
  RetryPolicy retry_;
  HttpRequest pending_;  // the request to (re)send
  bool resumed_ = false;
  Clock::MonoTime sent_at_{};
  std::optional<Clock::MonoTime> retry_at_;
  Status final_status_;
  bool report_failure_ = false;
  size_t exchanges_ = 0;
  size_t scripts_run_ = 0;
  size_t failed_attempts_ = 0;
};

}  // namespace m2mrsp::euicc
