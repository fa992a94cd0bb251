#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

// The invariants the explorer (explore.h) checks after every step, as the `expect_invariants`
// step runs them, so a shrunk walk written out as a scenario fails the same way when replayed.
namespace mxemu::replay {

// The first words of every invariant failure: the explorer tells these apart from other step
// failures (a step its random walk made inapplicable) when it shrinks a walk.
inline constexpr const char* kInvariantFailure = "invariant broken";

// Checks one member against what the emulator says happened (GET /_emulator/events, oldest
// first) and its status now (`status`: the "member" object of GET …/status):
//  - its status now, and every status its MEMBER events show, is one of MX's 22;
//  - each change of status the MEMBER events show is reachable by the transition table
//    (domain::transition_rows(), through any number of rows, the job's hidden state included),
//    starting from creation;
//  - every change into an end-user-actionable status produced exactly one CONNECTION_STATUS
//    webhook for that status, and no CONNECTION_STATUS webhook names another status or comes
//    without such a change;
//  - the status now is the last status the MEMBER events show (nothing changed unannounced).
// Returns one line per broken invariant; empty when all hold.
std::vector<std::string> check_member_invariants(const std::string& member_guid,
                                                 const nlohmann::json& status,
                                                 const nlohmann::json& events);

// `is_being_aggregated` in the member's status read (`status`, as above) agrees with the job
// the world holds for it: the member with guid `member_guid` in a tenant snapshot
// (GET /_emulator/snapshot, `world`), whose `job` is null when none runs. A member missing from
// the snapshot is broken too (an accepted create lost). One line per broken invariant.
std::vector<std::string> check_job_invariants(const std::string& member_guid,
                                              const nlohmann::json& status,
                                              const nlohmann::json& world);

}  // namespace mxemu::replay
