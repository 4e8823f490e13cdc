#include "runtime/op_params.h"

#include <fmt/format.h>

#include "runtime/kernel_api.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_params_internal.h"
#include "runtime/schema/tflite_schema_generated.h"

// ParseOpParams's dispatch and the parsers of the conv, fully connected, batch matmul and pool
// families; the other families are in op_params_elementwise.cc, op_params_shape.cc and
// op_params_control.cc.
namespace litescope::runtime {

namespace op_params_internal {

Status BadEnum(const Node& node, const char* field, int value, const char* expected) {
  return InvalidModelError(
      fmt::format("{}: {} {} is not {}", NodeLabel(node), field, value, expected));
}

}  // namespace op_params_internal

namespace {

using op_params_internal::BadEnum;
using schema::BuiltinOperator;

Status DecodePadding(const Node& node, schema::Padding in, Padding* out) {
  const int v = static_cast<int>(in);
  if (v < static_cast<int>(schema::Padding::MIN) || v > static_cast<int>(schema::Padding::MAX))
    return BadEnum(node, "padding", v, "SAME or VALID");
  *out = static_cast<Padding>(v);
  return Status::Ok();
}

Status DecodeActivation(const Node& node, schema::ActivationFunctionType in, FusedActivation* out) {
  const int v = static_cast<int>(in);
  if (v < static_cast<int>(schema::ActivationFunctionType::MIN) ||
      v > static_cast<int>(schema::ActivationFunctionType::MAX))
    return BadEnum(node, "fused activation", v,
                   "NONE, RELU, RELU_N1_TO_1, RELU6, TANH or SIGN_BIT");
  *out = static_cast<FusedActivation>(v);
  return Status::Ok();
}

Result<OpParams> ParseConv2D(const Node& node) {
  Conv2DParams p;
  const schema::Conv2DOptions* o = node.fb->builtin_options_as_Conv2DOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  LS_RETURN_IF_ERROR(DecodePadding(node, o->padding(), &p.padding));
  LS_RETURN_IF_ERROR(DecodeActivation(node, o->fused_activation_function(), &p.activation));
  p.stride_w = o->stride_w();
  p.stride_h = o->stride_h();
  p.dilation_w = o->dilation_w_factor();
  p.dilation_h = o->dilation_h_factor();
  p.quantized_bias_type = static_cast<DataType>(o->quantized_bias_type());
  return OpParams(p);
}

Result<OpParams> ParseDepthwiseConv2D(const Node& node) {
  DepthwiseConv2DParams p;
  const schema::DepthwiseConv2DOptions* o = node.fb->builtin_options_as_DepthwiseConv2DOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  LS_RETURN_IF_ERROR(DecodePadding(node, o->padding(), &p.padding));
  LS_RETURN_IF_ERROR(DecodeActivation(node, o->fused_activation_function(), &p.activation));
  p.stride_w = o->stride_w();
  p.stride_h = o->stride_h();
  p.dilation_w = o->dilation_w_factor();
  p.dilation_h = o->dilation_h_factor();
  p.depth_multiplier = o->depth_multiplier();
  return OpParams(p);
}

Result<OpParams> ParseTransposeConv(const Node& node) {
  TransposeConvParams p;
  const schema::TransposeConvOptions* o = node.fb->builtin_options_as_TransposeConvOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  LS_RETURN_IF_ERROR(DecodePadding(node, o->padding(), &p.padding));
  LS_RETURN_IF_ERROR(DecodeActivation(node, o->fused_activation_function(), &p.activation));
  p.stride_w = o->stride_w();
  p.stride_h = o->stride_h();
  return OpParams(p);
}

Result<OpParams> ParseFullyConnected(const Node& node) {
  FullyConnectedParams p;
  const schema::FullyConnectedOptions* o = node.fb->builtin_options_as_FullyConnectedOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  LS_RETURN_IF_ERROR(DecodeActivation(node, o->fused_activation_function(), &p.activation));
  const int format = static_cast<int>(o->weights_format());
  if (format < static_cast<int>(schema::FullyConnectedOptionsWeightsFormat::MIN) ||
      format > static_cast<int>(schema::FullyConnectedOptionsWeightsFormat::MAX))
    return BadEnum(node, "weights format", format, "DEFAULT or SHUFFLED4x16INT8");
  p.weights_format = static_cast<FullyConnectedWeightsFormat>(format);
  p.keep_num_dims = o->keep_num_dims();
  p.asymmetric_quantize_inputs = o->asymmetric_quantize_inputs();
  p.quantized_bias_type = static_cast<DataType>(o->quantized_bias_type());
  return OpParams(p);
}

Result<OpParams> ParsePool2D(const Node& node) {
  Pool2DParams p;
  const schema::Pool2DOptions* o = node.fb->builtin_options_as_Pool2DOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  LS_RETURN_IF_ERROR(DecodePadding(node, o->padding(), &p.padding));
  LS_RETURN_IF_ERROR(DecodeActivation(node, o->fused_activation_function(), &p.activation));
  p.stride_w = o->stride_w();
  p.stride_h = o->stride_h();
  p.filter_w = o->filter_width();
  p.filter_h = o->filter_height();
  return OpParams(p);
}

Result<OpParams> ParseBatchMatMul(const Node& node) {
  BatchMatMulParams p;
  const schema::BatchMatMulOptions* o = node.fb->builtin_options_as_BatchMatMulOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  p.adj_x = o->adj_x();
  p.adj_y = o->adj_y();
  p.asymmetric_quantize_inputs = o->asymmetric_quantize_inputs();
  return OpParams(p);
}

}  // namespace

const char* FusedActivationName(FusedActivation act) {
  return schema::EnumNameActivationFunctionType(static_cast<schema::ActivationFunctionType>(act));
}

const char* FullyConnectedWeightsFormatName(FullyConnectedWeightsFormat format) {
  return schema::EnumNameFullyConnectedOptionsWeightsFormat(
      static_cast<schema::FullyConnectedOptionsWeightsFormat>(format));
}

Result<OpParams> ParseOpParams(const Node& node) {
  if (!node.fb) return OpParams();
  switch (static_cast<BuiltinOperator>(node.op)) {
    case BuiltinOperator::CONV_2D:
      return ParseConv2D(node);
    case BuiltinOperator::DEPTHWISE_CONV_2D:
      return ParseDepthwiseConv2D(node);
    case BuiltinOperator::TRANSPOSE_CONV:
      return ParseTransposeConv(node);
    case BuiltinOperator::FULLY_CONNECTED:
      return ParseFullyConnected(node);
    case BuiltinOperator::BATCH_MATMUL:
      return ParseBatchMatMul(node);
    case BuiltinOperator::AVERAGE_POOL_2D:
    case BuiltinOperator::MAX_POOL_2D:
    case BuiltinOperator::L2_POOL_2D:
      return ParsePool2D(node);
    case BuiltinOperator::ADD:
    case BuiltinOperator::SUB:
    case BuiltinOperator::MUL:
    case BuiltinOperator::DIV:
      return op_params_internal::ParseArithmetic(node);
    case BuiltinOperator::CONCATENATION:
      return op_params_internal::ParseConcatenation(node);
    case BuiltinOperator::SOFTMAX:
      return op_params_internal::ParseSoftmax(node);
    case BuiltinOperator::LEAKY_RELU:
      return op_params_internal::ParseLeakyRelu(node);
    case BuiltinOperator::GELU:
      return op_params_internal::ParseGelu(node);
    case BuiltinOperator::LOCAL_RESPONSE_NORMALIZATION:
      return op_params_internal::ParseLocalResponseNorm(node);
    case BuiltinOperator::RESHAPE:
      return op_params_internal::ParseReshape(node);
    case BuiltinOperator::SQUEEZE:
      return op_params_internal::ParseSqueeze(node);
    case BuiltinOperator::STRIDED_SLICE:
      return op_params_internal::ParseStridedSlice(node);
    case BuiltinOperator::RESIZE_BILINEAR:
    case BuiltinOperator::RESIZE_NEAREST_NEIGHBOR:
      return op_params_internal::ParseResizeImage(node);
    case BuiltinOperator::SPACE_TO_DEPTH:
    case BuiltinOperator::DEPTH_TO_SPACE:
      return op_params_internal::ParseBlockSize(node);
    case BuiltinOperator::GATHER:
      return op_params_internal::ParseGather(node);
    case BuiltinOperator::PACK:
      return op_params_internal::ParsePack(node);
    case BuiltinOperator::UNPACK:
      return op_params_internal::ParseUnpack(node);
    case BuiltinOperator::MEAN:
    case BuiltinOperator::SUM:
    case BuiltinOperator::REDUCE_PROD:
    case BuiltinOperator::REDUCE_MAX:
    case BuiltinOperator::REDUCE_MIN:
      return op_params_internal::ParseReducer(node);
    case BuiltinOperator::SPLIT:
    case BuiltinOperator::SPLIT_V:
      return op_params_internal::ParseSplit(node);
    case BuiltinOperator::MIRROR_PAD:
      return op_params_internal::ParseMirrorPad(node);
    case BuiltinOperator::CUMSUM:
      return op_params_internal::ParseCumsum(node);
    case BuiltinOperator::WHILE:
      return op_params_internal::ParseWhile(node);
    case BuiltinOperator::IF:
      return op_params_internal::ParseIf(node);
    case BuiltinOperator::CALL_ONCE:
      return op_params_internal::ParseCallOnce(node);
    case BuiltinOperator::VAR_HANDLE:
      return op_params_internal::ParseVarHandle(node);
    case BuiltinOperator::SVDF:
      return op_params_internal::ParseSvdf(node);
    case BuiltinOperator::UNIDIRECTIONAL_SEQUENCE_LSTM:
      return op_params_internal::ParseSequenceLstm(node);
    default:
      return OpParams();
  }
}

}  // namespace litescope::runtime
