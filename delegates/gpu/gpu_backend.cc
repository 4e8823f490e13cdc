#include "delegates/gpu/gpu_backend.h"

namespace litescope::delegates {

Status RegisterGpuBackend(BackendRegistry& registry) {
  BackendRegistration r;
  r.name = "gpu";
  r.display_name = "GPU";
  r.description = "litescope has no GPU delegate yet";
  r.priority = 300;  // TFLite's order: the GPU before any CPU library, then the CPU kernels
  r.flags = {{"gpu_precision_loss_allowed", BackendFlag::Type::kBool, "true",
              "Allow lower precision in gpu", "GPU may compute in fp16"}};
  r.make_delegate = [](const BackendConfig&) -> Result<std::unique_ptr<runtime::Delegate>> {
    return UnsupportedOpError(
        "the GPU delegate is not available in this build yet; run without it (CPU kernels)");
  };
  return registry.Register(std::move(r));
}

}  // namespace litescope::delegates
