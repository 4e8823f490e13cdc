# manifest_agreement: `tflite_analyze --json` on every shared model must agree with
# ../shared/models/MANIFEST.json (counts, ops, I/O tensors, signatures, metadata, quantization,
# size and sha256). The script prints "SKIPPED: ..." and passes when ../shared is missing;
# LITESCOPE_SHARED_DIR in the environment points it elsewhere.
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_Interpreter_FOUND AND TARGET tflite_analyze)
  add_test(NAME manifest_agreement
           COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/../scripts/check_manifest.py
                   $<TARGET_FILE:tflite_analyze>)
  set_tests_properties(manifest_agreement PROPERTIES LABELS "conformance" TIMEOUT 300
                       SKIP_REGULAR_EXPRESSION "SKIPPED:")
else()
  message(STATUS "litescope: manifest_agreement test disabled (needs python3 and tflite_analyze)")
endif()
