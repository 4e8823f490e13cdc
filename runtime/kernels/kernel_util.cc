#include "runtime/kernels/kernel_util.h"

#include <fmt/format.h>

#include "runtime/data_type.h"
#include "runtime/interpreter.h"

namespace litescope::runtime {

std::string NodeLabel(const Node& node) {
  return fmt::format("node {} ({})", node.index, node.op_name);
}

Status ExpectArity(const Node& node, int min_inputs, int max_inputs, int outputs) {
  const int n_in = static_cast<int>(node.inputs.size());
  if (n_in < min_inputs || n_in > max_inputs) {
    if (min_inputs == max_inputs)
      return InvalidModelError(
          fmt::format("{}: has {} inputs; expected {}", NodeLabel(node), n_in, min_inputs));
    return InvalidModelError(fmt::format("{}: has {} inputs; expected {} to {}", NodeLabel(node),
                                         n_in, min_inputs, max_inputs));
  }
  if (static_cast<int>(node.outputs.size()) != outputs)
    return InvalidModelError(fmt::format("{}: has {} outputs; expected {}", NodeLabel(node),
                                         node.outputs.size(), outputs));
  return Status::Ok();
}

Result<Tensor*> RequireInput(KernelContext& ctx, const Node& node, int i) {
  Tensor* t = ctx.input(node, i);
  if (!t) return InvalidModelError(fmt::format("{}: input {} is missing", NodeLabel(node), i));
  return t;
}

Result<Tensor*> RequireOutput(KernelContext& ctx, const Node& node, int i) {
  Tensor* t = ctx.output(node, i);
  if (!t) return InvalidModelError(fmt::format("{}: output {} is missing", NodeLabel(node), i));
  return t;
}

Status TypeError(const Node& node, const char* role, int slot, int tensor_index, const Tensor& t,
                 const char* expected) {
  return UnsupportedTypeError(fmt::format("{}: {} {} (tensor {} '{}') is {}; expected {}",
                                          NodeLabel(node), role, slot, tensor_index, t.name,
                                          DataTypeName(t.type), expected));
}

Status MissingParamsError(const Node& node) {
  return InvalidArgumentError(fmt::format("{}: has no parsed parameters", NodeLabel(node)));
}

void FloatActivationRange(FusedActivation act, float* min, float* max) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  switch (act) {
    case FusedActivation::kRelu:
      *min = 0.f;
      *max = kInf;
      return;
    case FusedActivation::kReluN1To1:
      *min = -1.f;
      *max = 1.f;
      return;
    case FusedActivation::kRelu6:
      *min = 0.f;
      *max = 6.f;
      return;
    default:
      *min = -kInf;
      *max = kInf;
      return;
  }
}

bool ComputeSpatialOutput(int padding, int in, int filter, int stride, int dilation, int* out,
                          int* pad_before) {
  if (stride <= 0 || dilation <= 0 || filter <= 0 || in < 0) return false;
  const int64_t eff = static_cast<int64_t>(filter - 1) * dilation + 1;
  int64_t o;
  if (padding == 0) {  // SAME
    o = (static_cast<int64_t>(in) + stride - 1) / stride;
  } else {  // VALID
    o = (static_cast<int64_t>(in) - eff + stride) / stride;
    if (o < 0) o = 0;
  }
  int64_t total = (o - 1) * stride + eff - in;
  if (total < 0) total = 0;
  if (total > std::numeric_limits<int32_t>::max()) return false;  // padding beyond int
  *out = static_cast<int>(o);
  *pad_before = padding == 0 ? static_cast<int>(total / 2) : 0;
  return true;
}

Status CheckScratchSize(KernelContext& ctx, const Node& node, const char* what, int64_t elements,
                        int64_t element_bytes) {
  const int64_t limit = ctx.interpreter().options().max_arena_bytes;
  if (limit <= 0 || element_bytes <= 0) return Status::Ok();
  if (elements < 0 || elements > limit / element_bytes)
    return OutOfMemoryError(fmt::format("{}: {} of {} x {} bytes exceeds the {} MiB limit",
                                        NodeLabel(node), what, elements, element_bytes,
                                        limit >> 20));
  return Status::Ok();
}

}  // namespace litescope::runtime
