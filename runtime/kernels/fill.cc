#include <fmt/format.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/elementwise.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/fill.h"
#include "runtime/schema/tflite_schema_generated.h"

// FILL: an output of shape `dims` (input 0: a rank-1 INT32 or INT64 tensor) with every element
// equal to `value` (input 1: a scalar). The output has the value's type. When dims is not a
// constant, the output is dynamic and sized in Eval from the dims data.
namespace litescope::runtime {
namespace {

namespace ref = reference;

constexpr char kValueTypes[] =
    "FLOAT32, FLOAT16, BFLOAT16, FLOAT64, INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64 or "
    "BOOL";

bool IsValueType(DataType t) {
  switch (t) {
    case DataType::kFloat32:
    case DataType::kFloat16:
    case DataType::kBFloat16:
    case DataType::kFloat64:
    case DataType::kInt8:
    case DataType::kUInt8:
    case DataType::kInt16:
    case DataType::kUInt16:
    case DataType::kInt32:
    case DataType::kUInt32:
    case DataType::kInt64:
    case DataType::kBool:
      return true;
    default:
      return false;
  }
}

struct FillOpData : OpData {
  bool resize_in_eval = false;
};

// Reads the output shape from the dims tensor; errors name the node and the bad entry.
Result<Shape> ShapeFromDims(const Node& node, const Tensor& dims) {
  const int64_t n = dims.elements();
  std::vector<int32_t> shape(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const int64_t d =
        dims.type == DataType::kInt64 ? dims.data_as<int64_t>()[i] : dims.data_as<int32_t>()[i];
    if (d < 0 || d > INT32_MAX)
      return InvalidArgumentError(
          fmt::format("{} holds {} at element {}; FILL dimensions must "
                      "be in [0, 2^31)",
                      elementwise::InputLabel(node, 0, dims), d, i));
    shape[static_cast<size_t>(i)] = static_cast<int32_t>(d);
  }
  Shape s(std::move(shape));
  int64_t elements = 0;
  if (!s.CheckedFlatSize(&elements))
    return InvalidArgumentError(
        fmt::format("{}: FILL shape {} has too many elements", NodeLabel(node), s.ToString()));
  return s;
}

Status FillPrepare(KernelContext& ctx, Node& node) {
  Result<elementwise::Operands<2>> ops = elementwise::GetOperands<2>(ctx, node);
  if (!ops.ok()) return ops.status();
  Tensor& dims = *ops->in[0];
  const Tensor& value = *ops->in[1];
  Tensor& out = *ops->out;
  if (dims.type != DataType::kInt32 && dims.type != DataType::kInt64)
    return TypeError(node, "input", 0, elementwise::InputIndex(node, 0), dims, "INT32 or INT64");
  if (dims.shape.rank() != 1)
    return InvalidModelError(fmt::format("{}: dims (tensor {}) has shape {}; expected rank 1",
                                         NodeLabel(node), elementwise::InputIndex(node, 0),
                                         dims.shape.ToString()));
  if (!IsValueType(value.type))
    return TypeError(node, "input", 1, elementwise::InputIndex(node, 1), value, kValueTypes);
  if (value.shape.rank() != 0)
    return InvalidModelError(fmt::format("{}: value (tensor {}) has shape {}; expected a scalar",
                                         NodeLabel(node), elementwise::InputIndex(node, 1),
                                         value.shape.ToString()));
  LS_RETURN_IF_ERROR(elementwise::ExpectOutputType(node, 0, out, value.type));

  auto data = std::make_unique<FillOpData>();
  if (dims.is_constant() && dims.data) {
    Result<Shape> shape = ShapeFromDims(node, dims);
    if (!shape.ok()) return shape.status();
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(out, *shape));
  } else {
    ctx.SetDynamic(out);
    data->resize_in_eval = true;
  }
  node.data = std::move(data);
  return Status::Ok();
}

template <typename T>
void RunFill(KernelContext& ctx, const T value, Tensor& out) {
  T* po = out.data_as<T>();
  elementwise::ParallelRange(ctx, out.elements(), elementwise::kCheapMinChunk,
                             [&](int64_t b, int64_t e) { ref::Fill(value, po + b, e - b); });
}

// Copies the scalar's bytes into a T (no aliasing questions for the 16-bit float types).
template <typename T>
T LoadScalar(const Tensor& t) {
  T v;
  std::memcpy(&v, t.data, sizeof(T));
  return v;
}

Status FillEval(KernelContext& ctx, Node& node) {
  const FillOpData* d = node.data_as<FillOpData>();
  Tensor* dims = ctx.input(node, 0);
  Tensor* value = ctx.input(node, 1);
  Tensor* out = ctx.output(node, 0);
  if (!d || !dims || !value || !out)
    return InternalError(fmt::format("{}: Eval before a successful Prepare", NodeLabel(node)));
  if (d->resize_in_eval) {
    Result<Shape> shape = ShapeFromDims(node, *dims);
    if (!shape.ok()) return shape.status();
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(*out, *shape));
  }
  if (out->elements() == 0) return Status::Ok();
  switch (DataTypeSize(value->type)) {
    case 1:
      if (value->type == DataType::kBool) {
        RunFill<uint8_t>(ctx, LoadScalar<uint8_t>(*value) != 0 ? 1 : 0, *out);
      } else {
        RunFill<uint8_t>(ctx, LoadScalar<uint8_t>(*value), *out);
      }
      break;
    case 2:
      RunFill<uint16_t>(ctx, LoadScalar<uint16_t>(*value), *out);
      break;
    case 4:
      RunFill<uint32_t>(ctx, LoadScalar<uint32_t>(*value), *out);
      break;
    case 8:
      RunFill<uint64_t>(ctx, LoadScalar<uint64_t>(*value), *out);
      break;
    default:
      return TypeError(node, "input", 1, elementwise::InputIndex(node, 1), *value, kValueTypes);
  }
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeFillKernel() {
  KernelRegistration r;
  r.name = "FILL";
  r.op = static_cast<int32_t>(schema::BuiltinOperator::FILL);
  r.min_version = 1;
  r.max_version = 4;
  r.prepare = FillPrepare;
  r.eval = FillEval;
  r.types = "float32,float16,bfloat16,float64,int8,uint8,int16,uint16,int32,uint32,int64,bool";
  return r;
}

}  // namespace litescope::runtime
