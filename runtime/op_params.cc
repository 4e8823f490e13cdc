#include "runtime/op_params.h"

#include <fmt/format.h>

#include "runtime/kernel_api.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

using schema::BuiltinOperator;

Status BadEnum(const Node& node, const char* field, int value, const char* expected) {
  return InvalidModelError(
      fmt::format("{}: {} {} is not {}", NodeLabel(node), field, value, expected));
}

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
    default:
      return OpParams();
  }
}

}  // namespace litescope::runtime
