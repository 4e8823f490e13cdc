#include "tests/backends/test_backends.h"

#include <cstdint>
#include <set>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "runtime/data_type.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/subgraph.h"

namespace litescope::tests {
namespace {

constexpr char kName[] = "TESTOP";
constexpr char kOpsFlag[] = "testop_ops";
// Adds this value to every float32 output of the nodes the backend runs: a deliberately wrong
// backend, for the tools' output checks.
constexpr char kPerturbFlag[] = "testop_perturb";

std::set<std::string> SplitOps(const std::string& list) {
  std::set<std::string> ops;
  std::stringstream in(list);
  for (std::string op; std::getline(in, op, ',');)
    if (!op.empty()) ops.insert(op);
  return ops;
}

class TestOpSupport final : public delegates::SupportChecker {
 public:
  TestOpSupport(std::set<std::string> ops, std::string list)
      : ops_(std::move(ops)), list_(std::move(list)) {}
  runtime::SupportResult Check(runtime::Subgraph&, const runtime::Node& node) override {
    if (ops_.count(node.op_name) && node.kernel) return runtime::SupportResult::Yes();
    return runtime::SupportResult::No(
        runtime::SupportCode::kUnsupportedOp,
        fmt::format("{}: {}: not in --{}={}", kName, runtime::NodeLabel(node), kOpsFlag, list_));
  }

 private:
  std::set<std::string> ops_;
  std::string list_;
};

// Runs a partition node by node on the reference kernels. Tensors made and used only inside the
// partition get no arena storage (Subgraph leaves them to the delegate), so they live here.
class TestOpKernel final : public runtime::DelegateKernel {
 public:
  TestOpKernel(runtime::Subgraph& sg, std::vector<int> nodes, std::vector<int> internal,
               float perturb)
      : sg_(sg), nodes_(std::move(nodes)), internal_(std::move(internal)), perturb_(perturb) {}

  Status Prepare(runtime::KernelContext& ctx) override {
    for (int n : nodes_) {
      runtime::Node& node = sg_.nodes()[static_cast<size_t>(n)];
      LS_RETURN_IF_ERROR(node.kernel->prepare(ctx, node));
    }
    storage_.assign(internal_.size(), {});
    for (size_t i = 0; i < internal_.size(); ++i) {
      runtime::Tensor& t = ctx.tensor(internal_[i]);
      int64_t elements = 0, bytes = 0;
      if (!t.shape.CheckedFlatSize(&elements) || !runtime::DataTypeBytes(t.type, elements, &bytes))
        return UnsupportedOpError(
            fmt::format("{}: tensor {} has no static size", kName, internal_[i]));
      // max_align_t units keep the storage aligned for every element type.
      storage_[i].resize(static_cast<size_t>(bytes) / sizeof(std::max_align_t) + 1);
      t.data = storage_[i].data();
      t.bytes = static_cast<size_t>(bytes);
    }
    return Status::Ok();
  }

  Status Eval(runtime::KernelContext& ctx) override {
    for (int n : nodes_) {
      runtime::Node& node = sg_.nodes()[static_cast<size_t>(n)];
      LS_RETURN_IF_ERROR(node.kernel->eval(ctx, node));
      if (perturb_ == 0.f) continue;
      for (int t : node.outputs) {
        if (t < 0) continue;
        runtime::Tensor& out = ctx.tensor(t);
        if (out.type != runtime::DataType::kFloat32 || !out.data) continue;
        float* v = out.data_as<float>();
        for (size_t i = 0; i < out.bytes / sizeof(float); ++i) v[i] += perturb_;
      }
    }
    return Status::Ok();
  }

 private:
  runtime::Subgraph& sg_;
  std::vector<int> nodes_;
  std::vector<int> internal_;
  float perturb_;
  std::vector<std::vector<std::max_align_t>> storage_;
};

class TestOpDelegate final : public runtime::Delegate {
 public:
  TestOpDelegate(std::set<std::string> ops, std::string list, float perturb)
      : support_(std::move(ops), list), perturb_(perturb) {}
  const char* name() const override { return kName; }
  runtime::SupportResult CheckNode(runtime::Subgraph& sg, const runtime::Node& node) override {
    return support_.Check(sg, node);
  }
  Result<std::unique_ptr<runtime::DelegateKernel>> CreateKernel(
      runtime::Subgraph& sg, const std::vector<int>& nodes) override {
    // Internal tensors: written in the partition, read only there, and not a subgraph output
    // (the rule Subgraph::ApplyDelegate uses for delegate-owned tensors).
    const std::set<int> members(nodes.begin(), nodes.end());
    std::set<int> produced, read_outside(sg.outputs().begin(), sg.outputs().end()), read_inside;
    for (int n : nodes)
      for (int t : sg.nodes()[static_cast<size_t>(n)].outputs)
        if (t >= 0) produced.insert(t);
    for (const runtime::Node& node : sg.nodes())
      for (int t : node.inputs)
        if (t >= 0) (members.count(node.index) ? read_inside : read_outside).insert(t);
    std::vector<int> internal;
    for (int t : produced)
      if (read_inside.count(t) && !read_outside.count(t)) internal.push_back(t);
    return std::unique_ptr<runtime::DelegateKernel>(
        new TestOpKernel(sg, nodes, internal, perturb_));
  }

 private:
  TestOpSupport support_;
  float perturb_;
};

}  // namespace

Status RegisterTestBackends(delegates::BackendRegistry& registry) {
  delegates::BackendRegistration r;
  r.name = "testop";
  r.display_name = kName;
  r.description = "test-only: the reference kernels run the nodes of the ops in --testop_ops";
  r.priority = 100;
  r.flags = {{kOpsFlag, delegates::BackendFlag::Type::kString, "ADD", "Test backend ops",
              "comma-separated ops the test backend takes"},
             {kPerturbFlag, delegates::BackendFlag::Type::kFloat, "0", "Test backend error",
              "added to every float output of the nodes it runs (a wrong backend)"}};
  const delegates::BackendRegistration flags_only = r;
  r.make_checker = [flags_only](const delegates::BackendConfig& config)
      -> Result<std::unique_ptr<delegates::SupportChecker>> {
    const std::string list = flags_only.StringFlag(config, kOpsFlag);
    return std::unique_ptr<delegates::SupportChecker>(new TestOpSupport(SplitOps(list), list));
  };
  r.make_delegate =
      [flags_only](
          const delegates::BackendConfig& config) -> Result<std::unique_ptr<runtime::Delegate>> {
    const std::string list = flags_only.StringFlag(config, kOpsFlag);
    const auto perturb = static_cast<float>(flags_only.FloatFlag(config, kPerturbFlag));
    return std::unique_ptr<runtime::Delegate>(new TestOpDelegate(SplitOps(list), list, perturb));
  };
  return registry.Register(std::move(r));
}

}  // namespace litescope::tests
