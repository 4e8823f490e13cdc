// SOFTMAX (SoftmaxOptions.beta) and LOG_SOFTMAX along the last axis, any rank >= 1. Quantized
// SOFTMAX: int8 -> int8/int16 and uint8 -> uint8/int16 through a float exp table
// (reference/softmax_quantized.h); int16 -> int16 (zero points 0, output scale 1/32768, rank
// 1 to 4) with TFLite's int16 exp and reciprocal tables (reference/softmax_int16.h).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/quant_checks.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/softmax.h"
#include "runtime/kernels/reference/softmax_int16.h"
#include "runtime/kernels/reference/softmax_quantized.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/thread_pool.h"

namespace litescope::runtime {
namespace {

struct SoftmaxOpData : OpData {
  float beta = 1.f;
  // SOFTMAX on int8/uint8 inputs: exp table over input-step differences, output parameters.
  float table[reference::kSoftmaxTableSize] = {};
  float output_scale = 1.f;
  int32_t output_zero_point = 0;
  reference::SoftmaxInt16Params int16;  // SOFTMAX on int16 inputs
};

bool IsSoftmax(const Node& node) {
  return node.op == static_cast<int32_t>(schema::BuiltinOperator::SOFTMAX);
}

// SOFTMAX serves int8 -> int8/int16 and uint8 -> uint8/int16 (TFLite's quantized forms).
bool QuantizedPairOk(DataType in, DataType out) {
  if (in == DataType::kInt8) return out == DataType::kInt8 || out == DataType::kInt16;
  if (in == DataType::kUInt8) return out == DataType::kUInt8 || out == DataType::kInt16;
  return false;
}

// int16 -> int16 with TFLite's checks: zero points 0, output scale within 0.1% of 1/32768,
// rank 1 to 4.
Status SoftmaxPrepareInt16(KernelContext& ctx, Node& node, const Tensor& in, Tensor& out) {
  if (out.type != DataType::kInt16)
    return TypeError(node, "output", 0, node.outputs[0], out, "INT16");
  if (in.shape.rank() < 1 || in.shape.rank() > 4)
    return UnsupportedOpError(
        fmt::format("{}: INT16 input (tensor {}) has shape {}; expected rank 1 to 4",
                    NodeLabel(node), node.inputs[0], in.shape.ToString()));
  LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "input", node.inputs[0], in));
  LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "output", node.outputs[0], out));
  if (in.quant.zero_point[0] != 0 || out.quant.zero_point[0] != 0)
    return InvalidModelError(fmt::format(
        "{}: INT16 input and output need zero points 0; got {} (tensor {}) and {} (tensor {})",
        NodeLabel(node), in.quant.zero_point[0], node.inputs[0], out.quant.zero_point[0],
        node.outputs[0]));
  constexpr float kScale = 1.f / 32768;
  if (!(std::fabs(out.quant.scale[0] - kScale) <= 0.001f * kScale))
    return InvalidModelError(
        fmt::format("{}: INT16 output (tensor {}) has scale {}; expected 1/32768", NodeLabel(node),
                    node.outputs[0], out.quant.scale[0]));
  auto data = std::make_unique<SoftmaxOpData>();
  Result<const SoftmaxParams*> params = NodeParams<SoftmaxParams>(node);
  if (!params.ok()) return params.status();
  data->beta = (*params)->beta;
  if (!std::isfinite(in.quant.scale[0] * data->beta) || in.quant.scale[0] * data->beta < 0.f)
    return InvalidModelError(fmt::format("{}: beta {} with input scale {} is not finite and >= 0",
                                         NodeLabel(node), data->beta, in.quant.scale[0]));
  data->int16.Init(in.quant.scale[0], data->beta);
  node.data = std::move(data);
  return ctx.ResizeTensor(out, in.shape);
}

Status SoftmaxPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  Result<Tensor*> in_r = RequireInput(ctx, node, 0);
  if (!in_r.ok()) return in_r.status();
  Result<Tensor*> out_r = RequireOutput(ctx, node, 0);
  if (!out_r.ok()) return out_r.status();
  const Tensor& in = **in_r;
  Tensor& out = **out_r;
  const bool quantized =
      IsSoftmax(node) && (in.type == DataType::kInt8 || in.type == DataType::kUInt8);
  const bool is_int16 = IsSoftmax(node) && in.type == DataType::kInt16;
  if (in.type != DataType::kFloat32 && !quantized && !is_int16)
    return TypeError(node, "input", 0, node.inputs[0], in,
                     IsSoftmax(node) ? "FLOAT32, INT8, UINT8 or INT16" : "FLOAT32");
  if (is_int16) return SoftmaxPrepareInt16(ctx, node, in, out);
  if (quantized && !QuantizedPairOk(in.type, out.type))
    return TypeError(node, "output", 0, node.outputs[0], out,
                     in.type == DataType::kInt8 ? "INT8 or INT16" : "UINT8 or INT16");
  if (!quantized && out.type != in.type)
    return TypeError(node, "output", 0, node.outputs[0], out, DataTypeName(in.type));
  if (in.shape.rank() < 1)
    return InvalidModelError(fmt::format("{}: input (tensor {}) is a scalar; expected rank >= 1",
                                         NodeLabel(node), node.inputs[0]));
  auto data = std::make_unique<SoftmaxOpData>();
  if (node.op == static_cast<int32_t>(schema::BuiltinOperator::SOFTMAX)) {
    Result<const SoftmaxParams*> params = NodeParams<SoftmaxParams>(node);
    if (!params.ok()) return params.status();
    data->beta = (*params)->beta;
  }
  if (quantized) {
    LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "input", node.inputs[0], in));
    LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "output", node.outputs[0], out));
    // Keeps every table entry in [0, 1] and every rescaled probability within int32.
    const float exponent_scale = in.quant.scale[0] * data->beta;
    if (!std::isfinite(exponent_scale) || exponent_scale < 0.f || out.quant.scale[0] < 1e-9f)
      return InvalidModelError(fmt::format(
          "{}: beta {} with input scale {} and output scale {} are outside the quantized "
          "kernel's range (beta x input scale finite and >= 0, output scale >= 1e-9)",
          NodeLabel(node), data->beta, in.quant.scale[0], out.quant.scale[0]));
    reference::PopulateSoftmaxTable(in.quant.scale[0], data->beta, data->table);
    data->output_scale = out.quant.scale[0];
    data->output_zero_point = static_cast<int32_t>(out.quant.zero_point[0]);
  }
  node.data = std::move(data);
  return ctx.ResizeTensor(out, in.shape);
}

// Splits the rows across threads when there is enough work.
template <typename Fn>
void ForRows(KernelContext& ctx, int64_t outer, int64_t depth, const Fn& fn) {
  const int64_t min_rows = std::max<int64_t>(1, 16384 / std::max<int64_t>(1, depth));
  ctx.thread_pool().ParallelFor(outer, min_rows, fn);
}

template <typename In, typename Out>
Status SoftmaxEvalQuantized(KernelContext& ctx, const SoftmaxOpData& d, const Tensor& in,
                            Tensor& out, int64_t outer, int64_t depth) {
  const In* x = in.data_as<In>();
  Out* y = out.data_as<Out>();
  ForRows(ctx, outer, depth, [&](int64_t b, int64_t e) {
    reference::SoftmaxQuantized<In, Out>(d.table, d.output_scale, d.output_zero_point,
                                         x + b * depth, y + b * depth, e - b, depth);
  });
  return Status::Ok();
}

Status SoftmaxEval(KernelContext& ctx, Node& node) {
  const SoftmaxOpData& d = *node.data_as<SoftmaxOpData>();
  const float beta = d.beta;
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  if (out.elements() == 0) return Status::Ok();
  const int64_t depth = in.shape.dim(in.shape.rank() - 1);
  const int64_t outer = in.elements() / depth;
  switch (in.type) {
    case DataType::kFloat32: {
      const float* x = in.data_as<float>();
      float* y = out.data_as<float>();
      ForRows(ctx, outer, depth, [&](int64_t b, int64_t e) {
        reference::SoftmaxFloat(x + b * depth, y + b * depth, e - b, depth, beta);
      });
      return Status::Ok();
    }
    case DataType::kInt8:
      if (out.type == DataType::kInt16)
        return SoftmaxEvalQuantized<int8_t, int16_t>(ctx, d, in, out, outer, depth);
      return SoftmaxEvalQuantized<int8_t, int8_t>(ctx, d, in, out, outer, depth);
    case DataType::kUInt8:
      if (out.type == DataType::kInt16)
        return SoftmaxEvalQuantized<uint8_t, int16_t>(ctx, d, in, out, outer, depth);
      return SoftmaxEvalQuantized<uint8_t, uint8_t>(ctx, d, in, out, outer, depth);
    case DataType::kInt16: {
      const int16_t* x = in.data_as<int16_t>();
      int16_t* y = out.data_as<int16_t>();
      ForRows(ctx, outer, depth, [&](int64_t b, int64_t e) {
        reference::SoftmaxInt16Rows(d.int16, x + b * depth, y + b * depth, e - b, depth);
      });
      return Status::Ok();
    }
    default:
      return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32, INT8, UINT8 or INT16");
  }
}

Status LogSoftmaxEval(KernelContext& ctx, Node& node) {
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  if (out.elements() == 0) return Status::Ok();
  const int64_t depth = in.shape.dim(in.shape.rank() - 1);
  const int64_t outer = in.elements() / depth;
  switch (in.type) {
    case DataType::kFloat32: {
      const float* x = in.data_as<float>();
      float* y = out.data_as<float>();
      ForRows(ctx, outer, depth, [&](int64_t b, int64_t e) {
        reference::LogSoftmaxFloat(x + b * depth, y + b * depth, e - b, depth);
      });
      return Status::Ok();
    }
    default:
      return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32");
  }
}

}  // namespace

KernelRegistration MakeSoftmaxKernel() {
  KernelRegistration r;
  r.name = "SOFTMAX";
  r.op = static_cast<int32_t>(schema::BuiltinOperator::SOFTMAX);
  r.min_version = 1;
  r.max_version = 3;
  r.prepare = SoftmaxPrepare;
  r.eval = SoftmaxEval;
  r.types = "float32,int8,uint8,int16";
  return r;
}

KernelRegistration MakeLogSoftmaxKernel() {
  KernelRegistration r;
  r.name = "LOG_SOFTMAX";
  r.op = static_cast<int32_t>(schema::BuiltinOperator::LOG_SOFTMAX);
  r.min_version = 1;
  r.max_version = 2;
  r.prepare = SoftmaxPrepare;
  r.eval = LogSoftmaxEval;
  r.types = "float32";
  return r;
}

}  // namespace litescope::runtime
