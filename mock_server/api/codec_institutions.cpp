// InstitutionResponse and CredentialResponse.
#include <string>

#include "api/codec.h"

namespace mxemu::api {

using codec_detail::text_or_null;

json institution_json(const domain::Institution& institution, ApiVersion version) {
  json out{
      {"code", institution.code},
      {"forgot_password_url", text_or_null(institution.forgot_password_url)},
      {"forgot_username_url", text_or_null(institution.forgot_username_url)},
      {"instructional_text", text_or_null(institution.instructional_text)},
      {"instructional_text_steps", nullptr},  // not in the record
      {"is_disabled_by_client", false},       // the emulator has no client-side disabling
      {"iso_country_code", institution.iso_country_code},
      {"medium_logo_url", text_or_null(institution.medium_logo_url)},
      {"name", institution.name},
      {"small_logo_url", text_or_null(institution.small_logo_url)},
      {"supports_oauth", institution.supports_oauth},
      {"supports_tax_document", institution.supports_tax_document},
      {"trouble_signing_in_url", text_or_null(institution.trouble_signing_in_url)},
      {"url", text_or_null(institution.url)},
  };
  if (version == ApiVersion::kV20111101) {
    out["supports_account_identification"] = institution.supports_account_identification;
    out["supports_account_statement"] = institution.supports_account_statement;
    out["supports_account_verification"] = institution.supports_account_verification;
    out["supports_transaction_history"] = institution.supports_transaction_history;
  } else {
    out["created_at"] = text_or_null(institution.created_at);
    out["guid"] = institution.guid;
    out["is_hidden"] = false;  // every catalog institution accepts new members
    out["supported_products"] = institution.supported_products();
  }
  return out;
}

json credential_json(const domain::CredentialField& field) {
  return json{
      {"display_order", field.display_order},
      {"field_name", field.field_name},
      {"field_type", field.field_type},
      {"guid", field.guid},
      {"label", field.label},
      {"type", field.field_type},
  };
}

}  // namespace mxemu::api
