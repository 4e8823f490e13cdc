# Conformance through the OpenCL GPU delegate: `tflite_run --backend gpu` on every case of the
# dev suite and on every real model of ../shared/golden, judged with suite.json's
# tolerance_by_backend["gpu"]. Nodes the GPU does not take run on the CPU kernels. Registered
# only when the build has OpenCL; both print "SKIPPED: ..." and pass when ../shared is missing
# or when `benchmark_model --list_gpu_devices` finds no OpenCL device.
if(NOT LITESCOPE_HAVE_OPENCL OR NOT TARGET benchmark_model)
  return()
endif()
set(ls_conformance_gpu Python3::Interpreter
    ${CMAKE_CURRENT_LIST_DIR}/../scripts/conformance.py --runner $<TARGET_FILE:tflite_run>
    --backend gpu --skip-unless "$<TARGET_FILE:benchmark_model> --list_gpu_devices")
add_test(NAME conformance_gpu COMMAND ${ls_conformance_gpu} --suite dev)
add_test(NAME golden_gpu COMMAND ${ls_conformance_gpu} --suite golden)
set_tests_properties(conformance_gpu golden_gpu PROPERTIES
                     LABELS "conformance;gpu" TIMEOUT 1800 SKIP_REGULAR_EXPRESSION "SKIPPED:")
# The GPU placement tflite_analyze predicts equals benchmark_model's on every shared model.
if(TARGET tflite_analyze)
  add_test(NAME gpu_placement_prediction
           COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/../scripts/check_gpu_placement.py
                   $<TARGET_FILE:tflite_analyze> $<TARGET_FILE:benchmark_model>
                   ${PROJECT_SOURCE_DIR}/../shared)
  set_tests_properties(gpu_placement_prediction PROPERTIES
                       LABELS "cli;gpu" TIMEOUT 1500 SKIP_REGULAR_EXPRESSION "SKIPPED:")
endif()
