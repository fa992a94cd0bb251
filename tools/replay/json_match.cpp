#include "json_match.h"

#include <cctype>

namespace mxemu::replay {
namespace {

bool name_char(char c, bool first) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' ||
         (!first && std::isdigit(static_cast<unsigned char>(c)) != 0);
}

// The name of a template starting at text[i] == '{', or empty if it is not one.
std::string template_name(const std::string& text, std::size_t i) {
  std::size_t j = i + 1;
  while (j < text.size() && name_char(text[j], j == i + 1)) ++j;
  if (j == i + 1 || j >= text.size() || text[j] != '}') return "";
  return text.substr(i + 1, j - i - 1);
}

const nlohmann::json& lookup(const std::string& name, const Captures& captures) {
  auto it = captures.find(name);
  if (it == captures.end()) throw TemplateError("no capture named {" + name + "}");
  return it->second;
}

}  // namespace

std::string render(const std::string& text, const Captures& captures) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') {
      const std::string name = template_name(text, i);
      if (!name.empty()) {
        const auto& v = lookup(name, captures);
        out += v.is_string() ? v.get<std::string>() : v.dump();
        i += name.size() + 1;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

nlohmann::json render(const nlohmann::json& value, const Captures& captures) {
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    if (s.size() > 2 && s.front() == '{' && template_name(s, 0).size() + 2 == s.size()) {
      return lookup(template_name(s, 0), captures);
    }
    return render(s, captures);
  }
  if (value.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : value.items()) out[render(k, captures)] = render(v, captures);
    return out;
  }
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : value) out.push_back(render(v, captures));
    return out;
  }
  return value;
}

std::vector<std::string> subset_diff(const nlohmann::json& expected, const nlohmann::json& actual,
                                     const std::string& pointer) {
  std::vector<std::string> out;
  const std::string where = pointer.empty() ? "/" : pointer;
  if (expected.is_object()) {
    if (!actual.is_object()) {
      out.push_back(where + ": expected an object, got " + actual.dump());
      return out;
    }
    for (const auto& [k, v] : expected.items()) {
      if (!actual.contains(k)) {
        out.push_back(pointer + "/" + k + ": expected " + v.dump() + ", got nothing (no such key)");
        continue;
      }
      auto sub = subset_diff(v, actual.at(k), pointer + "/" + k);
      out.insert(out.end(), sub.begin(), sub.end());
    }
    return out;
  }
  if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size()) {
      out.push_back(where + ": expected an array of " + std::to_string(expected.size()) +
                    " elements, got " + actual.dump());
      return out;
    }
    for (std::size_t i = 0; i < expected.size(); ++i) {
      auto sub = subset_diff(expected[i], actual[i], pointer + "/" + std::to_string(i));
      out.insert(out.end(), sub.begin(), sub.end());
    }
    return out;
  }
  if (expected != actual)
    out.push_back(where + ": expected " + expected.dump() + ", got " + actual.dump());
  return out;
}

}  // namespace mxemu::replay
