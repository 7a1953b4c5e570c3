// es_peer: one ES endpoint in a process of its own, for the two-process binding tests
// (tests/integration/es_two_process_test.cc). It loads an entity from a directory written by
// `m2mrsp pki init` (binding/pki_node.h), listens with mutual TLS on 127.0.0.1, port 0, and
// serves, as an SM-SR with simple in-memory state:
//  - ES3.GetEIS (synchronous): the EIS built below for the sample EID of pki init; any other EID
//    is FAILED 8.1.1/3.9 (EID unknown; resolutions digest, subject/reason table);
//  - ES3.EnableProfile (asynchronous): 202 now, then the response POSTed to wsa:ReplyTo by the
//    binding; the profile must be on the eUICC (else 8.1.1/3.9 or 8.2.1/3.9) and becomes Enabled,
//    the previously Enabled one Disabled (SGP.02 §3.2: one Enabled profile per eUICC).
// With NOTIFY_ADDRESS ("https://host:port/path?EntityId=<oid>") it sends one
// ES3.HandleProfileEnabledNotification there at start, and one more for every line "notify" read
// on stdin.
//
// Usage: es_peer PKI_DIR ENTITY [NOTIFY_ADDRESS]   (ENTITY: folder name, OID or unique role)
// stdout: exactly one line "port=<n>", flushed once the endpoint accepts connections.
// stderr: diagnostics. Exit: 0 after SIGTERM/SIGINT or EOF on stdin (graceful shutdown);
// 2 for bad arguments (one line on stderr); 1 when the endpoint cannot start.
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>

#include "binding/es_client.h"
#include "binding/es_server.h"
#include "binding/pki_node.h"
#include "binding/url.h"
#include "gp/aids.h"

namespace m2mrsp {
namespace {

constexpr const char* kUsage = "usage: es_peer PKI_DIR ENTITY [NOTIFY_ADDRESS]";

// The sample EID `m2mrsp pki init` issues its eUICC certificate for (docs/formats/pki.md).
constexpr const char* kSampleEid = "89049032123451234512345678901235";

// Two profiles on the simulated eUICC: the first Enabled (with the fall-back attribute), the
// second Disabled. ICCIDs: 89 33 01 + serial, Luhn digit computed by Iccid::FromPayload.
constexpr const char* kIccidPayloads[] = {"893301000000000001", "893301000000000002"};

// A minimal ds:SignatureType body: the binding only carries EumSignature (verifying it is the
// EUM-certificate code's job), the schema only needs SignedInfo and SignatureValue.
constexpr const char* kEumSignatureXml =
    "<ds:SignedInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">"
    "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"
    "<ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256\"/>"
    "<ds:Reference URI=\"\"><ds:DigestMethod "
    "Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>"
    "<ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo>"
    "<ds:SignatureValue xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">AAAA</ds:SignatureValue>";

es::DateTime Now() {
  return es::DateTime{std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
}

es::SecurityDomain Domain(const Aid& aid, es::SdRole role, std::vector<Tar> tars) {
  es::SecurityDomain sd;
  sd.aid = aid;
  sd.tars = std::move(tars);
  sd.sin = {0x01};
  sd.sdin = {0x02};
  sd.role = role;
  es::Keyset keyset;
  keyset.version = 1;
  sd.keysets.push_back(std::move(keyset));
  return sd;
}

// The EIS of the simulated eUICC (SGP.02 §5.1.1.2 EIS; es/eis.h).
es::Eis SampleEis(const Eid& eid, const std::string& smsr_oid, const std::string& eum_oid,
                  const std::string& mno_oid) {
  es::Eis eis;
  es::EumSignedInfo& info = eis.eum_signed_info;
  info.eid = eid;
  info.eum_id = es::Oid{eum_oid};
  info.production_date = Now();
  info.platform_type = "m2mrsp es_peer";
  info.platform_version = "1.0.0";
  info.isd_p_loadfile_aid = gp::IsdPElfAid();
  info.isd_p_module_aid = gp::IsdPModuleAid();
  info.ecasd = Domain(gp::EcasdAid(), es::SdRole::kEcasd, {Tar::FromValue(0x000002)});
  info.euicc_capabilities.secure_packet_version = "2.1.0";
  info.euicc_capabilities.remote_provisioning_version = "4.2.0";
  eis.eum_signature.children = kEumSignatureXml;
  eis.remaining_memory = 500000;
  eis.available_memory_for_profiles = 400000;
  eis.smsr_id = es::Oid{smsr_oid};
  uint32_t tar = 0x000010;
  for (const char* payload : kIccidPayloads) {
    es::ProfileInfo p;
    p.iccid = *Iccid::FromPayload(payload);
    p.isd_p_aid = gp::IsdPAidForTar(Tar::FromValue(tar++));
    p.mno_id = es::Oid{mno_oid};
    p.fallback_attribute = eis.profile_info.empty();
    p.state = eis.profile_info.empty() ? es::ProfileState::kEnabled : es::ProfileState::kDisabled;
    p.allocated_memory = 50000;
    eis.profile_info.push_back(std::move(p));
  }
  eis.isd_r = Domain(gp::IsdRAid(), es::SdRole::kIsdR, {Tar::FromValue(0x000001)});
  return eis;
}

// The SM-SR's in-memory state: one eUICC.
class Smsr {
 public:
  explicit Smsr(es::Eis eis) : eis_(std::move(eis)) {}

  Result<es::Es3GetEisResponse> GetEis(const es::Es3GetEisRequest& r) {
    std::lock_guard lock(mu_);
    M2_RETURN_IF_ERROR(CheckEid(r.eid));
    es::Es3GetEisResponse resp;
    resp.eis = eis_;
    return resp;
  }

  // On success, `enabled` receives the notification for the profile now Enabled.
  Result<es::Es3EnableProfileResponse> EnableProfile(const es::Es3EnableProfileRequest& r) {
    std::lock_guard lock(mu_);
    M2_RETURN_IF_ERROR(CheckEid(r.eid));
    es::ProfileInfo* target = nullptr;
    for (es::ProfileInfo& p : eis_.profile_info) {
      if (p.iccid == r.iccid) target = &p;
    }
    if (target == nullptr) {
      return Status::Sgp(ErrorKind::kNotFound, "8.2.1", "3.9", "ICCID unknown on this eUICC");
    }
    for (es::ProfileInfo& p : eis_.profile_info) {
      if (p.state == es::ProfileState::kEnabled) p.state = es::ProfileState::kDisabled;
    }
    target->state = es::ProfileState::kEnabled;
    return es::Es3EnableProfileResponse{};
  }

  es::Es3HandleProfileEnabledNotification EnabledNotification() {
    std::lock_guard lock(mu_);
    es::Es3HandleProfileEnabledNotification n;
    n.eid = eis_.eum_signed_info.eid;
    for (const es::ProfileInfo& p : eis_.profile_info) {
      if (p.state == es::ProfileState::kEnabled) {
        n.iccid = p.iccid;
        n.mno_id = p.mno_id;
      }
    }
    n.completion_timestamp = Now();
    return n;
  }

 private:
  Status CheckEid(const Eid& eid) const {
    if (eid != eis_.eum_signed_info.eid) {
      return Status::Sgp(ErrorKind::kNotFound, "8.1.1", "3.9", "EID unknown");
    }
    return Status::Ok();
  }

  std::mutex mu_;
  es::Eis eis_;
};

int BadArguments(const std::string& why) {
  std::cerr << "es_peer: " << why << " (" << kUsage << ")" << std::endl;
  return 2;
}

std::string OidOfRole(const net::EntitiesFile& f, std::string_view role) {
  for (const net::EntityRecord& r : f.entities) {
    if (r.entity.role == role) return r.entity.oid;
  }
  return "";
}

// Sends the notification; failures are reported on stderr only (the test observes the receiver).
void Notify(binding::EsClient& client, const binding::Target& target, Smsr& smsr) {
  binding::CallInfo info;
  const Status s = client.Notify(target, smsr.EnabledNotification(), &info);
  std::cerr << "es_peer: notification to " << target.url << ": "
            << (s.ok() ? "acknowledged" : s.ToString()) << std::endl;
}

// Blocks until SIGTERM/SIGINT arrives on `signal_fd` or stdin reaches EOF; runs `on_notify` for
// every "notify" line on stdin.
void Serve(int signal_fd, const std::function<void()>& on_notify) {
  std::string line;
  for (;;) {
    pollfd fds[2] = {{signal_fd, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[0].revents != 0) return;
    if (fds[1].revents == 0) continue;
    char buf[256];
    const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // EOF: the parent is gone or asked us to stop
    for (ssize_t i = 0; i < n; ++i) {
      if (buf[i] != '\n') {
        if (line.size() < 64) line.push_back(buf[i]);
        continue;
      }
      if (line == "notify") on_notify();
      line.clear();
    }
  }
}

int Run(int argc, char** argv) {
  if (argc < 3 || argc > 4) return BadArguments("wrong number of arguments");
  // Signals become readable on a descriptor; blocked before any thread starts so that every
  // thread inherits the mask and none is interrupted by them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  if (::pthread_sigmask(SIG_BLOCK, &stop, nullptr) != 0) return 1;
  ::signal(SIGPIPE, SIG_IGN);
  const int signal_fd = ::signalfd(-1, &stop, SFD_CLOEXEC);
  if (signal_fd < 0) {
    std::cerr << "es_peer: signalfd: " << std::strerror(errno) << std::endl;
    return 1;
  }

  auto node = binding::LoadPkiNode(argv[1], argv[2]);
  if (!node.ok()) return BadArguments(node.status().ToString());
  std::optional<binding::Target> notify_target;
  if (argc == 4) {
    auto address = soap::EntityAddress::Parse(argv[3]);
    if (!address.ok()) return BadArguments("NOTIFY_ADDRESS: " + address.status().ToString());
    if (auto url = binding::ParseUrl(address->endpoint); !url.ok() || !url->tls) {
      return BadArguments("NOTIFY_ADDRESS must be an https URL");
    }
    notify_target = binding::Target{address->endpoint, address->entity_id};
  }
  const std::string eum_oid = OidOfRole(node->entities, "EUM");
  const std::string mno_oid = OidOfRole(node->entities, "MNO");
  if (eum_oid.empty() || mno_oid.empty()) return BadArguments("entities.json lacks EUM or MNO");
  Smsr smsr(SampleEis(*Eid::Parse(kSampleEid), node->self.oid, eum_oid, mno_oid));

  binding::EsServerOptions options;
  options.self = node->self;
  options.public_host = "localhost";  // pki init's TLS server certificates name DNS hosts only
  options.http.tls = node->server_tls;
  options.delivery.tls = node->client_tls;
  options.on_delivery = [](const binding::DeliveryOutcome& d) {
    std::cerr << "es_peer: callback " << d.action << " to " << d.url << ": "
              << (d.delivered ? "delivered" : "not delivered: " + d.last_error.ToString())
              << " after " << d.attempts << " attempt(s)" << std::endl;
  };
  binding::EsServer server(std::move(options));
  const std::vector<std::string> smdp_only = {"SM-DP"};  // ES3 is the SM-DP ↔ SM-SR interface
  server.Handle<es::Es3GetEisRequest>(
      [&smsr](const binding::CallContext&, const es::Es3GetEisRequest& r) {
        return smsr.GetEis(r);
      },
      smdp_only);
  server.Handle<es::Es3EnableProfileRequest>(
      [&smsr](const binding::CallContext&, const es::Es3EnableProfileRequest& r) {
        return smsr.EnableProfile(r);
      },
      smdp_only);
  if (Status s = server.Start(); !s.ok()) {
    std::cerr << "es_peer: cannot start: " << s.ToString() << std::endl;
    return 1;
  }
  std::cout << "port=" << server.port() << std::endl;  // endl flushes: the parent waits for it

  std::optional<binding::EsClient> client;
  if (notify_target) {
    binding::EsClientOptions co;
    co.self = binding::LocalEntity{node->self, server.url()};
    co.tls = node->client_tls;
    client.emplace(std::move(co));
    Notify(*client, *notify_target, smsr);
  }
  Serve(signal_fd, [&] {
    if (client) Notify(*client, *notify_target, smsr);
  });
  std::cerr << "es_peer: stopping" << std::endl;
  client.reset();
  server.Shutdown();
  ::close(signal_fd);
  return 0;
}

}  // namespace
}  // namespace m2mrsp

int main(int argc, char** argv) { return m2mrsp::Run(argc, argv); }
