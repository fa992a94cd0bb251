#pragma once

#include <string_view>

namespace mxemu::api {

// A file of mock_server/web/ by name ("connect.js"), embedded at build time by
// mock_server/web/embed_web.cmake so the binary serves its pages alone. Empty if unknown.
std::string_view web_asset(std::string_view name);

}  // namespace mxemu::api
