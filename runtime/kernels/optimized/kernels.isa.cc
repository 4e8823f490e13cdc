// The kernels of one ISA level. CMake compiles this file once per level, with LS_ISA_LEVEL and
// LS_ISA_NAMESPACE set (runtime/CMakeLists.txt); isa_kernels.cc picks a level's table.
//
// Every header whose code must stay at the baseline comes first; the kernel bodies are
// included inside the target region (isa_target_begin.inc explains why).
#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "runtime/cpu_isa.h"
#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/optimized/conv_indirection.h"
#include "runtime/kernels/optimized/depthwise_conv_quantized.h"
#include "runtime/kernels/optimized/gemm_f32.h"
#include "runtime/kernels/optimized/gemm_int8.h"
#include "runtime/kernels/optimized/isa_kernels.h"
#include "runtime/kernels/reference/conv_quantized.h"
#include "runtime/kernels/reference/depthwise_conv.h"
#include "runtime/kernels/reference/depthwise_conv_quantized.h"
#include "runtime/shape.h"
#include "runtime/thread_pool.h"

#include "runtime/kernels/optimized/isa_target_begin.inc"

#include "runtime/kernels/optimized/depthwise_conv_quantized_rows.h"
#include "runtime/kernels/optimized/depthwise_conv_rows.h"
#include "runtime/kernels/optimized/gemm_f32_driver.h"
#include "runtime/kernels/optimized/gemm_int8_driver.h"
#include "runtime/kernels/reference/conv_quantized_rows.h"

namespace litescope::runtime::optimized {
inline namespace LS_ISA_NAMESPACE {
namespace {

void DepthwiseF32(const reference::DepthwiseParams& p, const Shape& input_shape, const float* input,
                  const Shape& filter_shape, const float* filter, const float* bias,
                  const Shape& output_shape, float* output, int64_t row_begin, int64_t row_end) {
  DepthwiseConvFloatRows(p, input_shape, input, filter_shape, filter, bias, output_shape, output,
                         row_begin, row_end);
}

template <typename T>
void DepthwiseQuantized(const reference::DepthwiseParams& p,
                        const reference::DepthwiseQuantParams& q, const Shape& input_shape,
                        const T* input, const Shape& filter_shape,
                        const DepthwiseQuantizedFilter& packed, const Shape& output_shape,
                        T* output, int64_t row_begin, int64_t row_end) {
  DepthwiseConvQuantizedRows<T>(p, q, input_shape, input, filter_shape, packed, output_shape,
                                output, row_begin, row_end);
}

template <typename T>
void ConvQuantized(const ConvGeometry& g, int group_in_c, int out_c,
                   const reference::ConvQuantParams& q, const T* input, const T* filter,
                   const int32_t* bias, T* output, int64_t row_begin, int64_t row_end) {
  reference::ConvQuantizedRows<T>(g, group_in_c, out_c, q, input, filter, bias, output, row_begin,
                                  row_end);
}

}  // namespace
}  // namespace LS_ISA_NAMESPACE

// The table is reached by its plain namespace name from isa_kernels.cc.
inline namespace LS_ISA_NAMESPACE {
const IsaKernels& Kernels() {
  static const IsaKernels kernels = {
      static_cast<IsaLevel>(LS_ISA_LEVEL),
      internal::kGemmF32Name,
      internal::kNr,
      &gemm_f32::Gemm,
      gemm_i8::kName,
      gemm_i8::kActivationBias,
      &gemm_i8::Gemm,
      &DepthwiseF32,
      &DepthwiseQuantized<int8_t>,
      &DepthwiseQuantized<uint8_t>,
      &ConvQuantized<int8_t>,
      &ConvQuantized<uint8_t>,
  };
  return kernels;
}
}  // namespace LS_ISA_NAMESPACE

}  // namespace litescope::runtime::optimized

#include "runtime/kernels/optimized/isa_target_end.inc"
