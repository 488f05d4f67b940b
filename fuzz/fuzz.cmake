# libFuzzer targets (clang only): each fuzz/fuzz_*.c is linked against an engine library built
# with coverage instrumentation, ASan and UBSan.
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "VT_FUZZ needs clang: CC=clang cmake -DVT_FUZZ=ON ...")
endif()
target_compile_options(vitrine_engine PRIVATE -fsanitize=fuzzer-no-link)
file(GLOB VT_FUZZ_TARGETS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/fuzz/fuzz_*.c)
foreach(src ${VT_FUZZ_TARGETS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_libraries(${name} PRIVATE vitrine_engine)
endforeach()
