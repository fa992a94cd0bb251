#include "domain/data_prefetch.h"

namespace mxemu::domain {

PreparedData prepare_data(const DataOrder& order, const DataCatalog& catalog) {
  PreparedData out;
  out.member_guid = order.ctx.member_guid;
  out.type = order.type;
  out.at = order.at;
  out.days = order.days;
  out.accounts = generate_accounts(order.institution, catalog, order.ctx, order.at);
  if (!order.days.empty()) {
    out.transactions =
        generate_member_transactions(order.institution, catalog, order.ctx, out.accounts,
                                     order.days.from, order.days.to, order.at);
  }
  return out;
}

}  // namespace mxemu::domain
