#pragma once

#include "delegates/backend_registry.h"

namespace litescope::tests {

// Registers the test-only backends; called by delegates/registered_backends.cc in the builds
// compiled with LITESCOPE_TEST_BACKENDS (the test binary and the test builds of the tools), and
// directly by unit tests on registries of their own.
//
// "testop" (display name "TESTOP", priority 100: after XNNPACK): takes exactly the nodes whose
// op is in its flag --testop_ops (comma-separated schema names, default "ADD") and runs them on
// the reference kernels, so its results equal the CPU's. Its device-free checker is the
// delegate's CheckNode.
Status RegisterTestBackends(delegates::BackendRegistry& registry);

}  // namespace litescope::tests
