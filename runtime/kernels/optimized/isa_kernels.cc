#include "runtime/kernels/optimized/isa_kernels.h"

// Which levels were compiled comes from CMake: LS_COMPILED_ISA_AVX2 etc. (runtime/CMakeLists.txt).
namespace litescope::runtime::optimized {

namespace isa_baseline {
const IsaKernels& Kernels();
}
#if defined(LS_COMPILED_ISA_AVX2)
namespace isa_avx2 {
const IsaKernels& Kernels();
}
#endif
#if defined(LS_COMPILED_ISA_AVX512)
namespace isa_avx512 {
const IsaKernels& Kernels();
}
#endif
#if defined(LS_COMPILED_ISA_AVX512VNNI)
namespace isa_avx512vnni {
const IsaKernels& Kernels();
}
#endif

namespace {
std::vector<const IsaKernels*> CompiledTables() {
  std::vector<const IsaKernels*> t = {&isa_baseline::Kernels()};
#if defined(LS_COMPILED_ISA_AVX2)
  t.push_back(&isa_avx2::Kernels());
#endif
#if defined(LS_COMPILED_ISA_AVX512)
  t.push_back(&isa_avx512::Kernels());
#endif
#if defined(LS_COMPILED_ISA_AVX512VNNI)
  t.push_back(&isa_avx512vnni::Kernels());
#endif
  return t;
}
const std::vector<const IsaKernels*>& Tables() {
  static const std::vector<const IsaKernels*> tables = CompiledTables();
  return tables;
}
}  // namespace

std::vector<IsaLevel> CompiledIsaLevels() {
  std::vector<IsaLevel> levels;
  for (const IsaKernels* t : Tables()) levels.push_back(t->level);
  return levels;
}

const IsaKernels& KernelsForIsa(IsaLevel level) {
  // The baseline table serves every architecture's lowest level (neon on aarch64 too).
  const IsaKernels* best = Tables().front();
  for (const IsaKernels* t : Tables())
    if (static_cast<int>(t->level) <= static_cast<int>(level)) best = t;
  return *best;
}

const IsaKernels& ActiveKernels() { return KernelsForIsa(ActiveIsa()); }

void DepthwiseConvFloatRows(const reference::DepthwiseParams& p, const Shape& input_shape,
                            const float* input, const Shape& filter_shape, const float* filter,
                            const float* bias, const Shape& output_shape, float* output,
                            int64_t row_begin, int64_t row_end) {
  ActiveKernels().depthwise_f32_rows(p, input_shape, input, filter_shape, filter, bias,
                                     output_shape, output, row_begin, row_end);
}

void DepthwiseConvQuantizedRows(const reference::DepthwiseParams& p,
                                const reference::DepthwiseQuantParams& q, const Shape& input_shape,
                                const int8_t* input, const Shape& filter_shape,
                                const DepthwiseQuantizedFilter& packed, const Shape& output_shape,
                                int8_t* output, int64_t row_begin, int64_t row_end) {
  ActiveKernels().depthwise_i8_rows(p, q, input_shape, input, filter_shape, packed, output_shape,
                                    output, row_begin, row_end);
}

void DepthwiseConvQuantizedRows(const reference::DepthwiseParams& p,
                                const reference::DepthwiseQuantParams& q, const Shape& input_shape,
                                const uint8_t* input, const Shape& filter_shape,
                                const DepthwiseQuantizedFilter& packed, const Shape& output_shape,
                                uint8_t* output, int64_t row_begin, int64_t row_end) {
  ActiveKernels().depthwise_u8_rows(p, q, input_shape, input, filter_shape, packed, output_shape,
                                    output, row_begin, row_end);
}

void ConvQuantizedRows(const ConvGeometry& g, int group_in_c, int out_c,
                       const reference::ConvQuantParams& q, const int8_t* input,
                       const int8_t* filter, const int32_t* bias, int8_t* output, int64_t row_begin,
                       int64_t row_end) {
  ActiveKernels().conv_quantized_rows_i8(g, group_in_c, out_c, q, input, filter, bias, output,
                                         row_begin, row_end);
}

void ConvQuantizedRows(const ConvGeometry& g, int group_in_c, int out_c,
                       const reference::ConvQuantParams& q, const uint8_t* input,
                       const uint8_t* filter, const int32_t* bias, uint8_t* output,
                       int64_t row_begin, int64_t row_end) {
  ActiveKernels().conv_quantized_rows_u8(g, group_in_c, out_c, q, input, filter, bias, output,
                                         row_begin, row_end);
}

}  // namespace litescope::runtime::optimized
