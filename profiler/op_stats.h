#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "profiler/event_buffer.h"
#include "profiler/stats.h"

namespace litescope::runtime {
class Interpreter;
}  // namespace litescope::runtime

namespace litescope::profiler {

// How the profiler names what an event covers. Built once before profiling starts.
struct NodeLabel {
  std::string name;             // TFLite's row name: "[out_tensor,...]:<node index>"
  std::string backend = "cpu";  // where the node runs: "cpu" or a delegate's name
};

struct SubgraphLabels {
  std::string name;                   // the subgraph's name in the model ("main")
  std::vector<NodeLabel> nodes;       // by node index
  std::vector<NodeLabel> partitions;  // by delegate partition index
};

// Labels for every node and delegate partition of every subgraph. Call after delegates are
// applied (placements are final then).
std::vector<SubgraphLabels> LabelNodes(runtime::Interpreter& interp);

// Aggregated times of one node (or one non-node event such as AllocateTensors).
struct NodeStats {
  std::string type;     // the event tag: "CONV_2D", a delegate name, "AllocateTensors"
  std::string name;     // row name, see NodeLabel
  std::string backend;  // "cpu" or the delegate that ran it
  int subgraph = 0;
  int node = -1;             // node index (-1 - p for delegate partition p, -1 otherwise)
  int64_t run_order = 0;     // order of first appearance within its table
  RunningStat time_us;       // one value per call, microseconds
  int64_t times_called = 0;  // calls over all runs

  // Average time per run (all calls in a run added), given the table's run count.
  double avg_us_per_run(int64_t runs) const {
    return runs > 0 ? time_us.sum() / static_cast<double>(runs) : 0;
  }
};

// Rows of one subgraph, or of the ops delegates report inside their kernels.
struct OpStatsTable {
  // kDevice: kDeviceOp and kCopy events, the times a backend's device measured (per node, and
  // its copies).
  enum class Kind { kSubgraph, kDelegateInternal, kDevice };
  Kind kind = Kind::kSubgraph;
  int subgraph = 0;  // for kSubgraph
  std::string subgraph_name;
  std::vector<NodeStats> nodes;  // in run order
  RunningStat run_total_us;      // per run: the sum of this table's event times

  int64_t num_runs() const { return run_total_us.count(); }
};

// Per-node aggregation of profiling events, like TFLite's profile summarizer: every event adds
// one call to its row; per run, the sum of a table's event times adds one run-total sample.
// kPrepare/kInvoke/kAllocate events go to the table of their subgraph; kDelegateOp events go to
// one "delegate internal" table and are not counted in subgraph run totals (the partition's own
// kInvoke event already covers them). Events still open (no End) are ignored.
//
// Not in the hot path: call AddRun between runs. Not thread-safe.
class OpStats {
 public:
  explicit OpStats(std::vector<SubgraphLabels> labels = {});

  // Adds the events of one run (or of initialization, counted as one run).
  void AddRun(const ProfileEvent* events, size_t count);
  void AddRun(const EventBuffer& buffer) { AddRun(buffer.events(), buffer.size()); }

  // Subgraph tables by subgraph index (only those that saw events), then the delegate table.
  std::vector<const OpStatsTable*> tables() const;
  // The primary subgraph's table, or nullptr when it saw no events.
  const OpStatsTable* primary() const;
  // The delegate-internal table, or nullptr.
  const OpStatsTable* delegate_internal() const;
  // Sets the delegate-internal table (e.g. one ScaleDelegateOps made), replacing any.
  void SetDelegateInternal(OpStatsTable table);
  bool empty() const { return tables_.empty(); }

 private:
  NodeStats& Row(OpStatsTable& table, const ProfileEvent& e);
  OpStatsTable& Table(OpStatsTable::Kind kind, int subgraph);

  std::vector<SubgraphLabels> labels_;
  std::vector<OpStatsTable> tables_;
  std::map<std::pair<int, int>, size_t> table_index_;                 // (kind, subgraph)
  std::map<std::tuple<size_t, int, int, std::string>, size_t> rows_;  // (table, sg, node, tag)
};

// How the ops of one fused delegate partition were scaled (ScaleDelegateOps).
struct PartitionScale {
  int subgraph = 0;
  int partition = 0;
  double fused_us_per_run = 0;      // the partition's time in the timed (fused) runs
  double breakdown_us_per_run = 0;  // its ops' sum in the per-node rounds
  double factor = 1;                // fused / breakdown
};

// The delegate-internal rows of `breakdown` (runs where a delegate timed its ops apart), each
// scaled by its partition's fused / breakdown ratio, so that the rows of every partition add up
// to the partition's time per run in `fused` (the timed runs, where the partition ran fused).
// `partition_of(subgraph, node)` gives a node's partition index (-1: on the CPU). Rows whose
// partition has no fused time keep their measured times (factor 1). `scales` (optional) gets
// one entry per partition.
OpStatsTable ScaleDelegateOps(const OpStats& fused, const OpStats& breakdown,
                              const std::function<int(int subgraph, int node)>& partition_of,
                              std::vector<PartitionScale>* scales);

}  // namespace litescope::profiler
