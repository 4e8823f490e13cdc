#include "apps/tflite_analyze/analyze_gates.h"

#include <algorithm>

#include <fmt/format.h>

namespace litescope::apps {
namespace {

// The first unsupported node's reason over all subgraphs, or "".
std::string FirstReason(const analyzers::BackendCompat& b) {
  for (const analyzers::SubgraphCompat& s : b.subgraphs)
    for (const analyzers::NodeVerdict& v : s.nodes)
      if (!v.supported())
        return fmt::format("{}{}", s.subgraph ? fmt::format("subgraph {}: ", s.subgraph) : "",
                           v.reason);
  return "";
}

}  // namespace

Status ResolveBackends(const std::vector<std::string>& requested,
                       const std::string& fail_on_fallback, bool require_ops_supported,
                       std::vector<std::string>* out) {
  out->clear();
  auto add = [&](const std::string& name, const char* flag) -> Status {
    const Status s = analyzers::CheckBackendName(name);
    if (!s.ok()) return s.WithContext(flag);
    if (std::find(out->begin(), out->end(), name) == out->end()) out->push_back(name);
    return Status::Ok();
  };
  for (const std::string& b : requested) LS_RETURN_IF_ERROR(add(b, "--backend"));
  // A gate without --backend evaluates every known backend, so the report is complete.
  if (requested.empty() && (!fail_on_fallback.empty() || require_ops_supported))
    for (const std::string& b : analyzers::KnownBackends()) LS_RETURN_IF_ERROR(add(b, "-"));
  if (!fail_on_fallback.empty()) LS_RETURN_IF_ERROR(add(fail_on_fallback, "--fail-on-fallback"));
  if (require_ops_supported)
    LS_RETURN_IF_ERROR(add(analyzers::kBackendCpu, "--require-ops-supported"));
  return Status::Ok();
}

std::vector<std::string> CheckGates(const analyzers::CompatibilityReport& report,
                                    const std::string& fail_on_fallback,
                                    bool require_ops_supported) {
  std::vector<std::string> lines;
  if (!fail_on_fallback.empty()) {
    const analyzers::BackendCompat* b = report.Find(fail_on_fallback);
    if (!b || !b->available) {
      lines.push_back(fmt::format("--fail-on-fallback={}: the backend is not available{}",
                                  fail_on_fallback, b ? ": " + b->error : std::string()));
    } else if (b->unsupported_nodes > 0) {
      lines.push_back(fmt::format("--fail-on-fallback={}: {} of {} node(s) {} (first: {})",
                                  fail_on_fallback, b->unsupported_nodes, b->node_count,
                                  b->is_delegate ? "fall back to the CPU" : "have no CPU kernel",
                                  FirstReason(*b)));
    }
  }
  if (require_ops_supported) {
    const analyzers::BackendCompat* b = report.Find(analyzers::kBackendCpu);
    if (b && b->unsupported_nodes > 0)
      lines.push_back(
          fmt::format("--require-ops-supported: {} of {} node(s) have no CPU kernel "
                      "(first: {})",
                      b->unsupported_nodes, b->node_count, FirstReason(*b)));
  }
  return lines;
}

}  // namespace litescope::apps
