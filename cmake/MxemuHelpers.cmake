# Warnings are set per target, never globally, so third-party headers stay quiet.
function(mxemu_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow)
  # In a unity build a file's anonymous-namespace types live in an included file, where GCC
  # warns when a class of the file uses one as a member, as it never does for the main file.
  # The types are as local to the unit as they were to the file.
  if(MXEMU_UNITY_BUILD AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wno-subobject-linkage)
  endif()
endfunction()

# mxemu_add_test(<name> SOURCES ... LIBS ... [LABELS ...])
# One executable per test directory; gtest_discover_tests makes each TEST a ctest entry.
function(mxemu_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} mxemu_test_support GTest::gmock GTest::gtest_main)
  mxemu_set_warnings(${name})
  if(MXEMU_TEST_CXX_FLAGS)
    separate_arguments(test_flags UNIX_COMMAND "${MXEMU_TEST_CXX_FLAGS}")
    target_compile_options(${name} PRIVATE ${test_flags})
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT 120)
endfunction()
