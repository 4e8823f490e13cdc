#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/internal/quant_checks.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/schema/tflite_schema_generated.h"

// SVDF: a rank-limited fully connected layer over a sliding window of past feature vectors.
// Inputs: input [B, I], weights_feature [F, I], weights_time [F, M], bias [U] (optional),
// activation state (variable) [B, F * M]; output [B, U] with U = F / rank.
// Served: float32 throughout, and full integer (int8 input/output/weights_feature, int16
// weights_time and state, int32 bias). Hybrid (float input, int8 weights) is not served.
namespace litescope::runtime {
namespace {

struct SvdfOpData : OpData {
  int batch = 0, input_size = 0, filters = 0, memory = 0, units = 0, rank = 1;
  FusedActivation act = FusedActivation::kNone;
  bool integer = false;
  int32_t input_zp = 0, output_zp = 0;
  int32_t mult1 = 0, mult2 = 0;
  int shift1 = 0, shift2 = 0;
  std::vector<int32_t> scratch;  // [B, F] (integer path)
  std::vector<float> scratch_f;  // [B, F] (float path)
};

Status ShapeError(const Node& node, const char* role, int tensor, const Tensor& t,
                  const std::string& expected) {
  return InvalidModelError(fmt::format("{}: {} (tensor {}) has shape {}; expected {}",
                                       NodeLabel(node), role, tensor, t.shape.ToString(),
                                       expected));
}

Status SvdfPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 5, 5, 1));
  Tensor* t[4] = {};
  for (int i : {0, 1, 2, 4}) {
    Result<Tensor*> r = RequireInput(ctx, node, i);
    if (!r.ok()) return r.status();
    t[i == 4 ? 3 : i] = *r;
  }
  Result<Tensor*> out_r = RequireOutput(ctx, node, 0);
  if (!out_r.ok()) return out_r.status();
  const Tensor& in = *t[0];
  const Tensor& wf = *t[1];
  const Tensor& wt = *t[2];
  Tensor& state = *t[3];
  Tensor& out = **out_r;
  const Tensor* bias = ctx.input(node, 3);

  Result<const SvdfParams*> params = NodeParams<SvdfParams>(node);
  if (!params.ok()) return params.status();
  auto d = std::make_unique<SvdfOpData>();
  d->rank = (*params)->rank;
  d->act = (*params)->activation;

  if (in.shape.rank() != 2) return ShapeError(node, "input", node.inputs[0], in, "[B, I]");
  d->batch = in.shape.dim(0);
  d->input_size = in.shape.dim(1);
  if (wf.shape.rank() != 2 || wf.shape.dim(1) != d->input_size)
    return ShapeError(node, "weights_feature", node.inputs[1], wf, "[F, input size]");
  d->filters = wf.shape.dim(0);
  if (wt.shape.rank() != 2 || wt.shape.dim(0) != d->filters || wt.shape.dim(1) <= 0)
    return ShapeError(node, "weights_time", node.inputs[2], wt, "[F, M]");
  d->memory = wt.shape.dim(1);
  if (d->rank <= 0 || d->filters % d->rank != 0)
    return InvalidModelError(fmt::format("{}: rank {} does not divide the {} filters",
                                         NodeLabel(node), d->rank, d->filters));
  d->units = d->filters / d->rank;
  if (bias && bias->elements() != d->units)
    return ShapeError(node, "bias", node.inputs[3], *bias, fmt::format("[{}]", d->units));
  if (!state.is_variable)
    return InvalidModelError(
        fmt::format("{}: activation state (tensor {} '{}') is not a variable "
                    "tensor",
                    NodeLabel(node), node.inputs[4], state.name));
  const int64_t state_elems = static_cast<int64_t>(d->batch) * d->filters * d->memory;
  if (state.elements() != state_elems)
    return ShapeError(node, "activation state", node.inputs[4], state,
                      fmt::format("{} elements ([B, F * M])", state_elems));
  if (static_cast<int64_t>(d->filters) * std::max(d->memory, d->input_size) > (int64_t{1} << 28))
    return UnsupportedOpError(fmt::format("{}: SVDF larger than supported", NodeLabel(node)));

  if (in.type == DataType::kFloat32) {
    if (wf.type != DataType::kFloat32 || wt.type != DataType::kFloat32)
      return UnsupportedOpError(
          fmt::format("{}: hybrid SVDF (float input, {} weights) is not supported", NodeLabel(node),
                      DataTypeName(wf.type)));
    if (bias && bias->type != DataType::kFloat32)
      return TypeError(node, "input", 3, node.inputs[3], *bias, "FLOAT32");
    if (state.type != DataType::kFloat32)
      return TypeError(node, "activation state", 4, node.inputs[4], state, "FLOAT32");
    if (out.type != DataType::kFloat32)
      return TypeError(node, "output", 0, node.outputs[0], out, "FLOAT32");
    d->scratch_f.resize(static_cast<size_t>(d->batch) * static_cast<size_t>(d->filters));
  } else if (in.type == DataType::kInt8) {
    d->integer = true;
    if (state.type != DataType::kInt16)
      return UnsupportedTypeError(
          fmt::format("{}: activation state (tensor {} '{}') is {}; integer SVDF needs INT16 state",
                      NodeLabel(node), node.inputs[4], state.name, DataTypeName(state.type)));
    if (wf.type != DataType::kInt8) return TypeError(node, "input", 1, node.inputs[1], wf, "INT8");
    if (wt.type != DataType::kInt16)
      return TypeError(node, "input", 2, node.inputs[2], wt, "INT16");
    if (bias && bias->type != DataType::kInt32)
      return TypeError(node, "input", 3, node.inputs[3], *bias, "INT32");
    if (out.type != DataType::kInt8)
      return TypeError(node, "output", 0, node.outputs[0], out, "INT8");
    if (d->act != FusedActivation::kNone && d->act != FusedActivation::kRelu)
      return UnsupportedOpError(fmt::format("{}: integer SVDF with activation {}", NodeLabel(node),
                                            static_cast<int>(d->act)));
    LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "input", node.inputs[0], in));
    LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "weights_feature", node.inputs[1], wf));
    LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "weights_time", node.inputs[2], wt));
    LS_RETURN_IF_ERROR(
        quant_checks::CheckPerTensor(node, "activation state", node.inputs[4], state));
    LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "output", node.outputs[0], out));
    const double s_in = in.quant.scale[0], s_wf = wf.quant.scale[0], s_wt = wt.quant.scale[0];
    const double s_state = state.quant.scale[0], s_out = out.quant.scale[0];
    fixed_point::QuantizeMultiplier(s_in * s_wf / s_state, &d->mult1, &d->shift1);
    fixed_point::QuantizeMultiplier(s_state * s_wt / s_out, &d->mult2, &d->shift2);
    d->input_zp = static_cast<int32_t>(in.quant.zero_point[0]);
    d->output_zp = static_cast<int32_t>(out.quant.zero_point[0]);
    d->scratch.resize(static_cast<size_t>(d->batch) * static_cast<size_t>(d->filters));
  } else {
    return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32 or INT8");
  }
  const Shape out_shape{d->batch, d->units};
  node.data = std::move(d);
  return ctx.ResizeTensor(out, out_shape);
}

// Shifts each filter's window one step back in time; the newest slot is then overwritten.
template <typename T>
void ShiftState(T* state, size_t total) {
  if (total > 1) std::copy(state + 1, state + total, state);
}

Status SvdfEvalFloat(KernelContext& ctx, Node& node, SvdfOpData& d) {
  const float* in = ctx.input(node, 0)->data_as<float>();
  const float* wf = ctx.input(node, 1)->data_as<float>();
  const float* wt = ctx.input(node, 2)->data_as<float>();
  const Tensor* bias_t = ctx.input(node, 3);
  const float* bias = bias_t ? bias_t->data_as<float>() : nullptr;
  float* state = ctx.input(node, 4)->data_as<float>();
  float* out = ctx.output(node, 0)->data_as<float>();
  const size_t B = static_cast<size_t>(d.batch), I = static_cast<size_t>(d.input_size),
               F = static_cast<size_t>(d.filters), M = static_cast<size_t>(d.memory),
               U = static_cast<size_t>(d.units), R = static_cast<size_t>(d.rank);
  ShiftState(state, B * F * M);
  for (size_t b = 0; b < B; ++b)
    for (size_t f = 0; f < F; ++f) {
      float acc = 0.f;
      for (size_t i = 0; i < I; ++i) acc += wf[f * I + i] * in[b * I + i];
      state[(b * F + f) * M + M - 1] = acc;
    }
  for (size_t b = 0; b < B; ++b)
    for (size_t f = 0; f < F; ++f) {
      float acc = 0.f;
      const float* s = state + (b * F + f) * M;
      for (size_t m = 0; m < M; ++m) acc += s[m] * wt[f * M + m];
      d.scratch_f[b * F + f] = acc;
    }
  float lo = 0.f, hi = 0.f;
  FloatActivationRange(d.act, &lo, &hi);
  for (size_t b = 0; b < B; ++b)
    for (size_t u = 0; u < U; ++u) {
      float acc = bias ? bias[u] : 0.f;
      for (size_t r = 0; r < R; ++r) acc += d.scratch_f[b * F + u * R + r];
      out[b * U + u] = Clamp(acc, lo, hi);
    }
  return Status::Ok();
}

Status SvdfEvalInteger(KernelContext& ctx, Node& node, SvdfOpData& d) {
  const int8_t* in = ctx.input(node, 0)->data_as<int8_t>();
  const int8_t* wf = ctx.input(node, 1)->data_as<int8_t>();
  const int16_t* wt = ctx.input(node, 2)->data_as<int16_t>();
  const Tensor* bias_t = ctx.input(node, 3);
  const int32_t* bias = bias_t ? bias_t->data_as<int32_t>() : nullptr;
  int16_t* state = ctx.input(node, 4)->data_as<int16_t>();
  int8_t* out = ctx.output(node, 0)->data_as<int8_t>();
  const size_t B = static_cast<size_t>(d.batch), I = static_cast<size_t>(d.input_size),
               F = static_cast<size_t>(d.filters), M = static_cast<size_t>(d.memory),
               U = static_cast<size_t>(d.units), R = static_cast<size_t>(d.rank);
  ShiftState(state, B * F * M);
  for (size_t b = 0; b < B; ++b)
    for (size_t f = 0; f < F; ++f) {
      int32_t acc = 0;
      for (size_t i = 0; i < I; ++i)
        acc = fixed_point::WrappingAdd(acc, static_cast<int32_t>(wf[f * I + i]) *
                                                (static_cast<int32_t>(in[b * I + i]) - d.input_zp));
      acc = fixed_point::MultiplyByQuantizedMultiplier(acc, d.mult1, d.shift1);
      state[(b * F + f) * M + M - 1] = static_cast<int16_t>(Clamp<int32_t>(acc, -32768, 32767));
    }
  for (size_t b = 0; b < B; ++b)
    for (size_t f = 0; f < F; ++f) {
      int64_t acc = 0;
      const int16_t* s = state + (b * F + f) * M;
      for (size_t m = 0; m < M; ++m) acc += static_cast<int32_t>(s[m]) * wt[f * M + m];
      d.scratch[b * F + f] = static_cast<int32_t>(Clamp<int64_t>(acc, INT32_MIN, INT32_MAX));
    }
  const int32_t lo = d.act == FusedActivation::kRelu ? std::max(-128, d.output_zp) : -128;
  for (size_t b = 0; b < B; ++b)
    for (size_t u = 0; u < U; ++u) {
      int64_t acc = bias ? bias[u] : 0;
      for (size_t r = 0; r < R; ++r) acc += d.scratch[b * F + u * R + r];
      const int32_t x = fixed_point::MultiplyByQuantizedMultiplier(
          static_cast<int32_t>(Clamp<int64_t>(acc, INT32_MIN, INT32_MAX)), d.mult2, d.shift2);
      out[b * U + u] = static_cast<int8_t>(Clamp<int64_t>(int64_t{x} + d.output_zp, lo, 127));
    }
  return Status::Ok();
}

Status SvdfEval(KernelContext& ctx, Node& node) {
  SvdfOpData& d = *node.data_as<SvdfOpData>();
  // The state is written in place: make sure its storage holds the shape Prepare checked.
  const Tensor& state = *ctx.input(node, 4);
  const size_t need = static_cast<size_t>(d.batch) * static_cast<size_t>(d.filters) *
                      static_cast<size_t>(d.memory) * (d.integer ? sizeof(int16_t) : sizeof(float));
  if (state.data == nullptr || state.bytes < need)
    return InternalError(fmt::format("{}: activation state (tensor {}) has {} bytes; needs {}",
                                     NodeLabel(node), node.inputs[4], state.bytes, need));
  return d.integer ? SvdfEvalInteger(ctx, node, d) : SvdfEvalFloat(ctx, node, d);
}

}  // namespace

KernelRegistration MakeSvdfKernel() {
  KernelRegistration k;
  k.name = "SVDF";
  k.op = static_cast<int32_t>(schema::BuiltinOperator::SVDF);
  k.min_version = 1;
  k.max_version = 4;
  k.prepare = SvdfPrepare;
  k.eval = SvdfEval;
  k.types = "float32,int8";
  return k;
}

}  // namespace litescope::runtime
