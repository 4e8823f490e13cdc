#include "runtime/delegate.h"

#include <catch2/catch.hpp>

#include "runtime/interpreter.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/model_builder.h"
#include "runtime/subgraph.h"

namespace ls = litescope::runtime;
using litescope::Status;

namespace {

std::vector<ls::SupportResult> Verdicts(const std::string& pattern) {
  std::vector<ls::SupportResult> v;
  for (char c : pattern)
    v.push_back(c == 'y' ? ls::SupportResult::Yes()
                         : ls::SupportResult::No(ls::SupportCode::kUnsupportedOp, "no"));
  return v;
}

// out = in + 1 on the CPU ("INC") and in a test delegate that takes INC nodes only.
Status IncPrepare(ls::KernelContext& ctx, ls::Node& node) {
  return ctx.ResizeTensor(*ctx.output(node, 0), ctx.input(node, 0)->shape);
}
Status IncEval(ls::KernelContext& ctx, ls::Node& node) {
  const ls::Tensor* in = ctx.input(node, 0);
  for (int64_t i = 0; i < in->elements(); ++i)
    ctx.output(node, 0)->data_as<float>()[i] = in->data_as<float>()[i] + 1;
  return Status::Ok();
}
Status DoublePrepare(ls::KernelContext& ctx, ls::Node& node) { return IncPrepare(ctx, node); }
Status DoubleEval(ls::KernelContext& ctx, ls::Node& node) {
  const ls::Tensor* in = ctx.input(node, 0);
  for (int64_t i = 0; i < in->elements(); ++i)
    ctx.output(node, 0)->data_as<float>()[i] = in->data_as<float>()[i] * 2;
  return Status::Ok();
}

class IncKernel : public ls::DelegateKernel {
 public:
  IncKernel(ls::Subgraph& sg, std::vector<int> nodes) : sg_(sg), nodes_(std::move(nodes)) {}
  Status Prepare(ls::KernelContext& ctx) override {
    for (int n : nodes_) LS_RETURN_IF_ERROR(IncPrepare(ctx, sg_.nodes()[static_cast<size_t>(n)]));
    return Status::Ok();
  }
  Status Eval(ls::KernelContext& ctx) override {
    // Runs the chain in one step, keeping intermediates privately (they are delegate-owned).
    const ls::Node& first = sg_.nodes()[static_cast<size_t>(nodes_.front())];
    const ls::Node& last = sg_.nodes()[static_cast<size_t>(nodes_.back())];
    const ls::Tensor* in = ctx.input(first, 0);
    ls::Tensor* out = ctx.output(last, 0);
    for (int64_t i = 0; i < in->elements(); ++i)
      out->data_as<float>()[i] = in->data_as<float>()[i] + static_cast<float>(nodes_.size());
    ++runs;
    return Status::Ok();
  }
  int runs = 0;

 private:
  ls::Subgraph& sg_;
  std::vector<int> nodes_;
};

class IncDelegate : public ls::Delegate {
 public:
  const char* name() const override { return "INCDELEGATE"; }
  ls::SupportResult CheckNode(ls::Subgraph&, const ls::Node& node) override {
    if (node.op_name == "INC") return ls::SupportResult::Yes();
    return ls::SupportResult::No(ls::SupportCode::kUnsupportedOp,
                                 ls::NodeLabel(node) + ": not an INC");
  }
  litescope::Result<std::unique_ptr<ls::DelegateKernel>> CreateKernel(
      ls::Subgraph& sg, const std::vector<int>& nodes) override {
    partitions.push_back(nodes);
    return std::unique_ptr<ls::DelegateKernel>(new IncKernel(sg, nodes));
  }
  std::vector<std::vector<int>> partitions;
};

}  // namespace

TEST_CASE("FormPartitions groups consecutive supported nodes", "[runtime][delegate]") {
  auto v = Verdicts("yynyyyny");
  auto parts = ls::FormPartitions(v, {});
  REQUIRE(parts.size() == 3);
  CHECK(parts[0] == std::vector<int>{0, 1});
  CHECK(parts[1] == std::vector<int>{3, 4, 5});
  CHECK(parts[2] == std::vector<int>{7});
}

TEST_CASE("FormPartitions applies min size, max count and node range", "[runtime][delegate]") {
  SECTION("min_nodes_per_partition drops small runs and says why") {
    auto v = Verdicts("yynyyyny");
    ls::DelegateOptions o;
    o.min_nodes_per_partition = 2;
    auto parts = ls::FormPartitions(v, o);
    REQUIRE(parts.size() == 2);
    CHECK(v[7].code == ls::SupportCode::kPartitionLimit);
  }
  SECTION("max_delegated_partitions keeps the largest") {
    auto v = Verdicts("yynyyyny");
    ls::DelegateOptions o;
    o.max_delegated_partitions = 1;
    auto parts = ls::FormPartitions(v, o);
    REQUIRE(parts.size() == 1);
    CHECK(parts[0] == std::vector<int>{3, 4, 5});
    CHECK(v[0].code == ls::SupportCode::kPartitionLimit);
  }
  SECTION("first/last delegated node index bound the range") {
    auto v = Verdicts("yyyyyy");
    ls::DelegateOptions o;
    o.first_delegate_node_index = 2;
    o.last_delegate_node_index = 3;
    auto parts = ls::FormPartitions(v, o);
    REQUIRE(parts.size() == 1);
    CHECK(parts[0] == std::vector<int>{2, 3});
    CHECK(v[0].code == ls::SupportCode::kNodeRange);
  }
}

TEST_CASE("A delegate takes supported nodes and the CPU runs the rest", "[runtime][delegate]") {
  // in -> INC -> INC -> DOUBLE -> INC -> out : partitions {0,1} and {3}, node 2 on the CPU.
  ls::ModelBuilder b;
  int t[5];
  for (int i = 0; i < 5; ++i)
    t[i] = b.AddTensor(0, "t" + std::to_string(i), ls::DataType::kFloat32, {3});
  b.AddCustomOperator(0, "INC", {t[0]}, {t[1]});
  b.AddCustomOperator(0, "INC", {t[1]}, {t[2]});
  b.AddCustomOperator(0, "DOUBLE", {t[2]}, {t[3]});
  b.AddCustomOperator(0, "INC", {t[3]}, {t[4]});
  b.SetInputs(0, {t[0]});
  b.SetOutputs(0, {t[4]});
  std::vector<uint8_t> bytes = b.Finish();
  auto model = ls::Model::FromBufferCopy(bytes.data(), bytes.size(), "delegate_test");
  REQUIRE(model.ok());
  ls::OpRegistry reg;
  ls::KernelRegistration inc, dbl;
  inc.prepare = IncPrepare;
  inc.eval = IncEval;
  dbl.prepare = DoublePrepare;
  dbl.eval = DoubleEval;
  reg.AddCustom("INC", inc);
  reg.AddCustom("DOUBLE", dbl);
  auto interp = ls::Interpreter::Create(*model, reg);
  REQUIRE(interp.ok());
  IncDelegate delegate;
  REQUIRE((*interp)->ApplyDelegate(delegate).ok());
  REQUIRE(delegate.partitions.size() == 2);
  const auto& placement = (*interp)->primary().placement();
  CHECK(placement[0].backend == "INCDELEGATE");
  CHECK(placement[0].partition == 0);
  CHECK(placement[2].backend == "cpu");
  CHECK(placement[2].code == ls::SupportCode::kUnsupportedOp);
  CHECK(placement[2].reason.find("node 2 (DOUBLE)") != std::string::npos);
  CHECK(placement[3].partition == 1);
  REQUIRE((*interp)->AllocateTensors().ok());
  // t1 lives only inside partition 0: the delegate keeps it, the arena does not.
  CHECK((*interp)->primary().tensors()[static_cast<size_t>(t[1])].data == nullptr);
  float* in = (*interp)->input(0)->data_as<float>();
  in[0] = 0;
  in[1] = 1;
  in[2] = -5;
  REQUIRE((*interp)->Invoke().ok());
  const float* out = (*interp)->output(0)->data_as<float>();
  CHECK(out[0] == 5);  // ((0 + 2) * 2) + 1
  CHECK(out[1] == 7);
  CHECK(out[2] == -5);
}

namespace {

// Takes DOUBLE nodes only and runs them one by one (never more than one node per partition in
// the model below, so it needs no private tensors).
class DoubleKernel : public ls::DelegateKernel {
 public:
  DoubleKernel(ls::Subgraph& sg, int node) : sg_(sg), node_(node) {}
  Status Prepare(ls::KernelContext& ctx) override {
    return DoublePrepare(ctx, sg_.nodes()[static_cast<size_t>(node_)]);
  }
  Status Eval(ls::KernelContext& ctx) override {
    return DoubleEval(ctx, sg_.nodes()[static_cast<size_t>(node_)]);
  }

 private:
  ls::Subgraph& sg_;
  int node_;
};

class DoubleOrIncDelegate : public ls::Delegate {
 public:
  const char* name() const override { return "DOUBLEDELEGATE"; }
  ls::SupportResult CheckNode(ls::Subgraph&, const ls::Node& node) override {
    seen.push_back(node.index);
    if (node.op_name == "DOUBLE") return ls::SupportResult::Yes();
    return ls::SupportResult::No(ls::SupportCode::kInputType,
                                 ls::NodeLabel(node) + ": not a DOUBLE");
  }
  litescope::Result<std::unique_ptr<ls::DelegateKernel>> CreateKernel(
      ls::Subgraph& sg, const std::vector<int>& nodes) override {
    return std::unique_ptr<ls::DelegateKernel>(new DoubleKernel(sg, nodes.front()));
  }
  std::vector<int> seen;  // nodes CheckNode was asked about
};

}  // namespace

TEST_CASE("Delegates applied in turn see only the nodes still on the CPU", "[runtime][delegate]") {
  // in -> INC -> DOUBLE -> NEG -> INC -> out: INCDELEGATE first takes 0 and 3, DOUBLEDELEGATE
  // then sees 1 and 2 only and takes 1; NEG stays on the CPU, refused by both.
  ls::ModelBuilder b;
  int t[5];
  for (int i = 0; i < 5; ++i)
    t[i] = b.AddTensor(0, "t" + std::to_string(i), ls::DataType::kFloat32, {2});
  b.AddCustomOperator(0, "INC", {t[0]}, {t[1]});
  b.AddCustomOperator(0, "DOUBLE", {t[1]}, {t[2]});
  b.AddCustomOperator(0, "NEG", {t[2]}, {t[3]});
  b.AddCustomOperator(0, "INC", {t[3]}, {t[4]});
  b.SetInputs(0, {t[0]});
  b.SetOutputs(0, {t[4]});
  std::vector<uint8_t> bytes = b.Finish();
  auto model = ls::Model::FromBufferCopy(bytes.data(), bytes.size(), "delegate_test");
  REQUIRE(model.ok());
  ls::OpRegistry reg;
  ls::KernelRegistration inc, dbl, neg;
  inc.prepare = IncPrepare;
  inc.eval = IncEval;
  dbl.prepare = DoublePrepare;
  dbl.eval = DoubleEval;
  neg.prepare = IncPrepare;
  neg.eval = [](ls::KernelContext& ctx, ls::Node& node) {
    const ls::Tensor* in = ctx.input(node, 0);
    for (int64_t i = 0; i < in->elements(); ++i)
      ctx.output(node, 0)->data_as<float>()[i] = -in->data_as<float>()[i];
    return Status::Ok();
  };
  reg.AddCustom("INC", inc);
  reg.AddCustom("DOUBLE", dbl);
  reg.AddCustom("NEG", neg);
  auto interp = ls::Interpreter::Create(*model, reg);
  REQUIRE(interp.ok());
  IncDelegate first;
  DoubleOrIncDelegate second;
  REQUIRE((*interp)->ApplyDelegate(first).ok());
  REQUIRE((*interp)->ApplyDelegate(second).ok());
  CHECK(second.seen == std::vector<int>{1, 2});
  const ls::Subgraph& sg = (*interp)->primary();
  REQUIRE(sg.partitions().size() == 3);
  CHECK(sg.partitions()[0].backend == "INCDELEGATE");
  CHECK(sg.partitions()[1].backend == "INCDELEGATE");
  CHECK(sg.partitions()[2].backend == "DOUBLEDELEGATE");
  CHECK(sg.partitions()[2].nodes == std::vector<int>{1});
  const auto& pl = sg.placement();
  SECTION("a node the first delegate took has no refusals") {
    CHECK(pl[0].backend == "INCDELEGATE");
    CHECK(pl[0].refusals.empty());
    CHECK(pl[3].partition == 1);
  }
  SECTION("a node a later delegate took keeps the earlier refusal") {
    CHECK(pl[1].backend == "DOUBLEDELEGATE");
    CHECK(pl[1].partition == 2);
    CHECK(pl[1].code == ls::SupportCode::kSupported);
    CHECK(pl[1].reason.empty());
    REQUIRE(pl[1].refusals.size() == 1);
    CHECK(pl[1].refusals[0].backend == "INCDELEGATE");
    CHECK(pl[1].refusals[0].reason.find("node 1 (DOUBLE): not an INC") != std::string::npos);
  }
  SECTION("a node left on the CPU has every refusal, the first as its reason") {
    CHECK(pl[2].backend == "cpu");
    CHECK(pl[2].partition == -1);
    REQUIRE(pl[2].refusals.size() == 2);
    CHECK(pl[2].refusals[0].backend == "INCDELEGATE");
    CHECK(pl[2].refusals[1].backend == "DOUBLEDELEGATE");
    CHECK(pl[2].refusals[1].code == ls::SupportCode::kInputType);
    CHECK(pl[2].code == ls::SupportCode::kUnsupportedOp);
    CHECK(pl[2].reason == pl[2].refusals[0].reason);
    CHECK(pl[2].RefusalOf("DOUBLEDELEGATE") == &pl[2].refusals[1]);
    CHECK(pl[2].RefusalOf("NOSUCH") == nullptr);
  }
  SECTION("the graph computes as on the CPU") {
    REQUIRE((*interp)->AllocateTensors().ok());
    float* in = (*interp)->input(0)->data_as<float>();
    in[0] = 1;
    in[1] = -3;
    REQUIRE((*interp)->Invoke().ok());
    const float* out = (*interp)->output(0)->data_as<float>();
    CHECK(out[0] == -3);  // -((1 + 1) * 2) + 1
    CHECK(out[1] == 5);
  }
}
