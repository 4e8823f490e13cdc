#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <xnnpack.h>

#include "delegates/xnnpack/xnnpack_lowering.h"
#include "delegates/xnnpack/xnnpack_support.h"
#include "runtime/delegate.h"
#include "runtime/status.h"

namespace litescope::delegates {

struct XnnpackOptions {
  // Threads of the one pthreadpool that every partition shares; 1 runs on the caller's thread.
  int num_threads = 1;
  // XNN_FLAG_FORCE_FP16_INFERENCE: runs the fp32 graph in fp16 (emulated with F16C on x86:
  // slower there, and about 1e-3 relative error). A partition the flag cannot serve fails to
  // build and stays on the CPU with the reason.
  bool force_fp16 = false;
  // Partitioning options for Interpreter::ApplyDelegate (TFLite's meanings); carried here so
  // that one struct configures the whole backend.
  runtime::DelegateOptions delegate_options;
};

// The XNNPACK delegate (Debian's 2022-02-16 snapshot). CheckNode (XnnpackSupport, which the
// analyzer also uses without a delegate) and the kernels lower through the same per-op functions
// (xnnpack_ops.h), so a node the check accepts is a node the partition builds.
//
//   XnnpackOptions opt;  opt.num_threads = 1;
//   auto d = XnnpackDelegate::Create(opt);
//   interp->ApplyDelegate(**d, opt.delegate_options);  // before AllocateTensors
//
// Owns the thread pool and the fp32 copies of folded fp16/int8 weights. Must outlive every
// interpreter it is applied to. Not thread-safe.
class XnnpackDelegate final : public runtime::Delegate {
 public:
  // Initializes XNNPACK (fails with kUnsupportedOp on a CPU it cannot serve).
  static Result<std::unique_ptr<XnnpackDelegate>> Create(const XnnpackOptions& options = {});
  ~XnnpackDelegate() override;
  XnnpackDelegate(const XnnpackDelegate&) = delete;
  XnnpackDelegate& operator=(const XnnpackDelegate&) = delete;

  const char* name() const override { return "XNNPACK"; }
  runtime::SupportResult CheckNode(runtime::Subgraph& subgraph, const runtime::Node& node) override;
  Result<std::unique_ptr<runtime::DelegateKernel>> CreateKernel(
      runtime::Subgraph& subgraph, const std::vector<int>& nodes) override;

  const XnnpackOptions& options() const { return options_; }
  // Null when num_threads is 1 (XNNPACK then runs on the caller's thread).
  pthreadpool_t threadpool() const { return threadpool_; }
  // Flags for xnn_create_runtime_v2.
  uint32_t runtime_flags() const;
  XnnpackFoldedConstants& folded() { return folded_; }

 private:
  explicit XnnpackDelegate(const XnnpackOptions& options)
      : options_(options), support_(options.force_fp16) {}

  XnnpackOptions options_;
  XnnpackSupport support_;
  pthreadpool_t threadpool_ = nullptr;
  XnnpackFoldedConstants folded_;
};

// The factory of the "xnnpack" registration (xnnpack_backend.h).
Result<std::unique_ptr<runtime::Delegate>> MakeXnnpackDelegate(const XnnpackOptions& options);

}  // namespace litescope::delegates
