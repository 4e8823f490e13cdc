#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "runtime/data_type.h"
#include "runtime/status.h"

// Builtin options parsed from the flatbuffer into plain structs, once per node, so kernels, the
// delegates and the analyzers read one decoded copy instead of the flatbuffer (TFLite's
// flatbuffer_conversions, TFLM's ParseConv2D). A node built without a model file (tests, the
// quantizer) sets Node::params directly.
//
// Every builtin op whose kernel has options has a parser (the list is ParseOpParams's switch,
// op_params.cc); ops without options keep std::monostate. Parsers live by family:
// op_params.cc (conv, fully connected, batch matmul, pools), op_params_elementwise.cc,
// op_params_shape.cc and op_params_control.cc.
//
// A parser checks what only it can see: that each enum holds a value the schema defines.
// Numeric values (strides, dilations, filter sizes, axes) are checked by the kernels, which
// also see hand-built nodes. The fused activation of the elementwise, concatenation and
// recurrent ops is carried as read, unchecked: their kernels have always ignored a code they
// do not know, and a delegate may refuse it.
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
// type and the fields hold the defaults the CPU kernels assume (a delegate may decline
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

// --- Elementwise and normalization (op_params_elementwise.cc) ---

// ADD, SUB, MUL and DIV.
struct ArithmeticParams {
  FusedActivation activation = FusedActivation::kNone;
  // ADD only. The schema default is true, but without options TFLite takes the general form.
  bool pot_scale_int16 = false;
  bool defaulted = false;
};

struct ConcatenationParams {
  int32_t axis = 0;
  FusedActivation activation = FusedActivation::kNone;
  bool defaulted = false;
};

// SOFTMAX (LOG_SOFTMAX has no options).
struct SoftmaxParams {
  float beta = 1.f;
  bool defaulted = false;
};

// Without options alpha is 0 in the CPU kernel; a delegate may assume TFLite's 0.2.
struct LeakyReluParams {
  float alpha = 0.f;
  bool defaulted = false;
};

struct GeluParams {
  bool approximate = false;
  bool defaulted = false;
};

// Without options every field is 0 (the schema defaults).
struct LocalResponseNormParams {
  int32_t radius = 0;
  float bias = 0.f;
  float alpha = 0.f;
  float beta = 0.f;
  bool defaulted = false;
};

// --- Shape and data movement (op_params_shape.cc) ---

struct ReshapeParams {
  bool has_new_shape = false;  // the options carry a new_shape vector (possibly empty)
  std::vector<int32_t> new_shape;
  bool defaulted = false;
};

// Empty squeeze_dims: squeeze every dimension of size 1.
struct SqueezeParams {
  std::vector<int32_t> squeeze_dims;
  bool defaulted = false;
};

struct StridedSliceMaskParams {
  int32_t begin_mask = 0;
  int32_t end_mask = 0;
  int32_t ellipsis_mask = 0;
  int32_t new_axis_mask = 0;
  int32_t shrink_axis_mask = 0;
  bool offset = false;
  bool defaulted = false;
};

// RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR.
struct ResizeImageParams {
  bool align_corners = false;
  bool half_pixel_centers = false;
  bool defaulted = false;
};

// SPACE_TO_DEPTH and DEPTH_TO_SPACE. Without options the block size is 0 (rejected).
struct BlockSizeParams {
  int32_t block_size = 0;
  bool defaulted = false;
};

struct GatherParams {
  int32_t axis = 0;
  int32_t batch_dims = 0;
  bool defaulted = false;
};

// Without options values_count is not checked against the inputs.
struct PackParams {
  int32_t values_count = 0;
  int32_t axis = 0;
  bool defaulted = false;
};

// num 0 (also without options): not checked against the outputs.
struct UnpackParams {
  int32_t num = 0;
  int32_t axis = 0;
  bool defaulted = false;
};

// MEAN, SUM, REDUCE_PROD, REDUCE_MAX and REDUCE_MIN.
struct ReducerParams {
  bool keep_dims = false;
  bool defaulted = false;
};

// SPLIT and SPLIT_V. Without options num_splits is not checked against the outputs.
struct SplitParams {
  int32_t num_splits = 0;
  bool defaulted = false;
};

// The schema's MirrorPadMode.
enum class MirrorPadMode : int8_t { kReflect = 0, kSymmetric = 1 };

struct MirrorPadParams {
  MirrorPadMode mode = MirrorPadMode::kReflect;
  bool defaulted = false;
};

struct CumsumParams {
  bool exclusive = false;
  bool reverse = false;
  bool defaulted = false;
};

// --- Control flow, resources and recurrent ops (op_params_control.cc) ---

// Without options (`defaulted`) the kernels reject the node: the subgraphs are unknown.
struct WhileParams {
  int32_t cond_subgraph = 0;
  int32_t body_subgraph = 0;
  bool defaulted = false;
};

struct IfParams {
  int32_t then_subgraph = 0;
  int32_t else_subgraph = 0;
  bool defaulted = false;
};

struct CallOnceParams {
  int32_t init_subgraph = 0;
  bool defaulted = false;
};

struct VarHandleParams {
  std::string container;
  std::string shared_name;
  bool defaulted = false;
};

struct SvdfParams {
  int32_t rank = 0;
  FusedActivation activation = FusedActivation::kNone;
  bool defaulted = false;
};

// UNIDIRECTIONAL_SEQUENCE_LSTM.
struct SequenceLstmParams {
  FusedActivation activation = FusedActivation::kNone;
  float cell_clip = 0.f;
  float proj_clip = 0.f;
  bool time_major = false;
  bool diagonal_recurrent_tensors = false;
  bool defaulted = false;
};

// std::monostate: the op has no options (or the node was built without parameters).
using OpParams =
    std::variant<std::monostate, Conv2DParams, DepthwiseConv2DParams, TransposeConvParams,
                 FullyConnectedParams, Pool2DParams, BatchMatMulParams, ArithmeticParams,
                 ConcatenationParams, SoftmaxParams, LeakyReluParams, GeluParams,
                 LocalResponseNormParams, ReshapeParams, SqueezeParams, StridedSliceMaskParams,
                 ResizeImageParams, BlockSizeParams, GatherParams, PackParams, UnpackParams,
                 ReducerParams, SplitParams, MirrorPadParams, CumsumParams, WhileParams, IfParams,
                 CallOnceParams, VarHandleParams, SvdfParams, SequenceLstmParams>;

// Parses node.fb's builtin options for node.op. Ops without a parser, and nodes without an
// operator description, give std::monostate. An enum value the schema does not define is an
// InvalidModel error naming the node: "node 3 (CONV_2D): padding 7 is not SAME or VALID".
Result<OpParams> ParseOpParams(const Node& node);

}  // namespace litescope::runtime
