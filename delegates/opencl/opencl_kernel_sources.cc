#include "delegates/opencl/opencl_kernel_sources.h"

namespace litescope::delegates {

const char* OpenclCommonSource() {
  return R"CL(
#ifndef ACT_KIND
#define ACT_KIND 0
#endif
inline float act(float x) {
#if ACT_KIND == 1
  return x < 0.0f ? 0.0f : x;
#elif ACT_KIND == 2
  return x < -1.0f ? -1.0f : (x > 1.0f ? 1.0f : x);
#elif ACT_KIND == 3
  return x < 0.0f ? 0.0f : (x > 6.0f ? 6.0f : x);
#elif ACT_KIND == 4
  return tanh(x);
#else
  return x;
#endif
}
)CL";
}

// Defines: IH IW CI OH OW CO KH KW SH SW DH DW PT PL (top/left padding); DEPTHWISE with
// MULT (depth multiplier). Global size (CO, OW, N * OH).
const char* OpenclConvSource() {
  return R"CL(
__kernel void conv2d(__global const float* in, __global const float* w,
                     __global const float* bias, __global float* out) {
  const int co = get_global_id(0);
  const int ox = get_global_id(1);
  const int nyo = get_global_id(2);
  const int n = nyo / OH;
  const int oy = nyo - n * OH;
  float acc = bias[co];
  const int iy0 = oy * SH - PT;
  const int ix0 = ox * SW - PL;
  for (int ky = 0; ky < KH; ++ky) {
    const int iy = iy0 + ky * DH;
    if (iy < 0 || iy >= IH) continue;
    for (int kx = 0; kx < KW; ++kx) {
      const int ix = ix0 + kx * DW;
      if (ix < 0 || ix >= IW) continue;
#ifdef DEPTHWISE
      acc += in[((n * IH + iy) * IW + ix) * CI + co / MULT] * w[(ky * KW + kx) * CO + co];
#else
      __global const float* ip = in + ((n * IH + iy) * IW + ix) * CI;
      __global const float* wp = w + ((co * KH + ky) * KW + kx) * CI;
      for (int ci = 0; ci < CI; ++ci) acc += ip[ci] * wp[ci];
#endif
    }
  }
  out[((n * OH + oy) * OW + ox) * CO + co] = act(acc);
}
)CL";
}

// Defines: K (input depth), U (units). Global size (U, batch).
const char* OpenclFullyConnectedSource() {
  return R"CL(
__kernel void fully_connected(__global const float* in, __global const float* w,
                              __global const float* bias, __global float* out) {
  const int u = get_global_id(0);
  const int b = get_global_id(1);
  __global const float* ip = in + b * K;
  __global const float* wp = w + u * K;
  float acc = bias[u];
  for (int k = 0; k < K; ++k) acc += ip[k] * wp[k];
  out[b * U + u] = act(acc);
}
)CL";
}

// binary: O0..O3 (output dims, rank padded to 4), SA0..SA3 and SB0..SB3 (element strides of
// the operands, 0 along broadcast dimensions), BIN_OP (0 ADD, 1 SUB, 2 MUL). unary: UN_OP
// (0 LOGISTIC, 1 RELU, 2 RELU6, 3 HARD_SWISH, 4 TANH, 5 RELU_N1_TO_1). Global size: elements.
const char* OpenclElementwiseSource() {
  return R"CL(
#ifdef BIN_OP
__kernel void binary(__global const float* a, __global const float* b, __global float* out) {
  const int i = get_global_id(0);
  int r = i;
  const int i3 = r % O3; r /= O3;
  const int i2 = r % O2; r /= O2;
  const int i1 = r % O1;
  const int i0 = r / O1;
  const float x = a[i0 * SA0 + i1 * SA1 + i2 * SA2 + i3 * SA3];
  const float y = b[i0 * SB0 + i1 * SB1 + i2 * SB2 + i3 * SB3];
#if BIN_OP == 0
  out[i] = act(x + y);
#elif BIN_OP == 1
  out[i] = act(x - y);
#else
  out[i] = act(x * y);
#endif
}
#endif
#ifdef UN_OP
__kernel void unary(__global const float* in, __global float* out) {
  const int i = get_global_id(0);
  const float x = in[i];
#if UN_OP == 0
  out[i] = 1.0f / (1.0f + exp(-x));
#elif UN_OP == 1
  out[i] = x < 0.0f ? 0.0f : x;
#elif UN_OP == 2
  out[i] = x < 0.0f ? 0.0f : (x > 6.0f ? 6.0f : x);
#elif UN_OP == 3
  const float r = x + 3.0f;
  out[i] = x * (r < 0.0f ? 0.0f : (r > 6.0f ? 6.0f : r)) / 6.0f;
#elif UN_OP == 4
  out[i] = tanh(x);
#else
  out[i] = x < -1.0f ? -1.0f : (x > 1.0f ? 1.0f : x);
#endif
}
#endif
)CL";
}

// Defines: IH IW C OH OW FH FW SH SW PT PL, AVERAGE (else max). Global size (C, OW, N * OH).
// The average divides by the number of in-bounds elements, as TFLite does.
const char* OpenclPoolSource() {
  return R"CL(
__kernel void pool2d(__global const float* in, __global float* out) {
  const int c = get_global_id(0);
  const int ox = get_global_id(1);
  const int nyo = get_global_id(2);
  const int n = nyo / OH;
  const int oy = nyo - n * OH;
#ifdef AVERAGE
  float acc = 0.0f;
#else
  float acc = -INFINITY;
#endif
  int count = 0;
  for (int ky = 0; ky < FH; ++ky) {
    const int iy = oy * SH - PT + ky;
    if (iy < 0 || iy >= IH) continue;
    for (int kx = 0; kx < FW; ++kx) {
      const int ix = ox * SW - PL + kx;
      if (ix < 0 || ix >= IW) continue;
      const float v = in[((n * IH + iy) * IW + ix) * C + c];
#ifdef AVERAGE
      acc += v;
#else
      acc = v > acc ? v : acc;
#endif
      ++count;
    }
  }
#ifdef AVERAGE
  acc = count > 0 ? acc / (float)count : 0.0f;
#endif
  out[((n * OH + oy) * OW + ox) * C + c] = act(acc);
}
)CL";
}

// Defines: D (last dimension), BETA. Global size: rows.
const char* OpenclSoftmaxSource() {
  return R"CL(
__kernel void softmax(__global const float* in, __global float* out) {
  const int row = get_global_id(0);
  __global const float* ip = in + row * D;
  __global float* op = out + row * D;
  float m = ip[0];
  for (int i = 1; i < D; ++i) m = ip[i] > m ? ip[i] : m;
  float sum = 0.0f;
  for (int i = 0; i < D; ++i) {
    const float e = exp((ip[i] - m) * BETA);
    op[i] = e;
    sum += e;
  }
  const float inv = 1.0f / sum;
  for (int i = 0; i < D; ++i) op[i] *= inv;
}
)CL";
}

// One launch per input: copies `outer` rows of `src_chunk` elements to rows of `dst_chunk`
// elements at `offset`. Global size (src_chunk, outer).
const char* OpenclConcatSource() {
  return R"CL(
__kernel void concat_copy(__global const float* src, __global float* dst, int src_chunk,
                          int dst_chunk, int offset) {
  const int i = get_global_id(0);
  const int o = get_global_id(1);
  dst[o * dst_chunk + offset + i] = act(src[o * src_chunk + i]);
}
)CL";
}

// Defines: D0..D3 (input dims, rank padded to 4), R0..R3 (1 where reduced). The output is the
// input with reduced dimensions of size 1 (keep_dims or not: the same element order). Global
// size: output elements.
const char* OpenclMeanSource() {
  return R"CL(
#define E0 (R0 ? 1 : D0)
#define E1 (R1 ? 1 : D1)
#define E2 (R2 ? 1 : D2)
#define E3 (R3 ? 1 : D3)
__kernel void mean(__global const float* in, __global float* out) {
  const int i = get_global_id(0);
  int r = i;
  const int e3 = r % E3; r /= E3;
  const int e2 = r % E2; r /= E2;
  const int e1 = r % E1;
  const int e0 = r / E1;
  float sum = 0.0f;
  for (int j0 = 0; j0 < (R0 ? D0 : 1); ++j0)
    for (int j1 = 0; j1 < (R1 ? D1 : 1); ++j1)
      for (int j2 = 0; j2 < (R2 ? D2 : 1); ++j2)
        for (int j3 = 0; j3 < (R3 ? D3 : 1); ++j3) {
          const int c0 = R0 ? j0 : e0, c1 = R1 ? j1 : e1, c2 = R2 ? j2 : e2, c3 = R3 ? j3 : e3;
          sum += in[((c0 * D1 + c1) * D2 + c2) * D3 + c3];
        }
  const int count = (R0 ? D0 : 1) * (R1 ? D1 : 1) * (R2 ? D2 : 1) * (R3 ? D3 : 1);
  out[i] = sum / (float)count;
}
)CL";
}

// Defines: D0..D3 (input dims), P0..P3 (leading pads), O0..O3 (output dims); rank padded to 4.
// Pads with zeros. Global size: output elements.
const char* OpenclPadSource() {
  return R"CL(
__kernel void pad(__global const float* in, __global float* out) {
  const int i = get_global_id(0);
  int r = i;
  const int o3 = r % O3; r /= O3;
  const int o2 = r % O2; r /= O2;
  const int o1 = r % O1;
  const int o0 = r / O1;
  const int c0 = o0 - P0, c1 = o1 - P1, c2 = o2 - P2, c3 = o3 - P3;
  const bool inside = c0 >= 0 && c0 < D0 && c1 >= 0 && c1 < D1 && c2 >= 0 && c2 < D2 &&
                      c3 >= 0 && c3 < D3;
  out[i] = inside ? in[((c0 * D1 + c1) * D2 + c2) * D3 + c3] : 0.0f;
}
)CL";
}

}  // namespace litescope::delegates
