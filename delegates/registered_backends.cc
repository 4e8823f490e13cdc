// The registration: the one place outside a backend's folder that names it. Backends register
// here explicitly, not through static initializers, which the linker drops from static
// libraries.
//
// LITESCOPE_TEST_BACKENDS is defined only where tests/CMakeLists.txt compiles this file again
// into the test builds of the tools: they then also see the test-only backends of
// tests/backends/, with no change to the tools.
#include "delegates/registered_backends.h"

#include <cstdio>
#include <cstdlib>

#include "delegates/opencl/opencl_backend.h"
#include "delegates/xnnpack/xnnpack_backend.h"
#ifdef LITESCOPE_TEST_BACKENDS
#include "tests/backends/test_backends.h"
#endif

namespace litescope::delegates {
namespace {

BackendRegistry MakeRegistry() {
  BackendRegistry registry;
  for (const Status& s : {
           RegisterXnnpackBackend(registry),
           RegisterGpuBackend(registry),
#ifdef LITESCOPE_TEST_BACKENDS
           tests::RegisterTestBackends(registry),
#endif
       }) {
    if (!s.ok()) {
      // A broken registration is a programming error in this file, found by any test run.
      std::fprintf(stderr, "internal error: backend registration: %s\n", s.message().c_str());
      std::abort();
    }
  }
  return registry;
}

}  // namespace

const BackendRegistry& RegisteredBackends() {
  static const BackendRegistry registry = MakeRegistry();
  return registry;
}

}  // namespace litescope::delegates
