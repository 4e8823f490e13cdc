#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "runtime/status.h"

namespace litescope::runtime {

// Model paths of the form "builtin:<name>" name a sample model instead of a file.
inline constexpr const char kBuiltinModelPrefix[] = "builtin:";

// Shape of the MobileNet-v1-like sample classifier.
struct MobileNetLikeOptions {
  int input_size = 96;         // input is 1 x input_size x input_size x 3, float32 in [-1, 1]
  float width = 0.25f;         // channel multiplier (MobileNet's alpha); channels are >= 8
  int num_classes = 100;       // size of the softmax output
  uint64_t seed = 0x5eed1e55;  // weight generator seed
};

// A float32 MobileNet-v1-like classifier built the way the TFLite converter lays out
// mobilenet_v1: CONV_2D 3x3/2 stem, 13 blocks of DEPTHWISE_CONV_2D 3x3 + CONV_2D 1x1 (RELU6 fused,
// SAME padding, stride 2 in blocks 2, 4, 6 and 12), AVERAGE_POOL_2D over the remaining spatial
// extent, a 1x1 CONV_2D to the class logits, RESHAPE (constant shape [1, classes]) and SOFTMAX.
// Input tensor "input", output tensor "probabilities", signature "serving_default", metadata
// "min_runtime_version". Weights come from a fixed-seed integer generator and He-like scaling,
// so the bytes are identical on every platform and compiler. Fails (kInvalidArgument) on
// options outside input_size 1..2048, width (0, 4], num_classes 1..10000.
Result<std::vector<uint8_t>> BuildMobileNetLikeModel(const MobileNetLikeOptions& options = {});

// Two float32 inputs "a" and "b" of `shape`; "sum" = ADD(a, b); "output" = MUL(sum, b).
std::vector<uint8_t> BuildAddMulModel(const std::vector<int32_t>& shape = {1, 2, 2, 3});

struct SampleModelInfo {
  std::string name;         // "mobilenet_like"; usable as "builtin:mobilenet_like"
  std::string description;  // one line
  std::function<Result<std::vector<uint8_t>>()> build;
};

// Every built-in sample model, in a fixed order.
const std::vector<SampleModelInfo>& SampleModels();

// Builds the sample model `name`, given with or without the "builtin:" prefix. Unknown names
// fail with kInvalidArgument and a message listing the available ones.
Result<std::vector<uint8_t>> BuildSampleModel(const std::string& name);

}  // namespace litescope::runtime
