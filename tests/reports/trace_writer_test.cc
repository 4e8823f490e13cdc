#include "reports/trace_writer.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace lp = litescope::profiler;
namespace lrep = litescope::reports;

namespace {

std::string TempPath(const char* name) {
  return std::string(P_tmpdir) + "/litescope_" + std::to_string(::getpid()) + "_" + name;
}

bool Exists(const std::string& path) {
  std::ifstream in(path);
  return static_cast<bool>(in);
}

lrep::BenchmarkResult Result() {
  lrep::BenchmarkResult r;
  r.model_path = "m.tflite";
  r.date = "2026-01-01T00:00:00+00:00";
  return r;
}

}  // namespace

TEST_CASE("TraceWriter keeps the first events within its byte budget", "[reports][trace]") {
  const std::string path = TempPath("trace.json");
  lrep::TraceWriter::Limits limits;
  limits.max_bytes = 64 * 1024;
  auto writer = lrep::TraceWriter::Open(path, limits, Result(), 0);
  REQUIRE(writer.ok());
  lrep::TraceWriter& w = **writer;
  w.AddInit(10, 2000);
  for (int i = 0; i < 5000; ++i) {
    lp::RunRecord run;
    run.start_ns = 1'000'000 + i * 1000;
    run.wall_ns = 900;
    w.AddRun(lp::Phase::kRegular, i, run);
  }
  CHECK(w.full());
  CHECK_FALSE(Exists(path));  // only the .part file exists until Finish
  REQUIRE(w.Finish(Result()).ok());
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str().size() <= static_cast<size_t>(limits.max_bytes));
  const nlohmann::json j = nlohmann::json::parse(text.str());
  int runs = 0;
  int64_t last_run = -1;
  for (const auto& e : j["traceEvents"])
    if (e["ph"] == "X" && e["cat"] == "regular,run") {
      ++runs;
      CHECK(e["args"]["run"].get<int64_t>() == last_run + 1);  // the first runs, in order
      last_run = e["args"]["run"].get<int64_t>();
    }
  const auto& other = j["otherData"];
  CHECK(other["events_written"].get<int>() == runs + 1);  // + Initialize
  CHECK(other["dropped"]["regular,run"].get<int>() == 5000 - runs);
  CHECK_FALSE(Exists(path + ".part"));
  std::remove(path.c_str());
}

TEST_CASE("TraceWriter leaves nothing behind when the run fails", "[reports][trace]") {
  const std::string path = TempPath("failed.json");
  {
    auto writer = lrep::TraceWriter::Open(path, {}, Result(), 0);
    REQUIRE(writer.ok());
    (*writer)->AddInit(0, 100);
    CHECK(Exists(path + ".part"));
  }  // destroyed without Finish
  CHECK_FALSE(Exists(path + ".part"));
  CHECK_FALSE(Exists(path));
  CHECK_FALSE(lrep::TraceWriter::Open("/nonexistent_dir/x.json", {}, Result(), 0).ok());
}
