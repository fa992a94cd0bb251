#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string_view>

#include "api/http_types.h"

namespace mxemu::api {

// An HTML page of mock_server/web/ as one response: `html_file` with its stylesheet, its scripts
// (concatenated in order) and `boot` (as window.MXEMU_BOOT, safe inside <script>) inlined at the
// /*MXEMU_CSS*/, /*MXEMU_JS*/ and /*MXEMU_BOOT*/ markers. Not cached (no-store).
Response page_response(int status, std::string_view html_file, std::string_view css_file,
                       std::initializer_list<std::string_view> js_files,
                       const nlohmann::json& boot);

// MX's connection statuses as the pages need them: [{name, code, needs_user, message}], in the
// status table's order, without the empty status.
nlohmann::json status_table();

}  // namespace mxemu::api
