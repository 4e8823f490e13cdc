#pragma once

#include <cstdint>
#include <vector>

#include <fmt/format.h>

#include "runtime/kernel_api.h"
#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/internal/quant_checks.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/conv_quantized.h"
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
// entries) and output, then fills `data`. int8 filters must be symmetric; uint8 filters must be
// per tensor.
inline Status PrepareConvQuant(const Node& node, int in_slot, int filter_slot, const Tensor& in,
                               const Tensor& filter, const Tensor& out, int channel_dim,
                               int channels, FusedActivation act, ScaleProduct product,
                               ConvQuantData* data) {
  const bool is_int8 = in.type == DataType::kInt8;
  LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "input", node.inputs[in_slot], in));
  LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "output", node.outputs[0], out));
  LS_RETURN_IF_ERROR(quant_checks::CheckWeights(node, "filter", node.inputs[filter_slot], filter,
                                                channel_dim, channels, is_int8));
  if (!is_int8 && filter.quant.per_channel())
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
  const int32_t qmin = is_int8 ? -128 : 0;
  const int32_t qmax = is_int8 ? 127 : 255;
  fixed_point::QuantizedActivationRange(act, out_scale, q.output_offset, qmin, qmax, &q.act_min,
                                        &q.act_max);
  return Status::Ok();
}

}  // namespace litescope::runtime::conv_quant
