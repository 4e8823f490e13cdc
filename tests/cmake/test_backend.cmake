# test_backend_tools: the test-only backend "testop" (tests/backends/) appears in the test builds
# of tflite_run, benchmark_model and tflite_analyze (tests/CMakeLists.txt) through the
# registration alone, and not in the tools themselves; with XNNPACK and testop applied together
# each takes the nodes it should and the printed placement equals the JSON report's.
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_Interpreter_FOUND AND TARGET tflite_run_test_backends
   AND TARGET benchmark_model_test_backends AND TARGET tflite_analyze_test_backends
   AND TARGET benchmark_model_test_models)
  add_test(NAME test_backend_tools
           COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/../scripts/check_test_backend.py
                   --run $<TARGET_FILE:tflite_run_test_backends>
                   --bench $<TARGET_FILE:benchmark_model_test_backends>
                   --analyze $<TARGET_FILE:tflite_analyze_test_backends>
                   --plain-run $<TARGET_FILE:tflite_run>
                   --plain-bench $<TARGET_FILE:benchmark_model>
                   --plain-analyze $<TARGET_FILE:tflite_analyze>
                   --model_writer $<TARGET_FILE:benchmark_model_test_models>
                   --workdir ${CMAKE_CURRENT_BINARY_DIR}/test_backend_tmp)
  set_tests_properties(test_backend_tools PROPERTIES LABELS "cli" TIMEOUT 300)
endif()
