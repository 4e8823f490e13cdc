// Fuzz target (c): what fuzz_invoke does, with the XNNPACK delegate applied first (supported
// nodes run in XNNPACK partitions, the rest on the reference kernels).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "delegates/xnnpack/xnnpack_delegate.h"
#include "fuzz/fuzz_harness.h"
#include "fuzz/model_mutator.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace {

// One delegate for the whole run: XNNPACK initializes once per process.
litescope::runtime::Delegate& SharedDelegate() {
  static std::unique_ptr<litescope::runtime::Delegate> delegate = [] {
    litescope::delegates::XnnpackOptions options;
    options.num_threads = 1;
    auto d = litescope::delegates::MakeXnnpackDelegate(options);
    if (!d.ok()) {
      std::fprintf(stderr, "fuzz_xnnpack: %s\n", d.status().message().c_str());
      std::exit(1);
    }
    return std::move(d.value());
  }();
  return *delegate;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  litescope::fuzz::RunInvoke(data, size, &SharedDelegate());
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  return litescope::fuzz::MutateModel(data, size, max_size, seed, LLVMFuzzerMutate);
}
