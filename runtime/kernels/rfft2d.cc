// RFFT2D: FLOAT32 input [..., H, W] and an int32 fft_length [2] = (FH, FW), powers of two, give a
// COMPLEX64 output [..., FH, FW/2 + 1]. The input is cropped or zero-padded to FH x FW. A
// non-constant fft_length makes the output dynamic.
#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <new>
#include <vector>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/rfft2d.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

struct Rfft2dOpData : OpData {
  bool dynamic = false;
};

// Largest FFT grid (FH * FW) served; the work buffer holds that many complex doubles.
constexpr int64_t kMaxFftElements = int64_t{1} << 26;

Status Rfft2dOutputShape(const Node& node, const Tensor& in, const Tensor& fft_length,
                         Shape* shape) {
  const int32_t* f = fft_length.data_as<int32_t>();
  // TFLite accepts powers of two only.
  if (!reference::IsPowerOfTwo(f[0]) || !reference::IsPowerOfTwo(f[1]) ||
      static_cast<int64_t>(f[0]) * f[1] > kMaxFftElements)
    return InvalidArgumentError(fmt::format(
        "{}: fft_length tensor {} is [{}, {}]; expected powers of two with a product of at most {}",
        NodeLabel(node), node.inputs[1], f[0], f[1], kMaxFftElements));
  std::vector<int32_t> dims = in.shape.dims();
  dims[dims.size() - 2] = f[0];
  dims[dims.size() - 1] = f[1] / 2 + 1;
  *shape = Shape(std::move(dims));
  return Status::Ok();
}

Status Rfft2dPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  Result<Tensor*> in_r = RequireInput(ctx, node, 0);
  if (!in_r.ok()) return in_r.status();
  Result<Tensor*> len_r = RequireInput(ctx, node, 1);
  if (!len_r.ok()) return len_r.status();
  Result<Tensor*> out_r = RequireOutput(ctx, node, 0);
  if (!out_r.ok()) return out_r.status();
  const Tensor& in = **in_r;
  const Tensor& fft_length = **len_r;
  Tensor& out = **out_r;
  if (in.type != DataType::kFloat32)
    return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32");
  if (fft_length.type != DataType::kInt32)
    return TypeError(node, "input", 1, node.inputs[1], fft_length, "INT32");
  if (out.type != DataType::kComplex64)
    return TypeError(node, "output", 0, node.outputs[0], out, "COMPLEX64");
  if (in.shape.rank() < 2)
    return InvalidModelError(fmt::format("{}: input (tensor {}) has shape {}; expected rank >= 2",
                                         NodeLabel(node), node.inputs[0], in.shape.ToString()));
  if (fft_length.shape.rank() != 1 || fft_length.shape.dim(0) != 2)
    return InvalidModelError(fmt::format("{}: fft_length tensor {} has shape {}; expected [2]",
                                         NodeLabel(node), node.inputs[1],
                                         fft_length.shape.ToString()));
  auto data = std::make_unique<Rfft2dOpData>();
  if (fft_length.is_constant()) {
    Shape shape;
    LS_RETURN_IF_ERROR(Rfft2dOutputShape(node, in, fft_length, &shape));
    node.data = std::move(data);
    return ctx.ResizeTensor(out, shape);
  }
  data->dynamic = true;
  node.data = std::move(data);
  ctx.SetDynamic(out);
  return Status::Ok();
}

Status Rfft2dEval(KernelContext& ctx, Node& node) {
  const Tensor& in = *ctx.input(node, 0);
  const Tensor& fft_length = *ctx.input(node, 1);
  Tensor& out = *ctx.output(node, 0);
  if (node.data_as<Rfft2dOpData>()->dynamic) {
    Shape shape;
    LS_RETURN_IF_ERROR(Rfft2dOutputShape(node, in, fft_length, &shape));
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(out, shape));
  }
  if (out.elements() == 0) return Status::Ok();
  const int rank = in.shape.rank();
  const int64_t in_h = in.shape.dim(rank - 2);
  const int64_t in_w = in.shape.dim(rank - 1);
  const int32_t* f = fft_length.data_as<int32_t>();
  try {
    reference::Rfft2dFloat(in.data_as<float>(), in.shape.FlatSize(0, rank - 2), in_h, in_w, f[0],
                           f[1], out.data_as<float>());
  } catch (const std::bad_alloc&) {
    return OutOfMemoryError(
        fmt::format("{}: no memory for a {}x{} FFT work buffer", NodeLabel(node), f[0], f[1]));
  }
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeRfft2dKernel() {
  KernelRegistration r;
  r.name = "RFFT2D";
  r.op = static_cast<int32_t>(schema::BuiltinOperator::RFFT2D);
  r.min_version = 1;
  r.max_version = 1;
  r.prepare = Rfft2dPrepare;
  r.eval = Rfft2dEval;
  r.types = "float32";
  return r;
}

}  // namespace litescope::runtime
