#include "reports/cost_report.h"

#include <vector>

#include <fmt/format.h>

namespace litescope::reports {
namespace {

using analyzers::ArenaTensor;
using analyzers::CostReport;
using analyzers::NodeCost;
using analyzers::OpTypeCost;
using analyzers::TensorSize;
using nlohmann::json;

constexpr char kRule[] = "---------------------------------------------------------------\n";

// "569.4M", "1.14G", "812" (decimal prefixes, as MAC counts are usually quoted).
std::string Count(int64_t n) {
  const double v = static_cast<double>(n);
  if (n >= 1'000'000'000) return fmt::format("{:.2f}G", v / 1e9);
  if (n >= 1'000'000) return fmt::format("{:.1f}M", v / 1e6);
  if (n >= 10'000) return fmt::format("{:.1f}k", v / 1e3);
  return fmt::format("{}", n);
}

std::string ShapeText(const std::vector<int32_t>& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) out += fmt::format("{}{}", i ? ", " : "", shape[i]);
  return out + "]";
}

double Percent(int64_t part, int64_t whole) {
  return whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

json ArenaToJson(const CostReport& r) {
  if (!r.has_arena) return nullptr;
  json tensors = json::array();
  for (const ArenaTensor& t : r.arena.peak_tensors)
    tensors.push_back({{"tensor", t.tensor},
                       {"name", t.name},
                       {"bytes", t.bytes},
                       {"offset_bytes", t.offset_bytes},
                       {"first_step", t.first_step},
                       {"last_step", t.last_step}});
  return {{"subgraph", r.arena.subgraph},
          {"arena_bytes", r.arena.arena_bytes},
          {"persistent_bytes", r.arena.persistent_bytes},
          {"arena_tensor_count", r.arena.arena_tensor_count},
          {"peak_step", r.arena.peak_step},
          {"peak_live_bytes", r.arena.peak_live_bytes},
          {"peak_tensors", tensors}};
}

}  // namespace

nlohmann::json CostToJson(const CostReport& r) {
  json nodes = json::array(), ops = json::array(), largest = json::array();
  for (const NodeCost& c : r.nodes)
    nodes.push_back({{"subgraph", c.subgraph},
                     {"index", c.node},
                     {"op", c.op},
                     {"counted", c.counted},
                     {"macs", c.macs},
                     {"flops", c.flops},
                     {"parameter_bytes", c.parameter_bytes},
                     {"activation_bytes", c.activation_bytes}});
  for (const OpTypeCost& t : r.op_types)
    ops.push_back({{"op", t.op},
                   {"count", t.count},
                   {"macs", t.macs},
                   {"flops", t.flops},
                   {"parameter_bytes", t.parameter_bytes},
                   {"activation_bytes", t.activation_bytes}});
  for (const TensorSize& t : r.largest_tensors)
    largest.push_back({{"subgraph", t.subgraph},
                       {"tensor", t.tensor},
                       {"name", t.name},
                       {"dtype", runtime::DataTypeName(t.type)},
                       {"shape", t.shape},
                       {"bytes", t.bytes},
                       {"is_constant", t.is_constant}});
  return {{"total_macs", r.total_macs},
          {"total_flops", r.total_flops},
          {"parameter_bytes", r.parameter_bytes},
          {"uncounted_nodes", r.uncounted_nodes},
          {"allocated", r.allocated},
          {"allocate_error", r.allocate_error.empty() ? json(nullptr) : json(r.allocate_error)},
          {"arena", ArenaToJson(r)},
          {"op_types", ops},
          {"largest_tensors", largest},
          {"nodes", nodes}};
}

std::string CostToText(const CostReport& r) {
  std::string out = "\nCost (counting rules: docs/cost_analysis.md)\n";
  out += kRule;
  out += fmt::format("Total: {} MACs ({}), {} FLOPs ({}); {} node(s) without a counting rule\n",
                     Count(r.total_macs), r.total_macs, Count(r.total_flops), r.total_flops,
                     r.uncounted_nodes);
  out += fmt::format("Parameters: {} bytes in constant tensors\n", r.parameter_bytes);
  if (r.has_arena) {
    const auto& a = r.arena;
    out += fmt::format(
        "Arena (subgraph {}): {} bytes planned for {} tensors, {} bytes outside it; peak at step "
        "{}: {} bytes live in {} tensor(s)\n",
        a.subgraph, a.arena_bytes, a.arena_tensor_count, a.persistent_bytes, a.peak_step,
        a.peak_live_bytes, a.peak_tensors.size());
    for (const ArenaTensor& t : a.peak_tensors)
      out += fmt::format("  T#{} '{}': {} bytes at offset {}, steps {}-{}\n", t.tensor, t.name,
                         t.bytes, t.offset_bytes, t.first_step, t.last_step);
  } else {
    out += fmt::format("Arena: not planned: AllocateTensors failed: {}\n", r.allocate_error);
  }
  out += fmt::format("\nPer op type:\n  {:<32} {:>6} {:>14} {:>7} {:>14} {:>12}\n", "op", "count",
                     "MACs", "%MACs", "FLOPs", "param bytes");
  for (const OpTypeCost& t : r.op_types)
    out += fmt::format("  {:<32} {:>6} {:>14} {:>6.2f}% {:>14} {:>12}\n", t.op, t.count, t.macs,
                       Percent(t.macs, r.total_macs), t.flops, t.parameter_bytes);
  out += "\nLargest tensors:\n";
  for (const TensorSize& t : r.largest_tensors)
    out += fmt::format("  {:>12} bytes  {} T#{} '{}' {} {}{}\n", t.bytes,
                       t.subgraph ? fmt::format("subgraph {}", t.subgraph) : std::string("main"),
                       t.tensor, t.name, runtime::DataTypeName(t.type), ShapeText(t.shape),
                       t.is_constant ? " (constant)" : "");
  out += fmt::format("\nPer node:\n  {:>3} {:>5}  {:<32} {:>14} {:>14} {:>12} {:>12}\n", "sg",
                     "node", "op", "MACs", "FLOPs", "param bytes", "act bytes");
  for (const NodeCost& c : r.nodes)
    out += fmt::format("  {:>3} {:>5}  {:<32} {:>14} {:>14} {:>12} {:>12}\n", c.subgraph, c.node,
                       c.op, c.counted ? fmt::format("{}", c.macs) : std::string("-"),
                       c.counted ? fmt::format("{}", c.flops) : std::string("-"), c.parameter_bytes,
                       c.activation_bytes);
  return out;
}

}  // namespace litescope::reports
