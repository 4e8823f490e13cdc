// Fuzz target (b): load, AllocateTensors and Invoke (twice) on the reference CPU kernels, with
// inputs filled deterministically. Built as a libFuzzer target with clang and as a plain driver
// (fuzz_driver_main.cc) otherwise.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_harness.h"
#include "fuzz/model_mutator.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  litescope::fuzz::RunInvoke(data, size);
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  return litescope::fuzz::MutateModel(data, size, max_size, seed, LLVMFuzzerMutate);
}
