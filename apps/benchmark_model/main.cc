// benchmark_model: TensorFlow Lite's benchmark tool, flag for flag and line for line, plus
// litescope's reports (--report_json, --trace_file, --gbench_json).
// Exit codes: 0 ok, 1 the model, a delegate or an output file failed, 2 usage error.
#include <cstdio>
#include <exception>
#include <string>

#include "apps/benchmark_model/backend_selection.h"
#include "apps/benchmark_model/benchmark_flags.h"
#include "apps/benchmark_model/benchmark_inputs.h"
#include "apps/benchmark_model/benchmark_session.h"

namespace {

int Fail(int code, const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return code;
}

int Run(int argc, char** argv) {
  using namespace litescope;
  apps::BenchmarkFlags flags;
  std::string help;
  Status parsed = apps::ParseBenchmarkFlags(argc, argv, &flags, &help);
  if (!help.empty()) {
    std::fputs(help.c_str(), stdout);
    return 0;
  }
  if (!parsed.ok()) return Fail(2, parsed.message() + " (see --help)");
  if (flags.wants_backend_action()) {
    Result<std::string> text = apps::RunBackendActions(flags);
    if (!text.ok()) return Fail(1, text.status().message());
    std::fputs(text->c_str(), stdout);
    return 0;
  }
  Result<apps::InputSpecs> inputs = apps::ParseInputSpecs(flags);
  if (!inputs.ok()) return Fail(2, inputs.status().message() + " (see --help)");

  Status status = apps::RunBenchmark(flags, *inputs, argc > 0 ? argv[0] : "benchmark_model");
  if (!status.ok()) return Fail(1, status.message());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    return Fail(1, e.what());
  } catch (...) {
    return Fail(1, "unexpected exception");
  }
}
