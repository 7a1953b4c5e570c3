// `m2mrsp ota wrap|unwrap`: build or open SCP80 secured packets (ETSI TS 102 225, 3GPP TS 31.115),
// optionally as SMS TPDUs. Keys given on the command line are parsed into SecretBytes and never
// printed, not even in errors. Text output is `field: value` lines; --json prints one object.
// Exit status: 0 success, 1 bad input, 2 parsed but the RC/CC (or the PoR's) did not verify.
#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "base/secret.h"
#include "scp/scp80_packet.h"
#include "scp/sms_concat.h"

namespace m2mrsp::app {
namespace {

using scp::PorSecurity;
using scp::Scp80Keys;

struct OtaOptions {
  std::string spi, kic, kid, tar = "000001", counter = "0000000000";
  std::string kic_key, kid_key;
  std::string address = "12345678";
  bool sms = false, json = false, por = false;
  std::vector<std::string> inputs;
};

void Fail(const OtaOptions& o, const std::string& message) {
  if (o.json) {
    std::cout << nlohmann::json{{"error", message}}.dump(-1, ' ', false,
                                                         nlohmann::json::error_handler_t::replace)
              << "\n";
  } else {
    std::cerr << "m2mrsp ota: " << message << "\n";
  }
  SetExitCode(1);
}

void Print(const OtaOptions& o, const nlohmann::json& j) {
  if (o.json) {
    std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return;
  }
  for (const auto& [k, v] : j.items()) {
    if (v.is_array()) {
      for (const auto& e : v)
        std::cout << k << ": "
                  << (e.is_string()
                          ? e.get<std::string>()
                          : e.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
                  << "\n";
    } else {
      std::cout << k << ": "
                << (v.is_string()
                        ? v.get<std::string>()
                        : v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
                << "\n";
    }
  }
}

Result<uint8_t> OneByte(const std::string& hex, const char* what) {
  auto b = FromHex(hex);
  if (!b.ok() || b->size() != 1)
    return InvalidArgument(std::string(what) + " must be one hex byte");
  return (*b)[0];
}

// Keys are optional (empty where the SPI needs none). The error never echoes the value.
Result<SecretBytes> Key(const std::string& hex, const char* what) {
  if (hex.empty()) return SecretBytes();
  auto k = SecretBytes::FromHex(hex);
  if (!k.ok()) return InvalidArgument(std::string(what) + " is not valid hex");
  return k;
}

struct Keys {
  SecretBytes kic, kid;
  Scp80Keys view() const { return {kic.view(), kid.view()}; }
};

Result<Keys> ReadKeys(const OtaOptions& o) {
  Keys k;
  M2_ASSIGN_OR_RETURN(k.kic, Key(o.kic_key, "--kic-key"));
  M2_ASSIGN_OR_RETURN(k.kid, Key(o.kid_key, "--kid-key"));
  return k;
}

Result<scp::Spi> ReadSpi(const std::string& hex) {
  auto b = FromHex(hex);
  if (!b.ok() || b->size() != 2) return InvalidArgument("--spi must be two hex bytes");
  return scp::Spi::Decode((*b)[0], (*b)[1]);
}

Status RunWrap(const OtaOptions& o) {
  if (o.inputs.size() != 1) return InvalidArgument("wrap takes exactly one DATA_HEX");
  scp::CommandHeader h;
  M2_ASSIGN_OR_RETURN(h.spi, ReadSpi(o.spi));
  M2_ASSIGN_OR_RETURN(h.kic, OneByte(o.kic, "--kic"));
  M2_ASSIGN_OR_RETURN(h.kid, OneByte(o.kid, "--kid"));
  M2_ASSIGN_OR_RETURN(h.tar, Tar::Parse(o.tar));
  M2_ASSIGN_OR_RETURN(Bytes counter, FromHex(o.counter));
  if (counter.size() != 5) return InvalidArgument("--counter must be five hex bytes");
  for (uint8_t b : counter) h.counter = h.counter << 8 | b;
  M2_ASSIGN_OR_RETURN(Bytes data, FromHex(o.inputs[0]));
  M2_ASSIGN_OR_RETURN(Keys keys, ReadKeys(o));
  M2_ASSIGN_OR_RETURN(Bytes packet, scp::WrapCommand(h, keys.view(), data));
  if (!o.sms) {
    if (o.json) {
      Print(o, {{"packet", ToHex(packet)}});
    } else {
      std::cout << ToHex(packet) << "\n";
    }
    return Status::Ok();
  }
  scp::SmsAddress originator;
  originator.digits = o.address;
  const std::array<uint8_t, 7> scts{};  // the SMSC stamps the real time; zeros here
  M2_ASSIGN_OR_RETURN(std::vector<Bytes> tpdus,
                      scp::CommandPacketToSmsDeliver(packet, originator, scts));
  if (o.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& t : tpdus) list.push_back(ToHex(t));
    Print(o, {{"packet", ToHex(packet)}, {"tpdus", list}});
  } else {
    for (const auto& t : tpdus) std::cout << ToHex(t) << "\n";
  }
  return Status::Ok();
}

nlohmann::json CommandJson(const scp::OpenedCommand& c, bool verified) {
  const scp::Spi& s = c.header.spi;
  Bytes spi{s.first(), s.second()};
  return {{"type", "command"},
          {"spi", ToHex(spi)},
          {"kic", ToHex(Bytes{c.header.kic})},
          {"kid", ToHex(Bytes{c.header.kid})},
          {"tar", c.header.tar.ToHex()},
          {"counter", c.header.counter},
          {"pcntr", c.pcntr},
          {"checksum", ToHex(c.checksum)},
          {"checksum_verified", s.integrity == scp::Integrity::kNone ? nlohmann::json(nullptr)
                                                                     : nlohmann::json(verified)},
          {"data", ToHex(c.data)}};
}

// Opens a command packet (CPL..end) and prints it.
Status ShowCommand(const OtaOptions& o, ByteView packet, const Keys& keys) {
  scp::CommandOpenResult r = scp::OpenCommand(packet, keys.view());
  if (r.command) {
    Print(o, CommandJson(*r.command, true));
    return Status::Ok();
  }
  if (r.unverified) {
    nlohmann::json j = CommandJson(*r.unverified, false);
    j["por_status"] = scp::PorStatusName(static_cast<uint8_t>(r.status));
    Print(o, j);
    SetExitCode(2);
    return Status::Ok();
  }
  return Status::Error(r.error.kind(), r.error.message() + " (PoR status " +
                                           scp::PorStatusName(static_cast<uint8_t>(r.status)) +
                                           ")");
}

// Opens a response packet (RPL..end) with the security given by --spi/--kic/--kid.
Status ShowResponse(const OtaOptions& o, ByteView packet, const Keys& keys) {
  PorSecurity sec;
  if (!o.spi.empty()) {
    M2_ASSIGN_OR_RETURN(scp::Spi spi, ReadSpi(o.spi));
    uint8_t kic = 0, kid = 0;
    if (!o.kic.empty()) {
      M2_ASSIGN_OR_RETURN(kic, OneByte(o.kic, "--kic"));
    }
    if (!o.kid.empty()) {
      M2_ASSIGN_OR_RETURN(kid, OneByte(o.kid, "--kid"));
    }
    sec = PorSecurity::ForCommand(spi, kic, kid);
  }
  auto r = scp::OpenResponse(packet, sec, keys.view());
  if (!r.ok()) {
    if (r.status().kind() == ErrorKind::kSecurity) {
      Print(o,
            {{"type", "response"}, {"checksum_verified", false}, {"error", r.status().message()}});
      SetExitCode(2);
      return Status::Ok();
    }
    return r.status();
  }
  Print(o, {{"type", "response"},
            {"tar", r->header.tar.ToHex()},
            {"counter", r->header.counter},
            {"pcntr", r->pcntr},
            {"status", ToHex(Bytes{r->header.status})},
            {"status_name", scp::PorStatusName(r->header.status)},
            {"checksum", ToHex(r->checksum)},
            {"checksum_verified", sec.integrity == scp::Integrity::kNone || !r->secured
                                      ? nlohmann::json(nullptr)
                                      : nlohmann::json(true)},
            {"secured", r->secured},
            {"data", ToHex(r->data)}});
  return Status::Ok();
}

Status RunUnwrap(const OtaOptions& o) {
  if (o.inputs.empty()) return InvalidArgument("unwrap needs at least one HEX argument");
  M2_ASSIGN_OR_RETURN(Keys keys, ReadKeys(o));
  if (!o.sms) {
    if (o.inputs.size() != 1) return InvalidArgument("without --sms, give one packet");
    M2_ASSIGN_OR_RETURN(Bytes in, FromHex(o.inputs[0]));
    // A PoR as pySim quotes it starts with its UDH 02 71 00.
    if (in.size() >= 3 && in[0] == 0x02 && in[1] == 0x71 && in[2] == 0x00) {
      return ShowResponse(o, ByteView(in).subspan(3), keys);
    }
    return o.por ? ShowResponse(o, in, keys) : ShowCommand(o, in, keys);
  }
  SystemClock clock;
  scp::SmsReassembler reassembler(clock);
  std::optional<scp::ReassembledPacket> done;
  for (size_t i = 0; i < o.inputs.size(); ++i) {
    M2_ASSIGN_OR_RETURN(Bytes tpdu, FromHex(o.inputs[i]));
    if (tpdu.empty()) return InvalidArgument("empty TPDU");
    Bytes user_data;
    std::string sender;
    bool udhi = false;
    if ((tpdu[0] & 0x03) == 0x00) {
      M2_ASSIGN_OR_RETURN(scp::SmsDeliver d, scp::SmsDeliver::Decode(tpdu));
      user_data = std::move(d.user_data), sender = d.originator.ToString(), udhi = d.udhi;
    } else if ((tpdu[0] & 0x03) == 0x01) {
      M2_ASSIGN_OR_RETURN(scp::SmsSubmit s, scp::SmsSubmit::Decode(tpdu));
      user_data = std::move(s.user_data), sender = s.destination.ToString(), udhi = s.udhi;
    } else {
      return InvalidArgument("TPDU is neither SMS-DELIVER nor SMS-SUBMIT");
    }
    if (!udhi) return InvalidArgument("TPDU has no user data header (TP-UDHI 0)");
    M2_ASSIGN_OR_RETURN(std::optional<scp::ReassembledPacket> got,
                        reassembler.Add(sender, user_data));
    if (got) {
      if (i + 1 != o.inputs.size()) return InvalidArgument("TPDUs after a complete packet");
      done = std::move(got);
    }
  }
  if (!done) return InvalidArgument("concatenated message incomplete");
  if (done->packet_iei == scp::kIeiResponsePacket) return ShowResponse(o, done->packet, keys);
  if (done->packet_iei == scp::kIeiCommandPacket) return ShowCommand(o, done->packet, keys);
  return InvalidArgument("user data header has neither IEI 70 nor 71");
}

void AddCommon(CLI::App* sub, const std::shared_ptr<OtaOptions>& o) {
  sub->add_option("--kic-key", o->kic_key, "KIc key (hex); never printed");
  sub->add_option("--kid-key", o->kid_key, "KID key (hex); never printed");
  sub->add_flag("--sms", o->sms, "SMS TPDUs instead of a bare packet");
  sub->add_flag("--json", o->json, "print one JSON object");
}

void RegisterOtaCommands(CLI::App& app) {
  auto* ota = app.add_subcommand("ota", "SCP80 secured packets (TS 102 225 / TS 31.115) and SMS");
  ota->require_subcommand(1);
  {
    auto o = std::make_shared<OtaOptions>();
    auto* wrap = ota->add_subcommand("wrap", "build a secured command packet");
    wrap->add_option("--spi", o->spi, "SPI, two bytes hex (e.g. 1639)")->required();
    wrap->add_option("--kic", o->kic, "KIc byte (e.g. 12 = key set 1, AES-CBC)")->required();
    wrap->add_option("--kid", o->kid, "KID byte (e.g. 12 = key set 1, AES-CMAC)")->required();
    wrap->add_option("--tar", o->tar, "TAR, three bytes hex")->required();
    wrap->add_option("--counter", o->counter, "CNTR, five bytes hex")->required();
    wrap->add_option("--originator", o->address, "TP-OA digits for --sms");
    wrap->add_option("DATA_HEX", o->inputs, "secured data")->required();
    AddCommon(wrap, o);
    wrap->callback([o] {
      if (Status s = RunWrap(*o); !s.ok()) Fail(*o, s.message());
    });
  }
  {
    auto o = std::make_shared<OtaOptions>();
    auto* unwrap = ota->add_subcommand("unwrap", "open a command packet or PoR, or SMS TPDUs");
    unwrap->add_option("--spi", o->spi, "for a PoR: the command's SPI (its second byte applies)");
    unwrap->add_option("--kic", o->kic, "for a PoR: the command's KIc byte");
    unwrap->add_option("--kid", o->kid, "for a PoR: the command's KID byte");
    unwrap->add_flag("--por", o->por, "the bare packet is a response packet (RPL..)");
    unwrap->add_option("HEX", o->inputs, "packet, or TPDUs in order with --sms")->required();
    AddCommon(unwrap, o);
    unwrap->callback([o] {
      if (Status s = RunUnwrap(*o); !s.ok()) Fail(*o, s.message());
    });
  }
}

const CommandRegistrar kRegistrar{"ota", "build/open SCP80 secured packets and their SMS TPDUs",
                                  RegisterOtaCommands};

}  // namespace
}  // namespace m2mrsp::app
