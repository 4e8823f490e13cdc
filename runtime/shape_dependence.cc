#include "runtime/shape_dependence.h"

#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

// The pass behind both entry points; stops after the producer of `stop_at` (>= 0).
std::vector<int> Sources(const Subgraph& g, int stop_at) {
  const std::vector<Tensor>& tensors = g.tensors();
  const int count = static_cast<int>(tensors.size());
  auto variable = [&](int t) {
    return t >= 0 && t < count && !tensors[static_cast<size_t>(t)].is_constant();
  };
  std::vector<int> source(tensors.size(), -1);
  for (const Node& n : g.nodes()) {
    int found = -1;
    for (int slot : ShapeDecidingInputs(n.op))
      for (size_t i = 0; found < 0 && i < n.inputs.size(); ++i)
        if ((slot < 0 || static_cast<size_t>(slot) == i) && variable(n.inputs[i])) found = n.index;
    for (size_t i = 0; found < 0 && i < n.inputs.size(); ++i)
      if (n.inputs[i] >= 0 && n.inputs[i] < count) found = source[static_cast<size_t>(n.inputs[i])];
    bool produces_stop = false;
    for (int o : n.outputs)
      if (o >= 0 && o < count) {
        source[static_cast<size_t>(o)] = found;
        produces_stop = produces_stop || o == stop_at;
      }
    if (produces_stop) break;
  }
  return source;
}

}  // namespace

std::vector<int> ShapeDecidingInputs(int op) {
  using Op = schema::BuiltinOperator;
  switch (static_cast<Op>(op)) {
    case Op::READ_VARIABLE:
    case Op::WHILE:
    case Op::IF:
    case Op::RANGE:
      return {-1};
    case Op::FILL:
    case Op::TRANSPOSE_CONV:
    case Op::SPLIT:
      return {0};
    case Op::RESHAPE:
    case Op::PAD:
    case Op::PADV2:
    case Op::MIRROR_PAD:
    case Op::TRANSPOSE:
    case Op::TILE:
    case Op::BROADCAST_TO:
    case Op::RESIZE_BILINEAR:
    case Op::RESIZE_NEAREST_NEIGHBOR:
    case Op::MEAN:
    case Op::SUM:
    case Op::REDUCE_MAX:
    case Op::REDUCE_MIN:
    case Op::REDUCE_PROD:
    case Op::REDUCE_ANY:
    case Op::REDUCE_ALL:
    case Op::EXPAND_DIMS:
    case Op::ARG_MAX:
    case Op::ARG_MIN:
    case Op::TOPK_V2:
    case Op::RFFT2D:
      return {1};
    case Op::SLICE:
    case Op::SPLIT_V:
      return {1, 2};
    case Op::STRIDED_SLICE:
      return {1, 2, 3};
    default:
      return {};
  }
}

std::vector<int> DynamicShapeSources(const Subgraph& g) { return Sources(g, -1); }

int DynamicShapeSource(const Subgraph& g, int tensor) {
  if (tensor < 0 || tensor >= static_cast<int>(g.tensors().size()) ||
      g.tensors()[static_cast<size_t>(tensor)].is_constant())
    return -1;
  return Sources(g, tensor)[static_cast<size_t>(tensor)];
}

}  // namespace litescope::runtime
