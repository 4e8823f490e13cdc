#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/internal/quant_checks.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/lstm.h"
#include "runtime/schema/tflite_schema_generated.h"

// UNIDIRECTIONAL_SEQUENCE_LSTM: an LSTM layer run over a sequence, [T, B, I] (time major) or
// [B, T, I], with the output and cell states kept in variable tensors across invocations.
// Inputs (TFLite's order): 0 input; 1-4 input-to-{input, forget, cell, output} weights;
// 5-8 recurrent-to-{...} weights; 9-11 peephole (cell-to-{input, forget, output}) weights;
// 12-15 gate biases; 16 projection weights; 17 projection bias; 18 output state; 19 cell state;
// 20-23 layer norm coefficients (only in the 24-input form). Optional inputs may be absent.
// Served: float32 (CIFG, peephole, projection, layer norm) and the fully integer "8x8_16" form
// (int8 activations and weights, int16 cell state, 5 intermediate tensors; CIFG, peephole,
// projection, layer norm). Not served: hybrid (float input, int8 weights), diagonal recurrent
// weights.
namespace litescope::runtime {
namespace {

constexpr int kInput = 0;
constexpr int kInputToGate = 1;      // + gate
constexpr int kRecurrentToGate = 5;  // + gate
constexpr int kCellToInput = 9, kCellToForget = 10, kCellToOutput = 11;
constexpr int kGateBias = 12;  // + gate
constexpr int kProjectionWeights = 16, kProjectionBias = 17;
constexpr int kOutputState = 18, kCellState = 19;
constexpr int kLayerNorm = 20;  // + gate

constexpr const char* kGateName[4] = {"input", "forget", "cell", "output"};

struct LstmOpData : OpData {
  bool integer = false;
  bool time_major = false;
  int max_time = 0, n_batch = 0;
  reference::LstmDims dims;  // n_batch here is the rows of one step
  int act = 0;
  float cell_clip = 0.f, proj_clip = 0.f;
  reference::LstmIntegerParams q;
  std::vector<float> scratch_f;
  std::vector<int16_t> scratch16;
  std::vector<int8_t> scratch8;
};

std::string Role(const char* what, int gate) {
  return fmt::format("{}-to-{} weights", what, kGateName[gate]);
}

Status ShapeError(const Node& node, const std::string& role, int slot, const Tensor& t,
                  const std::string& expected) {
  return InvalidModelError(
      fmt::format("{}: {} (input {}, tensor {} '{}') has shape {}; expected {}", NodeLabel(node),
                  role, slot, node.inputs[slot], t.name, t.shape.ToString(), expected));
}

// Checks an optional 1-D or 2-D operand against its expected shape and type.
Status CheckOperand(const Node& node, const std::string& role, int slot, const Tensor* t,
                    std::vector<int> dims, DataType type) {
  if (!t) return Status::Ok();
  bool ok = t->shape.rank() == static_cast<int>(dims.size());
  for (size_t i = 0; ok && i < dims.size(); ++i) ok = t->shape.dim(static_cast<int>(i)) == dims[i];
  if (!ok) {
    std::string want = "[";
    for (size_t i = 0; i < dims.size(); ++i) want += fmt::format("{}{}", i ? ", " : "", dims[i]);
    return ShapeError(node, role, slot, *t, want + "]");
  }
  if (t->type != type)
    return InvalidModelError(fmt::format("{}: {} (input {}, tensor {} '{}') is {}; expected {}",
                                         NodeLabel(node), role, slot, node.inputs[slot], t->name,
                                         DataTypeName(t->type), DataTypeName(type)));
  return Status::Ok();
}

// log2 of a power-of-two scale (TFLite accepts a fractional part below 1e-3).
bool PowerOfTwoExponent(float scale, int* exponent) {
  const float l = std::log(scale) * (1.0f / std::log(2.0f));
  const float r = std::round(l);
  *exponent = static_cast<int>(r);
  return std::isfinite(l) && std::abs(l - r) < 1e-3f;
}

// Integer parameters: effective scales (computed in float as TFLite does, then split into Q31
// multipliers) and biases with the zero point terms folded in.
Status PrepareInteger(KernelContext& ctx, Node& node, LstmOpData& d, Tensor* const t[24]) {
  const reference::LstmDims& dims = d.dims;
  const Tensor& in = *t[kInput];
  const Tensor& out_state = *t[kOutputState];
  const Tensor& cell_state = *t[kCellState];
  const Tensor& out = *ctx.output(node, 0);
  const bool cifg = t[kInputToGate] == nullptr;

  const bool layer_norm = t[kLayerNorm + reference::kLstmGateForget] != nullptr;
  if (node.intermediates.size() != 5)
    return InvalidModelError(fmt::format(
        "{}: integer LSTM needs 5 intermediate tensors (gate and hidden scales); found {}",
        NodeLabel(node), node.intermediates.size()));
  for (int idx : node.intermediates)
    if (idx < 0 || idx >= ctx.tensor_count())
      return InvalidModelError(
          fmt::format("{}: intermediate tensor {} does not exist", NodeLabel(node), idx));
  const Tensor& hidden = ctx.tensor(node.intermediates[4]);
  if (hidden.quant.scale.empty() || hidden.quant.zero_point.empty() ||
      !(hidden.quant.scale[0] > 0.f) || !std::isfinite(hidden.quant.scale[0]))
    return InvalidModelError(fmt::format(
        "{}: intermediate 4 (tensor {} '{}', the hidden value) lacks a scale and zero point",
        NodeLabel(node), node.intermediates[4], hidden.name));

  if (in.type != DataType::kInt8)
    return TypeError(node, "input", kInput, node.inputs[kInput], in, "INT8");
  LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "input", node.inputs[kInput], in));
  LS_RETURN_IF_ERROR(
      quant_checks::CheckPerTensor(node, "output state", node.inputs[kOutputState], out_state));
  LS_RETURN_IF_ERROR(
      quant_checks::CheckPerTensor(node, "cell state", node.inputs[kCellState], cell_state));
  if (out.type != DataType::kInt8)
    return TypeError(node, "output", 0, node.outputs[0], out, "INT8");
  LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "output", node.outputs[0], out));

  // Weights: int8, one scale, zero point 0 (TFLite ignores any other), constant.
  auto weight_scale = [&](int slot, const std::string& role, float* scale) -> Status {
    const Tensor& w = *t[slot];
    LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, role.c_str(), node.inputs[slot], w));
    if (w.quant.zero_point[0] != 0)
      return UnsupportedOpError(fmt::format(
          "{}: unsupported: {} (tensor {}) has zero point {}; integer LSTM weights are symmetric",
          NodeLabel(node), role, node.inputs[slot], w.quant.zero_point[0]));
    if (!w.is_constant())
      return UnsupportedOpError(fmt::format("{}: unsupported: {} (tensor {}) is not constant",
                                            NodeLabel(node), role, node.inputs[slot]));
    *scale = w.quant.scale[0];
    return Status::Ok();
  };

  int cell_log2 = 0;
  if (!PowerOfTwoExponent(cell_state.quant.scale[0], &cell_log2))
    return UnsupportedOpError(
        fmt::format("{}: unsupported: cell state (tensor {}) scale {} is not a power of two",
                    NodeLabel(node), node.inputs[kCellState], cell_state.quant.scale[0]));
  const int tanh_bits = 15 + cell_log2;
  if (tanh_bits < 0 || tanh_bits > 6)
    return UnsupportedOpError(
        fmt::format("{}: unsupported: cell state scale 2^{} (integer LSTM serves 2^-15 .. 2^-9)",
                    NodeLabel(node), cell_log2));

  reference::LstmIntegerParams& q = d.q;
  q.cell_scale_log2 = cell_log2;
  q.cell_clip = d.cell_clip > 0.f
                    ? static_cast<int16_t>(std::min(
                          std::max(d.cell_clip / cell_state.quant.scale[0], -32768.0f), 32767.0f))
                    : int16_t{0};
  q.proj_clip = d.proj_clip > 0.f
                    ? static_cast<int8_t>(
                          std::min(std::max(d.proj_clip / out.quant.scale[0], -128.0f), 127.0f))
                    : int8_t{0};

  // Each gate's pre-activation scale: Q3.12 without layer norm; with it, the matmul sums are on
  // the scale of intermediate g (layer norm then produces Q3.12).
  float gate_scales[4];
  for (int g = 0; g < 4; ++g) {
    gate_scales[g] = static_cast<float>(std::pow(2.0, -12));
    if (!layer_norm || (g == reference::kLstmGateInput && cifg)) continue;
    const Tensor& im = ctx.tensor(node.intermediates[static_cast<size_t>(g)]);
    if (im.quant.scale.empty() || !(im.quant.scale[0] > 0.f) || !std::isfinite(im.quant.scale[0]))
      return InvalidModelError(fmt::format(
          "{}: intermediate {} (tensor {} '{}', the {} gate's pre-activation) lacks a scale; layer "
          "norm needs it",
          NodeLabel(node), g, node.intermediates[static_cast<size_t>(g)], im.name, kGateName[g]));
    gate_scales[g] = im.quant.scale[0];
  }
  const float in_scale = in.quant.scale[0];
  const float state_scale = out_state.quant.scale[0];
  const float hidden_scale = hidden.quant.scale[0];
  q.hidden_zp = static_cast<int32_t>(hidden.quant.zero_point[0]);
  q.output_state_zp = static_cast<int32_t>(out_state.quant.zero_point[0]);
  const int32_t in_zp = static_cast<int32_t>(in.quant.zero_point[0]);

  // bias + zp * rowsum(w) per row, with TFLite's int32 wrap-around.
  auto fold = [](const int8_t* w, const int32_t* bias, int rows, int cols, int32_t zp) {
    std::vector<int32_t> r(static_cast<size_t>(rows));
    for (int i = 0; i < rows; ++i) {
      int64_t sum = 0;
      for (int k = 0; k < cols; ++k)
        sum += w[static_cast<size_t>(i) * static_cast<size_t>(cols) + static_cast<size_t>(k)];
      const int64_t v = (bias ? int64_t{bias[i]} : 0) + sum * zp;
      r[static_cast<size_t>(i)] = static_cast<int32_t>(static_cast<uint32_t>(v));
    }
    return r;
  };

  for (int g = 0; g < 4; ++g) {
    if (g == reference::kLstmGateInput && cifg) continue;
    float w_in = 1.f, w_rec = 1.f;
    LS_RETURN_IF_ERROR(weight_scale(kInputToGate + g, Role("input", g), &w_in));
    LS_RETURN_IF_ERROR(weight_scale(kRecurrentToGate + g, Role("recurrent", g), &w_rec));
    const float eff_in = w_in * in_scale / gate_scales[g];
    const float eff_rec = w_rec * state_scale / gate_scales[g];
    fixed_point::QuantizeMultiplier(eff_in, &q.input_mult[g], &q.input_shift[g]);
    fixed_point::QuantizeMultiplier(eff_rec, &q.recurrent_mult[g], &q.recurrent_shift[g]);
    const Tensor* bias = t[kGateBias + g];
    if (bias && !bias->is_constant())
      return UnsupportedOpError(
          fmt::format("{}: unsupported: {} gate bias (tensor {}) is not constant", NodeLabel(node),
                      kGateName[g], node.inputs[kGateBias + g]));
    // With layer norm the bias is added after normalization, not folded here.
    const int32_t* folded_bias = bias && !layer_norm ? bias->data_as<int32_t>() : nullptr;
    q.input_bias[g] = fold(t[kInputToGate + g]->data_as<int8_t>(), folded_bias, dims.n_cell,
                           dims.n_input, -in_zp);
    if (layer_norm) {
      const int slot = kLayerNorm + g;
      const Tensor& ln = *t[slot];
      LS_RETURN_IF_ERROR(
          quant_checks::CheckPerTensor(node, "layer norm coefficients", node.inputs[slot], ln));
      const float ln_scale = ln.quant.scale[0];
      fixed_point::QuantizeMultiplier(ln_scale, &q.ln_mult[g], &q.ln_shift[g]);
      q.variance_guard[g] = std::max(1, static_cast<int32_t>(10000 * ln_scale));
    }
    q.recurrent_bias[g] = fold(t[kRecurrentToGate + g]->data_as<int8_t>(), nullptr, dims.n_cell,
                               dims.n_output, -q.output_state_zp);
  }

  // Peephole: the diagonal weights are int16.
  const int peephole_slot[4] = {kCellToInput, kCellToForget, -1, kCellToOutput};
  for (int g = 0; g < 4; ++g) {
    if (peephole_slot[g] < 0 || !t[peephole_slot[g]]) continue;
    const Tensor& p = *t[peephole_slot[g]];
    LS_RETURN_IF_ERROR(
        quant_checks::CheckPerTensor(node, "peephole weights", node.inputs[peephole_slot[g]], p));
    if (!p.is_constant())
      return UnsupportedOpError(
          fmt::format("{}: unsupported: peephole weights (tensor {}) are not constant",
                      NodeLabel(node), node.inputs[peephole_slot[g]]));
    const float eff =
        static_cast<float>(std::pow(2.0, cell_log2) * p.quant.scale[0] / gate_scales[g]);
    fixed_point::QuantizeMultiplier(eff, &q.cell_mult[g], &q.cell_shift[g]);
  }

  const float eff_hidden =
      static_cast<float>(std::pow(2.0, -15) / hidden_scale * std::pow(2.0, -15));
  fixed_point::QuantizeMultiplier(eff_hidden, &q.hidden_mult, &q.hidden_shift);

  if (const Tensor* proj = t[kProjectionWeights]) {
    float w_proj = 1.f;
    LS_RETURN_IF_ERROR(weight_scale(kProjectionWeights, "projection weights", &w_proj));
    const float eff_proj = w_proj * hidden_scale / state_scale;
    fixed_point::QuantizeMultiplier(eff_proj, &q.proj_mult, &q.proj_shift);
    const Tensor* pb = t[kProjectionBias];
    if (pb && !pb->is_constant())
      return UnsupportedOpError(
          fmt::format("{}: unsupported: projection bias (tensor {}) is not constant",
                      NodeLabel(node), node.inputs[kProjectionBias]));
    q.projection_bias = fold(proj->data_as<int8_t>(), pb ? pb->data_as<int32_t>() : nullptr,
                             dims.n_output, dims.n_cell, q.hidden_zp);
  }

  const size_t n = static_cast<size_t>(dims.n_batch) * static_cast<size_t>(dims.n_cell);
  d.scratch16.assign(4 * n, 0);
  d.scratch8.assign(n, 0);
  return Status::Ok();
}

Status LstmPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 20, 24, 1));
  if (node.inputs.size() != 20 && node.inputs.size() != 24)
    return InvalidModelError(
        fmt::format("{}: expected 20 or 24 inputs; found {}", NodeLabel(node), node.inputs.size()));
  Tensor* t[24] = {};
  for (size_t i = 0; i < node.inputs.size(); ++i) t[i] = ctx.input(node, static_cast<int>(i));
  for (int slot : {kInput, kInputToGate + 1, kInputToGate + 2, kInputToGate + 3,
                   kRecurrentToGate + 1, kRecurrentToGate + 2, kRecurrentToGate + 3, kGateBias + 1,
                   kGateBias + 2, kGateBias + 3, kOutputState, kCellState}) {
    Result<Tensor*> r = RequireInput(ctx, node, slot);
    if (!r.ok()) return r.status();
  }
  Result<Tensor*> out_r = RequireOutput(ctx, node, 0);
  if (!out_r.ok()) return out_r.status();
  Tensor& out = **out_r;

  Result<const SequenceLstmParams*> params = NodeParams<SequenceLstmParams>(node);
  if (!params.ok()) return params.status();
  const SequenceLstmParams& opts = **params;
  auto d = std::make_unique<LstmOpData>();
  d->act = static_cast<int>(opts.activation);
  d->cell_clip = opts.cell_clip;
  d->proj_clip = opts.proj_clip;
  d->time_major = opts.time_major;
  if (opts.diagonal_recurrent_tensors)
    return UnsupportedOpError(
        fmt::format("{}: unsupported: diagonal recurrent weights", NodeLabel(node)));
  if (!(d->cell_clip >= 0.f) || !(d->proj_clip >= 0.f) || !std::isfinite(d->cell_clip) ||
      !std::isfinite(d->proj_clip))
    return InvalidModelError(
        fmt::format("{}: cell_clip {} and proj_clip {} must be finite and >= 0", NodeLabel(node),
                    d->cell_clip, d->proj_clip));

  const Tensor& in = *t[kInput];
  if (in.shape.rank() != 3)
    return ShapeError(node, "input", kInput, in, d->time_major ? "[T, B, I]" : "[B, T, I]");
  d->max_time = in.shape.dim(d->time_major ? 0 : 1);
  d->n_batch = in.shape.dim(d->time_major ? 1 : 0);
  const int n_input = in.shape.dim(2);
  const Tensor& to_output = *t[kInputToGate + 3];
  const Tensor& rec_output = *t[kRecurrentToGate + 3];
  if (to_output.shape.rank() != 2 || to_output.shape.dim(1) != n_input)
    return ShapeError(node, Role("input", 3), kInputToGate + 3, to_output,
                      fmt::format("[n_cell, {}]", n_input));
  const int n_cell = to_output.shape.dim(0);
  if (rec_output.shape.rank() != 2 || rec_output.shape.dim(0) != n_cell)
    return ShapeError(node, Role("recurrent", 3), kRecurrentToGate + 3, rec_output,
                      fmt::format("[{}, n_output]", n_cell));
  const int n_output = rec_output.shape.dim(1);
  if (n_cell <= 0 || n_output <= 0 || n_input <= 0)
    return InvalidModelError(fmt::format("{}: n_input {}, n_cell {} and n_output {} must be > 0",
                                         NodeLabel(node), n_input, n_cell, n_output));
  if (int64_t{n_cell} * std::max(n_input, n_output) > (int64_t{1} << 28) ||
      int64_t{d->n_batch} * n_cell > (int64_t{1} << 24))
    return UnsupportedOpError(fmt::format("{}: LSTM larger than supported", NodeLabel(node)));

  const bool integer = in.type == DataType::kInt8;
  const bool is_float = in.type == DataType::kFloat32;
  if (!integer && !is_float)
    return TypeError(node, "input", kInput, node.inputs[kInput], in, "FLOAT32 or INT8");
  if (is_float && to_output.type != DataType::kFloat32)
    return UnsupportedOpError(fmt::format("{}: unsupported: hybrid LSTM (float input, {} weights)",
                                          NodeLabel(node), DataTypeName(to_output.type)));
  d->integer = integer;
  const DataType wtype = integer ? DataType::kInt8 : DataType::kFloat32;
  const DataType btype = integer ? DataType::kInt32 : DataType::kFloat32;
  const DataType ptype = integer ? DataType::kInt16 : DataType::kFloat32;

  // Every operand's shape and type.
  const bool cifg = t[kInputToGate] == nullptr;
  if ((t[kInputToGate] == nullptr) != (t[kRecurrentToGate] == nullptr))
    return InvalidModelError(
        fmt::format("{}: input-to-input and recurrent-to-input weights must be both present or "
                    "both absent (CIFG)",
                    NodeLabel(node)));
  for (int g = 0; g < 4; ++g) {
    if (g != reference::kLstmGateInput || !cifg) {
      LS_RETURN_IF_ERROR(CheckOperand(node, Role("input", g), kInputToGate + g, t[kInputToGate + g],
                                      {n_cell, n_input}, wtype));
      LS_RETURN_IF_ERROR(CheckOperand(node, Role("recurrent", g), kRecurrentToGate + g,
                                      t[kRecurrentToGate + g], {n_cell, n_output}, wtype));
    }
    const std::string bias_role = fmt::format("{} gate bias", kGateName[g]);
    if (g == reference::kLstmGateInput && cifg != (t[kGateBias] == nullptr))
      return InvalidModelError(fmt::format(
          "{}: the input gate bias must be present exactly when the input gate is (not CIFG)",
          NodeLabel(node)));
    LS_RETURN_IF_ERROR(
        CheckOperand(node, bias_role, kGateBias + g, t[kGateBias + g], {n_cell}, btype));
  }
  const int peephole_slots[3] = {kCellToInput, kCellToForget, kCellToOutput};
  int peepholes = 0;
  for (int slot : peephole_slots) {
    LS_RETURN_IF_ERROR(CheckOperand(node, "peephole weights", slot, t[slot], {n_cell}, ptype));
    peepholes += t[slot] != nullptr;
  }
  const bool peephole_ok =
      peepholes == 0 || (t[kCellToForget] && t[kCellToOutput] && (cifg || t[kCellToInput]));
  if (!peephole_ok || (cifg && t[kCellToInput]))
    return InvalidModelError(
        fmt::format("{}: peephole weights must be all present or all absent", NodeLabel(node)));
  LS_RETURN_IF_ERROR(CheckOperand(node, "projection weights", kProjectionWeights,
                                  t[kProjectionWeights], {n_output, n_cell}, wtype));
  LS_RETURN_IF_ERROR(CheckOperand(node, "projection bias", kProjectionBias, t[kProjectionBias],
                                  {n_output}, btype));
  if (t[kProjectionBias] && !t[kProjectionWeights])
    return InvalidModelError(
        fmt::format("{}: projection bias without projection weights", NodeLabel(node)));
  if (!t[kProjectionWeights] && n_output != n_cell)
    return InvalidModelError(
        fmt::format("{}: n_output {} differs from n_cell {} without a projection", NodeLabel(node),
                    n_output, n_cell));
  const bool layer_norm = node.inputs.size() == 24 && t[kLayerNorm + 1] != nullptr;
  for (int g = 0; g < 4; ++g) {
    const Tensor* ln = node.inputs.size() == 24 ? t[kLayerNorm + g] : nullptr;
    const bool want = layer_norm && !(g == reference::kLstmGateInput && cifg);
    if ((ln != nullptr) != want)
      return InvalidModelError(
          fmt::format("{}: layer norm coefficients must be given for every gate or none ({} gate)",
                      NodeLabel(node), kGateName[g]));
    LS_RETURN_IF_ERROR(CheckOperand(node, fmt::format("{} layer norm coefficients", kGateName[g]),
                                    kLayerNorm + g, ln, {n_cell}, ptype));
  }

  // States: variable tensors holding n_batch rows.
  const DataType state_types[2] = {integer ? DataType::kInt8 : DataType::kFloat32,
                                   integer ? DataType::kInt16 : DataType::kFloat32};
  const int64_t state_elems[2] = {int64_t{d->n_batch} * n_output, int64_t{d->n_batch} * n_cell};
  for (int s = 0; s < 2; ++s) {
    const int slot = s == 0 ? kOutputState : kCellState;
    const Tensor& st = *t[slot];
    const char* role = s == 0 ? "output state" : "cell state";
    if (!st.is_variable)
      return InvalidModelError(fmt::format("{}: {} (tensor {} '{}') is not a variable tensor",
                                           NodeLabel(node), role, node.inputs[slot], st.name));
    if (st.type != state_types[s])
      return TypeError(node, role, slot, node.inputs[slot], st, DataTypeName(state_types[s]));
    if (st.elements() != state_elems[s])
      return ShapeError(node, role, slot, st, fmt::format("{} elements", state_elems[s]));
  }

  d->dims.n_input = n_input;
  d->dims.n_cell = n_cell;
  d->dims.n_output = n_output;
  // Time major steps process every batch row at once; batch major ones one row at a time.
  d->dims.n_batch = d->time_major ? d->n_batch : 1;

  if (integer) {
    LS_RETURN_IF_ERROR(PrepareInteger(ctx, node, *d, t));
  } else {
    if (out.type != DataType::kFloat32)
      return TypeError(node, "output", 0, node.outputs[0], out, "FLOAT32");
    if (d->act != 0 && d->act != 1 && d->act != 2 && d->act != 3 && d->act != 4)
      return UnsupportedOpError(
          fmt::format("{}: unsupported: activation {}", NodeLabel(node), d->act));
    d->scratch_f.assign(4 * static_cast<size_t>(d->dims.n_batch) * static_cast<size_t>(n_cell),
                        0.f);
  }

  const Shape out_shape{in.shape.dim(0), in.shape.dim(1), n_output};
  node.data = std::move(d);
  return ctx.ResizeTensor(out, out_shape);
}

template <typename T>
const T* Data(KernelContext& ctx, const Node& node, int slot) {
  const Tensor* t = ctx.input(node, slot);
  return t ? t->data_as<T>() : nullptr;
}

Status LstmEval(KernelContext& ctx, Node& node) {
  LstmOpData& d = *node.data_as<LstmOpData>();
  const reference::LstmDims& dims = d.dims;
  Tensor& out_state_t = *ctx.input(node, kOutputState);
  Tensor& cell_state_t = *ctx.input(node, kCellState);
  const size_t elem = d.integer ? 1 : sizeof(float);
  const size_t rows = static_cast<size_t>(d.n_batch);
  if (out_state_t.data == nullptr || cell_state_t.data == nullptr ||
      out_state_t.bytes < rows * static_cast<size_t>(dims.n_output) * elem ||
      cell_state_t.bytes < rows * static_cast<size_t>(dims.n_cell) * (d.integer ? 2 : 4))
    return InternalError(fmt::format("{}: state tensors lack storage", NodeLabel(node)));

  const size_t T = static_cast<size_t>(d.max_time);
  const size_t B = rows;
  const size_t I = static_cast<size_t>(dims.n_input);
  const size_t O = static_cast<size_t>(dims.n_output);
  const size_t C = static_cast<size_t>(dims.n_cell);
  // Steps: time major runs T steps over all B rows; batch major runs T steps per row.
  const size_t outer = d.time_major ? 1 : B;

  if (d.integer) {
    reference::LstmIntegerWeights w;
    for (int g = 0; g < 4; ++g) {
      w.input_to_gate[g] = Data<int8_t>(ctx, node, kInputToGate + g);
      w.recurrent_to_gate[g] = Data<int8_t>(ctx, node, kRecurrentToGate + g);
    }
    if (node.inputs.size() == 24)
      for (int g = 0; g < 4; ++g) {
        w.layer_norm[g] = Data<int16_t>(ctx, node, kLayerNorm + g);
        w.gate_bias[g] = Data<int32_t>(ctx, node, kGateBias + g);
      }
    w.cell_to_gate[reference::kLstmGateInput] = Data<int16_t>(ctx, node, kCellToInput);
    w.cell_to_gate[reference::kLstmGateForget] = Data<int16_t>(ctx, node, kCellToForget);
    w.cell_to_gate[reference::kLstmGateOutput] = Data<int16_t>(ctx, node, kCellToOutput);
    w.projection = Data<int8_t>(ctx, node, kProjectionWeights);
    const int8_t* in = Data<int8_t>(ctx, node, kInput);
    int8_t* out = ctx.output(node, 0)->data_as<int8_t>();
    int8_t* out_state = out_state_t.data_as<int8_t>();
    int16_t* cell_state = cell_state_t.data_as<int16_t>();
    for (size_t b = 0; b < outer; ++b)
      for (size_t t = 0; t < T; ++t) {
        const size_t row = d.time_major ? t * B : b * T + t;  // first row of this step
        reference::LstmStepInteger(w, d.q, dims, in + row * I,
                                   out_state + (d.time_major ? 0 : b * O),
                                   cell_state + (d.time_major ? 0 : b * C), out + row * O,
                                   d.scratch16.data(), d.scratch8.data());
      }
    return Status::Ok();
  }

  reference::LstmFloatWeights w;
  for (int g = 0; g < 4; ++g) {
    w.input_to_gate[g] = Data<float>(ctx, node, kInputToGate + g);
    w.recurrent_to_gate[g] = Data<float>(ctx, node, kRecurrentToGate + g);
    w.gate_bias[g] = Data<float>(ctx, node, kGateBias + g);
    if (node.inputs.size() == 24) w.layer_norm[g] = Data<float>(ctx, node, kLayerNorm + g);
  }
  w.cell_to_gate[reference::kLstmGateInput] = Data<float>(ctx, node, kCellToInput);
  w.cell_to_gate[reference::kLstmGateForget] = Data<float>(ctx, node, kCellToForget);
  w.cell_to_gate[reference::kLstmGateOutput] = Data<float>(ctx, node, kCellToOutput);
  w.projection = Data<float>(ctx, node, kProjectionWeights);
  w.projection_bias = Data<float>(ctx, node, kProjectionBias);
  const float* in = Data<float>(ctx, node, kInput);
  float* out = ctx.output(node, 0)->data_as<float>();
  float* out_state = out_state_t.data_as<float>();
  float* cell_state = cell_state_t.data_as<float>();
  for (size_t b = 0; b < outer; ++b)
    for (size_t t = 0; t < T; ++t) {
      const size_t row = d.time_major ? t * B : b * T + t;
      reference::LstmStepFloat(w, dims, d.act, d.cell_clip, d.proj_clip, in + row * I,
                               out_state + (d.time_major ? 0 : b * O),
                               cell_state + (d.time_major ? 0 : b * C), out + row * O,
                               static_cast<int>(O), d.scratch_f.data());
    }
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeUnidirectionalSequenceLstmKernel() {
  KernelRegistration k;
  k.name = "UNIDIRECTIONAL_SEQUENCE_LSTM";
  k.op = static_cast<int32_t>(schema::BuiltinOperator::UNIDIRECTIONAL_SEQUENCE_LSTM);
  k.min_version = 1;
  k.max_version = 4;
  k.prepare = LstmPrepare;
  k.eval = LstmEval;
  k.types = "float32,int8";
  return k;
}

}  // namespace litescope::runtime
