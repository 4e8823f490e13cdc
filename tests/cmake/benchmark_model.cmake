# Tool-level tests of benchmark_model (tests/scripts/benchmark_model_test.py): one ctest test per
# case, i.e. one per flag plus the report, regex and node-sum checks. Label: tool.
find_package(Python3 COMPONENTS Interpreter QUIET)
if(NOT Python3_Interpreter_FOUND)
  message(STATUS "litescope: python3 not found; benchmark_model tool tests are not registered")
  return()
endif()
if(NOT TARGET benchmark_model)
  return()
endif()
execute_process(COMMAND ${Python3_EXECUTABLE}
                        ${CMAKE_CURRENT_LIST_DIR}/../scripts/benchmark_model_test.py --list
                OUTPUT_VARIABLE _bm_cases OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE _bm_rc)
if(NOT _bm_rc EQUAL 0)
  message(FATAL_ERROR "tests/scripts/benchmark_model_test.py --list failed")
endif()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${CMAKE_CURRENT_LIST_DIR}/../scripts/benchmark_model_test.py)
string(REPLACE "\n" ";" _bm_cases "${_bm_cases}")
# Writes the model files the cases need beyond the built-in ones (a graph with XNNPACK fallbacks
# in the middle, the hostile models of fuzz/hostile_models.h).
add_executable(benchmark_model_test_models
               ${CMAKE_CURRENT_LIST_DIR}/../apps/benchmark_model_test_models.cc
               ${PROJECT_SOURCE_DIR}/fuzz/hostile_models.cc)
target_link_libraries(benchmark_model_test_models PRIVATE ls_runtime)
foreach(_case ${_bm_cases})
  add_test(NAME benchmark_model.${_case}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/../scripts/benchmark_model_test.py
                   --binary $<TARGET_FILE:benchmark_model>
                   --schema ${PROJECT_SOURCE_DIR}/reports/benchmark_report.schema.json
                   --workdir ${PROJECT_BINARY_DIR}/tests/benchmark_model
                   --model_writer $<TARGET_FILE:benchmark_model_test_models>
                   --case ${_case})
  set_tests_properties(benchmark_model.${_case} PROPERTIES LABELS tool TIMEOUT 300)
endforeach()
