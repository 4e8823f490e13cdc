#include "profiler/op_stats.h"

#include <algorithm>

#include "runtime/interpreter.h"
#include "runtime/subgraph.h"

namespace litescope::profiler {
namespace {

std::string OutputsLabel(const runtime::Subgraph& sg, const std::vector<int>& outputs) {
  std::string s = "[";
  bool first = true;
  for (int t : outputs) {
    if (t < 0 || t >= static_cast<int>(sg.tensors().size())) continue;
    if (!first) s += ",";
    s += sg.tensors()[static_cast<size_t>(t)].name;
    first = false;
  }
  return s + "]";
}

}  // namespace

std::vector<SubgraphLabels> LabelNodes(runtime::Interpreter& interp) {
  std::vector<SubgraphLabels> all;
  for (int s = 0; s < interp.subgraph_count(); ++s) {
    runtime::Subgraph* sg = interp.subgraph(s);
    SubgraphLabels labels;
    if (!sg) {
      all.push_back(std::move(labels));
      continue;
    }
    labels.name = sg->name();
    for (const runtime::Node& n : sg->nodes()) {
      NodeLabel l;
      l.name = OutputsLabel(*sg, n.outputs) + ":" + std::to_string(n.index);
      const auto& placement = sg->placement();
      if (static_cast<size_t>(n.index) < placement.size())
        l.backend = placement[static_cast<size_t>(n.index)].backend;
      labels.nodes.push_back(std::move(l));
    }
    const auto& partitions = sg->partitions();
    for (size_t p = 0; p < partitions.size(); ++p) {
      NodeLabel l;
      l.backend = partitions[p].backend;
      const std::vector<int>& nodes = partitions[p].nodes;
      l.name = nodes.empty()
                   ? "[]"
                   : OutputsLabel(*sg, sg->nodes()[static_cast<size_t>(nodes.back())].outputs) +
                         ":" + std::to_string(nodes.front());
      labels.partitions.push_back(std::move(l));
    }
    all.push_back(std::move(labels));
  }
  return all;
}

OpStats::OpStats(std::vector<SubgraphLabels> labels) : labels_(std::move(labels)) {}

OpStatsTable& OpStats::Table(OpStatsTable::Kind kind, int subgraph) {
  const std::pair<int, int> key(static_cast<int>(kind),
                                kind == OpStatsTable::Kind::kSubgraph ? subgraph : 0);
  auto it = table_index_.find(key);
  if (it != table_index_.end()) return tables_[it->second];
  OpStatsTable t;
  t.kind = kind;
  t.subgraph = key.second;
  if (kind == OpStatsTable::Kind::kSubgraph && subgraph >= 0 &&
      static_cast<size_t>(subgraph) < labels_.size())
    t.subgraph_name = labels_[static_cast<size_t>(subgraph)].name;
  table_index_[key] = tables_.size();
  tables_.push_back(std::move(t));
  return tables_.back();
}

NodeStats& OpStats::Row(OpStatsTable& table, const ProfileEvent& e) {
  const size_t table_id = static_cast<size_t>(&table - tables_.data());
  const std::string tag = e.tag ? e.tag : "";
  // A kInvoke event with a negative node covers delegate partition -1 - node.
  const bool partition = e.kind == runtime::EventKind::kInvoke && e.node < 0;
  const bool is_node = e.node >= 0 || partition;
  // Node and partition rows are keyed by index; other events (AllocateTensors) by their tag.
  // Ops a delegate reports are keyed by node and tag: one node may become several ops.
  const bool by_tag = !is_node || e.kind == runtime::EventKind::kDelegateOp ||
                      e.kind == runtime::EventKind::kDeviceOp ||
                      e.kind == runtime::EventKind::kCopy;
  const auto key = std::make_tuple(table_id, e.subgraph, partition ? -1 - e.node : e.node,
                                   std::string(partition ? "partition"
                                               : by_tag  ? tag
                                                         : ""));
  auto it = rows_.find(key);
  if (it != rows_.end()) return table.nodes[it->second];
  NodeStats row;
  row.type = tag;
  row.subgraph = e.subgraph;
  row.node = e.node;
  row.run_order = static_cast<int64_t>(table.nodes.size());
  const SubgraphLabels* sl = e.subgraph >= 0 && static_cast<size_t>(e.subgraph) < labels_.size()
                                 ? &labels_[static_cast<size_t>(e.subgraph)]
                                 : nullptr;
  const NodeLabel* label = nullptr;
  if (sl && partition && static_cast<size_t>(-1 - e.node) < sl->partitions.size())
    label = &sl->partitions[static_cast<size_t>(-1 - e.node)];
  else if (sl && !partition && e.node >= 0 && static_cast<size_t>(e.node) < sl->nodes.size())
    label = &sl->nodes[static_cast<size_t>(e.node)];
  if (label) {
    row.name = label->name;
    row.backend = label->backend;
  } else {
    row.name = "[" + tag + "]";
    row.backend = partition ? tag : "cpu";
  }
  rows_[key] = table.nodes.size();
  table.nodes.push_back(std::move(row));
  return table.nodes.back();
}

void OpStats::AddRun(const ProfileEvent* events, size_t count) {
  std::map<size_t, double> run_totals;  // table index -> microseconds in this run
  for (size_t i = 0; i < count; ++i) {
    const ProfileEvent& e = events[i];
    if (e.end_ns == 0) continue;
    const bool internal = e.kind == runtime::EventKind::kDelegateOp;
    const bool device =
        e.kind == runtime::EventKind::kDeviceOp || e.kind == runtime::EventKind::kCopy;
    OpStatsTable& table = Table(device     ? OpStatsTable::Kind::kDevice
                                : internal ? OpStatsTable::Kind::kDelegateInternal
                                           : OpStatsTable::Kind::kSubgraph,
                                e.subgraph);
    const size_t table_id = static_cast<size_t>(&table - tables_.data());
    NodeStats& row = Row(table, e);
    const double us = static_cast<double>(e.duration_ns()) / 1000.0;
    row.time_us.Add(us);
    ++row.times_called;
    run_totals[table_id] += us;
  }
  for (const auto& [table_id, us] : run_totals) tables_[table_id].run_total_us.Add(us);
}

std::vector<const OpStatsTable*> OpStats::tables() const {
  std::vector<const OpStatsTable*> out;
  for (const auto& [key, index] : table_index_) out.push_back(&tables_[index]);
  // table_index_ is ordered by (kind, subgraph): subgraphs first, ascending, then the delegate.
  return out;
}

const OpStatsTable* OpStats::delegate_internal() const {
  auto it = table_index_.find({static_cast<int>(OpStatsTable::Kind::kDelegateInternal), 0});
  return it == table_index_.end() ? nullptr : &tables_[it->second];
}

void OpStats::SetDelegateInternal(OpStatsTable table) {
  table.kind = OpStatsTable::Kind::kDelegateInternal;
  table.subgraph = 0;
  const std::pair<int, int> key(static_cast<int>(OpStatsTable::Kind::kDelegateInternal), 0);
  auto it = table_index_.find(key);
  if (it != table_index_.end()) {
    tables_[it->second] = std::move(table);
    return;
  }
  table_index_[key] = tables_.size();
  tables_.push_back(std::move(table));
}

OpStatsTable ScaleDelegateOps(const OpStats& fused, const OpStats& breakdown,
                              const std::function<int(int subgraph, int node)>& partition_of,
                              std::vector<PartitionScale>* scales) {
  const OpStatsTable* ops = breakdown.delegate_internal();
  if (!ops) return {};
  OpStatsTable scaled = *ops;
  // Per (subgraph, partition): the ops' sum per run in the breakdown rounds.
  std::map<std::pair<int, int>, PartitionScale> parts;
  for (const NodeStats& row : ops->nodes) {
    const int p = partition_of(row.subgraph, row.node);
    if (p < 0) continue;
    PartitionScale& ps = parts[{row.subgraph, p}];
    ps.subgraph = row.subgraph;
    ps.partition = p;
    ps.breakdown_us_per_run += row.avg_us_per_run(ops->num_runs());
  }
  // The partitions' fused times: their rows (node -1 - p) in the timed runs' subgraph tables.
  for (const OpStatsTable* t : fused.tables()) {
    if (t->kind != OpStatsTable::Kind::kSubgraph) continue;
    for (const NodeStats& row : t->nodes) {
      if (row.node >= 0) continue;
      auto it = parts.find({row.subgraph, -1 - row.node});
      if (it != parts.end()) it->second.fused_us_per_run = row.avg_us_per_run(t->num_runs());
    }
  }
  for (auto& [key, ps] : parts)
    ps.factor = ps.fused_us_per_run > 0 && ps.breakdown_us_per_run > 0
                    ? ps.fused_us_per_run / ps.breakdown_us_per_run
                    : 1.0;
  double before = 0, after = 0;
  for (NodeStats& row : scaled.nodes) {
    const int p = partition_of(row.subgraph, row.node);
    auto it = parts.find({row.subgraph, p});
    const double factor = p >= 0 && it != parts.end() ? it->second.factor : 1.0;
    before += row.avg_us_per_run(ops->num_runs());
    row.time_us = row.time_us.Scaled(factor);
    after += row.avg_us_per_run(ops->num_runs());
  }
  scaled.run_total_us = ops->run_total_us.Scaled(before > 0 ? after / before : 1.0);
  if (scales) {
    scales->clear();
    for (const auto& [key, ps] : parts) scales->push_back(ps);
  }
  return scaled;
}

const OpStatsTable* OpStats::primary() const {
  auto it = table_index_.find({static_cast<int>(OpStatsTable::Kind::kSubgraph), 0});
  return it == table_index_.end() ? nullptr : &tables_[it->second];
}

}  // namespace litescope::profiler
