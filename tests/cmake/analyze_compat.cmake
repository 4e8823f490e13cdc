# tflite_analyze_compat: --compat / --cost output and the gates' exit codes (0 pass, 2 usage,
# 3 tripped) on the built-in models and, when ../shared exists (or LITESCOPE_SHARED_DIR), on
# every shared model including those with custom and Flex ops. With benchmark_model built, the
# predicted XNNPACK placement is compared with the one a run records in --report_json.
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_Interpreter_FOUND AND TARGET tflite_analyze)
  set(ls_compat_bench "")
  if(TARGET benchmark_model)
    set(ls_compat_bench $<TARGET_FILE:benchmark_model>)
  endif()
  add_test(NAME tflite_analyze_compat
           COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/../scripts/check_analyze_compat.py
                   $<TARGET_FILE:tflite_analyze> ${PROJECT_SOURCE_DIR}/../shared ${ls_compat_bench})
  set_tests_properties(tflite_analyze_compat PROPERTIES LABELS "cli" TIMEOUT 600)
endif()
