// The Store's tags, taggings and transaction rules (per_user_lists.h).
#include "domain/per_user_lists.h"
#include "domain/store.h"

namespace mxemu::domain {
using store_detail::erase_from;
using store_detail::find_in;
using store_detail::list_of;

Tag& Store::add_tag(Tag tag) {
  auto& list = tags_[tag.user_guid];
  list.push_back(std::move(tag));
  return list.back();
}

Tag* Store::find_tag(std::string_view user_guid, std::string_view guid) {
  return find_in(tags_, user_guid, guid);
}

const std::vector<Tag>& Store::tags_of(std::string_view user_guid) const {
  return list_of(tags_, user_guid);
}

void Store::remove_tag(std::string_view user_guid, std::string_view guid) {
  erase_from(taggings_, user_guid, [&](const Tagging& g) { return g.tag_guid == guid; });
  erase_from(tags_, user_guid, [&](const Tag& t) { return t.guid == guid; });
}

Tagging& Store::add_tagging(Tagging tagging) {
  auto& list = taggings_[tagging.user_guid];
  list.push_back(std::move(tagging));
  return list.back();
}

Tagging* Store::find_tagging(std::string_view user_guid, std::string_view guid) {
  return find_in(taggings_, user_guid, guid);
}

const std::vector<Tagging>& Store::taggings_of(std::string_view user_guid) const {
  return list_of(taggings_, user_guid);
}

void Store::remove_tagging(std::string_view user_guid, std::string_view guid) {
  erase_from(taggings_, user_guid, [&](const Tagging& g) { return g.guid == guid; });
}

void Store::drop_dangling_taggings(const std::string& user_guid) {
  erase_from(taggings_, user_guid,
             [this](const Tagging& g) { return !transactions_.find(g.transaction_guid); });
}

TransactionRule& Store::add_rule(TransactionRule rule) {
  auto& list = rules_[rule.user_guid];
  list.push_back(std::move(rule));
  return list.back();
}

TransactionRule* Store::find_rule(std::string_view user_guid, std::string_view guid) {
  return find_in(rules_, user_guid, guid);
}

const std::vector<TransactionRule>& Store::rules_of(std::string_view user_guid) const {
  return list_of(rules_, user_guid);
}

void Store::remove_rule(std::string_view user_guid, std::string_view guid) {
  erase_from(rules_, user_guid, [&](const TransactionRule& r) { return r.guid == guid; });
}

}  // namespace mxemu::domain
