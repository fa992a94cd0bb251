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

// One page of `count` items; `item(i)` renders the i-th, and only the page's items are rendered
// (the default taxonomy alone is about 130 categories, and a page is 25).
template <class Render>
Response json_page(RouteContext& ctx, std::string_view key, std::size_t count, int max_per_page,
                   Render item) {
  return list_response(
      ctx, key, domain::slice_page<json>(count, page_request(ctx.request, max_per_page), item));
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

// The default taxonomy, then `user`'s own categories (none for nullptr), as one list.
Response category_page(RouteContext& ctx, const domain::User* user, int max_per_page) {
  const auto& defaults = ctx.emulator.catalog().categories;
  const std::vector<domain::CustomCategory> none;
  const auto& own = user == nullptr ? none : ctx.emulator.store().categories_of(user->guid);
  return json_page(
      ctx, "categories", defaults.size() + own.size(), max_per_page, [&](std::size_t i) {
        return i < defaults.size() ? category_json(defaults[i])
                                   : custom_category_json(ctx, own[i - defaults.size()]);
      });
}

}  // namespace

Response list_default_categories(RouteContext& ctx) {
  return category_page(ctx, nullptr, kDefaultListMax);
}

Response read_default_category(RouteContext& ctx) {
  const domain::Category* c = ctx.emulator.catalog().find_category_by_guid(ctx.params[0]);
  if (c == nullptr) return record_not_found();
  return ctx.json(200, {{"category", category_json(*c)}});
}

Response list_default_categories_by_user(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  return category_page(ctx, nullptr, kListMax);
}

Response list_categories(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  return category_page(ctx, *user, kListMax);
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
  std::vector<const domain::Merchant*> hits;
  for (const auto& m : ctx.emulator.catalog().merchants) {
    if (filtered && ascii_lower(m.name).find(needle) == std::string::npos) continue;
    hits.push_back(&m);
  }
  return json_page(ctx, "merchants", hits.size(), kListMax,
                   [&](std::size_t i) { return merchant_json(*hits[i]); });
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
