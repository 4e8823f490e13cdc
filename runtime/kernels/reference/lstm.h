#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/fixed_point_int16.h"
#include "runtime/kernels/fixed_point_math.h"
#include "runtime/kernels/reference/activations.h"

// One time step of a (unidirectional) LSTM cell, float and fully integer ("8x8_16"), as
// TensorFlow Lite computes it. Gates are numbered input, forget, cell, output (kLstmGate*).
//
// Float step:
//  1. gate_g = act_g(W_g x + R_g h + P_g .* c + b_g), where act is the sigmoid except for the
//     cell gate (the op's activation, usually tanh). With layer norm the pre-activation is
//     normalized per row (mean 0, variance 1 + 1e-8), scaled by the coefficients, then biased.
//     The output gate's peephole sees the updated cell state.
//  2. c = clip(f .* c + i .* g) with i = 1 - f under CIFG (no input gate).
//  3. h = o .* act(c), then h = clip(W_proj h + b_proj) with a projection; h is both the new
//     output state and the step's output.
//
// Integer step (int8 activations and weights, int16 cell state with a power-of-two scale 2^s,
// gates in Q3.12 before and Q0.15 after their activation):
//  1. gate_g = clamp16(MBQM(W_g x + bias'_g, M_xg) + MBQM(R_g h + bias''_g, M_hg)) where the
//     zero points of x and h are folded into the precomputed biases; plus the peephole term
//     MBQM(P_g * c, M_cg); with layer norm (the bias then applied there, not folded) the row
//     is normalized into Q3.12; then the Q3.12 -> Q0.15 sigmoid or tanh of
//     fixed_point_int16.h.
//  2. c = f * c >> 15 (rounded), plus i * g >> (30 + s) (rounded), saturated, clipped.
//  3. h = clamp8(MBQM(o * tanh(c), M_hidden) + hidden_zp), tanh reading c with 15 + s integer
//     bits; with a projection h feeds an int8 matmul into the output state's quantization.
// MBQM is fixed_point::MultiplyByQuantizedMultiplier.
namespace litescope::runtime::reference {

enum LstmGate : int {
  kLstmGateInput = 0,
  kLstmGateForget = 1,
  kLstmGateCell = 2,
  kLstmGateOutput = 3
};

struct LstmDims {
  int n_batch = 0;  // rows processed by one step
  int n_input = 0;
  int n_cell = 0;
  int n_output = 0;  // n_cell unless there is a projection
};

// ---------------------------------------------------------------------------------------------
// Float

// Constant operands of a float LSTM; absent optional operands are nullptr. The input gate's
// pointers are all null under CIFG; cell_to_gate[kLstmGateCell] is always null.
struct LstmFloatWeights {
  const float* input_to_gate[4] = {};      // [n_cell, n_input]
  const float* recurrent_to_gate[4] = {};  // [n_cell, n_output]
  const float* cell_to_gate[4] = {};       // [n_cell] peephole diagonals
  const float* layer_norm[4] = {};         // [n_cell] layer norm coefficients
  const float* gate_bias[4] = {};          // [n_cell]
  const float* projection = nullptr;       // [n_output, n_cell]
  const float* projection_bias = nullptr;  // [n_output]
};

// The op's fused activation on one value (NONE, RELU, RELU_N1_TO_1, RELU6, TANH; the kernel
// rejects the others). `act` is the schema's ActivationFunctionType code.
inline float LstmActivate(int act, float x) {
  switch (act) {
    case 1:
      return x < 0.f ? 0.f : x;
    case 2:
      return std::min(1.f, std::max(-1.f, x));
    case 3:
      return std::min(6.f, std::max(0.f, x));
    case 4:
      return std::tanh(x);
    default:
      return x;
  }
}

// Normalizes each of `rows` rows of `n` values to mean 0 and variance 1 (+ 1e-8), in place.
inline void LstmMeanStddevNormalize(float* v, int n, int rows) {
  for (int r = 0; r < rows; ++r, v += n) {
    float sum = 0.f;
    for (int i = 0; i < n; ++i) sum += v[i];
    const float mean = sum / static_cast<float>(n);
    float sq = 0.f;
    for (int i = 0; i < n; ++i) sq += (v[i] - mean) * (v[i] - mean);
    const float inv_stddev = 1.f / std::sqrt(sq / static_cast<float>(n) + 1e-8f);
    for (int i = 0; i < n; ++i) v[i] = (v[i] - mean) * inv_stddev;
  }
}

// out[b, r] += sum_k m[r, k] * v[b, k]
inline void LstmMatVecAccumulate(const float* m, const float* v, int rows, int cols, int n_batch,
                                 float* out) {
  for (int b = 0; b < n_batch; ++b)
    for (int r = 0; r < rows; ++r) {
      const float* mr = m + static_cast<size_t>(r) * static_cast<size_t>(cols);
      const float* vb = v + static_cast<size_t>(b) * static_cast<size_t>(cols);
      float acc = 0.f;
      for (int k = 0; k < cols; ++k) acc += mr[k] * vb[k];
      out[static_cast<size_t>(b) * static_cast<size_t>(rows) + static_cast<size_t>(r)] += acc;
    }
}

// Computes gate `g` into `gate` [n_batch, n_cell]. `cell_state` is the one its peephole sees.
inline void LstmGateFloat(const LstmFloatWeights& w, const LstmDims& d, int g, int act,
                          const float* input, const float* output_state, const float* cell_state,
                          float* gate) {
  const size_t n = static_cast<size_t>(d.n_batch) * static_cast<size_t>(d.n_cell);
  const bool layer_norm = w.layer_norm[g] != nullptr;
  for (size_t i = 0; i < n; ++i)
    gate[i] = layer_norm ? 0.f : w.gate_bias[g][i % static_cast<size_t>(d.n_cell)];
  LstmMatVecAccumulate(w.input_to_gate[g], input, d.n_cell, d.n_input, d.n_batch, gate);
  LstmMatVecAccumulate(w.recurrent_to_gate[g], output_state, d.n_cell, d.n_output, d.n_batch, gate);
  if (w.cell_to_gate[g])
    for (size_t i = 0; i < n; ++i)
      gate[i] += w.cell_to_gate[g][i % static_cast<size_t>(d.n_cell)] * cell_state[i];
  if (layer_norm) {
    LstmMeanStddevNormalize(gate, d.n_cell, d.n_batch);
    for (size_t i = 0; i < n; ++i) {
      const size_t c = i % static_cast<size_t>(d.n_cell);
      gate[i] = gate[i] * w.layer_norm[g][c] + w.gate_bias[g][c];
    }
  }
  const LogisticOp sigmoid;
  for (size_t i = 0; i < n; ++i)
    gate[i] = g == kLstmGateCell ? LstmActivate(act, gate[i]) : sigmoid(gate[i]);
}

// One float step over d.n_batch contiguous rows. `scratch` holds 4 * n_batch * n_cell floats;
// `output` rows are `output_stride` apart.
inline void LstmStepFloat(const LstmFloatWeights& w, const LstmDims& d, int act, float cell_clip,
                          float proj_clip, const float* input, float* output_state,
                          float* cell_state, float* output, int output_stride, float* scratch) {
  const size_t n = static_cast<size_t>(d.n_batch) * static_cast<size_t>(d.n_cell);
  float* gates[4] = {scratch, scratch + n, scratch + 2 * n, scratch + 3 * n};
  const bool cifg = w.input_to_gate[kLstmGateInput] == nullptr;
  if (!cifg) LstmGateFloat(w, d, kLstmGateInput, act, input, output_state, cell_state, gates[0]);
  LstmGateFloat(w, d, kLstmGateForget, act, input, output_state, cell_state, gates[1]);
  LstmGateFloat(w, d, kLstmGateCell, act, input, output_state, cell_state, gates[2]);
  for (size_t i = 0; i < n; ++i) {
    const float in_gate = cifg ? 1.f - gates[1][i] : gates[0][i];
    float c = gates[1][i] * cell_state[i] + in_gate * gates[2][i];
    if (cell_clip > 0.f) c = std::min(cell_clip, std::max(-cell_clip, c));
    cell_state[i] = c;
  }
  LstmGateFloat(w, d, kLstmGateOutput, act, input, output_state, cell_state, gates[3]);
  // The hidden value reuses the input gate's buffer.
  float* hidden = gates[0];
  for (size_t i = 0; i < n; ++i) hidden[i] = gates[3][i] * LstmActivate(act, cell_state[i]);
  const size_t n_out = static_cast<size_t>(d.n_output);
  if (w.projection) {
    for (int b = 0; b < d.n_batch; ++b)
      for (size_t r = 0; r < n_out; ++r)
        output_state[static_cast<size_t>(b) * n_out + r] =
            w.projection_bias ? w.projection_bias[r] : 0.f;
    LstmMatVecAccumulate(w.projection, hidden, d.n_output, d.n_cell, d.n_batch, output_state);
    if (proj_clip > 0.f)
      for (size_t i = 0; i < static_cast<size_t>(d.n_batch) * n_out; ++i)
        output_state[i] = std::min(proj_clip, std::max(-proj_clip, output_state[i]));
  } else {
    std::copy(hidden, hidden + n, output_state);
  }
  for (int b = 0; b < d.n_batch; ++b)
    std::copy(output_state + static_cast<size_t>(b) * n_out,
              output_state + static_cast<size_t>(b + 1) * n_out,
              output + static_cast<size_t>(b) * static_cast<size_t>(output_stride));
}

// ---------------------------------------------------------------------------------------------
// Integer (8x8_16)

struct LstmIntegerWeights {
  const int8_t* input_to_gate[4] = {};      // [n_cell, n_input]
  const int8_t* recurrent_to_gate[4] = {};  // [n_cell, n_output]
  const int16_t* cell_to_gate[4] = {};      // [n_cell] peephole diagonals
  const int16_t* layer_norm[4] = {};        // [n_cell] layer norm coefficients
  const int32_t* gate_bias[4] = {};         // [n_cell]; read here only with layer norm
  const int8_t* projection = nullptr;       // [n_output, n_cell]
};

// Everything Prepare derives from the scales, zero points and constant operands.
struct LstmIntegerParams {
  int32_t input_mult[4] = {}, recurrent_mult[4] = {}, cell_mult[4] = {};
  int input_shift[4] = {}, recurrent_shift[4] = {}, cell_shift[4] = {};
  int32_t hidden_mult = 0, proj_mult = 0;
  int hidden_shift = 0, proj_shift = 0;
  int32_t hidden_zp = 0;  // zero point of the hidden value (intermediate 4)
  int32_t output_state_zp = 0;
  int cell_scale_log2 = 0;  // cell state scale = 2^cell_scale_log2
  int16_t cell_clip = 0;    // quantized; 0 = none
  int8_t proj_clip = 0;     // quantized; 0 = none
  // Layer norm: the coefficients' scale as a multiplier, and the variance used when a row's
  // variance rounds below 1.
  int32_t ln_mult[4] = {}, variance_guard[4] = {};
  int ln_shift[4] = {};
  // Gate biases with the zero point terms folded in: bias - zp_x * rowsum(W) for the input
  // matmul, -zp_h * rowsum(R) for the recurrent one, and bias + hidden_zp * rowsum(W_proj)
  // for the projection.
  std::vector<int32_t> input_bias[4], recurrent_bias[4], projection_bias;
};

inline int16_t Saturate16(int64_t v) {
  return static_cast<int16_t>(v > 32767 ? 32767 : (v < -32768 ? -32768 : v));
}

inline int32_t WrapInt32(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(v)); }

// TFLite's integer layer norm of each row of `gate` (n values), in place, into Q3.12:
//  1. mean and variance in fixed point with 10 extra fraction bits (the mean times 1024, the
//     variance from sum of squares times 2^20 / n, which is exact only for power-of-two n);
//     a variance below 1 is replaced by `variance_guard`;
//  2. x' = (1024 x - mean) / sqrt(variance) by the Newton inverse square root;
//  3. y = round((x' * w + bias) / 1024), rescaled by the coefficients' scale times 2^12.
inline void LstmLayerNormInteger(int16_t* gate, const int16_t* w, const int32_t* bias, int32_t mult,
                                 int shift, int32_t variance_guard, int n_batch, int n) {
  for (int b = 0; b < n_batch; ++b, gate += n) {
    int64_t sum = 0, sum_sq = 0;
    for (int j = 0; j < n; ++j) {
      sum += gate[j];
      sum_sq += int32_t{gate[j]} * int32_t{gate[j]};
    }
    const int32_t mean = static_cast<int32_t>(sum * 1024 / n);
    const int32_t two_20_over_n = (1 << 20) / n;
    const int64_t variance = sum_sq * two_20_over_n - int64_t{mean} * mean;
    int32_t variance2 = static_cast<int32_t>(variance / (1 << 20));
    if (variance2 < 1) variance2 = variance_guard;
    int32_t inv_mult = 0;
    int inv_shift = 0;
    fixed_point::GetInvSqrtQuantizedMultiplierExp(variance2, -1, &inv_mult, &inv_shift);
    for (int j = 0; j < n; ++j) {
      const int32_t shifted = WrapInt32(int64_t{1024} * gate[j] - mean);
      const int32_t rescaled =
          fixed_point::MultiplyByQuantizedMultiplier(shifted, inv_mult, inv_shift);
      // TFLite forms this sum in int32 before widening it.
      const int64_t v3 = WrapInt32(int64_t{rescaled} * w[j] + bias[j]);
      const int32_t v4 = static_cast<int32_t>((v3 > 0 ? v3 + 512 : v3 - 512) / 1024);
      gate[j] = Saturate16(fixed_point::MultiplyByQuantizedMultiplier(v4, mult, shift + 12));
    }
  }
}

// out[b, r] = clamp(MBQM(bias[r] + sum_k m[r, k] * v[b, k], M) + zp + out[b, r]) for an int16
// or int8 `out`. The int32 accumulator wraps like TFLite's.
template <typename T>
inline void LstmMatVecAccumulateInt(const int8_t* v, const int32_t* bias, const int8_t* m,
                                    int32_t mult, int shift, int n_batch, int cols, int rows,
                                    int32_t zp, T* out) {
  constexpr int64_t lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  for (int b = 0; b < n_batch; ++b)
    for (int r = 0; r < rows; ++r) {
      const int8_t* mr = m + static_cast<size_t>(r) * static_cast<size_t>(cols);
      const int8_t* vb = v + static_cast<size_t>(b) * static_cast<size_t>(cols);
      int64_t acc = bias[r];
      for (int k = 0; k < cols; ++k) acc += int32_t{mr[k]} * int32_t{vb[k]};
      const int32_t acc32 = static_cast<int32_t>(static_cast<uint32_t>(acc));
      T& o = out[static_cast<size_t>(b) * static_cast<size_t>(rows) + static_cast<size_t>(r)];
      const int64_t x =
          int64_t{fixed_point::MultiplyByQuantizedMultiplier(acc32, mult, shift)} + zp + o;
      o = static_cast<T>(std::min(hi, std::max(lo, x)));
    }
}

// Computes gate `g` (Q0.15) into `gate` [n_batch, n_cell].
inline void LstmGateInteger(const LstmIntegerWeights& w, const LstmIntegerParams& p,
                            const LstmDims& d, int g, const int8_t* input,
                            const int8_t* output_state, const int16_t* cell_state, int16_t* gate) {
  const size_t n = static_cast<size_t>(d.n_batch) * static_cast<size_t>(d.n_cell);
  std::fill(gate, gate + n, int16_t{0});
  LstmMatVecAccumulateInt(input, p.input_bias[g].data(), w.input_to_gate[g], p.input_mult[g],
                          p.input_shift[g], d.n_batch, d.n_input, d.n_cell, 0, gate);
  LstmMatVecAccumulateInt(output_state, p.recurrent_bias[g].data(), w.recurrent_to_gate[g],
                          p.recurrent_mult[g], p.recurrent_shift[g], d.n_batch, d.n_output,
                          d.n_cell, 0, gate);
  if (w.cell_to_gate[g]) {
    // TFLite walks the peephole diagonal with n_output entries per row (equal to n_cell
    // without a projection); we do the same, but never past n_cell, where TFLite would read
    // out of bounds.
    const size_t len = static_cast<size_t>(std::min(d.n_output, d.n_cell));
    for (size_t b = 0; b < static_cast<size_t>(d.n_batch); ++b)
      for (size_t v = 0; v < len; ++v) {
        const size_t i = b * len + v;
        const int32_t prod = int32_t{w.cell_to_gate[g][v]} * int32_t{cell_state[i]};
        gate[i] = Saturate16(int64_t{fixed_point::MultiplyByQuantizedMultiplier(
                                 prod, p.cell_mult[g], p.cell_shift[g])} +
                             gate[i]);
      }
  }
  if (w.layer_norm[g])
    LstmLayerNormInteger(gate, w.layer_norm[g], w.gate_bias[g], p.ln_mult[g], p.ln_shift[g],
                         p.variance_guard[g], d.n_batch, d.n_cell);
  for (size_t i = 0; i < n; ++i)
    gate[i] = g == kLstmGateCell ? fixed_point::q16::Tanh(gate[i], 3)
                                 : fixed_point::q16::Logistic(gate[i], 3);
}

// One integer step over d.n_batch contiguous rows. `scratch16` holds 4 * n_batch * n_cell
// values and `scratch8` n_batch * n_cell. The output is contiguous (n_output per row).
inline void LstmStepInteger(const LstmIntegerWeights& w, const LstmIntegerParams& p,
                            const LstmDims& d, const int8_t* input, int8_t* output_state,
                            int16_t* cell_state, int8_t* output, int16_t* scratch16,
                            int8_t* scratch8) {
  const size_t n = static_cast<size_t>(d.n_batch) * static_cast<size_t>(d.n_cell);
  int16_t* gates[4] = {scratch16, scratch16 + n, scratch16 + 2 * n, scratch16 + 3 * n};
  const bool cifg = w.input_to_gate[kLstmGateInput] == nullptr;
  if (!cifg) LstmGateInteger(w, p, d, kLstmGateInput, input, output_state, cell_state, gates[0]);
  LstmGateInteger(w, p, d, kLstmGateForget, input, output_state, cell_state, gates[1]);
  LstmGateInteger(w, p, d, kLstmGateCell, input, output_state, cell_state, gates[2]);

  // Cell update. Products are rounded shifts of int32 values, truncated back to int16.
  const int in_shift = 30 + p.cell_scale_log2;
  for (size_t i = 0; i < n; ++i) {
    const int16_t kept = static_cast<int16_t>(
        fixed_point::RoundingDivideByPOT(int32_t{gates[1][i]} * cell_state[i], 15));
    const int16_t in_gate = cifg ? static_cast<int16_t>(32767 - gates[1][i]) : gates[0][i];
    const int16_t added = static_cast<int16_t>(
        fixed_point::RoundingDivideByPOT(int32_t{in_gate} * gates[2][i], in_shift));
    int16_t c = Saturate16(int32_t{kept} + added);
    if (p.cell_clip > 0) c = std::min<int16_t>(p.cell_clip, std::max<int16_t>(-p.cell_clip, c));
    cell_state[i] = c;
  }

  LstmGateInteger(w, p, d, kLstmGateOutput, input, output_state, cell_state, gates[3]);

  // Hidden value o * tanh(c), requantized to int8.
  const int tanh_bits = 15 + p.cell_scale_log2;
  const bool projection = w.projection != nullptr;
  int8_t* hidden = projection ? scratch8 : output_state;
  // With a projection TFLite offsets the hidden value by -hidden_zp (and folds +hidden_zp into
  // the projection bias).
  const int32_t hidden_zp = projection ? -p.hidden_zp : p.hidden_zp;
  for (size_t i = 0; i < n; ++i) {
    const int16_t t = fixed_point::q16::Tanh(cell_state[i], tanh_bits);
    const int32_t prod = int32_t{gates[3][i]} * int32_t{t};
    const int64_t v =
        int64_t{fixed_point::MultiplyByQuantizedMultiplier(prod, p.hidden_mult, p.hidden_shift)} +
        hidden_zp;
    hidden[i] = static_cast<int8_t>(std::min<int64_t>(127, std::max<int64_t>(-128, v)));
  }
  const size_t n_out = static_cast<size_t>(d.n_batch) * static_cast<size_t>(d.n_output);
  if (projection) {
    std::fill(output_state, output_state + n_out, int8_t{0});
    LstmMatVecAccumulateInt(hidden, p.projection_bias.data(), w.projection, p.proj_mult,
                            p.proj_shift, d.n_batch, d.n_cell, d.n_output, p.output_state_zp,
                            output_state);
    if (p.proj_clip > 0)
      for (size_t i = 0; i < n_out; ++i)
        output_state[i] = std::min<int8_t>(
            p.proj_clip, std::max<int8_t>(static_cast<int8_t>(-p.proj_clip), output_state[i]));
  }
  std::copy(output_state, output_state + n_out, output);
}

}  // namespace litescope::runtime::reference
