#include "euicc/admin_agent.h"

#include <algorithm>
#include <cctype>

#include "euicc/sms_pp.h"
#include "gp/aids.h"
#include "tlv/ber.h"

namespace m2mrsp::euicc {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// The media type compared case-insensitively, blanks around `;` ignored (RFC 7231 §3.1.1.1).
bool SameMediaType(std::string_view got, std::string_view want) {
  std::string a;
  for (char c : got) {
    if (c != ' ' && c != '\t') a.push_back(c);
  }
  return EqualsIgnoreCase(a, want);
}

// GP Amd B: AIDs in headers are `<RID>/<PIX>` in hex (security digest §5.5).
std::string AidForHeader(const Aid& aid) {
  const std::string hex = aid.ToHex();
  return hex.substr(0, 10) + "/" + hex.substr(10);
}

bool IsVisibleAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

// Splits an admin URI from the trigger into host (may be empty), port and path.
struct UriParts {
  std::string host;
  std::optional<uint16_t> port;
  std::string path;
};
Result<UriParts> SplitUri(const std::string& uri) {
  UriParts out;
  std::string_view rest = uri;
  for (std::string_view scheme : {"https://", "http://"}) {
    if (rest.size() >= scheme.size() && EqualsIgnoreCase(rest.substr(0, scheme.size()), scheme)) {
      rest.remove_prefix(scheme.size());
      const size_t slash = rest.find('/');
      std::string_view authority = rest.substr(0, slash);
      rest = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
      const size_t colon = authority.rfind(':');
      if (colon != std::string_view::npos) {
        const std::string_view digits = authority.substr(colon + 1);
        if (digits.empty() || digits.size() > 5 ||
            !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
          return ParseError("admin URI: bad port");
        const unsigned long value = std::stoul(std::string(digits));
        if (value == 0 || value > 0xFFFF) return ParseError("admin URI: bad port");
        out.port = static_cast<uint16_t>(value);
        authority = authority.substr(0, colon);
      }
      if (authority.empty()) return ParseError("admin URI: no host");
      out.host = std::string(authority);
      break;
    }
  }
  if (rest.empty() || rest.front() != '/') return ParseError("admin URI: path must start with /");
  out.path = std::string(rest);
  return out;
}

// `//aid/<RID>/<PIX>` (resolutions §6 [C2]).
Result<Aid> ParseTargetedApplication(std::string_view value) {
  constexpr std::string_view kPrefix = "//aid/";
  if (value.substr(0, kPrefix.size()) != kPrefix) {
    return ParseError("X-Admin-Targeted-Application: not //aid/<RID>/<PIX>");
  }
  value.remove_prefix(kPrefix.size());
  const size_t slash = value.find('/');
  if (slash != 10) return ParseError("X-Admin-Targeted-Application: RID is not 5 bytes");
  std::string hex(value.substr(0, slash));
  hex += value.substr(slash + 1);
  auto aid = Aid::Parse(hex);
  if (!aid.ok()) return ParseError("X-Admin-Targeted-Application: bad AID");
  return std::move(*aid);
}

}  // namespace

const std::string* HttpRequest::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return &value;
  }
  return nullptr;
}

Bytes DefaultPskIdentity(const Eid& eid, const Aid& isd_r, uint8_t kid, uint8_t kvn) {
  tlv::Builder b;
  b.Add(0x80, {0x02}).Add(0x81, AsView(eid.ToBcd())).Add(0x4F, isd_r.bytes());
  b.Add(0x82, {kid}).Add(0x83, {kvn});
  const Bytes tlvs = std::move(b).Finish();
  const std::string hex = ToHexUpper(AsView(tlvs));
  return Bytes(hex.begin(), hex.end());
}

AdminAgent::AdminAgent(OtaCard& card, const Clock& clock, Eid eid, Aid isd_r,
                       AdminAgentOptions options)
    : card_(card),
      clock_(clock),
      eid_(std::move(eid)),
      isd_r_(std::move(isd_r)),
      options_(std::move(options)) {}

Status AdminAgent::Start(ByteView trigger) {
  if (state_ == AdminSessionState::kReady || state_ == AdminSessionState::kAwaiting ||
      state_ == AdminSessionState::kBackoff) {
    return Status::Error(ErrorKind::kFailedPrecondition, "an admin session is already running");
  }
  M2_ASSIGN_OR_RETURN(AdminSessionTrigger t, ParseAdminSessionTrigger(trigger));
  const AdminAgentDefaults& d = options_.defaults;
  M2_ASSIGN_OR_RETURN(UriParts uri, SplitUri(t.uri.value_or(d.uri)));
  AdminTransport transport;
  // GP Amd B §3.8.4: the admin host parameter names the Host; an absolute admin URI may too.
  transport.host = t.host ? *t.host : (!uri.host.empty() ? uri.host : d.host);
  if (transport.host.empty()) return InvalidArgument("no admin host in the trigger or defaults");
  transport.port = t.port ? *t.port : uri.port.value_or(d.port);
  transport.destination_address = t.destination_address;
  const uint8_t kid = t.kid.value_or(d.psk_kid), kvn = t.kvn.value_or(d.psk_kvn);
  transport.psk_identity =
      t.psk_identity ? *t.psk_identity : DefaultPskIdentity(eid_, isd_r_, kid, kvn);
  std::optional<SecretBytes> psk = card_.Scp81Psk(AsView(transport.psk_identity));
  if (!psk) {
    return Status::Error(ErrorKind::kNotFound, "SCP81: no ISD-R PSK for the trigger's identity");
  }
  transport.psk = std::move(*psk);

  transport_ = std::move(transport);
  retry_ = t.retry.value_or(d.retry);
  // The first POST has no body and no script status (security digest §5.5 example).
  pending_ = BuildRequest(uri.path, {}, std::nullopt);
  resumed_ = false;
  retry_at_.reset();
  final_status_ = Status::Ok();
  report_failure_ = false;
  exchanges_ = scripts_run_ = failed_attempts_ = 0;
  state_ = AdminSessionState::kReady;
  return Status::Ok();
}

HttpRequest AdminAgent::BuildRequest(const std::string& path, Bytes body,
                                     std::optional<std::string_view> script_status) const {
  HttpRequest r;
  r.path = path;
  r.headers.emplace_back("Host", transport_.host);
  r.headers.emplace_back("X-Admin-Protocol", std::string(kAdminProtocol));
  r.headers.emplace_back("X-Admin-From",
                         "//se-id/eid/" + eid_.ToString() + ";//aa-id/aid/" + AidForHeader(isd_r_));
  if (script_status) {
    r.headers.emplace_back("Content-Type", std::string(kResponseContentType));
    r.headers.emplace_back("X-Admin-Script-Status", std::string(*script_status));
  }
  r.body = std::move(body);
  return r;
}

std::optional<HttpRequest> AdminAgent::NextRequest() {
  const Clock::MonoTime now = clock_.Monotonic();
  if (state_ == AdminSessionState::kAwaiting && now - sent_at_ >= options_.response_timeout) {
    Retry("response timeout");
  }
  if (state_ == AdminSessionState::kBackoff && retry_at_ && now >= *retry_at_) {
    state_ = AdminSessionState::kReady;
    retry_at_.reset();
  }
  if (state_ != AdminSessionState::kReady) return std::nullopt;
  state_ = AdminSessionState::kAwaiting;
  sent_at_ = now;
  HttpRequest r = pending_;
  // A repeated POST of a session that already ran scripts says it resumes [M].
  if (resumed_ && r.Header("X-Admin-Resume") == nullptr) {
    r.headers.emplace_back("X-Admin-Resume", "true");
  }
  return r;
}

void AdminAgent::Fail(Status status) {
  state_ = AdminSessionState::kFailed;
  final_status_ = std::move(status);
  retry_at_.reset();
}

void AdminAgent::Retry(std::string reason) {
  // GP Amd B §3.8.3: the retry counter bounds further attempts; each waits the retry delay.
  ++failed_attempts_;
  if (failed_attempts_ > retry_.retry_counter) {
    report_failure_ = retry_.report_failure;
    Fail(Status::Error(ErrorKind::kUnavailable, "admin session abandoned after " +
                                                    std::to_string(failed_attempts_) +
                                                    " failed attempts: " + reason));
    return;
  }
  resumed_ = resumed_ || exchanges_ > 0;
  state_ = AdminSessionState::kBackoff;
  retry_at_ = clock_.Monotonic() + retry_.delay;
}

void AdminAgent::OnTransportFailure(std::string_view what) {
  if (state_ != AdminSessionState::kAwaiting) return;
  Retry("transport: " + std::string(what));
}

void AdminAgent::OnResponse(const HttpResponse& response) {
  if (state_ != AdminSessionState::kAwaiting) return;
  if (response.status >= 400 && response.status <= 599) {
    Retry("HTTP " + std::to_string(response.status));
    return;
  }
  if (response.status == 204) {
    // GP Amd B / resolutions §6: 204 No Content closes the session [C2].
    state_ = AdminSessionState::kCompleted;
    final_status_ = Status::Ok();
    return;
  }
  if (response.status != 200) {
    Fail(ParseError("admin server answered HTTP " + std::to_string(response.status)));
    return;
  }
  Status handled = HandleScript(response);
  if (!handled.ok()) Fail(std::move(handled));
}

Status AdminAgent::HandleScript(const HttpResponse& response) {
  // One value per header we rely on; the same header twice is refused.
  std::optional<std::string> protocol, content_type, next_uri, targeted;
  for (const auto& [name, raw] : response.headers) {
    if (raw.size() > options_.max_header_value) return LimitExceeded("header value too long");
    std::optional<std::string>* slot = nullptr;
    if (EqualsIgnoreCase(name, "X-Admin-Protocol")) slot = &protocol;
    if (EqualsIgnoreCase(name, "Content-Type")) slot = &content_type;
    if (EqualsIgnoreCase(name, "X-Admin-Next-URI")) slot = &next_uri;
    if (EqualsIgnoreCase(name, "X-Admin-Targeted-Application")) slot = &targeted;
    if (slot == nullptr) continue;
    if (*slot) return ParseError("duplicate header " + name);
    *slot = Trim(raw);
  }
  if (!protocol || *protocol != kAdminProtocol) {
    return ParseError("X-Admin-Protocol missing or not " + std::string(kAdminProtocol));
  }
  if (!content_type || !SameMediaType(*content_type, kCommandContentType)) {
    return ParseError("Content-Type is not " + std::string(kCommandContentType));
  }
  // The next URI is where the results go; without it the agent cannot continue [C2].
  if (!next_uri || next_uri->empty() || next_uri->front() != '/' || !IsVisibleAscii(*next_uri) ||
      next_uri->size() > kMaxTriggerText) {
    return ParseError("X-Admin-Next-URI missing or not a printable absolute path");
  }
  if (response.body.size() > options_.max_body) return LimitExceeded("command script too long");
  if (++exchanges_ > options_.max_exchanges) {
    return LimitExceeded("admin session exceeded " + std::to_string(options_.max_exchanges) +
                         " exchanges");
  }

  Aid target = isd_r_;
  std::optional<std::string_view> status = "ok";
  if (targeted) {
    M2_ASSIGN_OR_RETURN(target, ParseTargetedApplication(*targeted));
  }
  bool is_isdp = false;
  if (target != isd_r_) {
    // SGP.02 §2.4.4 / security digest §5.7: ES8 traffic is forwarded to an existing ISD-P; the
    // application must exist on this card [C2].
    auto tar = gp::TarOfIsdPAid(target);
    const std::optional<Aid> found =
        IsIsdPAid(target) ? card_.ApplicationForTar(*tar) : std::optional<Aid>();
    if (!found || *found != target) {
      status = "unknown-application";
    } else {
      is_isdp = true;
    }
  }
  Bytes body;
  if (*status == "ok") {
    M2_ASSIGN_OR_RETURN(ScriptRun run, RunExpandedScript(card_, target, is_isdp,
                                                         AsView(response.body), options_.script));
    ++scripts_run_;
    body = std::move(run.response);
  }
  // GP Amd B: results go to the next URI, the status says whether the script could be run.
  pending_ = BuildRequest(*next_uri, std::move(body), status);
  failed_attempts_ = 0;  // the retry counter covers one exchange [M]
  state_ = AdminSessionState::kReady;
  return Status::Ok();
}

}  // namespace m2mrsp::euicc
