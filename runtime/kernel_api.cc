#include "runtime/kernel_api.h"

namespace litescope::runtime {

Tensor* KernelContext::input(const Node& node, int i) {
  if (i < 0 || static_cast<size_t>(i) >= node.inputs.size()) return nullptr;
  const int t = node.inputs[static_cast<size_t>(i)];
  if (t < 0 || t >= tensor_count()) return nullptr;
  return &tensor(t);
}

Tensor* KernelContext::output(const Node& node, int i) {
  if (i < 0 || static_cast<size_t>(i) >= node.outputs.size()) return nullptr;
  const int t = node.outputs[static_cast<size_t>(i)];
  if (t < 0 || t >= tensor_count()) return nullptr;
  return &tensor(t);
}

}  // namespace litescope::runtime
