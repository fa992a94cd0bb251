#pragma once

// mxctl driven in process (mxctl::run) against the real emulator: the same commands and exit
// codes a script sees, in virtual time (its waits move the emulator's clock).

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli.h"
#include "flow_emulator_fixture.h"

namespace mxemu::testing {

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
  nlohmann::json json() const {
    const auto parsed = nlohmann::json::parse(out, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << out;
    return parsed;
  }
};

class MxctlTest : public FlowEmulatorTest {
 protected:
  // Runs `mxctl args...` with the test's emulator, clock, sleeper and a database of its own.
  // `sleeper` replaces the test's VirtualSleeper (e.g. one that is interrupted), and
  // `stop_requested` the default "stop at once"; it is handed the command's stdout so far (read
  // it only while no other thread of the command writes to it).
  using StopCheck = std::function<bool(const std::ostringstream& out)>;
  CliRun cli(std::vector<std::string> args, const std::string& stdin_text = "",
             mxclient::Sleeper* sleeper = nullptr, StopCheck stop_requested = {}) {
    std::istringstream in(stdin_text);
    std::ostringstream out;
    std::ostringstream err;
    mxctl::Environment env;
    env.getenv = [](const std::string& name) {
      if (name == "MX_CLIENT_ID") return std::string("client");
      if (name == "MX_API_KEY") return std::string("key");
      return std::string();
    };
    env.make_transport = [this](const std::string& base_url, std::chrono::milliseconds) {
      base_urls_.push_back(base_url);
      return transport_for_cli_ ? transport_for_cli_
                                : std::static_pointer_cast<mxclient::Transport>(transport_);
    };
    env.clock = &clock_;
    env.sleeper = sleeper != nullptr ? sleeper : &sleeper_;
    env.in = &in;
    env.out = &out;
    env.err = &err;
    env.stop_requested = [&out, &stop_requested] {
      return stop_requested ? stop_requested(out) : true;
    };
    env.open_url = open_url_;
    args.insert(args.end(), {"--db", db_});
    CliRun run;
    run.code = mxctl::run(args, env);
    run.out = out.str();
    run.err = err.str();
    return run;
  }

  // Enrols `app_user` and connects an MX Bank member by API with `password` (the credential
  // script decides the outcome), watching it; the watch's exit code must be `expected`.
  std::string enrol_and_connect(const std::string& app_user, const std::string& password,
                                int expected = mxctl::kExitOk) {
    EXPECT_EQ(cli({"enroll", app_user}).code, mxctl::kExitOk);
    CliRun connected =
        cli({"connect", app_user, "--institution", "mxbank", "--credential", "LOGIN=mxuser",
             "--credential", "PASSWORD=" + password, "--watch", "--json"});
    EXPECT_EQ(connected.code, expected) << connected.out << connected.err;
    return connected.json().value("member_guid", std::string());
  }

  // The only stored member's guid (after a connect by API).
  std::string only_member() {
    const auto members = cli({"status", "--json"}).json()["members"];
    EXPECT_EQ(members.size(), 1U) << members.dump();
    return members.empty() ? std::string() : members[0]["member_guid"].get<std::string>();
  }

  std::string db_ = dir_.file("mxctl.sqlite");
  std::vector<std::string> base_urls_;
  // The Environment's open_url (connect --browser --open): unset, opening fails.
  std::function<bool(const std::string& url)> open_url_;
  // When set, the CLI talks to MX through this instead of transport_ (a test's decorator).
  std::shared_ptr<mxclient::Transport> transport_for_cli_;
};

}  // namespace mxemu::testing
