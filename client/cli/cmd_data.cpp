// accounts and transactions: what the syncs stored, read back without sqlite3.
#include <algorithm>
#include <array>
#include <cstdio>
#include <sstream>

#include "commands.h"
#include "table.h"

namespace mxctl {
namespace {

// Whose data: MEMBER_GUID or --user APP_USER_ID, exactly one. `member` or `user_guid` is set.
struct Selection {
  std::optional<std::string> member;
  std::optional<std::string> user_guid;
};

// nullopt after reporting why not; the exit code in `code`.
std::optional<Selection> select(Context& ctx, mxclient::Store& store, int& code) {
  const auto user = ctx.args().get("user");
  if (ctx.args().args.empty() == !user.has_value()) {
    code = ctx.usage("name one of MEMBER_GUID and --user APP_USER_ID");
    return std::nullopt;
  }
  Selection s;
  if (user) {
    auto guid = ctx.user_guid_of(*user);
    if (!guid) {
      code = ctx.fail(guid.error());
      return std::nullopt;
    }
    s.user_guid = *guid;
    return s;
  }
  auto member = store.find_member(ctx.args().args[0]);
  if (!member || !*member) {
    code = ctx.fail(member ? mxclient::make_error(mxclient::ErrorKind::kNotFound,
                                                  "member " + ctx.args().args[0] + " is not stored")
                           : member.error());
    return std::nullopt;
  }
  s.member = ctx.args().args[0];
  return s;
}

std::string money(double amount) {
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%.2f", amount);
  return buf.data();
}

nlohmann::json optional_json(const std::optional<std::string>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json account_json(const mxclient::MxAccount& a) {
  return {{"guid", a.guid},
          {"member_guid", a.member_guid},
          {"user_guid", a.user_guid},
          {"name", a.name},
          {"type", a.type},
          {"subtype", optional_json(a.subtype)},
          {"balance", a.balance},
          {"available_balance",
           a.available_balance ? nlohmann::json(*a.available_balance) : nlohmann::json(nullptr)},
          {"currency_code", a.currency_code},
          {"updated_at", optional_json(a.updated_at)}};
}

nlohmann::json transaction_json(const mxclient::TransactionRecord& r) {
  const mxclient::MxTransaction& t = r.transaction;
  return {{"guid", t.guid},
          {"account_guid", t.account_guid},
          {"member_guid", t.member_guid},
          {"date", t.date},
          {"status", t.status},
          {"type", t.type},
          {"amount", t.amount},
          {"description", t.description},
          {"original_description", t.original_description},
          {"top_level_category", t.top_level_category},
          {"category", t.category},
          {"app_category", r.app_category},
          {"transacted_at", optional_json(t.transacted_at)},
          {"posted_at", optional_json(t.posted_at)}};
}

}  // namespace

int cmd_accounts(Context& ctx) {
  auto store = ctx.store();
  if (!store) return ctx.fail(store.error());
  int code = kExitOk;
  auto selection = select(ctx, **store, code);
  if (!selection) return code;
  auto accounts = selection->member ? (*store)->list_accounts_by_member(*selection->member)
                                    : (*store)->list_accounts_by_user(*selection->user_guid);
  if (!accounts) return ctx.fail(accounts.error());

  nlohmann::json rows = nlohmann::json::array();
  std::vector<TableRow> table;
  for (const auto& a : *accounts) {
    rows.push_back(account_json(a));
    table.push_back({a.guid, a.type, money(a.balance), a.currency_code, a.name, a.member_guid});
  }
  const std::string human =
      accounts->empty()
          ? "no accounts stored (mxctl sync first)\n"
          : render_table({"ACCOUNT", "TYPE", "BALANCE", "CURRENCY", "NAME", "MEMBER"}, table);
  ctx.emit({{"accounts", rows}}, human);
  return kExitOk;
}

int cmd_transactions(Context& ctx) {
  auto store = ctx.store();
  if (!store) return ctx.fail(store.error());
  int code = kExitOk;
  auto selection = select(ctx, **store, code);
  if (!selection) return code;
  mxclient::TransactionQuery query;
  query.member_guid = selection->member;
  query.user_guid = selection->user_guid;
  query.account_guid = ctx.args().get("account");
  query.from_date = ctx.args().get("from");
  query.to_date = ctx.args().get("to");
  if (query.from_date && query.to_date && *query.from_date > *query.to_date) {
    return ctx.usage("--from " + *query.from_date + " is after --to " + *query.to_date);
  }
  auto listed = (*store)->list_transactions(query);  // oldest first
  if (!listed) return ctx.fail(listed.error());
  std::vector<mxclient::TransactionRecord>& all = *listed;
  std::reverse(all.begin(), all.end());  // newest first
  const std::size_t total = all.size();
  if (auto limit = ctx.int_option("limit")) {
    all.resize(std::min(all.size(), static_cast<std::size_t>(*limit)));
  }

  nlohmann::json rows = nlohmann::json::array();
  std::vector<TableRow> table;
  for (const auto& r : all) {
    const mxclient::MxTransaction& t = r.transaction;
    rows.push_back(transaction_json(r));
    table.push_back({t.date, (t.type == "DEBIT" ? "-" : "+") + money(t.amount), t.status,
                     r.app_category.empty() ? "-" : r.app_category, t.account_guid, t.description});
  }
  std::ostringstream human;
  if (all.empty()) {
    human << "no transactions stored for that selection\n";
  } else {
    human << render_table({"DATE", "AMOUNT", "STATUS", "CATEGORY", "ACCOUNT", "DESCRIPTION"},
                          table);
  }
  if (all.size() < total) {
    human << "(the newest " << all.size() << " of " << total << "; --limit N shows more)\n";
  }
  ctx.emit({{"transactions", rows}, {"count", all.size()}, {"total", total}}, human.str());
  return kExitOk;
}

}  // namespace mxctl
