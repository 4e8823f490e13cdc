// MEAN, SUM, REDUCE_PROD, REDUCE_MAX and REDUCE_MIN: input, axis tensor (int32 or int64;
// negative and duplicate axes allowed), ReducerOptions.keep_dims. A non-constant axis tensor
// makes the output dynamic: its shape is computed in Eval.
#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/internal/quant_checks.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/reduce.h"
#include "runtime/kernels/reference/reduce_quantized.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

enum class ReduceOp { kMean, kSum, kProd, kMax, kMin };

struct ReduceOpData : OpData {
  bool keep_dims = false;
  bool dynamic = false;       // axes known only in Eval
  std::vector<bool> reduced;  // per input dimension; valid when !dynamic
  // Quantized MEAN: QuantizeMultiplier(in_scale / out_scale).
  int32_t multiplier = 0;
  int shift = 0;
};

bool IsQuantizedType(DataType t) {
  return t == DataType::kInt8 || t == DataType::kUInt8 || t == DataType::kInt16;
}

// Reads the axis tensor's values (int32 or int64).
std::vector<int64_t> AxisValues(const Tensor& axis) {
  std::vector<int64_t> v(static_cast<size_t>(axis.elements()));
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = axis.type == DataType::kInt32 ? axis.data_as<int32_t>()[i] : axis.data_as<int64_t>()[i];
  return v;
}

Status ResolveNodeAxes(const Node& node, const Tensor& in, const Tensor& axis,
                       std::vector<bool>* reduced) {
  const std::vector<int64_t> axes = AxisValues(axis);
  int64_t bad = 0;
  if (!reference::ResolveAxes(in.shape.rank(), axes.data(), static_cast<int64_t>(axes.size()),
                              reduced, &bad))
    return InvalidArgumentError(fmt::format(
        "{}: axis tensor {} entry {} is {}; expected a value in [{}, {})", NodeLabel(node),
        node.inputs[1], bad, axes[static_cast<size_t>(bad)], -in.shape.rank(), in.shape.rank()));
  return Status::Ok();
}

const char* ServedTypes(ReduceOp op) {
  switch (op) {
    case ReduceOp::kMean:
      return "FLOAT32, INT8, UINT8 or INT16";
    case ReduceOp::kProd:
      return "FLOAT32, INT32 or INT64";
    default:
      return "FLOAT32, INT32, INT64, INT8, UINT8 or INT16";
  }
}

bool TypeServed(ReduceOp op, DataType t) {
  if (t == DataType::kFloat32) return true;
  if (t == DataType::kInt32 || t == DataType::kInt64) return op != ReduceOp::kMean;
  if (IsQuantizedType(t)) return op != ReduceOp::kProd;
  return false;
}

template <ReduceOp kOp>
Status ReducePrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  Result<Tensor*> in_r = RequireInput(ctx, node, 0);
  if (!in_r.ok()) return in_r.status();
  Result<Tensor*> axis_r = RequireInput(ctx, node, 1);
  if (!axis_r.ok()) return axis_r.status();
  Result<Tensor*> out_r = RequireOutput(ctx, node, 0);
  if (!out_r.ok()) return out_r.status();
  const Tensor& in = **in_r;
  const Tensor& axis = **axis_r;
  Tensor& out = **out_r;

  if (!TypeServed(kOp, in.type))
    return TypeError(node, "input", 0, node.inputs[0], in, ServedTypes(kOp));
  if (out.type != in.type)
    return TypeError(node, "output", 0, node.outputs[0], out, DataTypeName(in.type));
  if (axis.type != DataType::kInt32 && axis.type != DataType::kInt64)
    return TypeError(node, "input", 1, node.inputs[1], axis, "INT32 or INT64");
  if (axis.shape.rank() > 1)
    return InvalidModelError(fmt::format("{}: axis tensor {} has shape {}; expected rank 0 or 1",
                                         NodeLabel(node), node.inputs[1], axis.shape.ToString()));

  auto data = std::make_unique<ReduceOpData>();
  if (IsQuantizedType(in.type)) {
    LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "input", node.inputs[0], in));
    LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "output", node.outputs[0], out));
    if (in.type == DataType::kInt16 &&
        (in.quant.zero_point[0] != 0 || out.quant.zero_point[0] != 0))
      return InvalidModelError(
          fmt::format("{}: int16 input and output need zero point 0", NodeLabel(node)));
    // MAX and MIN compare raw integers: TFLite requires equal parameters.
    if (kOp == ReduceOp::kMax || kOp == ReduceOp::kMin)
      LS_RETURN_IF_ERROR(quant_checks::CheckSameQuant(node, in, out));
    const double real =
        static_cast<double>(in.quant.scale[0]) / static_cast<double>(out.quant.scale[0]);
    fixed_point::QuantizeMultiplier(real, &data->multiplier, &data->shift);
  }
  Result<const ReducerParams*> params = NodeParams<ReducerParams>(node);
  if (!params.ok()) return params.status();
  data->keep_dims = (*params)->keep_dims;
  if (axis.is_constant()) {
    LS_RETURN_IF_ERROR(ResolveNodeAxes(node, in, axis, &data->reduced));
    const Shape shape = reference::ReducedShape(in.shape, data->reduced, data->keep_dims);
    node.data = std::move(data);
    return ctx.ResizeTensor(out, shape);
  }
  data->dynamic = true;
  node.data = std::move(data);
  ctx.SetDynamic(out);
  return Status::Ok();
}

template <typename T>
void RunReduce(ReduceOp op, const Tensor& in, const std::vector<bool>& reduced, Tensor& out) {
  const T* x = in.data_as<T>();
  T* y = out.data_as<T>();
  switch (op) {
    case ReduceOp::kSum:
      reference::ReduceInto<T, reference::ReduceKind::kSum>(in.shape, x, reduced, y);
      break;
    case ReduceOp::kProd:
      reference::ReduceInto<T, reference::ReduceKind::kProd>(in.shape, x, reduced, y);
      break;
    case ReduceOp::kMax:
      reference::ReduceInto<T, reference::ReduceKind::kMax>(in.shape, x, reduced, y);
      break;
    case ReduceOp::kMin:
      reference::ReduceInto<T, reference::ReduceKind::kMin>(in.shape, x, reduced, y);
      break;
    case ReduceOp::kMean:
      break;  // float only; handled by the caller
  }
}

// TFLite's special MEAN path: keep_dims, rank 4, reducing exactly dimensions 1 and 2.
bool IsSpatialMean(const Shape& shape, const std::vector<bool>& reduced, bool keep_dims) {
  return keep_dims && shape.rank() == 4 && !reduced[0] && reduced[1] && reduced[2] && !reduced[3];
}

template <ReduceOp kOp, typename T>
Status ReduceEvalQuantized(const ReduceOpData& d, const Tensor& in,
                           const std::vector<bool>& reduced, Tensor& out) {
  T* y = out.data_as<T>();
  const int64_t n = out.elements();
  if constexpr (kOp == ReduceOp::kMax || kOp == ReduceOp::kMin) {
    RunReduce<T>(kOp, in, reduced, out);
    return Status::Ok();
  } else {
    if (in.elements() == 0) {  // TFLite leaves zeros
      for (int64_t i = 0; i < n; ++i) y[i] = T(0);
      return Status::Ok();
    }
    std::vector<int32_t> sums(static_cast<size_t>(n));
    reference::SumQuantized(in.shape, in.data_as<T>(), reduced, sums.data());
    const int64_t count = reference::ReducedCount(in.shape, reduced);
    const float in_scale = in.quant.scale[0];
    const float out_scale = out.quant.scale[0];
    const auto in_zp = static_cast<int32_t>(in.quant.zero_point[0]);
    const auto out_zp = static_cast<int32_t>(out.quant.zero_point[0]);
    if constexpr (kOp == ReduceOp::kSum) {
      reference::SumRescale(sums.data(), n, count, in_scale, in_zp, out_scale, out_zp, y);
    } else if (!std::is_same_v<T, int16_t> && IsSpatialMean(in.shape, reduced, d.keep_dims)) {
      reference::MeanSpatial4D(sums.data(), n, count, in_scale, in_zp, out_scale, out_zp, y);
    } else {
      reference::MeanGeneral(sums.data(), n, count, in_zp, d.multiplier, d.shift, out_zp, y);
    }
    return Status::Ok();
  }
}

template <ReduceOp kOp>
Status ReduceEval(KernelContext& ctx, Node& node) {
  ReduceOpData* data = node.data_as<ReduceOpData>();
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  std::vector<bool> dynamic_reduced;
  const std::vector<bool>* reduced = &data->reduced;
  if (data->dynamic) {
    LS_RETURN_IF_ERROR(ResolveNodeAxes(node, in, *ctx.input(node, 1), &dynamic_reduced));
    reduced = &dynamic_reduced;
    LS_RETURN_IF_ERROR(
        ctx.ResizeTensor(out, reference::ReducedShape(in.shape, *reduced, data->keep_dims)));
  }
  if (out.elements() == 0) return Status::Ok();
  switch (in.type) {
    case DataType::kFloat32:
      if constexpr (kOp == ReduceOp::kMean)
        reference::MeanFloat(in.shape, in.data_as<float>(), *reduced, out.data_as<float>());
      else
        RunReduce<float>(kOp, in, *reduced, out);
      return Status::Ok();
    case DataType::kInt32:
      RunReduce<int32_t>(kOp, in, *reduced, out);
      return Status::Ok();
    case DataType::kInt64:
      RunReduce<int64_t>(kOp, in, *reduced, out);
      return Status::Ok();
    case DataType::kInt8:
      return ReduceEvalQuantized<kOp, int8_t>(*data, in, *reduced, out);
    case DataType::kUInt8:
      return ReduceEvalQuantized<kOp, uint8_t>(*data, in, *reduced, out);
    case DataType::kInt16:
      return ReduceEvalQuantized<kOp, int16_t>(*data, in, *reduced, out);
    default:
      return TypeError(node, "input", 0, node.inputs[0], in, ServedTypes(kOp));
  }
}

template <ReduceOp kOp>
KernelRegistration MakeReduceKernel(const char* name, schema::BuiltinOperator code,
                                    int max_version) {
  KernelRegistration r;
  r.name = name;
  r.op = static_cast<int32_t>(code);
  r.min_version = 1;
  r.max_version = max_version;
  r.prepare = ReducePrepare<kOp>;
  r.eval = ReduceEval<kOp>;
  switch (kOp) {
    case ReduceOp::kMean:
      r.types = "float32,int8,uint8,int16";
      break;
    case ReduceOp::kProd:
      r.types = "float32,int32,int64";
      break;
    default:
      r.types = "float32,int32,int64,int8,uint8,int16";
      break;
  }
  return r;
}

}  // namespace

KernelRegistration MakeMeanKernel() {
  return MakeReduceKernel<ReduceOp::kMean>("MEAN", schema::BuiltinOperator::MEAN, 3);
}

KernelRegistration MakeSumKernel() {
  return MakeReduceKernel<ReduceOp::kSum>("SUM", schema::BuiltinOperator::SUM, 2);
}

KernelRegistration MakeReduceProdKernel() {
  return MakeReduceKernel<ReduceOp::kProd>("REDUCE_PROD", schema::BuiltinOperator::REDUCE_PROD, 2);
}

KernelRegistration MakeReduceMaxKernel() {
  return MakeReduceKernel<ReduceOp::kMax>("REDUCE_MAX", schema::BuiltinOperator::REDUCE_MAX, 3);
}

KernelRegistration MakeReduceMinKernel() {
  return MakeReduceKernel<ReduceOp::kMin>("REDUCE_MIN", schema::BuiltinOperator::REDUCE_MIN, 3);
}

}  // namespace litescope::runtime
