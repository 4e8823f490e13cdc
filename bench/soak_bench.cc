// Soak: many inferences in one process, with the resident set size (VmRSS in /proc/self/status)
// sampled throughout, to show that memory does not grow after warm-up.
//
//   BM_SoakInvoke/<model>   10,000 Invokes of one interpreter (after 100 warm-up runs)
//   BM_SoakReload/<model>   1,000 rounds of load + Create + AllocateTensors + Invoke (after 20
//                           warm-up rounds): what a tool that runs many models goes through
//
// Counters (KiB): rss_warm (after warm-up), rss_end, rss_growth = rss_end - rss_warm and
// rss_peak (largest sample); each run also prints one "soak:" line on stderr. The model is
// $LITESCOPE_SOAK_MODEL when set, else ../shared/models/person_detect.tflite (or
// $LITESCOPE_SHARED_DIR/models/...), else builtin:mobilenet_like when the shared folder is
// missing.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "runtime/interpreter.h"
#include "runtime/op_registry.h"
#include "runtime/sample_models.h"

namespace {

namespace lr = litescope::runtime;

constexpr int64_t kInvokeRuns = 10'000;
constexpr int64_t kInvokeWarmup = 100;
constexpr int64_t kReloadRuns = 1'000;
constexpr int64_t kReloadWarmup = 20;
constexpr int64_t kSampleEvery = 250;

// Resident set size in KiB, or -1 when /proc is unavailable.
int64_t RssKib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atoll(line.c_str() + 6);
  return -1;
}

// The model under test: its name and bytes (read once; each reload parses them again).
struct SoakModel {
  std::string name;
  std::vector<uint8_t> bytes;
};

SoakModel PickModel() {
  std::string path;
  if (const char* env = std::getenv("LITESCOPE_SOAK_MODEL")) {
    path = env;
  } else {
    const std::filesystem::path shared =
        std::getenv("LITESCOPE_SHARED_DIR")
            ? std::filesystem::path(std::getenv("LITESCOPE_SHARED_DIR"))
            : std::filesystem::path(LITESCOPE_SOURCE_DIR).parent_path() / "shared";
    const std::filesystem::path candidate = shared / "models" / "person_detect.tflite";
    if (std::filesystem::exists(candidate)) path = candidate.string();
  }
  if (!path.empty()) {
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
    if (!bytes.empty()) return {std::filesystem::path(path).filename().string(), bytes};
    std::fprintf(stderr, "soak: cannot read %s; using builtin:mobilenet_like\n", path.c_str());
  }
  auto built = lr::BuildSampleModel("mobilenet_like");
  if (!built.ok()) return {"mobilenet_like", {}};
  return {"builtin:mobilenet_like", std::move(built.value())};
}

// One interpreter with its inputs filled; null (and a message) when the model cannot run.
struct Runner {
  std::shared_ptr<const lr::Model> model;
  std::unique_ptr<lr::Interpreter> interp;
};

std::unique_ptr<Runner> MakeRunner(const SoakModel& m) {
  auto r = std::make_unique<Runner>();
  auto model = lr::Model::FromBuffer(m.bytes.data(), m.bytes.size(), m.name);
  litescope::Status status = model.status();
  if (model.ok()) {
    r->model = *model;
    auto interp = lr::Interpreter::Create(r->model, lr::OpRegistry::WithBuiltins());
    status = interp.status();
    if (interp.ok()) {
      r->interp = std::move(interp.value());
      status = r->interp->AllocateTensors();
    }
  }
  if (!status.ok()) {
    std::fprintf(stderr, "soak: %s\n", status.message().c_str());
    return nullptr;
  }
  for (int i = 0; i < r->interp->input_count(); ++i) {
    lr::Tensor* t = r->interp->input(i);
    if (t->data && !t->is_constant())
      for (size_t b = 0; b < t->bytes; ++b)
        static_cast<uint8_t*>(t->data)[b] = static_cast<uint8_t>(b * 7);
  }
  return r;
}

// RSS samples of one benchmark run.
class RssTrack {
 public:
  void Warm() { warm_ = peak_ = RssKib(); }
  void Sample() { peak_ = std::max(peak_, RssKib()); }
  void Report(benchmark::State& state, const char* what, const std::string& model, int64_t runs) {
    const int64_t end = RssKib();
    peak_ = std::max(peak_, end);
    state.counters["rss_warm_kib"] = static_cast<double>(warm_);
    state.counters["rss_end_kib"] = static_cast<double>(end);
    state.counters["rss_growth_kib"] = static_cast<double>(end - warm_);
    state.counters["rss_peak_kib"] = static_cast<double>(peak_);
    std::fprintf(stderr,
                 "soak: %s %s: %lld runs; RSS after warm-up %lld KiB, at end %lld KiB, "
                 "growth %lld KiB, peak %lld KiB\n",
                 what, model.c_str(), static_cast<long long>(runs), static_cast<long long>(warm_),
                 static_cast<long long>(end), static_cast<long long>(end - warm_),
                 static_cast<long long>(peak_));
  }

 private:
  int64_t warm_ = 0, peak_ = 0;
};

void BM_SoakInvoke(benchmark::State& state, const SoakModel* m) {
  std::unique_ptr<Runner> r = MakeRunner(*m);
  if (!r) return state.SkipWithError("model does not run");
  for (int64_t i = 0; i < kInvokeWarmup; ++i)
    if (!r->interp->Invoke().ok()) return state.SkipWithError("Invoke failed");
  RssTrack rss;
  rss.Warm();
  int64_t n = 0;
  for (auto _ : state) {
    if (!r->interp->Invoke().ok()) return state.SkipWithError("Invoke failed");
    if (++n % kSampleEvery == 0) {
      state.PauseTiming();
      rss.Sample();
      state.ResumeTiming();
    }
  }
  rss.Report(state, "invoke", m->name, n);
}

void BM_SoakReload(benchmark::State& state, const SoakModel* m) {
  for (int64_t i = 0; i < kReloadWarmup; ++i) {
    std::unique_ptr<Runner> r = MakeRunner(*m);
    if (!r || !r->interp->Invoke().ok()) return state.SkipWithError("model does not run");
  }
  RssTrack rss;
  rss.Warm();
  int64_t n = 0;
  for (auto _ : state) {
    std::unique_ptr<Runner> r = MakeRunner(*m);
    if (!r || !r->interp->Invoke().ok()) return state.SkipWithError("model does not run");
    if (++n % kSampleEvery == 0) {
      state.PauseTiming();
      rss.Sample();
      state.ResumeTiming();
    }
  }
  rss.Report(state, "reload", m->name, n);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  static const SoakModel model = PickModel();
  if (model.bytes.empty()) {
    std::fprintf(stderr, "error: no model to soak\n");
    return 1;
  }
  benchmark::RegisterBenchmark(("BM_SoakInvoke/" + model.name).c_str(), BM_SoakInvoke, &model)
      ->Iterations(kInvokeRuns)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(("BM_SoakReload/" + model.name).c_str(), BM_SoakReload, &model)
      ->Iterations(kReloadRuns)
      ->Unit(benchmark::kMillisecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
