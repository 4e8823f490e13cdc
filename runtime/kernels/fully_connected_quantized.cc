#include "runtime/kernels/fully_connected_quantized.h"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/kernels/internal/conv_quant_params.h"
#include "runtime/kernels/internal/fully_connected_shape.h"
#include "runtime/kernels/internal/quant_checks.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/optimized/gemm_int8.h"
#include "runtime/kernels/reference/conv_16x8.h"
#include "runtime/kernels/reference/fully_connected_quantized.h"
#include "runtime/kernels/reference/hybrid.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/thread_pool.h"

// Quantized FULLY_CONNECTED: TFLite's integer rules (reference/fully_connected_quantized.h) and
// hybrid rules (reference/hybrid.h), multipliers computed once here in Prepare.
namespace litescope::runtime {
namespace {

struct FcQuantOpData : OpData {
  int batches = 0;
  int k = 0;
  int n = 0;
  conv_quant::ConvQuantData quant;  // int8 / uint8 / 16x8
  // 16x8: int16 activations, int8 weights, int32 or int64 bias (reference/conv_16x8.h).
  bool is_16x8 = false;
  bool bias_int64 = false;
  std::vector<double> scales_16x8;  // the scaled form's per-channel factors
  // int8 with constant weights and bias: the packed GEMM (gemm_int8.h).
  optimized::PackedMatrixI8 packed;
  bool use_gemm = false;
  // Hybrid.
  bool hybrid = false;
  bool asymmetric = false;
  bool per_channel = false;
  float filter_scale = 1.f;
  float act_min = 0.f;
  float act_max = 0.f;
  std::vector<int32_t> row_sums;
  bool row_sums_valid = false;
  std::vector<int8_t> q_input;
  std::vector<float> scales;
  std::vector<int32_t> zero_points;
};

bool IsQuantized(DataType t) { return t == DataType::kInt8 || t == DataType::kUInt8; }

int64_t MinRowsPerChunk(int k, int n) {
  constexpr int64_t kMinMacsPerChunk = int64_t{1} << 16;
  return std::max<int64_t>(1, kMinMacsPerChunk / std::max<int64_t>(1, int64_t{k} * n));
}

}  // namespace

bool FullyConnectedIsQuantizedOrHybrid(DataType input, DataType weights) {
  return IsQuantized(input) || input == DataType::kInt16 ||
         (input == DataType::kFloat32 && weights == DataType::kInt8);
}

Status FullyConnectedPrepareQuantized(KernelContext& ctx, Node& node, const Tensor& in,
                                      const Tensor& w, const Tensor* bias, Tensor& out) {
  const bool hybrid = in.type == DataType::kFloat32;
  const bool is_16x8 = in.type == DataType::kInt16;
  if (is_16x8) {
    LS_RETURN_IF_ERROR(conv_quant::Check16x8Operands(node, in, w, bias, out));
  } else {
    if (!hybrid && w.type != in.type)
      return TypeError(node, "input", 1, node.inputs[1], w, DataTypeName(in.type));
    const DataType bias_type = hybrid ? DataType::kFloat32 : DataType::kInt32;
    if (bias && bias->type != bias_type)
      return TypeError(node, "input", 2, node.inputs[2], *bias, DataTypeName(bias_type));
  }
  if (out.type != in.type)
    return TypeError(node, "output", 0, node.outputs[0], out, DataTypeName(in.type));
  Result<const FullyConnectedParams*> params = DefaultFormatFullyConnectedParams(node);
  if (!params.ok()) return params.status();
  const FullyConnectedParams& opts = **params;
  const bool keep_num_dims = opts.keep_num_dims;
  const FusedActivation act = opts.activation;
  int n = 0;
  int k = 0;
  LS_RETURN_IF_ERROR(FullyConnectedWeightsShape(node, w, &n, &k));
  const int64_t in_elements = in.elements();
  Shape out_shape;
  LS_RETURN_IF_ERROR(FullyConnectedOutputShape(node, in, bias, n, k, keep_num_dims, &out_shape));

  auto d = std::make_unique<FcQuantOpData>();
  d->batches = static_cast<int>(in_elements / k);
  d->k = k;
  d->n = n;
  if (hybrid) {
    LS_RETURN_IF_ERROR(quant_checks::CheckWeights(node, "weights", node.inputs[1], w, 0, n,
                                                  /*symmetric=*/true));
    d->hybrid = true;
    d->asymmetric = opts.asymmetric_quantize_inputs;
    d->per_channel = w.quant.per_channel();
    d->filter_scale = w.quant.scale[0];
    FloatActivationRange(act, &d->act_min, &d->act_max);
    d->row_sums.resize(static_cast<size_t>(n));
    if (w.is_constant()) {
      reference::WeightRowSums(w.data_as<int8_t>(), n, k, d->row_sums.data());
      d->row_sums_valid = true;
    }
    d->q_input.resize(static_cast<size_t>(in_elements));
    d->scales.resize(static_cast<size_t>(d->batches));
    d->zero_points.assign(static_cast<size_t>(d->batches), 0);
  } else {
    // TFLite forms a per-channel multiplier in double, a per-tensor one from the float product.
    LS_RETURN_IF_ERROR(conv_quant::PrepareConvQuant(
        node, 0, 1, in, w, out, 0, n, act,
        in.type != DataType::kUInt8 && w.quant.per_channel() ? conv_quant::ScaleProduct::kDouble
                                                             : conv_quant::ScaleProduct::kFloat,
        &d->quant));
    // As for CONV_2D (conv_2d_quantized.cc): int8 takes the GEMM output stage's rounding.
    d->quant.params.gemm_rounding = in.type == DataType::kInt8;
    if (is_16x8) {
      // TFLite takes its GEMM for an int32 (or no) bias, its reference loop for int64.
      d->is_16x8 = true;
      d->bias_int64 = bias && bias->type == DataType::kInt64;
      d->quant.params.gemm_rounding = !d->bias_int64;
      d->scales_16x8 = conv_quant::EffectiveScales16x8(in, w, out, n);
    }
    if (in.type == DataType::kInt8 && w.is_constant() && (!bias || bias->is_constant())) {
      if (!d->packed.Pack(w.data_as<int8_t>(), k, n, bias ? bias->data_as<int32_t>() : nullptr,
                          d->quant.params.input_offset))
        return OutOfMemoryError(fmt::format("{}: cannot allocate the packed weights (tensor {})",
                                            NodeLabel(node), node.inputs[1]));
      d->use_gemm = true;
    }
  }
  node.data = std::move(d);
  return ctx.ResizeTensor(out, out_shape);
}

Status FullyConnectedEvalQuantized(KernelContext& ctx, Node& node) {
  FcQuantOpData* d = node.data_as<FcQuantOpData>();
  const Tensor& in = *ctx.input(node, 0);
  const Tensor& w = *ctx.input(node, 1);
  const Tensor* bias = ctx.input(node, 2);
  Tensor& out = *ctx.output(node, 0);
  if (d->batches == 0 || d->n == 0) return Status::Ok();
  ThreadPool& pool = ctx.thread_pool();
  const int64_t min_rows = MinRowsPerChunk(d->k, d->n);
  if (d->hybrid) {
    if (!d->row_sums_valid)
      reference::WeightRowSums(w.data_as<int8_t>(), d->n, d->k, d->row_sums.data());
    const float* x = in.data_as<float>();
    for (int r = 0; r < d->batches; ++r) {
      const size_t ri = static_cast<size_t>(r);
      const int64_t off = static_cast<int64_t>(r) * d->k;
      if (d->asymmetric) {
        reference::AsymmetricQuantize(x + off, d->k, d->q_input.data() + off, &d->scales[ri],
                                      &d->zero_points[ri]);
      } else {
        d->scales[ri] = reference::SymmetricQuantize(x + off, d->k, d->q_input.data() + off);
      }
      if (!d->per_channel) d->scales[ri] *= d->filter_scale;
    }
    const float* channel_scale = d->per_channel ? w.quant.scale.data() : nullptr;
    const float* bias_data = bias ? bias->data_as<float>() : nullptr;
    pool.ParallelFor(d->batches, min_rows, [&](int64_t begin, int64_t end) {
      reference::HybridFullyConnectedRows(d->q_input.data(), d->scales.data(),
                                          d->zero_points.data(), w.data_as<int8_t>(),
                                          d->row_sums.data(), channel_scale, bias_data, d->k, d->n,
                                          d->act_min, d->act_max, out.data_as<float>(), begin, end);
    });
    return Status::Ok();
  }
  const reference::ConvQuantParams& q = d->quant.params;
  if (d->is_16x8) {
    const int16_t* x = in.data_as<int16_t>();
    const int8_t* wd = w.data_as<int8_t>();
    int16_t* o = out.data_as<int16_t>();
    pool.ParallelFor(d->batches, min_rows, [&](int64_t begin, int64_t end) {
      if (d->bias_int64) {
        reference::FullyConnected16x8Rows(q, d->scales_16x8.data(), d->k, d->n, x, wd,
                                          bias->data_as<int64_t>(), o, begin, end);
      } else {
        reference::FullyConnected16x8Rows(q, d->scales_16x8.data(), d->k, d->n, x, wd,
                                          bias ? bias->data_as<int32_t>() : nullptr, o, begin, end);
      }
    });
    return Status::Ok();
  }
  const int32_t* bias_data = bias ? bias->data_as<int32_t>() : nullptr;
  if (d->use_gemm) {
    const int8_t* x = in.data_as<int8_t>();
    int8_t* o = out.data_as<int8_t>();
    const int k = d->k;
    const int k_padded = d->packed.k_padded();
    pool.ParallelFor(d->batches, min_rows, [&](int64_t begin, int64_t end) {
      if (k == k_padded) {
        optimized::GemmI8(x + begin * k, k, static_cast<int>(end - begin), d->packed, q,
                          o + begin * d->n, d->n);
        return;
      }
      // Rows copied with K rounded up to a multiple of 4 (the GEMM reads whole groups).
      std::vector<int8_t> rows(static_cast<size_t>((end - begin) * k_padded), 0);
      for (int64_t r = begin; r < end; ++r)
        std::copy(x + r * k, x + (r + 1) * k, rows.data() + (r - begin) * k_padded);
      optimized::GemmI8(rows.data(), k_padded, static_cast<int>(end - begin), d->packed, q,
                        o + begin * d->n, d->n);
    });
    return Status::Ok();
  }
  if (in.type == DataType::kInt8) {
    pool.ParallelFor(d->batches, min_rows, [&](int64_t begin, int64_t end) {
      reference::FullyConnectedQuantizedRows<int8_t>(q, d->k, d->n, in.data_as<int8_t>(),
                                                     w.data_as<int8_t>(), bias_data,
                                                     out.data_as<int8_t>(), begin, end);
    });
  } else {
    pool.ParallelFor(d->batches, min_rows, [&](int64_t begin, int64_t end) {
      reference::FullyConnectedQuantizedRows<uint8_t>(q, d->k, d->n, in.data_as<uint8_t>(),
                                                      w.data_as<uint8_t>(), bias_data,
                                                      out.data_as<uint8_t>(), begin, end);
    });
  }
  return Status::Ok();
}

}  // namespace litescope::runtime
