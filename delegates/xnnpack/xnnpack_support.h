#pragma once

#include "delegates/backend_registry.h"
#include "delegates/xnnpack/xnnpack_lowering.h"
#include "runtime/delegate.h"

namespace litescope::delegates {

// XNNPACK's per-node support check, without a delegate: the check-mode visit of the lowering
// (xnnpack_ops.h) and, where XNNPACK initializes on this CPU, a trial definition of the node
// alone in a scratch XNNPACK subgraph (no weights are read or packed), so that what XNNPACK's
// own define-time validation rejects is a per-node verdict. XnnpackDelegate::CheckNode is this
// check, so the analyzer's prediction and the run cannot drift apart. Not thread-safe.
class XnnpackSupport final : public SupportChecker {
 public:
  explicit XnnpackSupport(bool force_fp16) : force_fp16_(force_fp16) {}
  runtime::SupportResult Check(runtime::Subgraph& subgraph, const runtime::Node& node) override;

 private:
  bool force_fp16_;
  XnnpackFoldedConstants folded_;  // unused in trial mode; the lowering wants one
};

}  // namespace litescope::delegates
