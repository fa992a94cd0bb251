// Categories (MX's default taxonomy and each user's own) and merchants.
#include <string>
#include <vector>

#include "api/codec.h"
#include "api/errors.h"
#include "api/routes.h"
#include "domain/data_generator.h"

namespace mxemu::api {
namespace {

// The page limit of each listing, as the specs give it: `recordsPerPage` (at most 100) for
// GET /categories/default, `recordsPerPageMax1000` for the others.
constexpr int kDefaultListMax = 100;
constexpr int kListMax = 1000;

Response json_page(RouteContext& ctx, std::string_view key, const std::vector<json>& all,
                   int max_per_page) {
  const auto page = domain::slice_page(all, page_request(ctx.request, max_per_page));
  return list_response(ctx, key, page, [](const json& item) { return item; });
}

std::vector<json> default_categories(const domain::DataCatalog& catalog) {
  std::vector<json> out;
  out.reserve(catalog.categories.size());
  for (const auto& c : catalog.categories) out.push_back(category_json(c));
  return out;
}

json custom_category_json(RouteContext& ctx, const domain::CustomCategory& c) {
  // The emulator only makes custom categories under a catalog category (Emulator rules, the
  // snapshot's checks), so the parent is always found.
  return category_json(c, *ctx.emulator.catalog().find_category_by_guid(c.parent_guid));
}

domain::Result<domain::CategoryFields> category_fields(const json& body) {
  auto category = required_object(body, "category");
  if (!category) return category.error();
  domain::CategoryFields f;
  auto name = optional_string(**category, "name");
  auto parent = optional_string(**category, "parent_guid");
  auto metadata = optional_string(**category, "metadata");
  for (const auto* r : {&name, &parent, &metadata}) {
    if (!*r) return r->error();
  }
  f.name = *name;
  f.parent_guid = *parent;
  f.metadata = *metadata;
  return f;
}

Response category_response(RouteContext& ctx, const domain::CustomCategory& c) {
  return ctx.json(200, {{"category", custom_category_json(ctx, c)}});
}

}  // namespace

Response list_default_categories(RouteContext& ctx) {
  return json_page(ctx, "categories", default_categories(ctx.emulator.catalog()), kDefaultListMax);
}

Response read_default_category(RouteContext& ctx) {
  const domain::Category* c = ctx.emulator.catalog().find_category_by_guid(ctx.params[0]);
  if (c == nullptr) return record_not_found();
  return ctx.json(200, {{"category", category_json(*c)}});
}

Response list_default_categories_by_user(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  return json_page(ctx, "categories", default_categories(ctx.emulator.catalog()), kListMax);
}

Response list_categories(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  std::vector<json> all = default_categories(ctx.emulator.catalog());
  for (const auto& c : ctx.emulator.store().categories_of((*user)->guid)) {
    all.push_back(custom_category_json(ctx, c));
  }
  return json_page(ctx, "categories", all, kListMax);
}

Response create_category(RouteContext& ctx) {
  auto fields = category_fields(ctx.body);
  if (!fields) return error_response(fields.error());
  auto c = ctx.emulator.create_category(ctx.params[0], ctx.mode(), *fields);
  if (!c) return error_response(c.error());
  return category_response(ctx, **c);
}

Response read_category(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  if (const auto* c = ctx.emulator.catalog().find_category_by_guid(ctx.params[1])) {
    return ctx.json(200, {{"category", category_json(*c)}});
  }
  const auto* own = ctx.emulator.store().find_category((*user)->guid, ctx.params[1]);
  if (own == nullptr) return record_not_found();
  return category_response(ctx, *own);
}

Response update_category(RouteContext& ctx) {
  auto fields = category_fields(ctx.body);
  if (!fields) return error_response(fields.error());
  auto c = ctx.emulator.update_category(ctx.params[0], ctx.params[1], ctx.mode(), *fields);
  if (!c) return error_response(c.error());
  return category_response(ctx, **c);
}

Response delete_category(RouteContext& ctx) {
  auto status = ctx.emulator.delete_category(ctx.params[0], ctx.params[1], ctx.mode());
  if (!status) return error_response(status.error());
  return no_content();
}

Response list_merchants(RouteContext& ctx) {
  // `name`: "This will list only merchants in which the appended string appears" (the specs);
  // compared without regard to ASCII case, as the institutions' `name` filter is.
  const bool filtered = ctx.request.has_query_param("name");
  const std::string needle = filtered ? ascii_lower(ctx.request.query_param("name")) : "";
  std::vector<json> hits;
  for (const auto& m : ctx.emulator.catalog().merchants) {
    if (filtered && ascii_lower(m.name).find(needle) == std::string::npos) continue;
    hits.push_back(merchant_json(m));
  }
  return json_page(ctx, "merchants", hits, kListMax);
}

Response read_merchant_location(RouteContext& ctx) {
  const auto l = domain::find_merchant_location(ctx.emulator.catalog(), ctx.params[0]);
  if (!l) return record_not_found();
  return ctx.json(200, {{"merchant_location", merchant_location_json(*l)}});
}

Response read_merchant(RouteContext& ctx) {
  const domain::Merchant* m = ctx.emulator.catalog().find_merchant_by_guid(ctx.params[0]);
  if (m == nullptr) return record_not_found();
  return ctx.json(200, {{"merchant", merchant_json(*m)}});
}

}  // namespace mxemu::api
