// The reference CPU kernels against the XNNPACK delegate, 1 thread, in one run.
//
//   BM_Model/<model>/reference     Invoke on the reference kernels
//   BM_Model/<model>/xnnpack       Invoke with the XNNPACK delegate applied (label: how many
//                                  nodes it took, in how many partitions)
//   BM_Conv/<shape>/delegate       one big CONV_2D model through the delegate (counter GFLOPS)
//   BM_Conv/<shape>/xnn_operator   the same convolution through XNNPACK's operator API directly:
//                                  what the delegate's overhead is measured against
//
// Models: every .tflite file in ../shared/models (or $LITESCOPE_SHARED_DIR/models); a model a
// backend cannot run yet (a missing CPU kernel for a fallback node) is skipped with a line on
// stderr. Inputs are fixed-seed random values (floats in [-1, 1], integers over their range).
#include <benchmark/benchmark.h>

#include <xnnpack.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "delegates/xnnpack/xnnpack_delegate.h"
#include "runtime/interpreter.h"
#include "runtime/model_builder.h"
#include "runtime/op_registry.h"
#include "runtime/subgraph.h"

namespace {

namespace lr = litescope::runtime;
namespace ld = litescope::delegates;
namespace sc = litescope::schema;

std::string SharedModelsDir() {
  if (const char* env = std::getenv("LITESCOPE_SHARED_DIR")) return std::string(env) + "/models";
  return (std::filesystem::path(LITESCOPE_SOURCE_DIR).parent_path() / "shared" / "models").string();
}

void FillInputs(lr::Interpreter& interp) {
  std::mt19937 rng(1234);
  for (int i = 0; i < interp.input_count(); ++i) {
    lr::Tensor* t = interp.input(i);
    if (t->type == lr::DataType::kFloat32) {
      std::uniform_real_distribution<float> d(-1.f, 1.f);
      for (int64_t k = 0; k < t->elements(); ++k) t->data_as<float>()[k] = d(rng);
    } else if (t->type == lr::DataType::kInt32 || t->type == lr::DataType::kInt64) {
      std::fill_n(static_cast<uint8_t*>(t->data), t->bytes, 0);  // ids / lengths: zeros are valid
    } else {
      for (size_t k = 0; k < t->bytes; ++k) static_cast<uint8_t*>(t->data)[k] = rng() & 0x7f;
    }
  }
}

// One model on one backend, ready to invoke.
struct Subject {
  std::string name;
  std::unique_ptr<ld::XnnpackDelegate> delegate;  // outlives the interpreter
  std::unique_ptr<lr::Interpreter> interp;
  std::string label;
};

std::unique_ptr<Subject> Prepare(const std::string& name, std::shared_ptr<const lr::Model> model,
                                 bool xnnpack) {
  auto s = std::make_unique<Subject>();
  s->name = name;
  const char* backend = xnnpack ? "xnnpack" : "reference";
  if (xnnpack) {
    auto d = ld::XnnpackDelegate::Create();  // 1 thread
    if (!d.ok()) {
      std::fprintf(stderr, "SKIPPED: %s/%s: %s\n", name.c_str(), backend,
                   d.status().message().c_str());
      return nullptr;
    }
    s->delegate = std::move(d.value());
  }
  lr::InterpreterOptions io;
  io.num_threads = 1;
  auto interp = lr::Interpreter::Create(std::move(model), lr::OpRegistry::WithBuiltins(), io);
  litescope::Status st = interp.ok() ? litescope::Status::Ok() : interp.status();
  if (st.ok()) {
    s->interp = std::move(interp.value());
    if (s->delegate) st = s->interp->ApplyDelegate(*s->delegate);
  }
  if (st.ok()) st = s->interp->AllocateTensors();
  if (st.ok()) {
    FillInputs(*s->interp);
    st = s->interp->Invoke();
  }
  if (!st.ok()) {
    std::fprintf(stderr, "SKIPPED: %s/%s: %s\n", name.c_str(), backend, st.message().c_str());
    return nullptr;
  }
  if (s->delegate) {
    int nodes = 0, delegated = 0, partitions = 0;
    for (int i = 0; i < s->interp->subgraph_count(); ++i) {
      lr::Subgraph* sg = s->interp->subgraph(i);
      nodes += static_cast<int>(sg->nodes().size());
      partitions += static_cast<int>(sg->partitions().size());
      for (const lr::NodePlacement& p : sg->placement()) delegated += p.partition >= 0;
    }
    s->label = fmt::format("{}/{} nodes in {} partitions", delegated, nodes, partitions);
  }
  return s;
}

// Prepares a model on first use, so that a --benchmark_filter run builds only what it runs.
struct Entry {
  std::string name;
  std::string path;
  bool xnnpack = false;
  bool tried = false;
  std::unique_ptr<Subject> subject;
};

std::vector<std::unique_ptr<Entry>>& Entries() {
  static std::vector<std::unique_ptr<Entry>> entries;
  return entries;
}

void BM_Model(benchmark::State& state, Entry* e) {
  if (!e->tried) {
    e->tried = true;
    auto model = lr::Model::FromFile(e->path);
    if (model.ok()) e->subject = Prepare(e->name, *model, e->xnnpack);
  }
  if (!e->subject) {
    state.SkipWithError("cannot run on this backend yet (see stderr)");
    return;
  }
  Subject* s = e->subject.get();
  for (auto _ : state) {
    if (!s->interp->Invoke().ok()) {
      state.SkipWithError("Invoke failed");
      break;
    }
  }
  state.SetLabel(s->label);
}

// --- One big convolution: the delegate against XNNPACK's operator API -------------------------

struct ConvShape {
  const char* name;
  int size, in_c, out_c, k;
};
constexpr ConvShape kConvShapes[] = {
    {"1x56x56x128_to_128_k1", 56, 128, 128, 1},
    {"1x56x56x64_to_64_k3", 56, 64, 64, 3},
};

double ConvFlops(const ConvShape& c) {
  return 2.0 * c.size * c.size * c.out_c * c.in_c * c.k * c.k;
}

std::vector<float> Weights(size_t n) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> d(-0.1f, 0.1f);
  std::vector<float> w(n);
  for (float& v : w) v = d(rng);
  return w;
}

std::shared_ptr<const lr::Model> ConvModel(const ConvShape& c) {
  lr::ModelBuilder b;
  const int in = b.AddTensor(0, "in", lr::DataType::kFloat32, {1, c.size, c.size, c.in_c});
  const int w = b.AddConstTensor<float>(0, "w", lr::DataType::kFloat32, {c.out_c, c.k, c.k, c.in_c},
                                        Weights(static_cast<size_t>(c.out_c * c.k * c.k * c.in_c)));
  const int bias = b.AddConstTensor<float>(0, "b", lr::DataType::kFloat32, {c.out_c},
                                           std::vector<float>(static_cast<size_t>(c.out_c), 0.f));
  const int out = b.AddTensor(0, "out", lr::DataType::kFloat32, {1, c.size, c.size, c.out_c});
  b.AddOperator(0, sc::BuiltinOperator::CONV_2D, {in, w, bias}, {out},
                [](flatbuffers::FlatBufferBuilder& fb) {
                  return std::make_pair(
                      sc::BuiltinOptions::Conv2DOptions,
                      sc::CreateConv2DOptions(fb, sc::Padding::SAME, 1, 1).Union());
                });
  b.SetInputs(0, {in});
  b.SetOutputs(0, {out});
  const std::vector<uint8_t> bytes = b.Finish();
  auto model = lr::Model::FromBufferCopy(bytes.data(), bytes.size(), c.name);
  return model.ok() ? *model : nullptr;
}

void BM_ConvDelegate(benchmark::State& state, ConvShape c) {
  std::shared_ptr<const lr::Model> model = ConvModel(c);
  std::unique_ptr<Subject> s = model ? Prepare(c.name, model, true) : nullptr;
  if (!s) {
    state.SkipWithError("cannot build the convolution model");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(s->interp->Invoke());
  state.counters["GFLOPS"] =
      benchmark::Counter(ConvFlops(c) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(s->label);
}

void BM_ConvOperator(benchmark::State& state, ConvShape c) {
  if (xnn_initialize(nullptr) != xnn_status_success) {
    state.SkipWithError("xnn_initialize failed");
    return;
  }
  const std::vector<float> w = Weights(static_cast<size_t>(c.out_c * c.k * c.k * c.in_c));
  const std::vector<float> bias(static_cast<size_t>(c.out_c), 0.f);
  std::vector<float> in(static_cast<size_t>(c.size * c.size * c.in_c) + XNN_EXTRA_BYTES, 0.5f);
  std::vector<float> out(static_cast<size_t>(c.size * c.size * c.out_c));
  const uint32_t pad = static_cast<uint32_t>(c.k / 2);
  xnn_operator_t op = nullptr;
  if (xnn_create_convolution2d_nhwc_f32(
          pad, pad, pad, pad, static_cast<uint32_t>(c.k), static_cast<uint32_t>(c.k), 1, 1, 1, 1, 1,
          static_cast<size_t>(c.in_c), static_cast<size_t>(c.out_c), static_cast<size_t>(c.in_c),
          static_cast<size_t>(c.out_c), w.data(), bias.data(), -INFINITY, INFINITY, 0,
          &op) != xnn_status_success ||
      xnn_setup_convolution2d_nhwc_f32(op, 1, static_cast<size_t>(c.size),
                                       static_cast<size_t>(c.size), in.data(), out.data(),
                                       nullptr) != xnn_status_success) {
    state.SkipWithError("XNNPACK convolution operator failed");
    if (op) xnn_delete_operator(op);
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(xnn_run_operator(op, nullptr));
  state.counters["GFLOPS"] =
      benchmark::Counter(ConvFlops(c) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  xnn_delete_operator(op);
}

void RegisterAll() {
  for (const ConvShape& c : kConvShapes) {
    benchmark::RegisterBenchmark(fmt::format("BM_Conv/{}/delegate", c.name).c_str(),
                                 BM_ConvDelegate, c)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(fmt::format("BM_Conv/{}/xnn_operator", c.name).c_str(),
                                 BM_ConvOperator, c)
        ->Unit(benchmark::kMicrosecond);
  }
  const std::string dir = SharedModelsDir();
  if (!std::filesystem::is_directory(dir)) {
    std::fprintf(stderr, "SKIPPED: shared models: %s is missing\n", dir.c_str());
    return;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".tflite") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    for (bool xnnpack : {false, true}) {
      auto e = std::make_unique<Entry>();
      e->name = path.stem().string();
      e->path = path.string();
      e->xnnpack = xnnpack;
      benchmark::RegisterBenchmark(
          fmt::format("BM_Model/{}/{}", e->name, xnnpack ? "xnnpack" : "reference").c_str(),
          BM_Model, e.get())
          ->Unit(benchmark::kMillisecond);
      Entries().push_back(std::move(e));
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  Entries().clear();
  return 0;
}
