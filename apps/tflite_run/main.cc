// tflite_run: runs a model once on given raw inputs and writes the raw outputs. This is the
// contract that ../shared/conformance/check.py drives.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "apps/common/isa_info.h"
#include "apps/common/model_source.h"
#include "apps/tflite_run/run_io.h"
#include "delegates/placement_summary.h"
#include "delegates/registered_backends.h"
#include "runtime/cpu_isa.h"
#include "runtime/interpreter.h"
#include "runtime/op_registry.h"

namespace {

struct Options {
  std::string model;
  std::vector<std::string> inputs;
  std::string output_dir;
  std::string fill;
  std::string backend = "reference";  // or registered backends, comma-separated
  int threads = 1;
  int64_t max_arena_mb = 2048;               // per subgraph; 0 = no limit
  int64_t max_while_iterations = 1'000'000;  // 0 = no limit
};

// The registered backends --backend names ("reference": none), in priority order.
litescope::Result<std::vector<const litescope::delegates::BackendRegistration*>> ChosenBackends(
    const std::string& list) {
  std::vector<std::string> names;
  if (list != "reference") {
    size_t start = 0;
    while (start <= list.size()) {
      const size_t comma = std::min(list.find(',', start), list.size());
      names.push_back(list.substr(start, comma - start));
      start = comma + 1;
    }
  }
  auto chosen = litescope::delegates::RegisteredBackends().InPriorityOrder(names);
  if (!chosen.ok())
    return litescope::InvalidArgumentError(
        fmt::format("--backend {}: {} (or reference)", list, chosen.status().message()));
  return chosen;
}

litescope::Status Run(
    const Options& opt,
    const std::vector<const litescope::delegates::BackendRegistration*>& backends) {
  using namespace litescope;
  auto model = apps::LoadModel(opt.model);
  if (!model.ok()) return model.status();
  runtime::InterpreterOptions io;
  io.num_threads = opt.threads;
  io.max_arena_bytes = opt.max_arena_mb << 20;
  io.max_while_iterations = opt.max_while_iterations;
  delegates::AppliedBackends applied;  // the delegates outlive the interpreter
  auto interp = runtime::Interpreter::Create(*model, runtime::OpRegistry::WithBuiltins(), io);
  if (!interp.ok()) return interp.status().WithContext(opt.model);
  runtime::Interpreter& in = **interp;
  delegates::BackendConfig config;
  config.num_threads = opt.threads;
  LS_RETURN_IF_ERROR(
      delegates::ApplyBackends(backends, config, in, &applied,
                               [&](const delegates::BackendRegistration&, runtime::Delegate& d) {
                                 for (const std::string& line :
                                      delegates::FormatPlacementSummary(in, d.name()))
                                   std::fprintf(stderr, "INFO: %s\n", line.c_str());
                               })
          .WithContext(opt.model));
  LS_RETURN_IF_ERROR(in.AllocateTensors().WithContext(opt.model));
  if (!opt.fill.empty() && !opt.inputs.empty())
    return InvalidArgumentError("give either --input files or --fill, not both");
  LS_RETURN_IF_ERROR(opt.fill.empty() ? apps::ReadInputs(in, opt.inputs)
                                      : apps::FillInputs(in, opt.fill));
  LS_RETURN_IF_ERROR(in.Invoke().WithContext(opt.model));
  if (!opt.fill.empty()) std::fputs(apps::SummarizeOutputs(in).c_str(), stdout);
  if (opt.output_dir.empty()) return Status::Ok();
  return apps::WriteOutputs(in, opt.output_dir);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tflite_run: run a TFLite model once on raw input files"};
  Options opt;
  auto* model = app.add_option("--model", opt.model, "model file (or builtin:<name>)");
  std::string isa;
  bool isa_info = false;
  app.add_option("--isa", isa,
                 "highest instruction-set level of the CPU kernels: " +
                     litescope::runtime::ArchitectureIsaLevelList() +
                     " or auto (default: LITESCOPE_ISA, else the highest the CPU has)");
  app.add_flag("--isa-info", isa_info,
               "print the CPU's and this binary's ISA levels as JSON and exit");
  app.add_option("--input", opt.inputs, "raw little-endian bytes of one input, in input order");
  app.add_option("--fill", opt.fill, "fill inputs instead of --input: zeros or random")
      ->check(CLI::IsMember({"zeros", "random"}));
  app.add_option("--output-dir", opt.output_dir, "where output_<j>.bin and outputs.json go");
  app.add_option("--backend", opt.backend,
                 "reference (default), or registered backends, comma-separated, applied in "
                 "priority order: " +
                     litescope::delegates::RegisteredBackends().NameList());
  app.add_option("--threads", opt.threads, "CPU threads")->check(CLI::Range(1, 256));
  app.add_option("--max_arena_mb", opt.max_arena_mb,
                 "largest arena (and tensor) a subgraph may allocate, in MiB; 0 = no limit")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 30))
      ->capture_default_str();
  app.add_option("--max_while_iterations", opt.max_while_iterations,
                 "a WHILE loop running more iterations than this fails; 0 = no limit")
      ->check(CLI::Range(int64_t{0}, std::numeric_limits<int64_t>::max()))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "error: %s (see --help)\n", e.what());
    return 2;
  }
  std::string isa_error;
  if (!litescope::runtime::ApplyIsaSelection(isa, &isa_error)) {
    std::fprintf(stderr, "error: --isa: %s (see --help)\n", isa_error.c_str());
    return 2;
  }
  if (isa_info) {
    std::fputs(litescope::apps::IsaInfoJson().c_str(), stdout);
    return 0;
  }
  if (model->count() == 0) {
    std::fprintf(stderr, "error: --model is required (see --help)\n");
    return 2;
  }
  auto backends = ChosenBackends(opt.backend);
  if (!backends.ok()) {
    std::fprintf(stderr, "error: %s (see --help)\n", backends.status().message().c_str());
    return 2;
  }
  try {
    litescope::Status s = Run(opt, *backends);
    if (!s.ok()) {
      std::fprintf(stderr, "error: %s\n", s.message().c_str());
      return 1;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
