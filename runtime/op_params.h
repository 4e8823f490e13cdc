#pragma once

#include <cstdint>
#include <variant>

#include "runtime/data_type.h"
#include "runtime/status.h"

// Builtin options parsed from the flatbuffer into plain structs, once per node, so kernels, the
// delegates and the analyzers read one decoded copy instead of the flatbuffer (TFLite's
// flatbuffer_conversions, TFLM's ParseConv2D). A node built without a model file (tests, the
// quantizer) sets Node::params directly.
//
// Ops with a parser: CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV, FULLY_CONNECTED, BATCH_MATMUL,
// AVERAGE_POOL_2D, MAX_POOL_2D and L2_POOL_2D. Every other op keeps std::monostate and its
// readers use Node::fb. TODO(#14): the remaining ops.
//
// A parser checks what only it can see: that each enum holds a value the schema defines.
// Numeric values (strides, dilations, filter sizes) are checked by the kernels' geometry
// checks, which also see hand-built nodes.
namespace litescope::runtime {

struct Node;

// Fused activation codes of the schema's ActivationFunctionType.
enum class FusedActivation : int8_t {
  kNone = 0,
  kRelu = 1,
  kReluN1To1 = 2,
  kRelu6 = 3,
  kTanh = 4,
  kSignBit = 5
};
// Schema name: "NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT".
const char* FusedActivationName(FusedActivation act);

// The schema's Padding.
enum class Padding : int8_t { kSame = 0, kValid = 1 };

// The schema's FullyConnectedOptionsWeightsFormat.
enum class FullyConnectedWeightsFormat : int8_t { kDefault = 0, kShuffled4x16Int8 = 1 };
// Schema name: "DEFAULT", "SHUFFLED4x16INT8".
const char* FullyConnectedWeightsFormatName(FullyConnectedWeightsFormat format);

// In every struct, `defaulted` is true when the model had no options table of the expected
// type and the fields hold the defaults the CPU kernels assume (the XNNPACK lowering declines
// such nodes).

struct Conv2DParams {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1;
  int32_t stride_h = 1;
  int32_t dilation_w = 1;
  int32_t dilation_h = 1;
  FusedActivation activation = FusedActivation::kNone;
  // Bias type of 16x8 models; kFloat32 means "not set".
  DataType quantized_bias_type = DataType::kFloat32;
  bool defaulted = false;
};

// Without options the strides are 0 (the schema default), which the kernel rejects.
struct DepthwiseConv2DParams {
  Padding padding = Padding::kSame;
  int32_t stride_w = 0;
  int32_t stride_h = 0;
  int32_t dilation_w = 1;
  int32_t dilation_h = 1;
  int32_t depth_multiplier = 0;
  FusedActivation activation = FusedActivation::kNone;
  bool defaulted = false;
};

struct TransposeConvParams {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1;
  int32_t stride_h = 1;
  FusedActivation activation = FusedActivation::kNone;
  bool defaulted = false;
};

struct FullyConnectedParams {
  FusedActivation activation = FusedActivation::kNone;
  FullyConnectedWeightsFormat weights_format = FullyConnectedWeightsFormat::kDefault;
  bool keep_num_dims = false;
  bool asymmetric_quantize_inputs = false;
  // Bias type of 16x8 models; kFloat32 means "not set".
  DataType quantized_bias_type = DataType::kFloat32;
  bool defaulted = false;
};

// AVERAGE_POOL_2D, MAX_POOL_2D and L2_POOL_2D. Without options every size is 0 (rejected).
struct Pool2DParams {
  Padding padding = Padding::kSame;
  int32_t stride_w = 0;
  int32_t stride_h = 0;
  int32_t filter_w = 0;
  int32_t filter_h = 0;
  FusedActivation activation = FusedActivation::kNone;
  bool defaulted = false;
};

struct BatchMatMulParams {
  bool adj_x = false;
  bool adj_y = false;
  bool asymmetric_quantize_inputs = false;
  bool defaulted = false;
};

// std::monostate: the op has no parser yet (or the node was built without parameters).
using OpParams =
    std::variant<std::monostate, Conv2DParams, DepthwiseConv2DParams, TransposeConvParams,
                 FullyConnectedParams, Pool2DParams, BatchMatMulParams>;

// Parses node.fb's builtin options for node.op. Ops without a parser, and nodes without an
// operator description, give std::monostate. An enum value the schema does not define is an
// InvalidModel error naming the node: "node 3 (CONV_2D): padding 7 is not SAME or VALID".
Result<OpParams> ParseOpParams(const Node& node);

}  // namespace litescope::runtime
