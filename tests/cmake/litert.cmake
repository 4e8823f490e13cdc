# Models written by runtime::ModelEditor, loaded and run by the real TensorFlow Lite (LiteRT's
# WebAssembly build from npm, under Node) and compared with tflite_run. npm installs the pinned
# package (tests/litert/package-lock.json) into the build folder at test time; without network
# the test prints "SKIPPED: npm unreachable (...)" and passes.
add_executable(litert_model_writer ${CMAKE_CURRENT_LIST_DIR}/../litert/litert_model_writer.cc)
target_link_libraries(litert_model_writer PRIVATE ls_runtime)
find_program(LS_NODE node)
find_program(LS_NPM npm)
add_test(NAME litert_model_editor
         COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/../scripts/check_litert.py
                 --runner $<TARGET_FILE:tflite_run> --writer $<TARGET_FILE:litert_model_writer>
                 --litert-dir ${CMAKE_CURRENT_LIST_DIR}/../litert
                 --work ${CMAKE_CURRENT_BINARY_DIR}/litert
                 --node "${LS_NODE}" --npm "${LS_NPM}")
set_tests_properties(litert_model_editor PROPERTIES LABELS litert SKIP_REGULAR_EXPRESSION "SKIPPED:"
                     TIMEOUT 900)
