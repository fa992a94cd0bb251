// Transactions: lists by user, member and account (date filters, includes, pagination), reads,
// updates.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "api/codec.h"
#include "api/errors.h"
#include "api/routes.h"
#include "domain/timestamps.h"

namespace mxemu::api {
namespace {

// A from_date/to_date value: YYYY-MM-DD (v20111101's spec, MX's guides) or Unix seconds
// (v20250224's spec: "This only supports unix timestamp format"), the day of that UTC instant.
// Both are accepted in both versions; anything else is nullopt.
std::optional<domain::DayNumber> parse_transaction_day(const std::string& text) {
  if (auto day = domain::parse_day(text)) return day;
  // Up to 9999-12-31T23:59:59Z, the last instant a YYYY-MM-DD names. The day is computed in
  // seconds: a TimePoint (nanoseconds) overflows after 2262.
  constexpr std::int64_t kLastSecond = 253402300799;
  constexpr std::int64_t kSecondsPerDay = 86400;
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t seconds = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    seconds = seconds * 10 + (c - '0');
  }
  if (seconds > kLastSecond) return std::nullopt;
  return seconds / kSecondsPerDay;
}

// MX's transaction filters: from_date/to_date (YYYY-MM-DD or Unix seconds; defaults 120 days
// back and 5 days ahead) and the from_updated_at/to_updated_at pair, which must come together.
domain::Result<domain::TransactionFilter> date_filter(const RouteContext& ctx) {
  domain::TransactionFilter f;
  const domain::DayNumber today = domain::day_of(ctx.emulator.now());
  auto date_param = [&](std::string_view name,
                        domain::DayNumber fallback) -> domain::Result<std::string> {
    if (!ctx.request.has_query_param(name)) return domain::format_day(fallback);
    auto day = parse_transaction_day(ctx.request.query_param(name));
    if (!day) {
      return domain::make_error(
          domain::ErrorCode::kBadRequest,
          "Please confirm YYYY-MM-DD or Unix timestamp format for " + std::string(name) + ".");
    }
    return domain::format_day(*day);
  };
  auto day_param = [&](std::string_view name,
                       domain::DayNumber fallback) -> domain::Result<std::string> {
    if (!ctx.request.has_query_param(name)) return domain::format_day(fallback);
    auto day = domain::parse_day(ctx.request.query_param(name));
    if (!day) {
      return domain::make_error(domain::ErrorCode::kBadRequest,
                                "Please confirm YYYY-MM-DD format for " + std::string(name) + ".");
    }
    return domain::format_day(*day);
  };
  auto from = date_param("from_date", today - 120);
  if (!from) return from.error();
  auto to = date_param("to_date", today + 5);
  if (!to) return to.error();
  f.from_date = *from;
  f.to_date = *to;
  const bool has_from_updated = ctx.request.has_query_param("from_updated_at");
  const bool has_to_updated = ctx.request.has_query_param("to_updated_at");
  if (has_from_updated != has_to_updated) {
    return domain::make_error(domain::ErrorCode::kBadRequest,
                              "Both 'from_updated_at' and 'to_updated_at' are required.");
  }
  if (has_from_updated) {
    auto fu = day_param("from_updated_at", today);
    if (!fu) return fu.error();
    auto tu = day_param("to_updated_at", today);
    if (!tu) return tu.error();
    f.from_updated_on = *fu;
    f.to_updated_on = *tu;
  }
  return f;
}

// What `includes=` asks to embed (comma-separated, repeatable). The spec lists
// repeating_transactions, merchants, classifications and geolocations; the emulator's records
// hold only what `merchants` needs, so the others (and unknown names) are refused with 400 rather
// than silently left out.
struct Includes {
  bool merchants = false;
};

domain::Result<Includes> parse_includes(const Request& request) {
  Includes out;
  const auto range = request.query.equal_range("includes");
  for (auto it = range.first; it != range.second; ++it) {
    std::string_view rest = it->second;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const std::string_view name = rest.substr(0, comma);
      if (name == "merchants") {
        out.merchants = true;
      } else if (name == "repeating_transactions" || name == "classifications" ||
                 name == "geolocations") {
        return domain::make_error(domain::ErrorCode::kBadRequest,
                                  "includes=" + std::string(name) +
                                      " is not supported by the emulator; supported: merchants.");
      } else if (!name.empty()) {
        return domain::make_error(
            domain::ErrorCode::kBadRequest,
            "Unknown includes value '" + std::string(name) + "'; supported: merchants.");
      }
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return out;
}

// The partner id of a transaction's account, which MX prints as account_id.
std::optional<std::string> account_id_of(RouteContext& ctx, const domain::Transaction& t) {
  const domain::Account* a = ctx.emulator.store().find_account(t.account_guid);
  return a == nullptr ? std::nullopt : a->id;
}

// A transaction with what its JSON needs beyond the row, looked up under the tenant's lock; the
// merchant is the catalog's, which never changes (null: not asked for, or none).
struct RenderableTransaction {
  domain::Transaction transaction;
  std::optional<std::string> account_id;
  const domain::Merchant* merchant = nullptr;
};

RenderableTransaction renderable(RouteContext& ctx, domain::Transaction t,
                                 const Includes& includes) {
  std::optional<std::string> account_id = account_id_of(ctx, t);
  const domain::Merchant* merchant =
      includes.merchants && t.merchant_guid
          ? ctx.emulator.catalog().find_merchant_by_guid(*t.merchant_guid)
          : nullptr;
  return {std::move(t), std::move(account_id), merchant};
}

// TransactionResponse, or TransactionIncludesResponse when `includes` asks for more. Reads
// nothing but its arguments, so it may run after the lock is released.
json rendered(const RenderableTransaction& r, ApiVersion version, const Includes& includes,
              const std::optional<std::string>& user_id) {
  json out = transaction_json(r.transaction, version, user_id, r.account_id);
  if (includes.merchants) out["merchant"] = transaction_merchant_json(r.merchant);
  return out;
}

// The page is read under the tenant's lock; its JSON is made after (Response::deferred_body):
// a page of transactions is the most expensive answer of a polling client's traffic.
Response list_scope(RouteContext& ctx, domain::TransactionScope scope, const std::string& key,
                    const std::optional<std::string>& user_id) {
  auto filter = date_filter(ctx);
  if (!filter) return error_response(filter.error());
  const auto includes = parse_includes(ctx.request);
  if (!includes) return error_response(includes.error());
  filter->scope = scope;
  filter->key = key;
  auto page = ctx.emulator.store().list_transactions(*filter, page_request(ctx.request, 1000));
  std::vector<RenderableTransaction> rows;
  rows.reserve(page.items.size());
  for (auto& t : page.items) rows.push_back(renderable(ctx, std::move(t), *includes));
  Response r;
  r.status = 200;
  r.content_type = std::string(json_content_type(ctx.version));
  r.deferred_body = [rows = std::move(rows), version = ctx.version, user_id, includes = *includes,
                     pagination = pagination_json(page.total_entries, page.current_page,
                                                  page.per_page, page.total_pages)] {
    json items = json::array();
    for (const auto& row : rows) items.push_back(rendered(row, version, includes, user_id));
    return json{{"transactions", std::move(items)}, {"pagination", pagination}}.dump();
  };
  return r;
}

domain::Account* account_of(RouteContext& ctx, const domain::User& user, const std::string& id) {
  domain::Account* a = ctx.emulator.store().find_account(id);
  return a != nullptr && a->user_guid == user.guid ? a : nullptr;
}

std::optional<domain::Transaction> transaction_of(RouteContext& ctx, const domain::User& user,
                                                  const std::string& id) {
  auto t = ctx.emulator.store().find_transaction(id);
  if (t && t->user_guid != user.guid) return std::nullopt;
  return t;
}

Response transaction_response(RouteContext& ctx, const domain::Transaction& t,
                              const domain::User& u, const Includes& includes = {}) {
  return ctx.json(
      200, {{"transaction", rendered(renderable(ctx, t, includes), ctx.version, includes, u.id)}});
}

Response apply_update(RouteContext& ctx, domain::Transaction t, const domain::User& u) {
  auto object = required_object(ctx.body, "transaction");
  if (!object) return error_response(object.error());
  auto description = optional_string(**object, "description");
  auto memo = optional_string(**object, "memo");
  auto category_guid = optional_string(**object, "category_guid");
  for (const auto* r : {&description, &memo, &category_guid}) {
    if (!*r) return error_response(r->error());
  }
  if (!*description && !*memo && !*category_guid) {
    return error_response(400, "The transaction object cannot be empty.");
  }
  if (*category_guid) {
    // A default category or one of the user's own (createCategory).
    if (auto filed = ctx.emulator.categorize(u, **category_guid, t); !filed) {
      return error_response(filed.error());
    }
  }
  if (*description) t.description = **description;
  if (*memo) t.memo = *memo;
  t.updated_at = ctx.emulator.now();
  ctx.emulator.store().update_transaction(t);
  return transaction_response(ctx, t, u);
}

}  // namespace

Response list_transactions(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  return list_scope(ctx, domain::TransactionScope::kUser, (*user)->guid, (*user)->id);
}

Response list_transactions_by_member(RouteContext& ctx) {
  auto m = ctx.emulator.find_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!m) return error_response(m.error());
  auto user = ctx.emulator.find_user((*m)->user_guid, domain::IdentifierMode::kGuidOnly);
  return list_scope(ctx, domain::TransactionScope::kMember, (*m)->guid, (*user)->id);
}

// The transactions the tag's taggings name, in the order of the user's list (date, then guid),
// with the list's date filters and their defaults.
Response list_transactions_by_tag(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  const auto& store = ctx.emulator.store();
  if (ctx.emulator.store().find_tag((*user)->guid, ctx.params[1]) == nullptr) {
    return record_not_found();
  }
  const auto includes = parse_includes(ctx.request);
  if (!includes) return error_response(includes.error());
  const auto filter = date_filter(ctx);
  if (!filter) return error_response(filter.error());
  const auto within = [](const std::string& day, const std::optional<std::string>& from,
                         const std::optional<std::string>& to) {
    return (!from || day >= *from) && (!to || day <= *to);
  };
  std::vector<domain::Transaction> tagged;
  for (const auto& g : store.taggings_of((*user)->guid)) {
    if (g.tag_guid != ctx.params[1]) continue;
    auto t = store.find_transaction(g.transaction_guid);
    if (!t || !within(t->date, filter->from_date, filter->to_date) ||
        !within(domain::format_day(domain::day_of(t->updated_at)), filter->from_updated_on,
                filter->to_updated_on)) {
      continue;
    }
    tagged.push_back(std::move(*t));
  }
  std::sort(tagged.begin(), tagged.end(), [](const auto& a, const auto& b) {
    return std::tie(a.date, a.guid) < std::tie(b.date, b.guid);
  });
  const auto page = domain::slice_page(tagged, page_request(ctx.request, 1000));
  const std::optional<std::string> user_id = (*user)->id;
  return list_response(ctx, "transactions", page, [&](const domain::Transaction& t) {
    return rendered(renderable(ctx, t, *includes), ctx.version, *includes, user_id);
  });
}

Response list_transactions_by_account(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  const domain::Account* a = account_of(ctx, **user, ctx.params[1]);
  if (a == nullptr) return record_not_found();
  return list_scope(ctx, domain::TransactionScope::kAccount, a->guid, (*user)->id);
}

Response list_transactions_by_account_per_member(RouteContext& ctx) {
  auto m = ctx.emulator.find_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!m) return error_response(m.error());
  auto user = ctx.emulator.find_user((*m)->user_guid, domain::IdentifierMode::kGuidOnly);
  const domain::Account* a = account_of(ctx, **user, ctx.params[2]);
  if (a == nullptr || a->member_guid != (*m)->guid) return record_not_found();
  return list_scope(ctx, domain::TransactionScope::kAccount, a->guid, (*user)->id);
}

Response read_transaction(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  const auto includes = parse_includes(ctx.request);
  if (!includes) return error_response(includes.error());
  const auto t = transaction_of(ctx, **user, ctx.params[1]);
  return t ? transaction_response(ctx, *t, **user, *includes) : record_not_found();
}

Response read_transaction_by_account(RouteContext& ctx) {
  auto m = ctx.emulator.find_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!m) return error_response(m.error());
  auto user = ctx.emulator.find_user((*m)->user_guid, domain::IdentifierMode::kGuidOnly);
  const auto includes = parse_includes(ctx.request);
  if (!includes) return error_response(includes.error());
  const auto t = transaction_of(ctx, **user, ctx.params[3]);
  if (!t || t->member_guid != (*m)->guid || t->account_guid != ctx.params[2])
    return record_not_found();
  return transaction_response(ctx, *t, **user, *includes);
}

Response update_transaction(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  auto t = transaction_of(ctx, **user, ctx.params[1]);
  return t ? apply_update(ctx, std::move(*t), **user) : record_not_found();
}

Response update_transaction_by_account(RouteContext& ctx) {
  auto m = ctx.emulator.find_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!m) return error_response(m.error());
  auto user = ctx.emulator.find_user((*m)->user_guid, domain::IdentifierMode::kGuidOnly);
  auto t = transaction_of(ctx, **user, ctx.params[3]);
  if (!t || t->member_guid != (*m)->guid || t->account_guid != ctx.params[2])
    return record_not_found();
  return apply_update(ctx, std::move(*t), **user);
}

}  // namespace mxemu::api
