#include "apps/benchmark_model/backend_selection.h"

#include <fmt/format.h>

#include "delegates/placement_summary.h"
#include "delegates/xnnpack/xnnpack_delegate.h"
#include "runtime/interpreter.h"
#include "runtime/subgraph.h"

namespace litescope::apps {
namespace {

// Fallback nodes named in the --require_full_delegation error; the rest are counted.
constexpr int kMaxNamedFallbacks = 5;

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

// Node, delegated-node and partition counts over every subgraph.
struct PlacementCounts {
  int nodes = 0;
  int delegated = 0;
  int partitions = 0;
};

PlacementCounts CountPlacement(runtime::Interpreter& interp) {
  PlacementCounts c;
  for (int s = 0; s < interp.subgraph_count(); ++s) {
    runtime::Subgraph* sg = interp.subgraph(s);
    c.nodes += static_cast<int>(sg->nodes().size());
    c.partitions += static_cast<int>(sg->partitions().size());
    for (const runtime::NodePlacement& pl : sg->placement())
      if (pl.partition >= 0) ++c.delegated;
  }
  return c;
}

}  // namespace

Result<BackendSelection> SelectBackends(const BenchmarkFlags& flags, runtime::Interpreter& interp) {
  BackendSelection sel;
  std::vector<std::string> applied;
  for (const BackendProvider& p : kProviders) {
    if (!p.requested(flags)) continue;
    Result<std::unique_ptr<runtime::Delegate>> delegate = p.create(flags);
    if (!delegate.ok()) return delegate.status();
    LS_RETURN_IF_ERROR(interp.ApplyDelegate(**delegate));
    for (std::string& line : delegates::FormatPlacementSummary(interp, (*delegate)->name()))
      sel.log_lines.push_back(std::move(line));
    if (flags.verbose) {
      std::vector<std::string> nodes = delegates::FormatFallbackNodes(interp);
      if (!nodes.empty()) sel.log_lines.push_back("CPU fallback, node by node:");
      for (const std::string& line : nodes) sel.log_lines.push_back("  " + line);
    }
    const PlacementCounts c = CountPlacement(interp);
    if (c.partitions == 1 && c.delegated == c.nodes)
      sel.log_lines.push_back(
          fmt::format("Explicitly applied {} delegate, and the model graph "
                      "will be completely executed by the delegate.",
                      p.name));
    else if (c.partitions > 0)
      sel.log_lines.push_back(
          fmt::format("Explicitly applied {} delegate, and the model graph "
                      "will be partially executed by the delegate w/ {} "
                      "delegate kernels.",
                      p.name, c.partitions));
    else
      sel.log_lines.push_back(
          fmt::format("Though {} delegate is explicitly applied, the model "
                      "graph will not be executed by the delegate.",
                      p.name));
    applied.push_back((*delegate)->name());
    sel.delegates.push_back(std::move(delegate.value()));
  }
  if (!applied.empty()) {
    sel.backend.clear();
    for (const std::string& a : applied) sel.backend += (sel.backend.empty() ? "" : "+") + a;
  }
  return sel;
}

Status CheckFullDelegation(const BenchmarkFlags& flags, runtime::Interpreter& interp,
                           const BackendSelection& selection) {
  if (!flags.require_full_delegation) return Status::Ok();
  constexpr const char* kTfliteMessage = "Disallowed CPU fallback detected.";
  const PlacementCounts c = CountPlacement(interp);
  if (selection.delegates.empty())
    return UnsupportedOpError(
        fmt::format("{} --require_full_delegation: no delegate is applied, so all {} node(s) run "
                    "on the CPU kernels (add --use_xnnpack=true)",
                    kTfliteMessage, c.nodes));
  if (c.delegated == c.nodes) {
    if (c.partitions == 1) return Status::Ok();
    return UnsupportedOpError(
        fmt::format("{} --require_full_delegation: the delegated nodes form {} partitions, not 1",
                    kTfliteMessage, c.partitions));
  }
  std::string named;
  int listed = 0;
  for (int s = 0; s < interp.subgraph_count(); ++s) {
    runtime::Subgraph* sg = interp.subgraph(s);
    for (size_t n = 0; n < sg->placement().size(); ++n) {
      const runtime::NodePlacement& pl = sg->placement()[n];
      if (pl.partition >= 0) continue;
      if (listed++ == kMaxNamedFallbacks) continue;
      named += fmt::format("{}{}node {} ({}): {}", named.empty() ? "" : ", ",
                           s == 0 ? std::string() : fmt::format("subgraph {} ", s), n,
                           sg->nodes()[n].op_name, runtime::SupportCodeName(pl.code));
    }
  }
  if (listed > kMaxNamedFallbacks) named += fmt::format(" and {} more", listed - kMaxNamedFallbacks);
  return UnsupportedOpError(fmt::format(
      "{} --require_full_delegation: {} of {} node(s) stay on the CPU: {}", kTfliteMessage,
      c.nodes - c.delegated, c.nodes, named));
}

reports::PlacementRecord RecordPlacement(runtime::Interpreter& interp,
                                         const BackendSelection& selection) {
  reports::PlacementRecord record;
  for (const auto& d : selection.delegates) record.delegates.push_back(d->name());
  const bool any_delegate = !selection.delegates.empty();
  for (int s = 0; s < interp.subgraph_count(); ++s) {
    runtime::Subgraph* sg = interp.subgraph(s);
    for (size_t n = 0; n < sg->nodes().size(); ++n) {
      reports::NodePlacementRecord r;
      r.subgraph = s;
      r.node = static_cast<int>(n);
      r.type = sg->nodes()[n].op_name;
      if (n < sg->placement().size()) {
        const runtime::NodePlacement& pl = sg->placement()[n];
        r.backend = pl.backend;
        r.partition = pl.partition;
        if (any_delegate) r.reason_code = runtime::SupportCodeName(pl.code);
        r.reason = pl.reason;
      }
      record.nodes.push_back(std::move(r));
    }
    for (size_t p = 0; p < sg->partitions().size(); ++p) {
      const runtime::Partition& part = sg->partitions()[p];
      record.partitions.push_back(
          reports::PartitionRecord{s, static_cast<int>(p), part.backend, part.nodes});
    }
  }
  return record;
}

}  // namespace litescope::apps
