#include "delegates/xnnpack/xnnpack_backend.h"

#include "delegates/xnnpack/xnnpack_delegate.h"
#include "delegates/xnnpack/xnnpack_support.h"

namespace litescope::delegates {
namespace {

constexpr char kForceFp16[] = "xnnpack_force_fp16";

}  // namespace

Status RegisterXnnpackBackend(BackendRegistry& registry) {
  BackendRegistration r;
  r.name = "xnnpack";
  r.display_name = "XNNPACK";
  r.description = "XNNPACK's CPU kernels run the nodes it supports";
  r.priority = 200;  // after a GPU, before the reference kernels
  r.flags = {{kForceFp16, BackendFlag::Type::kBool, "false", "Force fp16 inference in xnnpack",
              "XNNPACK computes in fp16"}};
  // Copied into the lambdas: the registration outlives this function's `r`.
  const BackendRegistration flags_only = r;
  r.make_checker =
      [flags_only](const BackendConfig& config) -> Result<std::unique_ptr<SupportChecker>> {
    return std::unique_ptr<SupportChecker>(
        new XnnpackSupport(flags_only.BoolFlag(config, kForceFp16)));
  };
  r.make_delegate = [flags_only](const BackendConfig& config) {
    XnnpackOptions options;
    options.num_threads = config.num_threads > 0 ? config.num_threads : 1;
    options.force_fp16 = flags_only.BoolFlag(config, kForceFp16);
    options.delegate_options = config.delegate_options;
    return MakeXnnpackDelegate(options);
  };
  return registry.Register(std::move(r));
}

}  // namespace litescope::delegates
