#include "analyzers/compatibility.h"

#include <algorithm>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "delegates/registered_backends.h"
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

const delegates::BackendRegistry& RegistryOf(const delegates::BackendRegistry* registry) {
  return registry ? *registry : delegates::RegisteredBackends();
}

// The partitioning of Subgraph::ApplyDelegate on the backend's device-free checker: per node
// the check, then FormPartitions with the config's options.
Result<BackendCompat> AnalyzeDelegate(std::shared_ptr<const runtime::Model> model,
                                      const delegates::BackendRegistration& backend,
                                      const CompatibilityOptions& options) {
  BackendCompat b;
  b.backend = backend.name;
  b.display_name = backend.display_name;
  b.is_delegate = true;
  Result<std::unique_ptr<delegates::SupportChecker>> checker =
      backend.make_checker(options.backend_config);
  if (!checker.ok()) {
    b.available = false;
    b.error = checker.status().message();
    return b;
  }
  Result<std::unique_ptr<Interpreter>> interp =
      BuildInterpreter(model, runtime::OpRegistry::WithBuiltins(), options);
  if (!interp.ok()) return interp.status();
  // Verdicts first, on the subgraphs as built: that is what ApplyDelegate sees.
  std::vector<std::vector<runtime::SupportResult>> verdicts;
  std::vector<std::vector<std::vector<int>>> partitions;
  for (int s = 0; s < (*interp)->subgraph_count(); ++s) {
    Subgraph& sg = *(*interp)->subgraph(s);
    std::vector<runtime::SupportResult> v;
    v.reserve(sg.nodes().size());
    for (const Node& n : sg.nodes()) v.push_back((*checker)->Check(sg, n));
    partitions.push_back(runtime::FormPartitions(v, options.backend_config.delegate_options));
    verdicts.push_back(std::move(v));
  }
  // The delegate must outlive the interpreter it is applied to.
  std::unique_ptr<runtime::Delegate> delegate;
  if (options.allocate) {
    // Allocation first, so boundary bytes use the shapes Prepare resolved.
    Result<std::unique_ptr<runtime::Delegate>> d =
        backend.make_delegate
            ? backend.make_delegate(options.backend_config)
            : Result<std::unique_ptr<runtime::Delegate>>(UnsupportedOpError(backend.description));
    Status applied = d.status();
    if (d.ok()) {
      delegate = std::move(d.value());
      applied = (*interp)->ApplyDelegate(*delegate, options.backend_config.delegate_options);
    }
    if (applied.ok()) {
      CheckAllocation(**interp, b);
    } else {
      b.allocate_checked = true;
      b.allocate_error = applied.message();
    }
  }
  for (int s = 0; s < (*interp)->subgraph_count(); ++s) {
    Subgraph& sg = *(*interp)->subgraph(s);
    const std::vector<runtime::SupportResult>& v = verdicts[static_cast<size_t>(s)];
    const std::vector<std::vector<int>>& parts = partitions[static_cast<size_t>(s)];
    std::vector<int> partition_of(sg.nodes().size(), -1);
    for (size_t pi = 0; pi < parts.size(); ++pi)
      for (int n : parts[pi]) partition_of[static_cast<size_t>(n)] = static_cast<int>(pi);
    SubgraphCompat sc;
    sc.subgraph = s;
    sc.name = sg.name();
    for (size_t i = 0; i < sg.nodes().size(); ++i) {
      const Node& n = sg.nodes()[i];
      NodeVerdict nv;
      nv.node = n.index;
      nv.op = n.op_name;
      nv.version = n.version;
      nv.partition = partition_of[i];
      nv.code = nv.partition >= 0 ? SupportCode::kSupported : v[i].code;
      nv.reason = nv.partition >= 0 ? std::string() : v[i].message;
      if (!nv.supported() && nv.reason.empty())
        nv.reason = fmt::format("{}: stays on the CPU", Label(n));
      sc.nodes.push_back(std::move(nv));
    }
    for (size_t pi = 0; pi < parts.size(); ++pi) {
      PartitionInfo info;
      info.index = static_cast<int>(pi);
      info.node_count = static_cast<int>(parts[pi].size());
      if (!parts[pi].empty()) {
        info.first_node = *std::min_element(parts[pi].begin(), parts[pi].end());
        info.last_node = *std::max_element(parts[pi].begin(), parts[pi].end());
      }
      FillBoundaries(sg, parts[pi], info);
      sc.partitions.push_back(std::move(info));
    }
    Tally(b, sc);
    b.subgraphs.push_back(std::move(sc));
  }
  return b;
}

}  // namespace

std::vector<std::string> KnownBackends(const delegates::BackendRegistry* registry) {
  std::vector<std::string> names = {kBackendCpu};
  for (const delegates::BackendRegistration& b : RegistryOf(registry).backends())
    if (b.make_checker) names.push_back(b.name);
  return names;
}

Status CheckBackendName(const std::string& name, const delegates::BackendRegistry* registry) {
  const std::vector<std::string> known = KnownBackends(registry);
  std::string list;
  for (const std::string& k : known) {
    if (k == name) return Status::Ok();
    list += (list.empty() ? "" : ", ") + k;
  }
  if (const delegates::BackendRegistration* b = RegistryOf(registry).Find(name))
    return UnsupportedOpError(
        fmt::format("backend '{}': {}, so {} compatibility cannot be checked (known backends: {})",
                    name, b->description, b->display_name, list));
  return InvalidArgumentError(fmt::format("unknown backend '{}' (known backends: {})", name, list));
}

const BackendCompat* CompatibilityReport::Find(const std::string& backend) const {
  for (const BackendCompat& b : backends)
    if (b.backend == backend) return &b;
  return nullptr;
}

Result<CompatibilityReport> AnalyzeCompatibility(std::shared_ptr<const runtime::Model> model,
                                                 const CompatibilityOptions& options) {
  if (!model) return InvalidArgumentError("no model");
  const std::vector<std::string> names =
      options.backends.empty() ? KnownBackends(options.registry) : options.backends;
  for (const std::string& name : names)
    LS_RETURN_IF_ERROR(CheckBackendName(name, options.registry));
  CompatibilityReport report;
  for (const std::string& name : names) {
    if (report.Find(name)) continue;  // asked twice
    Result<BackendCompat> b =
        name == kBackendCpu
            ? AnalyzeCpu(model, options)
            : AnalyzeDelegate(model, *RegistryOf(options.registry).Find(name), options);
    if (!b.ok()) return b.status();
    report.backends.push_back(std::move(b.value()));
  }
  return report;
}

}  // namespace litescope::analyzers
