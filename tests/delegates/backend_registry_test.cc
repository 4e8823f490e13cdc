#include "delegates/backend_registry.h"

#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analyzers/compatibility.h"
#include "delegates/placement_summary.h"
#include "delegates/registered_backends.h"
#include "delegates/xnnpack/xnnpack_backend.h"
#include "runtime/interpreter.h"
#include "runtime/model_builder.h"
#include "runtime/op_registry.h"
#include "runtime/subgraph.h"
#include "tests/backends/test_backends.h"

namespace ld = litescope::delegates;
namespace ls = litescope::runtime;
using litescope::StatusCode;

namespace {

// XNNPACK and the test-only "testop", registered as the registration file does.
ld::BackendRegistry XnnpackAndTestop() {
  ld::BackendRegistry r;
  REQUIRE(ld::RegisterXnnpackBackend(r).ok());
  REQUIRE(litescope::tests::RegisterTestBackends(r).ok());
  return r;
}

ld::BackendRegistration Named(const std::string& name, int priority) {
  ld::BackendRegistration b;
  b.name = name;
  b.priority = priority;
  return b;
}

// a, b [1, 2, 2, 3] float32: ADD -> TANH -> MUL -> TANH -> SUB -> EXP. XNNPACK takes ADD, MUL
// and SUB (this snapshot has no TANH or EXP).
std::shared_ptr<const ls::Model> FallbackMiddleModel() {
  const std::vector<int32_t> shape = {1, 2, 2, 3};
  ls::ModelBuilder mb;
  const int a = mb.AddTensor(0, "a", ls::DataType::kFloat32, shape);
  const int b = mb.AddTensor(0, "b", ls::DataType::kFloat32, shape);
  int prev = a;
  using Op = litescope::schema::BuiltinOperator;
  const std::pair<Op, bool> steps[] = {{Op::ADD, true},   {Op::TANH, false}, {Op::MUL, true},
                                       {Op::TANH, false}, {Op::SUB, true},   {Op::EXP, false}};
  int i = 0;
  for (const auto& [op, uses_b] : steps) {
    const int out = mb.AddTensor(0, "t" + std::to_string(i++), ls::DataType::kFloat32, shape);
    std::vector<int32_t> inputs = {prev};
    if (uses_b) inputs.push_back(b);
    mb.AddOperator(0, op, inputs, {out});
    prev = out;
  }
  mb.SetInputs(0, {a, b});
  mb.SetOutputs(0, {prev});
  const std::vector<uint8_t> bytes = mb.Finish();
  auto model = ls::Model::FromBufferCopy(bytes.data(), bytes.size(), "fallback_middle");
  REQUIRE(model.ok());
  return *model;
}

}  // namespace

TEST_CASE("BackendRegistry rejects bad names, duplicates and shared flags",
          "[delegates][registry]") {
  ld::BackendRegistry r;
  CHECK(r.Register(Named("Bad-Name", 0)).code() == StatusCode::kInvalidArgument);
  ld::BackendRegistration a = Named("a", 0);
  a.flags = {{"a_level", ld::BackendFlag::Type::kInt, "3", "A level", "level"}};
  REQUIRE(r.Register(a).ok());
  CHECK(r.Register(Named("a", 1)).code() == StatusCode::kInvalidArgument);
  ld::BackendRegistration b = Named("b", 0);
  b.flags = {{"a_level", ld::BackendFlag::Type::kInt, "1", "", ""}};
  CHECK(r.Register(b).code() == StatusCode::kInvalidArgument);
  CHECK(r.backends().size() == 1);
  CHECK(r.Find("a")->display_name == "a");  // defaults to the name
  CHECK(r.Find("b") == nullptr);
}

TEST_CASE("BackendRegistry orders by priority, then registration", "[delegates][registry]") {
  ld::BackendRegistry r;
  REQUIRE(r.Register(Named("low", 100)).ok());
  REQUIRE(r.Register(Named("high", 300)).ok());
  REQUIRE(r.Register(Named("tie", 100)).ok());
  auto order = r.InPriorityOrder({"tie", "low", "high", "low"});
  REQUIRE(order.ok());
  REQUIRE(order->size() == 3);
  CHECK((*order)[0]->name == "high");
  CHECK((*order)[1]->name == "low");
  CHECK((*order)[2]->name == "tie");
  auto unknown = r.InPriorityOrder({"npu"});
  REQUIRE(!unknown.ok());
  CHECK(unknown.status().message() == "unknown backend 'npu' (registered: low, high, tie)");
  CHECK(r.NameList() == "low, high, tie");
}

TEST_CASE("BackendRegistration reads flag values with their defaults", "[delegates][registry]") {
  ld::BackendRegistration b = Named("x", 0);
  b.flags = {{"x_on", ld::BackendFlag::Type::kBool, "true", "", ""},
             {"x_n", ld::BackendFlag::Type::kInt, "7", "", ""},
             {"x_f", ld::BackendFlag::Type::kFloat, "0.5", "", ""},
             {"x_s", ld::BackendFlag::Type::kString, "ADD", "", ""}};
  ld::BackendConfig config;
  CHECK(b.BoolFlag(config, "x_on"));
  CHECK(b.IntFlag(config, "x_n") == 7);
  CHECK(b.FloatFlag(config, "x_f") == 0.5);
  CHECK(b.StringFlag(config, "x_s") == "ADD");
  config.flag_values = {{"x_on", "false"}, {"x_n", "-2"}, {"x_s", "MUL,SUB"}};
  CHECK(!b.BoolFlag(config, "x_on"));
  CHECK(b.IntFlag(config, "x_n") == -2);
  CHECK(b.StringFlag(config, "x_s") == "MUL,SUB");
  CHECK(ld::CheckBackendFlagValue(b.flags[1], "12").ok());
  CHECK(!ld::CheckBackendFlagValue(b.flags[1], "twelve").ok());
  CHECK(!ld::CheckBackendFlagValue(b.flags[0], "maybe").ok());
}

TEST_CASE("The registered backends hold XNNPACK and GPU, not the test backends",
          "[delegates][registry]") {
  const ld::BackendRegistry& r = ld::RegisteredBackends();
  REQUIRE(r.Find("xnnpack") != nullptr);
  CHECK(r.Find("xnnpack")->display_name == "XNNPACK");
  CHECK(r.Find("xnnpack")->FindFlag("xnnpack_force_fp16") != nullptr);
  REQUIRE(r.Find("gpu") != nullptr);
  CHECK(r.Find("gpu")->make_checker);  // device-free: analyzable without a GPU
  CHECK(r.Find("gpu")->FindAction("list_gpu_devices") != nullptr);
  CHECK(r.Find("gpu")->FindFlag("gpu_device") != nullptr);
  CHECK(r.Find("testop") == nullptr);
  auto order = r.InPriorityOrder({"xnnpack", "gpu"});
  REQUIRE(order.ok());
  CHECK((*order)[0]->name == "gpu");  // GPU first, then XNNPACK
}

TEST_CASE("XNNPACK then a test backend: each later delegate takes only what is left",
          "[delegates][registry]") {
  const ld::BackendRegistry registry = XnnpackAndTestop();
  const std::shared_ptr<const ls::Model> model = FallbackMiddleModel();
  const ls::OpRegistry ops = ls::OpRegistry::WithBuiltins();
  ld::BackendConfig config;
  // ADD is XNNPACK's (applied first), so the test backend gets only the two TANH nodes.
  config.flag_values = {{"testop_ops", "ADD,TANH"}};
  auto order = registry.InPriorityOrder({"testop", "xnnpack"});
  REQUIRE(order.ok());
  ld::AppliedBackends applied;
  auto interp = ls::Interpreter::Create(model, ops);
  REQUIRE(interp.ok());
  REQUIRE(ld::ApplyBackends(*order, config, **interp, &applied).ok());
  REQUIRE(applied.delegates.size() == 2);
  CHECK(std::string(applied.delegates[0]->name()) == "XNNPACK");
  const ls::Subgraph& sg = (*interp)->primary();
  std::vector<std::string> where;
  for (const ls::NodePlacement& p : sg.placement()) where.push_back(p.backend);
  CHECK(where ==
        std::vector<std::string>{"XNNPACK", "TESTOP", "XNNPACK", "TESTOP", "XNNPACK", "cpu"});
  CHECK(sg.placement()[0].refusals.empty());
  REQUIRE(sg.placement()[1].refusals.size() == 1);
  CHECK(sg.placement()[1].refusals[0].backend == "XNNPACK");
  REQUIRE(sg.placement()[5].refusals.size() == 2);
  CHECK(sg.placement()[5].refusals[1].backend == "TESTOP");
  CHECK(sg.placement()[5].refusals[1].reason ==
        "TESTOP: node 5 (EXP): not in --testop_ops=ADD,TANH");

  const std::vector<std::string> nodes = ld::FormatPlacementNodes(**interp);
  REQUIRE(nodes.size() == 6);
  CHECK(nodes[0] == "node 0 (ADD): XNNPACK partition 0");
  CHECK(nodes[1].rfind("node 1 (TANH): TESTOP partition 3; refused by XNNPACK (unsupported_op): ",
                       0) == 0);
  CHECK(nodes[5].find("; refused by TESTOP (unsupported_op): TESTOP: node 5 (EXP): not in") !=
        std::string::npos);
  // XNNPACK's summary names its own refusals only; nodes TESTOP runs are not CPU fallbacks.
  const std::vector<std::string> x = ld::FormatPlacementSummary(**interp, "XNNPACK");
  REQUIRE(x.size() == 3);
  CHECK(x[0] ==
        "Replacing 3 out of 6 node(s) with delegate (XNNPACK), yielding 3 partitions "
        "for the whole graph.");
  CHECK(x[1] == "1 node(s) fell back to the CPU:");
  CHECK(x[2].rfind("  EXP x1 (unsupported_op): XNNPACK: node 5 (EXP)", 0) == 0);
  const std::vector<std::string> t = ld::FormatPlacementSummary(**interp, "TESTOP");
  CHECK(t[0] ==
        "Replacing 2 out of 6 node(s) with delegate (TESTOP), yielding 2 partitions "
        "for the whole graph.");
  CHECK(t[2] == "  EXP x1 (unsupported_op): TESTOP: node 5 (EXP): not in --testop_ops=ADD,TANH");

  // The delegated graph computes what the reference kernels compute.
  auto reference = ls::Interpreter::Create(model, ops);
  REQUIRE(reference.ok());
  for (ls::Interpreter* in : {interp->get(), reference->get()}) {
    REQUIRE(in->AllocateTensors().ok());
    for (int i = 0; i < 2; ++i)
      for (int64_t e = 0; e < in->input(i)->elements(); ++e)
        in->input(i)->data_as<float>()[e] = 0.1f * static_cast<float>(e - 5 + i);
    REQUIRE(in->Invoke().ok());
  }
  for (int64_t e = 0; e < (*interp)->output(0)->elements(); ++e)
    CHECK((*interp)->output(0)->data_as<float>()[e] ==
          Approx((*reference)->output(0)->data_as<float>()[e]).epsilon(1e-5));
}

TEST_CASE("The analyzer checks a registered test backend without its delegate",
          "[delegates][registry][analyzers]") {
  const ld::BackendRegistry registry = XnnpackAndTestop();
  namespace la = litescope::analyzers;
  CHECK(la::KnownBackends(&registry) == std::vector<std::string>{"cpu", "xnnpack", "testop"});
  CHECK(la::CheckBackendName("testop", &registry).ok());
  CHECK(la::CheckBackendName("testop").code() == StatusCode::kInvalidArgument);
  la::CompatibilityOptions options;
  options.registry = &registry;
  options.backends = {"testop"};
  options.allocate = false;
  options.backend_config.flag_values = {{"testop_ops", "TANH,EXP"}};
  auto report = la::AnalyzeCompatibility(FallbackMiddleModel(), options);
  REQUIRE(report.ok());
  const la::BackendCompat* b = report->Find("testop");
  REQUIRE(b != nullptr);
  CHECK(b->display_name == "TESTOP");
  CHECK(b->supported_nodes == 3);
  CHECK(b->partition_count == 3);  // nodes 1, 3 and 5 are not adjacent
}
