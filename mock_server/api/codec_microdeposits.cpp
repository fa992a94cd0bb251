// Microdeposits on MX's wire: the API's MicrodepositResponse and the MICRODEPOSIT webhook's
// micro_deposit, which MX shapes differently (numeric status and account type, institution guid).
#include "api/codec.h"

namespace mxemu::api {

using codec_detail::iso_or_null;
using codec_detail::or_null;

json microdeposit_json(const domain::Microdeposit& m, const domain::Institution* institution) {
  return json{
      {"account_name", or_null(m.account_name)},
      {"account_number", or_null(m.account_number)},
      {"account_type", or_null(m.account_type)},
      {"created_at", domain::format_iso8601(m.created_at)},
      {"email", or_null(m.email)},
      {"error_code", nullptr},
      {"error_message", or_null(m.error_message)},
      {"first_name", or_null(m.first_name)},
      {"guid", m.guid},
      {"institution_code", institution != nullptr ? json(institution->code) : json(nullptr)},
      {"institution_name", institution != nullptr ? json(institution->name) : json(nullptr)},
      {"last_name", or_null(m.last_name)},
      {"routing_number", or_null(m.routing_number)},
      {"status", std::string(domain::to_wire(m.status))},
      {"updated_at", domain::format_iso8601(m.updated_at)},
      {"verified_at", iso_or_null(m.verified_at)},
  };
}

json microdeposit_webhook_json(const domain::Microdeposit& m,
                               const std::optional<std::string>& user_id) {
  // MX's webhook gives the account type as a number: 1 CHECKING, 2 SAVINGS (Connect's
  // ReadableAccountTypes).
  json account_type = nullptr;
  if (m.account_type == "CHECKING") account_type = 1;
  if (m.account_type == "SAVINGS") account_type = 2;
  return json{
      {"account_number", or_null(m.account_number)},
      {"account_type", account_type},
      {"created_at", domain::format_iso8601(m.created_at)},
      {"guid", m.guid},
      {"institution_guid", or_null(m.institution_guid)},
      {"routing_number", or_null(m.routing_number)},
      {"status", domain::to_code(m.status)},
      {"status_name", std::string(domain::to_wire(m.status))},
      {"updated_at", domain::format_iso8601(m.updated_at)},
      {"user_guid", m.user_guid},
      {"user_id", or_null(user_id)},
      {"verified_at", iso_or_null(m.verified_at)},
  };
}

}  // namespace mxemu::api
