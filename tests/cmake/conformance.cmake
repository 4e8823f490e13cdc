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
# Quantized kernels: int8, uint8 and hybrid (float activations, int8 weights) cases, and the
# QUANTIZE/DEQUANTIZE directions. The dev suite has no int16 case yet; the filter keeps it for
# when one comes.
add_test(NAME conformance_quantized
         COMMAND ${ls_conformance} --suite dev
                 --dtype int8,uint8,int16,hybrid,float32_to_int8,float32_to_uint8,int8_to_float32,int8_to_int8,uint8_to_float32,uint8_to_int8)
# The real quantized models (int8, uint8, hybrid, int8 LSTM and blockwise INT4 weights) end to
# end.
add_test(NAME golden_quantized_models
         COMMAND ${ls_conformance} --suite golden
                 --filter "^(coco_ssd_mobilenet_v1_1.0_quant_2018_06_29|deeplabv3_mnv2_dm05_pascal_quant|dtln_noise_suppression|fc_blockwise_int4|hello_world_int8|kws_ref_model_float32|micro_speech_quantized|mobilenet_v1_0.25_224_quant|mobilenet_v2_1.0_224_quant|model_ToyCar_quant|movenet_single_pose_lightning_ptq|okay_nabu_v2|person_detect|tf2_mobilenet_v2_1.0_224_ptq|vww_96_int8|yamnet_audio_classifier_int8) ")
set_tests_properties(conformance_float32 golden_float_models conformance_quantized
                     golden_quantized_models PROPERTIES LABELS conformance TIMEOUT 1800)
