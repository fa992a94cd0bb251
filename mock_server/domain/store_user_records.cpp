// The Store's per-user records: custom categories, tags, taggings, transaction rules,
// microdeposits (store_detail::PerUser).
#include "domain/store.h"

namespace mxemu::domain {

CustomCategory& Store::add_category(CustomCategory category) {
  return categories_.add(std::move(category));
}
CustomCategory* Store::find_category(std::string_view user_guid, std::string_view guid) {
  return categories_.find(user_guid, guid);
}
const std::vector<CustomCategory>& Store::categories_of(std::string_view user_guid) const {
  return categories_.of(user_guid);
}
void Store::remove_category(std::string_view user_guid, std::string_view guid) {
  categories_.erase(user_guid, guid);
}

Tag& Store::add_tag(Tag tag) { return tags_.add(std::move(tag)); }
Tag* Store::find_tag(std::string_view user_guid, std::string_view guid) {
  return tags_.find(user_guid, guid);
}
const std::vector<Tag>& Store::tags_of(std::string_view user_guid) const {
  return tags_.of(user_guid);
}
void Store::remove_tag(std::string_view user_guid, std::string_view guid) {
  taggings_.erase_if(user_guid, [&](const Tagging& g) { return g.tag_guid == guid; });
  tags_.erase(user_guid, guid);
}

Tagging& Store::add_tagging(Tagging tagging) { return taggings_.add(std::move(tagging)); }
Tagging* Store::find_tagging(std::string_view user_guid, std::string_view guid) {
  return taggings_.find(user_guid, guid);
}
const std::vector<Tagging>& Store::taggings_of(std::string_view user_guid) const {
  return taggings_.of(user_guid);
}
void Store::remove_tagging(std::string_view user_guid, std::string_view guid) {
  taggings_.erase(user_guid, guid);
}
void Store::drop_dangling_taggings(const std::string& user_guid) {
  taggings_.erase_if(user_guid,
                     [this](const Tagging& g) { return !transactions_.find(g.transaction_guid); });
}

TransactionRule& Store::add_rule(TransactionRule rule) { return rules_.add(std::move(rule)); }
TransactionRule* Store::find_rule(std::string_view user_guid, std::string_view guid) {
  return rules_.find(user_guid, guid);
}
const std::vector<TransactionRule>& Store::rules_of(std::string_view user_guid) const {
  return rules_.of(user_guid);
}
void Store::remove_rule(std::string_view user_guid, std::string_view guid) {
  rules_.erase(user_guid, guid);
}

Microdeposit& Store::add_microdeposit(Microdeposit microdeposit) {
  microdeposit_owner_[microdeposit.guid] = microdeposit.user_guid;
  return microdeposits_.add(std::move(microdeposit));
}
Microdeposit* Store::find_microdeposit(std::string_view user_guid, std::string_view guid) {
  return microdeposits_.find(user_guid, guid);
}
Microdeposit* Store::find_microdeposit(std::string_view guid) {
  const auto it = microdeposit_owner_.find(std::string(guid));
  return it == microdeposit_owner_.end() ? nullptr : microdeposits_.find(it->second, guid);
}
const Microdeposit* Store::find_microdeposit(std::string_view guid) const {
  return const_cast<Store*>(this)->find_microdeposit(guid);  // NOLINT: a read-only lookup
}
const std::vector<Microdeposit>& Store::microdeposits_of(std::string_view user_guid) const {
  return microdeposits_.of(user_guid);
}
void Store::remove_microdeposit(std::string_view user_guid, std::string_view guid) {
  microdeposit_owner_.erase(std::string(guid));
  microdeposits_.erase(user_guid, guid);
}

}  // namespace mxemu::domain
