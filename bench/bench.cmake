# Benchmarks written in C (bench/bench_*.c), built with -DVT_BENCH=ON. bench/run.sh runs them
# (sections text, governor, audio-drift, governor-sim) beside the command-line benchmarks.
file(GLOB VT_BENCH_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/bench/bench_*.c)
foreach(src ${VT_BENCH_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_link_libraries(${name} PRIVATE vitrine_engine)
endforeach()
# The governor's simulation test over 40 noise seeds instead of 3: the figures of docs/energy.md.
add_executable(bench_governor_sim ${CMAKE_SOURCE_DIR}/tests/test_governor_sim.c)
target_compile_definitions(bench_governor_sim PRIVATE SEEDS=40)
target_include_directories(bench_governor_sim PRIVATE ${CMAKE_SOURCE_DIR}/tests)
target_link_libraries(bench_governor_sim PRIVATE vitrine_engine)
# bench_plant prints the simulated H100 of tests/governor_plant.h against its measurements.
target_include_directories(bench_plant PRIVATE ${CMAKE_SOURCE_DIR}/tests)
