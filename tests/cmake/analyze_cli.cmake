# tflite_analyze_cli: exit codes (0 ok, 1 bad model or output, 2 usage), one-line errors, -o and
# builtin: models. Needs no shared models.
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_Interpreter_FOUND AND TARGET tflite_analyze)
  add_test(NAME tflite_analyze_cli
           COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/../scripts/check_analyze_cli.py
                   $<TARGET_FILE:tflite_analyze> ${CMAKE_CURRENT_BINARY_DIR}/analyze_cli_tmp)
  set_tests_properties(tflite_analyze_cli PROPERTIES LABELS "cli" TIMEOUT 120)
endif()
