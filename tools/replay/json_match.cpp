#include "json_match.h"

#include <algorithm>
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

namespace {

std::vector<std::string> split_pointer(const std::string& p) {
  std::vector<std::string> out;
  std::size_t i = 1;
  while (i <= p.size()) {
    const auto j = p.find('/', i);
    std::string tok = p.substr(i, j == std::string::npos ? std::string::npos : j - i);
    std::string un;
    for (std::size_t k = 0; k < tok.size(); ++k) {
      if (tok[k] == '~' && k + 1 < tok.size()) {
        un += tok[k + 1] == '1' ? '/' : '~';
        ++k;
      } else {
        un += tok[k];
      }
    }
    out.push_back(un);
    if (j == std::string::npos) break;
    i = j + 1;
  }
  return out;
}

// Whether `path` (segments) is one of the volatile patterns.
bool is_volatile(const std::vector<std::string>& path,
                 const std::vector<std::vector<std::string>>& patterns) {
  for (const auto& pat : patterns) {
    if (pat.size() != path.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < pat.size() && match; ++i)
      match = pat[i] == "*" || pat[i] == path[i];
    if (match) return true;
  }
  return false;
}

std::string join(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& s : path) out += "/" + s;
  return out.empty() ? "/" : out;
}

void golden_walk(const nlohmann::json& e, const nlohmann::json& a, std::vector<std::string>& path,
                 const std::vector<std::vector<std::string>>& patterns,
                 std::vector<std::string>& out) {
  if (is_volatile(path, patterns)) return;
  if (e.is_object() && a.is_object()) {
    for (const auto& [k, v] : e.items()) {
      path.push_back(k);
      if (!a.contains(k)) {
        out.push_back(join(path) + ": expected " + v.dump() + ", got nothing (no such key)");
      } else {
        golden_walk(v, a.at(k), path, patterns, out);
      }
      path.pop_back();
    }
    for (const auto& [k, v] : a.items()) {
      if (!e.contains(k)) {
        path.push_back(k);
        out.push_back(join(path) + ": not in the golden file, got " + v.dump());
        path.pop_back();
      }
    }
    return;
  }
  if (e.is_array() && a.is_array() && e.size() == a.size()) {
    for (std::size_t i = 0; i < e.size(); ++i) {
      path.push_back(std::to_string(i));
      golden_walk(e[i], a[i], path, patterns, out);
      path.pop_back();
    }
    return;
  }
  if (e != a) out.push_back(join(path) + ": expected " + e.dump() + ", got " + a.dump());
}

nlohmann::json golden_write(const nlohmann::json& a, std::vector<std::string>& path,
                            const std::vector<std::vector<std::string>>& patterns,
                            const std::vector<std::pair<std::string, std::string>>& by_value) {
  if (is_volatile(path, patterns)) return nullptr;
  if (a.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : a.items()) {
      path.push_back(k);
      out[k] = golden_write(v, path, patterns, by_value);
      path.pop_back();
    }
    return out;
  }
  if (a.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      path.push_back(std::to_string(i));
      out.push_back(golden_write(a[i], path, patterns, by_value));
      path.pop_back();
    }
    return out;
  }
  if (a.is_string()) {
    for (const auto& [value, name] : by_value) {
      if (a.get<std::string>() == value) return "{" + name + "}";
    }
  }
  return a;
}

std::vector<std::vector<std::string>> patterns_of(const std::vector<std::string>& pointers) {
  std::vector<std::vector<std::string>> out;
  for (const auto& p : pointers) out.push_back(split_pointer(p));
  return out;
}

}  // namespace

std::vector<std::string> golden_diff(const nlohmann::json& expected, const nlohmann::json& actual,
                                     const std::vector<std::string>& volatile_pointers) {
  std::vector<std::string> out;
  std::vector<std::string> path;
  golden_walk(expected, actual, path, patterns_of(volatile_pointers), out);
  return out;
}

nlohmann::json golden_from_response(const nlohmann::json& actual,
                                    const std::vector<std::string>& volatile_pointers,
                                    const Captures& captures) {
  std::vector<std::pair<std::string, std::string>> by_value;
  for (const auto& [name, value] : captures) {
    if (value.is_string() && !value.get<std::string>().empty()) by_value.emplace_back(value, name);
  }
  std::stable_sort(by_value.begin(), by_value.end(),
                   [](const auto& x, const auto& y) { return x.second.size() > y.second.size(); });
  std::vector<std::string> path;
  return golden_write(actual, path, patterns_of(volatile_pointers), by_value);
}

}  // namespace mxemu::replay
