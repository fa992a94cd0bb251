// Keeps docs/api-coverage.md honest: its generated block lists every operation of MX's OpenAPI
// files (v20111101.yml, v20250224.yml) and whether route_table() serves it. The tests here
// also hold the route table to the specs: a route named after an MX operation must have that
// operation's method and path shape, and be enabled in exactly the versions that declare it.
//
// The spec files live outside the repository (MXEMU_SHARED_DIR); without them, every test that
// needs them is skipped. To regenerate the block after changing the route table, run:
//   MXEMU_UPDATE_DOCS=1 ./mxemu_api_tests --gtest_filter='ApiCoverage*'
// The doc test then rewrites the block in place (and passes) instead of failing.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http_types.h"
#include "api/routes.h"
#include "support/generated_doc.h"

namespace mxemu::api {
namespace {

// --- a tiny, tolerant reader for the operations of an OpenAPI YAML file ----------------------
// No YAML library: lines become a tree by indentation (a node's children are the following
// lines indented deeper). A sequence item "- x" counts one column deeper than its dash, so
// "tags:\n- a" and "tags:\n  - a" both give `tags` the child "- a". Block scalars need no
// special case: their text is indented deeper than their key, so it only ever appears as
// children of `description: |`, which the reader never looks into.

struct Node {
  int indent = -1;
  std::string text;  // without indentation and trailing whitespace
  int line = 0;      // 1-based line number in the file
  std::vector<Node> children;
};

Node parse_tree(std::string_view text) {
  Node root;
  std::vector<Node*> stack{&root};
  int line_number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t newline = text.find('\n', start);
    const std::size_t end = newline == std::string_view::npos ? text.size() : newline;
    std::string_view raw = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    while (!raw.empty() && (raw.back() == '\r' || raw.back() == ' ' || raw.back() == '\t')) {
      raw.remove_suffix(1);
    }
    const std::size_t first = raw.find_first_not_of(' ');
    if (first == std::string_view::npos || raw[first] == '#') continue;  // blank or comment
    Node node;
    node.text = std::string(raw.substr(first));
    node.indent = static_cast<int>(first);
    if (node.text == "-" || node.text.rfind("- ", 0) == 0) ++node.indent;
    node.line = line_number;
    while (stack.back()->indent >= node.indent) stack.pop_back();
    // Only the deepest node ever gains children, so pointers to its ancestors stay valid.
    stack.back()->children.push_back(std::move(node));
    stack.push_back(&stack.back()->children.back());
    if (newline == std::string_view::npos) break;
  }
  return root;
}

std::string trim(std::string_view s) {
  const std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  const std::size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// A scalar as written after "key:" or "- ": quotes removed ('' inside single quotes is one '),
// a trailing " # comment" dropped from plain scalars.
std::string scalar(std::string_view raw) {
  std::string s = trim(raw);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  if (s.size() >= 2 && s.front() == '\'' && s.back() == '\'') {
    std::string out;
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
      out += s[i];
      if (s[i] == '\'' && s[i + 1] == '\'') ++i;
    }
    return out;
  }
  const std::size_t comment = s.find(" #");
  if (comment != std::string::npos) s = trim(s.substr(0, comment));
  return s;
}

// "key: value" / "key:" / "'key': value" → {key, raw value}; nullopt when `text` is no key.
std::optional<std::pair<std::string, std::string>> split_key(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::size_t colon = std::string_view::npos;
  std::string key;
  if (text.front() == '"' || text.front() == '\'') {
    const std::size_t close = text.find(text.front(), 1);
    if (close == std::string_view::npos) return std::nullopt;
    key = std::string(text.substr(1, close - 1));
    colon = text.find_first_not_of(' ', close + 1);
    if (colon == std::string_view::npos || text[colon] != ':') return std::nullopt;
  } else {
    // The first ':' followed by a space or the end of the line ("/a:b" stays one key).
    for (std::size_t i = text.find(':'); i != std::string_view::npos; i = text.find(':', i + 1)) {
      if (i + 1 == text.size() || text[i + 1] == ' ') {
        colon = i;
        break;
      }
    }
    if (colon == std::string_view::npos) return std::nullopt;
    key = trim(text.substr(0, colon));
  }
  return std::make_pair(key, std::string(text.substr(colon + 1)));
}

const Node* child(const Node& parent, std::string_view key) {
  for (const Node& c : parent.children) {
    const auto kv = split_key(c.text);
    if (kv && kv->first == key) return &c;
  }
  return nullptr;
}

// The items of a list-valued key: "key: [a, 'b']" or its "- a" children.
std::vector<std::string> list_items(const Node& key_node) {
  std::vector<std::string> out;
  const std::string inline_value = trim(split_key(key_node.text)->second);
  if (!inline_value.empty() && inline_value.front() == '[') {
    const std::size_t close = inline_value.rfind(']');
    std::stringstream items(
        inline_value.substr(1, close == std::string::npos ? std::string::npos : close - 1));
    for (std::string item; std::getline(items, item, ',');) {
      if (!trim(item).empty()) out.push_back(scalar(item));
    }
    return out;
  }
  for (const Node& c : key_node.children) {
    if (c.text.rfind("- ", 0) == 0) out.push_back(scalar(std::string_view(c.text).substr(2)));
  }
  return out;
}

struct SpecOperation {
  std::string method;  // upper case, as to_string(Method) spells it
  std::string path;
  std::string operation_id;
  std::vector<std::string> tags;
  int line = 0;

  std::string tag() const { return tags.empty() ? "(untagged)" : tags.front(); }
};

struct Spec {
  std::string name;               // "v20111101.yml"
  std::vector<std::string> tags;  // the top-level `tags:` list, in order
  std::vector<SpecOperation> operations;
  std::size_t path_count = 0;

  const SpecOperation* find(std::string_view operation_id) const {
    for (const SpecOperation& op : operations) {
      if (op.operation_id == operation_id) return &op;
    }
    return nullptr;
  }
};

Spec parse_spec(std::string_view text, std::string name) {
  static const std::set<std::string> kMethods = {"get",     "put",  "post",  "delete",
                                                 "options", "head", "patch", "trace"};
  Spec spec;
  spec.name = std::move(name);
  const Node root = parse_tree(text);
  if (const Node* tags = child(root, "tags")) {
    for (const Node& item : tags->children) {
      if (item.text != "-" && item.text.rfind("- ", 0) != 0) continue;
      // "- name: x", or "-" with "name: x" among its children.
      const std::string first = item.text == "-" ? "" : item.text.substr(2);
      const auto kv = split_key(first);
      if (kv && kv->first == "name") {
        spec.tags.push_back(scalar(kv->second));
      } else if (const Node* n = child(item, "name")) {
        spec.tags.push_back(scalar(split_key(n->text)->second));
      }
    }
  }
  const Node* paths = child(root, "paths");
  if (paths == nullptr) return spec;
  for (const Node& path_node : paths->children) {
    const auto path = split_key(path_node.text);
    if (!path || path->first.empty() || path->first.front() != '/') continue;
    ++spec.path_count;
    for (const Node& method_node : path_node.children) {
      const auto method = split_key(method_node.text);
      if (!method) continue;
      std::string lower = method->first;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (kMethods.count(lower) == 0) continue;  // parameters, summary, servers...
      SpecOperation op;
      op.method = lower;
      std::transform(op.method.begin(), op.method.end(), op.method.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      op.path = path->first;
      op.line = method_node.line;
      if (const Node* id = child(method_node, "operationId")) {
        op.operation_id = scalar(split_key(id->text)->second);
      }
      if (const Node* tags = child(method_node, "tags")) op.tags = list_items(*tags);
      spec.operations.push_back(std::move(op));
    }
  }
  return spec;
}

// --- the spec files, read once ---------------------------------------------------------------

constexpr std::string_view kV1File = "v20111101.yml";
constexpr std::string_view kV2File = "v20250224.yml";

std::filesystem::path spec_path(std::string_view file) {
  return std::filesystem::path(MXEMU_SHARED_DIR) / "reference" / "mx-openapi" / file;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// nullptr when the file is absent.
const Spec* load_spec(std::string_view file) {
  static std::map<std::string, std::unique_ptr<Spec>, std::less<>> cache;
  auto it = cache.find(file);
  if (it == cache.end()) {
    std::unique_ptr<Spec> spec;
    const std::filesystem::path path = spec_path(file);
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) {
      spec = std::make_unique<Spec>(parse_spec(read_file(path), std::string(file)));
    }
    it = cache.emplace(std::string(file), std::move(spec)).first;
  }
  return it->second.get();
}

#define LOAD_SPECS_OR_SKIP(v1, v2)                                                        \
  const Spec* v1 = load_spec(kV1File);                                                    \
  const Spec* v2 = load_spec(kV2File);                                                    \
  if (v1 == nullptr || v2 == nullptr) {                                                   \
    GTEST_SKIP() << "MX OpenAPI files not found under " << spec_path("").string() << "; " \
                 << "the coverage tests need " << kV1File << " and " << kV2File;          \
  }

// --- matching routes to operations -----------------------------------------------------------

// Segment shape of a path: every "{name}" becomes "{}", literals stay. Spec
// "/users/{user_guid}/statements/{statement_guid}.pdf" and route
// "/users/{user}/statements/{statement}.pdf" have the same shape.
std::string path_shape(std::string_view path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      const std::size_t close = path.find('}', i);
      if (close != std::string_view::npos) {
        out += "{}";
        i = close;
        continue;
      }
    }
    out += path[i];
  }
  return out;
}

// A concrete request path for a spec path: each "{name}" replaced by a sample value.
std::string sample_path(std::string_view path) {
  std::string shape = path_shape(path);
  for (std::size_t at = shape.find("{}"); at != std::string::npos; at = shape.find("{}", at)) {
    shape.replace(at, 2, "SAMPLE-1");
  }
  return shape;
}

std::string describe(const Route& r) {
  return std::string(to_string(r.method)) + " " + r.pattern.text() + " (" +
         std::string(r.operation_id) + ")";
}

std::string describe(const SpecOperation& op, const Spec& spec) {
  return op.method + " " + op.path + " (" + op.operation_id + ", " + spec.name + " line " +
         std::to_string(op.line) + ")";
}

bool agrees(const Route& r, const SpecOperation& op) {
  return to_string(r.method) == op.method && path_shape(r.pattern.text()) == path_shape(op.path);
}

bool serves(const Route& r, bool v2) {
  return r.versions == Versions::kBoth ||
         r.versions == (v2 ? Versions::kV2Only : Versions::kV1Only);
}

using Routes = std::vector<Route>;

std::vector<const Route*> mx_routes_named(const Routes& routes, std::string_view operation_id) {
  std::vector<const Route*> out;
  for (const Route& r : routes) {
    if (is_mx_api(r.scope) && r.operation_id == operation_id) out.push_back(&r);
  }
  return out;
}

enum class Status { kImplemented, kNotYet, kMismatch };

// Implemented: a kMx route named after the operation, with its method and path shape, enabled
// in that spec's version. Mismatch: a route has the name but not the method or path.
Status status_of(const Routes& routes, const SpecOperation& op, bool v2) {
  const std::vector<const Route*> named = mx_routes_named(routes, op.operation_id);
  for (const Route* r : named) {
    if (agrees(*r, op) && serves(*r, v2)) return Status::kImplemented;
  }
  for (const Route* r : named) {
    if (!agrees(*r, op)) return Status::kMismatch;
  }
  return Status::kNotYet;
}

std::string_view status_text(Status s) {
  switch (s) {
    case Status::kImplemented:
      return "implemented";
    case Status::kNotYet:
      return "not yet";
    case Status::kMismatch:
      return "**route disagrees with spec**";
  }
  return "";
}

// --- rendering -------------------------------------------------------------------------------

// Tags in the spec's `tags:` order, only those operations use; undeclared tags go last.
std::vector<std::string> tag_order(const Spec& spec) {
  std::vector<std::string> out;
  auto used = [&](const std::string& tag) {
    return std::any_of(spec.operations.begin(), spec.operations.end(),
                       [&](const SpecOperation& op) { return op.tag() == tag; });
  };
  for (const std::string& tag : spec.tags) {
    if (used(tag) && std::find(out.begin(), out.end(), tag) == out.end()) out.push_back(tag);
  }
  for (const SpecOperation& op : spec.operations) {
    if (std::find(out.begin(), out.end(), op.tag()) == out.end()) out.push_back(op.tag());
  }
  return out;
}

std::string render_coverage(const Spec& v1, const Spec& v2, const Routes& routes) {
  std::ostringstream o;
  const std::vector<std::string> tags = tag_order(v1);
  std::map<std::string, std::pair<int, int>> per_tag;  // tag -> {implemented, total}
  int v1_done = 0;
  for (const SpecOperation& op : v1.operations) {
    const bool done = status_of(routes, op, false) == Status::kImplemented;
    per_tag[op.tag()].first += done ? 1 : 0;
    per_tag[op.tag()].second += 1;
    v1_done += done ? 1 : 0;
  }
  int shared = 0;
  int shared_done = 0;
  std::vector<const SpecOperation*> v2_only;
  int v2_only_done = 0;
  for (const SpecOperation& op : v2.operations) {
    const bool done = status_of(routes, op, true) == Status::kImplemented;
    if (v1.find(op.operation_id) != nullptr) {
      ++shared;
      shared_done += done ? 1 : 0;
    } else {
      v2_only.push_back(&op);
      v2_only_done += done ? 1 : 0;
    }
  }
  const std::size_t removed = v1.operations.size() - static_cast<std::size_t>(shared);

  o << "## Summary\n\n"
    << "- **" << kV1File << ": " << v1_done << " of " << v1.operations.size()
    << " operations implemented.**\n"
    << "- " << kV2File << ": " << shared_done + v2_only_done << " of " << v2.operations.size()
    << " implemented: " << shared_done << " of the " << shared << " it shares with " << kV1File
    << ", " << v2_only_done << " of the " << v2_only.size() << " only it has. It drops " << removed
    << " of " << kV1File << "'s operations.\n\n"
    << "| tag (" << kV1File << ") | implemented | total |\n"
    << "|---|---:|---:|\n";
  for (const std::string& tag : tags) {
    o << "| " << tag << " | " << per_tag[tag].first << " | " << per_tag[tag].second << " |\n";
  }
  o << "| **all** | **" << v1_done << "** | **" << v1.operations.size() << "** |\n\n";

  o << "## Operations by tag (" << kV1File << ")\n\n"
    << "Paths as the spec writes them. The " << kV2File
    << " column says whether that version still has the operation (some of its paths name a "
       "parameter `{user_identifier}` where "
    << kV1File << " says `{user_guid}`).\n";
  for (const std::string& tag : tags) {
    o << "\n### " << tag << " (" << per_tag[tag].first << " of " << per_tag[tag].second << ")\n\n"
      << "| method | path | operationId | status | " << kV2File.substr(0, 9) << " |\n"
      << "|---|---|---|---|---|\n";
    for (const SpecOperation& op : v1.operations) {
      if (op.tag() != tag) continue;
      o << "| " << op.method << " | `" << op.path << "` | " << op.operation_id << " | "
        << status_text(status_of(routes, op, false)) << " | "
        << (v2.find(op.operation_id) != nullptr ? "yes" : "removed in v2") << " |\n";
    }
  }

  o << "\n## Only in " << kV2File << " (" << v2_only_done << " of " << v2_only.size() << ")\n\n"
    << "| method | path | operationId | tag | status |\n"
    << "|---|---|---|---|---|\n";
  for (const SpecOperation* op : v2_only) {
    o << "| " << op->method << " | `" << op->path << "` | " << op->operation_id << " | "
      << op->tag() << " | " << status_text(status_of(routes, *op, true)) << " |\n";
  }
  return o.str();
}

// --- checks of a route table against the specs; each returns one line per problem ----------

// kMx routes whose operation_id neither spec has.
std::string unknown_operations(const Spec& v1, const Spec& v2, const Routes& routes) {
  std::string out;
  for (const Route& r : routes) {
    if (!is_mx_api(r.scope)) continue;
    if (v1.find(r.operation_id) == nullptr && v2.find(r.operation_id) == nullptr) {
      out += describe(r) + ": neither " + v1.name + " nor " + v2.name + " has this operationId\n";
    }
  }
  return out;
}

std::string_view versions_name(Versions v) {
  switch (v) {
    case Versions::kBoth:
      return "Versions::kBoth";
    case Versions::kV1Only:
      return "Versions::kV1Only";
    case Versions::kV2Only:
      return "Versions::kV2Only";
  }
  return "";
}

// A route named after an operation must have that operation's method and path (by segment
// shape) in each spec that has it, and be enabled in exactly the versions whose spec has it.
std::string disagreements(const Spec& v1, const Spec& v2, const Routes& routes) {
  std::string out;
  for (const Route& r : routes) {
    if (!is_mx_api(r.scope)) continue;
    const SpecOperation* in_v1 = v1.find(r.operation_id);
    const SpecOperation* in_v2 = v2.find(r.operation_id);
    if (in_v1 == nullptr && in_v2 == nullptr) continue;  // unknown_operations()
    for (const auto& [op, spec] : {std::make_pair(in_v1, &v1), std::make_pair(in_v2, &v2)}) {
      if (op != nullptr && !agrees(r, *op)) {
        out += "route " + describe(r) + " disagrees with " + spec->name + ", which has " +
               describe(*op, *spec) + "\n";
      }
    }
    const Versions expected = in_v1 == nullptr   ? Versions::kV2Only
                              : in_v2 == nullptr ? Versions::kV1Only
                                                 : Versions::kBoth;
    if (r.versions != expected) {
      out += "route " + describe(r) + " is " + std::string(versions_name(r.versions)) +
             " but only " + (in_v1 != nullptr ? v1.name : "") +
             (in_v1 != nullptr && in_v2 != nullptr ? " and " : "") +
             (in_v2 != nullptr ? v2.name : "") + " has the operation: expected " +
             std::string(versions_name(expected)) + "\n";
    }
  }
  return out;
}

// What the doc promises: a request for an implemented operation reaches its route (first match
// wins, so no earlier route may shadow it), and one for an operation that is not implemented
// matches no route its version enables, so it gets 404 Invalid route (service.cpp).
std::string reachability_problems(const Spec& v1, const Spec& v2, const Routes& routes) {
  std::string out;
  for (const auto& [spec, is_v2] : {std::make_pair(&v1, false), std::make_pair(&v2, true)}) {
    for (const SpecOperation& op : spec->operations) {
      const std::string path = sample_path(op.path);
      const Route* first = nullptr;
      std::vector<std::string> captures;
      for (const Route& r : routes) {
        if (to_string(r.method) == op.method && r.pattern.match(path, captures)) {
          first = &r;
          break;
        }
      }
      const bool reached = first != nullptr && serves(*first, is_v2);
      if (status_of(routes, op, is_v2) == Status::kImplemented) {
        if (!reached || first->operation_id != op.operation_id) {
          out += describe(op, *spec) + " is implemented, but " + op.method + " " + path +
                 " goes to " + (first != nullptr ? describe(*first) : "no route") + "\n";
        }
      } else if (reached) {
        out += describe(op, *spec) + " is not implemented, but " + op.method + " " + path +
               " is answered by " + describe(*first) + "\n";
      }
    }
  }
  return out;
}

// --- the doc file ----------------------------------------------------------------------------

constexpr std::string_view kBegin = "<!-- BEGIN GENERATED: api coverage -->\n";
constexpr std::string_view kEnd = "<!-- END GENERATED: api coverage -->";

std::string doc_path() { return std::string(MXEMU_SOURCE_DIR) + "/docs/api-coverage.md"; }

bool split_doc(const std::string& text, testing::DocBlock* out) {
  return testing::split_generated_block(doc_path(), text, kBegin, kEnd, out);
}

// --- the reader itself (no spec files needed) ------------------------------------------------

TEST(ApiCoverageTest, ReaderToleratesTheYamlShapesItMeets) {
  const std::string yaml =
      "openapi: 3.0.0\r\n"
      "tags:\n"
      "- name: widgets\n"
      "  description: |\n"
      "    paths:\n"
      "      /not/a/path:\n"
      "- name: members  # a comment\n"
      "-\n"
      "  name: 'users'\n"
      "paths:\n"
      "  # a comment\n"
      "  /users/{user_guid}:\n"
      "    parameters:\n"
      "      - $ref: '#/components/parameters/userGuid'\n"
      "    get:\n"
      "      description: |\n"
      "        operationId: notThisOne\n"
      "        tags:\n"
      "          - nope\n"
      "\n"
      "      operationId: readUser\n"
      "      tags:\n"
      "        - users\n"
      "    'delete':\n"
      "      operationId: \"deleteUser\"\n"
      "      tags: [users, 'members']\n"
      "  \"/users/{user_guid}/members\":\n"
      "    post:\n"
      "      tags:\n"
      "      - members\n"
      "      operationId: createMember   # trailing comment\n"
      "components:\n"
      "  schemas: {}\n";
  const Spec spec = parse_spec(yaml, "inline.yml");
  EXPECT_EQ(spec.tags, (std::vector<std::string>{"widgets", "members", "users"}));
  EXPECT_EQ(spec.path_count, 2u);
  ASSERT_EQ(spec.operations.size(), 3u);
  EXPECT_EQ(spec.operations[0].method, "GET");
  EXPECT_EQ(spec.operations[0].path, "/users/{user_guid}");
  EXPECT_EQ(spec.operations[0].operation_id, "readUser");
  EXPECT_EQ(spec.operations[0].tags, std::vector<std::string>{"users"});
  EXPECT_EQ(spec.operations[0].line, 15);
  EXPECT_EQ(spec.operations[1].method, "DELETE");
  EXPECT_EQ(spec.operations[1].operation_id, "deleteUser");
  EXPECT_EQ(spec.operations[1].tags, (std::vector<std::string>{"users", "members"}));
  EXPECT_EQ(spec.operations[2].method, "POST");
  EXPECT_EQ(spec.operations[2].path, "/users/{user_guid}/members");
  EXPECT_EQ(spec.operations[2].operation_id, "createMember");
  EXPECT_EQ(spec.operations[2].tags, std::vector<std::string>{"members"});
}

TEST(ApiCoverageTest, PathShapeComparesSegmentsNotParameterNames) {
  EXPECT_EQ(path_shape("/users/{user_guid}/members/{member_guid}"),
            path_shape("/users/{user}/members/{member}"));
  EXPECT_EQ(path_shape("/users/{user_guid}/members/{member_guid}/statements/{statement_guid}.pdf"),
            path_shape("/users/{user}/members/{member}/statements/{statement}.pdf"));
  EXPECT_NE(path_shape("/users/{user}/statements/{statement}.pdf"),
            path_shape("/users/{user}/statements/{statement}"));
  EXPECT_NE(path_shape("/institutions/favorites"), path_shape("/institutions/{institution}"));
  EXPECT_NE(path_shape("/users/{user}/members"), path_shape("/users/{user}/member"));
  EXPECT_EQ(sample_path("/users/{user_guid}/statements/{s}.pdf"),
            "/users/SAMPLE-1/statements/SAMPLE-1.pdf");
}

// --- the route table alone (no spec files needed) --------------------------------------------

// Two routes with one method and one path shape: the second could never be reached.
TEST(ApiCoverageTest, NoTwoRoutesShareMethodAndPath) {
  std::map<std::pair<std::string, std::string>, const Route*> seen;
  for (const Route& r : route_table()) {
    const auto key = std::make_pair(std::string(to_string(r.method)), path_shape(r.pattern.text()));
    const auto [it, inserted] = seen.emplace(key, &r);
    EXPECT_TRUE(inserted) << describe(r) << " has the method and path of " << describe(*it->second);
  }
}

TEST(ApiCoverageTest, DocHasTheGeneratedBlock) {
  const std::string text = read_file(doc_path());
  ASSERT_FALSE(text.empty()) << "cannot read " << doc_path();
  testing::DocBlock doc;
  ASSERT_TRUE(split_doc(text, &doc));
}

// The checks themselves, on a small spec and a deliberately broken route table.
TEST(ApiCoverageTest, ChecksReportBrokenRoutes) {
  const Spec v1 = parse_spec(
      "paths:\n"
      "  /users/{user_guid}:\n"
      "    put:\n      operationId: updateUser\n      tags: [users]\n"
      "    delete:\n      operationId: deleteUser\n      tags: [users]\n"
      "  /users/{user_guid}/old:\n"
      "    post:\n      operationId: oldOnly\n      tags: [users]\n"
      "  /users/{user_guid}/next:\n"
      "    post:\n      operationId: notYet\n      tags: [users]\n",
      "v1.yml");
  const Spec v2 = parse_spec(
      "paths:\n"
      "  /users/{user_identifier}:\n"
      "    put:\n      operationId: updateUser\n      tags: [users]\n"
      "    delete:\n      operationId: deleteUser\n      tags: [users]\n",
      "v2.yml");
  ASSERT_EQ(v1.operations.size(), 4u);
  const Routes routes = {
      // the wrong method for updateUser
      Route{Method::kPost, PathPattern("/users/{user}"), nullptr, "updateUser"},
      // a literal where the spec has a parameter (the next route implements deleteUser)
      Route{Method::kDelete, PathPattern("/users/me"), nullptr, "deleteUser"},
      Route{Method::kDelete, PathPattern("/users/{user}"), nullptr, "deleteUser"},
      // enabled in v20250224, whose spec lacks it
      Route{Method::kPost, PathPattern("/users/{user}/old"), nullptr, "oldOnly"},
      // answers the path of an operation that is not implemented
      Route{Method::kPost, PathPattern("/users/{user}/{action}"), nullptr, "invented"},
  };
  EXPECT_EQ(unknown_operations(v1, v2, routes),
            "POST /users/{user}/{action} (invented): neither "
            "v1.yml nor v2.yml has this operationId\n");
  EXPECT_EQ(disagreements(v1, v2, routes),
            "route POST /users/{user} (updateUser) disagrees with v1.yml, which has PUT "
            "/users/{user_guid} (updateUser, v1.yml line 3)\n"
            "route POST /users/{user} (updateUser) disagrees with v2.yml, which has PUT "
            "/users/{user_identifier} (updateUser, v2.yml line 3)\n"
            "route DELETE /users/me (deleteUser) disagrees with v1.yml, which has DELETE "
            "/users/{user_guid} (deleteUser, v1.yml line 6)\n"
            "route DELETE /users/me (deleteUser) disagrees with v2.yml, which has DELETE "
            "/users/{user_identifier} (deleteUser, v2.yml line 6)\n"
            "route POST /users/{user}/old (oldOnly) is Versions::kBoth but only v1.yml has the "
            "operation: expected Versions::kV1Only\n");
  EXPECT_EQ(status_of(routes, v1.operations[0], false), Status::kMismatch);
  EXPECT_EQ(status_of(routes, v1.operations[1], false), Status::kImplemented);
  EXPECT_EQ(status_of(routes, v1.operations[3], false), Status::kNotYet);
  EXPECT_EQ(reachability_problems(v1, v2, routes),
            "POST /users/{user_guid}/next (notYet, v1.yml line 14) is not implemented, but POST "
            "/users/SAMPLE-1/next is answered by POST /users/{user}/{action} (invented)\n");
  const std::string doc = render_coverage(v1, v2, routes);
  EXPECT_NE(doc.find("| PUT | `/users/{user_guid}` | updateUser | **route disagrees with spec** "
                     "| yes |"),
            std::string::npos)
      << doc;
  EXPECT_NE(doc.find("| POST | `/users/{user_guid}/old` | oldOnly | implemented | removed in v2 |"),
            std::string::npos)
      << doc;
}

// --- against the spec files ------------------------------------------------------------------

TEST(ApiCoverageTest, ReaderFindsEveryOperationOfBothSpecs) {
  LOAD_SPECS_OR_SKIP(v1, v2);
  // The counts of docs/mx-behavior.md §1 and §1c.
  EXPECT_EQ(v1->operations.size(), 166u);
  EXPECT_EQ(v1->path_count, 114u);
  EXPECT_EQ(v2->operations.size(), 169u);
  EXPECT_EQ(v2->path_count, 115u);
  for (const Spec* spec : {v1, v2}) {
    std::set<std::string> ids;
    for (const SpecOperation& op : spec->operations) {
      EXPECT_FALSE(op.operation_id.empty()) << spec->name << " line " << op.line;
      EXPECT_EQ(op.tags.size(), 1u) << describe(op, *spec);
      EXPECT_TRUE(ids.insert(op.operation_id).second)
          << spec->name << " repeats the operationId " << op.operation_id;
    }
  }
  EXPECT_EQ(tag_order(*v1).size(), 25u);
}

// A kMx route's operation_id is MX's: it must name an operation of at least one spec.
TEST(ApiCoverageTest, EveryMxRouteNamesASpecOperation) {
  LOAD_SPECS_OR_SKIP(v1, v2);
  EXPECT_EQ(unknown_operations(*v1, *v2, route_table()), "");
}

TEST(ApiCoverageTest, RoutesAgreeWithTheSpecs) {
  LOAD_SPECS_OR_SKIP(v1, v2);
  EXPECT_EQ(disagreements(*v1, *v2, route_table()), "")
      << "a route of mock_server/api/routes.cpp disagrees with MX's spec";
}

TEST(ApiCoverageTest, EverySpecOperationReachesItsRouteOrNone) {
  LOAD_SPECS_OR_SKIP(v1, v2);
  EXPECT_EQ(reachability_problems(*v1, *v2, route_table()), "");
}

TEST(ApiCoverageTest, GeneratedBlockMatchesTheSpecsAndRoutes) {
  LOAD_SPECS_OR_SKIP(v1, v2);
  const std::string path = doc_path();
  const std::string text = read_file(path);
  ASSERT_FALSE(text.empty()) << "cannot read " << path;
  testing::DocBlock doc;
  ASSERT_TRUE(split_doc(text, &doc));

  const std::string expected = render_coverage(*v1, *v2, route_table());
  EXPECT_EQ(expected, render_coverage(*v1, *v2, route_table()));
  if (doc.generated == expected) return;

  if (testing::update_docs_requested()) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << doc.before << expected << doc.after;
    ASSERT_TRUE(out.good()) << "cannot write " << path;
    std::cout << "[ UPDATED  ] " << path << "\n";
    return;
  }
  ADD_FAILURE() << path << " is out of date with route_table() (mock_server/api/routes.cpp).\n"
                << "Regenerate it with:\n"
                << "  MXEMU_UPDATE_DOCS=1 <build>/tests/mxemu_api_tests "
                   "--gtest_filter='ApiCoverage*'\nthen review the diff.\n"
                << "--- expected block ---\n"
                << expected;
}

}  // namespace
}  // namespace mxemu::api
