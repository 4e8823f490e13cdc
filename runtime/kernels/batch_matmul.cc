#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/internal/quant_checks.h"
#include "runtime/kernels/internal/type_table.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/optimized/aligned_buffer.h"
#include "runtime/kernels/optimized/gemm_f32.h"
#include "runtime/kernels/reference/batch_matmul.h"
#include "runtime/kernels/reference/fully_connected_quantized.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/thread_pool.h"

// BATCH_MATMUL as one GEMM per output matrix. Each rhs matrix is packed as B (once in Prepare
// when rhs is constant, else at every Eval); with adj_x the lhs matrices are transposed into a
// scratch buffer first. The math is defined by reference::BatchMatMulFloat
// (runtime/kernels/reference/batch_matmul.h).
namespace litescope::runtime {
namespace {

struct BatchMatMulOpData : OpData {
  reference::MatMulPlan plan;
  bool adj_x = false;
  bool adj_y = false;
  std::vector<optimized::PackedMatrixF32> rhs;  // one per rhs matrix
  bool rhs_packed = false;                      // constant rhs, packed in Prepare
  optimized::AlignedBuffer<float> lhs_t;        // adj_x: lhs matrices as [M, K]
  // int8: minus the input zero points, the output zero point and TFLite's legacy multiplier
  // (lhs_scale * rhs_scale in float, divided by output_scale in double).
  int32_t lhs_offset = 0;
  int32_t rhs_offset = 0;
  int32_t output_offset = 0;
  int32_t multiplier = 0;
  int shift = 0;
};

Status PackRhs(const Node& node, const Tensor& rhs, BatchMatMulOpData* d) {
  const reference::MatMulPlan& p = d->plan;
  d->rhs.resize(static_cast<size_t>(p.rhs_batches));
  const int64_t size = static_cast<int64_t>(p.k) * p.n;
  const float* r = rhs.data_as<float>();
  for (int64_t b = 0; b < p.rhs_batches; ++b) {
    // rhs is [K, N] (element (k, n) at k*N + n), or [N, K] with adj_y.
    const int64_t k_stride = d->adj_y ? 1 : p.n;
    const int64_t n_stride = d->adj_y ? p.k : 1;
    if (!d->rhs[static_cast<size_t>(b)].Pack(r + b * size, p.k, p.n, k_stride, n_stride, nullptr))
      return OutOfMemoryError(fmt::format("{}: cannot allocate the packed rhs (tensor {})",
                                          NodeLabel(node), node.inputs[1]));
  }
  return Status::Ok();
}

// The shape checks of every variant: the parameters, the batch broadcast and matrix sizes
// (reference::PlanBatchMatMul) and an output of at most INT_MAX matrices. Fills d's adj_x, adj_y
// and plan.
Status PlanShapes(const Node& node, const Tensor& lhs, const Tensor& rhs, BatchMatMulOpData* d) {
  Result<const BatchMatMulParams*> params = NodeParams<BatchMatMulParams>(node);
  if (!params.ok()) return params.status();
  d->adj_x = (*params)->adj_x;
  d->adj_y = (*params)->adj_y;
  std::string error;
  try {
    if (!reference::PlanBatchMatMul(lhs.shape, rhs.shape, d->adj_x, d->adj_y, &d->plan, &error))
      return InvalidModelError(fmt::format("{}: {}", NodeLabel(node), error));
  } catch (const std::bad_alloc&) {
    return OutOfMemoryError(fmt::format("{}: too many matrices in {} x {}", NodeLabel(node),
                                        lhs.shape.ToString(), rhs.shape.ToString()));
  }
  const Shape& out = d->plan.out_shape;
  if (out.FlatSize(0, out.rank() - 2) > INT_MAX)
    return InvalidModelError(
        fmt::format("{}: output {} has too many matrices", NodeLabel(node), out.ToString()));
  return Status::Ok();
}

Status BatchMatMulPrepareFloat(KernelContext& ctx, Node& node, const Tensor& lhs, const Tensor& rhs,
                               Tensor& out) {
  if (rhs.type != DataType::kFloat32)
    return TypeError(node, "input", 1, node.inputs[1], rhs, "FLOAT32");
  if (out.type != DataType::kFloat32)
    return TypeError(node, "output", 0, node.outputs[0], out, "FLOAT32");
  auto d = std::make_unique<BatchMatMulOpData>();
  LS_RETURN_IF_ERROR(PlanShapes(node, lhs, rhs, d.get()));
  const reference::MatMulPlan& p = d->plan;
  if (d->adj_x && !d->lhs_t.Resize(static_cast<size_t>(lhs.elements())))
    return OutOfMemoryError(
        fmt::format("{}: cannot allocate a transposed copy of lhs", NodeLabel(node)));
  if (rhs.is_constant()) {
    LS_RETURN_IF_ERROR(PackRhs(node, rhs, d.get()));
    d->rhs_packed = true;
  }
  Shape out_shape = p.out_shape;
  node.data = std::move(d);
  return ctx.ResizeTensor(out, out_shape);
}

Status BatchMatMulPrepareInt8(KernelContext& ctx, Node& node, const Tensor& lhs, const Tensor& rhs,
                              Tensor& out) {
  if (rhs.type != DataType::kInt8) return TypeError(node, "input", 1, node.inputs[1], rhs, "INT8");
  if (out.type != DataType::kInt8)
    return TypeError(node, "output", 0, node.outputs[0], out, "INT8");
  LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "lhs", node.inputs[0], lhs));
  LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "rhs", node.inputs[1], rhs));
  LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "output", node.outputs[0], out));
  auto d = std::make_unique<BatchMatMulOpData>();
  LS_RETURN_IF_ERROR(PlanShapes(node, lhs, rhs, d.get()));
  d->lhs_offset = -static_cast<int32_t>(lhs.quant.zero_point[0]);
  d->rhs_offset = -static_cast<int32_t>(rhs.quant.zero_point[0]);
  d->output_offset = static_cast<int32_t>(out.quant.zero_point[0]);
  const double real = static_cast<double>(lhs.quant.scale[0] * rhs.quant.scale[0]) /
                      static_cast<double>(out.quant.scale[0]);
  fixed_point::QuantizeMultiplier(real, &d->multiplier, &d->shift);
  Shape out_shape = d->plan.out_shape;
  node.data = std::move(d);
  return ctx.ResizeTensor(out, out_shape);
}

Status BatchMatMulEvalFloat(KernelContext& ctx, Node& node, BatchMatMulOpData* d) {
  const Tensor& lhs = *ctx.input(node, 0);
  const Tensor& rhs = *ctx.input(node, 1);
  Tensor& out = *ctx.output(node, 0);
  const reference::MatMulPlan& p = d->plan;
  if (out.elements() == 0) return Status::Ok();
  if (!d->rhs_packed) LS_RETURN_IF_ERROR(PackRhs(node, rhs, d));
  const float* l = lhs.data_as<float>();
  const int64_t lhs_size = static_cast<int64_t>(p.m) * p.k;
  if (d->adj_x) {
    // lhs matrices are [K, M]; the GEMM reads [M, K] rows.
    float* t = d->lhs_t.data();
    for (int64_t b = 0; b < p.lhs_batches; ++b) {
      const float* src = l + b * lhs_size;
      float* dst = t + b * lhs_size;
      for (int i = 0; i < p.m; ++i)
        for (int kk = 0; kk < p.k; ++kk)
          dst[static_cast<int64_t>(i) * p.k + kk] = src[static_cast<int64_t>(kk) * p.m + i];
    }
    l = t;
  }
  float* o = out.data_as<float>();
  const int64_t out_size = static_cast<int64_t>(p.m) * p.n;
  const int64_t batches = static_cast<int64_t>(p.lhs_batch.size());
  constexpr float kInf = std::numeric_limits<float>::infinity();
  auto run = [&](int64_t b, ThreadPool* pool) {
    const size_t i = static_cast<size_t>(b);
    optimized::GemmF32(optimized::GemmInputF32::Dense(l + p.lhs_batch[i] * lhs_size, p.k), p.m,
                       d->rhs[static_cast<size_t>(p.rhs_batch[i])], o + b * out_size, p.n, -kInf,
                       kInf, pool);
  };
  ThreadPool& pool = ctx.thread_pool();
  // Many small products: one thread per matrix. Few large ones: threads split each product.
  const int64_t macs = out_size * p.k;
  if (batches >= pool.num_threads() && macs < (int64_t{1} << 20)) {
    pool.ParallelFor(batches, std::max<int64_t>(1, 65536 / std::max<int64_t>(1, macs)),
                     [&](int64_t begin, int64_t end) {
                       for (int64_t b = begin; b < end; ++b) run(b, nullptr);
                     });
  } else {
    for (int64_t b = 0; b < batches; ++b) run(b, &pool);
  }
  return Status::Ok();
}

Status BatchMatMulEvalInt8(KernelContext& ctx, Node& node, BatchMatMulOpData* d) {
  const Tensor& lhs = *ctx.input(node, 0);
  const Tensor& rhs = *ctx.input(node, 1);
  Tensor& out = *ctx.output(node, 0);
  const reference::MatMulPlan& p = d->plan;
  if (out.elements() == 0) return Status::Ok();
  const int64_t lhs_size = static_cast<int64_t>(p.m) * p.k;
  const int64_t rhs_size = static_cast<int64_t>(p.k) * p.n;
  const int64_t out_size = static_cast<int64_t>(p.m) * p.n;
  // lhs is [M, K] ([K, M] with adj_x); rhs is [K, N] ([N, K] with adj_y).
  const int64_t lhs_row = d->adj_x ? 1 : p.k;
  const int64_t lhs_col = d->adj_x ? p.m : 1;
  const int64_t rhs_row = d->adj_y ? 1 : p.n;
  const int64_t rhs_col = d->adj_y ? p.k : 1;
  const int8_t* l = lhs.data_as<int8_t>();
  const int8_t* r = rhs.data_as<int8_t>();
  int8_t* o = out.data_as<int8_t>();
  const int64_t batches = static_cast<int64_t>(p.lhs_batch.size());
  ctx.thread_pool().ParallelFor(
      batches, std::max<int64_t>(1, 65536 / std::max<int64_t>(1, out_size * p.k)),
      [&](int64_t begin, int64_t end) {
        for (int64_t b = begin; b < end; ++b) {
          const size_t i = static_cast<size_t>(b);
          reference::BatchMatMulQuantized<int8_t>(
              p.m, p.k, p.n, l + p.lhs_batch[i] * lhs_size, lhs_row, lhs_col, d->lhs_offset,
              r + p.rhs_batch[i] * rhs_size, rhs_row, rhs_col, d->rhs_offset, d->multiplier,
              d->shift, d->output_offset, -128, 127, o + b * out_size);
        }
      });
  return Status::Ok();
}

// The types of lhs served, with their variants: drives the dispatch, the registration's types
// and the "unsupported type" message (internal/type_table.h).
struct BatchMatMulVariant {
  DataType type;
  Status (*prepare)(KernelContext&, Node&, const Tensor&, const Tensor&, Tensor&);
  Status (*eval)(KernelContext&, Node&, BatchMatMulOpData*);
};
constexpr BatchMatMulVariant kVariants[] = {
    {DataType::kFloat32, BatchMatMulPrepareFloat, BatchMatMulEvalFloat},
    {DataType::kInt8, BatchMatMulPrepareInt8, BatchMatMulEvalInt8},
};

Status UnservedType(const Node& node, const Tensor& lhs) {
  return TypeError(node, "input", 0, node.inputs[0], lhs, ServedTypeNames(kVariants).c_str());
}

Status BatchMatMulPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  Result<Tensor*> lhs = RequireInput(ctx, node, 0);
  if (!lhs.ok()) return lhs.status();
  Result<Tensor*> rhs = RequireInput(ctx, node, 1);
  if (!rhs.ok()) return rhs.status();
  Result<Tensor*> out = RequireOutput(ctx, node, 0);
  if (!out.ok()) return out.status();
  const BatchMatMulVariant* v = FindServedType(kVariants, (*lhs)->type);
  if (!v) return UnservedType(node, **lhs);
  return v->prepare(ctx, node, **lhs, **rhs, **out);
}

Status BatchMatMulEval(KernelContext& ctx, Node& node) {
  const Tensor& lhs = *ctx.input(node, 0);
  const BatchMatMulVariant* v = FindServedType(kVariants, lhs.type);
  if (!v) return UnservedType(node, lhs);
  return v->eval(ctx, node, node.data_as<BatchMatMulOpData>());
}

}  // namespace

KernelRegistration MakeBatchMatMulKernel() {
  KernelRegistration r;
  r.name = "BATCH_MATMUL";
  r.op = static_cast<int32_t>(schema::BuiltinOperator::BATCH_MATMUL);
  r.min_version = 1;
  r.max_version = 4;
  r.prepare = BatchMatMulPrepare;
  r.eval = BatchMatMulEval;
  static const std::string types = ServedTypesDeclaration(kVariants);
  r.types = types.c_str();
  return r;
}

}  // namespace litescope::runtime
