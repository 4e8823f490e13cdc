#include "apps/benchmark_model/backend_selection.h"

#include <fmt/format.h>

#include "delegates/xnnpack/xnnpack_delegate.h"
#include "runtime/interpreter.h"
#include "runtime/subgraph.h"

namespace litescope::apps {
namespace {

// A backend the flags can ask for. `create` returns the delegate, or an error when litescope
// does not provide it yet.
struct BackendProvider {
  const char* name;  // as TFLite's logs name it
  bool (*requested)(const BenchmarkFlags&);
  Result<std::unique_ptr<runtime::Delegate>> (*create)(const BenchmarkFlags&);
};

Result<std::unique_ptr<runtime::Delegate>> CreateXnnpack(const BenchmarkFlags& flags) {
  delegates::XnnpackOptions options;
  options.num_threads = flags.num_threads > 0 ? flags.num_threads : 1;
  options.force_fp16 = flags.xnnpack_force_fp16;
  Result<std::unique_ptr<runtime::Delegate>> d = delegates::MakeXnnpackDelegate(options);
  if (!d.ok()) return d.status().WithContext("--use_xnnpack=true");
  return d;
}

Result<std::unique_ptr<runtime::Delegate>> CreateGpu(const BenchmarkFlags&) {
  return UnsupportedOpError(
      "--use_gpu=true: the GPU delegate is not available in this build yet; run without it "
      "(CPU kernels)");
}

const BackendProvider kProviders[] = {
    {"XNNPACK", [](const BenchmarkFlags& f) { return f.use_xnnpack; }, CreateXnnpack},
    {"GPU", [](const BenchmarkFlags& f) { return f.use_gpu; }, CreateGpu},
};

}  // namespace

Result<BackendSelection> SelectBackends(const BenchmarkFlags& flags, runtime::Interpreter& interp) {
  BackendSelection sel;
  std::vector<std::string> applied;
  for (const BackendProvider& p : kProviders) {
    if (!p.requested(flags)) continue;
    Result<std::unique_ptr<runtime::Delegate>> delegate = p.create(flags);
    if (!delegate.ok()) return delegate.status();
    LS_RETURN_IF_ERROR(interp.ApplyDelegate(**delegate));
    int delegated = 0, partitions = 0, nodes = 0;
    for (int s = 0; s < interp.subgraph_count(); ++s) {
      runtime::Subgraph* sg = interp.subgraph(s);
      nodes += static_cast<int>(sg->nodes().size());
      partitions += static_cast<int>(sg->partitions().size());
      for (const runtime::NodePlacement& pl : sg->placement())
        if (pl.partition >= 0) ++delegated;
    }
    const bool full = partitions == 1 && delegated == nodes;
    if (flags.require_full_delegation && !full)
      return UnsupportedOpError("Disallowed CPU fallback detected.");
    if (full)
      sel.log_lines.push_back(
          fmt::format("Explicitly applied {} delegate, and the model graph "
                      "will be completely executed by the delegate.",
                      p.name));
    else if (partitions > 0)
      sel.log_lines.push_back(
          fmt::format("Explicitly applied {} delegate, and the model graph "
                      "will be partially executed by the delegate w/ {} "
                      "delegate kernels.",
                      p.name, partitions));
    else
      sel.log_lines.push_back(
          fmt::format("Though {} delegate is explicitly applied, the model "
                      "graph will not be executed by the delegate.",
                      p.name));
    applied.push_back((*delegate)->name());
    sel.delegates.push_back(std::move(delegate.value()));
  }
  if (applied.empty() && flags.require_full_delegation)
    return UnsupportedOpError("Disallowed CPU fallback detected.");
  if (!applied.empty()) {
    sel.backend.clear();
    for (const std::string& a : applied) sel.backend += (sel.backend.empty() ? "" : "+") + a;
  }
  return sel;
}

}  // namespace litescope::apps
