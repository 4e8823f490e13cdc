#include "analyzers/cost.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <utility>
#include <variant>

#include "runtime/interpreter.h"
#include "runtime/op_registry.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/subgraph.h"

namespace litescope::analyzers {
namespace {

using runtime::Allocation;
using runtime::Node;
using runtime::Subgraph;
using runtime::Tensor;

// Products and sums of counts saturate at INT64_MAX: a hostile model's shapes must not
// overflow (the loader bounds each tensor, not the work of a node).
int64_t Mul(int64_t a, int64_t b) {
  int64_t r = 0;
  return __builtin_mul_overflow(a, b, &r) ? std::numeric_limits<int64_t>::max() : r;
}
int64_t Add(int64_t a, int64_t b) {
  int64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? std::numeric_limits<int64_t>::max() : r;
}

// Element count of a tensor's shape; 0 when a dimension is unknown or the product overflows.
int64_t Elements(const Tensor& t) {
  int64_t n = 0;
  return t.shape.CheckedFlatSize(&n) ? n : 0;
}

// Bytes a tensor occupies: the file's bytes for constants (sparse or packed data included),
// the bytes of its current shape otherwise.
int64_t TensorBytes(const Tensor& t) {
  if (t.allocation == Allocation::kConstant) return static_cast<int64_t>(t.bytes);
  int64_t bytes = 0;
  return runtime::DataTypeBytes(t.type, Elements(t), &bytes) ? bytes : 0;
}

// Tensor `i` of the node's inputs (or outputs), or nullptr when absent.
const Tensor* InputAt(const Subgraph& sg, const Node& node, size_t i) {
  if (i >= node.inputs.size() || node.inputs[i] < 0) return nullptr;
  return &sg.tensors()[static_cast<size_t>(node.inputs[i])];
}
const Tensor* OutputAt(const Subgraph& sg, const Node& node, size_t i) {
  if (i >= node.outputs.size() || node.outputs[i] < 0) return nullptr;
  return &sg.tensors()[static_cast<size_t>(node.outputs[i])];
}

// Dimension d of a tensor's shape counted from the end (1 = last); 0 when the rank is smaller.
int64_t DimFromEnd(const Tensor* t, int d) {
  if (!t || t->shape.rank() < d) return 0;
  return std::max<int32_t>(0, t->shape.dim(t->shape.rank() - d));
}

struct Work {
  bool counted = false;
  int64_t macs = 0;
  int64_t flops = 0;
};

// A MAC op: 2 operations per MAC, plus one add per output element when a bias is present.
Work MacWork(int64_t macs, int64_t out_elements, bool has_bias) {
  return {true, macs, Add(Mul(2, macs), has_bias ? out_elements : 0)};
}

// Counting rules, documented in docs/cost_analysis.md.
Work CountWork(const Subgraph& sg, const Node& node) {
  const std::string& op = node.op_name;
  const Tensor* out = OutputAt(sg, node, 0);
  const int64_t out_n = out ? Elements(*out) : 0;
  if (op == "CONV_2D") {
    // filter [out_channels, kh, kw, in_channels / groups]
    const Tensor* f = InputAt(sg, node, 1);
    if (!f || f->shape.rank() != 4) return {};
    const int64_t per_output = Mul(Mul(f->shape.dim(1), f->shape.dim(2)), f->shape.dim(3));
    return MacWork(Mul(out_n, per_output), out_n, InputAt(sg, node, 2) != nullptr);
  }
  if (op == "DEPTHWISE_CONV_2D") {
    // filter [1, kh, kw, out_channels]
    const Tensor* f = InputAt(sg, node, 1);
    if (!f || f->shape.rank() != 4) return {};
    const int64_t per_output = Mul(f->shape.dim(1), f->shape.dim(2));
    return MacWork(Mul(out_n, per_output), out_n, InputAt(sg, node, 2) != nullptr);
  }
  if (op == "TRANSPOSE_CONV") {
    // inputs: output_shape, filter [out_channels, kh, kw, in_channels], input, optional bias.
    // Every input element is multiplied into a kh x kw x out_channels patch.
    const Tensor* f = InputAt(sg, node, 1);
    const Tensor* in = InputAt(sg, node, 2);
    if (!f || !in || f->shape.rank() != 4) return {};
    const int64_t per_input = Mul(Mul(f->shape.dim(0), f->shape.dim(1)), f->shape.dim(2));
    return MacWork(Mul(Elements(*in), per_input), out_n, InputAt(sg, node, 3) != nullptr);
  }
  if (op == "FULLY_CONNECTED") {
    // weights [units, depth]: each output element is a dot product of length depth.
    const Tensor* w = InputAt(sg, node, 1);
    if (!w || w->shape.rank() < 2) return {};
    return MacWork(Mul(out_n, DimFromEnd(w, 1)), out_n, InputAt(sg, node, 2) != nullptr);
  }
  if (op == "BATCH_MATMUL") {
    // lhs [..., M, K] (adj_x: [..., K, M]): each output element is a dot product of length K.
    const Tensor* lhs = InputAt(sg, node, 0);
    const auto* o = std::get_if<runtime::BatchMatMulParams>(&node.params);
    const bool adj_x = o && o->adj_x;
    return MacWork(Mul(out_n, DimFromEnd(lhs, adj_x ? 2 : 1)), out_n, false);
  }
  if (op == "AVERAGE_POOL_2D" || op == "MAX_POOL_2D" || op == "L2_POOL_2D") {
    // One operation per window element and output element.
    int64_t window = 0;
    if (const auto* o = std::get_if<runtime::Pool2DParams>(&node.params))
      window = Mul(std::max(0, o->filter_w), std::max(0, o->filter_h));
    return {true, 0, Mul(out_n, window)};
  }
  static const std::set<std::string> kReductions = {
      "MEAN", "SUM", "REDUCE_MAX", "REDUCE_MIN", "REDUCE_PROD", "REDUCE_ANY", "REDUCE_ALL"};
  if (kReductions.count(op)) {
    const Tensor* in = InputAt(sg, node, 0);
    return {true, 0, in ? Elements(*in) : 0};
  }
  static const std::set<std::string> kElementwise = {
      "ADD",      "SUB",          "MUL",         "DIV",        "SQUARED_DIFFERENCE",
      "MAXIMUM",  "MINIMUM",      "POW",         "FLOOR_DIV",  "FLOOR_MOD",
      "ADD_N",    "ABS",          "NEG",         "SQRT",       "RSQRT",
      "EXP",      "LOG",          "SQUARE",      "SIN",        "COS",
      "FLOOR",    "CEIL",         "ROUND",       "SIGN",       "RELU",
      "RELU6",    "RELU_N1_TO_1", "RELU_0_TO_1", "LEAKY_RELU", "PRELU",
      "LOGISTIC", "TANH",         "HARD_SWISH",  "ELU",        "GELU"};
  if (kElementwise.count(op)) {
    int64_t flops = out_n;
    if (op == "ADD_N")
      flops = Mul(out_n, std::max<int64_t>(0, static_cast<int64_t>(node.inputs.size()) - 1));
    return {true, 0, flops};
  }
  return {};
}

NodeCost CostOfNode(const Subgraph& sg, const Node& node) {
  NodeCost c;
  c.subgraph = sg.index();
  c.node = node.index;
  c.op = node.op_name;
  const Work w = CountWork(sg, node);
  c.counted = w.counted;
  c.macs = w.macs;
  c.flops = w.flops;
  for (int t : node.inputs) {
    if (t < 0) continue;
    const Tensor& tensor = sg.tensors()[static_cast<size_t>(t)];
    int64_t& sum = tensor.is_constant() ? c.parameter_bytes : c.activation_bytes;
    sum = Add(sum, TensorBytes(tensor));
  }
  for (int t : node.outputs) {
    if (t < 0) continue;
    const Tensor& tensor = sg.tensors()[static_cast<size_t>(t)];
    if (!tensor.is_constant()) c.activation_bytes = Add(c.activation_bytes, TensorBytes(tensor));
  }
  return c;
}

// Lifetimes as Subgraph::PlanArena assigns them on the CPU (no delegate): subgraph inputs from
// step 0 and, like outputs, until step N; every other tensor from its first to its last use.
ArenaUse ArenaOf(Subgraph& sg) {
  ArenaUse a;
  a.subgraph = sg.index();
  a.arena_bytes = static_cast<int64_t>(sg.arena_bytes());
  a.persistent_bytes = static_cast<int64_t>(sg.persistent_bytes());
  const int end = static_cast<int>(sg.nodes().size());
  const size_t count = sg.tensors().size();
  std::vector<int> first(count, std::numeric_limits<int>::max()), last(count, -1);
  auto use = [&](int t, int step) {
    if (t < 0) return;
    first[static_cast<size_t>(t)] = std::min(first[static_cast<size_t>(t)], step);
    last[static_cast<size_t>(t)] = std::max(last[static_cast<size_t>(t)], step);
  };
  for (int t : sg.inputs()) {
    use(t, 0);
    use(t, end);
  }
  for (const Node& n : sg.nodes())
    for (const std::vector<int>* list : {&n.inputs, &n.outputs, &n.intermediates})
      for (int t : *list) use(t, n.index);
  for (int t : sg.outputs()) use(t, end);

  std::vector<int> placed;
  const uint8_t* base = nullptr;
  for (size_t t = 0; t < count; ++t) {
    const Tensor& tensor = sg.tensors()[t];
    if (tensor.allocation != Allocation::kArena || last[t] < 0 || !tensor.data) continue;
    placed.push_back(static_cast<int>(t));
    const auto* p = static_cast<const uint8_t*>(tensor.data);
    // The planner puts its first (largest) buffer at offset 0, so the lowest address is the
    // arena's start.
    if (!base || p < base) base = p;
  }
  a.arena_tensor_count = static_cast<int64_t>(placed.size());
  for (int step = 0; step <= end; ++step) {
    int64_t live = 0;
    for (int t : placed)
      if (first[static_cast<size_t>(t)] <= step && step <= last[static_cast<size_t>(t)])
        live = Add(live, static_cast<int64_t>(sg.tensors()[static_cast<size_t>(t)].bytes));
    if (live > a.peak_live_bytes) {
      a.peak_live_bytes = live;
      a.peak_step = step;
    }
  }
  for (int t : placed) {
    const size_t i = static_cast<size_t>(t);
    if (first[i] > a.peak_step || a.peak_step > last[i]) continue;
    const Tensor& tensor = sg.tensors()[i];
    a.peak_tensors.push_back(ArenaTensor{t, tensor.name, static_cast<int64_t>(tensor.bytes),
                                         static_cast<const uint8_t*>(tensor.data) - base, first[i],
                                         last[i]});
  }
  std::stable_sort(a.peak_tensors.begin(), a.peak_tensors.end(),
                   [](const ArenaTensor& x, const ArenaTensor& y) { return x.bytes > y.bytes; });
  return a;
}

}  // namespace

Result<CostReport> AnalyzeCost(std::shared_ptr<const runtime::Model> model,
                               const CostOptions& options) {
  if (!model) return InvalidArgumentError("no model");
  Result<std::unique_ptr<runtime::Interpreter>> created =
      runtime::Interpreter::Create(model, runtime::OpRegistry::WithBuiltins(), options.interpreter);
  if (!created.ok()) return created.status();
  runtime::Interpreter& interp = **created;
  CostReport r;
  const Status allocated = interp.AllocateTensors();
  r.allocated = allocated.ok();
  if (!allocated.ok()) r.allocate_error = allocated.message();

  std::map<std::string, OpTypeCost> by_op;
  std::vector<TensorSize> tensors;
  for (int s = 0; s < interp.subgraph_count(); ++s) {
    const Subgraph& sg = *interp.subgraph(s);
    for (const Node& n : sg.nodes()) {
      NodeCost c = CostOfNode(sg, n);
      r.total_macs = Add(r.total_macs, c.macs);
      r.total_flops = Add(r.total_flops, c.flops);
      if (!c.counted) ++r.uncounted_nodes;
      OpTypeCost& t = by_op[c.op];
      t.op = c.op;
      ++t.count;
      t.macs = Add(t.macs, c.macs);
      t.flops = Add(t.flops, c.flops);
      t.parameter_bytes = Add(t.parameter_bytes, c.parameter_bytes);
      t.activation_bytes = Add(t.activation_bytes, c.activation_bytes);
      r.nodes.push_back(std::move(c));
    }
    for (size_t i = 0; i < sg.tensors().size(); ++i) {
      const Tensor& t = sg.tensors()[i];
      const int64_t bytes = TensorBytes(t);
      const bool constant = t.allocation == Allocation::kConstant;
      if (constant) r.parameter_bytes = Add(r.parameter_bytes, bytes);
      if (bytes > 0)
        tensors.push_back(
            TensorSize{s, static_cast<int>(i), t.name, t.type, t.shape.dims(), bytes, constant});
    }
  }
  for (auto& [name, t] : by_op) r.op_types.push_back(std::move(t));
  std::stable_sort(r.op_types.begin(), r.op_types.end(),
                   [](const OpTypeCost& a, const OpTypeCost& b) {
                     if (a.macs != b.macs) return a.macs > b.macs;
                     return a.flops > b.flops;
                   });
  std::stable_sort(tensors.begin(), tensors.end(),
                   [](const TensorSize& a, const TensorSize& b) { return a.bytes > b.bytes; });
  if (options.largest_tensor_count >= 0 &&
      tensors.size() > static_cast<size_t>(options.largest_tensor_count))
    tensors.resize(static_cast<size_t>(options.largest_tensor_count));
  r.largest_tensors = std::move(tensors);
  if (r.allocated) {
    r.has_arena = true;
    r.arena = ArenaOf(interp.primary());
  }
  return r;
}

}  // namespace litescope::analyzers
