#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/elementwise.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/broadcast.h"
#include "runtime/kernels/reference/select.h"
#include "runtime/schema/tflite_schema_generated.h"

// SELECT and SELECT_V2: output = condition ? x : y.
// SELECT (v1) accepts a condition of x's shape, a scalar, or a rank-1 condition matching x's
// first dimension (it picks whole slices); x and y must have equal shapes. SELECT_V2 broadcasts
// all three inputs (NumPy rules, rank <= 8). Values of any fixed-size type are copied.
namespace litescope::runtime {
namespace {

namespace ref = reference;

struct SelectOpData : OpData {
  ref::BroadcastLayout<3> layout;
};

bool IsCopyable(DataType t) {
  switch (t) {
    case DataType::kString:
    case DataType::kResource:
    case DataType::kVariant:
    case DataType::kInt4:
    case DataType::kInt2:
    case DataType::kUInt4:
      return false;
    default: {
      const size_t s = DataTypeSize(t);
      return s == 1 || s == 2 || s == 4 || s == 8;
    }
  }
}

template <bool kV2>
Status SelectPrepare(KernelContext& ctx, Node& node) {
  Result<elementwise::Operands<3>> ops = elementwise::GetOperands<3>(ctx, node);
  if (!ops.ok()) return ops.status();
  Tensor& cond = *ops->in[0];
  Tensor& x = *ops->in[1];
  Tensor& y = *ops->in[2];
  Tensor& out = *ops->out;
  if (cond.type != DataType::kBool)
    return TypeError(node, "input", 0, elementwise::InputIndex(node, 0), cond, "BOOL");
  if (!IsCopyable(x.type))
    return TypeError(node, "input", 1, elementwise::InputIndex(node, 1), x,
                     "a numeric or BOOL type");
  LS_RETURN_IF_ERROR(elementwise::ExpectSameInputType(node, 2, y, x));
  LS_RETURN_IF_ERROR(elementwise::ExpectOutputType(node, 0, out, x.type));

  auto data = std::make_unique<SelectOpData>();
  const Shape scalar;
  // Every operand holds one element: keep the output's declared shape (as TFLite does).
  if (cond.elements() == 1 && x.elements() == 1 && y.elements() == 1 && out.elements() == 1 &&
      out.shape.rank() <= ref::kMaxBroadcastRank) {
    const Shape* shapes[3] = {&scalar, &scalar, &scalar};
    data->layout.Init(shapes, scalar);
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(out, out.shape));
    node.data = std::move(data);
    return Status::Ok();
  }
  if (kV2) {
    Tensor* const inputs[3] = {&cond, &x, &y};
    LS_RETURN_IF_ERROR(elementwise::PrepareBroadcast(ctx, node, inputs, out, ref::kMaxBroadcastRank,
                                                     &data->layout));
    node.data = std::move(data);
    return Status::Ok();
  }
  // SELECT (v1).
  if (x.shape != y.shape)
    return InvalidModelError(
        fmt::format("{}: x (tensor {}) has shape {} but y (tensor {}) has "
                    "shape {}; SELECT needs equal shapes",
                    NodeLabel(node), elementwise::InputIndex(node, 1), x.shape.ToString(),
                    elementwise::InputIndex(node, 2), y.shape.ToString()));
  if (x.shape.rank() > ref::kMaxBroadcastRank)
    return InvalidModelError(fmt::format("{}: x has rank {}; at most {} is supported",
                                         NodeLabel(node), x.shape.rank(), ref::kMaxBroadcastRank));
  Shape cond_shape = cond.shape;
  if (cond.shape != x.shape) {
    const bool scalar_cond = cond.shape.rank() == 0;
    const bool rank_one =
        cond.shape.rank() == 1 && x.shape.rank() >= 1 && cond.shape.dim(0) == x.shape.dim(0);
    if (!scalar_cond && !rank_one)
      return InvalidModelError(fmt::format(
          "{}: condition (tensor {}) has shape {}; SELECT needs x's shape {}, a scalar, or "
          "[{}]",
          NodeLabel(node), elementwise::InputIndex(node, 0), cond.shape.ToString(),
          x.shape.ToString(), x.shape.rank() >= 1 ? x.shape.dim(0) : 1));
    // A rank-1 condition selects slices along dim 0: align it to the left.
    if (rank_one) {
      std::vector<int32_t> dims(static_cast<size_t>(x.shape.rank()), 1);
      dims[0] = cond.shape.dim(0);
      cond_shape = Shape(std::move(dims));
    }
  }
  const Shape* shapes[3] = {&cond_shape, &x.shape, &y.shape};
  if (!data->layout.Init(shapes, x.shape))
    return InternalError(fmt::format("{}: cannot lay out SELECT", NodeLabel(node)));
  LS_RETURN_IF_ERROR(ctx.ResizeTensor(out, x.shape));
  node.data = std::move(data);
  return Status::Ok();
}

template <typename T>
void RunSelect(KernelContext& ctx, const ref::BroadcastLayout<3>& layout, const Tensor& cond,
               const Tensor& x, const Tensor& y, Tensor& out) {
  const uint8_t* pc = cond.data_as<uint8_t>();
  const T* px = x.data_as<T>();
  const T* py = y.data_as<T>();
  T* po = out.data_as<T>();
  const int64_t sc = layout.inner_stride(0);
  const int64_t sx = layout.inner_stride(1);
  const int64_t sy = layout.inner_stride(2);
  elementwise::ParallelSpans(
      ctx, layout, elementwise::kCheapMinChunk, [&](int64_t o, const int64_t* in, int64_t n) {
        ref::SelectSpan(pc + in[0], sc, px + in[1], sx, py + in[2], sy, po + o, n);
      });
}

Status SelectEval(KernelContext& ctx, Node& node) {
  const SelectOpData* d = node.data_as<SelectOpData>();
  Tensor* cond = ctx.input(node, 0);
  Tensor* x = ctx.input(node, 1);
  Tensor* y = ctx.input(node, 2);
  Tensor* out = ctx.output(node, 0);
  if (!d || !cond || !x || !y || !out)
    return InternalError(fmt::format("{}: Eval before a successful Prepare", NodeLabel(node)));
  if (d->layout.elements == 0) return Status::Ok();
  switch (DataTypeSize(x->type)) {
    case 1:
      RunSelect<uint8_t>(ctx, d->layout, *cond, *x, *y, *out);
      break;
    case 2:
      RunSelect<uint16_t>(ctx, d->layout, *cond, *x, *y, *out);
      break;
    case 4:
      RunSelect<uint32_t>(ctx, d->layout, *cond, *x, *y, *out);
      break;
    case 8:
      RunSelect<uint64_t>(ctx, d->layout, *cond, *x, *y, *out);
      break;
    default:
      return TypeError(node, "input", 1, elementwise::InputIndex(node, 1), *x,
                       "a numeric or BOOL type");
  }
  return Status::Ok();
}

KernelRegistration MakeSelectRegistration(const char* name, schema::BuiltinOperator op,
                                          int max_version, PrepareFn prepare) {
  KernelRegistration r;
  r.name = name;
  r.op = static_cast<int32_t>(op);
  r.min_version = 1;
  r.max_version = max_version;
  r.prepare = prepare;
  r.eval = SelectEval;
  r.types =
      "float32,float16,bfloat16,float64,int8,uint8,int16,uint16,int32,uint32,int64,uint64,bool,"
      "complex64";
  return r;
}

}  // namespace

KernelRegistration MakeSelectKernel() {
  return MakeSelectRegistration("SELECT", schema::BuiltinOperator::SELECT, 4, SelectPrepare<false>);
}
KernelRegistration MakeSelectV2Kernel() {
  return MakeSelectRegistration("SELECT_V2", schema::BuiltinOperator::SELECT_V2, 2,
                                SelectPrepare<true>);
}

}  // namespace litescope::runtime
