// EMBEDDING_LOOKUP: output row i is row ids[i] of the table (input 1). A table of the output's
// type is copied; an INT8 table with a FLOAT32 output is dequantized (symmetric, one scale per
// tensor or per row).
#include <vector>

#include <fmt/format.h>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/gather.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

namespace dm = data_movement;

struct EmbeddingLookupData : OpData {
  bool dequantize = false;
};

Status EmbeddingLookupPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  Result<Tensor*> ids = RequireInput(ctx, node, 0);
  if (!ids.ok()) return ids.status();
  Result<Tensor*> table = RequireInput(ctx, node, 1);
  if (!table.ok()) return table.status();
  Result<Tensor*> out = RequireOutput(ctx, node, 0);
  if (!out.ok()) return out.status();
  LS_RETURN_IF_ERROR(dm::ExpectInputType(node, 0, **ids, DataType::kInt32));
  if ((*ids)->shape.rank() != 1)
    return InvalidModelError(fmt::format("{}: ids (input 0) have shape {}; expected a 1-D vector",
                                         NodeLabel(node), (*ids)->shape.ToString()));
  const Tensor& t = **table;
  if (t.shape.rank() < 2)
    return InvalidModelError(fmt::format("{}: the table (input 1) has shape {}; expected rank >= 2",
                                         NodeLabel(node), t.shape.ToString()));
  auto data = std::make_unique<EmbeddingLookupData>();
  if (t.type == DataType::kInt8 && (*out)->type == DataType::kFloat32) {
    const size_t rows = static_cast<size_t>(t.shape.dim(0));
    if (t.quant.scale.empty() || (t.quant.scale.size() > 1 && t.quant.scale.size() != rows) ||
        (t.quant.scale.size() > 1 && t.quant.quantized_dimension != 0))
      return InvalidModelError(
          fmt::format("{}: the INT8 table needs one scale per tensor or per "
                      "row (quantized dimension 0)",
                      NodeLabel(node)));
    for (int64_t zp : t.quant.zero_point)
      if (zp != 0)
        return UnsupportedOpError(
            fmt::format("{}: the INT8 table has zero point {}; only symmetric tables are supported",
                        NodeLabel(node), zp));
    data->dequantize = true;
  } else {
    LS_RETURN_IF_ERROR(dm::ExpectCopyableInput(node, 1, t));
    LS_RETURN_IF_ERROR(dm::ExpectOutputTypeOf(node, 0, **out, 1, t));
  }
  std::vector<int32_t> dims = t.shape.dims();
  dims[0] = (*ids)->shape.dim(0);
  LS_RETURN_IF_ERROR(ctx.ResizeTensor(**out, Shape(std::move(dims))));
  node.data = std::move(data);
  return Status::Ok();
}

Status EmbeddingLookupEval(KernelContext& ctx, Node& node) {
  const Tensor& ids = *ctx.input(node, 0);
  const Tensor& table = *ctx.input(node, 1);
  Tensor& out = *ctx.output(node, 0);
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 0, ids));
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 1, table));
  const int64_t rows = table.shape.dim(0);
  const int64_t row_elements = table.shape.FlatSize(1, table.shape.rank());
  const int64_t n = ids.shape.dim(0);
  int64_t bad = -1;
  if (node.data_as<EmbeddingLookupData>()->dequantize) {
    bad = reference::EmbeddingLookupDequantize(table.data_as<int8_t>(), rows, row_elements,
                                               table.quant.scale, ids.data_as<int32_t>(), n,
                                               out.data_as<float>());
  } else {
    const bool ok = dm::VisitElementSize(DataTypeSize(table.type), [&](auto tag) {
      using T = decltype(tag);
      bad = reference::EmbeddingLookup(table.data_as<T>(), rows, row_elements,
                                       ids.data_as<int32_t>(), n, out.data_as<T>());
    });
    if (!ok) return dm::UnsupportedElementSize(node, table);
  }
  if (bad >= 0)
    return InvalidArgumentError(
        fmt::format("{}: id {} at position {} is out of range [0, {})", NodeLabel(node),
                    ids.data_as<int32_t>()[static_cast<size_t>(bad)], bad, rows));
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeEmbeddingLookupKernel() {
  return {"EMBEDDING_LOOKUP",
          static_cast<int32_t>(schema::BuiltinOperator::EMBEDDING_LOOKUP),
          1,
          5,
          EmbeddingLookupPrepare,
          EmbeddingLookupEval,
          dm::kCopyableTypeList};
}

}  // namespace litescope::runtime
