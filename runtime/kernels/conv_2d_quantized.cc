#include "runtime/kernels/conv_2d_quantized.h"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/kernels/internal/conv_geometry.h"
#include "runtime/kernels/internal/conv_quant_params.h"
#include "runtime/kernels/internal/quant_checks.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/optimized/conv_indirection.h"
#include "runtime/kernels/optimized/gemm_int8.h"
#include "runtime/kernels/optimized/isa_kernels.h"
#include "runtime/kernels/reference/conv_16x8.h"
#include "runtime/kernels/reference/conv_quantized.h"
#include "runtime/kernels/reference/hybrid.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/thread_pool.h"

// Quantized CONV_2D: TFLite's integer rules (reference/conv_quantized.h) and hybrid rules
// (reference/hybrid.h), multipliers computed once here in Prepare.
namespace litescope::runtime {
namespace {

struct ConvQuantOpData : OpData {
  optimized::ConvGeometry geo;
  int group_in_c = 0;
  int out_c = 0;
  conv_quant::ConvQuantData quant;  // int8 / uint8 / 16x8
  // 16x8: int16 activations, int8 weights, int32 or int64 bias (reference/conv_16x8.h).
  bool is_16x8 = false;
  bool bias_int64 = false;
  std::vector<double> scales_16x8;  // the scaled form's per-channel factors
  // int8 with one group and constant weights: the packed GEMM (gemm_int8.h), reading the input
  // directly when `dense` (1x1, stride 1, no padding, channels a multiple of 4), else through
  // an im2col copy whose padding holds the input zero point.
  optimized::PackedMatrixI8 packed;
  bool use_gemm = false;
  bool dense = false;
  // Hybrid: per-channel scales (ones when the filter is per tensor, whose scale is folded into
  // the input's), whether inputs are quantized asymmetrically, float clamp, scratch.
  bool hybrid = false;
  bool hybrid_asymmetric = false;
  float filter_scale = 1.f;
  std::vector<float> channel_scale;
  float act_min = 0.f;
  float act_max = 0.f;
  std::vector<int8_t> q_input;
  std::vector<float> scales;
  std::vector<int32_t> zero_points;
};

bool IsQuantized(DataType t) { return t == DataType::kInt8 || t == DataType::kUInt8; }

// Chunks of at least ~256k multiply-adds per thread-pool task.
int64_t MinRowsPerChunk(const optimized::ConvGeometry& g, int group_in_c, int out_c) {
  constexpr int64_t kMinMacsPerChunk = int64_t{1} << 18;
  const int64_t macs = std::max<int64_t>(1, static_cast<int64_t>(g.taps()) * group_in_c * out_c);
  return std::max<int64_t>(1, kMinMacsPerChunk / macs);
}

}  // namespace

bool ConvIsQuantizedOrHybrid(DataType input, DataType filter) {
  return IsQuantized(input) || input == DataType::kInt16 ||
         (input == DataType::kFloat32 && filter == DataType::kInt8);
}

Status ConvPrepareQuantized(KernelContext& ctx, Node& node, const Tensor& in, const Tensor& filter,
                            const Tensor* bias, Tensor& out) {
  const bool hybrid = in.type == DataType::kFloat32;
  const bool is_16x8 = in.type == DataType::kInt16;
  if (is_16x8) {
    LS_RETURN_IF_ERROR(conv_quant::Check16x8Operands(node, in, filter, bias, out));
  } else {
    if (!hybrid && filter.type != in.type)
      return TypeError(node, "input", 1, node.inputs[1], filter, DataTypeName(in.type));
    const DataType bias_type = hybrid ? DataType::kFloat32 : DataType::kInt32;
    if (bias && bias->type != bias_type)
      return TypeError(node, "input", 2, node.inputs[2], *bias, DataTypeName(bias_type));
  }
  if (out.type != in.type)
    return TypeError(node, "output", 0, node.outputs[0], out, DataTypeName(in.type));
  Result<const Conv2DParams*> params = NodeParams<Conv2DParams>(node);
  if (!params.ok()) return params.status();
  const FusedActivation act = (*params)->activation;
  auto d = std::make_unique<ConvQuantOpData>();
  optimized::ConvGeometry& g = d->geo;
  int group_in_c = 0, out_c = 0;
  LS_RETURN_IF_ERROR(
      conv_geometry::PrepareConv2D(node, **params, in, filter, bias, &g, &group_in_c, &out_c));
  const int in_c = g.in_c;
  d->group_in_c = group_in_c;
  d->out_c = out_c;

  if (hybrid) {
    LS_RETURN_IF_ERROR(quant_checks::CheckWeights(node, "filter", node.inputs[1], filter, 0, out_c,
                                                  /*symmetric=*/true));
    d->hybrid = true;
    FloatActivationRange(act, &d->act_min, &d->act_max);
    const std::vector<float>& s = filter.quant.scale;
    // TFLite takes the per-channel path (asymmetric inputs) only when the scales differ.
    d->hybrid_asymmetric = std::any_of(s.begin(), s.end(), [&](float v) { return v != s[0]; });
    if (d->hybrid_asymmetric) {
      d->channel_scale = s;
    } else {
      d->filter_scale = s[0];
      d->channel_scale.assign(static_cast<size_t>(out_c), 1.f);
    }
    d->q_input.resize(static_cast<size_t>(in.elements()));
    d->scales.resize(static_cast<size_t>(std::max(1, g.batches)));
    d->zero_points.assign(static_cast<size_t>(std::max(1, g.batches)), 0);
  } else {
    LS_RETURN_IF_ERROR(conv_quant::PrepareConvQuant(node, 0, 1, in, filter, out, 0, out_c, act,
                                                    in.type == DataType::kUInt8
                                                        ? conv_quant::ScaleProduct::kFloat
                                                        : conv_quant::ScaleProduct::kDouble,
                                                    &d->quant));
    // TFLite runs quantized CONV_2D as im2col + GEMM. For int8 the GEMM's output stage rounds
    // its own way (reference/conv_quantized.h); the uint8 results follow the usual rules.
    d->quant.params.gemm_rounding = in.type == DataType::kInt8;
    if (is_16x8) {
      // TFLite takes its GEMM for an int32 bias without groups, else its reference loop.
      d->is_16x8 = true;
      d->bias_int64 = bias && bias->type == DataType::kInt64;
      d->quant.params.gemm_rounding = !d->bias_int64 && group_in_c == in_c;
      d->scales_16x8 = conv_quant::EffectiveScales16x8(in, filter, out, out_c);
    }
    if (in.type == DataType::kInt8 && group_in_c == in_c && filter.is_constant() &&
        (!bias || bias->is_constant())) {
      if (!d->packed.Pack(filter.data_as<int8_t>(), g.taps() * in_c, out_c,
                          bias ? bias->data_as<int32_t>() : nullptr, d->quant.params.input_offset))
        return OutOfMemoryError(fmt::format("{}: cannot allocate the packed filter (tensor {})",
                                            NodeLabel(node), node.inputs[1]));
      d->use_gemm = true;
      d->dense = g.taps() == 1 && g.stride_h == 1 && g.stride_w == 1 && g.pad_top == 0 &&
                 g.pad_left == 0 && in_c % 4 == 0;
    }
  }
  node.data = std::move(d);
  return ctx.ResizeTensor(out, Shape{g.batches, g.out_h, g.out_w, out_c});
}

Status ConvEvalQuantized(KernelContext& ctx, Node& node) {
  ConvQuantOpData* d = node.data_as<ConvQuantOpData>();
  const Tensor& in = *ctx.input(node, 0);
  const Tensor& filter = *ctx.input(node, 1);
  const Tensor* bias = ctx.input(node, 2);
  Tensor& out = *ctx.output(node, 0);
  const optimized::ConvGeometry& g = d->geo;
  const int64_t rows = g.rows();
  if (rows == 0 || out.elements() == 0) return Status::Ok();
  const int64_t min_rows = MinRowsPerChunk(g, d->group_in_c, d->out_c);
  ThreadPool& pool = ctx.thread_pool();
  if (d->hybrid) {
    const int64_t image = in.elements() / g.batches;
    const float* x = in.data_as<float>();
    for (int b = 0; b < g.batches; ++b) {
      const size_t bi = static_cast<size_t>(b);
      int8_t* q = d->q_input.data() + b * image;
      if (d->hybrid_asymmetric) {
        reference::AsymmetricQuantize(x + b * image, image, q, &d->scales[bi], &d->zero_points[bi]);
      } else {
        d->scales[bi] = reference::SymmetricQuantize(x + b * image, image, q) * d->filter_scale;
      }
    }
    const float* bias_data = bias ? bias->data_as<float>() : nullptr;
    pool.ParallelFor(rows, min_rows, [&](int64_t begin, int64_t end) {
      reference::HybridConvRows(g, d->group_in_c, d->out_c, d->q_input.data(), d->scales.data(),
                                d->zero_points.data(), filter.data_as<int8_t>(),
                                d->channel_scale.data(), bias_data, d->act_min, d->act_max,
                                out.data_as<float>(), begin, end);
    });
    return Status::Ok();
  }
  const reference::ConvQuantParams& q = d->quant.params;
  if (d->is_16x8) {
    const int16_t* x = in.data_as<int16_t>();
    const int8_t* w = filter.data_as<int8_t>();
    int16_t* o = out.data_as<int16_t>();
    pool.ParallelFor(rows, min_rows, [&](int64_t begin, int64_t end) {
      if (d->bias_int64) {
        reference::Conv16x8Rows(g, d->group_in_c, d->out_c, q, d->scales_16x8.data(), x, w,
                                bias->data_as<int64_t>(), o, begin, end);
      } else {
        reference::Conv16x8Rows(g, d->group_in_c, d->out_c, q, d->scales_16x8.data(), x, w,
                                bias ? bias->data_as<int32_t>() : nullptr, o, begin, end);
      }
    });
    return Status::Ok();
  }
  const int32_t* bias_data = bias ? bias->data_as<int32_t>() : nullptr;
  if (d->use_gemm) {
    const int8_t* x = in.data_as<int8_t>();
    int8_t* o = out.data_as<int8_t>();
    const int out_c = d->out_c;
    if (d->dense) {
      pool.ParallelFor(rows, min_rows, [&](int64_t begin, int64_t end) {
        optimized::GemmI8(x + begin * g.in_c, g.in_c, static_cast<int>(end - begin), d->packed, q,
                          o + begin * out_c, out_c);
      });
      return Status::Ok();
    }
    const int k_padded = d->packed.k_padded();
    const int8_t zero_point = static_cast<int8_t>(-q.input_offset);
    pool.ParallelFor(rows, min_rows, [&](int64_t begin, int64_t end) {
      constexpr int64_t kBlock = 64;
      std::vector<int8_t> patch(static_cast<size_t>(std::min(kBlock, end - begin) * k_padded));
      for (int64_t r0 = begin; r0 < end; r0 += kBlock) {
        const int64_t block = std::min(kBlock, end - r0);
        for (int64_t r = 0; r < block; ++r) {
          const int64_t row = r0 + r;
          const int ox = static_cast<int>(row % g.out_w);
          const int oy = static_cast<int>((row / g.out_w) % g.out_h);
          const int64_t b = row / (static_cast<int64_t>(g.out_w) * g.out_h);
          int8_t* dst = patch.data() + r * k_padded;
          for (int ky = 0; ky < g.k_h; ++ky) {
            const int iy = oy * g.stride_h - g.pad_top + ky * g.dilation_h;
            for (int kx = 0; kx < g.k_w; ++kx, dst += g.in_c) {
              const int ix = ox * g.stride_w - g.pad_left + kx * g.dilation_w;
              if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) {
                std::fill(dst, dst + g.in_c, zero_point);
              } else {
                const int8_t* src = x + ((b * g.in_h + iy) * g.in_w + ix) * g.in_c;
                std::copy(src, src + g.in_c, dst);
              }
            }
          }
          std::fill(dst, patch.data() + (r + 1) * k_padded, int8_t{0});
        }
        optimized::GemmI8(patch.data(), k_padded, static_cast<int>(block), d->packed, q,
                          o + r0 * out_c, out_c);
      }
    });
    return Status::Ok();
  }
  if (in.type == DataType::kInt8) {
    pool.ParallelFor(rows, min_rows, [&](int64_t begin, int64_t end) {
      optimized::ConvQuantizedRows(g, d->group_in_c, d->out_c, q, in.data_as<int8_t>(),
                                   filter.data_as<int8_t>(), bias_data, out.data_as<int8_t>(),
                                   begin, end);
    });
  } else {
    pool.ParallelFor(rows, min_rows, [&](int64_t begin, int64_t end) {
      optimized::ConvQuantizedRows(g, d->group_in_c, d->out_c, q, in.data_as<uint8_t>(),
                                   filter.data_as<uint8_t>(), bias_data, out.data_as<uint8_t>(),
                                   begin, end);
    });
  }
  return Status::Ok();
}

}  // namespace litescope::runtime
