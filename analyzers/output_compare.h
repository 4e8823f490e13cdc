#pragma once

#include <cstdint>
#include <string>

#include "runtime/tensor.h"

namespace litescope::analyzers {

// How close two results of one output tensor must be. The rules of ../shared/conformance:
// a float element passes when |got - want| <= atol * max(1, max|want|) + rtol * |want| (NaN
// must meet NaN, inf the same inf); an integer element when |got - want| <= max_lsb, and at
// least min_exact_fraction of the elements must be equal.
struct OutputTolerance {
  double atol = 1e-4;
  double rtol = 1e-4;
  int64_t max_lsb = 1;
  double min_exact_fraction = 0;
};

// The defaults above are what the conformance suites allow between two correct CPU
// implementations that sum in another order (TFLite's builtin kernels vs its XNNPACK delegate).
inline OutputTolerance CrossBackendTolerance() { return {}; }

// One output compared element by element.
struct OutputComparison {
  std::string name;   // the tensor's
  std::string dtype;  // runtime::DataTypeName
  int64_t elements = 0;
  bool comparable = true;  // false: shapes or types differ, or a type we cannot compare
  std::string why_not;     // when !comparable
  bool pass = true;
  int64_t bad_elements = 0;   // beyond the tolerance
  double max_abs_diff = 0;    // floats: largest |got - want|; integers: largest step count
  double mean_abs_diff = 0;   // over the finite elements
  double exact_fraction = 1;  // elements exactly equal
  int64_t worst_index = -1;   // where max_abs_diff is (or the first non-finite mismatch)
  double worst_got = 0, worst_want = 0;
};

// Compares `got` with `want` (same dtype and shape) under `tol`. Float16 and bfloat16 are
// compared as floats; bool and the integer types by steps; other types (strings, resources)
// are reported as not comparable.
OutputComparison CompareOutputs(const runtime::Tensor& got, const runtime::Tensor& want,
                                const OutputTolerance& tol);

// "output 'Identity' (float32, 1001 elements): 3 beyond tolerance, max |diff| 0.52 at 17 (got
// 0.61, want 0.09)".
std::string DescribeComparison(const OutputComparison& c);

}  // namespace litescope::analyzers
