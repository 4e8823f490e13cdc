# Conformance through the XNNPACK delegate: `tflite_run --backend xnnpack` on every case of the
# dev suite and on every real model of ../shared/golden, judged with suite.json's
# tolerance_by_backend["xnnpack"]. Nodes XNNPACK does not take run on the CPU kernels, so a case
# passes only once the CPU kernels of its fallback nodes exist. Both print "SKIPPED: ..." and
# pass when ../shared is missing (LITESCOPE_SHARED_DIR points elsewhere).
set(ls_conformance_xnnpack Python3::Interpreter
    ${CMAKE_CURRENT_LIST_DIR}/../scripts/conformance.py --runner $<TARGET_FILE:tflite_run>
    --backend xnnpack)
add_test(NAME conformance_xnnpack COMMAND ${ls_conformance_xnnpack} --suite dev)
# Every real model; dtln (LSTM) and fc_blockwise_int4 (INT4 weights) run on their CPU fallback.
add_test(NAME golden_xnnpack COMMAND ${ls_conformance_xnnpack} --suite golden)
set_tests_properties(conformance_xnnpack golden_xnnpack PROPERTIES
                     LABELS "conformance;xnnpack" TIMEOUT 1800 SKIP_REGULAR_EXPRESSION "SKIPPED:")
