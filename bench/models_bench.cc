// Inference time of whole models on litescope's own CPU kernels (no delegate), 1 and 2 threads.
//
//   BM_Invoke/<model>/threads:<n>
//
// Models: the built-in builtin:mobilenet_like, and every float32, fp16-weights and quantized
// model of ../shared/models (or $LITESCOPE_SHARED_DIR/models) that litescope runs; a model it
// cannot run is skipped with a line on stderr. Inputs are fixed-seed values (floats in [-1, 1],
// integers over their range).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "runtime/interpreter.h"
#include "runtime/op_registry.h"
#include "runtime/sample_models.h"

namespace {

namespace lr = litescope::runtime;

const char* const kSharedModels[] = {"mobilenet_v1_0.25_224_float",
                                     "deeplabv3_257_float",
                                     "face_detection_short_range",
                                     "face_detection_full_range_sparse",
                                     "torchaudio_conformer",
                                     "mobilenet_v1_0.25_224_quant",
                                     "mobilenet_v2_1.0_224_quant",
                                     "tf2_mobilenet_v2_1.0_224_ptq",
                                     "vww_96_int8",
                                     "person_detect",
                                     "deeplabv3_mnv2_dm05_pascal_quant",
                                     "movenet_single_pose_lightning_ptq",
                                     "yamnet_audio_classifier_int8",
                                     "kws_ref_model_float32",
                                     "model_ToyCar_quant"};

std::string SharedModelsDir() {
  if (const char* env = std::getenv("LITESCOPE_SHARED_DIR")) return std::string(env) + "/models";
  return (std::filesystem::path(LITESCOPE_SOURCE_DIR).parent_path() / "shared" / "models").string();
}

void FillInputs(lr::Interpreter& interp) {
  uint32_t state = 12345;
  auto next = [&state] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  for (int i = 0; i < interp.input_count(); ++i) {
    lr::Tensor* t = interp.input(i);
    if (t->type == lr::DataType::kFloat32) {
      for (int64_t k = 0; k < t->elements(); ++k)
        t->data_as<float>()[k] = static_cast<float>(next()) / 8388608.0f - 1.0f;
    } else if (t->type == lr::DataType::kInt32 || t->type == lr::DataType::kInt64) {
      std::fill_n(static_cast<uint8_t*>(t->data), t->bytes, 0);  // ids: zeros are valid
    } else {
      for (size_t k = 0; k < t->bytes; ++k) static_cast<uint8_t*>(t->data)[k] = next() & 0xff;
    }
  }
}

void RegisterModel(const std::string& name, std::shared_ptr<const lr::Model> model) {
  for (int threads : {1, 2}) {
    lr::InterpreterOptions options;
    options.num_threads = threads;
    auto interp = lr::Interpreter::Create(model, lr::OpRegistry::WithBuiltins(), options);
    litescope::Status s = interp.ok() ? (*interp)->AllocateTensors() : interp.status();
    if (s.ok()) {
      FillInputs(**interp);
      s = (*interp)->Invoke();
    }
    if (!s.ok()) {
      std::fprintf(stderr, "SKIPPED: %s: %s\n", name.c_str(), s.message().c_str());
      return;
    }
    std::shared_ptr<lr::Interpreter> shared(std::move(interp.value()));
    benchmark::RegisterBenchmark(("BM_Invoke/" + name).c_str(),
                                 [shared](benchmark::State& state) {
                                   for (auto _ : state) {
                                     litescope::Status st = shared->Invoke();
                                     if (!st.ok()) state.SkipWithError(st.message().c_str());
                                   }
                                 })
        ->Threads(1)
        ->Name("BM_Invoke/" + name + "/threads:" + std::to_string(threads))
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  auto builtin = lr::BuildSampleModel("mobilenet_like");
  if (builtin.ok()) {
    auto m = lr::Model::FromBufferCopy(builtin->data(), builtin->size(), "builtin:mobilenet_like");
    if (m.ok()) RegisterModel("builtin_mobilenet_like", *m);
  }
  const std::string dir = SharedModelsDir();
  if (!std::filesystem::is_directory(dir))
    std::fprintf(stderr, "SKIPPED: shared models: %s is missing\n", dir.c_str());
  for (const char* name : kSharedModels) {
    const std::string path = dir + "/" + name + ".tflite";
    if (!std::filesystem::exists(path)) continue;
    auto m = lr::Model::FromFile(path);
    if (!m.ok()) {
      std::fprintf(stderr, "SKIPPED: %s: %s\n", name, m.status().message().c_str());
      continue;
    }
    RegisterModel(name, *m);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
