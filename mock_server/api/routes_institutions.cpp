// Institutions: list (with filters), favorites, read, credentials.
#include <algorithm>
#include <cctype>

#include "api/codec.h"
#include "api/errors.h"
#include "api/routes.h"

namespace mxemu::api {
namespace {

bool flag_matches(const Request& request, std::string_view param, bool value) {
  if (!request.has_query_param(param)) return true;
  return (request.query_param(param) == "true") == value;
}

// supported_products may come as ?supported_products[]=a&supported_products[]=b or a CSV.
std::vector<std::string> requested_products(const Request& request) {
  std::vector<std::string> out;
  for (const char* key : {"supported_products", "supported_products[]"}) {
    auto [first, last] = request.query.equal_range(key);
    for (auto it = first; it != last; ++it) {
      std::string_view v = it->second;
      while (!v.empty()) {
        const auto comma = v.find(',');
        out.emplace_back(v.substr(0, comma));
        if (comma == std::string_view::npos) break;
        v.remove_prefix(comma + 1);
      }
    }
  }
  return out;
}

bool matches(const Request& request, const domain::Institution& inst) {
  if (request.has_query_param("name") &&
      ascii_lower(inst.name).find(ascii_lower(request.query_param("name"))) == std::string::npos) {
    return false;
  }
  if (request.has_query_param("code") && inst.code != request.query_param("code")) return false;
  if (!flag_matches(request, "supports_account_identification",
                    inst.supports_account_identification) ||
      !flag_matches(request, "supports_account_statement", inst.supports_account_statement) ||
      !flag_matches(request, "supports_account_verification", inst.supports_account_verification) ||
      !flag_matches(request, "supports_transaction_history", inst.supports_transaction_history)) {
    return false;
  }
  const auto offered = inst.supported_products();
  const auto requested = requested_products(request);
  return std::all_of(requested.begin(), requested.end(), [&offered](const auto& p) {
    return std::find(offered.begin(), offered.end(), p) != offered.end();
  });
}

Response institutions_page(RouteContext& ctx, bool favorites_only) {
  std::vector<const domain::Institution*> hits;
  for (const auto& inst : ctx.emulator.institutions()) {
    if (favorites_only ? inst.is_favorite : matches(ctx.request, inst)) hits.push_back(&inst);
  }
  const auto page = domain::slice_page(hits, page_request(ctx.request, 100));
  return list_response(ctx, "institutions", page, [&](const domain::Institution* i) {
    return institution_json(*i, ctx.version);
  });
}

}  // namespace

Response list_institutions(RouteContext& ctx) { return institutions_page(ctx, false); }

Response list_favorite_institutions(RouteContext& ctx) { return institutions_page(ctx, true); }

Response read_institution(RouteContext& ctx) {
  const domain::Institution* inst = ctx.emulator.find_institution(ctx.params[0]);
  if (inst == nullptr) return error_response(404, "Unrecognized institution.");
  return ctx.json(200, {{"institution", institution_json(*inst, ctx.version)}});
}

Response list_institution_credentials(RouteContext& ctx) {
  const domain::Institution* inst = ctx.emulator.find_institution(ctx.params[0]);
  if (inst == nullptr) return error_response(404, "Unrecognized institution.");
  const auto page = domain::slice_page(inst->credentials, page_request(ctx.request, 1000));
  return list_response(ctx, "credentials", page,
                       [](const domain::CredentialField& f) { return credential_json(f); });
}

}  // namespace mxemu::api
