#pragma once

#include "delegates/backend_registry.h"

namespace litescope::delegates {

// Registers "gpu", the OpenCL GPU delegate (delegates/opencl): TFLite's --use_gpu and
// --gpu_precision_loss_allowed, plus --gpu_platform, --gpu_device, --gpu_cache_dir and the
// action --list_gpu_devices; the highest priority. Its device-free checker always exists; its
// factory fails when the build has no OpenCL or the machine has no OpenCL device.
Status RegisterGpuBackend(BackendRegistry& registry);

}  // namespace litescope::delegates
