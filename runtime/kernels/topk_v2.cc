// TOPK_V2: the k largest entries of each row (last dimension) in descending order, with their
// indices (INT32, INT16 or INT64 as the output tensor says). k <= 0 gives empty rows.
#include <vector>

#include <fmt/format.h>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/topk.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

namespace dm = data_movement;

struct TopKData : OpData {
  bool dynamic = false;
  int64_t k = 0;
};

Status ResolveK(const Node& node, const Tensor& in, const Tensor& k_tensor, const Tensor& indices,
                int64_t* k, Shape* out_shape) {
  if (k_tensor.shape.FlatSize() != 1)
    return InvalidModelError(fmt::format("{}: k (input 1) must hold one value; it has shape {}",
                                         NodeLabel(node), k_tensor.shape.ToString()));
  const int64_t row = in.shape.dim(in.shape.rank() - 1);
  int64_t v = dm::ReadIndexValues(k_tensor)[0];
  if (v < 0) v = 0;
  if (v > row)
    return InvalidArgumentError(
        fmt::format("{}: k = {} exceeds the row size {}", NodeLabel(node), v, row));
  if (indices.type == DataType::kInt16 && row > 32768)
    return InvalidModelError(
        fmt::format("{}: INT16 indices cannot address rows of {} entries", NodeLabel(node), row));
  *k = v;
  std::vector<int32_t> dims = in.shape.dims();
  dims.back() = static_cast<int32_t>(v);
  *out_shape = Shape(std::move(dims));
  return Status::Ok();
}

Status TopKPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 2));
  Result<Tensor*> in = RequireInput(ctx, node, 0);
  if (!in.ok()) return in.status();
  Result<Tensor*> k = RequireInput(ctx, node, 1);
  if (!k.ok()) return k.status();
  Result<Tensor*> values = RequireOutput(ctx, node, 0);
  if (!values.ok()) return values.status();
  Result<Tensor*> indices = RequireOutput(ctx, node, 1);
  if (!indices.ok()) return indices.status();
  switch ((*in)->type) {
    case DataType::kFloat32:
    case DataType::kInt8:
    case DataType::kUInt8:
    case DataType::kInt16:
    case DataType::kInt32:
    case DataType::kInt64:
      break;
    default:
      return TypeError(node, "input", 0, dm::InputIndex(node, 0), **in,
                       "FLOAT32, INT8, UINT8, INT16, INT32 or INT64");
  }
  if ((*k)->type != DataType::kInt32 && (*k)->type != DataType::kInt16)
    return TypeError(node, "input", 1, dm::InputIndex(node, 1), **k, "INT32 or INT16");
  LS_RETURN_IF_ERROR(dm::ExpectOutputTypeOf(node, 0, **values, 0, **in));
  const DataType it = (*indices)->type;
  if (it != DataType::kInt32 && it != DataType::kInt16 && it != DataType::kInt64)
    return TypeError(node, "output", 1, dm::OutputIndex(node, 1), **indices,
                     "INT32, INT16 or INT64");
  if ((*in)->shape.rank() < 1)
    return InvalidModelError(fmt::format("{}: input must have rank >= 1", NodeLabel(node)));
  auto data = std::make_unique<TopKData>();
  if ((*k)->is_constant()) {
    Shape shape;
    LS_RETURN_IF_ERROR(ResolveK(node, **in, **k, **indices, &data->k, &shape));
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(**values, shape));
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(**indices, shape));
  } else {
    data->dynamic = true;
    ctx.SetDynamic(**values);
    ctx.SetDynamic(**indices);
  }
  node.data = std::move(data);
  return Status::Ok();
}

template <typename T>
void RunTopK(const Tensor& in, int64_t k, Tensor& values, Tensor& indices) {
  const int64_t row = in.shape.dim(in.shape.rank() - 1);
  const int64_t rows = in.shape.FlatSize(0, in.shape.rank() - 1);
  switch (indices.type) {
    case DataType::kInt16:
      reference::TopK(in.data_as<T>(), rows, row, k, values.data_as<T>(),
                      indices.data_as<int16_t>());
      break;
    case DataType::kInt64:
      reference::TopK(in.data_as<T>(), rows, row, k, values.data_as<T>(),
                      indices.data_as<int64_t>());
      break;
    default:
      reference::TopK(in.data_as<T>(), rows, row, k, values.data_as<T>(),
                      indices.data_as<int32_t>());
      break;
  }
}

Status TopKEval(KernelContext& ctx, Node& node) {
  TopKData& data = *node.data_as<TopKData>();
  const Tensor& in = *ctx.input(node, 0);
  Tensor& values = *ctx.output(node, 0);
  Tensor& indices = *ctx.output(node, 1);
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 0, in));
  if (data.dynamic) {
    const Tensor& k = *ctx.input(node, 1);
    LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 1, k));
    Shape shape;
    LS_RETURN_IF_ERROR(ResolveK(node, in, k, indices, &data.k, &shape));
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(values, shape));
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(indices, shape));
  }
  if (values.shape.FlatSize() == 0) return Status::Ok();
  switch (in.type) {
    case DataType::kFloat32:
      RunTopK<float>(in, data.k, values, indices);
      break;
    case DataType::kInt8:
      RunTopK<int8_t>(in, data.k, values, indices);
      break;
    case DataType::kUInt8:
      RunTopK<uint8_t>(in, data.k, values, indices);
      break;
    case DataType::kInt16:
      RunTopK<int16_t>(in, data.k, values, indices);
      break;
    case DataType::kInt32:
      RunTopK<int32_t>(in, data.k, values, indices);
      break;
    case DataType::kInt64:
      RunTopK<int64_t>(in, data.k, values, indices);
      break;
    default:
      return dm::UnsupportedElementSize(node, in);
  }
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeTopKV2Kernel() {
  return {"TOPK_V2",
          static_cast<int32_t>(schema::BuiltinOperator::TOPK_V2),
          1,
          3,
          TopKPrepare,
          TopKEval,
          "float32,int8,uint8,int16,int32,int64"};
}

}  // namespace litescope::runtime
