# Conformance against the real TensorFlow Lite runtime (../shared), through tflite_run.
set(ls_tflite_run $<TARGET_FILE:tflite_run>)
set(ls_conformance Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/../scripts/conformance.py
    --runner ${ls_tflite_run})

# Float32 kernels (and the int32/bool/cast cases of the same ops).
add_test(NAME conformance_float32
         COMMAND ${ls_conformance} --suite dev
                 --dtype float32,int32,bool,float32_to_int32,int32_to_float32,int8_to_float32,float16_to_float32,fp16w)
# The real float32 and fp16-weights models end to end.
add_test(NAME golden_float_models
         COMMAND ${ls_conformance} --suite golden
                 --filter "^(deeplabv3_257_float|face_detection_full_range_sparse|face_detection_short_range|hello_world_float|mobilenet_v1_0.25_224_float|movie_review_classifier|multi_signatures|multi_subgraphs_while|torchaudio_conformer) ")
set_tests_properties(conformance_float32 golden_float_models PROPERTIES LABELS conformance
                     TIMEOUT 1800)
