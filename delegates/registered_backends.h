#pragma once

#include "delegates/backend_registry.h"

namespace litescope::delegates {

// Every backend this build has, registered once on first use (delegates/registered_backends.cc
// holds the one list). The reference CPU kernels are not a backend here: they run whatever no
// delegate takes.
const BackendRegistry& RegisteredBackends();

}  // namespace litescope::delegates
