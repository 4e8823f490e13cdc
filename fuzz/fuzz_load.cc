// Fuzz target (a): load and validate a model (loader, verifier, semantic checks, the analyzer's
// summary and the interpreter's subgraph construction). Built as a libFuzzer target with clang
// and as a plain driver (fuzz_driver_main.cc) otherwise.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_harness.h"
#include "fuzz/model_mutator.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  litescope::fuzz::RunLoad(data, size);
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  return litescope::fuzz::MutateModel(data, size, max_size, seed, LLVMFuzzerMutate);
}
