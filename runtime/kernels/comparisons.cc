#include <fmt/format.h>

#include <cstdint>
#include <memory>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/elementwise.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/broadcast.h"
#include "runtime/kernels/reference/comparisons.h"
#include "runtime/schema/tflite_schema_generated.h"

// EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER and GREATER_EQUAL: broadcasting comparisons with
// a BOOL output. Float and integer inputs compare their values; EQUAL and NOT_EQUAL also take
// BOOL. Quantized (int8/uint8) comparisons, which TFLite rescales first, are not served yet.
namespace litescope::runtime {
namespace {

namespace ref = reference;

enum class CompareKind { kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual };

constexpr bool IsEquality(CompareKind k) {
  return k == CompareKind::kEqual || k == CompareKind::kNotEqual;
}

const char* ServedTypes(CompareKind k) {
  return IsEquality(k) ? "FLOAT32, INT16, INT32, INT64 or BOOL" : "FLOAT32, INT16, INT32 or INT64";
}

bool Serves(CompareKind k, DataType t) {
  switch (t) {
    case DataType::kFloat32:
    case DataType::kInt16:
    case DataType::kInt32:
    case DataType::kInt64:
      return true;
    case DataType::kBool:
      return IsEquality(k);
    default:
      return false;
  }
}

template <CompareKind K>
struct OpFor;
template <>
struct OpFor<CompareKind::kEqual> {
  using type = ref::EqualOp;
};
template <>
struct OpFor<CompareKind::kNotEqual> {
  using type = ref::NotEqualOp;
};
template <>
struct OpFor<CompareKind::kLess> {
  using type = ref::LessOp;
};
template <>
struct OpFor<CompareKind::kLessEqual> {
  using type = ref::LessEqualOp;
};
template <>
struct OpFor<CompareKind::kGreater> {
  using type = ref::GreaterOp;
};
template <>
struct OpFor<CompareKind::kGreaterEqual> {
  using type = ref::GreaterEqualOp;
};

struct CompareOpData : OpData {
  ref::BroadcastLayout<2> layout;
};

template <CompareKind K>
Status ComparePrepare(KernelContext& ctx, Node& node) {
  Result<elementwise::Operands<2>> ops = elementwise::GetOperands<2>(ctx, node);
  if (!ops.ok()) return ops.status();
  Tensor& a = *ops->in[0];
  Tensor& b = *ops->in[1];
  Tensor& out = *ops->out;
  if (!Serves(K, a.type))
    return TypeError(node, "input", 0, elementwise::InputIndex(node, 0), a, ServedTypes(K));
  LS_RETURN_IF_ERROR(elementwise::ExpectSameInputType(node, 1, b, a));
  LS_RETURN_IF_ERROR(elementwise::ExpectOutputType(node, 0, out, DataType::kBool));
  auto data = std::make_unique<CompareOpData>();
  Tensor* const inputs[2] = {&a, &b};
  LS_RETURN_IF_ERROR(elementwise::PrepareBroadcast(ctx, node, inputs, out,
                                                   elementwise::kMaxBinaryRank, &data->layout));
  node.data = std::move(data);
  return Status::Ok();
}

template <typename T, typename Op>
void RunCompare(KernelContext& ctx, const ref::BroadcastLayout<2>& layout, const Tensor& a,
                const Tensor& b, Tensor& out, const Op& op) {
  const T* pa = a.data_as<T>();
  const T* pb = b.data_as<T>();
  bool* po = out.data_as<bool>();
  elementwise::ParallelBroadcastBinary(ctx, layout, pa, pb, po, elementwise::kCheapMinChunk, op);
}

template <CompareKind K>
Status CompareEval(KernelContext& ctx, Node& node) {
  const CompareOpData* d = node.data_as<CompareOpData>();
  Tensor* a = ctx.input(node, 0);
  Tensor* b = ctx.input(node, 1);
  Tensor* out = ctx.output(node, 0);
  if (!d || !a || !b || !out)
    return InternalError(fmt::format("{}: Eval before a successful Prepare", NodeLabel(node)));
  if (d->layout.elements == 0) return Status::Ok();
  using Op = typename OpFor<K>::type;
  switch (a->type) {
    case DataType::kFloat32:
      RunCompare<float>(ctx, d->layout, *a, *b, *out, Op{});
      break;
    case DataType::kInt16:
      RunCompare<int16_t>(ctx, d->layout, *a, *b, *out, Op{});
      break;
    case DataType::kInt32:
      RunCompare<int32_t>(ctx, d->layout, *a, *b, *out, Op{});
      break;
    case DataType::kInt64:
      RunCompare<int64_t>(ctx, d->layout, *a, *b, *out, Op{});
      break;
    case DataType::kBool:
      if constexpr (K == CompareKind::kEqual) {
        RunCompare<uint8_t>(ctx, d->layout, *a, *b, *out, ref::BoolEqualOp{});
      } else if constexpr (K == CompareKind::kNotEqual) {
        RunCompare<uint8_t>(ctx, d->layout, *a, *b, *out, ref::BoolNotEqualOp{});
      } else {
        return TypeError(node, "input", 0, elementwise::InputIndex(node, 0), *a, ServedTypes(K));
      }
      break;
    default:
      return TypeError(node, "input", 0, elementwise::InputIndex(node, 0), *a, ServedTypes(K));
  }
  return Status::Ok();
}

template <CompareKind K>
KernelRegistration MakeCompare(const char* name, schema::BuiltinOperator op, int max_version) {
  KernelRegistration r;
  r.name = name;
  r.op = static_cast<int32_t>(op);
  r.min_version = 1;
  r.max_version = max_version;
  r.prepare = ComparePrepare<K>;
  r.eval = CompareEval<K>;
  r.types = IsEquality(K) ? "float32,int16,int32,int64,bool" : "float32,int16,int32,int64";
  return r;
}

}  // namespace

KernelRegistration MakeEqualKernel() {
  return MakeCompare<CompareKind::kEqual>("EQUAL", schema::BuiltinOperator::EQUAL, 5);
}
KernelRegistration MakeNotEqualKernel() {
  return MakeCompare<CompareKind::kNotEqual>("NOT_EQUAL", schema::BuiltinOperator::NOT_EQUAL, 4);
}
KernelRegistration MakeLessKernel() {
  return MakeCompare<CompareKind::kLess>("LESS", schema::BuiltinOperator::LESS, 3);
}
KernelRegistration MakeLessEqualKernel() {
  return MakeCompare<CompareKind::kLessEqual>("LESS_EQUAL", schema::BuiltinOperator::LESS_EQUAL, 2);
}
KernelRegistration MakeGreaterKernel() {
  return MakeCompare<CompareKind::kGreater>("GREATER", schema::BuiltinOperator::GREATER, 2);
}
KernelRegistration MakeGreaterEqualKernel() {
  return MakeCompare<CompareKind::kGreaterEqual>("GREATER_EQUAL",
                                                 schema::BuiltinOperator::GREATER_EQUAL, 3);
}

}  // namespace litescope::runtime
