#include <fmt/format.h>

#include <complex>
#include <cstdint>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/elementwise.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/cast.h"
#include "runtime/schema/tflite_schema_generated.h"

// CAST: converts every element to the output tensor's type (the tensor types decide, as in
// TFLite; CastOptions are not consulted). Serves every pair of FLOAT32, FLOAT16, BFLOAT16,
// FLOAT64, INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, BOOL and COMPLEX64, plus the packed
// INT4, UINT4 and INT2 to and from FLOAT32. Conversion rules: reference/cast.h.
namespace litescope::runtime {
namespace {

namespace ref = reference;

constexpr char kServedTypes[] =
    "FLOAT32, FLOAT16, BFLOAT16, FLOAT64, INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, "
    "BOOL, COMPLEX64, INT4, UINT4 or INT2";

bool IsPacked(DataType t) {
  return t == DataType::kInt4 || t == DataType::kUInt4 || t == DataType::kInt2;
}

bool IsServed(DataType t) {
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
    case DataType::kComplex64:
      return true;
    default:
      return IsPacked(t);
  }
}

Status CastPrepare(KernelContext& ctx, Node& node) {
  Result<elementwise::Operands<1>> ops = elementwise::GetOperands<1>(ctx, node);
  if (!ops.ok()) return ops.status();
  const Tensor& in = *ops->in[0];
  Tensor& out = *ops->out;
  if (!IsServed(in.type))
    return TypeError(node, "input", 0, elementwise::InputIndex(node, 0), in, kServedTypes);
  if (!IsServed(out.type))
    return TypeError(node, "output", 0, elementwise::OutputIndex(node, 0), out, kServedTypes);
  if (IsPacked(in.type) && out.type != DataType::kFloat32)
    return TypeError(node, "output", 0, elementwise::OutputIndex(node, 0), out,
                     "FLOAT32 (the only target of a packed input)");
  if (IsPacked(out.type) && in.type != DataType::kFloat32)
    return TypeError(node, "input", 0, elementwise::InputIndex(node, 0), in,
                     "FLOAT32 (the only source of a packed output)");
  return ctx.ResizeTensor(out, in.shape);
}

template <typename From, typename To>
void RunCast(KernelContext& ctx, const Tensor& in, Tensor& out) {
  const From* pi = in.data_as<From>();
  To* po = out.data_as<To>();
  elementwise::ParallelRange(ctx, in.elements(), elementwise::kCheapMinChunk,
                             [&](int64_t b, int64_t e) { ref::Cast(pi + b, po + b, e - b); });
}

template <typename From>
bool CastFrom(KernelContext& ctx, const Tensor& in, Tensor& out) {
  switch (out.type) {
    case DataType::kFloat32:
      RunCast<From, float>(ctx, in, out);
      return true;
    case DataType::kFloat16:
      RunCast<From, ref::Half>(ctx, in, out);
      return true;
    case DataType::kBFloat16:
      RunCast<From, ref::BFloat16>(ctx, in, out);
      return true;
    case DataType::kFloat64:
      RunCast<From, double>(ctx, in, out);
      return true;
    case DataType::kInt8:
      RunCast<From, int8_t>(ctx, in, out);
      return true;
    case DataType::kUInt8:
      RunCast<From, uint8_t>(ctx, in, out);
      return true;
    case DataType::kInt16:
      RunCast<From, int16_t>(ctx, in, out);
      return true;
    case DataType::kUInt16:
      RunCast<From, uint16_t>(ctx, in, out);
      return true;
    case DataType::kInt32:
      RunCast<From, int32_t>(ctx, in, out);
      return true;
    case DataType::kUInt32:
      RunCast<From, uint32_t>(ctx, in, out);
      return true;
    case DataType::kInt64:
      RunCast<From, int64_t>(ctx, in, out);
      return true;
    case DataType::kBool:
      RunCast<From, bool>(ctx, in, out);
      return true;
    case DataType::kComplex64:
      RunCast<From, std::complex<float>>(ctx, in, out);
      return true;
    default:
      return false;
  }
}

// Packed types: bits per element and signedness.
void PackedFormat(DataType t, int* bits, bool* is_signed) {
  *bits = t == DataType::kInt2 ? 2 : 4;
  *is_signed = t != DataType::kUInt4;
}

Status CastEval(KernelContext& ctx, Node& node) {
  Tensor* in = ctx.input(node, 0);
  Tensor* out = ctx.output(node, 0);
  if (!in || !out)
    return InternalError(fmt::format("{}: Eval before a successful Prepare", NodeLabel(node)));
  const int64_t n = in->elements();
  if (n == 0) return Status::Ok();
  if (IsPacked(in->type) || IsPacked(out->type)) {
    int bits = 4;
    bool is_signed = true;
    if (IsPacked(in->type)) {
      PackedFormat(in->type, &bits, &is_signed);
      ref::UnpackToFloat(in->data_as<uint8_t>(), out->data_as<float>(), n, bits, is_signed);
    } else {
      PackedFormat(out->type, &bits, &is_signed);
      const int lo = is_signed ? -(1 << (bits - 1)) : 0;
      const int hi = is_signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
      ref::PackFromFloat(in->data_as<float>(), out->data_as<uint8_t>(), n, bits, lo, hi);
    }
    return Status::Ok();
  }
  bool done = false;
  switch (in->type) {
    case DataType::kFloat32:
      done = CastFrom<float>(ctx, *in, *out);
      break;
    case DataType::kFloat16:
      done = CastFrom<ref::Half>(ctx, *in, *out);
      break;
    case DataType::kBFloat16:
      done = CastFrom<ref::BFloat16>(ctx, *in, *out);
      break;
    case DataType::kFloat64:
      done = CastFrom<double>(ctx, *in, *out);
      break;
    case DataType::kInt8:
      done = CastFrom<int8_t>(ctx, *in, *out);
      break;
    case DataType::kUInt8:
      done = CastFrom<uint8_t>(ctx, *in, *out);
      break;
    case DataType::kInt16:
      done = CastFrom<int16_t>(ctx, *in, *out);
      break;
    case DataType::kUInt16:
      done = CastFrom<uint16_t>(ctx, *in, *out);
      break;
    case DataType::kInt32:
      done = CastFrom<int32_t>(ctx, *in, *out);
      break;
    case DataType::kUInt32:
      done = CastFrom<uint32_t>(ctx, *in, *out);
      break;
    case DataType::kInt64:
      done = CastFrom<int64_t>(ctx, *in, *out);
      break;
    case DataType::kBool:
      done = CastFrom<ref::BoolByte>(ctx, *in, *out);
      break;
    case DataType::kComplex64:
      done = CastFrom<std::complex<float>>(ctx, *in, *out);
      break;
    default:
      break;
  }
  if (!done)
    return UnsupportedTypeError(fmt::format("{}: cannot cast {} to {}", NodeLabel(node),
                                            DataTypeName(in->type), DataTypeName(out->type)));
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeCastKernel() {
  KernelRegistration r;
  r.name = "CAST";
  r.op = static_cast<int32_t>(schema::BuiltinOperator::CAST);
  r.min_version = 1;
  r.max_version = 8;
  r.prepare = CastPrepare;
  r.eval = CastEval;
  r.types =
      "float32,float16,bfloat16,float64,int8,uint8,int16,uint16,int32,uint32,int64,bool,"
      "complex64,int4,uint4,int2";
  return r;
}

}  // namespace litescope::runtime
