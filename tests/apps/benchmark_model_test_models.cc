// Writes the model files that benchmark_model's tool tests (tests/scripts/benchmark_model_test.py)
// need and no built-in model provides:
//   fallback_middle.tflite  float32 over two [1, 2, 2, 3] inputs "a" and "b":
//                           ADD -> TANH -> MUL -> TANH -> SUB -> EXP. XNNPACK takes ADD, MUL and
//                           SUB (three partitions); TANH and EXP stay on the CPU kernels.
//   <hostile models>        every model of fuzz/hostile_models.h, with hostile_cases.tsv:
//                           file name, extra flags (space-separated), expected error fragment.
// Usage: benchmark_model_test_models OUT_DIR   (the folder must exist)
#include <cstdio>
#include <string>
#include <vector>

#include "fuzz/hostile_models.h"
#include "runtime/model_builder.h"

namespace {

using litescope::runtime::DataType;
using litescope::runtime::ModelBuilder;
using litescope::schema::BuiltinOperator;

std::vector<uint8_t> FallbackMiddleModel() {
  const std::vector<int32_t> shape = {1, 2, 2, 3};
  ModelBuilder mb;
  const int a = mb.AddTensor(0, "a", DataType::kFloat32, shape);
  const int b = mb.AddTensor(0, "b", DataType::kFloat32, shape);
  int prev = a;
  struct Step {
    BuiltinOperator op;
    const char* output;
    bool uses_b;
  };
  const Step steps[] = {
      {BuiltinOperator::ADD, "sum", true},        {BuiltinOperator::TANH, "tanh_1", false},
      {BuiltinOperator::MUL, "product", true},    {BuiltinOperator::TANH, "tanh_2", false},
      {BuiltinOperator::SUB, "difference", true}, {BuiltinOperator::EXP, "output", false}};
  for (const Step& s : steps) {
    const int out = mb.AddTensor(0, s.output, DataType::kFloat32, shape);
    std::vector<int32_t> inputs = {prev};
    if (s.uses_b) inputs.push_back(b);
    mb.AddOperator(0, s.op, inputs, {out});
    prev = out;
  }
  mb.SetInputs(0, {a, b});
  mb.SetOutputs(0, {prev});
  return mb.Finish();
}

bool WriteFile(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  return std::fclose(f) == 0 && ok;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: benchmark_model_test_models OUT_DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  std::string cases;
  bool ok = WriteFile(dir + "/fallback_middle.tflite", FallbackMiddleModel());
  for (const litescope::fuzz::HostileModel& m : litescope::fuzz::HostileModels()) {
    ok = ok && WriteFile(dir + "/" + m.name, m.bytes);
    std::string flags;
    for (const std::string& f : m.flags) flags += (flags.empty() ? "" : " ") + f;
    cases += m.name + "\t" + flags + "\t" + m.expected + "\n";
  }
  ok =
      ok && WriteFile(dir + "/hostile_cases.tsv", std::vector<uint8_t>(cases.begin(), cases.end()));
  if (!ok) {
    std::fprintf(stderr, "error: %s: cannot write the test models\n", dir.c_str());
    return 1;
  }
  return 0;
}
