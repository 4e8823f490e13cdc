#pragma once

#include <cstdint>
#include <string>
#include <vector>

// A few crafted hostile models as files, for the tools' command-line tests (each tool must
// stop with one "error:" line) and as fuzz seeds. The runtime's own crafted-model tests are in
// tests/runtime/hostile_model_test.cc.
namespace litescope::fuzz {

struct HostileModel {
  std::string name;  // file name, "endless_while.tflite"
  std::vector<uint8_t> bytes;
  std::vector<std::string> flags;  // extra tflite_run flags the case runs with
  std::string expected;            // a fragment of the one-line error
};

// endless_while (a WHILE whose condition is a constant true), recursive_while (a WHILE whose
// body is its own subgraph), huge_tensor (a 16 GiB input), big_tensor (4 MiB tensors, run with
// --max_arena_mb 2), zero_stride_conv (CONV_2D with stride 0) and int_div_by_zero (DIV of int32
// by a constant holding 0).
std::vector<HostileModel> HostileModels();

}  // namespace litescope::fuzz
