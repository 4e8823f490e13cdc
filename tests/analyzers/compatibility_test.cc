#include "analyzers/compatibility.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "delegates/xnnpack/xnnpack_delegate.h"
#include "reports/compatibility_report.h"
#include "runtime/interpreter.h"
#include "runtime/model.h"
#include "runtime/model_builder.h"
#include "runtime/op_registry.h"
#include "runtime/subgraph.h"
#include "tests/test_support.h"

namespace litescope::analyzers {
namespace {

using runtime::DataType;
using runtime::ModelBuilder;
using runtime::SupportCode;
using schema::BuiltinOperator;

std::shared_ptr<const runtime::Model> Load(const std::vector<uint8_t>& bytes) {
  auto model = runtime::Model::FromBufferCopy(bytes.data(), bytes.size(), "compat_test");
  INFO(model.status().message());
  REQUIRE(model.ok());
  return *model;
}

CompatibilityReport Analyze(const std::shared_ptr<const runtime::Model>& model) {
  auto r = AnalyzeCompatibility(model);
  INFO(r.status().message());
  REQUIRE(r.ok());
  return std::move(r.value());
}

const BackendCompat& Backend(const CompatibilityReport& r, const std::string& name) {
  const BackendCompat* b = r.Find(name);
  REQUIRE(b != nullptr);
  return *b;
}

runtime::OptionsFn AddOptions() {
  return [](flatbuffers::FlatBufferBuilder& b) {
    return std::make_pair(schema::BuiltinOptions::AddOptions, schema::CreateAddOptions(b).Union());
  };
}

// in [1,4,4,2] -> ADD(const) -> TANH -> ADD(const) -> out. TANH has no lowering in Debian's
// XNNPACK snapshot, so XNNPACK forms two one-node partitions around it.
std::vector<uint8_t> AddTanhAddModel() {
  ModelBuilder b;
  const std::vector<int32_t> shape = {1, 4, 4, 2};
  const int in = b.AddTensor(0, "in", DataType::kFloat32, shape);
  const int c =
      b.AddConstTensor<float>(0, "c", DataType::kFloat32, shape, std::vector<float>(32, 0.25f));
  const int a = b.AddTensor(0, "a", DataType::kFloat32, shape);
  const int t = b.AddTensor(0, "t", DataType::kFloat32, shape);
  const int out = b.AddTensor(0, "out", DataType::kFloat32, shape);
  b.AddOperator(0, BuiltinOperator::ADD, {in, c}, {a}, AddOptions());
  b.AddOperator(0, BuiltinOperator::TANH, {a}, {t});
  b.AddOperator(0, BuiltinOperator::ADD, {t, c}, {out}, AddOptions());
  b.SetInputs(0, {in});
  b.SetOutputs(0, {out});
  return b.Finish();
}

}  // namespace

TEST_CASE("CheckBackendName accepts cpu, xnnpack and gpu", "[analyzers][compat]") {
  CHECK(CheckBackendName("cpu").ok());
  CHECK(CheckBackendName("xnnpack").ok());
  CHECK(CheckBackendName("gpu").ok());  // its checker needs no device
  CHECK(CheckBackendName("npu").code() == StatusCode::kInvalidArgument);
  CompatibilityOptions o;
  o.backends = {"gpu"};
  Result<CompatibilityReport> r = AnalyzeCompatibility(Load(AddTanhAddModel()), o);
  REQUIRE(r.ok());
  const BackendCompat& gpu = Backend(*r, "gpu");
  CHECK(gpu.supported_nodes == 3);  // ADD, TANH, ADD in float32
}

TEST_CASE("AnalyzeCompatibility reports XNNPACK partitions and the tensors crossing them",
          "[analyzers][compat]") {
  const CompatibilityReport r = Analyze(Load(AddTanhAddModel()));
  const BackendCompat& cpu = Backend(r, "cpu");
  CHECK(cpu.supported_nodes == 3);
  CHECK(cpu.unsupported_nodes == 0);
  CHECK(cpu.allocate_ok);

  const BackendCompat& x = Backend(r, "xnnpack");
  REQUIRE(x.available);
  REQUIRE(x.subgraphs.size() == 1);
  const SubgraphCompat& s = x.subgraphs[0];
  CHECK(x.supported_nodes == 2);
  CHECK(x.unsupported_nodes == 1);
  CHECK(s.nodes[0].partition == 0);
  CHECK(s.nodes[2].partition == 1);
  CHECK_FALSE(s.nodes[1].supported());
  CHECK(s.nodes[1].code == SupportCode::kUnsupportedOp);
  CHECK(s.nodes[1].reason.find("TANH") != std::string::npos);
  REQUIRE(s.partitions.size() == 2);
  const int64_t bytes = 32 * 4;
  for (const PartitionInfo& p : s.partitions) {
    CHECK(p.node_count == 1);
    CHECK(p.first_node == p.last_node);
    REQUIRE(p.inputs.size() == 1);  // the constant is not a boundary tensor
    REQUIRE(p.outputs.size() == 1);
    CHECK(p.inputs[0].bytes == bytes);
  }
  CHECK(s.partitions[0].inputs[0].name == "in");
  CHECK(s.partitions[0].outputs[0].name == "a");
  CHECK(s.partitions[1].inputs[0].name == "t");
  CHECK(s.partitions[1].outputs[0].name == "out");
  CHECK(x.boundary_bytes == 4 * bytes);
  CHECK(x.unsupported_by_code.at("unsupported_op") == 1);

  const nlohmann::json j = reports::CompatibilityToJson(r);
  REQUIRE(j["backends"].size() == 3);  // cpu, xnnpack, gpu
  CHECK(j["backends"][1]["subgraphs"][0]["nodes"][1]["code"] == "unsupported_op");
  const std::string text = reports::CompatibilityToText(r);
  CHECK(text.find("partition 1: nodes 2-2") != std::string::npos);
}

TEST_CASE("AnalyzeCompatibility names custom, Flex and too-new ops on the CPU",
          "[analyzers][compat]") {
  ModelBuilder b;
  const int in = b.AddTensor(0, "in", DataType::kFloat32, {1, 4});
  const int c = b.AddConstTensor<float>(0, "c", DataType::kFloat32, {1, 4}, {1, 2, 3, 4});
  const int t0 = b.AddTensor(0, "t0", DataType::kFloat32, {1, 4});
  const int t1 = b.AddTensor(0, "t1", DataType::kFloat32, {1, 4});
  const int t2 = b.AddTensor(0, "t2", DataType::kFloat32, {1, 4});
  const int out = b.AddTensor(0, "out", DataType::kFloat32, {1, 4});
  b.AddOperator(0, BuiltinOperator::ADD, {in, c}, {t0}, AddOptions());
  b.AddCustomOperator(0, "MyVendorOp", {t0}, {t1});
  b.AddCustomOperator(0, "FlexSoftplus", {t1}, {t2});
  b.AddOperator(0, BuiltinOperator::ADD, {t2, c}, {out}, AddOptions(), /*version=*/99);
  b.SetInputs(0, {in});
  b.SetOutputs(0, {out});
  const CompatibilityReport r = Analyze(Load(b.Finish()));

  const BackendCompat& cpu = Backend(r, "cpu");
  const std::vector<NodeVerdict>& v = cpu.subgraphs.at(0).nodes;
  REQUIRE(v.size() == 4);
  CHECK(v[0].supported());
  CHECK(v[1].code == SupportCode::kCustomOp);
  CHECK(v[1].op == "MyVendorOp");
  CHECK(v[1].reason.find("MyVendorOp") != std::string::npos);
  CHECK(v[2].code == SupportCode::kFlexOp);
  CHECK(v[2].reason.find("node 2 (FlexSoftplus)") != std::string::npos);
  CHECK(v[3].code == SupportCode::kOpVersion);
  CHECK(v[3].reason.find("version 99") != std::string::npos);
  CHECK(cpu.unsupported_nodes == 3);
  // AllocateTensors stops at the first node without a kernel; the report carries the error.
  CHECK_FALSE(cpu.allocate_ok);
  CHECK(cpu.allocate_error.find("node 1 (MyVendorOp)") != std::string::npos);

  const BackendCompat& x = Backend(r, "xnnpack");
  const std::vector<NodeVerdict>& xv = x.subgraphs.at(0).nodes;
  CHECK(xv[0].supported());
  CHECK(xv[1].code == SupportCode::kCustomOp);
  CHECK(xv[2].code == SupportCode::kFlexOp);
}

// The acceptance test of issue #7: for every shared model, the analyzer's placement is the
// placement an interpreter built here, the way tflite_run and benchmark_model build it, uses.
TEST_CASE("AnalyzeCompatibility predicts the runtime's placement for every shared model",
          "[analyzers][compat][shared]") {
  if (testing::SkipWithoutShared("AnalyzeCompatibility shared placement")) return;
  std::vector<std::filesystem::path> files;
  for (const auto& e :
       std::filesystem::directory_iterator(std::filesystem::path(testing::SharedDir()) / "models"))
    if (e.path().extension() == ".tflite") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(!files.empty());
  int compared = 0, not_loaded = 0;
  for (const auto& path : files) {
    const std::string file = path.filename().string();
    INFO(file);
    auto model = runtime::Model::FromFile(path.string());
    if (!model.ok()) {
      std::printf("NOTE: %s does not load: %s\n", file.c_str(), model.status().message().c_str());
      ++not_loaded;
      continue;
    }
    auto report = AnalyzeCompatibility(*model);
    INFO(report.status().message());
    REQUIRE(report.ok());

    // XNNPACK: ApplyDelegate on a fresh interpreter, then node by node.
    auto delegate = delegates::XnnpackDelegate::Create({});
    REQUIRE(delegate.ok());
    auto interp = runtime::Interpreter::Create(*model, runtime::OpRegistry::WithBuiltins());
    REQUIRE(interp.ok());
    REQUIRE((*interp)->ApplyDelegate(**delegate).ok());
    const BackendCompat& x = Backend(*report, "xnnpack");
    REQUIRE(x.available);
    REQUIRE(static_cast<int>(x.subgraphs.size()) == (*interp)->subgraph_count());
    for (int s = 0; s < (*interp)->subgraph_count(); ++s) {
      const runtime::Subgraph& sg = *(*interp)->subgraph(s);
      const SubgraphCompat& predicted = x.subgraphs[static_cast<size_t>(s)];
      REQUIRE(predicted.nodes.size() == sg.placement().size());
      REQUIRE(predicted.partitions.size() == sg.partitions().size());
      for (size_t n = 0; n < sg.placement().size(); ++n) {
        INFO("subgraph " << s << " node " << n << " (" << sg.nodes()[n].op_name << ")");
        const runtime::NodePlacement& actual = sg.placement()[n];
        CHECK(predicted.nodes[n].partition == actual.partition);
        CHECK(predicted.nodes[n].supported() == (actual.backend != "cpu"));
        if (actual.partition < 0) CHECK(predicted.nodes[n].code == actual.code);
      }
      for (size_t p = 0; p < sg.partitions().size(); ++p) {
        CHECK(predicted.partitions[p].first_node == sg.partitions()[p].nodes.front());
        CHECK(predicted.partitions[p].last_node == sg.partitions()[p].nodes.back());
      }
    }

    // CPU: the first node predicted to lack a kernel is where AllocateTensors stops; with
    // none predicted, AllocateTensors never fails for a missing kernel.
    const BackendCompat& cpu = Backend(*report, "cpu");
    auto cpu_interp = runtime::Interpreter::Create(*model, runtime::OpRegistry::WithBuiltins());
    REQUIRE(cpu_interp.ok());
    const Status allocated = (*cpu_interp)->AllocateTensors();
    CHECK(allocated.ok() == cpu.allocate_ok);
    int first_missing = -1;
    for (const NodeVerdict& v : cpu.subgraphs.at(0).nodes)
      if (!v.supported()) {
        first_missing = v.node;
        break;
      }
    if (first_missing >= 0) {
      REQUIRE_FALSE(allocated.ok());
      const std::string label = "node " + std::to_string(first_missing) + " (";
      // An earlier node may fail its own Prepare first; otherwise this one must be named.
      if (allocated.message().rfind(label, 0) == 0)
        CHECK(allocated.code() == StatusCode::kUnsupportedOp);
    } else if (!allocated.ok()) {
      INFO(allocated.message());
      CHECK(allocated.message().find("is not registered") == std::string::npos);
      CHECK(allocated.message().find("has no kernel") == std::string::npos);
    }
    ++compared;
  }
  std::printf("compat placement: %d model(s) compared, %d did not load\n", compared, not_loaded);
  CHECK(compared + not_loaded == static_cast<int>(files.size()));
}

}  // namespace litescope::analyzers
