#pragma once

#include <cstdint>
#include <vector>

#include "runtime/cpu_isa.h"

namespace litescope::runtime {
class Shape;
class ThreadPool;
}  // namespace litescope::runtime

namespace litescope::runtime::reference {
struct ConvQuantParams;
struct DepthwiseParams;
struct DepthwiseQuantParams;
}  // namespace litescope::runtime::reference

// The CPU kernels that are compiled once per ISA level (kernels.isa.cc), and the choice between
// them. Everything else in the runtime is built for the architecture's baseline.
namespace litescope::runtime::optimized {

struct ConvGeometry;
struct DepthwiseQuantizedFilter;
struct GemmInputF32;
class PackedMatrixF32;
class PackedMatrixI8;

// One level's kernels. Callers go through the functions below (or a packed matrix's kernels).
struct IsaKernels {
  IsaLevel level;  // the level this table's code was compiled for

  const char* gemm_f32_name;
  int gemm_f32_nr;  // panel width PackedMatrixF32 packs for these kernels
  void (*gemm_f32)(const GemmInputF32& a, int m, const PackedMatrixF32& b, float* c, int64_t ldc,
                   float out_min, float out_max, ThreadPool* pool);

  const char* gemm_i8_name;
  int32_t gemm_i8_activation_bias;  // folded into PackedMatrixI8's bias
  void (*gemm_i8)(const int8_t* a, int64_t lda, int rows, const PackedMatrixI8& w,
                  const reference::ConvQuantParams& q, int8_t* out, int64_t ldo);

  void (*depthwise_f32_rows)(const reference::DepthwiseParams& p, const Shape& input_shape,
                             const float* input, const Shape& filter_shape, const float* filter,
                             const float* bias, const Shape& output_shape, float* output,
                             int64_t row_begin, int64_t row_end);
  void (*depthwise_i8_rows)(const reference::DepthwiseParams& p,
                            const reference::DepthwiseQuantParams& q, const Shape& input_shape,
                            const int8_t* input, const Shape& filter_shape,
                            const DepthwiseQuantizedFilter& packed, const Shape& output_shape,
                            int8_t* output, int64_t row_begin, int64_t row_end);
  void (*depthwise_u8_rows)(const reference::DepthwiseParams& p,
                            const reference::DepthwiseQuantParams& q, const Shape& input_shape,
                            const uint8_t* input, const Shape& filter_shape,
                            const DepthwiseQuantizedFilter& packed, const Shape& output_shape,
                            uint8_t* output, int64_t row_begin, int64_t row_end);

  // reference::ConvQuantizedRows (the convolutions without a GEMM path, e.g. legacy uint8).
  void (*conv_quantized_rows_i8)(const ConvGeometry& g, int group_in_c, int out_c,
                                 const reference::ConvQuantParams& q, const int8_t* input,
                                 const int8_t* filter, const int32_t* bias, int8_t* output,
                                 int64_t row_begin, int64_t row_end);
  void (*conv_quantized_rows_u8)(const ConvGeometry& g, int group_in_c, int out_c,
                                 const reference::ConvQuantParams& q, const uint8_t* input,
                                 const uint8_t* filter, const int32_t* bias, uint8_t* output,
                                 int64_t row_begin, int64_t row_end);
};

// The levels this binary has kernel code for (ascending). Levels in between use the code of
// the highest compiled level below them (amx: avx512vnni, until AMX kernels exist).
std::vector<IsaLevel> CompiledIsaLevels();
// The kernels for `level`: the highest compiled level at or below it.
const IsaKernels& KernelsForIsa(IsaLevel level);
// KernelsForIsa(ActiveIsa()).
const IsaKernels& ActiveKernels();

// Fast float DEPTHWISE_CONV_2D over output rows [row_begin, row_end) (row = batch * out_h + oy),
// same results as reference::DepthwiseConvFloat; at the active level.
void DepthwiseConvFloatRows(const reference::DepthwiseParams& p, const Shape& input_shape,
                            const float* input, const Shape& filter_shape, const float* filter,
                            const float* bias, const Shape& output_shape, float* output,
                            int64_t row_begin, int64_t row_end);

// Fast quantized DEPTHWISE_CONV_2D over output rows, bit-exact with
// reference::DepthwiseConvQuantized; `packed` from PackDepthwiseQuantizedFilter with q's offsets.
void DepthwiseConvQuantizedRows(const reference::DepthwiseParams& p,
                                const reference::DepthwiseQuantParams& q, const Shape& input_shape,
                                const int8_t* input, const Shape& filter_shape,
                                const DepthwiseQuantizedFilter& packed, const Shape& output_shape,
                                int8_t* output, int64_t row_begin, int64_t row_end);
void DepthwiseConvQuantizedRows(const reference::DepthwiseParams& p,
                                const reference::DepthwiseQuantParams& q, const Shape& input_shape,
                                const uint8_t* input, const Shape& filter_shape,
                                const DepthwiseQuantizedFilter& packed, const Shape& output_shape,
                                uint8_t* output, int64_t row_begin, int64_t row_end);

// reference::ConvQuantizedRows at the active level.
void ConvQuantizedRows(const ConvGeometry& g, int group_in_c, int out_c,
                       const reference::ConvQuantParams& q, const int8_t* input,
                       const int8_t* filter, const int32_t* bias, int8_t* output, int64_t row_begin,
                       int64_t row_end);
void ConvQuantizedRows(const ConvGeometry& g, int group_in_c, int out_c,
                       const reference::ConvQuantParams& q, const uint8_t* input,
                       const uint8_t* filter, const int32_t* bias, uint8_t* output,
                       int64_t row_begin, int64_t row_end);

}  // namespace litescope::runtime::optimized
