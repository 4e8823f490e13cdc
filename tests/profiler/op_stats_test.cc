#include "profiler/op_stats.h"

#include <catch2/catch.hpp>

#include <vector>

#include "profiler/event_buffer.h"
#include "runtime/interpreter.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/model_builder.h"
#include "runtime/op_registry.h"

namespace lp = litescope::profiler;
namespace lr = litescope::runtime;

namespace {

lp::ProfileEvent Event(lr::EventKind kind, const char* tag, int subgraph, int node,
                       int64_t begin_us, int64_t dur_us) {
  lp::ProfileEvent e;
  e.kind = kind;
  e.tag = tag;
  e.subgraph = subgraph;
  e.node = node;
  e.begin_ns = begin_us * 1000;
  e.end_ns = (begin_us + dur_us) * 1000;
  return e;
}

std::vector<lp::SubgraphLabels> Labels() {
  lp::SubgraphLabels main;
  main.name = "main";
  main.nodes = {{"[a]:0", "cpu"}, {"[b]:1", "cpu"}, {"[c]:2", "XNNPACK"}};
  main.partitions = {{"[c]:2", "XNNPACK"}};
  lp::SubgraphLabels body;
  body.name = "body";
  body.nodes = {{"[x]:0", "cpu"}};
  return {main, body};
}

// out = in * 2 (float32), registered as a custom op.
litescope::Status TimesTwoPrepare(lr::KernelContext& ctx, lr::Node& node) {
  return ctx.ResizeTensor(*ctx.output(node, 0), ctx.input(node, 0)->shape);
}
litescope::Status TimesTwoEval(lr::KernelContext& ctx, lr::Node& node) {
  const lr::Tensor* in = ctx.input(node, 0);
  lr::Tensor* out = ctx.output(node, 0);
  for (int64_t i = 0; i < in->elements(); ++i)
    out->data_as<float>()[i] = in->data_as<float>()[i] * 2;
  return litescope::Status::Ok();
}

}  // namespace

TEST_CASE("OpStats aggregates node events per call and per run", "[profiler][op_stats]") {
  lp::OpStats stats(Labels());
  using K = lr::EventKind;
  const std::vector<lp::ProfileEvent> run1 = {Event(K::kInvoke, "CONV_2D", 0, 0, 0, 100),
                                              Event(K::kInvoke, "ADD", 0, 1, 100, 50)};
  const std::vector<lp::ProfileEvent> run2 = {Event(K::kInvoke, "CONV_2D", 0, 0, 0, 300),
                                              Event(K::kInvoke, "ADD", 0, 1, 300, 50)};
  stats.AddRun(run1.data(), run1.size());
  stats.AddRun(run2.data(), run2.size());
  const lp::OpStatsTable* t = stats.primary();
  REQUIRE(t);
  REQUIRE(t->nodes.size() == 2);
  CHECK(t->num_runs() == 2);
  CHECK(t->run_total_us.first() == Approx(150));
  CHECK(t->run_total_us.mean() == Approx(250));
  const lp::NodeStats& conv = t->nodes[0];
  CHECK(conv.type == "CONV_2D");
  CHECK(conv.name == "[a]:0");
  CHECK(conv.backend == "cpu");
  CHECK(conv.run_order == 0);
  CHECK(conv.times_called == 2);
  CHECK(conv.time_us.first() == Approx(100));
  CHECK(conv.time_us.mean() == Approx(200));
  CHECK(conv.avg_us_per_run(t->num_runs()) == Approx(200));
  CHECK(t->nodes[1].run_order == 1);
}

TEST_CASE("OpStats keeps subgraphs, partitions and delegate ops apart", "[profiler][op_stats]") {
  lp::OpStats stats(Labels());
  using K = lr::EventKind;
  const std::vector<lp::ProfileEvent> run = {
      Event(K::kInvoke, "WHILE", 0, 0, 0, 100),
      Event(K::kInvoke, "ADD", 1, 0, 10, 20),  // body, called twice in one run
      Event(K::kInvoke, "ADD", 1, 0, 40, 20),
      Event(K::kInvoke, "XNNPACK", 0, -1, 100, 60),  // partition 0 as one event
      Event(K::kDelegateOp, "CONV_2D", 0, 2, 100, 25),
      Event(K::kDelegateOp, "MEAN", 0, 2, 125, 25),
  };
  stats.AddRun(run.data(), run.size());
  const std::vector<const lp::OpStatsTable*> tables = stats.tables();
  REQUIRE(tables.size() == 3);
  const lp::OpStatsTable& main = *tables[0];
  const lp::OpStatsTable& body = *tables[1];
  const lp::OpStatsTable& internal = *tables[2];
  CHECK(main.subgraph_name == "main");
  CHECK(main.run_total_us.sum() == Approx(160));  // delegate ops are not added again
  REQUIRE(main.nodes.size() == 2);
  CHECK(main.nodes[1].type == "XNNPACK");
  CHECK(main.nodes[1].name == "[c]:2");
  CHECK(main.nodes[1].backend == "XNNPACK");
  CHECK(body.subgraph == 1);
  CHECK(body.subgraph_name == "body");
  REQUIRE(body.nodes.size() == 1);
  CHECK(body.nodes[0].times_called == 2);
  CHECK(body.run_total_us.sum() == Approx(40));
  CHECK(internal.kind == lp::OpStatsTable::Kind::kDelegateInternal);
  REQUIRE(internal.nodes.size() == 2);  // keyed by node, then by tag
  CHECK(internal.nodes[0].backend == "XNNPACK");
}

TEST_CASE("OpStats puts device-measured node times and copies in a device table",
          "[profiler][op_stats]") {
  lp::OpStats stats(Labels());
  using K = lr::EventKind;
  std::vector<lp::ProfileEvent> run = {
      Event(K::kInvoke, "GPU", 0, -1, 0, 100),       // the partition, timed on the host
      Event(K::kDeviceOp, "CONV_2D", 0, 2, 10, 40),  // the device's own time for node 2
      Event(K::kCopy, "host->device", 0, 2, 0, 8),
      Event(K::kCopy, "device->host", 0, 2, 90, 6),
  };
  for (auto& e : run)
    if (e.kind != K::kInvoke) e.clock = lr::EventClock::kDevice;
  stats.AddRun(run.data(), run.size());
  stats.AddRun(run.data(), run.size());
  const std::vector<const lp::OpStatsTable*> tables = stats.tables();
  REQUIRE(tables.size() == 2);
  const lp::OpStatsTable& main = *tables[0];
  const lp::OpStatsTable& device = *tables[1];
  CHECK(main.run_total_us.sum() == Approx(200));  // device rows are not added to the graph's
  CHECK(device.kind == lp::OpStatsTable::Kind::kDevice);
  REQUIRE(device.nodes.size() == 3);  // node 2's kernel and its two copies, keyed by tag
  CHECK(device.nodes[0].type == "CONV_2D");
  CHECK(device.nodes[0].name == "[c]:2");
  CHECK(device.nodes[0].times_called == 2);
  CHECK(device.nodes[0].avg_us_per_run(device.num_runs()) == Approx(40));
  CHECK(device.nodes[1].type == "host->device");
  CHECK(device.run_total_us.sum() == Approx(2 * 54));
}

TEST_CASE("OpStats keys non-node events by tag and skips open events", "[profiler][op_stats]") {
  lp::OpStats stats(Labels());
  using K = lr::EventKind;
  std::vector<lp::ProfileEvent> init = {Event(K::kPrepare, "CONV_2D", 0, 0, 0, 5),
                                        Event(K::kAllocate, "AllocateTensors", 0, -1, 5, 7),
                                        Event(K::kInvoke, "ADD", 0, 1, 12, 1)};
  init[2].end_ns = 0;  // never ended
  stats.AddRun(init.data(), init.size());
  const lp::OpStatsTable* t = stats.primary();
  REQUIRE(t);
  REQUIRE(t->nodes.size() == 2);
  CHECK(t->nodes[1].type == "AllocateTensors");
  CHECK(t->nodes[1].name == "[AllocateTensors]");
  CHECK(t->run_total_us.sum() == Approx(12));
}

TEST_CASE("EventBuffer and OpStats profile a real interpreter", "[profiler][op_stats]") {
  lr::ModelBuilder b;
  const int in = b.AddTensor(0, "in", lr::DataType::kFloat32, {1, 4});
  const int mid = b.AddTensor(0, "mid", lr::DataType::kFloat32, {1, 4});
  const int out = b.AddTensor(0, "out", lr::DataType::kFloat32, {1, 4});
  b.AddCustomOperator(0, "TIMES_TWO", {in}, {mid});
  b.AddCustomOperator(0, "TIMES_TWO", {mid}, {out});
  b.SetInputs(0, {in});
  b.SetOutputs(0, {out});
  const std::vector<uint8_t> bytes = b.Finish();
  auto model = lr::Model::FromBufferCopy(bytes.data(), bytes.size(), "test");
  REQUIRE(model.ok());
  lr::OpRegistry registry = lr::OpRegistry::WithBuiltins();
  lr::KernelRegistration reg;
  reg.prepare = TimesTwoPrepare;
  reg.eval = TimesTwoEval;
  registry.AddCustom("TIMES_TWO", reg);
  auto interp = lr::Interpreter::Create(*model, registry);
  REQUIRE(interp.ok());

  lp::EventBuffer events(64);
  (*interp)->SetProfilingHooks(&events);
  events.SetPhase(lp::Phase::kInit, 0);
  REQUIRE((*interp)->AllocateTensors().ok());
  const std::vector<lp::SubgraphLabels> labels = lp::LabelNodes(**interp);
  REQUIRE(labels.size() == 1);
  CHECK(labels[0].nodes[0].name == "[mid]:0");
  CHECK(labels[0].nodes[1].name == "[out]:1");
  lp::OpStats init(labels), regular(labels);
  init.AddRun(events);
  CHECK(init.primary()->nodes.size() == 3);  // two Prepare events and AllocateTensors

  for (int run = 0; run < 3; ++run) {
    events.Clear();
    events.SetPhase(lp::Phase::kRegular, run);
    REQUIRE((*interp)->Invoke().ok());
    REQUIRE(events.size() == 2);
    CHECK(events[0].kind == lr::EventKind::kInvoke);
    CHECK(events[1].run == run);
    regular.AddRun(events);
  }
  const lp::OpStatsTable* t = regular.primary();
  REQUIRE(t);
  CHECK(t->num_runs() == 3);
  REQUIRE(t->nodes.size() == 2);
  CHECK(t->nodes[0].type == "TIMES_TWO");
  CHECK(t->nodes[0].times_called == 3);
  CHECK(events.dropped() == 0);
  (*interp)->SetProfilingHooks(nullptr);
}
