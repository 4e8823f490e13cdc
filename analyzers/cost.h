#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/data_type.h"
#include "runtime/interpreter.h"
#include "runtime/model.h"
#include "runtime/status.h"

namespace litescope::analyzers {

// Where the time and memory of a model go, without running it: multiply-accumulates and
// floating-point operations per node (counting rules in docs/cost_analysis.md), parameter and
// activation bytes per node, and the arena the runtime's planner lays out.
//
// An Interpreter is built on the CPU kernels and AllocateTensors runs (every kernel's Prepare
// and the arena plan, nothing is invoked), so shapes are the ones a run would see and the arena
// is the one a CPU run allocates. When AllocateTensors fails (e.g. a node without a kernel),
// `allocate_error` says why, the shapes of the nodes after the failing one stay as the model
// declares them, and no arena is reported.

struct NodeCost {
  int subgraph = 0;
  int node = 0;
  std::string op;                // "CONV_2D", or the custom code
  bool counted = false;          // a counting rule exists for this op (else macs = flops = 0)
  int64_t macs = 0;              // multiply-accumulates
  int64_t flops = 0;             // floating-point (or integer) operations: 2 per MAC plus the rest
  int64_t parameter_bytes = 0;   // bytes of constant inputs (weights, biases, tables)
  int64_t activation_bytes = 0;  // bytes of non-constant inputs plus all outputs
};

// Totals of one op type (builtin name or custom code), all subgraphs.
struct OpTypeCost {
  std::string op;
  int64_t count = 0;
  int64_t macs = 0;
  int64_t flops = 0;
  int64_t parameter_bytes = 0;
  int64_t activation_bytes = 0;
};

struct TensorSize {
  int subgraph = 0;
  int tensor = 0;
  std::string name;
  runtime::DataType type = runtime::DataType::kFloat32;
  std::vector<int32_t> shape;
  int64_t bytes = 0;
  bool is_constant = false;  // data in the model file
};

// A tensor placed in the arena, with its planned offset and lifetime in execution steps.
struct ArenaTensor {
  int tensor = 0;
  std::string name;
  int64_t bytes = 0;
  int64_t offset_bytes = 0;  // from the start of the arena
  int first_step = 0;        // first node that uses it (subgraph inputs: 0)
  int last_step = 0;         // last node that uses it (inputs and outputs: node count)
};

// The primary subgraph's arena after AllocateTensors. Step i is node i; step N (the node count)
// stands for "after the last node", where inputs and outputs are still live.
struct ArenaUse {
  int subgraph = 0;
  int64_t arena_bytes = 0;                // Subgraph::arena_bytes(): what the planner laid out
  int64_t persistent_bytes = 0;           // heap outside the arena (variables, dynamic, folded)
  int peak_step = 0;                      // the step with the most live arena bytes (first such)
  int64_t peak_live_bytes = 0;            // sum of the bytes of the tensors live at peak_step
  std::vector<ArenaTensor> peak_tensors;  // live at peak_step, largest first
  int64_t arena_tensor_count = 0;
};

struct CostOptions {
  int largest_tensor_count = 10;  // entries in CostReport::largest_tensors
  // Options of the interpreter built (limits such as max_arena_bytes apply to AllocateTensors).
  runtime::InterpreterOptions interpreter;
};

struct CostReport {
  std::vector<NodeCost> nodes;              // subgraph by subgraph, execution order
  std::vector<OpTypeCost> op_types;         // by MACs, then FLOPs, then name
  std::vector<TensorSize> largest_tensors;  // constants and activations, largest first
  int64_t total_macs = 0;
  int64_t total_flops = 0;
  int64_t parameter_bytes = 0;  // every constant tensor once, all subgraphs
  int64_t uncounted_nodes = 0;  // nodes whose op has no counting rule
  bool allocated = false;
  std::string allocate_error;  // empty when AllocateTensors succeeded
  bool has_arena = false;      // `arena` is valid
  ArenaUse arena;
};

// Fails only when no Interpreter can be built from the model.
Result<CostReport> AnalyzeCost(std::shared_ptr<const runtime::Model> model,
                               const CostOptions& options = {});

}  // namespace litescope::analyzers
