#include "delegates/xnnpack/xnnpack_support.h"

#include <cstdint>
#include <vector>

#include <fmt/format.h>
#include <xnnpack.h>

#include "delegates/xnnpack/xnnpack_ops.h"

namespace litescope::delegates {
namespace {

// Defines the node alone in a scratch XNNPACK subgraph, so that what XNNPACK's own define-time
// validation rejects is a per-node verdict rather than a failed partition.
runtime::SupportResult TrialDefine(runtime::Subgraph& graph, const runtime::Node& node,
                                   XnnpackFoldedConstants& folded, bool fp16) {
  const size_t num_tensors = static_cast<size_t>(graph.tensor_count());
  XnnpackLowering::Partition p;
  p.shapes.assign(num_tensors, runtime::Shape());
  p.shape_known.assign(num_tensors, false);
  p.external_id.assign(num_tensors, -1);
  p.folded = &folded;
  p.trial = true;
  XnnpackLowering probe(graph);
  int32_t next = 0;
  for (const std::vector<int>* list : {&node.inputs, &node.outputs})
    for (int t : *list)
      if (t >= 0 && !probe.IsStatic(t) && p.external_id[static_cast<size_t>(t)] < 0)
        p.external_id[static_cast<size_t>(t)] = next++;
  xnn_subgraph_t sg = nullptr;
  const xnn_status s = xnn_create_subgraph(static_cast<uint32_t>(next), 0, &sg);
  if (s != xnn_status_success)
    return runtime::SupportResult::No(
        runtime::SupportCode::kDelegateError,
        fmt::format("XNNPACK: xnn_create_subgraph failed: {}", XnnStatusName(s)));
  XnnpackLowering lowering(graph, sg, p, fp16);
  runtime::SupportResult r = XnnpackVisitNode(lowering, node);
  xnn_delete_subgraph(sg);
  return r;
}

}  // namespace

runtime::SupportResult XnnpackSupport::Check(runtime::Subgraph& subgraph,
                                             const runtime::Node& node) {
  XnnpackLowering check(subgraph, force_fp16_);
  runtime::SupportResult r = XnnpackVisitNode(check, node);
  if (!r.supported()) return r;
  // Where XNNPACK cannot initialize (a CPU it does not serve) the check-mode verdict stands;
  // the delegate itself then fails to be created.
  if (xnn_initialize(/*allocator=*/nullptr) != xnn_status_success) return r;
  return TrialDefine(subgraph, node, folded_, force_fp16_);
}

}  // namespace litescope::delegates
