# Each tests/test_*.c is one small executable; each tests/test_*.sh a shell test of the CLI.
# Exit status 77 is a skip (a part that cannot run on this machine), reported as skipped.
set(VT_TEST_ENV
  "VT_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
  "VT_BUILD_DIR=${CMAKE_BINARY_DIR}"
  "VT_BIN=$<TARGET_FILE:vitrine>"
  "VT_PNGSUITE=${CMAKE_SOURCE_DIR}/tests/pngsuite"
  "SDL_VIDEODRIVER=offscreen"
  "ALSOFT_DRIVERS=null"
  "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0"
  "LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0"
  "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
file(GLOB VT_C_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/test_*.c)
set(VT_TEST_FILTER ".*" CACHE STRING "regex: which tests to build")
list(FILTER VT_C_TESTS INCLUDE REGEX "${VT_TEST_FILTER}")
foreach(src ${VT_C_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE vitrine_engine)
  add_test(NAME ${name} COMMAND ${name} WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}/tests)
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${VT_TEST_ENV}" TIMEOUT 300
                                          SKIP_RETURN_CODE 77)
endforeach()
file(GLOB VT_SH_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/test_*.sh)
foreach(src ${VT_SH_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_test(NAME ${name} COMMAND bash ${src} WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}/tests)
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${VT_TEST_ENV}" TIMEOUT 300
                                          SKIP_RETURN_CODE 77)
endforeach()

# Layering probes (tests/test_layering.sh): compiled with engine/text's view of engine/, outside
# the default build; one may build, the other must not.
foreach(probe text_uses_io text_uses_render)
  add_library(layering_${probe} OBJECT EXCLUDE_FROM_ALL ${CMAKE_SOURCE_DIR}/tests/layering/${probe}.c)
  target_include_directories(layering_${probe} PRIVATE ${CMAKE_BINARY_DIR}/views/text)
endforeach()
