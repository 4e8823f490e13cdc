#include "analyzers/compatibility.h"

#include <algorithm>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "runtime/interpreter.h"
#include "runtime/op_registry.h"
#include "runtime/subgraph.h"

namespace litescope::analyzers {
namespace {

using runtime::Interpreter;
using runtime::Node;
using runtime::Subgraph;
using runtime::SupportCode;

constexpr char kFlexPrefix[] = "Flex";

std::string Label(const Node& node) {
  return fmt::format("node {} ({})", node.index, node.op_name);
}

// Bytes of a tensor's current shape; 0 when the shape is unknown (negative dimensions).
int64_t ShapeBytes(const runtime::Tensor& t) {
  int64_t elements = 0, bytes = 0;
  if (!t.shape.CheckedFlatSize(&elements)) return 0;
  if (!runtime::DataTypeBytes(t.type, elements, &bytes)) return 0;
  return bytes;
}

// The CPU verdict: the same lookup Subgraph::Build made (node.kernel) and the same version
// check and message Subgraph::PrepareNode applies before it calls the kernel.
NodeVerdict CpuVerdict(const runtime::OpRegistry& registry, const Node& node) {
  NodeVerdict v;
  v.node = node.index;
  v.op = node.op_name;
  v.version = node.version;
  const bool custom = node.op == runtime::kCustomOpCode;
  if (!node.kernel) {
    if (custom && node.op_name.rfind(kFlexPrefix, 0) == 0) {
      v.code = SupportCode::kFlexOp;
      v.reason = fmt::format(
          "{}: Select-TF (Flex) op; litescope has no TensorFlow kernels, the "
          "model needs TensorFlow Lite's Flex delegate",
          Label(node));
      return v;
    }
    Result<const runtime::KernelRegistration*> k =
        registry.Find(node.op, custom ? node.op_name : std::string(), node.version);
    v.code = custom ? SupportCode::kCustomOp : SupportCode::kNoKernel;
    v.reason = fmt::format("{}: {}", Label(node),
                           k.ok() ? std::string("no kernel") : k.status().message());
    return v;
  }
  if (node.version < node.kernel->min_version || node.version > node.kernel->max_version) {
    v.code = SupportCode::kOpVersion;
    v.reason = fmt::format(
        "{}: op version {} is not supported (litescope serves versions {} to "
        "{})",
        Label(node), node.version, node.kernel->min_version, node.kernel->max_version);
  }
  return v;
}

// Partition inputs and outputs: non-constant tensors that a partition reads but does not write,
// and tensors it writes that a node outside it (or the subgraph's caller) reads.
void FillBoundaries(Subgraph& sg, const std::vector<int>& nodes, PartitionInfo& info) {
  const std::set<int> members(nodes.begin(), nodes.end());
  std::set<int> produced, seen_in, seen_out;
  for (int n : nodes)
    for (int t : sg.nodes()[static_cast<size_t>(n)].outputs)
      if (t >= 0) produced.insert(t);
  auto entry = [&](int t) {
    const runtime::Tensor& tensor = sg.tensor(t);
    return BoundaryTensor{t, tensor.name, ShapeBytes(tensor)};
  };
  for (int n : nodes)
    for (int t : sg.nodes()[static_cast<size_t>(n)].inputs) {
      if (t < 0 || produced.count(t) || seen_in.count(t)) continue;
      if (sg.tensor(t).allocation == runtime::Allocation::kConstant) continue;
      seen_in.insert(t);
      info.inputs.push_back(entry(t));
    }
  std::set<int> read_outside(sg.outputs().begin(), sg.outputs().end());
  for (const Node& n : sg.nodes()) {
    if (members.count(n.index)) continue;
    for (int t : n.inputs)
      if (t >= 0) read_outside.insert(t);
  }
  for (int n : nodes)
    for (int t : sg.nodes()[static_cast<size_t>(n)].outputs) {
      if (t < 0 || !read_outside.count(t) || seen_out.count(t)) continue;
      seen_out.insert(t);
      info.outputs.push_back(entry(t));
    }
}

void Tally(BackendCompat& b, SubgraphCompat& s) {
  for (const NodeVerdict& v : s.nodes) {
    if (v.supported()) {
      ++s.supported_nodes;
    } else {
      ++s.unsupported_nodes;
      ++b.unsupported_by_code[runtime::SupportCodeName(v.code)];
    }
  }
  for (const PartitionInfo& p : s.partitions) {
    for (const BoundaryTensor& t : p.inputs) s.boundary_bytes += t.bytes;
    for (const BoundaryTensor& t : p.outputs) s.boundary_bytes += t.bytes;
  }
  b.node_count += static_cast<int>(s.nodes.size());
  b.supported_nodes += s.supported_nodes;
  b.unsupported_nodes += s.unsupported_nodes;
  b.partition_count += static_cast<int>(s.partitions.size());
  b.boundary_bytes += s.boundary_bytes;
}

void CheckAllocation(Interpreter& interp, BackendCompat& b) {
  b.allocate_checked = true;
  const Status s = interp.AllocateTensors();
  b.allocate_ok = s.ok();
  if (s.ok())
    b.arena_bytes = static_cast<int64_t>(interp.arena_bytes());
  else
    b.allocate_error = s.message();
}

Result<std::unique_ptr<Interpreter>> BuildInterpreter(std::shared_ptr<const runtime::Model> model,
                                                      const runtime::OpRegistry& registry,
                                                      const CompatibilityOptions& options) {
  return Interpreter::Create(std::move(model), registry, options.interpreter);
}

Result<BackendCompat> AnalyzeCpu(std::shared_ptr<const runtime::Model> model,
                                 const CompatibilityOptions& options) {
  const runtime::OpRegistry registry = runtime::OpRegistry::WithBuiltins();
  Result<std::unique_ptr<Interpreter>> interp = BuildInterpreter(model, registry, options);
  if (!interp.ok()) return interp.status();
  BackendCompat b;
  b.backend = kBackendCpu;
  b.display_name = "CPU";
  for (int s = 0; s < (*interp)->subgraph_count(); ++s) {
    Subgraph& sg = *(*interp)->subgraph(s);
    SubgraphCompat sc;
    sc.subgraph = s;
    sc.name = sg.name();
    for (const Node& n : sg.nodes()) sc.nodes.push_back(CpuVerdict(registry, n));
    Tally(b, sc);
    b.subgraphs.push_back(std::move(sc));
  }
  if (options.allocate) CheckAllocation(**interp, b);
  return b;
}

// The delegate path of tflite_run and benchmark_model: build, ApplyDelegate, read placement.
Result<BackendCompat> AnalyzeXnnpack(std::shared_ptr<const runtime::Model> model,
                                     const CompatibilityOptions& options) {
  BackendCompat b;
  b.backend = kBackendXnnpack;
  b.display_name = "XNNPACK";
  b.is_delegate = true;
  // The delegate must outlive the interpreter: declared first, destroyed last.
  Result<std::unique_ptr<delegates::XnnpackDelegate>> delegate =
      delegates::XnnpackDelegate::Create(options.xnnpack);
  if (!delegate.ok()) {
    b.available = false;
    b.error = delegate.status().message();
    return b;
  }
  Result<std::unique_ptr<Interpreter>> interp =
      BuildInterpreter(model, runtime::OpRegistry::WithBuiltins(), options);
  if (!interp.ok()) return interp.status();
  const Status applied = (*interp)->ApplyDelegate(**delegate, options.xnnpack.delegate_options);
  if (!applied.ok()) {
    b.available = false;
    b.error = applied.message();
    return b;
  }
  // Allocation first, so boundary bytes use the shapes Prepare resolved.
  if (options.allocate) CheckAllocation(**interp, b);
  for (int s = 0; s < (*interp)->subgraph_count(); ++s) {
    Subgraph& sg = *(*interp)->subgraph(s);
    SubgraphCompat sc;
    sc.subgraph = s;
    sc.name = sg.name();
    for (size_t i = 0; i < sg.nodes().size(); ++i) {
      const Node& n = sg.nodes()[i];
      const runtime::NodePlacement& p = sg.placement()[i];
      NodeVerdict v;
      v.node = n.index;
      v.op = n.op_name;
      v.version = n.version;
      v.partition = p.partition;
      v.code = p.partition >= 0 ? SupportCode::kSupported : p.code;
      // A node the check accepted can still stay on the CPU; the placement says why.
      if (p.partition < 0 && v.code == SupportCode::kSupported)
        v.code = SupportCode::kDelegateError;
      v.reason = p.reason;
      if (!v.supported() && v.reason.empty())
        v.reason = fmt::format("{}: stays on the CPU", Label(n));
      sc.nodes.push_back(std::move(v));
    }
    for (size_t pi = 0; pi < sg.partitions().size(); ++pi) {
      const runtime::Partition& part = sg.partitions()[pi];
      PartitionInfo info;
      info.index = static_cast<int>(pi);
      info.node_count = static_cast<int>(part.nodes.size());
      if (!part.nodes.empty()) {
        info.first_node = *std::min_element(part.nodes.begin(), part.nodes.end());
        info.last_node = *std::max_element(part.nodes.begin(), part.nodes.end());
      }
      FillBoundaries(sg, part.nodes, info);
      sc.partitions.push_back(std::move(info));
    }
    Tally(b, sc);
    b.subgraphs.push_back(std::move(sc));
  }
  return b;
}

}  // namespace

const std::vector<std::string>& KnownBackends() {
  static const std::vector<std::string> kNames = {kBackendCpu, kBackendXnnpack};
  return kNames;
}

Status CheckBackendName(const std::string& name) {
  for (const std::string& k : KnownBackends())
    if (k == name) return Status::Ok();
  if (name == kBackendGpu)
    return UnsupportedOpError(
        "backend 'gpu': litescope has no GPU delegate yet, so GPU "
        "compatibility cannot be checked (known backends: cpu, xnnpack)");
  return InvalidArgumentError(
      fmt::format("unknown backend '{}' (known backends: cpu, xnnpack)", name));
}

const BackendCompat* CompatibilityReport::Find(const std::string& backend) const {
  for (const BackendCompat& b : backends)
    if (b.backend == backend) return &b;
  return nullptr;
}

Result<CompatibilityReport> AnalyzeCompatibility(std::shared_ptr<const runtime::Model> model,
                                                 const CompatibilityOptions& options) {
  if (!model) return InvalidArgumentError("no model");
  for (const std::string& name : options.backends) LS_RETURN_IF_ERROR(CheckBackendName(name));
  CompatibilityReport report;
  for (const std::string& name : options.backends) {
    if (report.Find(name)) continue;  // asked twice
    Result<BackendCompat> b =
        name == kBackendCpu ? AnalyzeCpu(model, options) : AnalyzeXnnpack(model, options);
    if (!b.ok()) return b.status();
    report.backends.push_back(std::move(b.value()));
  }
  return report;
}

}  // namespace litescope::analyzers
