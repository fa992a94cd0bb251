#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace mxemu::domain {

// A validated page request: page >= 1, per_page >= 1 (the API layer applies MX's defaults and
// clamping before it gets here).
struct PageRequest {
  int page = 1;
  int per_page = 25;
};

template <class T>
struct Page {
  std::vector<T> items;
  std::size_t total_entries = 0;
  int current_page = 1;
  int per_page = 25;
  int total_pages = 0;  // MX: ceil(total_entries / per_page); 0 for an empty list
};

// The page of `count` items starting at the request's offset; `at(i)` returns item i.
// Cost is O(per_page), whatever `count` is. A page past the end is empty with correct totals.
template <class T, class At>
Page<T> slice_page(std::size_t count, const PageRequest& req, At at) {
  Page<T> out;
  out.total_entries = count;
  out.current_page = req.page;
  out.per_page = req.per_page;
  const auto per = static_cast<std::size_t>(req.per_page);
  out.total_pages = static_cast<int>((count + per - 1) / per);
  const std::size_t begin = static_cast<std::size_t>(req.page - 1) * per;
  if (begin >= count) return out;
  const std::size_t end = std::min(count, begin + per);
  out.items.reserve(end - begin);
  for (std::size_t i = begin; i < end; ++i) out.items.push_back(at(i));
  return out;
}

template <class T>
Page<T> slice_page(const std::vector<T>& all, const PageRequest& req) {
  return slice_page<T>(all.size(), req, [&](std::size_t i) { return all[i]; });
}

}  // namespace mxemu::domain
