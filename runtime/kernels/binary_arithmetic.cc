#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/internal/elementwise.h"
#include "runtime/kernels/internal/quant_checks.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/binary_arithmetic.h"
#include "runtime/kernels/reference/binary_arithmetic_quantized.h"
#include "runtime/kernels/reference/broadcast.h"
#include "runtime/schema/tflite_schema_generated.h"

// ADD, SUB, MUL, DIV, POW, SQUARED_DIFFERENCE, MAXIMUM, MINIMUM, FLOOR_DIV and FLOOR_MOD on
// float and integer tensors, with NumPy broadcasting up to rank 6 and the fused activation of
// ADD/SUB/MUL/DIV. The ops differ only in their functor (reference/binary_arithmetic.h), the
// element types they serve and their checks on the divisor or exponent.
// Quantized INT8/UINT8 ADD, SUB and MUL, INT8 SQUARED_DIFFERENCE and INT16 (zero points 0) ADD
// and MUL follow TensorFlow Lite's integer rules (reference/binary_arithmetic_quantized.h),
// multipliers computed in Prepare; INT16 ADD takes TFLite's power-of-two form when its options
// set pot_scale_int16 (the default) and all three scales are powers of two. Not served yet:
// quantized INT16 SUB, quantized DIV.
namespace litescope::runtime {
namespace {

namespace ref = reference;

enum class BinaryKind {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kPow,
  kSquaredDifference,
  kMaximum,
  kMinimum,
  kFloorDiv,
  kFloorMod
};

// Element types each op serves without quantization (as TFLite's kernels do).
constexpr bool Serves(BinaryKind k, DataType t) {
  switch (k) {
    case BinaryKind::kAdd:
    case BinaryKind::kSub:
    case BinaryKind::kMul:
      return t == DataType::kFloat32 || t == DataType::kInt32 || t == DataType::kInt64;
    case BinaryKind::kDiv:
    case BinaryKind::kPow:
    case BinaryKind::kSquaredDifference:
      return t == DataType::kFloat32 || t == DataType::kInt32;
    case BinaryKind::kMaximum:
    case BinaryKind::kMinimum:
      // Compared on the stored values; TFLite does not rescale quantized inputs either.
      return t == DataType::kFloat32 || t == DataType::kInt8 || t == DataType::kUInt8 ||
             t == DataType::kInt16 || t == DataType::kInt32 || t == DataType::kInt64;
    case BinaryKind::kFloorDiv:
      return t == DataType::kFloat32 || t == DataType::kInt8 || t == DataType::kInt16 ||
             t == DataType::kInt32;
    case BinaryKind::kFloorMod:
      return t == DataType::kFloat32 || t == DataType::kInt8 || t == DataType::kInt16 ||
             t == DataType::kInt32 || t == DataType::kInt64;
  }
  return false;
}

// Element types each op serves as per-tensor quantized values (TFLite's quantized kernels).
constexpr bool ServesQuantized(BinaryKind k, DataType t) {
  switch (k) {
    case BinaryKind::kAdd:
    case BinaryKind::kMul:
      return t == DataType::kInt8 || t == DataType::kUInt8 || t == DataType::kInt16;
    case BinaryKind::kSub:
      return t == DataType::kInt8 || t == DataType::kUInt8;
    case BinaryKind::kSquaredDifference:
      return t == DataType::kInt8;
    default:
      return false;
  }
}

constexpr bool HasActivation(BinaryKind k) {
  return k == BinaryKind::kAdd || k == BinaryKind::kSub || k == BinaryKind::kMul ||
         k == BinaryKind::kDiv;
}

// Whether a zero divisor is an error for element type T (TFLite: integer DIV, FLOOR_MOD;
// FLOOR_DIV for every type, floats included).
template <typename T>
constexpr bool RejectsZeroDivisor(BinaryKind k) {
  if (k == BinaryKind::kFloorDiv) return true;
  if (k == BinaryKind::kDiv || k == BinaryKind::kFloorMod) return std::is_integral_v<T>;
  return false;
}

std::string ServedTypes(BinaryKind k) {
  std::string s;
  const DataType all[] = {DataType::kFloat32, DataType::kInt8,  DataType::kUInt8,
                          DataType::kInt16,   DataType::kInt32, DataType::kInt64};
  int n = 0;
  for (DataType t : all) n += (Serves(k, t) || ServesQuantized(k, t)) ? 1 : 0;
  int i = 0;
  for (DataType t : all) {
    if (!Serves(k, t) && !ServesQuantized(k, t)) continue;
    if (i > 0) s += (i + 1 == n) ? " or " : ", ";
    s += DataTypeName(t);
    ++i;
  }
  return s;
}

template <typename T>
constexpr DataType TypeOf() {
  if constexpr (std::is_same_v<T, float>)
    return DataType::kFloat32;
  else if constexpr (std::is_same_v<T, int8_t>)
    return DataType::kInt8;
  else if constexpr (std::is_same_v<T, uint8_t>)
    return DataType::kUInt8;
  else if constexpr (std::is_same_v<T, int16_t>)
    return DataType::kInt16;
  else if constexpr (std::is_same_v<T, int32_t>)
    return DataType::kInt32;
  else
    return DataType::kInt64;
}

template <BinaryKind K>
struct OpFor;
template <>
struct OpFor<BinaryKind::kAdd> {
  using type = ref::AddOp;
};
template <>
struct OpFor<BinaryKind::kSub> {
  using type = ref::SubOp;
};
template <>
struct OpFor<BinaryKind::kMul> {
  using type = ref::MulOp;
};
template <>
struct OpFor<BinaryKind::kDiv> {
  using type = ref::DivOp;
};
template <>
struct OpFor<BinaryKind::kPow> {
  using type = ref::PowOp;
};
template <>
struct OpFor<BinaryKind::kSquaredDifference> {
  using type = ref::SquaredDifferenceOp;
};
template <>
struct OpFor<BinaryKind::kMaximum> {
  using type = ref::MaximumOp;
};
template <>
struct OpFor<BinaryKind::kMinimum> {
  using type = ref::MinimumOp;
};
template <>
struct OpFor<BinaryKind::kFloorDiv> {
  using type = ref::FloorDivOp;
};
template <>
struct OpFor<BinaryKind::kFloorMod> {
  using type = ref::FloorModOp;
};

constexpr bool IsCostly(BinaryKind k) {
  return k == BinaryKind::kPow || k == BinaryKind::kFloorDiv || k == BinaryKind::kFloorMod;
}

struct BinaryOpData : OpData {
  ref::BroadcastLayout<2> layout;
  FusedActivation activation = FusedActivation::kNone;
  bool rhs_checked = false;        // constant divisor/exponent validated once, in Prepare
  bool quantized = false;          // INT8/UINT8 with TFLite's integer rules (below)
  ref::QuantAddSubParams add_sub;  // ADD, SUB, SQUARED_DIFFERENCE
  ref::QuantMulParams mul;         // MUL
  bool pot_int16 = false;          // INT16 ADD, power-of-two form
  ref::QuantAddPotInt16Params pot;
};

// Clamp range of a fused activation for T; false when it clamps nothing (NONE, and TANH and
// SIGN_BIT, which TFLite's arithmetic kernels ignore).
template <typename T>
bool ActivationRange(FusedActivation act, T* lo, T* hi) {
  switch (act) {
    case FusedActivation::kRelu:
      *lo = 0;
      *hi = std::numeric_limits<T>::has_infinity ? std::numeric_limits<T>::infinity()
                                                 : std::numeric_limits<T>::max();
      return true;
    case FusedActivation::kRelu6:
      *lo = 0;
      *hi = 6;
      return true;
    case FusedActivation::kReluN1To1:
      *lo = -1;
      *hi = 1;
      return true;
    default:
      return false;
  }
}

// Data-dependent checks on input 1: no zero divisor, no negative integer exponent.
template <BinaryKind K, typename T>
Status CheckRhs(const Node& node, const Tensor& b) {
  const T* p = b.data_as<T>();
  const int64_t n = b.elements();
  if constexpr (RejectsZeroDivisor<T>(K)) {
    for (int64_t i = 0; i < n; ++i)
      if (p[i] == T{0})
        return InvalidArgumentError(fmt::format("{} holds 0 at element {}; division by zero",
                                                elementwise::InputLabel(node, 1, b), i));
  }
  if constexpr (K == BinaryKind::kPow && std::is_integral_v<T>) {
    for (int64_t i = 0; i < n; ++i)
      if (p[i] < 0)
        return InvalidArgumentError(
            fmt::format("{} holds {} at element {}; integer POW needs exponents >= 0",
                        elementwise::InputLabel(node, 1, b), static_cast<int64_t>(p[i]), i));
  }
  return Status::Ok();
}

template <BinaryKind K, typename T>
constexpr bool NeedsRhsCheck() {
  return RejectsZeroDivisor<T>(K) || (K == BinaryKind::kPow && std::is_integral_v<T>);
}

template <BinaryKind K, typename T>
Status CheckRhsIfNeeded(const Node& node, const Tensor& b) {
  if constexpr (NeedsRhsCheck<K, T>()) return CheckRhs<K, T>(node, b);
  return Status::Ok();
}

template <BinaryKind K>
Status CheckRhsFor(const Node& node, const Tensor& b) {
  switch (b.type) {
    case DataType::kFloat32:
      return CheckRhsIfNeeded<K, float>(node, b);
    case DataType::kInt8:
      return CheckRhsIfNeeded<K, int8_t>(node, b);
    case DataType::kUInt8:
      return CheckRhsIfNeeded<K, uint8_t>(node, b);
    case DataType::kInt16:
      return CheckRhsIfNeeded<K, int16_t>(node, b);
    case DataType::kInt32:
      return CheckRhsIfNeeded<K, int32_t>(node, b);
    case DataType::kInt64:
      return CheckRhsIfNeeded<K, int64_t>(node, b);
    default:
      return Status::Ok();
  }
}

// TFLite's CheckedLog2: whether `x` is within 1e-3 (in log2) of a power of two, whose
// exponent goes to *exponent.
bool IsPowerOfTwo(float x, int* exponent) {
  const float log2 = std::log(x) * (1.0f / std::log(2.0f));
  *exponent = static_cast<int>(std::round(log2));
  return std::fabs(log2 - std::round(log2)) < 1e-3f;
}

// Multipliers, offsets and the clamp range of the quantized forms.
template <BinaryKind K>
Status PrepareQuantized(const Node& node, const Tensor& a, const Tensor& b, const Tensor& out,
                        BinaryOpData& d) {
  LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "input 0", node.inputs[0], a));
  LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "input 1", node.inputs[1], b));
  LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "output", node.outputs[0], out));
  const float sa = a.quant.scale[0];
  const float sb = b.quant.scale[0];
  const float so = out.quant.scale[0];
  const auto za = static_cast<int32_t>(a.quant.zero_point[0]);
  const auto zb = static_cast<int32_t>(b.quant.zero_point[0]);
  const auto zo = static_cast<int32_t>(out.quant.zero_point[0]);
  int64_t qmin64 = 0;
  int64_t qmax64 = 0;
  quant_checks::IntegerRange(a.type, &qmin64, &qmax64);
  const auto qmin = static_cast<int32_t>(qmin64);
  const auto qmax = static_cast<int32_t>(qmax64);
  const bool is_int16 = a.type == DataType::kInt16;
  if (is_int16) {
    if (za != 0 || zb != 0 || zo != 0)
      return InvalidModelError(
          fmt::format("{}: quantized INT16 needs zero points 0; got {}, {} and output {}",
                      NodeLabel(node), za, zb, zo));
    if constexpr (K == BinaryKind::kAdd) {
      // Without options TFLite takes the general form (ArithmeticParams::pot_scale_int16).
      Result<const ArithmeticParams*> params = NodeParams<ArithmeticParams>(node);
      if (!params.ok()) return params.status();
      int ea = 0;
      int eb = 0;
      int eo = 0;
      if ((*params)->pot_scale_int16 && IsPowerOfTwo(sa, &ea) && IsPowerOfTwo(sb, &eb) &&
          IsPowerOfTwo(so, &eo)) {
        const int shift_a = ea - eo;
        const int shift_b = eb - eo;
        if ((shift_a != 0 && shift_b != 0) || shift_a > 0 || shift_b > 0)
          return InvalidModelError(fmt::format(
              "{}: INT16 ADD in power-of-two form needs one input on the output scale and the "
              "other on a finer one; scales are 2^{}, 2^{} and output 2^{}",
              NodeLabel(node), ea, eb, eo));
        d.pot_int16 = true;
        d.pot.shift_first = shift_a != 0;
        d.pot.right_shift = std::min(31, -(shift_a != 0 ? shift_a : shift_b));
      }
    }
  }
  int32_t act_min = qmin;
  int32_t act_max = qmax;
  // TFLite's arithmetic kernels clamp for RELU, RELU6 and RELU_N1_TO_1 only.
  fixed_point::QuantizedActivationRange(d.activation, so, zo, qmin, qmax, &act_min, &act_max);
  d.quantized = true;
  d.pot.act_min = act_min;
  d.pot.act_max = act_max;
  if constexpr (K == BinaryKind::kMul) {
    d.mul.Init(sa, za, sb, zb, so, zo);
    d.mul.act_min = act_min;
    d.mul.act_max = act_max;
  } else {
    const bool squared = K == BinaryKind::kSquaredDifference;
    d.add_sub.Init(sa, za, sb, zb, so, zo, squared ? 7 : (is_int16 ? 15 : 20), squared);
    d.add_sub.act_min = act_min;
    d.add_sub.act_max = act_max;
  }
  return Status::Ok();
}

template <BinaryKind K, typename T>
void EvalQuantized(KernelContext& ctx, const BinaryOpData& d, const Tensor& a, const Tensor& b,
                   Tensor& out) {
  const T* pa = a.data_as<T>();
  const T* pb = b.data_as<T>();
  T* po = out.data_as<T>();
  const int64_t chunk = elementwise::kCheapMinChunk;
  if constexpr (K == BinaryKind::kAdd && std::is_same_v<T, int16_t>) {
    if (d.pot_int16) {
      elementwise::ParallelBroadcastBinary(ctx, d.layout, pa, pb, po, chunk,
                                           ref::QuantAddPotInt16Op{&d.pot});
    } else {
      elementwise::ParallelBroadcastBinary(ctx, d.layout, pa, pb, po, chunk,
                                           ref::QuantAddOp<T>{&d.add_sub});
    }
  } else if constexpr (K == BinaryKind::kAdd) {
    elementwise::ParallelBroadcastBinary(ctx, d.layout, pa, pb, po, chunk,
                                         ref::QuantAddOp<T>{&d.add_sub});
  } else if constexpr (K == BinaryKind::kSub) {
    elementwise::ParallelBroadcastBinary(ctx, d.layout, pa, pb, po, chunk,
                                         ref::QuantSubOp<T>{&d.add_sub});
  } else if constexpr (K == BinaryKind::kMul) {
    elementwise::ParallelBroadcastBinary(ctx, d.layout, pa, pb, po, chunk,
                                         ref::QuantMulOp<T>{&d.mul});
  } else if constexpr (K == BinaryKind::kSquaredDifference) {
    elementwise::ParallelBroadcastBinary(ctx, d.layout, pa, pb, po, chunk,
                                         ref::QuantSquaredDifferenceOp<T>{&d.add_sub});
  }
}

template <BinaryKind K>
Status BinaryPrepare(KernelContext& ctx, Node& node) {
  Result<elementwise::Operands<2>> ops = elementwise::GetOperands<2>(ctx, node);
  if (!ops.ok()) return ops.status();
  Tensor& a = *ops->in[0];
  Tensor& b = *ops->in[1];
  Tensor& out = *ops->out;
  if (!Serves(K, a.type) && !ServesQuantized(K, a.type))
    return TypeError(node, "input", 0, elementwise::InputIndex(node, 0), a, ServedTypes(K).c_str());
  LS_RETURN_IF_ERROR(elementwise::ExpectSameInputType(node, 1, b, a));
  LS_RETURN_IF_ERROR(elementwise::ExpectOutputType(node, 0, out, a.type));

  auto data = std::make_unique<BinaryOpData>();
  if (HasActivation(K)) {
    Result<const ArithmeticParams*> params = NodeParams<ArithmeticParams>(node);
    if (!params.ok()) return params.status();
    data->activation = (*params)->activation;
  }
  if (ServesQuantized(K, a.type)) LS_RETURN_IF_ERROR(PrepareQuantized<K>(node, a, b, out, *data));
  Tensor* const inputs[2] = {&a, &b};
  LS_RETURN_IF_ERROR(elementwise::PrepareBroadcast(ctx, node, inputs, out,
                                                   elementwise::kMaxBinaryRank, &data->layout));
  if (b.is_constant() && b.data) {
    LS_RETURN_IF_ERROR(CheckRhsFor<K>(node, b));
    data->rhs_checked = true;
  }
  node.data = std::move(data);
  return Status::Ok();
}

template <typename T, typename Op>
void RunBinary(KernelContext& ctx, const ref::BroadcastLayout<2>& layout, const T* a, const T* b,
               T* out, const Op& op, int64_t min_chunk) {
  elementwise::ParallelBroadcastBinary(ctx, layout, a, b, out, min_chunk, op);
}

template <BinaryKind K, typename T>
Status EvalTyped(KernelContext& ctx, const Node& node, const BinaryOpData& d, const Tensor& a,
                 const Tensor& b, Tensor& out) {
  if constexpr (!Serves(K, TypeOf<T>())) {
    return InternalError(
        fmt::format("{}: type {} reached Eval", NodeLabel(node), DataTypeName(a.type)));
  } else {
    if constexpr (NeedsRhsCheck<K, T>()) {
      if (!d.rhs_checked) LS_RETURN_IF_ERROR((CheckRhs<K, T>(node, b)));
    }
    using Op = typename OpFor<K>::type;
    const int64_t chunk = IsCostly(K) ? elementwise::kCostlyMinChunk : elementwise::kCheapMinChunk;
    const T* pa = a.data_as<T>();
    const T* pb = b.data_as<T>();
    T* po = out.data_as<T>();
    T lo{};
    T hi{};
    bool clamp = false;
    if constexpr (HasActivation(K)) clamp = ActivationRange<T>(d.activation, &lo, &hi);
    if (clamp) {
      RunBinary(ctx, d.layout, pa, pb, po, ref::ClampedOp<Op, T>{Op{}, lo, hi}, chunk);
    } else {
      RunBinary(ctx, d.layout, pa, pb, po, Op{}, chunk);
    }
    return Status::Ok();
  }
}

template <BinaryKind K>
Status BinaryEval(KernelContext& ctx, Node& node) {
  const BinaryOpData* d = node.data_as<BinaryOpData>();
  Tensor* a = ctx.input(node, 0);
  Tensor* b = ctx.input(node, 1);
  Tensor* out = ctx.output(node, 0);
  if (!d || !a || !b || !out)
    return InternalError(fmt::format("{}: Eval before a successful Prepare", NodeLabel(node)));
  if (d->layout.elements == 0) return Status::Ok();
  if (d->quantized) {
    if (a->type == DataType::kInt8) {
      EvalQuantized<K, int8_t>(ctx, *d, *a, *b, *out);
    } else if (a->type == DataType::kInt16) {
      if constexpr (K == BinaryKind::kAdd || K == BinaryKind::kMul)
        EvalQuantized<K, int16_t>(ctx, *d, *a, *b, *out);
    } else {
      EvalQuantized<K, uint8_t>(ctx, *d, *a, *b, *out);
    }
    return Status::Ok();
  }
  switch (a->type) {
    case DataType::kFloat32:
      return EvalTyped<K, float>(ctx, node, *d, *a, *b, *out);
    case DataType::kInt8:
      return EvalTyped<K, int8_t>(ctx, node, *d, *a, *b, *out);
    case DataType::kUInt8:
      return EvalTyped<K, uint8_t>(ctx, node, *d, *a, *b, *out);
    case DataType::kInt16:
      return EvalTyped<K, int16_t>(ctx, node, *d, *a, *b, *out);
    case DataType::kInt32:
      return EvalTyped<K, int32_t>(ctx, node, *d, *a, *b, *out);
    case DataType::kInt64:
      return EvalTyped<K, int64_t>(ctx, node, *d, *a, *b, *out);
    default:
      return TypeError(node, "input", 0, elementwise::InputIndex(node, 0), *a,
                       ServedTypes(K).c_str());
  }
}

template <BinaryKind K>
KernelRegistration MakeBinary(const char* name, schema::BuiltinOperator op, int max_version,
                              const char* types) {
  KernelRegistration r;
  r.name = name;
  r.op = static_cast<int32_t>(op);
  r.min_version = 1;
  r.max_version = max_version;
  r.prepare = BinaryPrepare<K>;
  r.eval = BinaryEval<K>;
  r.types = types;
  return r;
}

}  // namespace

KernelRegistration MakeAddKernel() {
  return MakeBinary<BinaryKind::kAdd>("ADD", schema::BuiltinOperator::ADD, 5,
                                      "float32,int8,uint8,int16,int32,int64");
}
KernelRegistration MakeSubKernel() {
  return MakeBinary<BinaryKind::kSub>("SUB", schema::BuiltinOperator::SUB, 5,
                                      "float32,int8,uint8,int32,int64");
}
KernelRegistration MakeMulKernel() {
  return MakeBinary<BinaryKind::kMul>("MUL", schema::BuiltinOperator::MUL, 7,
                                      "float32,int8,uint8,int16,int32,int64");
}
KernelRegistration MakeDivKernel() {
  return MakeBinary<BinaryKind::kDiv>("DIV", schema::BuiltinOperator::DIV, 2, "float32,int32");
}
KernelRegistration MakePowKernel() {
  return MakeBinary<BinaryKind::kPow>("POW", schema::BuiltinOperator::POW, 1, "float32,int32");
}
KernelRegistration MakeSquaredDifferenceKernel() {
  return MakeBinary<BinaryKind::kSquaredDifference>(
      "SQUARED_DIFFERENCE", schema::BuiltinOperator::SQUARED_DIFFERENCE, 2, "float32,int8,int32");
}
KernelRegistration MakeMaximumKernel() {
  return MakeBinary<BinaryKind::kMaximum>("MAXIMUM", schema::BuiltinOperator::MAXIMUM, 4,
                                          "float32,int8,uint8,int16,int32,int64");
}
KernelRegistration MakeMinimumKernel() {
  return MakeBinary<BinaryKind::kMinimum>("MINIMUM", schema::BuiltinOperator::MINIMUM, 4,
                                          "float32,int8,uint8,int16,int32,int64");
}
KernelRegistration MakeFloorDivKernel() {
  return MakeBinary<BinaryKind::kFloorDiv>("FLOOR_DIV", schema::BuiltinOperator::FLOOR_DIV, 3,
                                           "float32,int8,int16,int32");
}
KernelRegistration MakeFloorModKernel() {
  return MakeBinary<BinaryKind::kFloorMod>("FLOOR_MOD", schema::BuiltinOperator::FLOOR_MOD, 2,
                                           "float32,int8,int16,int32,int64");
}

}  // namespace litescope::runtime
