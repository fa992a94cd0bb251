// Accounts and the data premium jobs produce: account numbers, owners, holdings, statements.
// Every read is scoped to the user in the path: another user's guid is a 404, never a 403.
#include "api/codec.h"
#include "api/errors.h"
#include "api/routes.h"
#include "api/statement_pdf.h"

namespace mxemu::api {
namespace {

constexpr int kMaxPerPage = 1000;

// The account `account_id` (guid, or partner id in v20250224) of `user`, optionally of `member`.
domain::Account* find_account(RouteContext& ctx, const domain::User& user,
                              const std::string& account_id, const domain::Member* member) {
  domain::Account* a = ctx.emulator.store().find_account(account_id);
  if (a == nullptr && ctx.mode() == domain::IdentifierMode::kGuidOrId) {
    for (const auto* candidate : ctx.emulator.store().accounts_of_user(user.guid)) {
      if (candidate->id && *candidate->id == account_id) {
        a = ctx.emulator.store().find_account(candidate->guid);
      }
    }
  }
  if (a == nullptr || a->user_guid != user.guid) return nullptr;
  if (member != nullptr && a->member_guid != member->guid) return nullptr;
  return a;
}

template <class T, class Render>
Response list_all(RouteContext& ctx, std::string_view key, const std::vector<T>& items,
                  Render render) {
  return list_response(ctx, key, domain::slice_page(items, page_request(ctx.request, kMaxPerPage)),
                       render);
}

template <class T, class Pred>
std::vector<const T*> select(const std::vector<T>& items, Pred keep) {
  std::vector<const T*> out;
  for (const auto& item : items) {
    if (keep(item)) out.push_back(&item);
  }
  return out;
}

// An account with the partner ids and institution guid MX prints beside it.
nlohmann::json render_account(RouteContext& ctx, const domain::Account& a) {
  OwnerIds ids;
  if (auto u = ctx.emulator.find_user(a.user_guid, domain::IdentifierMode::kGuidOnly))
    ids.user_id = (*u)->id;
  if (const domain::Member* m = ctx.emulator.member_by_guid(a.member_guid)) ids.member_id = m->id;
  if (const domain::Institution* i = ctx.emulator.find_institution(a.institution_code)) {
    ids.institution_guid = i->guid;
  }
  return account_json(a, ctx.version, ids);
}

Response account_response(RouteContext& ctx, const domain::Account& a) {
  return ctx.json(200, {{"account", render_account(ctx, a)}});
}

}  // namespace

Response list_user_accounts(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  return list_all(ctx, "accounts", ctx.emulator.store().accounts_of_user((*user)->guid),
                  [&](const domain::Account* a) { return render_account(ctx, *a); });
}

Response read_account(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  const domain::Account* a = find_account(ctx, **user, ctx.params[1], nullptr);
  return a == nullptr ? record_not_found() : account_response(ctx, *a);
}

// v20250224 mergeAccounts: {"account": {"account_guids": [...]}} → the account kept.
Response merge_accounts(RouteContext& ctx) {
  auto inner = required_object(ctx.body, "account");
  if (!inner) return error_response(inner.error());
  const auto list = (*inner)->find("account_guids");
  std::vector<std::string> guids;
  if (list != (*inner)->end() && list->is_array()) {
    for (const auto& g : *list) {
      if (!g.is_string()) break;
      guids.push_back(g.get<std::string>());
    }
  }
  if (list == (*inner)->end() || !list->is_array() || guids.size() != list->size()) {
    return error_response(400, "account.account_guids must be a list of account guids.");
  }
  auto a = ctx.emulator.merge_accounts(ctx.params[0], ctx.mode(), guids);
  return a ? account_response(ctx, **a) : error_response(a.error());
}

Response list_member_accounts(RouteContext& ctx) {
  auto m = ctx.emulator.find_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!m) return error_response(m.error());
  return list_all(ctx, "accounts", ctx.emulator.store().accounts_of_member((*m)->guid),
                  [&](const domain::Account* a) { return render_account(ctx, *a); });
}

Response read_account_by_member(RouteContext& ctx) {
  auto m = ctx.emulator.find_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!m) return error_response(m.error());
  auto user = ctx.emulator.find_user((*m)->user_guid, domain::IdentifierMode::kGuidOnly);
  const domain::Account* a = find_account(ctx, **user, ctx.params[2], *m);
  return a == nullptr ? record_not_found() : account_response(ctx, *a);
}

Response update_account_by_member(RouteContext& ctx) {
  auto m = ctx.emulator.find_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!m) return error_response(m.error());
  auto user = ctx.emulator.find_user((*m)->user_guid, domain::IdentifierMode::kGuidOnly);
  domain::Account* a = find_account(ctx, **user, ctx.params[2], *m);
  if (a == nullptr) return record_not_found();
  auto object = required_object(ctx.body, "account");
  if (!object) return error_response(object.error());
  auto name = optional_string(**object, "name");
  auto metadata = optional_string(**object, "metadata");
  auto hidden = optional_bool(**object, "is_hidden");
  if (!name) return error_response(name.error());
  if (!metadata) return error_response(metadata.error());
  if (!hidden) return error_response(hidden.error());
  if (!*name && !*metadata && !*hidden)
    return error_response(400, "The account object cannot be empty.");
  if (*name) a->name = **name;
  if (*metadata) a->metadata = *metadata;
  if (*hidden) a->is_hidden = **hidden;
  a->updated_at = ctx.emulator.now();
  return account_response(ctx, *a);
}

Response list_account_numbers_by_account(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  const domain::Account* a = find_account(ctx, **user, ctx.params[1], nullptr);
  if (a == nullptr) return record_not_found();
  const auto numbers =
      select(ctx.emulator.store().account_numbers_of_member(a->member_guid),
             [&](const domain::AccountNumber& n) { return n.account_guid == a->guid; });
  return list_all(ctx, "account_numbers", numbers,
                  [](const domain::AccountNumber* n) { return account_number_json(*n); });
}

Response list_account_numbers_by_member(RouteContext& ctx) {
  auto m = ctx.emulator.find_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!m) return error_response(m.error());
  return list_all(ctx, "account_numbers",
                  ctx.emulator.store().account_numbers_of_member((*m)->guid),
                  [](const domain::AccountNumber& n) { return account_number_json(n); });
}

Response list_account_owners_by_member(RouteContext& ctx) {
  auto m = ctx.emulator.find_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!m) return error_response(m.error());
  return list_all(ctx, "account_owners", ctx.emulator.store().account_owners_of_member((*m)->guid),
                  [](const domain::AccountOwner& o) { return account_owner_json(o); });
}

Response list_holdings(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  std::vector<const domain::Holding*> all;
  for (const domain::Member* m : ctx.emulator.store().members_of((*user)->guid)) {
    for (const auto& h : ctx.emulator.store().holdings_of_member(m->guid)) all.push_back(&h);
  }
  return list_all(ctx, "investment_holdings", all,
                  [](const domain::Holding* h) { return holding_json(*h); });
}

Response list_holdings_by_member(RouteContext& ctx) {
  auto m = ctx.emulator.find_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!m) return error_response(m.error());
  return list_all(ctx, "investment_holdings", ctx.emulator.store().holdings_of_member((*m)->guid),
                  [](const domain::Holding& h) { return holding_json(h); });
}

Response list_holdings_by_account(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  const domain::Account* a = find_account(ctx, **user, ctx.params[1], nullptr);
  if (a == nullptr) return record_not_found();
  const auto holdings = select(ctx.emulator.store().holdings_of_member(a->member_guid),
                               [&](const domain::Holding& h) { return h.account_guid == a->guid; });
  return list_all(ctx, "investment_holdings", holdings,
                  [](const domain::Holding* h) { return holding_json(*h); });
}

Response read_holding(RouteContext& ctx) {
  auto user = ctx.emulator.find_user(ctx.params[0], ctx.mode());
  if (!user) return error_response(user.error());
  for (const domain::Member* m : ctx.emulator.store().members_of((*user)->guid)) {
    for (const auto& h : ctx.emulator.store().holdings_of_member(m->guid)) {
      if (h.guid == ctx.params[1]) return ctx.json(200, {{"investment_holding", holding_json(h)}});
    }
  }
  return record_not_found();
}

Response list_statements_by_member(RouteContext& ctx) {
  auto m = ctx.emulator.find_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!m) return error_response(m.error());
  return list_all(ctx, "statements", ctx.emulator.store().statements_of_member((*m)->guid),
                  [](const domain::Statement& s) { return statement_json(s); });
}

namespace {
const domain::Statement* find_statement(RouteContext& ctx, const domain::Member& m) {
  for (const auto& s : ctx.emulator.store().statements_of_member(m.guid)) {
    if (s.guid == ctx.params[2]) return &s;
  }
  return nullptr;
}
}  // namespace

Response read_statement_by_member(RouteContext& ctx) {
  auto m = ctx.emulator.find_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!m) return error_response(m.error());
  const domain::Statement* s = find_statement(ctx, **m);
  return s == nullptr ? record_not_found() : ctx.json(200, {{"statement", statement_json(*s)}});
}

Response download_statement_pdf(RouteContext& ctx) {
  auto m = ctx.emulator.find_member(ctx.params[0], ctx.params[1], ctx.mode());
  if (!m) return error_response(m.error());
  const domain::Statement* s = find_statement(ctx, **m);
  if (s == nullptr) return record_not_found();
  Response r;
  r.content_type = "application/vnd.mx.api.v1+pdf";
  r.body = statement_pdf(*s);
  return r;
}

}  // namespace mxemu::api
