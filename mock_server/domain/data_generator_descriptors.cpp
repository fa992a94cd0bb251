// Merchant rows: what a purchase or bill looks like on a statement (the descriptor with its
// store number, reference and date) and where it happened.
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

#include "domain/data_generator_internal.h"

namespace mxemu::domain::generator_detail {

std::string Generator::ref_for(const Merchant& m) const {
  return Rng(hash_of(ctx_.seed, kSaltStore, hash_text(m.guid), 7)).digits(9);
}

int Generator::store_number(const Merchant& m, int k) const {
  return 1000 + static_cast<int>(hash_of(ctx_.seed, kSaltStore, hash_text(m.guid),
                                         static_cast<std::uint64_t>(k)) %
                                 9000);
}

std::string Generator::render_descriptor(const Merchant& m, std::size_t which,
                                         const std::string& ref, int store, DayNumber day,
                                         int a) const {
  if (m.descriptors.empty()) return upper(m.name);
  const std::string& tmpl = m.descriptors[which % m.descriptors.size()];
  std::string out;
  for (std::size_t i = 0; i < tmpl.size();) {
    if (tmpl[i] == '{') {
      const std::size_t close = tmpl.find('}', i);
      if (close != std::string::npos) {
        const std::string_view key(tmpl.data() + i + 1, close - i - 1);
        if (key == "store") {
          out += std::to_string(store);
        } else if (key == "city") {
          out += metro_->city;
        } else if (key == "state") {
          out += metro_->state;
        } else if (key == "ref") {
          out += ref;
        } else if (key == "mmdd") {
          const Ymd c = civil(day);
          std::array<char, 8> buf{};
          std::snprintf(buf.data(), buf.size(), "%02d/%02d", c.month, c.day);
          out += buf.data();
        } else if (key == "last4") {
          out += plans_[static_cast<std::size_t>(a)].last4;
        } else {
          out.append(tmpl, i, close - i + 1);  // unknown placeholders stay as written
        }
        i = close + 1;
        continue;
      }
    }
    out += tmpl[i++];
  }
  return upper(out);
}

Row Generator::merchant_row(const Merchant& m, double amount, bool credit, int seconds,
                            const Bill* bill, Rng& rng, DayNumber day, int a,
                            RowDetail detail) const {
  Row r;
  r.seconds = seconds;
  r.amount = round2(amount);
  r.credit = credit;
  r.merchant = &m;
  // Draw in a fixed order whatever the merchant, so later rows keep their randomness.
  const double store_roll = rng.uniform();
  const std::string ref = rng.digits(9);
  const auto which = static_cast<std::size_t>(rng.below(8));
  if (detail == RowDetail::kAmounts) return r;
  r.category = m.category;
  r.description = m.name;
  const int k = store_roll < 0.6 ? 0 : (store_roll < 0.9 ? 1 : 2);
  const int store = store_number(m, k);
  r.original = render_descriptor(m, bill != nullptr ? bill->descriptor : which,
                                 bill != nullptr ? bill->ref : ref, store, day, a);
  if (!m.is_online) {
    // At the member's store of the merchant: its location's place.
    const StoreKey key{static_cast<std::size_t>(&m - catalog_.merchants.data()),
                       metro_index(*metro_), store};
    const MerchantLocation location = location_of(catalog_, key);
    r.located = true;
    r.latitude = location.latitude;
    r.longitude = location.longitude;
    r.location_guid = location.guid;
  }
  return r;
}

}  // namespace mxemu::domain::generator_detail
