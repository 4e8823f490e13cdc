// DENSIFY: turns a constant sparse tensor (Tensor.sparsity in the model) into its dense form.
// The input is constant, so the output is folded into a constant once, in Prepare.
//
// The sparsity description lives only in the model, read through KernelContext::model_tensor.
#include <fmt/format.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "runtime/data_type.h"
#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/densify.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

// Copies one SparseIndexVector (int32, uint16 or uint8 values) into `out`. False when the
// union holds nothing usable.
bool ReadIndexVector(schema::SparseIndexVector type, const void* table, std::vector<int64_t>* out) {
  if (!table) return false;
  switch (type) {
    case schema::SparseIndexVector::Int32Vector: {
      const auto* v = static_cast<const schema::Int32Vector*>(table)->values();
      if (!v) return false;
      out->assign(v->begin(), v->end());
      return true;
    }
    case schema::SparseIndexVector::Uint16Vector: {
      const auto* v = static_cast<const schema::Uint16Vector*>(table)->values();
      if (!v) return false;
      out->assign(v->begin(), v->end());
      return true;
    }
    case schema::SparseIndexVector::Uint8Vector: {
      const auto* v = static_cast<const schema::Uint8Vector*>(table)->values();
      if (!v) return false;
      out->assign(v->begin(), v->end());
      return true;
    }
    default:
      return false;
  }
}

Status ReadSparsity(const Node& node, const schema::SparsityParameters& sp,
                    reference::SparsityInfo* info) {
  if (sp.traversal_order())
    info->traversal_order.assign(sp.traversal_order()->begin(), sp.traversal_order()->end());
  if (sp.block_map()) info->block_map.assign(sp.block_map()->begin(), sp.block_map()->end());
  if (!sp.dim_metadata())
    return InvalidModelError(fmt::format("{}: input (tensor {}) sparsity has no dim_metadata",
                                         NodeLabel(node), node.inputs[0]));
  for (uint32_t i = 0; i < sp.dim_metadata()->size(); ++i) {
    const schema::DimensionMetadata* dm = sp.dim_metadata()->Get(i);
    reference::SparseLevel level;
    if (dm && dm->format() == schema::DimensionType::SPARSE_CSR) {
      level.sparse = true;
      if (!ReadIndexVector(dm->array_segments_type(), dm->array_segments(), &level.segments) ||
          !ReadIndexVector(dm->array_indices_type(), dm->array_indices(), &level.indices))
        return InvalidModelError(
            fmt::format("{}: input (tensor {}) sparsity level {} lacks segments or indices",
                        NodeLabel(node), node.inputs[0], i));
    } else {
      level.dense_size = dm ? dm->dense_size() : 0;
    }
    info->levels.push_back(std::move(level));
  }
  return Status::Ok();
}

Status DensifyPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  Result<Tensor*> in_r = RequireInput(ctx, node, 0);
  if (!in_r.ok()) return in_r.status();
  Result<Tensor*> out_r = RequireOutput(ctx, node, 0);
  if (!out_r.ok()) return out_r.status();
  const Tensor& in = **in_r;
  Tensor& out = **out_r;
  if (in.type != DataType::kFloat32 && in.type != DataType::kFloat16 && in.type != DataType::kInt8)
    return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32, FLOAT16 or INT8");
  if (out.type != in.type)
    return TypeError(node, "output", 0, node.outputs[0], out, DataTypeName(in.type));
  if (!in.is_constant())
    return InvalidModelError(
        fmt::format("{}: input (tensor {}) is not constant", NodeLabel(node), node.inputs[0]));
  const schema::Tensor* fb = ctx.model_tensor(node.inputs[0]);
  if (!fb)
    return UnsupportedOpError(
        fmt::format("{}: the model description of input tensor {} is not "
                    "reachable from this context",
                    NodeLabel(node), node.inputs[0]));
  if (!fb->sparsity())
    return InvalidModelError(fmt::format("{}: input (tensor {}) has no sparsity parameters",
                                         NodeLabel(node), node.inputs[0]));
  reference::SparsityInfo info;
  LS_RETURN_IF_ERROR(ReadSparsity(node, *fb->sparsity(), &info));

  const size_t element_bytes = DataTypeSize(in.type);
  int64_t dense_bytes = 0;
  if (!DataTypeBytes(in.type, in.elements(), &dense_bytes))
    return InvalidModelError(fmt::format("{}: input (tensor {}) shape {} is too large",
                                         NodeLabel(node), node.inputs[0], in.shape.ToString()));
  // The input is constant: densify once into a folded constant that consumers can pack.
  LS_RETURN_IF_ERROR(ctx.FoldToConstant(out, in.shape));
  if (out.bytes < static_cast<size_t>(dense_bytes))
    return InternalError(fmt::format("{}: output holds {} bytes; {} needed", NodeLabel(node),
                                     out.bytes, dense_bytes));
  std::string error;
  if (!reference::Densify(in.shape, info, in.data, static_cast<int64_t>(in.bytes / element_bytes),
                          element_bytes, out.data, &error))
    return InvalidModelError(
        fmt::format("{}: input (tensor {}) sparsity: {}", NodeLabel(node), node.inputs[0], error));
  return Status::Ok();
}

Status DensifyEval(KernelContext& ctx, Node& node) {
  // All work happened in Prepare (FoldToConstant).
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeDensifyKernel() {
  KernelRegistration r;
  r.name = "DENSIFY";
  r.op = static_cast<int32_t>(schema::BuiltinOperator::DENSIFY);
  r.min_version = 1;
  r.max_version = 1;
  r.prepare = DensifyPrepare;
  r.eval = DensifyEval;
  r.types = "float32,float16,int8";
  return r;
}

}  // namespace litescope::runtime
