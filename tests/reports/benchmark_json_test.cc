#include "reports/benchmark_json.h"

#include <catch2/catch.hpp>

#include <fstream>

#include "reports/gbench_json.h"
#include "reports/git_revision.h"
#include "reports/trace_events.h"

namespace lp = litescope::profiler;
namespace lrep = litescope::reports;
namespace lr = litescope::runtime;

namespace {

lrep::BenchmarkResult Result() {
  lrep::BenchmarkResult r;
  r.model_path = "models/m.tflite";
  r.model_sha256 = std::string(64, 'a');
  r.model_size_bytes = 1234;
  r.date = "2025-01-02T03:04:05+00:00";
  for (int64_t us : {100, 110, 120, 130}) {
    lrep::RunRecord run;
    run.start_ns = us * 10000;
    run.wall_ns = us * 1000;
    run.cpu_ns = us * 900;
    r.regular_runs.Add(run);
    if (us == 100) r.warmup_runs.Add(run);
  }
  lrep::FlagRecord f;
  f.name = "num_runs";
  f.type = lrep::FlagRecord::Type::kInt;
  f.int_value = 4;
  f.set = true;
  r.flags.push_back(f);
  return r;
}

}  // namespace

TEST_CASE("BenchmarkToJson writes a versioned report", "[reports][json]") {
  const nlohmann::json j = lrep::BenchmarkToJson(Result());
  CHECK(j["schema_version"] == lrep::kBenchmarkSchemaVersion);
  CHECK(j["name"] == "benchmark_model/m.tflite");
  CHECK(j["model"]["size_bytes"] == 1234);
  CHECK(j["flags"]["num_runs"] == nlohmann::json({{"value", 4}, {"type", "int"}, {"set", true}}));
  CHECK(j["latency"]["regular"]["samples_us"] == nlohmann::json({100.0, 110.0, 120.0, 130.0}));
  CHECK(j["latency"]["regular"]["stats"]["mean"] == Approx(115));
  CHECK(j["latency"]["regular"]["stats"]["median"] == Approx(120));
  CHECK(j["latency"]["warmup"]["stats"]["count"] == 1);
  CHECK(j["memory"]["peak_rss_bytes"].is_null());
  CHECK(j["op_profiling"]["regular"].empty());
  CHECK_FALSE(std::string(j["environment"]["compiler"]).empty());
  CHECK(j["environment"]["git_revision"] == lrep::GitRevision());
  CHECK(j["tool"]["git_revision"] == lrep::GitRevision());
}

TEST_CASE("GitRevision is 12 hex digits (maybe -dirty) or unknown", "[reports]") {
  // (No <regex>: GCC 12 warns falsely inside it under the sanitizers, see tests/CMakeLists.txt.)
  std::string rev = lrep::GitRevision();
  INFO("GitRevision() = " << rev);
  if (rev == "unknown") return;
  const std::string dirty = "-dirty";
  if (rev.size() > dirty.size() && rev.compare(rev.size() - dirty.size(), dirty.size(), dirty) == 0)
    rev.resize(rev.size() - dirty.size());
  REQUIRE(rev.size() == 12);
  CHECK(rev.find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("BenchmarkToJson records where every node runs", "[reports][json]") {
  lrep::BenchmarkResult r = Result();
  SECTION("no delegate: every node on the CPU, no verdict") {
    lrep::NodePlacementRecord n;
    n.type = "ADD";
    r.placement.nodes.push_back(n);
    const nlohmann::json p = lrep::BenchmarkToJson(r)["execution"]["placement"];
    CHECK(p["delegates"].empty());
    CHECK(p["partitions"].empty());
    CHECK(p["nodes"][0] == nlohmann::json({{"subgraph_index", 0},
                                           {"node_index", 0},
                                           {"type", "ADD"},
                                           {"backend", "cpu"},
                                           {"partition", nullptr},
                                           {"reason_code", nullptr},
                                           {"reason", ""},
                                           {"refusals", nlohmann::json::array()}}));
  }
  SECTION("a fallback between two partitions") {
    r.placement.delegates = {"XNNPACK"};
    r.placement.nodes = {{0, 0, "ADD", "XNNPACK", 0, "supported", "", {}},
                         {0,
                          1,
                          "TANH",
                          "cpu",
                          -1,
                          "unsupported_op",
                          "XNNPACK: node 1 (TANH): no",
                          {{"XNNPACK", "unsupported_op", "XNNPACK: node 1 (TANH): no"}}},
                         {0, 2, "MUL", "XNNPACK", 1, "supported", "", {}}};
    r.placement.partitions = {{0, 0, "XNNPACK", {0}}, {0, 1, "XNNPACK", {2}}};
    const nlohmann::json p = lrep::BenchmarkToJson(r)["execution"]["placement"];
    CHECK(p["delegates"] == nlohmann::json({"XNNPACK"}));
    REQUIRE(p["nodes"].size() == 3);
    CHECK(p["nodes"][1]["partition"].is_null());
    CHECK(p["nodes"][1]["reason_code"] == "unsupported_op");
    CHECK(p["nodes"][1]["reason"] == "XNNPACK: node 1 (TANH): no");
    CHECK(p["nodes"][1]["refusals"] ==
          nlohmann::json::array({{{"backend", "XNNPACK"},
                                  {"reason_code", "unsupported_op"},
                                  {"reason", "XNNPACK: node 1 (TANH): no"}}}));
    CHECK(p["nodes"][0]["refusals"].empty());
    CHECK(p["nodes"][2]["partition"] == 1);
    CHECK(p["partitions"][1] ==
          nlohmann::json(
              {{"subgraph_index", 0}, {"partition", 1}, {"backend", "XNNPACK"}, {"nodes", {2}}}));
  }
}

TEST_CASE("GbenchToJson follows Google Benchmark's JSON layout", "[reports][gbench]") {
  lrep::BenchmarkResult r = Result();
  r.benchmark_name = "mobilenet";
  r.output_prefix = "ci/";
  const nlohmann::json j = lrep::GbenchToJson(r);
  CHECK(j["context"]["json_schema_version"] == 1);
  const nlohmann::json& b = j["benchmarks"];
  REQUIRE(b.size() == 4 + 4);
  CHECK(b[0]["name"] == "ci/mobilenet");
  CHECK(b[0]["run_type"] == "iteration");
  CHECK(b[0]["iterations"] == 1);
  CHECK(b[0]["repetitions"] == 4);
  CHECK(b[3]["repetition_index"] == 3);
  CHECK(b[0]["real_time"] == Approx(100));
  CHECK(b[0]["cpu_time"] == Approx(90));
  CHECK(b[0]["time_unit"] == "us");
  CHECK(b[4]["name"] == "ci/mobilenet_mean");
  CHECK(b[4]["run_type"] == "aggregate");
  CHECK(b[4]["aggregate_name"] == "mean");
  CHECK(b[4]["real_time"] == Approx(115));
  CHECK(b[5]["aggregate_name"] == "median");
  CHECK(b[6]["aggregate_name"] == "stddev");
  CHECK(b[6]["real_time"] == Approx(12.9099).epsilon(1e-4));  // sample std of 100..130
  CHECK(b[7]["aggregate_name"] == "cv");
  CHECK(b[7]["aggregate_unit"] == "percentage");
}

TEST_CASE("TraceToJson writes complete events per node and run", "[reports][trace]") {
  lrep::BenchmarkResult r = Result();
  std::vector<lp::SubgraphLabels> labels(1);
  labels[0].nodes = {{"[out]:0", "cpu"}};
  lp::ProfileEvent e;
  e.kind = lr::EventKind::kInvoke;
  e.tag = "ADD";
  e.node = 0;
  e.phase = lp::Phase::kRegular;
  e.run = 2;
  e.begin_ns = 5'000'000;
  e.end_ns = 5'002'500;
  lp::ProfileEvent open = e;
  open.end_ns = 0;  // never ended: skipped
  const nlohmann::json j = lrep::TraceToJson(r, {e, open}, labels, 1'000'000, 1'000'000, 2'000'000);
  CHECK(j["displayTimeUnit"] == "ms");
  int complete = 0, ops = 0;
  for (const auto& ev : j["traceEvents"]) {
    CHECK((ev["ph"] == "X" || ev["ph"] == "M"));
    if (ev["ph"] != "X") continue;
    ++complete;
    if (ev["name"] == "ADD") {
      ++ops;
      CHECK(ev["ts"] == Approx(4000.0));
      CHECK(ev["dur"] == Approx(2.5));
      CHECK(ev["tid"] == 3);
      CHECK(ev["args"]["name"] == "[out]:0");
      CHECK(ev["args"]["run"] == 2);
      CHECK(ev["cat"] == "regular,op");
    }
  }
  CHECK(ops == 1);
  CHECK(complete == 1 + 1 + 4 + 1);  // Initialize, warmup run, regular runs, the op
}

TEST_CASE("TraceToJson puts device-measured events and copies on their own track",
          "[reports][trace]") {
  lrep::BenchmarkResult r = Result();
  std::vector<lp::SubgraphLabels> labels(1);
  labels[0].nodes = {{"[out]:0", "GPU"}};
  lp::ProfileEvent kernel;
  kernel.kind = lr::EventKind::kDeviceOp;
  kernel.clock = lr::EventClock::kDevice;
  kernel.tag = "CONV_2D";
  kernel.node = 0;
  kernel.phase = lp::Phase::kRegular;
  kernel.begin_ns = 3'000'000;
  kernel.end_ns = 3'004'000;
  lp::ProfileEvent copy = kernel;
  copy.kind = lr::EventKind::kCopy;
  copy.tag = "device->host";
  copy.begin_ns = 3'004'000;
  copy.end_ns = 3'005'000;
  const nlohmann::json j =
      lrep::TraceToJson(r, {kernel, copy}, labels, 1'000'000, 1'000'000, 2'000'000);
  int device_events = 0;
  bool named_track = false;
  for (const auto& ev : j["traceEvents"]) {
    if (ev["ph"] == "M" && ev["tid"] == 5) named_track = true;
    if (ev["ph"] != "X" || ev["tid"] != 5) continue;
    ++device_events;
    CHECK(ev["args"]["clock"] == "device");
    if (ev["name"] == "CONV_2D") {
      CHECK(ev["cat"] == "regular,device_op");
      CHECK(ev["dur"] == Approx(4.0));
      CHECK(ev["args"]["backend"] == "GPU");
    } else {
      CHECK(ev["cat"] == "regular,copy");
    }
  }
  CHECK(named_track);
  CHECK(device_events == 2);
}
