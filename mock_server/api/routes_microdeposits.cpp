// Microdeposits (the "microdeposits" tag of both specs): create or pre-initiate, list, read,
// delete, verify; and the control API's view of the amounts, which only the end user's bank
// statement shows at MX.
#include <array>
#include <optional>
#include <string>

#include "api/codec.h"
#include "api/errors.h"
#include "api/routes.h"

namespace mxemu::api {
namespace {

json render(const RouteContext& ctx, const domain::Microdeposit& m) {
  const domain::Institution* inst =
      m.institution_guid ? ctx.emulator.find_institution(*m.institution_guid) : nullptr;
  return microdeposit_json(m, inst);
}

// A number under `object`.`key`, or nullopt when absent or not a number (the domain says why
// it needs both amounts).
std::optional<double> optional_number(const json& object, std::string_view key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

}  // namespace

domain::Result<domain::MicrodepositFields> microdeposit_fields(const json& body) {
  auto inner = required_object(body, "micro_deposit");
  if (!inner) return inner.error();
  domain::MicrodepositFields f;
  const std::array<std::pair<const char*, std::optional<std::string>*>, 7> keys = {
      {{"account_name", &f.account_name},
       {"account_number", &f.account_number},
       {"account_type", &f.account_type},
       {"routing_number", &f.routing_number},
       {"email", &f.email},
       {"first_name", &f.first_name},
       {"last_name", &f.last_name}}};
  for (const auto& [key, field] : keys) {
    auto value = optional_string(**inner, key);
    if (!value) return value.error();
    *field = std::move(*value);
  }
  return f;
}

json microdeposit_body(const RouteContext& ctx, const domain::Microdeposit& m) {
  return {{"micro_deposit", render(ctx, m)}};
}

namespace {

// The user's microdeposits, in creation order, under `key`.
Response list_microdeposits_as(RouteContext& ctx, std::string_view key) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  const auto& list = ctx.emulator.store().microdeposits_of((*user)->guid);
  return list_response(ctx, key, domain::slice_page(list, page_request(ctx.request, 1000)),
                       [&ctx](const domain::Microdeposit& m) { return render(ctx, m); });
}

}  // namespace

Response list_microdeposits(RouteContext& ctx) {
  return list_microdeposits_as(ctx, "micro_deposits");
}

// listUserVerifications: the same records, under the key both specs (and MX's SDK, which types
// it as an array) give MicrodepositResponseBody.
Response list_account_verifications(RouteContext& ctx) {
  return list_microdeposits_as(ctx, "micro_deposit");
}

Response create_microdeposit(RouteContext& ctx) {
  auto fields = microdeposit_fields(ctx.body);
  if (!fields) return error_response(fields.error());
  auto m = ctx.emulator.create_microdeposit(ctx.params[0], ctx.mode(), *fields);
  if (!m) return error_response(m.error());
  return ctx.json(200, microdeposit_body(ctx, **m));
}

Response read_microdeposit(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  const domain::Microdeposit* m =
      ctx.emulator.store().find_microdeposit((*user)->guid, ctx.params[1]);
  return m == nullptr ? record_not_found() : ctx.json(200, microdeposit_body(ctx, *m));
}

Response delete_microdeposit(RouteContext& ctx) {
  auto status = ctx.emulator.delete_microdeposit(ctx.params[0], ctx.params[1], ctx.mode());
  return status ? no_content() : error_response(status.error());
}

domain::Result<const domain::Microdeposit*> verify_with_body(RouteContext& ctx,
                                                             std::string_view guid) {
  auto inner = required_object(ctx.body, "micro_deposit");
  if (!inner) return inner.error();
  return ctx.emulator.verify_microdeposit(guid, optional_number(**inner, "deposit_amount_1"),
                                          optional_number(**inner, "deposit_amount_2"));
}

Response verify_microdeposit(RouteContext& ctx) {
  auto m = verify_with_body(ctx, ctx.params[0]);
  if (!m) return error_response(m.error());
  return ctx.json(200, microdeposit_body(ctx, **m));
}

Response control_microdeposit(RouteContext& ctx) {
  const domain::Microdeposit* m = ctx.emulator.store().find_microdeposit(ctx.params[0]);
  if (m == nullptr) return record_not_found();
  json out = render(ctx, *m);
  const bool deposited = domain::deposits_made(*m);
  out["deposit_amount_1"] = deposited ? json(m->deposit_cents_1 / 100.0) : json(nullptr);
  out["deposit_amount_2"] = deposited ? json(m->deposit_cents_2 / 100.0) : json(nullptr);
  out["failed_attempts"] = m->failed_attempts;
  return control_response(200, {{"micro_deposit", std::move(out)}});
}

}  // namespace mxemu::api
