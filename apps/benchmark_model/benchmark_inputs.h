#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "apps/benchmark_model/benchmark_flags.h"
#include "runtime/status.h"

namespace litescope::runtime {
class Subgraph;
}  // namespace litescope::runtime

namespace litescope::apps {

// What --input_layer, --input_layer_shape, --input_layer_value_range and
// --input_layer_value_files ask for, with TFLite's syntax.
struct InputSpecs {
  std::vector<std::string> names;                             // every input, in input order
  std::vector<std::vector<int32_t>> shapes;                   // parallel to names
  std::map<std::string, std::pair<int64_t, int64_t>> ranges;  // inclusive value range
  std::map<std::string, std::string> files;                   // raw bytes; override ranges
};

// Parses the four flags. Syntax errors are kInvalidArgument (a usage error).
Result<InputSpecs> ParseInputSpecs(const BenchmarkFlags& flags);

// Checks the specs against the subgraph's inputs and resizes them to the given shapes (call
// before AllocateTensors). A name that differs from the tensor's adds a warning, as in TFLite.
Status ApplyInputShapes(const InputSpecs& specs, runtime::Subgraph& subgraph,
                        std::vector<std::string>* warnings);

// One buffer per subgraph input, made once: the file's bytes (their size must equal the
// tensor's), or values drawn with a fixed seed, uniformly in the requested range or by default
// in [-0.5, 0.5] for floats and the whole range of 8/16-bit integers ([0, 99] for 32/64-bit
// integers, which are often indices). Call after AllocateTensors.
Result<std::vector<std::vector<uint8_t>>> MakeInputData(const InputSpecs& specs,
                                                        runtime::Subgraph& subgraph);

// Copies the buffers into the subgraph's inputs (TFLite resets inputs before every run).
void CopyInputs(const std::vector<std::vector<uint8_t>>& data, runtime::Subgraph& subgraph);

}  // namespace litescope::apps
