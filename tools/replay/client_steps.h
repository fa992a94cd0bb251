#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "target.h"

// Client steps: the orchestration client (mxclient, through its public headers only) run in
// process against a scenario's session, on the session's clock. The client talks through its
// own Transport interface; ClientTransport adapts it to Session::exchange (in process that is
// api::InProcessTransport, over --target the tenant's HTTP endpoint). Its Clock reads the
// tenant's clock and its Sleeper advances it, so nothing waits in real time. Its store is a
// private in-memory SQLite database per scenario.
//
// Each step returns an outcome document (scenarios/README.md lists its fields per step): what
// the client did and decided, the notices it sent and the MX calls it made. Scenario
// expectations are subsets of it and captures are JSON pointers into it.
namespace mxemu::replay {

// A client step that could not run (bad arguments the schema cannot catch, a client error
// the step did not expect). The message names what went wrong.
struct ClientStepError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class ClientSteps {
 public:
  explicit ClientSteps(Session& session);
  ~ClientSteps();
  ClientSteps(const ClientSteps&) = delete;
  ClientSteps& operator=(const ClientSteps&) = delete;

  // `kind` is a step kind starting with "client_" (scenario.cpp's table); `args` is templated.
  // Throws ClientStepError.
  nlohmann::json run(const std::string& kind, const nlohmann::json& args);

  // The client's invariants so far (the explorer's, through the expect_invariants step): no
  // aggregate call for a member whose status, as MX showed it to the client just before the
  // call, needs its user by the client's own policy; every notice sent is the kind the policy
  // gives the status it names (connection_restored only for CONNECTED). One line per
  // violation.
  std::vector<std::string> invariant_violations() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace mxemu::replay
