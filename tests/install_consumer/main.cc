// Uses installed litescope: builds the built-in mobilenet_like model in memory, runs it once on
// the raw float32 input in argv[1] (reference kernels, or the XNNPACK delegate with argv[3] =
// "xnnpack") and writes the raw output to argv[2]. Prints the output's name, type and shape, and
// whether every value is finite; tests/scripts/check_install.py compares the bytes with
// tflite_run's.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "analyzers/model_summary.h"
#include "delegates/xnnpack/xnnpack_delegate.h"
#include "profiler/stats.h"
#include "reports/git_revision.h"
#include "runtime/interpreter.h"
#include "runtime/model.h"
#include "runtime/op_registry.h"
#include "runtime/sample_models.h"

namespace {

int Fail(const std::string& what, const litescope::Status& s) {
  std::fprintf(stderr, "error: %s: %s\n", what.c_str(), s.message().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace litescope;
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: %s INPUT.bin OUTPUT.bin [reference|xnnpack]\n", argv[0]);
    return 2;
  }
  const std::string backend = argc == 4 ? argv[3] : "reference";
  std::printf("litescope revision: %s\n", reports::GitRevision());

  auto bytes = runtime::BuildSampleModel("mobilenet_like");
  if (!bytes.ok()) return Fail("BuildSampleModel", bytes.status());
  auto model = runtime::Model::FromBufferCopy(bytes->data(), bytes->size(), "mobilenet_like");
  if (!model.ok()) return Fail("Model::FromBufferCopy", model.status());
  const analyzers::ModelSummary summary = analyzers::SummarizeModel(**model);
  std::printf("model: %lld operators, %lld tensors\n",
              static_cast<long long>(summary.operator_count),
              static_cast<long long>(summary.tensor_count));

  std::unique_ptr<runtime::Delegate> delegate;  // outlives the interpreter
  delegates::XnnpackOptions xo;
  xo.num_threads = 1;
  if (backend == "xnnpack") {
    auto d = delegates::MakeXnnpackDelegate(xo);
    if (!d.ok()) return Fail("MakeXnnpackDelegate", d.status());
    delegate = std::move(d.value());
  } else if (backend != "reference") {
    std::fprintf(stderr, "error: unknown backend %s\n", backend.c_str());
    return 2;
  }
  runtime::InterpreterOptions io;
  io.num_threads = 1;
  auto interp = runtime::Interpreter::Create(*model, runtime::OpRegistry::WithBuiltins(), io);
  if (!interp.ok()) return Fail("Interpreter::Create", interp.status());
  runtime::Interpreter& in = **interp;
  if (delegate) {
    Status s = in.ApplyDelegate(*delegate, xo.delegate_options);
    if (!s.ok()) return Fail("ApplyDelegate", s);
  }
  Status s = in.AllocateTensors();
  if (!s.ok()) return Fail("AllocateTensors", s);

  std::ifstream input_file(argv[1], std::ios::binary);
  const std::vector<char> input((std::istreambuf_iterator<char>(input_file)),
                                std::istreambuf_iterator<char>());
  runtime::Tensor* x = in.input(0);
  if (input.size() != x->bytes) {
    std::fprintf(stderr, "error: %s has %zu bytes, input 0 takes %zu\n", argv[1], input.size(),
                 x->bytes);
    return 1;
  }
  std::memcpy(x->data, input.data(), input.size());

  const auto start = std::chrono::steady_clock::now();
  s = in.Invoke();
  const std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
  if (!s.ok()) return Fail("Invoke", s);
  const profiler::Summary latency = profiler::Summarize({took.count()});
  std::printf("invoke: %.0f us (%s)\n", latency.mean, backend.c_str());

  const runtime::Tensor* y = in.output(0);
  std::string shape;
  for (int32_t d : y->shape.dims()) shape += (shape.empty() ? "" : ",") + std::to_string(d);
  std::printf("output: %s %s [%s]\n", y->name.c_str(), runtime::DataTypeName(y->type),
              shape.c_str());
  bool finite = y->type == runtime::DataType::kFloat32;
  for (int64_t i = 0; finite && i < y->elements(); ++i)
    finite = std::isfinite(y->data_as<float>()[i]);
  std::printf("finite: %s\n", finite ? "yes" : "no");
  std::ofstream out(argv[2], std::ios::binary);
  out.write(static_cast<const char*>(y->data), static_cast<std::streamsize>(y->bytes));
  return finite && out ? 0 : 1;
}
