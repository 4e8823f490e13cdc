#include "reports/compatibility_report.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace litescope::reports {
namespace {

using analyzers::BackendCompat;
using analyzers::BoundaryTensor;
using analyzers::NodeVerdict;
using analyzers::PartitionInfo;
using analyzers::SubgraphCompat;
using nlohmann::json;

constexpr char kRule[] = "---------------------------------------------------------------\n";

json NullIfEmpty(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json BoundaryToJson(const std::vector<BoundaryTensor>& list) {
  json out = json::array();
  for (const BoundaryTensor& t : list)
    out.push_back({{"tensor", t.tensor}, {"name", t.name}, {"bytes", t.bytes}});
  return out;
}

json SubgraphToJson(const SubgraphCompat& s) {
  json nodes = json::array(), partitions = json::array();
  for (const NodeVerdict& v : s.nodes)
    nodes.push_back({{"index", v.node},
                     {"op", v.op},
                     {"version", v.version},
                     {"supported", v.supported()},
                     {"code", runtime::SupportCodeName(v.code)},
                     {"reason", v.reason},
                     {"partition", v.partition}});
  for (const PartitionInfo& p : s.partitions)
    partitions.push_back({{"index", p.index},
                          {"first_node", p.first_node},
                          {"last_node", p.last_node},
                          {"node_count", p.node_count},
                          {"inputs", BoundaryToJson(p.inputs)},
                          {"outputs", BoundaryToJson(p.outputs)}});
  return {{"index", s.subgraph},
          {"name", s.name},
          {"supported_nodes", s.supported_nodes},
          {"unsupported_nodes", s.unsupported_nodes},
          {"boundary_bytes", s.boundary_bytes},
          {"partitions", partitions},
          {"nodes", nodes}};
}

json BackendToJson(const BackendCompat& b) {
  json subgraphs = json::array();
  for (const SubgraphCompat& s : b.subgraphs) subgraphs.push_back(SubgraphToJson(s));
  json allocation = nullptr;
  if (b.allocate_checked)
    allocation = {{"ok", b.allocate_ok},
                  {"error", NullIfEmpty(b.allocate_error)},
                  {"arena_bytes", b.arena_bytes}};
  return {{"backend", b.backend},
          {"name", b.display_name},
          {"is_delegate", b.is_delegate},
          {"available", b.available},
          {"error", NullIfEmpty(b.error)},
          {"node_count", b.node_count},
          {"supported_nodes", b.supported_nodes},
          {"unsupported_nodes", b.unsupported_nodes},
          {"unsupported_by_code", b.unsupported_by_code},
          {"partition_count", b.partition_count},
          {"boundary_bytes", b.boundary_bytes},
          {"allocation", allocation},
          {"subgraphs", subgraphs}};
}

std::string SubgraphTitle(const SubgraphCompat& s) {
  return s.name.empty() ? fmt::format("subgraph {}", s.subgraph)
                        : fmt::format("subgraph {} '{}'", s.subgraph, s.name);
}

std::string BoundaryText(const std::vector<BoundaryTensor>& list) {
  std::string out;
  for (const BoundaryTensor& t : list)
    out += fmt::format("{}T#{} '{}' {} B", out.empty() ? "" : ", ", t.tensor, t.name, t.bytes);
  return out.empty() ? "-" : out;
}

void AppendBackend(const BackendCompat& b, bool many_subgraphs, std::string& out) {
  if (!b.available) {
    out += fmt::format("{}: not available: {}\n", b.display_name, b.error);
    return;
  }
  if (b.is_delegate) {
    out += fmt::format(
        "{}: {} of {} node(s) delegated in {} partition(s); {} fall back to the CPU; {} bytes "
        "cross partition boundaries\n",
        b.display_name, b.supported_nodes, b.node_count, b.partition_count, b.unsupported_nodes,
        b.boundary_bytes);
  } else {
    out += fmt::format("{}: {} of {} node(s) have a kernel; {} have none\n", b.display_name,
                       b.supported_nodes, b.node_count, b.unsupported_nodes);
  }
  for (const SubgraphCompat& s : b.subgraphs) {
    const std::string where = many_subgraphs ? SubgraphTitle(s) + ": " : "";
    for (const PartitionInfo& p : s.partitions) {
      out += fmt::format("  {}partition {}: nodes {}-{} ({} node(s))\n", where, p.index,
                         p.first_node, p.last_node, p.node_count);
      out += fmt::format("    in:  {}\n", BoundaryText(p.inputs));
      out += fmt::format("    out: {}\n", BoundaryText(p.outputs));
    }
    for (const NodeVerdict& v : s.nodes)
      if (!v.supported())
        out += fmt::format("  {}{}: [{}] {}\n", where, b.is_delegate ? "fallback" : "unsupported",
                           runtime::SupportCodeName(v.code), v.reason);
  }
  if (b.allocate_checked) {
    if (b.allocate_ok)
      out += fmt::format("  AllocateTensors: ok, arena {} bytes\n", b.arena_bytes);
    else
      out += fmt::format("  AllocateTensors: failed: {}\n", b.allocate_error);
  }
}

// "ok" / "P<n>" for a supported node, the reason code otherwise.
std::string Cell(const BackendCompat& b, const NodeVerdict& v) {
  if (!v.supported()) return runtime::SupportCodeName(v.code);
  return b.is_delegate ? fmt::format("P{}", v.partition) : "ok";
}

void AppendTable(const analyzers::CompatibilityReport& r, std::string& out) {
  const BackendCompat* first = nullptr;
  for (const BackendCompat& b : r.backends)
    if (b.available && !first) first = &b;
  if (!first) return;
  for (size_t s = 0; s < first->subgraphs.size(); ++s) {
    out += fmt::format("\nPer node, {}:\n  {:>5}  {:<32}", SubgraphTitle(first->subgraphs[s]),
                       "node", "op");
    for (const BackendCompat& b : r.backends)
      if (b.available) out += fmt::format("  {:<20}", b.backend);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += "\n";
    for (size_t n = 0; n < first->subgraphs[s].nodes.size(); ++n) {
      const NodeVerdict& v = first->subgraphs[s].nodes[n];
      out += fmt::format("  {:>5}  {:<32}", v.node, v.op);
      for (const BackendCompat& b : r.backends)
        if (b.available && s < b.subgraphs.size() && n < b.subgraphs[s].nodes.size())
          out += fmt::format("  {:<20}", Cell(b, b.subgraphs[s].nodes[n]));
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out += "\n";
    }
  }
}

}  // namespace

nlohmann::json CompatibilityToJson(const analyzers::CompatibilityReport& report) {
  json backends = json::array();
  for (const BackendCompat& b : report.backends) backends.push_back(BackendToJson(b));
  return {{"backends", backends}};
}

std::string CompatibilityToText(const analyzers::CompatibilityReport& report) {
  std::string out = "\nCompatibility per backend\n";
  out += kRule;
  bool many = false;
  for (const BackendCompat& b : report.backends) many = many || b.subgraphs.size() > 1;
  for (const BackendCompat& b : report.backends) AppendBackend(b, many, out);
  AppendTable(report, out);
  return out;
}

}  // namespace litescope::reports
