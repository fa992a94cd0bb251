#pragma once

#include <cstdint>
#include <deque>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "api/journal.h"

namespace mxemu::api {

// Where a client broke MX's contract, with the journal entries that show it.
struct Finding {
  std::string rule;      // a stable id from conformance_rules()
  std::string severity;  // "error": MX refuses or misbehaves; "warning": MX advises against it
  std::string message;   // what happened, naming the member or path
  std::vector<std::uint64_t> sequences;  // journal sequence numbers, oldest first
  std::string reference;                 // where mx-behavior.md / MX's docs state the rule
};

// One rule of the report: its id, severity, what it checks and where MX says so.
struct ConformanceRule {
  std::string_view id;
  std::string_view severity;
  std::string_view summary;
  std::string_view reference;
};

// The one table of rules (conformance.cpp).
const std::vector<ConformanceRule>& conformance_rules();

// Evaluates the MX requests of a journal (oldest first; control and page requests are ignored)
// against every rule. Pure: the same entries give the same findings, in rule-table order, each
// rule's findings in journal order.
//
// Time between two requests is the larger of their wall-clock and emulated-clock gaps, so a
// client that waits in real time and one that advances the tenant's clock are judged alike.
std::vector<Finding> evaluate_conformance(const std::deque<JournalEntry>& entries);

// {"clean":bool, "evaluated":N, "findings":[…], "rules":[…]}.
nlohmann::json conformance_json(const std::vector<Finding>& findings, std::size_t evaluated);

}  // namespace mxemu::api
