#pragma once

#include "delegates/backend_registry.h"

namespace litescope::delegates {

// Registers "xnnpack" (display name "XNNPACK", as in TFLite's lines): TFLite's --use_xnnpack and
// --xnnpack_force_fp16, the device-free XnnpackSupport checker and the XnnpackDelegate factory
// (the config's num_threads threads; delegate_options partition).
Status RegisterXnnpackBackend(BackendRegistry& registry);

}  // namespace litescope::delegates
