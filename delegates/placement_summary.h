#pragma once

#include <string>
#include <vector>

namespace litescope::runtime {
class Interpreter;
}  // namespace litescope::runtime

namespace litescope::delegates {

// Where the nodes of every subgraph ended up after a delegate was applied, in TFLite's words,
// for apps to print (DELEGATE is the delegate's display name):
//   Replacing 28 out of 31 node(s) with delegate (DELEGATE), yielding 2 partitions for the whole
//   graph. 3 node(s) fell back to the CPU:
//     MEAN x2 (attribute): DELEGATE: node 4 (MEAN): reduces other axes than height and width ...
// One fallback line per (op, reason code), with the count and the first node's reason; the
// reasons are `backend`'s own refusals. Nodes another delegate runs are neither replaced nor
// fallbacks. Reads only the placement records (Subgraph::placement()), so it works for any
// delegate.
std::vector<std::string> FormatPlacementSummary(runtime::Interpreter& interpreter,
                                                const std::string& backend);

// One line per node that stayed on the CPU although a delegate was applied:
//   "node 4 (MEAN): attribute: DELEGATE: node 4 (MEAN): ..."; subgraphs other than 0 are named.
// The reason is the first refusal (the only one with one delegate).
std::vector<std::string> FormatFallbackNodes(runtime::Interpreter& interpreter);

// One line per node of every subgraph: who runs it and every refusal before that, in the order
// the delegates were applied:
//   "node 3 (ADD): TEST partition 1; refused by DELEGATE (unsupported_op): DELEGATE: ..."
//   "node 5 (MEAN): cpu; refused by DELEGATE (attribute): ...; refused by TEST (...): ..."
// Subgraphs other than 0 are named ("subgraph 1 node 0 (ADD): ..."). For runs with several
// delegates, where the placement is more than one verdict per node.
std::vector<std::string> FormatPlacementNodes(runtime::Interpreter& interpreter);

}  // namespace litescope::delegates
