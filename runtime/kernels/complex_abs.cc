// COMPLEX_ABS: COMPLEX64 -> FLOAT32 and COMPLEX128 -> FLOAT64 magnitudes.
#include <fmt/format.h>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/complex_abs.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

Status ComplexAbsPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  Result<Tensor*> in_r = RequireInput(ctx, node, 0);
  if (!in_r.ok()) return in_r.status();
  Result<Tensor*> out_r = RequireOutput(ctx, node, 0);
  if (!out_r.ok()) return out_r.status();
  const Tensor& in = **in_r;
  Tensor& out = **out_r;
  DataType expected_out;
  switch (in.type) {
    case DataType::kComplex64:
      expected_out = DataType::kFloat32;
      break;
    case DataType::kComplex128:
      expected_out = DataType::kFloat64;
      break;
    default:
      return TypeError(node, "input", 0, node.inputs[0], in, "COMPLEX64 or COMPLEX128");
  }
  if (out.type != expected_out)
    return TypeError(node, "output", 0, node.outputs[0], out, DataTypeName(expected_out));
  return ctx.ResizeTensor(out, in.shape);
}

Status ComplexAbsEval(KernelContext& ctx, Node& node) {
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  if (out.elements() == 0) return Status::Ok();
  switch (in.type) {
    case DataType::kComplex64:
      reference::ComplexAbs(in.data_as<float>(), in.elements(), out.data_as<float>());
      return Status::Ok();
    case DataType::kComplex128:
      reference::ComplexAbs(in.data_as<double>(), in.elements(), out.data_as<double>());
      return Status::Ok();
    default:
      return TypeError(node, "input", 0, node.inputs[0], in, "COMPLEX64 or COMPLEX128");
  }
}

}  // namespace

KernelRegistration MakeComplexAbsKernel() {
  KernelRegistration r;
  r.name = "COMPLEX_ABS";
  r.op = static_cast<int32_t>(schema::BuiltinOperator::COMPLEX_ABS);
  r.min_version = 1;
  r.max_version = 1;
  r.prepare = ComplexAbsPrepare;
  r.eval = ComplexAbsEval;
  r.types = "complex64,complex128";
  return r;
}

}  // namespace litescope::runtime
