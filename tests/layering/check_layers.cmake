# Fails when the layering of docs/architecture.md is broken. Run as
#   cmake -DSOURCE_DIR=<repo> -P check_layers.cmake
# Rules:
#  - mock_server/domain/ includes nothing of api/, http/, storage/, nlohmann, httplib or sqlite;
#  - mock_server/api/ includes nothing of http/, storage/, httplib or sqlite;
#  - mock_server/storage/ (persistence) includes nothing of http/ or httplib;
#  - client/ includes nothing of the server (domain/, api/, http/, mxemu/);
#  - no real clock and no sleep in mock_server/ outside main.cpp and the adapter's documented
#    spots: http_server.cpp (waiting for httplib's listener to come up) and
#    webhook_dispatcher.cpp (its idle poll between delivery rounds) and connection_fault.cpp (a
#    fault rule's optional real delay, capped at 10 s);
#  - no real clock and no sleep in tools/replay/ outside its main.cpp.
cmake_minimum_required(VERSION 3.25)

set(violations "")

function(check_files files regex what)
  foreach(file IN LISTS files)
    file(STRINGS "${file}" hits REGEX "${regex}")
    foreach(hit IN LISTS hits)
      file(RELATIVE_PATH rel "${SOURCE_DIR}" "${file}")
      string(STRIP "${hit}" hit)
      list(APPEND violations "${rel}: ${what}: ${hit}")
    endforeach()
  endforeach()
  set(violations "${violations}" PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE domain_files "${SOURCE_DIR}/mock_server/domain/*.h"
     "${SOURCE_DIR}/mock_server/domain/*.cpp")
file(GLOB_RECURSE api_files "${SOURCE_DIR}/mock_server/api/*.h" "${SOURCE_DIR}/mock_server/api/*.cpp")
file(GLOB_RECURSE server_files "${SOURCE_DIR}/mock_server/*.h" "${SOURCE_DIR}/mock_server/*.cpp")

check_files("${domain_files}" "#include [<\"](api/|http/|storage/|nlohmann|httplib|sqlite)" "the domain includes an outer layer")
check_files("${api_files}" "#include [<\"](http/|httplib)" "the API layer includes the HTTP adapter")
check_files("${api_files}" "#include [<\"](storage/|sqlite)" "the API layer includes the storage")
file(GLOB_RECURSE storage_files "${SOURCE_DIR}/mock_server/storage/*.h"
     "${SOURCE_DIR}/mock_server/storage/*.cpp")
check_files("${storage_files}" "#include [<\"](http/|httplib)" "the storage includes the HTTP adapter")
# The client shares fixtures with the server, never code.
file(GLOB_RECURSE client_files "${SOURCE_DIR}/client/*.h" "${SOURCE_DIR}/client/*.cpp")
check_files("${client_files}" "#include [<\"](domain/|api/|http/|mxemu/)" "the client includes the server's code")

set(time_regex "system_clock::now|steady_clock::now|high_resolution_clock::now|sleep_for|sleep_until|usleep|nanosleep|[^a-z_]time\\(nullptr\\)|gettimeofday|clock_gettime")
set(allowed "mock_server/main.cpp" "mock_server/http/http_server.cpp"
    "mock_server/http/webhook_dispatcher.cpp" "mock_server/http/connection_fault.cpp")
set(timed_files "")
foreach(file IN LISTS server_files)
  file(RELATIVE_PATH rel "${SOURCE_DIR}" "${file}")
  if(NOT rel IN_LIST allowed)
    list(APPEND timed_files "${file}")
  endif()
endforeach()
check_files("${timed_files}" "${time_regex}" "reads the real clock or sleeps (only main may)")
# The scenario runner too: its main passes the real clock in (runner.h's Stopwatch).
file(GLOB_RECURSE replay_files "${SOURCE_DIR}/tools/replay/*.h" "${SOURCE_DIR}/tools/replay/*.cpp")
list(FILTER replay_files EXCLUDE REGEX "/tools/replay/main\\.cpp$")
check_files("${replay_files}" "${time_regex}" "reads the real clock or sleeps (only main may)")

list(LENGTH domain_files n_domain)
list(LENGTH api_files n_api)
if(n_domain EQUAL 0 OR n_api EQUAL 0)
  message(FATAL_ERROR "layering: found no sources under ${SOURCE_DIR}/mock_server")
endif()
if(violations)
  list(JOIN violations "\n  " text)
  message(FATAL_ERROR "layering violations:\n  ${text}")
endif()
message(STATUS "layering: ${n_domain} domain and ${n_api} API files keep their layers")
