#include "runtime/subgraph.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <limits>
#include <new>

#include <fmt/format.h>

#include "runtime/arena_planner.h"
#include "runtime/interpreter.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

constexpr size_t kAlignment = 64;

// Storage bytes for a tensor of `shape`; resource and variant tensors hold a 4-byte id. The
// dimensions (also the non-zero ones of an empty tensor) must multiply to at most 2^59, so that
// kernels can turn any product of them into a byte count.
bool TensorBytes(DataType type, const Shape& shape, int64_t* bytes) {
  int64_t n = 0;
  if (!shape.CheckedFlatSize(&n, std::numeric_limits<int64_t>::max() / 16)) return false;
  if (type == DataType::kResource || type == DataType::kVariant) {
    *bytes = n * 4;
    return true;
  }
  return DataTypeBytes(type, n, bytes);
}

// Kernels name their node in their errors; errors from shared code (ResizeTensor, a callee
// subgraph) get the node's label in front, so every message says which node failed.
Status WithNodeLabel(Status status, const Node& node) {
  if (status.ok() || status.message().rfind("node ", 0) == 0) return status;
  return status.WithContext(NodeLabel(node));
}

// The kernel API's exception boundary: kernels and delegate kernels report errors as Status,
// but an allocation (std::vector, a delegate library) can throw, and so can a kernel's own
// code. Whatever escapes Prepare or Eval becomes a Status here, with the node named (the label
// is built only then: this runs for every node of every Invoke).
template <typename Label, typename Call>
Status Guarded(const char* phase, const Label& label, Call&& call) noexcept {
  try {
    return call();
  } catch (const std::bad_alloc&) {
    return OutOfMemoryError(fmt::format("{}: out of memory in {}", label(), phase));
  } catch (const std::exception& e) {
    return InternalError(fmt::format("{}: {} threw: {}", label(), phase, e.what()));
  } catch (...) {
    return InternalError(fmt::format("{}: {} threw an unknown exception", label(), phase));
  }
}

// Graph order check, before delegation and before every allocation: one writer per tensor, and
// every non-constant input produced earlier, a subgraph input, a variable, or never written
// (then it reads as zeros); a node reading its own output or a later one's (a cycle) fails.
Status CheckGraphOrder(const std::vector<Node>& nodes, const std::vector<Tensor>& tensors) {
  std::vector<int> producer(tensors.size(), -1);
  for (const Node& n : nodes)
    for (int t : n.outputs)
      if (t >= 0) {
        if (producer[static_cast<size_t>(t)] != -1)
          return InvalidModelError(fmt::format("tensor {} '{}' is written by nodes {} and {}", t,
                                               tensors[static_cast<size_t>(t)].name,
                                               producer[static_cast<size_t>(t)], n.index));
        producer[static_cast<size_t>(t)] = n.index;
      }
  for (const Node& n : nodes)
    for (int t : n.inputs) {
      if (t < 0 || producer[static_cast<size_t>(t)] < n.index) continue;
      if (producer[static_cast<size_t>(t)] == n.index)
        return InvalidModelError(
            fmt::format("{}: tensor {} is both an input and an output", NodeLabel(n), t));
      return InvalidModelError(fmt::format(
          "{}: input tensor {} is produced by node {}, which runs later (cycle or unsorted "
          "graph)",
          NodeLabel(n), t, producer[static_cast<size_t>(t)]));
    }
  return Status::Ok();
}

void* AlignedAlloc(size_t bytes) {
  const size_t rounded = (std::max<size_t>(bytes, 1) + kAlignment - 1) / kAlignment * kAlignment;
  return std::aligned_alloc(kAlignment, rounded);
}

}  // namespace

Subgraph::Subgraph(Interpreter* interpreter, int index, const Model& model,
                   const OpRegistry& registry)
    : registry_(registry), interpreter_(interpreter), index_(index), model_(model) {}

Subgraph::~Subgraph() {
  std::free(arena_);
  for (HeapBlock& h : heap_) std::free(h.ptr);
}

const schema::Tensor* Subgraph::model_tensor(int i) const {
  if (!fb_ || !fb_->tensors() || i < 0 || static_cast<uint32_t>(i) >= fb_->tensors()->size())
    return nullptr;
  return fb_->tensors()->Get(static_cast<uint32_t>(i));
}

Status Subgraph::Build() {
  fb_ = model_.fb()->subgraphs()->Get(static_cast<uint32_t>(index_));
  name_ = fb_->name() ? fb_->name()->str() : std::string();
  const uint32_t num_tensors = fb_->tensors() ? fb_->tensors()->size() : 0;
  tensors_.resize(num_tensors);
  dynamic_.assign(num_tensors, false);
  heap_.assign(num_tensors, HeapBlock{});
  for (uint32_t i = 0; i < num_tensors; ++i)
    LS_RETURN_IF_ERROR(BuildTensor(static_cast<int>(i), *fb_->tensors()->Get(i)));
  if (fb_->inputs()) inputs_.assign(fb_->inputs()->begin(), fb_->inputs()->end());
  if (fb_->outputs()) outputs_.assign(fb_->outputs()->begin(), fb_->outputs()->end());

  const uint32_t num_ops = fb_->operators() ? fb_->operators()->size() : 0;
  nodes_.resize(num_ops);
  deferred_.assign(num_ops, false);
  placement_.assign(num_ops, NodePlacement{});
  node_partition_.assign(num_ops, -1);
  delegate_owned_.assign(num_tensors, false);
  for (uint32_t i = 0; i < num_ops; ++i) {
    const schema::Operator* op = fb_->operators()->Get(i);
    Node& n = nodes_[i];
    const OpCodeInfo& code = model_.op_codes()[op->opcode_index()];
    n.index = static_cast<int>(i);
    n.op = code.builtin;
    n.op_name = code.name;
    n.version = code.version;
    n.fb = op;
    if (op->inputs()) n.inputs.assign(op->inputs()->begin(), op->inputs()->end());
    if (op->outputs()) n.outputs.assign(op->outputs()->begin(), op->outputs()->end());
    if (op->intermediates())
      n.intermediates.assign(op->intermediates()->begin(), op->intermediates()->end());
    n.kernel = registry_.Lookup(code.builtin, code.custom_code);
    // A parse error is kept for Prepare, so a bad option fails where it always has (at
    // AllocateTensors, naming the node) and a delegate can decline the node first.
    Result<OpParams> params = ParseOpParams(n);
    if (params.ok())
      n.params = std::move(*params);
    else
      n.params_error = params.status();
  }
  return Status::Ok();
}

Status Subgraph::BuildTensor(int i, const schema::Tensor& t) {
  Tensor& out = tensors_[static_cast<size_t>(i)];
  out.name = t.name() ? t.name()->str() : std::string();
  out.type = static_cast<DataType>(t.type());
  if (t.shape()) out.shape = Shape(std::vector<int32_t>(t.shape()->begin(), t.shape()->end()));
  if (t.shape_signature())
    out.shape_signature =
        Shape(std::vector<int32_t>(t.shape_signature()->begin(), t.shape_signature()->end()));
  else
    out.shape_signature = out.shape;
  out.is_variable = t.is_variable();
  out.buffer = static_cast<int>(t.buffer());
  if (const auto* q = t.quantization()) {
    if (q->scale()) out.quant.scale.assign(q->scale()->begin(), q->scale()->end());
    if (q->zero_point())
      out.quant.zero_point.assign(q->zero_point()->begin(), q->zero_point()->end());
    if (out.quant.zero_point.empty() && !out.quant.scale.empty())
      out.quant.zero_point.assign(out.quant.scale.size(), 0);
    out.quant.quantized_dimension = q->quantized_dimension();
    // The loader accepted an axis beyond the rank only where it cannot matter or where the
    // tensor is rank 1 (TFLite Micro's person_detect): the only axis is meant.
    if (out.quant.quantized_dimension >= out.shape.rank()) out.quant.quantized_dimension = 0;
  }
  const Model::Bytes data = model_.BufferData(out.buffer);
  if (data.size > 0 && !out.is_variable) {
    out.allocation = Allocation::kConstant;
    out.bytes = data.size;
    const size_t elem = std::max<size_t>(1, std::min<size_t>(8, DataTypeSize(out.type)));
    if (reinterpret_cast<uintptr_t>(data.data) % elem == 0) {
      out.data = const_cast<uint8_t*>(data.data);  // read-only by contract: kConstant
    } else {
      // Misaligned constant data (old converters): one aligned copy, so kernels read it
      // without undefined behaviour.
      HeapBlock& h = heap_[static_cast<size_t>(i)];
      h.ptr = AlignedAlloc(data.size);
      if (!h.ptr) return OutOfMemoryError(fmt::format("tensor {}: cannot copy constant", i));
      h.bytes = data.size;
      std::memcpy(h.ptr, data.data, data.size);
      out.data = h.ptr;
    }
  }
  return Status::Ok();
}

ProfilingHooks* Subgraph::hooks() const { return interpreter_->profiling_hooks(); }
int Subgraph::num_threads() const { return interpreter_->thread_pool().num_threads(); }
ThreadPool& Subgraph::thread_pool() { return interpreter_->thread_pool(); }
Subgraph* Subgraph::subgraph(int index) { return interpreter_->subgraph(index); }
int Subgraph::subgraph_count() const { return interpreter_->subgraph_count(); }

Status Subgraph::ResizeInput(int i, const Shape& shape) {
  if (i < 0 || static_cast<size_t>(i) >= inputs_.size())
    return InvalidArgumentError(
        fmt::format("input {} out of range ({} inputs)", i, inputs_.size()));
  for (int32_t d : shape.dims())
    if (d < 0)
      return InvalidArgumentError(
          fmt::format("input {}: negative dimension in {}", i, shape.ToString()));
  Tensor& t = tensors_[static_cast<size_t>(inputs_[static_cast<size_t>(i)])];
  if (t.is_constant()) return InvalidArgumentError(fmt::format("input {} is constant", i));
  int64_t bytes = 0;
  if (!TensorBytes(t.type, shape, &bytes))
    return InvalidArgumentError(
        fmt::format("input {}: shape {} is too large", i, shape.ToString()));
  if (t.shape != shape) {
    t.shape = shape;
    allocated_ = false;
  }
  return Status::Ok();
}

Status Subgraph::ApplyDelegate(Delegate& delegate, const DelegateOptions& options) {
  // Delegates build their graphs from the nodes: a cycle or a double writer must not reach them.
  LS_RETURN_IF_ERROR(CheckGraphOrder(nodes_, tensors_));
  // Nodes an earlier delegate took are not this one's to see: they end every run of candidates.
  std::vector<bool> taken(nodes_.size(), false);
  std::vector<SupportResult> verdicts;
  verdicts.reserve(nodes_.size());
  for (const Node& n : nodes_) {
    taken[static_cast<size_t>(n.index)] = node_partition_[static_cast<size_t>(n.index)] >= 0;
    verdicts.push_back(taken[static_cast<size_t>(n.index)]
                           ? SupportResult::No(SupportCode::kUnsupportedOp, "")
                           : delegate.CheckNode(*this, n));
  }
  std::vector<std::vector<int>> groups = FormPartitions(verdicts, options);
  auto refuse = [&](size_t i, SupportCode code, const std::string& reason) {
    NodePlacement& pl = placement_[i];
    // The first refusal is the node's reason: with one delegate, its verdict.
    if (pl.refusals.empty()) {
      pl.code = code;
      pl.reason = reason;
    }
    pl.refusals.push_back(Refusal{delegate.name(), code, reason});
  };
  std::vector<bool> grouped(nodes_.size(), false);
  for (std::vector<int>& nodes : groups) {
    Result<std::unique_ptr<DelegateKernel>> kernel = delegate.CreateKernel(*this, nodes);
    if (!kernel.ok()) {
      for (int n : nodes) {
        grouped[static_cast<size_t>(n)] = true;
        refuse(static_cast<size_t>(n), SupportCode::kDelegateError, kernel.status().message());
      }
      continue;
    }
    const int p = static_cast<int>(partitions_.size());
    for (int n : nodes) {
      grouped[static_cast<size_t>(n)] = true;
      NodePlacement& pl = placement_[static_cast<size_t>(n)];
      node_partition_[static_cast<size_t>(n)] = p;
      pl.backend = delegate.name();
      pl.partition = p;
      pl.code = SupportCode::kSupported;
      pl.reason.clear();
    }
    partitions_.push_back(Partition{delegate.name(), std::move(nodes)});
    delegate_kernels_.push_back(std::move(kernel.value()));
  }
  for (size_t i = 0; i < nodes_.size(); ++i)
    if (!taken[i] && !grouped[i]) refuse(i, verdicts[i].code, verdicts[i].message);
  // Tensors made and used only inside one partition never reach the arena: the delegate keeps
  // them internally.
  std::vector<int> producer_part(tensors_.size(), -2), consumer_part(tensors_.size(), -2);
  auto mark = [](int& slot, int part) { slot = (slot == -2 || slot == part) ? part : -1; };
  for (const Node& n : nodes_) {
    const int part = node_partition_[static_cast<size_t>(n.index)];
    for (int t : n.outputs)
      if (t >= 0) mark(producer_part[static_cast<size_t>(t)], part);
    for (int t : n.inputs)
      if (t >= 0) mark(consumer_part[static_cast<size_t>(t)], part);
  }
  for (int t : outputs_) consumer_part[static_cast<size_t>(t)] = -1;
  // A result that nothing reads keeps its storage: delegates may still write it.
  for (size_t t = 0; t < tensors_.size(); ++t)
    delegate_owned_[t] = producer_part[t] >= 0 && consumer_part[t] == producer_part[t];
  allocated_ = false;
  return Status::Ok();
}

Status Subgraph::AllocateHeap(int tensor_index, size_t bytes, Allocation kind) {
  HeapBlock& h = heap_[static_cast<size_t>(tensor_index)];
  Tensor& t = tensors_[static_cast<size_t>(tensor_index)];
  if (!h.ptr || h.bytes < bytes) {
    std::free(h.ptr);
    h.ptr = AlignedAlloc(bytes);
    h.bytes = h.ptr ? bytes : 0;
    if (!h.ptr)
      return OutOfMemoryError(
          fmt::format("tensor {} '{}': cannot allocate {} bytes", tensor_index, t.name, bytes));
    std::memset(h.ptr, 0, bytes);
    // TFLite starts an int8 variable (e.g. an LSTM output state) at its zero point: real 0.
    if (kind == Allocation::kPersistent && t.type == DataType::kInt8 && !t.quant.zero_point.empty())
      std::memset(h.ptr, static_cast<int>(static_cast<uint8_t>(t.quant.zero_point[0])), bytes);
  }
  t.data = h.ptr;
  t.bytes = bytes;
  t.allocation = kind;
  return Status::Ok();
}

Status Subgraph::ResizeTensor(Tensor& tensor, const Shape& shape) {
  const ptrdiff_t idx = &tensor - tensors_.data();
  if (idx < 0 || idx >= static_cast<ptrdiff_t>(tensors_.size()))
    return InternalError("ResizeTensor on a tensor of another subgraph");
  if (tensor.is_constant())
    return InvalidModelError(
        fmt::format("tensor {} '{}' is constant and cannot be resized", idx, tensor.name));
  int64_t bytes = 0;
  if (!TensorBytes(tensor.type, shape, &bytes))
    return InvalidModelError(fmt::format("tensor {} '{}': shape {} of {} is invalid or too large",
                                         idx, tensor.name, shape.ToString(),
                                         DataTypeName(tensor.type)));
  const int64_t limit = interpreter_->options().max_arena_bytes;
  if (limit > 0 && bytes > limit)
    return OutOfMemoryError(fmt::format("tensor {} '{}': {} bytes exceed the {} MiB limit", idx,
                                        tensor.name, bytes, limit >> 20));
  tensor.shape = shape;
  if (dynamic_[static_cast<size_t>(idx)] || tensor.is_variable)
    return AllocateHeap(static_cast<int>(idx), static_cast<size_t>(bytes),
                        tensor.is_variable ? Allocation::kPersistent : Allocation::kDynamic);
  if (in_eval_) {
    if (static_cast<size_t>(bytes) > tensor.bytes)
      return InternalError(
          fmt::format("tensor {} '{}' grew at run time but is not dynamic", idx, tensor.name));
    return Status::Ok();
  }
  tensor.bytes = static_cast<size_t>(bytes);
  return Status::Ok();
}

Status Subgraph::FoldToConstant(Tensor& tensor, const Shape& shape) {
  const ptrdiff_t idx = &tensor - tensors_.data();
  if (idx < 0 || idx >= static_cast<ptrdiff_t>(tensors_.size()))
    return InternalError("FoldToConstant on a tensor of another subgraph");
  if (in_eval_ || tensor.allocation == Allocation::kConstant || tensor.is_variable)
    return InternalError(fmt::format("tensor {} '{}' cannot be folded", idx, tensor.name));
  int64_t bytes = 0;
  if (!TensorBytes(tensor.type, shape, &bytes))
    return InvalidModelError(fmt::format("tensor {} '{}': shape {} is invalid or too large", idx,
                                         tensor.name, shape.ToString()));
  const int64_t limit = interpreter_->options().max_arena_bytes;
  if (limit > 0 && bytes > limit)
    return OutOfMemoryError(fmt::format("tensor {} '{}': {} bytes exceed the {} MiB limit", idx,
                                        tensor.name, bytes, limit >> 20));
  tensor.shape = shape;
  return AllocateHeap(static_cast<int>(idx), static_cast<size_t>(bytes), Allocation::kFolded);
}

void Subgraph::SetDynamic(Tensor& tensor) {
  const ptrdiff_t idx = &tensor - tensors_.data();
  if (idx < 0 || idx >= static_cast<ptrdiff_t>(tensors_.size()) || tensor.is_constant()) return;
  dynamic_[static_cast<size_t>(idx)] = true;
  if (tensor.allocation != Allocation::kDynamic) {
    tensor.data = nullptr;
    tensor.allocation = Allocation::kDynamic;
  }
}

Status Subgraph::PrepareNode(Node& node) {
  if (!node.kernel) {
    Result<const KernelRegistration*> k = registry_.Find(node.op, node.op_name, node.version);
    return k.status().WithContext(NodeLabel(node));
  }
  if (node.version < node.kernel->min_version || node.version > node.kernel->max_version)
    return UnsupportedOpError(fmt::format(
        "{}: op version {} is not supported (litescope serves "
        "versions {} to {})",
        NodeLabel(node), node.version, node.kernel->min_version, node.kernel->max_version));
  for (int t : node.outputs) {
    if (t < 0) continue;
    Tensor& o = tensors_[static_cast<size_t>(t)];
    if (o.allocation == Allocation::kConstant)
      return InvalidModelError(
          fmt::format("{}: output tensor {} '{}' is a constant", NodeLabel(node), t, o.name));
    for (int in : node.inputs)
      if (in == t)
        return InvalidModelError(
            fmt::format("{}: tensor {} is both an input and an output", NodeLabel(node), t));
  }
  ScopedEvent ev(hooks(), EventKind::kPrepare, node.op_name.c_str(), index_, node.index);
  auto label = [&] { return NodeLabel(node); };
  return WithNodeLabel(Guarded("Prepare", label, [&] { return node.kernel->prepare(*this, node); }),
                       node);
}

Status Subgraph::AllocateTensors() {
  if (preparing_)
    return InvalidModelError(
        fmt::format("subgraph {} is reached recursively through control-flow "
                    "ops",
                    index_));
  preparing_ = true;
  allocated_ = false;
  in_eval_ = false;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{preparing_};

  LS_RETURN_IF_ERROR(CheckGraphOrder(nodes_, tensors_));

  for (size_t t = 0; t < tensors_.size(); ++t) {
    Tensor& tensor = tensors_[t];
    if (tensor.allocation == Allocation::kConstant) continue;
    if (tensor.allocation == Allocation::kArena || tensor.allocation == Allocation::kFolded) {
      tensor.data = nullptr;
      tensor.allocation = Allocation::kNone;
    }
    if (tensor.is_variable && tensor.allocation != Allocation::kPersistent)
      LS_RETURN_IF_ERROR(ResizeTensor(tensor, tensor.shape));
  }
  std::fill(dynamic_.begin(), dynamic_.end(), false);
  std::fill(deferred_.begin(), deferred_.end(), false);
  for (size_t t = 0; t < tensors_.size(); ++t)
    if (tensors_[t].allocation == Allocation::kDynamic) tensors_[t].allocation = Allocation::kNone;

  for (Node& node : nodes_) {
    bool defer = false;
    for (int t : node.inputs)
      if (t >= 0 && dynamic_[static_cast<size_t>(t)]) defer = true;
    const int part = node_partition_[static_cast<size_t>(node.index)];
    if (part >= 0) {
      const Partition& p = partitions_[static_cast<size_t>(part)];
      if (node.index != p.nodes.front()) continue;
      if (defer)
        return UnsupportedOpError(fmt::format(
            "{}: a {} partition is fed by a tensor whose shape is known only at run time",
            NodeLabel(node), p.backend));
      ScopedEvent ev(hooks(), EventKind::kPrepare, p.backend.c_str(), index_, node.index);
      auto label = [&] { return fmt::format("{} partition {}", p.backend, part); };
      DelegateKernel& kernel = *delegate_kernels_[static_cast<size_t>(part)];
      LS_RETURN_IF_ERROR(Guarded("Prepare", label, [&] { return kernel.Prepare(*this); }));
      continue;
    }
    if (defer) {
      // Shapes are known only at run time: Prepare runs right before Eval.
      if (!node.kernel) LS_RETURN_IF_ERROR(PrepareNode(node));  // reports the missing kernel
      deferred_[static_cast<size_t>(node.index)] = true;
      for (int t : node.outputs)
        if (t >= 0) SetDynamic(tensors_[static_cast<size_t>(t)]);
      continue;
    }
    LS_RETURN_IF_ERROR(PrepareNode(node));
  }
  LS_RETURN_IF_ERROR(PlanArena());
  allocated_ = true;
  return Status::Ok();
}

Status Subgraph::PlanArena() {
  ScopedEvent ev(hooks(), EventKind::kAllocate, "AllocateTensors", index_, -1);
  const int end = static_cast<int>(nodes_.size());
  std::vector<int> first(tensors_.size(), std::numeric_limits<int>::max());
  std::vector<int> last(tensors_.size(), -1);
  auto use = [&](int t, int step) {
    if (t < 0) return;
    first[static_cast<size_t>(t)] = std::min(first[static_cast<size_t>(t)], step);
    last[static_cast<size_t>(t)] = std::max(last[static_cast<size_t>(t)], step);
  };
  // Inputs and outputs stay valid for the whole run (callers fill inputs once and read outputs
  // after Invoke).
  for (int t : inputs_) {
    use(t, 0);
    use(t, end);
  }
  for (const Node& n : nodes_) {
    // A partition runs all its nodes in one step: its tensors live across the whole range.
    int lo = n.index, hi = n.index;
    const int part = node_partition_[static_cast<size_t>(n.index)];
    if (part >= 0) {
      lo = partitions_[static_cast<size_t>(part)].nodes.front();
      hi = partitions_[static_cast<size_t>(part)].nodes.back();
    }
    for (const std::vector<int>* list : {&n.inputs, &n.outputs, &n.intermediates})
      for (int t : *list) {
        use(t, lo);
        use(t, hi);
      }
  }
  for (int t : outputs_) {
    use(t, end);
  }
  ArenaPlanner planner(kAlignment);
  std::vector<int> ids(tensors_.size(), -1);
  for (size_t t = 0; t < tensors_.size(); ++t) {
    Tensor& tensor = tensors_[t];
    if (tensor.is_constant() || tensor.is_variable || dynamic_[t] || last[t] < 0 ||
        delegate_owned_[t])
      continue;
    int64_t bytes = 0;
    if (!TensorBytes(tensor.type, tensor.shape, &bytes))
      return UnsupportedTypeError(fmt::format("tensor {} '{}' of type {} cannot be planned", t,
                                              tensor.name, DataTypeName(tensor.type)));
    tensor.bytes = static_cast<size_t>(bytes);
    ids[t] = planner.Add(tensor.bytes, first[t], last[t]);
  }
  LS_RETURN_IF_ERROR(planner.Plan());
  const int64_t limit = interpreter_->options().max_arena_bytes;
  if (limit > 0 && planner.total_bytes() > static_cast<uint64_t>(limit))
    return OutOfMemoryError(fmt::format("subgraph {} needs a {}-byte arena, above the {} MiB limit",
                                        index_, planner.total_bytes(), limit >> 20));
  if (planner.total_bytes() > arena_capacity_ || !arena_) {
    std::free(arena_);
    arena_capacity_ = 0;
    // Slack past the last tensor: vectorized kernels (delegates' among them) may read up to a
    // vector's width beyond the end of an input.
    arena_ = AlignedAlloc(planner.total_bytes() + kAlignment);
    if (!arena_)
      return OutOfMemoryError(
          fmt::format("cannot allocate a {}-byte arena", planner.total_bytes()));
    arena_capacity_ = planner.total_bytes();
    std::memset(arena_, 0, planner.total_bytes() + kAlignment);
  }
  arena_bytes_ = planner.total_bytes();
  for (size_t t = 0; t < tensors_.size(); ++t) {
    if (ids[t] < 0) continue;
    tensors_[t].data = static_cast<uint8_t*>(arena_) + planner.offset(ids[t]);
    tensors_[t].allocation = Allocation::kArena;
  }
  return Status::Ok();
}

size_t Subgraph::persistent_bytes() const {
  size_t total = 0;
  for (const HeapBlock& h : heap_) total += h.bytes;
  return total;
}

Status Subgraph::Invoke() {
  if (!allocated_)
    return InvalidArgumentError(
        fmt::format("subgraph {}: AllocateTensors() must succeed before "
                    "Invoke()",
                    index_));
  if (invoking_)
    return InvalidModelError(fmt::format("subgraph {} is invoked recursively", index_));
  // Restored however the loop ends.
  struct Restore {
    bool& invoking;
    bool& in_eval;
    bool outer_eval;
    ~Restore() {
      in_eval = outer_eval;
      invoking = false;
    }
  } restore{invoking_, in_eval_, in_eval_};
  invoking_ = true;
  in_eval_ = true;
  Status status;
  ProfilingHooks* h = hooks();
  for (Node& node : nodes_) {
    const int part = node_partition_[static_cast<size_t>(node.index)];
    if (part >= 0) {
      const Partition& p = partitions_[static_cast<size_t>(part)];
      if (node.index != p.nodes.front()) continue;
      // node = -1 - partition marks a whole-partition event; the delegate reports its nodes
      // as kDelegateOp events.
      ScopedEvent ev(h, EventKind::kInvoke, p.backend.c_str(), index_, -1 - part);
      auto label = [&] { return fmt::format("{} partition {}", p.backend, part); };
      DelegateKernel& kernel = *delegate_kernels_[static_cast<size_t>(part)];
      status = Guarded("Eval", label, [&] { return kernel.Eval(*this); });
      if (!status.ok()) break;
      continue;
    }
    ScopedEvent ev(h, EventKind::kInvoke, node.op_name.c_str(), index_, node.index);
    auto label = [&] { return NodeLabel(node); };
    if (deferred_[static_cast<size_t>(node.index)]) {
      status = WithNodeLabel(
          Guarded("Prepare", label, [&] { return node.kernel->prepare(*this, node); }), node);
      if (!status.ok()) break;
    }
    status =
        WithNodeLabel(Guarded("Eval", label, [&] { return node.kernel->eval(*this, node); }), node);
    if (!status.ok()) break;
  }
  return status;
}

}  // namespace litescope::runtime
