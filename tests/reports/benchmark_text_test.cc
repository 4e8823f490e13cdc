#include "reports/benchmark_text.h"

#include <catch2/catch.hpp>

#include <sstream>
#include <vector>

namespace lp = litescope::profiler;
namespace lrep = litescope::reports;
namespace lr = litescope::runtime;

namespace {

lp::RunSamples Runs(const std::vector<int64_t>& us) {
  lp::RunSamples runs;
  for (int64_t u : us) {
    lrep::RunRecord r;
    r.wall_ns = u * 1000 + 999;  // sub-microsecond parts are truncated, as TFLite's clock does
    runs.Add(r);
  }
  return runs;
}

lp::ProfileEvent Event(const char* tag, int node, int64_t dur_us) {
  lp::ProfileEvent e;
  e.kind = lr::EventKind::kInvoke;
  e.tag = tag;
  e.node = node;
  e.begin_ns = 1000;
  e.end_ns = 1000 + dur_us * 1000;
  return e;
}

}  // namespace

TEST_CASE("FormatLatencyLine prints TFLite's statistics line", "[reports][text]") {
  CHECK(lrep::FormatLatencyLine(Runs({100, 200, 300})) ==
        "count=3 first=100 curr=300 min=100 max=300 avg=200 std=81 p5=100 median=200 "
        "p95=300\n");
  CHECK(lrep::FormatLatencyLine(Runs({7, 7})) == "count=2 curr=7(all same) p5=7 median=7 p95=7\n");
  CHECK(lrep::FormatLatencyLine(Runs({7})) == "count=1 curr=7 p5=7 median=7 p95=7\n");
  CHECK(lrep::FormatLatencyLine(lp::RunSamples()) == "count=0 p5=0 median=0 p95=0\n");
}

TEST_CASE("FormatStreamDouble matches a default C++ stream", "[reports][text]") {
  for (double v : {0.0, 62.437, 122373.25, 1223730.5, 0.5, 870.557, -1.0}) {
    std::ostringstream os;
    os << v;
    CHECK(lrep::FormatStreamDouble(v) == os.str());
  }
  CHECK(lrep::FormatStreamDouble(1223730.5) == "1.22373e+06");
}

TEST_CASE("FormatRunBanner and the timing summary use TFLite's words", "[reports][text]") {
  CHECK(lrep::FormatRunBanner(50, 1, 150) ==
        "Running benchmark for at least 50 iterations and at least 1 seconds but terminate if "
        "exceeding 150 seconds.\n");
  lrep::BenchmarkResult r;
  r.init_us = 870557.9;
  r.warmup_runs = Runs({130565, 114181});
  r.regular_runs = Runs({119212, 119538});
  CHECK(lrep::FormatTimingSummary(r) ==
        "Inference timings in us: Init: 870557, First inference: 130565, Warmup (avg): 122373, "
        "Inference (avg): 119375\n");
}

TEST_CASE("FormatParamEcho echoes set flags with TFLite's labels", "[reports][text]") {
  std::vector<lrep::FlagRecord> flags(3);
  flags[0].label = "Min num runs";
  flags[0].type = lrep::FlagRecord::Type::kInt;
  flags[0].int_value = 50;
  flags[1].label = "Enable op profiling";
  flags[1].type = lrep::FlagRecord::Type::kBool;
  flags[1].bool_value = true;
  flags[1].set = true;
  flags[2].label = "Graph";
  flags[2].string_value = "m.tflite";
  flags[2].always_echo = true;
  CHECK(lrep::FormatParamEcho(flags, false) ==
        "Log parameter values verbosely: [0]\nEnable op profiling: [1]\nGraph: [m.tflite]\n");
  CHECK(lrep::FormatParamEcho(flags, true) ==
        "Log parameter values verbosely: [1]\nMin num runs: [50]\nEnable op profiling: [1]\n"
        "Graph: [m.tflite]\n");
}

TEST_CASE("FormatMemorySummary prints TFLite's memory lines", "[reports][text]") {
  lrep::BenchmarkResult r;
  CHECK(lrep::FormatMemorySummary(r).empty());
  r.memory.init_footprint_delta_mb = 8.97656;
  r.memory.overall_footprint_delta_mb = 18.7227;
  r.memory.peak_rss_bytes = 25 * 1024 * 1024;
  r.memory.at_end.vm_rss_bytes = 40 * 1024 * 1024;
  r.memory.at_end.rss_anon_bytes = 28 * 1024 * 1024;
  r.memory.at_end.rss_file_bytes = 11 * 1024 * 1024;
  r.memory.at_end.rss_shmem_bytes = 1024 * 1024;
  const std::string text = lrep::FormatMemorySummary(r);
  CHECK(text.find("Memory footprint delta from the start of the tool (MB): init=8.97656 "
                  "overall=18.7227\n") != std::string::npos);
  CHECK(text.find("Overall peak memory footprint (MB) via periodic monitoring: 25\n") !=
        std::string::npos);
  CHECK(text.find("Memory status at the end of exeution:\n- VmRSS              : 40 MB\n"
                  "+ RssAnnon           : 28 MB\n+ RssFile + RssShmem : 12 MB\n") !=
        std::string::npos);
}

TEST_CASE("FormatOpProfileTables lays out TFLite's tables", "[reports][text]") {
  std::vector<lp::SubgraphLabels> labels(1);
  labels[0].name = "main";
  labels[0].nodes = {{"[conv]:0", "cpu"}, {"[dw]:1", "cpu"}, {"[conv2]:2", "cpu"}};
  lp::OpStats stats(labels);
  const std::vector<lp::ProfileEvent> run = {
      Event("CONV_2D", 0, 4269), Event("DEPTHWISE_CONV_2D", 1, 2150), Event("CONV_2D", 2, 1000)};
  stats.AddRun(run.data(), run.size());
  const std::string text = lrep::FormatOpProfileTables(stats);
  CHECK(text.find("============================== Run Order ==============================\n"
                  "\t             [node type]\t  [first]\t [avg ms]\t     [%]\t  [cdf%]\t"
                  "  [mem KB]\t[times called]\t[Name]\n"
                  "\t                 CONV_2D\t    4.269\t    4.269\t 57.541%\t 57.541%\t"
                  "     0.000\t        1\t[conv]:0\n"
                  "\t       DEPTHWISE_CONV_2D\t    2.150\t    2.150\t 28.980%\t 86.521%\t"
                  "     0.000\t        1\t[dw]:1\n") != std::string::npos);
  CHECK(text.find("============================== Top by Computation Time") != std::string::npos);
  CHECK(text.find("Number of nodes executed: 3\n"
                  "============================== Summary by node type "
                  "==============================\n"
                  "\t             [Node type]\t  [count]\t  [avg ms]\t    [avg %]\t    [cdf %]\t"
                  "  [mem KB]\t[times called]\n"
                  "\t                 CONV_2D\t        2\t     5.269\t    71.020%\t    71.020%\t"
                  "     0.000\t        2\n") != std::string::npos);
  CHECK(text.find("Timings (microseconds): count=1 curr=7419\nMemory (bytes): count=0\n"
                  "3 nodes observed\n") != std::string::npos);
  CHECK(text.find("Primary graph") == std::string::npos);  // one subgraph: no headings
}

TEST_CASE("FormatOpProfileCsv writes one table with a section column", "[reports][text]") {
  std::vector<lp::SubgraphLabels> labels(1);
  labels[0].nodes = {{"[a,b]:0", "cpu"}};
  lp::OpStats init(labels), regular(labels);
  const std::vector<lp::ProfileEvent> run = {Event("SPLIT", 0, 10)};
  init.AddRun(run.data(), run.size());
  regular.AddRun(run.data(), run.size());
  lrep::BenchmarkResult r;
  r.init_ops = &init;
  r.regular_ops = &regular;
  const std::string csv = lrep::FormatOpProfileCsv(r);
  CHECK(csv ==
        "section,graph,subgraph_index,table,rank,node_type,name,node_index,backend,node_count,"
        "first_ms,avg_ms,percent,cdf_percent,mem_kb,times_called\n"
        "init,primary,0,run_order,1,SPLIT,\"[a,b]:0\",0,cpu,,0.010000,0.010000,100.000,100.000,"
        "0,1\n"
        "init,primary,0,summary_by_type,1,SPLIT,,,,1,,0.010000,100.000,100.000,0,1\n"
        "regular,primary,0,run_order,1,SPLIT,\"[a,b]:0\",0,cpu,,0.010000,0.010000,100.000,"
        "100.000,0,1\n"
        "regular,primary,0,summary_by_type,1,SPLIT,,,,1,,0.010000,100.000,100.000,0,1\n");
}
