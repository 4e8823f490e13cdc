#pragma once

#include <string>
#include <vector>

#include "runtime/interpreter.h"
#include "runtime/status.h"

namespace litescope::apps {

// Fills the primary subgraph's inputs from raw little-endian files, in input order. The byte
// count of each file must equal the tensor's.
Status ReadInputs(runtime::Interpreter& interp, const std::vector<std::string>& files);

// Fills every input deterministically: "zeros", or "random" (uniform in [-1, 1] for floats, the
// whole range for integers, a fixed seed so runs repeat).
Status FillInputs(runtime::Interpreter& interp, const std::string& how);

// One line per output: name, dtype, shape, min/max/mean and the index of the largest element.
std::string SummarizeOutputs(runtime::Interpreter& interp);

// Writes DIR/output_<j>.bin (raw bytes) for every output and DIR/outputs.json (name, dtype,
// shape, quantization per output).
Status WriteOutputs(runtime::Interpreter& interp, const std::string& dir);

}  // namespace litescope::apps
