#include "delegates/xnnpack/xnnpack_delegate.h"

#include <fmt/format.h>

#include "delegates/xnnpack/xnnpack_kernel.h"
#include "delegates/xnnpack/xnnpack_ops.h"

namespace litescope::delegates {

Result<std::unique_ptr<XnnpackDelegate>> XnnpackDelegate::Create(const XnnpackOptions& options) {
  if (options.num_threads < 1)
    return InvalidArgumentError(
        fmt::format("XNNPACK: num_threads is {}; expected at least 1", options.num_threads));
  const xnn_status s = xnn_initialize(/*allocator=*/nullptr);
  if (s != xnn_status_success)
    return UnsupportedOpError(
        fmt::format("XNNPACK: xnn_initialize failed: {}", XnnStatusName(s)));
  std::unique_ptr<XnnpackDelegate> d(new XnnpackDelegate(options));
  if (options.num_threads > 1) {
    d->threadpool_ = pthreadpool_create(static_cast<size_t>(options.num_threads));
    if (!d->threadpool_)
      return OutOfMemoryError(fmt::format("XNNPACK: cannot create a pool of {} threads",
                                          options.num_threads));
  }
  return d;
}

XnnpackDelegate::~XnnpackDelegate() {
  if (threadpool_) pthreadpool_destroy(threadpool_);
}

uint32_t XnnpackDelegate::runtime_flags() const {
  return options_.force_fp16 ? XNN_FLAG_FORCE_FP16_INFERENCE : 0;
}

namespace {

// Defines the node alone in a scratch XNNPACK subgraph (no weights are read or packed), so that
// what XNNPACK's own define-time validation rejects is a per-node verdict rather than a failed
// partition.
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

runtime::SupportResult XnnpackDelegate::CheckNode(runtime::Subgraph& subgraph,
                                                  const runtime::Node& node) {
  XnnpackLowering check(subgraph, options_.force_fp16);
  runtime::SupportResult r = XnnpackVisitNode(check, node);
  if (!r.supported()) return r;
  return TrialDefine(subgraph, node, folded_, options_.force_fp16);
}

Result<std::unique_ptr<runtime::DelegateKernel>> XnnpackDelegate::CreateKernel(
    runtime::Subgraph& subgraph, const std::vector<int>& nodes) {
  Result<std::unique_ptr<XnnpackKernel>> k = XnnpackKernel::Create(*this, subgraph, nodes);
  if (!k.ok()) return k.status();
  return std::unique_ptr<runtime::DelegateKernel>(std::move(k.value()));
}

Result<std::unique_ptr<runtime::Delegate>> MakeXnnpackDelegate(const XnnpackOptions& options) {
  Result<std::unique_ptr<XnnpackDelegate>> d = XnnpackDelegate::Create(options);
  if (!d.ok()) return d.status();
  return std::unique_ptr<runtime::Delegate>(std::move(d.value()));
}

}  // namespace litescope::delegates
