#include "runtime/kernels/fully_connected_blockwise.h"

#include <fmt/format.h>
#include <fp16.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/kernels/internal/fully_connected_shape.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/fully_connected_blockwise.h"
#include "runtime/kernels/reference/hybrid.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/thread_pool.h"

namespace litescope::runtime {
namespace {

struct FcBlockwiseOpData : OpData {
  int batches = 0;
  int k = 0;
  int n = 0;
  int block_size = 0;
  std::vector<float> block_scales;  // n * (k / block_size), widened from FLOAT16
  std::vector<float> kfsum;         // n: reference::BlockwiseKernelScaledSums
  std::vector<int8_t> q_input;      // batches * k
  std::vector<float> input_scales;  // batches
  std::vector<int32_t> input_zero_points;
};

Status Unsupported(const Node& node, const std::string& what) {
  return UnsupportedTypeError(fmt::format("{}: unsupported: {}", NodeLabel(node), what));
}

// The details table of the weights, or an error when the INT4 weights carry none.
Result<const schema::BlockwiseQuantization*> BlockwiseDetails(const KernelContext& ctx,
                                                              const Node& node) {
  const schema::Tensor* fb = ctx.model_tensor(node.inputs[1]);
  const schema::QuantizationParameters* q = fb ? fb->quantization() : nullptr;
  const schema::BlockwiseQuantization* details =
      q ? q->details_as_BlockwiseQuantization() : nullptr;
  if (!details)
    return Unsupported(node, fmt::format("INT4 weights (tensor {}) without BlockwiseQuantization "
                                         "details; only blockwise INT4 weights are served",
                                         node.inputs[1]));
  return details;
}

// Checks the scales tensor named by the details and widens it into d->block_scales.
Status LoadBlockScales(KernelContext& ctx, const Node& node, int scales_index,
                       FcBlockwiseOpData* d) {
  if (scales_index < 0 || scales_index >= ctx.tensor_count())
    return InvalidModelError(
        fmt::format("{}: blockwise scales of weights (tensor {}) refer to "
                    "tensor {}, but there are {} tensors",
                    NodeLabel(node), node.inputs[1], scales_index, ctx.tensor_count()));
  const Tensor& s = ctx.tensor(scales_index);
  if (s.type != DataType::kFloat16)
    return Unsupported(node, fmt::format("blockwise scales (tensor {} '{}') are {}; expected "
                                         "FLOAT16",
                                         scales_index, s.name, DataTypeName(s.type)));
  const int blocks = d->k / d->block_size;
  if (s.shape.rank() != 2 || s.shape.dim(0) != d->n || s.shape.dim(1) != blocks)
    return InvalidModelError(
        fmt::format("{}: blockwise scales (tensor {}) have shape {}; "
                    "expected [{}, {}] for weights [{}, {}] in blocks of {}",
                    NodeLabel(node), scales_index, s.shape.ToString(), d->n, blocks, d->n, d->k,
                    d->block_size));
  const int64_t count = static_cast<int64_t>(d->n) * blocks;
  if (!s.is_constant() || !s.data || s.bytes < static_cast<size_t>(count) * sizeof(uint16_t))
    return Unsupported(node, fmt::format("blockwise scales (tensor {}) are not a constant of "
                                         "the model",
                                         scales_index));
  const uint16_t* half = s.data_as<uint16_t>();
  d->block_scales.resize(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i)
    d->block_scales[static_cast<size_t>(i)] = fp16_ieee_to_fp32_value(half[i]);
  return Status::Ok();
}

}  // namespace

Status FullyConnectedPrepareBlockwise(KernelContext& ctx, Node& node, const Tensor& in,
                                      const Tensor& w, const Tensor* bias, Tensor& out) {
  Result<const schema::BlockwiseQuantization*> details = BlockwiseDetails(ctx, node);
  if (!details.ok()) return details.status();
  if (in.type != DataType::kFloat32)
    return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32 (blockwise INT4 weights)");
  if (bias && bias->type != DataType::kFloat32)
    return TypeError(node, "input", 2, node.inputs[2], *bias, "FLOAT32");
  if (out.type != DataType::kFloat32)
    return TypeError(node, "output", 0, node.outputs[0], out, "FLOAT32");
  Result<const FullyConnectedParams*> params = NodeParams<FullyConnectedParams>(node);
  if (!params.ok()) return params.status();
  const FullyConnectedParams& opts = **params;
  if (opts.weights_format != FullyConnectedWeightsFormat::kDefault)
    return Unsupported(node, fmt::format("weights format {} with blockwise INT4 weights",
                                         FullyConnectedWeightsFormatName(opts.weights_format)));
  // TensorFlow Lite's blockwise kernel ignores the fused activation; rather than copy that, we
  // serve only models without one.
  if (opts.activation != FusedActivation::kNone)
    return Unsupported(node, fmt::format("fused activation {} with blockwise INT4 weights",
                                         FusedActivationName(opts.activation)));
  const bool keep_num_dims = opts.keep_num_dims;
  int n = 0;
  int k = 0;
  LS_RETURN_IF_ERROR(FullyConnectedWeightsShape(node, w, &n, &k));
  const int32_t block_size = (*details)->block_size();
  if (block_size <= 0 || k % block_size != 0)
    return Unsupported(node, fmt::format("block size {} does not divide the input depth {} of "
                                         "weights (tensor {})",
                                         block_size, k, node.inputs[1]));
  if (k % 2 != 0)
    return Unsupported(node, fmt::format("odd input depth {} of INT4 weights (tensor {}); rows "
                                         "must fill whole bytes",
                                         k, node.inputs[1]));
  if ((*details)->zero_points() != -1)
    return Unsupported(node, fmt::format("blockwise zero points (tensor {}) of weights (tensor "
                                         "{}); only symmetric blocks are served",
                                         (*details)->zero_points(), node.inputs[1]));
  const int64_t packed_bytes = (static_cast<int64_t>(n) * k + 1) / 2;
  if (!w.is_constant() || !w.data)
    return Unsupported(node, fmt::format("blockwise INT4 weights (tensor {}) are not a constant "
                                         "of the model",
                                         node.inputs[1]));
  if (w.bytes < static_cast<size_t>(packed_bytes))
    return InvalidModelError(
        fmt::format("{}: INT4 weights (tensor {}) hold {} bytes; [{}, {}] "
                    "needs {}",
                    NodeLabel(node), node.inputs[1], w.bytes, n, k, packed_bytes));
  const int64_t in_elements = in.elements();
  Shape out_shape;
  LS_RETURN_IF_ERROR(FullyConnectedOutputShape(node, in, bias, n, k, keep_num_dims, &out_shape));

  auto d = std::make_unique<FcBlockwiseOpData>();
  d->batches = static_cast<int>(in_elements / k);
  d->k = k;
  d->n = n;
  d->block_size = block_size;
  LS_RETURN_IF_ERROR(LoadBlockScales(ctx, node, (*details)->scales(), d.get()));
  d->kfsum.resize(static_cast<size_t>(n));
  reference::BlockwiseKernelScaledSums(w.data_as<uint8_t>(), d->block_scales.data(), k, n,
                                       block_size, d->kfsum.data());
  d->q_input.resize(static_cast<size_t>(in_elements));
  d->input_scales.resize(static_cast<size_t>(d->batches));
  d->input_zero_points.resize(static_cast<size_t>(d->batches));
  node.data = std::move(d);
  return ctx.ResizeTensor(out, out_shape);
}

Status FullyConnectedEvalBlockwise(KernelContext& ctx, Node& node) {
  FcBlockwiseOpData* d = node.data_as<FcBlockwiseOpData>();
  const Tensor& in = *ctx.input(node, 0);
  const Tensor& w = *ctx.input(node, 1);
  const Tensor* bias = ctx.input(node, 2);
  Tensor& out = *ctx.output(node, 0);
  if (d->batches == 0 || d->n == 0) return Status::Ok();
  const float* x = in.data_as<float>();
  for (int r = 0; r < d->batches; ++r) {
    const int64_t off = static_cast<int64_t>(r) * d->k;
    const size_t ri = static_cast<size_t>(r);
    reference::AsymmetricQuantize(x + off, d->k, d->q_input.data() + off, &d->input_scales[ri],
                                  &d->input_zero_points[ri]);
  }
  const float* bias_data = bias ? bias->data_as<float>() : nullptr;
  // Split the output columns: single-row (token by token) inference is the common case.
  const int64_t macs_per_column = static_cast<int64_t>(d->k) * d->batches;
  const int64_t min_columns = std::max<int64_t>(1, (int64_t{1} << 16) / macs_per_column);
  ctx.thread_pool().ParallelFor(d->n, min_columns, [&](int64_t begin, int64_t end) {
    reference::BlockwiseInt4FullyConnected(
        d->q_input.data(), d->input_scales.data(), d->input_zero_points.data(),
        w.data_as<uint8_t>(), d->block_scales.data(), d->kfsum.data(), bias_data, d->batches, d->k,
        d->n, d->block_size, out.data_as<float>(), begin, end);
  });
  return Status::Ok();
}

}  // namespace litescope::runtime
