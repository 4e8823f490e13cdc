#pragma once

#include <cstdint>
#include <vector>

#include <fmt/format.h>

#include "runtime/kernel_api.h"
#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/internal/quant_checks.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/conv_quantized.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/status.h"
#include "runtime/tensor.h"

// Prepare-time integer parameters shared by the quantized CONV_2D, TRANSPOSE_CONV and
// FULLY_CONNECTED kernels. Header-only; not part of the public API.
namespace litescope::runtime::conv_quant {

// Per output channel multipliers and the ConvQuantParams that point at them.
struct ConvQuantData {
  std::vector<int32_t> multipliers;
  std::vector<int> shifts;
  reference::ConvQuantParams params;
};

// How the real multiplier input_scale * filter_scale / output_scale is formed.
enum class ScaleProduct {
  kDouble,  // all three in double (TFLite's per-channel rule: int8 CONV_2D, per-channel FC)
  kFloat,   // input_scale * filter_scale in float, then divided in double (TFLite's legacy
            // GetQuantizedConvolutionMultipler: uint8, per-tensor FULLY_CONNECTED)
};

// Checks the quantization of input, filter (channel dimension `channel_dim`, `channels`
// entries) and output, then fills `data`. int8 filters (int8 or int16 activations) must be
// symmetric; uint8 filters must be per tensor. The clamp range is the output type's.
inline Status PrepareConvQuant(const Node& node, int in_slot, int filter_slot, const Tensor& in,
                               const Tensor& filter, const Tensor& out, int channel_dim,
                               int channels, FusedActivation act, ScaleProduct product,
                               ConvQuantData* data) {
  const bool is_uint8 = in.type == DataType::kUInt8;
  LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "input", node.inputs[in_slot], in));
  LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "output", node.outputs[0], out));
  LS_RETURN_IF_ERROR(quant_checks::CheckWeights(node, "filter", node.inputs[filter_slot], filter,
                                                channel_dim, channels, !is_uint8));
  if (is_uint8 && filter.quant.per_channel())
    return UnsupportedOpError(fmt::format("{}: uint8 filter (tensor {}) is quantized per channel",
                                          NodeLabel(node), node.inputs[filter_slot]));
  const float in_scale = in.quant.scale[0];
  const float out_scale = out.quant.scale[0];
  data->multipliers.resize(static_cast<size_t>(channels));
  data->shifts.resize(static_cast<size_t>(channels));
  for (int c = 0; c < channels; ++c) {
    const size_t i = static_cast<size_t>(c);
    const float f_scale = filter.quant.scale[filter.quant.per_channel() ? i : 0];
    const double real =
        product == ScaleProduct::kDouble
            ? static_cast<double>(in_scale) * static_cast<double>(f_scale) /
                  static_cast<double>(out_scale)
            : static_cast<double>(in_scale * f_scale) / static_cast<double>(out_scale);
    fixed_point::QuantizeMultiplier(real, &data->multipliers[i], &data->shifts[i]);
  }
  reference::ConvQuantParams& q = data->params;
  q.input_offset = -static_cast<int32_t>(in.quant.zero_point[0]);
  q.filter_offset = -static_cast<int32_t>(filter.quant.zero_point[0]);
  q.output_offset = static_cast<int32_t>(out.quant.zero_point[0]);
  q.multiplier = data->multipliers.data();
  q.shift = data->shifts.data();
  int64_t qmin = 0;
  int64_t qmax = 255;
  quant_checks::IntegerRange(out.type, &qmin, &qmax);
  fixed_point::QuantizedActivationRange(act, out_scale, q.output_offset, static_cast<int32_t>(qmin),
                                        static_cast<int32_t>(qmax), &q.act_min, &q.act_max);
  return Status::Ok();
}

// Operand checks of the 16x8 forms of CONV_2D and FULLY_CONNECTED (int16 input and output,
// TFLite's rules): int8 weights, an int32 or int64 bias agreeing with the options'
// quantized_bias_type when that is set, and zero points 0 on input and output.
inline Status Check16x8Operands(const Node& node, const Tensor& in, const Tensor& filter,
                                const Tensor* bias, const Tensor& out) {
  if (filter.type != DataType::kInt8)
    return TypeError(node, "input", 1, node.inputs[1], filter, "INT8 (16x8 quantization)");
  if (bias && bias->type != DataType::kInt32 && bias->type != DataType::kInt64)
    return TypeError(node, "input", 2, node.inputs[2], *bias, "INT32 or INT64");
  DataType bias_option = DataType::kFloat32;  // FLOAT32: not set
  if (const auto* p = std::get_if<Conv2DParams>(&node.params)) bias_option = p->quantized_bias_type;
  if (const auto* p = std::get_if<FullyConnectedParams>(&node.params))
    bias_option = p->quantized_bias_type;
  if (bias_option != DataType::kFloat32) {
    if (bias_option != DataType::kInt32 && bias_option != DataType::kInt64)
      return InvalidModelError(fmt::format("{}: quantized_bias_type is {}; expected INT32 or INT64",
                                           NodeLabel(node), DataTypeName(bias_option)));
    if (bias && bias->type != bias_option)
      return InvalidModelError(
          fmt::format("{}: bias (tensor {}) is {} but quantized_bias_type says {}", NodeLabel(node),
                      node.inputs[2], DataTypeName(bias->type), DataTypeName(bias_option)));
  }
  const struct {
    const char* role;
    int index;
    const Tensor* t;
  } symmetric[] = {{"input", node.inputs[0], &in}, {"output", node.outputs[0], &out}};
  for (const auto& s : symmetric) {
    if (!s.t->quant.zero_point.empty() && s.t->quant.zero_point[0] != 0)
      return InvalidModelError(
          fmt::format("{}: INT16 {} (tensor {}) has zero point {}; 16x8 quantization needs 0",
                      NodeLabel(node), s.role, s.index, s.t->quant.zero_point[0]));
  }
  return Status::Ok();
}

// input_scale * weight_scale[c] / output_scale in double for each of `channels` output
// channels (a per-tensor weight scale repeated): the scaled 16x8 form's factors.
inline std::vector<double> EffectiveScales16x8(const Tensor& in, const Tensor& filter,
                                               const Tensor& out, int channels) {
  std::vector<double> scales(static_cast<size_t>(channels));
  const std::vector<float>& fs = filter.quant.scale;
  for (size_t c = 0; c < scales.size(); ++c)
    scales[c] = static_cast<double>(in.quant.scale[0]) *
                static_cast<double>(fs[fs.size() == 1 ? 0 : c]) /
                static_cast<double>(out.quant.scale[0]);
  return scales;
}

}  // namespace litescope::runtime::conv_quant
