#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "domain/domain_event.h"

namespace mxemu::api {

// The webhook MX would send for `event`, in MX's documented payload shape (mx-behavior.md §6b):
// CONNECTION_STATUS, AGGREGATION, BALANCE, HISTORY, STATEMENT, VERIFICATION and the Members
// webhook. nullopt for events MX documents no webhook for (identification).
std::optional<nlohmann::json> webhook_payload(const domain::DomainEvent& event);

// MX's webhook "type" for an event ("CONNECTION_STATUS", "AGGREGATION", "MEMBER", ...).
std::string_view webhook_type(domain::DomainEventKind kind);

}  // namespace mxemu::api
