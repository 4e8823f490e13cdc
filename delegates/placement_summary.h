#pragma once

#include <string>
#include <vector>

namespace litescope::runtime {
class Interpreter;
}  // namespace litescope::runtime

namespace litescope::delegates {

// Where the nodes of every subgraph ended up after a delegate was applied, in TFLite's words,
// for apps to print:
//   Replacing 28 out of 31 node(s) with delegate (XNNPACK), yielding 2 partitions for the whole graph.
//   3 node(s) fell back to the CPU:
//     MEAN x2 (attribute): XNNPACK: node 4 (MEAN): reduces other axes than height and width ...
// One fallback line per (op, reason code), with the count and the first node's reason. Reads
// only the placement records (Subgraph::placement()), so it works for any delegate.
std::vector<std::string> FormatPlacementSummary(runtime::Interpreter& interpreter,
                                                const std::string& backend);

// One line per node that stayed on the CPU although a delegate was applied:
//   "node 4 (MEAN): attribute: XNNPACK: node 4 (MEAN): ..."; subgraphs other than 0 are named.
std::vector<std::string> FormatFallbackNodes(runtime::Interpreter& interpreter);

}  // namespace litescope::delegates
