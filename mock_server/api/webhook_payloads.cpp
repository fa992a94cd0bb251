#include "api/webhook_payloads.h"

#include "api/codec.h"
#include "domain/timestamps.h"

namespace mxemu::api {
namespace {

using domain::DomainEventKind;
using nlohmann::json;

json data_updated(const domain::DomainEvent& e, std::string_view type) {
  return {{"action", "member_data_updated"},
          {"completed_at", domain::unix_seconds(e.at)},
          {"completed_on", domain::format_date(e.at)},
          {"member_guid", e.member_guid},
          {"type", type},
          {"user_guid", e.user_guid}};
}

}  // namespace

std::string_view webhook_type(DomainEventKind kind) {
  switch (kind) {
    case DomainEventKind::kConnectionStatus:
      return "CONNECTION_STATUS";
    case DomainEventKind::kAggregation:
      return "AGGREGATION";
    case DomainEventKind::kBalance:
      return "BALANCE";
    case DomainEventKind::kHistory:
      return "HISTORY";
    case DomainEventKind::kStatement:
      return "STATEMENT";
    case DomainEventKind::kReward:
      return "REWARD";
    case DomainEventKind::kVerification:
      return "VERIFICATION";
    case DomainEventKind::kIdentification:
      return "IDENTIFICATION";
    case DomainEventKind::kMemberCreated:
    case DomainEventKind::kMemberUpdated:
    case DomainEventKind::kMemberDeleted:
      return "MEMBER";
    case DomainEventKind::kMicrodepositCreated:
    case DomainEventKind::kMicrodepositUpdated:
      return "MICRODEPOSIT";
  }
  return "MEMBER";
}

std::optional<json> webhook_payload(const domain::DomainEvent& e) {
  switch (e.kind) {
    case DomainEventKind::kConnectionStatus:
      return json{{"action", "CHANGED"},
                  {"connection_status", domain::to_wire(e.status)},
                  {"connection_status_id", domain::to_code(e.status)},
                  {"connection_status_message", e.status_message},
                  {"member_guid", e.member_guid},
                  {"type", "CONNECTION_STATUS"},
                  {"user_guid", e.user_guid}};
    case DomainEventKind::kAggregation:
    case DomainEventKind::kHistory: {
      json j = data_updated(e, webhook_type(e.kind));
      j["is_background"] = e.is_background;
      j["job_guid"] = string_or_null(e.job_guid);
      j["transactions_created_count"] = e.created_count;
      j["transactions_updated_count"] = e.updated_count;
      j["user_id"] = string_or_null(e.user_id);
      return j;
    }
    case DomainEventKind::kBalance:
      return data_updated(e, "BALANCE");
    case DomainEventKind::kStatement: {
      json j = data_updated(e, "STATEMENT");
      j["statements_created_count"] = e.created_count;
      return j;
    }
    case DomainEventKind::kReward: {
      // mx-behavior.md §6: REWARD carries rewards_created_count and rewards_updated_count.
      json j = data_updated(e, "REWARD");
      j["rewards_created_count"] = e.created_count;
      j["rewards_updated_count"] = e.updated_count;
      return j;
    }
    case DomainEventKind::kVerification: {
      json j = data_updated(e, "VERIFICATION");
      j["accounts"] = e.account_guids;
      j["job_guid"] = string_or_null(e.job_guid);
      j["user_id"] = string_or_null(e.user_id);
      return j;
    }
    case DomainEventKind::kIdentification:
      return std::nullopt;
    case DomainEventKind::kMicrodepositCreated:
    case DomainEventKind::kMicrodepositUpdated:
      // MX's microdeposits webhook: {"action","version":1,"micro_deposit":{…}}, no "type".
      if (!e.micro_deposit) return std::nullopt;
      return json{
          {"action", e.kind == DomainEventKind::kMicrodepositCreated ? "created" : "updated"},
          {"micro_deposit", microdeposit_webhook_json(*e.micro_deposit, e.user_id)},
          {"version", 1}};
    case DomainEventKind::kMemberCreated:
    case DomainEventKind::kMemberUpdated:
    case DomainEventKind::kMemberDeleted: {
      const char* action = e.kind == DomainEventKind::kMemberCreated   ? "created"
                           : e.kind == DomainEventKind::kMemberDeleted ? "deleted"
                                                                       : "updated";
      const json status =
          e.status == domain::ConnectionStatus::kNone ? json() : json(domain::to_wire(e.status));
      return json{{"action", action},
                  {"member",
                   {{"connection_status", status},
                    {"connection_status_id", e.status == domain::ConnectionStatus::kNone
                                                 ? json()
                                                 : json(domain::to_code(e.status))},
                    {"connection_status_message", e.status_message},
                    {"guid", e.member_guid},
                    {"is_being_aggregated", e.is_being_aggregated},
                    {"updated_at", domain::unix_seconds(e.at)},
                    {"user_guid", e.user_guid},
                    {"user_id", string_or_null(e.user_id)}}},
                  {"type", "MEMBER"}};
    }
  }
  return std::nullopt;
}

}  // namespace mxemu::api
