# corruption_suite: truncated, bit-flipped and zeroed variants of every shared model (written
# one at a time under the build tree), plus empty/3-byte files, a directory and a missing path.
# The tool must never crash or hang, and must reject invalid models with exit code != 0 and
# exactly one stderr line "error: ...". Another tool can reuse the script:
#   corruption_suite.py --tmp DIR path/to/tool [ARGS...]
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_Interpreter_FOUND AND TARGET tflite_analyze)
  add_test(NAME corruption_suite
           COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/../scripts/corruption_suite.py
                   --tmp ${CMAKE_CURRENT_BINARY_DIR}/corruption_suite_tmp
                   $<TARGET_FILE:tflite_analyze> --json)
  set_tests_properties(corruption_suite PROPERTIES LABELS "robustness" TIMEOUT 600)
else()
  message(STATUS "litescope: corruption_suite test disabled (needs python3 and tflite_analyze)")
endif()
