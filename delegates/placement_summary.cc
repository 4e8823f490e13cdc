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
  int total = 0, delegated = 0, partitions = 0;
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
      const auto key = std::make_pair(sg->nodes()[n].op_name, pl.code);
      auto it = index.find(key);
      if (it == index.end()) {
        it = index.emplace(key, groups.size()).first;
        groups.push_back(Group{key.first, runtime::SupportCodeName(pl.code), 0, pl.reason});
      }
      ++groups[it->second].count;
    }
  }
  std::vector<std::string> lines;
  lines.push_back(fmt::format("Replacing {} out of {} node(s) with delegate ({}), yielding {} "
                              "partitions for the whole graph.",
                              delegated, total, backend, partitions));
  if (delegated < total) {
    lines.push_back(fmt::format("{} node(s) fell back to the CPU:", total - delegated));
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
      lines.push_back(fmt::format("{}node {} ({}): {}: {}",
                                  s == 0 ? std::string() : fmt::format("subgraph {} ", s), n,
                                  sg->nodes()[n].op_name, runtime::SupportCodeName(pl.code),
                                  pl.reason));
    }
  }
  return lines;
}

}  // namespace litescope::delegates
