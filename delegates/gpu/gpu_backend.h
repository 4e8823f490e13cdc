#pragma once

#include "delegates/backend_registry.h"

namespace litescope::delegates {

// Registers "gpu": TFLite's --use_gpu and --gpu_precision_loss_allowed, highest priority. There
// is no GPU delegate yet, so its factory fails and it has no support checker.
Status RegisterGpuBackend(BackendRegistry& registry);

}  // namespace litescope::delegates
