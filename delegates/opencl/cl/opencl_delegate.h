#pragma once

#include <memory>
#include <string>
#include <vector>

#include "delegates/opencl/cl/opencl_context.h"
#include "delegates/opencl/cl/opencl_program_cache.h"
#include "delegates/opencl/opencl_support.h"
#include "runtime/delegate.h"
#include "runtime/status.h"

namespace litescope::delegates {

struct OpenclOptions {
  std::string platform;   // --gpu_platform: index or name substring; "" = any
  std::string device;     // --gpu_device: index or name substring; "" = the first GPU, else first
  std::string cache_dir;  // --gpu_cache_dir: program binaries; "" = none
  runtime::DelegateOptions delegate_options;
};

// The OpenCL GPU delegate ("GPU"): float32 NHWC kernels, one program per node specialized with
// -D defines (opencl_support.h plans them; the same function is CheckNode). Owns the context,
// the queue and the program cache; must outlive every interpreter it is applied to. Not
// thread-safe.
//
//   auto d = OpenclDelegate::Create(options);   // fails when no OpenCL device exists
//   interp->ApplyDelegate(**d, options.delegate_options);
class OpenclDelegate final : public runtime::Delegate {
 public:
  static Result<std::unique_ptr<OpenclDelegate>> Create(const OpenclOptions& options);

  const char* name() const override { return "GPU"; }
  runtime::SupportResult CheckNode(runtime::Subgraph& subgraph,
                                   const runtime::Node& node) override {
    return support_.Check(subgraph, node);
  }
  Result<std::unique_ptr<runtime::DelegateKernel>> CreateKernel(
      runtime::Subgraph& subgraph, const std::vector<int>& nodes) override;

  const std::shared_ptr<OpenclContext>& context() const { return context_; }
  OpenclProgramCache& programs() { return *programs_; }

 private:
  OpenclDelegate() = default;

  OpenclSupport support_;
  std::shared_ptr<OpenclContext> context_;
  std::unique_ptr<OpenclProgramCache> programs_;
};

// The factory of the "gpu" registration (opencl_backend.h).
Result<std::unique_ptr<runtime::Delegate>> MakeOpenclDelegate(const OpenclOptions& options);

// benchmark_model --list_gpu_devices: every OpenCL device, or why there is none.
Result<std::string> ListOpenclDevices();

}  // namespace litescope::delegates
