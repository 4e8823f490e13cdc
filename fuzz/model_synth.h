#pragma once

#include <cstdint>
#include <vector>

// Random small models for the fuzz targets' seeds and mutator.
namespace litescope::fuzz {

// Builds a small model with runtime::ModelBuilder from `seed` (deterministic): one operator
// drawn from a table of about 90 builtin ops with inputs shaped for it (data, broadcast
// operands, filters, biases, axis/perm/padding/index constants), random types, quantization
// (sometimes broken: scale 0/NaN/inf, zero points out of range, per-channel arrays of the wrong
// length) and option values that mix plausible ones with edge cases (0, -1, huge); or, one time
// in eight, a WHILE/IF/CALL_ONCE model whose subgraph indices may point back at a caller.
std::vector<uint8_t> SynthesizeModel(uint64_t seed);

}  // namespace litescope::fuzz
