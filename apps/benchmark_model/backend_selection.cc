#include "apps/benchmark_model/backend_selection.h"

#include <fmt/format.h>

#include "delegates/placement_summary.h"
#include "delegates/registered_backends.h"
#include "runtime/interpreter.h"
#include "runtime/subgraph.h"

namespace litescope::apps {
namespace {

// Fallback nodes named in the --require_full_delegation error; the rest are counted.
constexpr int kMaxNamedFallbacks = 5;

// Node, delegated-node and partition counts over every subgraph: of one delegate (by its
// name), or of all of them when `backend` is empty.
struct PlacementCounts {
  int nodes = 0;
  int delegated = 0;
  int partitions = 0;
};

PlacementCounts CountPlacement(runtime::Interpreter& interp, const std::string& backend = "") {
  PlacementCounts c;
  for (int s = 0; s < interp.subgraph_count(); ++s) {
    runtime::Subgraph* sg = interp.subgraph(s);
    c.nodes += static_cast<int>(sg->nodes().size());
    for (const runtime::Partition& p : sg->partitions())
      if (backend.empty() || p.backend == backend) ++c.partitions;
    for (const runtime::NodePlacement& pl : sg->placement())
      if (pl.partition >= 0 && (backend.empty() || pl.backend == backend)) ++c.delegated;
  }
  return c;
}

// TFLite's line after a delegate is applied.
std::string AppliedLine(const PlacementCounts& c, const std::string& name) {
  if (c.partitions == 1 && c.delegated == c.nodes)
    return fmt::format(
        "Explicitly applied {} delegate, and the model graph "
        "will be completely executed by the delegate.",
        name);
  if (c.partitions > 0)
    return fmt::format(
        "Explicitly applied {} delegate, and the model graph "
        "will be partially executed by the delegate w/ {} "
        "delegate kernels.",
        name, c.partitions);
  return fmt::format(
      "Though {} delegate is explicitly applied, the model "
      "graph will not be executed by the delegate.",
      name);
}

}  // namespace

delegates::BackendConfig BackendConfigOf(const BenchmarkFlags& flags) {
  delegates::BackendConfig config;
  config.num_threads = flags.num_threads > 0 ? flags.num_threads : 1;
  config.flag_values = flags.backend_flags;
  return config;
}

Result<std::string> RunBackendActions(const BenchmarkFlags& flags) {
  const delegates::BackendConfig config = BackendConfigOf(flags);
  std::string out;
  for (const delegates::BackendRegistration& b : delegates::RegisteredBackends().backends())
    for (const delegates::BackendAction& action : b.actions) {
      auto it = flags.backend_flags.find(action.flag);
      if (it == flags.backend_flags.end() || it->second != "true") continue;
      Result<std::string> text = action.run(config);
      if (!text.ok()) return text.status().WithContext("--" + action.flag);
      out += *text;
    }
  return out;
}

Status SelectBackends(const BenchmarkFlags& flags, runtime::Interpreter& interp,
                      BackendSelection* sel) {
  const delegates::BackendRegistry& registry = delegates::RegisteredBackends();
  std::vector<std::string> requested;
  for (const delegates::BackendRegistration& b : registry.backends())
    if (flags.uses_backend(b.name)) requested.push_back(b.name);
  Result<std::vector<const delegates::BackendRegistration*>> order =
      registry.InPriorityOrder(requested);
  if (!order.ok()) return order.status();
  if (order->size() > 1)
    sel->log_lines.push_back(
        fmt::format("Going to apply {} delegates one after another.", order->size()));
  auto log = [&](const delegates::BackendRegistration& b, runtime::Delegate& d) {
    for (std::string& line : delegates::FormatPlacementSummary(interp, d.name()))
      sel->log_lines.push_back(std::move(line));
    if (flags.verbose) {
      std::vector<std::string> nodes = delegates::FormatFallbackNodes(interp);
      if (!nodes.empty()) sel->log_lines.push_back("CPU fallback, node by node:");
      for (const std::string& line : nodes) sel->log_lines.push_back("  " + line);
    }
    sel->log_lines.push_back(AppliedLine(CountPlacement(interp, d.name()), b.display_name));
    sel->backend = (sel->backend == "cpu" ? "" : sel->backend + "+") + d.name();
  };
  const delegates::BackendConfig config = BackendConfigOf(flags);
  for (const delegates::BackendRegistration* b : *order) {
    // One at a time, so that an error names the flag that asked for the backend.
    const Status s = delegates::ApplyBackends({b}, config, interp, &sel->applied, log);
    if (!s.ok()) return s.WithContext("--use_" + b->name + "=true");
  }
  if (flags.verbose && order->size() > 1) {
    sel->log_lines.push_back("Placement, node by node:");
    for (const std::string& line : delegates::FormatPlacementNodes(interp))
      sel->log_lines.push_back("  " + line);
  }
  return Status::Ok();
}

Status CheckFullDelegation(const BenchmarkFlags& flags, runtime::Interpreter& interp,
                           const BackendSelection& selection) {
  if (!flags.require_full_delegation) return Status::Ok();
  constexpr const char* kTfliteMessage = "Disallowed CPU fallback detected.";
  const PlacementCounts c = CountPlacement(interp);
  if (selection.applied.delegates.empty()) {
    std::string uses;
    // Placeholders (no support checker, e.g. a delegate still to come) are not suggested.
    for (const delegates::BackendRegistration& b : delegates::RegisteredBackends().backends())
      if (b.make_checker)
        uses += fmt::format("{}--use_{}=true", uses.empty() ? "" : " or ", b.name);
    return UnsupportedOpError(
        fmt::format("{} --require_full_delegation: no delegate is applied, so all {} node(s) run "
                    "on the CPU kernels (add {})",
                    kTfliteMessage, c.nodes, uses));
  }
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
  if (listed > kMaxNamedFallbacks)
    named += fmt::format(" and {} more", listed - kMaxNamedFallbacks);
  return UnsupportedOpError(
      fmt::format("{} --require_full_delegation: {} of {} node(s) stay on the CPU: {}",
                  kTfliteMessage, c.nodes - c.delegated, c.nodes, named));
}

reports::PlacementRecord RecordPlacement(runtime::Interpreter& interp,
                                         const BackendSelection& selection) {
  reports::PlacementRecord record;
  for (const auto& d : selection.applied.delegates) record.delegates.push_back(d->name());
  const bool any_delegate = !selection.applied.delegates.empty();
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
        for (const runtime::Refusal& refusal : pl.refusals)
          r.refusals.push_back(reports::RefusalRecord{
              refusal.backend, runtime::SupportCodeName(refusal.code), refusal.reason});
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
