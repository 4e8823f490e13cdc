// AVERAGE_POOL_2D, MAX_POOL_2D and L2_POOL_2D: one Prepare, one Eval per kind.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <memory>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/internal/quant_checks.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/pooling.h"
#include "runtime/kernels/reference/pooling_quantized.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/thread_pool.h"

namespace litescope::runtime {
namespace {

struct PoolOpData : OpData {
  reference::PoolParams params;
  int32_t act_min = 0;  // quantized: fused activation clamp in output units
  int32_t act_max = 0;
};

bool IsL2Pool(const Node& node) {
  return node.op == static_cast<int32_t>(schema::BuiltinOperator::L2_POOL_2D);
}

Status PoolPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  Result<Tensor*> in_r = RequireInput(ctx, node, 0);
  if (!in_r.ok()) return in_r.status();
  Result<Tensor*> out_r = RequireOutput(ctx, node, 0);
  if (!out_r.ok()) return out_r.status();
  const Tensor& in = **in_r;
  Tensor& out = **out_r;
  const bool quantized = in.type == DataType::kInt8 || in.type == DataType::kUInt8;
  if (in.type != DataType::kFloat32 && (!quantized || IsL2Pool(node)))
    return TypeError(node, "input", 0, node.inputs[0], in,
                     IsL2Pool(node) ? "FLOAT32" : "FLOAT32, INT8 or UINT8");
  if (out.type != in.type)
    return TypeError(node, "output", 0, node.outputs[0], out, DataTypeName(in.type));
  if (in.shape.rank() != 4)
    return InvalidModelError(fmt::format("{}: input (tensor {}) has shape {}; expected rank 4",
                                         NodeLabel(node), node.inputs[0], in.shape.ToString()));

  Result<const Pool2DParams*> params = NodeParams<Pool2DParams>(node);
  if (!params.ok()) return params.status();
  const int padding = static_cast<int>((*params)->padding);
  auto data = std::make_unique<PoolOpData>();
  reference::PoolParams& p = data->params;
  p.stride_h = (*params)->stride_h;
  p.stride_w = (*params)->stride_w;
  p.filter_h = (*params)->filter_h;
  p.filter_w = (*params)->filter_w;
  const FusedActivation act = (*params)->activation;
  FloatActivationRange(act, &p.act_min, &p.act_max);
  if (quantized) {
    // TFLite pools the raw integers: the output is expected to share the input's parameters
    // (it only debug-checks this), and only the activation clamp reads the output's.
    LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "input", node.inputs[0], in));
    LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "output", node.outputs[0], out));
    const bool is_int8 = in.type == DataType::kInt8;
    fixed_point::QuantizedActivationRange(
        act, out.quant.scale[0], static_cast<int32_t>(out.quant.zero_point[0]), is_int8 ? -128 : 0,
        is_int8 ? 127 : 255, &data->act_min, &data->act_max);
  }
  // Keep every coordinate computation of the kernel far inside int.
  constexpr int kMaxExtent = 1 << 24;
  if (p.filter_h > kMaxExtent || p.filter_w > kMaxExtent || p.stride_h > kMaxExtent ||
      p.stride_w > kMaxExtent || in.shape.dim(1) > (1 << 30) || in.shape.dim(2) > (1 << 30))
    return UnsupportedOpError(fmt::format(
        "{}: geometry beyond the supported range (input {}, filter {}x{}, stride {}x{})",
        NodeLabel(node), in.shape.ToString(), p.filter_h, p.filter_w, p.stride_h, p.stride_w));
  int out_h = 0, out_w = 0;
  if (!ComputeSpatialOutput(padding, in.shape.dim(1), p.filter_h, p.stride_h, 1, &out_h,
                            &p.pad_top) ||
      !ComputeSpatialOutput(padding, in.shape.dim(2), p.filter_w, p.stride_w, 1, &out_w,
                            &p.pad_left))
    return InvalidModelError(
        fmt::format("{}: invalid pooling geometry (filter {}x{}, stride {}x{})", NodeLabel(node),
                    p.filter_h, p.filter_w, p.stride_h, p.stride_w));
  node.data = std::move(data);
  return ctx.ResizeTensor(out, Shape{in.shape.dim(0), out_h, out_w, in.shape.dim(3)});
}

// Rows per thread chunk: at least ~128k window reads.
int64_t MinRowsPerChunk(const reference::PoolParams& p, const Shape& out_shape) {
  const int64_t work_per_row =
      static_cast<int64_t>(out_shape.dim(2)) * out_shape.dim(3) * p.filter_h * p.filter_w;
  constexpr int64_t kMinWorkPerChunk = int64_t{1} << 17;
  return std::max<int64_t>(1, kMinWorkPerChunk / std::max<int64_t>(1, work_per_row));
}

template <typename T, reference::PoolKind kKind>
Status PoolEvalQuantized(KernelContext& ctx, const PoolOpData& d, const Tensor& in, Tensor& out) {
  const T* in_data = in.data_as<T>();
  T* out_data = out.data_as<T>();
  const int64_t rows = static_cast<int64_t>(out.shape.dim(0)) * out.shape.dim(1);
  ctx.thread_pool().ParallelFor(
      rows, MinRowsPerChunk(d.params, out.shape), [&](int64_t begin, int64_t end) {
        reference::PoolQuantizedRows<T, kKind>(d.params, d.act_min, d.act_max, in.shape, in_data,
                                               out.shape, out_data, begin, end);
      });
  return Status::Ok();
}

template <reference::PoolKind kKind>
Status PoolEval(KernelContext& ctx, Node& node) {
  const PoolOpData& d = *node.data_as<PoolOpData>();
  const reference::PoolParams& p = d.params;
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  if (out.elements() == 0) return Status::Ok();
  if constexpr (kKind != reference::PoolKind::kL2) {
    if (in.type == DataType::kInt8) return PoolEvalQuantized<int8_t, kKind>(ctx, d, in, out);
    if (in.type == DataType::kUInt8) return PoolEvalQuantized<uint8_t, kKind>(ctx, d, in, out);
  }
  switch (in.type) {
    case DataType::kFloat32: {
      const float* in_data = in.data_as<float>();
      float* out_data = out.data_as<float>();
      const int64_t rows = static_cast<int64_t>(out.shape.dim(0)) * out.shape.dim(1);
      ctx.thread_pool().ParallelFor(
          rows, MinRowsPerChunk(p, out.shape), [&](int64_t begin, int64_t end) {
            reference::PoolFloatRows<kKind>(p, in.shape, in_data, out.shape, out_data, begin, end);
          });
      return Status::Ok();
    }
    default:
      return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32");
  }
}

KernelRegistration MakePoolKernel(const char* name, schema::BuiltinOperator op, int max_version,
                                  EvalFn eval, const char* types) {
  KernelRegistration r;
  r.name = name;
  r.op = static_cast<int32_t>(op);
  r.min_version = 1;
  r.max_version = max_version;
  r.prepare = PoolPrepare;
  r.eval = eval;
  r.types = types;
  return r;
}

}  // namespace

KernelRegistration MakeAveragePool2DKernel() {
  return MakePoolKernel("AVERAGE_POOL_2D", schema::BuiltinOperator::AVERAGE_POOL_2D, 3,
                        PoolEval<reference::PoolKind::kAverage>, "float32,int8,uint8");
}

KernelRegistration MakeMaxPool2DKernel() {
  return MakePoolKernel("MAX_POOL_2D", schema::BuiltinOperator::MAX_POOL_2D, 3,
                        PoolEval<reference::PoolKind::kMax>, "float32,int8,uint8");
}

KernelRegistration MakeL2Pool2DKernel() {
  return MakePoolKernel("L2_POOL_2D", schema::BuiltinOperator::L2_POOL_2D, 1,
                        PoolEval<reference::PoolKind::kL2>, "float32");
}

}  // namespace litescope::runtime
