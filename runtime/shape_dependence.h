#pragma once

#include <vector>

#include "runtime/subgraph.h"

namespace litescope::runtime {

// Which tensors may change shape at run time. A CPU kernel whose output shape follows the
// *data* of some input (RESHAPE's shape tensor, SLICE's begin/size, ...) sizes its output at
// run time when that input is not a constant; every tensor computed from such an output may
// change shape too. Delegates that need static shapes refuse those tensors.

// The input slots whose data decides `op`'s output shape (-1: every input); empty for ops
// whose output shape follows their inputs' shapes only. `op` is a schema::BuiltinOperator.
std::vector<int> ShapeDecidingInputs(int op);

// For every tensor of `g`: the index of the node whose run-time data may change its shape,
// or -1. One pass over the nodes in execution order: linear in the graph.
std::vector<int> DynamicShapeSources(const Subgraph& g);

// The same for one tensor (the pass stops at its producer); -1 for a constant or an index out
// of range.
int DynamicShapeSource(const Subgraph& g, int tensor);

}  // namespace litescope::runtime
