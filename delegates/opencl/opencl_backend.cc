#include "delegates/opencl/opencl_backend.h"

#include "delegates/opencl/opencl_support.h"
#ifdef LITESCOPE_HAVE_OPENCL
#include "delegates/opencl/cl/opencl_delegate.h"
#endif

namespace litescope::delegates {
namespace {

constexpr char kPlatform[] = "gpu_platform";
constexpr char kDevice[] = "gpu_device";
constexpr char kCacheDir[] = "gpu_cache_dir";
constexpr char kNotBuilt[] =
    "GPU: this build has no OpenCL (configure found no opencl-headers / ocl-icd-opencl-dev); "
    "run without the GPU delegate";

}  // namespace

Status RegisterGpuBackend(BackendRegistry& registry) {
  BackendRegistration r;
  r.name = "gpu";
  r.display_name = "GPU";
  r.description = "the OpenCL GPU delegate runs the float32 nodes it supports on an OpenCL device";
  r.priority = 300;  // TFLite's order: the GPU before any CPU library, then the CPU kernels
  r.fuzzed = false;  // each model compiles OpenCL programs (seconds on PoCL): too slow to fuzz
  // Kernels compute in float32 whatever this says (fp16 is a later step).
  r.flags = {
      {"gpu_precision_loss_allowed", BackendFlag::Type::kBool, "true",
       "Allow lower precision in gpu", "GPU may compute in fp16 (this delegate computes fp32)"},
      {kPlatform, BackendFlag::Type::kString, "", "GPU platform",
       "OpenCL platform: index or name substring (default: any)"},
      {kDevice, BackendFlag::Type::kString, "", "GPU device",
       "OpenCL device: index (see --list_gpu_devices) or name substring (default: first GPU, "
       "else first device)"},
      {kCacheDir, BackendFlag::Type::kString, "", "GPU program cache directory",
       "store and reuse compiled OpenCL program binaries in this directory"},
      {"list_gpu_devices", BackendFlag::Type::kBool, "false", "List GPU devices",
       "print every OpenCL device (name, vendor, driver, compute units, memory, fp16) and exit"},
  };
  r.actions = {{"list_gpu_devices", [](const BackendConfig&) -> Result<std::string> {
#ifdef LITESCOPE_HAVE_OPENCL
                  return ListOpenclDevices();
#else
                  return UnsupportedOpError(kNotBuilt);
#endif
                }}};
  r.make_checker = [](const BackendConfig&) -> Result<std::unique_ptr<SupportChecker>> {
    return std::unique_ptr<SupportChecker>(new OpenclSupport());
  };
  // Copied into the lambda: the registration outlives this function's `r`.
  const BackendRegistration flags_only = r;
  r.make_delegate =
      [flags_only](const BackendConfig& config) -> Result<std::unique_ptr<runtime::Delegate>> {
#ifdef LITESCOPE_HAVE_OPENCL
    OpenclOptions options;
    options.platform = flags_only.StringFlag(config, kPlatform);
    options.device = flags_only.StringFlag(config, kDevice);
    options.cache_dir = flags_only.StringFlag(config, kCacheDir);
    options.delegate_options = config.delegate_options;
    return MakeOpenclDelegate(options);
#else
    (void)config;
    return UnsupportedOpError(kNotBuilt);
#endif
  };
  return registry.Register(std::move(r));
}

}  // namespace litescope::delegates
