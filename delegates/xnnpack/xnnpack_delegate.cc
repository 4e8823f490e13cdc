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
    return UnsupportedOpError(fmt::format("XNNPACK: xnn_initialize failed: {}", XnnStatusName(s)));
  std::unique_ptr<XnnpackDelegate> d(new XnnpackDelegate(options));
  if (options.num_threads > 1) {
    d->threadpool_ = pthreadpool_create(static_cast<size_t>(options.num_threads));
    if (!d->threadpool_)
      return OutOfMemoryError(
          fmt::format("XNNPACK: cannot create a pool of {} threads", options.num_threads));
  }
  return d;
}

XnnpackDelegate::~XnnpackDelegate() {
  if (threadpool_) pthreadpool_destroy(threadpool_);
}

uint32_t XnnpackDelegate::runtime_flags() const {
  return options_.force_fp16 ? XNN_FLAG_FORCE_FP16_INFERENCE : 0;
}

runtime::SupportResult XnnpackDelegate::CheckNode(runtime::Subgraph& subgraph,
                                                  const runtime::Node& node) {
  return support_.Check(subgraph, node);
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
