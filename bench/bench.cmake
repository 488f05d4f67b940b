# Benchmarks written in C (bench/bench_*.c), built with -DVT_BENCH=ON; bench/run.sh runs them
# with the command-line benchmarks.
file(GLOB VT_BENCH_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/bench/bench_*.c)
foreach(src ${VT_BENCH_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_link_libraries(${name} PRIVATE vitrine_engine)
endforeach()
