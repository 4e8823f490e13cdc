#pragma once

#include <cstddef>
#include <cstdint>

// Structure-aware mutation of TFLite model bytes for the fuzz targets.
namespace litescope::fuzz {

// A small deterministic generator (splitmix64): the same seed gives the same mutations.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  // Uniform in [0, n); 0 when n is 0.
  uint64_t Below(uint64_t n) { return n ? Next() % n : 0; }
  // True with probability 1/n.
  bool OneIn(uint64_t n) { return Below(n) == 0; }

 private:
  uint64_t state_;
};

// Byte-level mutation: libFuzzer's LLVMFuzzerMutate in libFuzzer builds, the plain driver's
// own version otherwise. Returns the new size (<= max_size).
using RawMutateFn = size_t (*)(uint8_t* data, size_t size, size_t max_size);

// Mutates the model in data[0, size) in place and returns its new size (<= max_size).
//
// When the bytes verify as a TFLite flatbuffer, it rewrites one to three fields at offsets the
// verifier vouched for, so the result still parses and reaches the semantic checks and the
// kernels: tensor dimensions, types, buffer indices, shape ranks, operator tensor indices,
// opcode indices, builtin operator codes and versions, builtin option values (subgraph indices
// of WHILE/IF/CALL_ONCE, strides, axes, ...), quantization scales, zero points and axes,
// subgraph inputs/outputs and constant buffer bytes and lengths. Otherwise, and now and then
// anyway, it replaces the model with a synthesized one (model_synth.h) or falls back to `raw`.
size_t MutateModel(uint8_t* data, size_t size, size_t max_size, uint32_t seed, RawMutateFn raw);

}  // namespace litescope::fuzz
