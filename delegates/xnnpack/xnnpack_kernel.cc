#include "delegates/xnnpack/xnnpack_kernel.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "delegates/xnnpack/xnnpack_delegate.h"
#include "delegates/xnnpack/xnnpack_ops.h"
#include "runtime/interpreter.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/profiling_hooks.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::delegates {

using runtime::Node;
using runtime::Shape;
using runtime::Tensor;

namespace {

bool IsFoldedDequantize(XnnpackLowering& check, const Node& node) {
  return node.op == static_cast<int32_t>(schema::BuiltinOperator::DEQUANTIZE) &&
         node.outputs.size() == 1 && check.FoldedDequantize(node.outputs[0]) != nullptr;
}

}  // namespace

XnnpackKernel::XnnpackKernel(XnnpackDelegate& delegate, runtime::Subgraph& graph,
                             std::vector<int> nodes)
    : delegate_(delegate), graph_(graph), nodes_(std::move(nodes)) {}

XnnpackKernel::~XnnpackKernel() {
  DropProfiling();
  if (whole_.rt) xnn_delete_runtime(whole_.rt);
}

Result<std::unique_ptr<XnnpackKernel>> XnnpackKernel::Create(XnnpackDelegate& delegate,
                                                             runtime::Subgraph& graph,
                                                             std::vector<int> nodes) {
  std::unique_ptr<XnnpackKernel> k(new XnnpackKernel(delegate, graph, std::move(nodes)));
  LS_RETURN_IF_ERROR(k->Classify());
  LS_RETURN_IF_ERROR(k->Build());
  return k;
}

// Sorts the partition's tensors: inputs (read, not produced here, not static), outputs
// (produced here and read outside or returned) and internal values.
Status XnnpackKernel::Classify() {
  const size_t num_tensors = static_cast<size_t>(graph_.tensor_count());
  const std::vector<Node>& all = graph_.nodes();
  in_partition_.assign(all.size(), false);
  for (int n : nodes_) in_partition_[static_cast<size_t>(n)] = true;
  produced_.assign(num_tensors, false);
  external_.assign(num_tensors, false);
  XnnpackLowering check(graph_);
  std::vector<bool> folded(num_tensors, false);
  for (int n : nodes_) {
    const Node& node = all[static_cast<size_t>(n)];
    const bool fold = IsFoldedDequantize(check, node);
    for (int t : node.outputs)
      if (t >= 0) {
        produced_[static_cast<size_t>(t)] = true;
        folded[static_cast<size_t>(t)] = fold;
      }
  }
  std::vector<bool> read_outside(num_tensors, false);
  for (const Node& node : all)
    if (!in_partition_[static_cast<size_t>(node.index)])
      for (int t : node.inputs)
        if (t >= 0) read_outside[static_cast<size_t>(t)] = true;
  for (int t : graph_.outputs()) read_outside[static_cast<size_t>(t)] = true;
  // A result no node reads still needs storage of its own: XNNPACK leaves an internal value
  // without consumers unallocated and then asserts in xnn_setup_runtime.
  std::vector<bool> read_inside(num_tensors, false);
  for (int n : nodes_)
    for (int t : all[static_cast<size_t>(n)].inputs)
      if (t >= 0) read_inside[static_cast<size_t>(t)] = true;
  for (size_t t = 0; t < num_tensors; ++t)
    if (produced_[t] && !read_inside[t]) read_outside[t] = true;
  for (int n : nodes_) {
    const Node& node = all[static_cast<size_t>(n)];
    if (IsFoldedDequantize(check, node)) continue;  // its constant input is read at build time
    for (int t : node.inputs) {
      if (t < 0 || produced_[static_cast<size_t>(t)] || check.IsStatic(t) ||
          external_[static_cast<size_t>(t)])
        continue;
      external_[static_cast<size_t>(t)] = true;
      inputs_.push_back(t);
    }
  }
  for (size_t t = 0; t < num_tensors; ++t) {
    if (!produced_[t] || !read_outside[t]) continue;
    if (folded[t])
      folded_outputs_.push_back(static_cast<int>(t));  // written by copy, not by XNNPACK
    else
      external_[t] = true;
  }
  for (int n : nodes_)
    if (!IsFoldedDequantize(check, all[static_cast<size_t>(n)])) has_xnn_nodes_ = true;
  return Status::Ok();
}

Status XnnpackKernel::Lower(const std::vector<int>& nodes, const std::vector<bool>& external,
                            bool whole, Runtime* out) {
  XnnpackLowering::Partition local;
  XnnpackLowering::Partition& p = whole ? state_ : local;
  const size_t num_tensors = static_cast<size_t>(graph_.tensor_count());
  if (whole) {
    p.shapes.assign(num_tensors, Shape());
    p.shape_known.assign(num_tensors, false);
  } else {
    p.shapes = state_.shapes;  // per-node runtimes reuse the partition's computed shapes
    p.shape_known = state_.shape_known;
  }
  p.external_id.assign(num_tensors, -1);
  p.keep_alive.clear();
  p.folded = &delegate_.folded();
  uint32_t next_id = 0;
  std::vector<int> order;
  for (size_t t = 0; t < num_tensors; ++t)
    if (external[t]) {
      p.external_id[t] = static_cast<int32_t>(next_id++);
      order.push_back(static_cast<int>(t));
    }
  xnn_subgraph_t sg = nullptr;
  xnn_status s = xnn_create_subgraph(next_id, 0, &sg);
  if (s != xnn_status_success)
    return InternalError(fmt::format("XNNPACK: xnn_create_subgraph failed: {}", XnnStatusName(s)));
  XnnpackLowering lowering(graph_, sg, p, delegate_.options().force_fp16);
  for (int n : nodes) {
    const runtime::SupportResult r =
        XnnpackVisitNode(lowering, graph_.nodes()[static_cast<size_t>(n)]);
    if (!r.supported()) {
      xnn_delete_subgraph(sg);
      return UnsupportedOpError(r.message);
    }
  }
  // XNNPACK allocates the partition's internal values when it creates the runtime: bound
  // their total by the interpreter's arena limit, as the CPU path bounds its tensors (a crafted
  // shape inside a partition would otherwise ask XNNPACK for tens of gigabytes).
  const int64_t limit = graph_.interpreter().options().max_arena_bytes;
  int64_t internal_bytes = 0;
  for (size_t t = 0; limit > 0 && t < num_tensors; ++t) {
    if (external[t] || !produced_[t] || !p.shape_known[t]) continue;
    int64_t bytes = 0;
    int64_t elements = 0;
    if (!p.shapes[t].CheckedFlatSize(&elements) ||
        !runtime::DataTypeBytes(graph_.tensor(static_cast<int>(t)).type, elements, &bytes) ||
        bytes > limit - internal_bytes) {
      xnn_delete_subgraph(sg);
      return OutOfMemoryError(fmt::format(
          "XNNPACK: the values inside the partition (tensor {} {}) exceed the {} MiB limit", t,
          p.shapes[t].ToString(), limit >> 20));
    }
    internal_bytes += bytes;
  }
  xnn_runtime_t rt = nullptr;
  s = xnn_create_runtime_v2(sg, delegate_.threadpool(), delegate_.runtime_flags(), &rt);
  xnn_delete_subgraph(sg);
  if (s != xnn_status_success) {
    std::string what;
    for (int n : nodes) {
      what += what.empty() ? "" : ", ";
      what += runtime::NodeLabel(graph_.nodes()[static_cast<size_t>(n)]);
      if (what.size() > 160) {
        what += ", ...";
        break;
      }
    }
    return UnsupportedOpError(
        fmt::format("XNNPACK: creating the runtime for {} failed: {}", what, XnnStatusName(s)));
  }
  if (out->rt) xnn_delete_runtime(out->rt);
  out->rt = rt;
  out->externals = order;
  out->ids.clear();
  for (int t : order)
    out->ids.push_back(static_cast<uint32_t>(p.external_id[static_cast<size_t>(t)]));
  out->bound.clear();
  out->keep_alive = p.keep_alive;
  return Status::Ok();
}

Status XnnpackKernel::Build() {
  DropProfiling();
  built_shapes_.clear();
  for (int t : inputs_) built_shapes_.push_back(graph_.tensor(t).shape);
  if (!has_xnn_nodes_) {
    // Only folded DEQUANTIZE nodes: nothing for XNNPACK to run; compute their shapes.
    state_.shapes.assign(static_cast<size_t>(graph_.tensor_count()), Shape());
    state_.shape_known.assign(static_cast<size_t>(graph_.tensor_count()), false);
    XnnpackLowering check(graph_);
    for (int n : nodes_) {
      const Node& node = graph_.nodes()[static_cast<size_t>(n)];
      state_.shapes[static_cast<size_t>(node.outputs[0])] = check.shape(node.outputs[0]);
      state_.shape_known[static_cast<size_t>(node.outputs[0])] = true;
    }
    return Status::Ok();
  }
  LS_RETURN_IF_ERROR(Lower(nodes_, external_, /*whole=*/true, &whole_));
  // Folded DEQUANTIZE outputs have the shape of their constant input.
  XnnpackLowering check(graph_);
  for (int n : nodes_) {
    const Node& node = graph_.nodes()[static_cast<size_t>(n)];
    if (!IsFoldedDequantize(check, node)) continue;
    state_.shapes[static_cast<size_t>(node.outputs[0])] = check.shape(node.outputs[0]);
    state_.shape_known[static_cast<size_t>(node.outputs[0])] = true;
  }
  return Status::Ok();
}

void XnnpackKernel::DropProfiling() {
  for (NodeRun& r : per_node_)
    if (r.runtime.rt) xnn_delete_runtime(r.runtime.rt);
  per_node_.clear();
  scratch_.clear();
  profiling_built_ = false;
}

Status XnnpackKernel::BuildProfiling() {
  if (profiling_built_) return Status::Ok();
  const size_t num_tensors = static_cast<size_t>(graph_.tensor_count());
  XnnpackLowering check(graph_);
  // Internal values need storage of their own once every node runs separately.
  scratch_.assign(num_tensors, {});
  for (size_t t = 0; t < num_tensors; ++t) {
    if (!produced_[t] || external_[t] || !state_.shape_known[t]) continue;
    const Tensor& x = graph_.tensor(static_cast<int>(t));
    const int64_t elems = state_.shapes[t].FlatSize();
    scratch_[t].assign(
        static_cast<size_t>(elems) * std::max<size_t>(1, DataTypeSize(x.type)) + XNN_EXTRA_BYTES,
        0);
  }
  std::vector<NodeRun> runs;
  for (int n : nodes_) {
    const Node& node = graph_.nodes()[static_cast<size_t>(n)];
    NodeRun run;
    run.node = n;
    if (!IsFoldedDequantize(check, node)) {
      std::vector<bool> external(num_tensors, false);
      for (int t : node.inputs)
        if (t >= 0 && !check.IsStatic(t)) external[static_cast<size_t>(t)] = true;
      for (int t : node.outputs)
        if (t >= 0) external[static_cast<size_t>(t)] = true;
      Status s = Lower({n}, external, /*whole=*/false, &run.runtime);
      if (!s.ok()) {
        for (NodeRun& r : runs)
          if (r.runtime.rt) xnn_delete_runtime(r.runtime.rt);
        return s;
      }
    }
    runs.push_back(std::move(run));
  }
  per_node_ = std::move(runs);
  profiling_built_ = true;
  return Status::Ok();
}

Status XnnpackKernel::Prepare(runtime::KernelContext& ctx) {
  bool changed = false;
  for (size_t i = 0; i < inputs_.size(); ++i)
    if (graph_.tensor(inputs_[i]).shape != built_shapes_[i]) changed = true;
  if (changed) LS_RETURN_IF_ERROR(Build());
  for (size_t t = 0; t < state_.shape_known.size(); ++t)
    if (produced_[t] && state_.shape_known[t])
      LS_RETURN_IF_ERROR(ctx.ResizeTensor(ctx.tensor(static_cast<int>(t)), state_.shapes[t]));
  // A folded constant is copied out only when a CPU node or the caller reads it (other XNNPACK
  // partitions fold it themselves).
  copies_.clear();
  const std::vector<runtime::NodePlacement>& placement = graph_.placement();
  for (int t : folded_outputs_) {
    bool needed =
        std::find(graph_.outputs().begin(), graph_.outputs().end(), t) != graph_.outputs().end();
    for (const Node& node : graph_.nodes()) {
      if (in_partition_[static_cast<size_t>(node.index)]) continue;
      const bool reads = std::find(node.inputs.begin(), node.inputs.end(), t) != node.inputs.end();
      if (reads && placement[static_cast<size_t>(node.index)].partition < 0) needed = true;
    }
    if (needed) copies_.push_back(t);
  }
  if (ctx.interpreter().profiling_hooks()) LS_RETURN_IF_ERROR(BuildProfiling());
  return Status::Ok();
}

void* XnnpackKernel::Pointer(int tensor) {
  void* data = graph_.tensor(tensor).data;
  if (data) return data;
  const size_t t = static_cast<size_t>(tensor);
  if (t < scratch_.size() && !scratch_[t].empty()) return scratch_[t].data();
  return nullptr;
}

Status XnnpackKernel::Run(Runtime& r) {
  // Re-bind only when a pointer moved (xnn_setup_runtime redoes indirection buffers).
  bool moved = r.bound.size() != r.externals.size();
  for (size_t i = 0; i < r.externals.size() && !moved; ++i)
    moved = Pointer(r.externals[i]) != r.bound[i];
  if (moved) {
    std::vector<xnn_external_value> values(r.externals.size());
    std::vector<void*> pointers(r.externals.size());
    for (size_t i = 0; i < r.externals.size(); ++i) {
      pointers[i] = Pointer(r.externals[i]);
      if (!pointers[i])
        return InternalError(fmt::format("XNNPACK: tensor {} has no storage", r.externals[i]));
      values[i] = {r.ids[i], pointers[i]};
    }
    const xnn_status s = xnn_setup_runtime(r.rt, values.size(), values.data());
    if (s != xnn_status_success)
      return InternalError(fmt::format("XNNPACK: xnn_setup_runtime failed: {}", XnnStatusName(s)));
    r.bound = std::move(pointers);
  }
  const xnn_status s = xnn_invoke_runtime(r.rt);
  if (s != xnn_status_success)
    return InternalError(fmt::format("XNNPACK: xnn_invoke_runtime failed: {}", XnnStatusName(s)));
  return Status::Ok();
}

Status XnnpackKernel::CopyFolded(int node) {
  const Node& n = graph_.nodes()[static_cast<size_t>(node)];
  for (int t : n.outputs) {
    if (std::find(copies_.begin(), copies_.end(), t) == copies_.end()) continue;
    Result<std::shared_ptr<const std::vector<float>>> values = delegate_.folded().Get(graph_, n);
    if (!values.ok()) return values.status();
    Tensor& out = graph_.tensor(t);
    const size_t bytes = (*values)->size() * sizeof(float);
    if (!out.data || out.bytes < bytes)
      return InternalError(fmt::format("XNNPACK: {}: output tensor {} has no room for {} bytes",
                                       runtime::NodeLabel(n), t, bytes));
    std::memcpy(out.data, (*values)->data(), bytes);
  }
  return Status::Ok();
}

Status XnnpackKernel::Eval(runtime::KernelContext& ctx) {
  runtime::ProfilingHooks* hooks = ctx.interpreter().profiling_hooks();
  if (hooks && hooks->WantsDelegateOpBreakdown()) {
    LS_RETURN_IF_ERROR(BuildProfiling());
    for (NodeRun& run : per_node_) {
      const Node& node = graph_.nodes()[static_cast<size_t>(run.node)];
      runtime::ScopedEvent ev(hooks, runtime::EventKind::kDelegateOp, node.op_name.c_str(),
                              ctx.subgraph_index(), node.index);
      if (run.runtime.rt) {
        LS_RETURN_IF_ERROR(Run(run.runtime));
      } else {
        LS_RETURN_IF_ERROR(CopyFolded(run.node));
      }
    }
    return Status::Ok();
  }
  if (has_xnn_nodes_) LS_RETURN_IF_ERROR(Run(whole_));
  if (!copies_.empty())
    for (int n : nodes_) LS_RETURN_IF_ERROR(CopyFolded(n));
  return Status::Ok();
}

}  // namespace litescope::delegates
