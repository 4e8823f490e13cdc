// tflite_analyze MODEL [--json] [-o FILE] [--compat [--backend cpu,BACKEND...]] [--cost]
//                [--fail-on-fallback[=BACKEND]] [--require-ops-supported]
// Prints the structure of a TFLite model, and on request per-backend op compatibility and the
// cost of every op. The backends are the registered ones (delegates/registered_backends.h).
// Exit codes: 0 ok, 1 the model (or the output file) failed, 2 usage error (also a registered
// backend without a support checker), 3 a gate tripped.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "analyzers/compatibility.h"
#include "analyzers/cost.h"
#include "analyzers/model_summary.h"
#include "apps/common/model_source.h"
#include "apps/tflite_analyze/analyze_gates.h"
#include "delegates/registered_backends.h"
#include "reports/analysis_report.h"
#include "reports/compatibility_report.h"
#include "reports/cost_report.h"

namespace {

namespace analyzers = litescope::analyzers;
namespace reports = litescope::reports;

// The delegate backend --fail-on-fallback checks when given no name: the analyzable one applied
// first (highest priority), else "cpu".
std::string DefaultFallbackBackend() {
  const auto& registry = litescope::delegates::RegisteredBackends();
  const litescope::delegates::BackendRegistration* best = nullptr;
  for (const auto& b : registry.backends())
    if (b.make_checker && (!best || b.priority > best->priority)) best = &b;
  return best ? best->name : analyzers::kBackendCpu;
}

// "cpu, <backends with a checker> (default all); refused: <name> (<why>)" for --help.
std::string BackendHelp() {
  std::string known, refused;
  for (const std::string& b : analyzers::KnownBackends()) known += (known.empty() ? "" : ", ") + b;
  for (const auto& b : litescope::delegates::RegisteredBackends().backends())
    if (!b.make_checker)
      refused += fmt::format("{}{} ({})", refused.empty() ? "" : ", ", b.name, b.description);
  return fmt::format("Backends for --compat, comma-separated: {} (default all){}", known,
                     refused.empty() ? "" : "; refused: " + refused);
}

struct Options {
  std::string model_path;
  bool json = false;
  std::string output_path;  // empty: stdout
  bool compat = false;
  std::vector<std::string> backends;
  bool cost = false;
  std::string fail_on_fallback;  // backend, empty: no gate
  bool require_ops_supported = false;
};

// Writes `text` to the output file or stdout; returns false (and prints why) on failure.
bool WriteOutput(const Options& opt, const std::string& text) {
  if (opt.output_path.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0;
  }
  std::FILE* f = std::fopen(opt.output_path.c_str(), "wb");
  if (!f) {
    fmt::print(stderr, "error: {}: cannot open for writing: {}\n", opt.output_path,
               std::strerror(errno));
    return false;
  }
  const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed) {
    fmt::print(stderr, "error: {}: write failed\n", opt.output_path);
    return false;
  }
  return true;
}

int Run(int argc, char** argv) {
  CLI::App app{
      "Prints the structure of a TFLite model (subgraphs, operators with options, tensors, "
      "signatures, metadata, size split, quantization kind), per-backend op compatibility "
      "(--compat) and the cost of every op (--cost)."};
  app.name("tflite_analyze");
  Options opt;
  app.add_option("MODEL", opt.model_path,
                 "Path of the .tflite file, or builtin:<name> for a sample model")
      ->required();
  app.add_flag("--json", opt.json, "Print JSON (schema litescope.analyze/1) instead of text");
  app.add_option("-o,--output", opt.output_path, "Write to FILE instead of stdout");
  app.add_flag("--compat", opt.compat, "Where each node runs on each backend, and why not");
  app.add_option("--backend", opt.backends, BackendHelp())
      ->delimiter(',')
      ->allow_extra_args(false);  // --backend cpu MODEL: MODEL stays positional
  app.add_flag("--cost", opt.cost,
               "MACs, FLOPs, parameter and activation bytes per node, arena and its peak");
  const std::string fallback_default = DefaultFallbackBackend();
  app.add_flag("--fail-on-fallback{" + fallback_default + "}", opt.fail_on_fallback,
               "Exit 3 when a node falls back to the CPU on BACKEND (--fail-on-fallback=BACKEND, "
               "default " +
                   fallback_default + "); implies --compat");
  app.add_flag("--require-ops-supported", opt.require_ops_supported,
               "Exit 3 when a node has no CPU kernel; implies --compat");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);  // prints help (rc 0) or the usage error
    return rc == 0 ? 0 : 2;
  }
  analyzers::CompatibilityOptions compat_options;
  const litescope::Status usage = litescope::apps::ResolveBackends(
      opt.backends, opt.fail_on_fallback, opt.require_ops_supported, &compat_options.backends);
  if (!usage.ok()) {
    fmt::print(stderr, "error: {}\n", usage.message());
    return 2;
  }
  const bool want_compat = opt.compat || !compat_options.backends.empty();
  if (compat_options.backends.empty()) compat_options.backends = analyzers::KnownBackends();

  auto model = litescope::apps::LoadModel(opt.model_path);
  if (!model.ok()) {
    fmt::print(stderr, "error: {}\n", model.status().message());
    return 1;
  }
  const analyzers::ModelSummary summary = analyzers::SummarizeModel(**model);
  litescope::Result<analyzers::CompatibilityReport> compat = analyzers::CompatibilityReport{};
  if (want_compat) compat = analyzers::AnalyzeCompatibility(*model, compat_options);
  litescope::Result<analyzers::CostReport> cost = analyzers::CostReport{};
  if (opt.cost) cost = analyzers::AnalyzeCost(*model);
  for (const litescope::Status& s : {compat.status(), cost.status()}) {
    if (s.ok()) continue;
    fmt::print(stderr, "error: {}: {}\n", opt.model_path, s.message());
    return 1;
  }

  std::string text;
  if (opt.json) {
    nlohmann::json j = reports::AnalysisToJson(summary);
    if (want_compat) j["compatibility"] = reports::CompatibilityToJson(*compat);
    if (opt.cost) j["cost"] = reports::CostToJson(*cost);
    // Names in a model need not be valid UTF-8; JSON output replaces bad bytes with U+FFFD.
    text = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  } else if (want_compat || opt.cost) {
    text = fmt::format("=== {} ===\n  subgraphs: {}, operators: {}, tensors: {}\n", summary.path,
                       summary.subgraphs.size(), summary.operator_count, summary.tensor_count);
    if (want_compat) text += reports::CompatibilityToText(*compat);
    if (opt.cost) text += reports::CostToText(*cost);
  } else {
    text = reports::AnalysisToText(summary);
  }
  if (!WriteOutput(opt, text)) return 1;
  if (!want_compat) return 0;
  const std::vector<std::string> tripped =
      litescope::apps::CheckGates(*compat, opt.fail_on_fallback, opt.require_ops_supported);
  for (const std::string& line : tripped) fmt::print(stderr, "error: {}\n", line);
  return tripped.empty() ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
  } catch (...) {
    fmt::print(stderr, "error: unexpected exception\n");
  }
  return 1;
}
