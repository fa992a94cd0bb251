#include <httplib.h>

#include <nlohmann/json.hpp>

#include "target.h"

namespace mxemu::replay {

std::string base64(const std::string& in) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += {k[(n >> 18) & 63], k[(n >> 12) & 63], k[(n >> 6) & 63], k[n & 63]};
  }
  if (i + 1 == in.size()) {
    const unsigned n = static_cast<unsigned char>(in[i]) << 16;
    out += {k[(n >> 18) & 63], k[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    const unsigned n =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += {k[(n >> 18) & 63], k[(n >> 12) & 63], k[(n >> 6) & 63], '='};
  }
  return out;
}

// Sends `headers` as given; a body goes with `content_type` (the caller's Content-Type header,
// else application/json).
namespace {

Reply perform_send(httplib::Client& client, const std::string& method, const std::string& target,
                   const std::string& body, httplib::Headers headers) {
  std::string content_type = "application/json";
  for (auto it = headers.begin(); it != headers.end();) {
    std::string lower = it->first;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "content-type") {
      content_type = it->second;
      it = headers.erase(it);
    } else {
      ++it;
    }
  }
  const auto perform = [&]() -> httplib::Result {
    if (method == "GET") return client.Get(target, headers);
    if (method == "DELETE") return client.Delete(target, headers, body, content_type);
    if (method == "POST") return client.Post(target, headers, body, content_type);
    if (method == "PUT") return client.Put(target, headers, body, content_type);
    if (method == "PATCH") return client.Patch(target, headers, body, content_type);
    throw std::runtime_error("unsupported HTTP method over --target: " + method);
  };
  auto r = perform();
  if (!r) throw Unreachable("cannot reach the target: " + httplib::to_string(r.error()));
  Reply out;
  out.status = r->status;
  out.body = r->body;
  for (const auto& [k, v] : r->headers) out.headers.emplace_back(k, v);
  return out;
}

Reply raw_send(httplib::Client& client, const std::string& method, const std::string& target,
               const std::string& body, const std::string& authorization) {
  httplib::Headers headers{{"Accept", "application/vnd.mx.api.v1+json"}};
  if (!authorization.empty()) headers.emplace("Authorization", authorization);
  return perform_send(client, method, target, body, std::move(headers));
}

class HttpSession final : public Session {
 public:
  HttpSession(std::string base_url, const std::string& start)
      : base_url_(std::move(base_url)), client_(base_url_) {
    client_.set_connection_timeout(5);
    client_.set_read_timeout(30);
    auto created = raw_send(client_, "POST", "/_emulator/tenants", "{}", "");
    if (created.status != 201) {
      throw std::runtime_error("POST /_emulator/tenants answered " +
                               std::to_string(created.status) + ": " + created.body);
    }
    const auto t = nlohmann::json::parse(created.body).at("tenant");
    client_id_ = t.at("client_id").get<std::string>();
    api_key_ = t.at("api_key").get<std::string>();
    authorization_ = "Basic " + base64(client_id_ + ":" + api_key_);
    const auto set = send("POST", "/_emulator/clock/set", nlohmann::json{{"time", start}}.dump());
    if (set.status != 200) {
      throw std::runtime_error("the target cannot move its clock to the scenario's start " + start +
                               " (" + std::to_string(set.status) + " " + set.body +
                               "); run mxemu with --clock manual --start-time at or before it");
    }
  }
  ~HttpSession() override {
    try {
      raw_send(client_, "DELETE", "/_emulator/tenants/" + client_id_, "", authorization_);
    } catch (const std::exception&) {
      // The tenant outlives a target that went away; nothing else to do.
    }
  }

  Reply send(const std::string& method, const std::string& target,
             const std::string& body) override {
    return raw_send(client_, method, target, body, authorization_);
  }
  std::string curl(const std::string& method, const std::string& target,
                   const std::string& body) const override {
    return curl_command(base_url_, client_id_ + ":" + api_key_, method, target, body);
  }
  Reply exchange(const std::string& method, const std::string& target,
                 const std::vector<std::pair<std::string, std::string>>& headers,
                 const std::string& body) override {
    httplib::Headers h;
    for (const auto& [name, value] : headers) h.emplace(name, value);
    return perform_send(client_, method, target, body, std::move(h));
  }
  std::pair<std::string, std::string> credentials() const override {
    return {client_id_, api_key_};
  }

 private:
  std::string base_url_;
  httplib::Client client_;
  std::string client_id_, api_key_, authorization_;
};

class HttpTarget final : public Target {
 public:
  explicit HttpTarget(std::string base_url) : base_url_(std::move(base_url)) {}
  std::unique_ptr<Session> open(const std::string& start) override {
    return std::make_unique<HttpSession>(base_url_, start);
  }

 private:
  std::string base_url_;
};

}  // namespace

std::unique_ptr<Target> make_http_target(const std::string& base_url) {
  return std::make_unique<HttpTarget>(base_url);
}

}  // namespace mxemu::replay
