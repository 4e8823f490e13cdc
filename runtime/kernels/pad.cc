// PAD and PADV2: surround the input with a constant. PAD pads with zero (the output zero point
// for quantized tensors); PADV2 takes the value from input 2, which must share the output's
// quantization. Both accept the optional input 2, as TFLite does.
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/pad.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

namespace dm = data_movement;

constexpr int kMaxRank = 8;

struct PadData : OpData {
  bool dynamic = false;  // paddings are not constant: output shape computed in Eval
  std::vector<int64_t> before, after;
};

// Reads and checks the [rank, 2] paddings tensor and computes the padded shape.
Status ReadPaddings(const Node& node, const Tensor& in, const Tensor& paddings,
                    std::vector<int64_t>* before, std::vector<int64_t>* after, Shape* out_shape) {
  const int rank = in.shape.rank();
  const std::vector<int64_t> v = dm::ReadIndexValues(paddings);
  if (static_cast<int64_t>(v.size()) != 2 * static_cast<int64_t>(rank))
    return InvalidModelError(fmt::format("{}: paddings hold {} values; expected {} (rank x 2)",
                                         NodeLabel(node), v.size(), 2 * rank));
  before->assign(static_cast<size_t>(rank), 0);
  after->assign(static_cast<size_t>(rank), 0);
  std::vector<int32_t> dims(static_cast<size_t>(rank));
  for (int d = 0; d < rank; ++d) {
    const int64_t b = v[static_cast<size_t>(2 * d)], a = v[static_cast<size_t>(2 * d + 1)];
    if (b < 0 || a < 0 || b > INT32_MAX || a > INT32_MAX)
      return InvalidArgumentError(
          fmt::format("{}: paddings of dimension {} are [{}, {}]; they "
                      "must be non-negative",
                      NodeLabel(node), d, b, a));
    const int64_t size = static_cast<int64_t>(in.shape.dim(d)) + b + a;
    if (!dm::FitsDim(size))
      return InvalidArgumentError(
          fmt::format("{}: padded dimension {} is too large ({})", NodeLabel(node), d, size));
    (*before)[static_cast<size_t>(d)] = b;
    (*after)[static_cast<size_t>(d)] = a;
    dims[static_cast<size_t>(d)] = static_cast<int32_t>(size);
  }
  *out_shape = Shape(std::move(dims));
  return Status::Ok();
}

Status PadPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 2, 3, 1));
  Result<Tensor*> in = RequireInput(ctx, node, 0);
  if (!in.ok()) return in.status();
  Result<Tensor*> paddings = RequireInput(ctx, node, 1);
  if (!paddings.ok()) return paddings.status();
  Result<Tensor*> out = RequireOutput(ctx, node, 0);
  if (!out.ok()) return out.status();
  LS_RETURN_IF_ERROR(dm::ExpectCopyableInput(node, 0, **in));
  LS_RETURN_IF_ERROR(dm::ExpectIndexInput(node, 1, **paddings));
  LS_RETURN_IF_ERROR(dm::ExpectOutputTypeOf(node, 0, **out, 0, **in));
  const int rank = (*in)->shape.rank();
  if (rank > kMaxRank)
    return UnsupportedOpError(
        fmt::format("{}: input rank {} exceeds {}", NodeLabel(node), rank, kMaxRank));
  const Shape& ps = (*paddings)->shape;
  if (ps.rank() != 2 || ps.dim(0) != rank || ps.dim(1) != 2)
    return InvalidModelError(fmt::format("{}: paddings have shape {}; expected [{}, 2]",
                                         NodeLabel(node), ps.ToString(), rank));
  if (const Tensor* value = ctx.input(node, 2)) {
    if (value->type != (*in)->type)
      return TypeError(node, "input", 2, dm::InputIndex(node, 2), *value,
                       DataTypeName((*in)->type));
    if (value->shape.FlatSize() != 1)
      return InvalidModelError(
          fmt::format("{}: the pad value (input 2) has shape {}; expected "
                      "one element",
                      NodeLabel(node), value->shape.ToString()));
    if (!(*in)->quant.empty() || !value->quant.empty())
      LS_RETURN_IF_ERROR(
          dm::ExpectSameQuantization(node, "pad value input", 2, *value, "output", 0, **out));
  } else if (dm::IsQuantizableIntType((*out)->type) && !(*out)->quant.empty()) {
    const int64_t zp = dm::PerTensorZeroPoint(**out);
    const bool fits = (*out)->type == DataType::kInt8    ? (zp >= -128 && zp <= 127)
                      : (*out)->type == DataType::kUInt8 ? (zp >= 0 && zp <= 255)
                                                         : (zp >= -32768 && zp <= 32767);
    if (!fits)
      return InvalidModelError(fmt::format("{}: output zero point {} does not fit {}",
                                           NodeLabel(node), zp, DataTypeName((*out)->type)));
  }
  auto data = std::make_unique<PadData>();
  if ((*paddings)->is_constant()) {
    Shape shape;
    LS_RETURN_IF_ERROR(ReadPaddings(node, **in, **paddings, &data->before, &data->after, &shape));
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(**out, shape));
  } else {
    data->dynamic = true;
    ctx.SetDynamic(**out);
  }
  node.data = std::move(data);
  return Status::Ok();
}

// The pad element's bytes (16 available): the PADV2 value, the output zero point for quantized
// integers, or 0.
void PadValueBytes(KernelContext& ctx, const Node& node, const Tensor& out, uint8_t* bytes) {
  std::memset(bytes, 0, 16);
  if (const Tensor* value = ctx.input(node, 2)) {
    std::memcpy(bytes, value->data, DataTypeSize(value->type));
    return;
  }
  if (out.quant.empty()) return;
  const int64_t zp = dm::PerTensorZeroPoint(out);
  if (out.type == DataType::kInt8) {
    const int8_t v = static_cast<int8_t>(zp);
    std::memcpy(bytes, &v, 1);
  } else if (out.type == DataType::kUInt8) {
    const uint8_t v = static_cast<uint8_t>(zp);
    std::memcpy(bytes, &v, 1);
  } else if (out.type == DataType::kInt16) {
    const int16_t v = static_cast<int16_t>(zp);
    std::memcpy(bytes, &v, 2);
  }
}

Status PadEval(KernelContext& ctx, Node& node) {
  PadData& data = *node.data_as<PadData>();
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 0, in));
  if (const Tensor* value = ctx.input(node, 2))
    LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 2, *value));
  if (data.dynamic) {
    const Tensor& paddings = *ctx.input(node, 1);
    LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 1, paddings));
    Shape shape;
    LS_RETURN_IF_ERROR(ReadPaddings(node, in, paddings, &data.before, &data.after, &shape));
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(out, shape));
  }
  if (out.shape.FlatSize() == 0) return Status::Ok();
  uint8_t pad_bytes[16];
  PadValueBytes(ctx, node, out, pad_bytes);
  const bool ok = dm::VisitElementSize(DataTypeSize(in.type), [&](auto tag) {
    using T = decltype(tag);
    T pad_value;
    std::memcpy(&pad_value, pad_bytes, sizeof(T));
    reference::Pad(in.shape, data.before, data.after, in.data_as<T>(), pad_value, out.shape,
                   out.data_as<T>());
  });
  if (!ok) return dm::UnsupportedElementSize(node, in);
  return Status::Ok();
}

}  // namespace

KernelRegistration MakePadKernel() {
  return {"PAD",
          static_cast<int32_t>(schema::BuiltinOperator::PAD),
          1,
          5,
          PadPrepare,
          PadEval,
          dm::kCopyableTypeList};
}

KernelRegistration MakePadV2Kernel() {
  return {"PADV2",
          static_cast<int32_t>(schema::BuiltinOperator::PADV2),
          1,
          5,
          PadPrepare,
          PadEval,
          dm::kCopyableTypeList};
}

}  // namespace litescope::runtime
