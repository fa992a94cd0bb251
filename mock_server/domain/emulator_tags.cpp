// Tags and taggings: a user's labels and what they label.
#include <algorithm>
#include <cstdint>
#include <utility>

#include "domain/emulator.h"
#include "domain/names.h"

namespace mxemu::domain {
namespace {

// Tag names are unique per user: the name is all a client shows of a tag.
bool name_taken(const std::vector<Tag>& tags, const std::string& name, std::string_view except) {
  return std::any_of(tags.begin(), tags.end(),
                     [&](const Tag& t) { return t.name == name && t.guid != except; });
}

}  // namespace

Tag Emulator::business_tag(const std::string& user_guid) {
  constexpr std::uint64_t kBusiness = 0x427573696e657373ULL;  // "Business"
  return Tag{derived_guid("TAG", stable_digest(user_guid), kBusiness), user_guid, "Business"};
}

Result<const Tag*> Emulator::create_tag(std::string_view user, IdentifierMode mode,
                                        const std::optional<std::string>& name) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  if (!name || is_blank(*name)) return refuse(ErrorCode::kBadRequest, Reason::kTagNameRequired);
  if (name_taken(store_.tags_of((*u)->guid), *name, {})) {
    return refuse(ErrorCode::kConflict, Reason::kAlreadyExists);
  }
  return &store_.add_tag(Tag{guids_.next("TAG"), (*u)->guid, *name});
}

Result<const Tag*> Emulator::update_tag(std::string_view user, std::string_view guid,
                                        IdentifierMode mode,
                                        const std::optional<std::string>& name) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  Tag* tag = store_.find_tag((*u)->guid, guid);
  if (tag == nullptr) return record_not_found();
  if (!name || is_blank(*name)) return refuse(ErrorCode::kBadRequest, Reason::kTagNameRequired);
  if (name_taken(store_.tags_of((*u)->guid), *name, tag->guid)) {
    return refuse(ErrorCode::kConflict, Reason::kAlreadyExists);
  }
  tag->name = *name;
  return tag;
}

Status Emulator::delete_tag(std::string_view user, std::string_view guid, IdentifierMode mode) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  if (store_.find_tag((*u)->guid, guid) == nullptr) return record_not_found();
  store_.remove_tag((*u)->guid, guid);
  return ok_status();
}

Result<const Tagging*> Emulator::create_tagging(
    std::string_view user, IdentifierMode mode, const std::optional<std::string>& tag_guid,
    const std::optional<std::string>& transaction_guid) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  if (!tag_guid) return refuse(ErrorCode::kBadRequest, Reason::kTaggingTagRequired);
  if (!transaction_guid) {
    return refuse(ErrorCode::kBadRequest, Reason::kTaggingTransactionRequired);
  }
  if (store_.find_tag((*u)->guid, *tag_guid) == nullptr) return record_not_found();
  const auto txn = store_.find_transaction(*transaction_guid);
  if (!txn || txn->user_guid != (*u)->guid) return record_not_found();
  const auto& taggings = store_.taggings_of((*u)->guid);
  const bool twice = std::any_of(taggings.begin(), taggings.end(), [&](const Tagging& g) {
    return g.tag_guid == *tag_guid && g.transaction_guid == *transaction_guid;
  });
  if (twice) return refuse(ErrorCode::kConflict, Reason::kAlreadyExists);
  return &store_.add_tagging(Tagging{guids_.next("TGN"), (*u)->guid, *tag_guid, *transaction_guid});
}

Result<const Tagging*> Emulator::update_tagging(std::string_view user, std::string_view guid,
                                                IdentifierMode mode,
                                                const std::optional<std::string>& tag_guid) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  Tagging* tagging = store_.find_tagging((*u)->guid, guid);
  if (tagging == nullptr) return record_not_found();
  if (!tag_guid) return refuse(ErrorCode::kBadRequest, Reason::kTaggingTagRequired);
  if (store_.find_tag((*u)->guid, *tag_guid) == nullptr) return record_not_found();
  tagging->tag_guid = *tag_guid;
  return tagging;
}

Status Emulator::delete_tagging(std::string_view user, std::string_view guid, IdentifierMode mode) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  if (store_.find_tagging((*u)->guid, guid) == nullptr) return record_not_found();
  store_.remove_tagging((*u)->guid, guid);
  return ok_status();
}

}  // namespace mxemu::domain
