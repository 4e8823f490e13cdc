#include "delegates/placement_summary.h"

#include <map>
#include <utility>

#include <fmt/format.h>

#include "runtime/delegate.h"
#include "runtime/interpreter.h"
#include "runtime/subgraph.h"

namespace litescope::delegates {

std::vector<std::string> FormatPlacementSummary(runtime::Interpreter& interpreter,
                                                const std::string& backend) {
  int total = 0, delegated = 0, on_cpu = 0, partitions = 0;
  struct Group {
    std::string op;
    const char* code = "";
    int count = 0;
    std::string reason;  // the first node's
  };
  std::vector<Group> groups;  // in first-seen order
  std::map<std::pair<std::string, runtime::SupportCode>, size_t> index;
  for (int s = 0; s < interpreter.subgraph_count(); ++s) {
    runtime::Subgraph* sg = interpreter.subgraph(s);
    total += static_cast<int>(sg->nodes().size());
    for (const runtime::Partition& p : sg->partitions())
      if (p.backend == backend) ++partitions;
    for (size_t n = 0; n < sg->placement().size(); ++n) {
      const runtime::NodePlacement& pl = sg->placement()[n];
      if (pl.backend == backend) {
        ++delegated;
        continue;
      }
      if (pl.partition >= 0) continue;  // taken by another delegate
      ++on_cpu;
      // This backend's own verdict; the node's first refusal when it has none recorded.
      const runtime::Refusal* own = pl.RefusalOf(backend);
      const runtime::SupportCode code = own ? own->code : pl.code;
      const auto key = std::make_pair(sg->nodes()[n].op_name, code);
      auto it = index.find(key);
      if (it == index.end()) {
        it = index.emplace(key, groups.size()).first;
        groups.push_back(
            Group{key.first, runtime::SupportCodeName(code), 0, own ? own->reason : pl.reason});
      }
      ++groups[it->second].count;
    }
  }
  std::vector<std::string> lines;
  lines.push_back(
      fmt::format("Replacing {} out of {} node(s) with delegate ({}), yielding {} "
                  "partitions for the whole graph.",
                  delegated, total, backend, partitions));
  if (on_cpu > 0) {
    lines.push_back(fmt::format("{} node(s) fell back to the CPU:", on_cpu));
    for (const Group& g : groups)
      lines.push_back(fmt::format("  {} x{} ({}): {}", g.op, g.count, g.code, g.reason));
  }
  return lines;
}

std::vector<std::string> FormatFallbackNodes(runtime::Interpreter& interpreter) {
  std::vector<std::string> lines;
  for (int s = 0; s < interpreter.subgraph_count(); ++s) {
    runtime::Subgraph* sg = interpreter.subgraph(s);
    if (sg->partitions().empty()) continue;
    for (size_t n = 0; n < sg->placement().size(); ++n) {
      const runtime::NodePlacement& pl = sg->placement()[n];
      if (pl.partition >= 0) continue;
      lines.push_back(fmt::format(
          "{}node {} ({}): {}: {}", s == 0 ? std::string() : fmt::format("subgraph {} ", s), n,
          sg->nodes()[n].op_name, runtime::SupportCodeName(pl.code), pl.reason));
    }
  }
  return lines;
}

std::vector<std::string> FormatPlacementNodes(runtime::Interpreter& interpreter) {
  std::vector<std::string> lines;
  for (int s = 0; s < interpreter.subgraph_count(); ++s) {
    runtime::Subgraph* sg = interpreter.subgraph(s);
    for (size_t n = 0; n < sg->placement().size(); ++n) {
      const runtime::NodePlacement& pl = sg->placement()[n];
      std::string line =
          fmt::format("{}node {} ({}): {}", s == 0 ? std::string() : fmt::format("subgraph {} ", s),
                      n, sg->nodes()[n].op_name, pl.backend);
      if (pl.partition >= 0) line += fmt::format(" partition {}", pl.partition);
      for (const runtime::Refusal& r : pl.refusals)
        line += fmt::format("; refused by {} ({}): {}", r.backend, runtime::SupportCodeName(r.code),
                            r.reason);
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

}  // namespace litescope::delegates
