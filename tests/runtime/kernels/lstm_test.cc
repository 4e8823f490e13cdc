#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "runtime/interpreter.h"
#include "runtime/kernels/fixed_point_int16.h"
#include "runtime/model.h"
#include "runtime/model_builder.h"
#include "runtime/op_registry.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/subgraph.h"

// UNIDIRECTIONAL_SEQUENCE_LSTM through the real interpreter: float and integer results against
// a plain double-precision LSTM written here, state carried across invocations, and rejected
// configurations.
namespace {

namespace rt = litescope::runtime;
namespace schema = litescope::runtime::schema;
using rt::DataType;

// What the test model looks like.
struct LstmConfig {
  bool integer = false;
  bool time_major = false;
  int batch = 2, time = 3, n_input = 3, n_cell = 4;
  int n_proj = 0;  // > 0 adds a projection to n_proj outputs
  bool cifg = false, peephole = false, layer_norm = false;
  float cell_clip = 0.f, proj_clip = 0.f;
  // Fault injection for the rejection tests.
  bool intermediates = true;
  bool state_is_variable = true;
  bool hybrid = false;              // float input with int8 weights
  int bad_recurrent_cols = 0;       // > 0 gives recurrent-to-forget weights that many columns
  float cell_scale = 1.f / 2048.f;  // integer cell state scale (2^-11)
  uint32_t seed = 7;

  int n_output() const { return n_proj > 0 ? n_proj : n_cell; }
};

// Float parameters; quantized copies are derived from them for the integer model.
struct LstmParams {
  std::vector<float> w_in[4], w_rec[4], bias[4], peep[4], ln[4];
  std::vector<float> proj, proj_bias;
};

std::vector<float> Random(size_t n, float range, std::mt19937& rng) {
  std::uniform_real_distribution<float> dist(-range, range);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

LstmParams MakeParams(const LstmConfig& c) {
  std::mt19937 rng(c.seed);
  LstmParams p;
  const size_t C = static_cast<size_t>(c.n_cell), I = static_cast<size_t>(c.n_input),
               O = static_cast<size_t>(c.n_output());
  for (int g = 0; g < 4; ++g) {
    if (g == 0 && c.cifg) continue;
    p.w_in[g] = Random(C * I, 0.6f, rng);
    p.w_rec[g] = Random(C * O, 0.6f, rng);
    p.bias[g] = Random(C, 0.3f, rng);
    if (c.peephole && g != 2) p.peep[g] = Random(C, 0.4f, rng);
    if (c.layer_norm) p.ln[g] = Random(C, 1.f, rng);
  }
  if (c.n_proj > 0) {
    p.proj = Random(O * C, 0.6f, rng);
    p.proj_bias = Random(O, 0.2f, rng);
  }
  return p;
}

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// A plain LSTM in double precision over the whole sequence; returns the output in the input's
// layout. State starts at h0/c0 (per batch row) and is left there.
std::vector<double> ReferenceLstm(const LstmConfig& c, const LstmParams& p,
                                  const std::vector<double>& input, std::vector<double>& h,
                                  std::vector<double>& cs) {
  const int B = c.batch, T = c.time, I = c.n_input, C = c.n_cell, O = c.n_output();
  std::vector<double> out(static_cast<size_t>(B * T * O));
  for (int t = 0; t < T; ++t)
    for (int b = 0; b < B; ++b) {
      const int row = c.time_major ? t * B + b : b * T + t;
      const double* x = input.data() + row * I;
      double* hb = h.data() + b * O;
      double* cb = cs.data() + b * C;
      std::vector<double> gate[4];
      auto compute = [&](int g) {
        std::vector<double> v(static_cast<size_t>(C));
        for (int r = 0; r < C; ++r) {
          double acc = c.layer_norm ? 0.0 : p.bias[g][r];
          for (int k = 0; k < I; ++k) acc += p.w_in[g][r * I + k] * x[k];
          for (int k = 0; k < O; ++k) acc += p.w_rec[g][r * O + k] * hb[k];
          if (!p.peep[g].empty()) acc += p.peep[g][r] * cb[r];
          v[r] = acc;
        }
        if (c.layer_norm) {
          double mean = 0, var = 0;
          for (double a : v) mean += a;
          mean /= C;
          for (double a : v) var += (a - mean) * (a - mean);
          var /= C;
          for (int r = 0; r < C; ++r)
            v[r] = (v[r] - mean) / std::sqrt(var + 1e-8) * p.ln[g][r] + p.bias[g][r];
        }
        for (double& a : v) a = g == 2 ? std::tanh(a) : Sigmoid(a);
        gate[g] = v;
      };
      if (!c.cifg) compute(0);
      compute(1);
      compute(2);
      for (int r = 0; r < C; ++r) {
        const double i = c.cifg ? 1.0 - gate[1][r] : gate[0][r];
        double v = gate[1][r] * cb[r] + i * gate[2][r];
        if (c.cell_clip > 0) v = std::min<double>(c.cell_clip, std::max<double>(-c.cell_clip, v));
        cb[r] = v;
      }
      compute(3);
      std::vector<double> hidden(static_cast<size_t>(C));
      for (int r = 0; r < C; ++r) hidden[r] = gate[3][r] * std::tanh(cb[r]);
      for (int o = 0; o < O; ++o) {
        double v = hidden[o < C ? o : 0];
        if (c.n_proj > 0) {
          v = p.proj_bias[o];
          for (int k = 0; k < C; ++k) v += p.proj[o * C + k] * hidden[k];
          if (c.proj_clip > 0) v = std::min<double>(c.proj_clip, std::max<double>(-c.proj_clip, v));
        }
        hb[o] = v;
        out[static_cast<size_t>(row * O + o)] = v;
      }
    }
  return out;
}

// Quantization used by the integer model.
constexpr float kInputScale = 1.f / 64.f;
constexpr int kInputZp = 3;
constexpr float kStateScale = 1.f / 128.f;  // output state, output and hidden intermediate
constexpr int kStateZp = -2;
constexpr float kGateScale = 1.f / 1024.f;  // gate pre-activations before layer norm

float SymmetricScale(const std::vector<float>& v, float qmax) {
  float m = 0.f;
  for (float x : v) m = std::max(m, std::abs(x));
  return m > 0.f ? m / qmax : 1.f;
}

template <typename T>
std::vector<T> QuantizeSym(const std::vector<float>& v, float scale, float qmax) {
  std::vector<T> q(v.size());
  for (size_t i = 0; i < v.size(); ++i)
    q[i] = static_cast<T>(std::max(-qmax, std::min(qmax, std::round(v[i] / scale))));
  return q;
}

// Rounds the float parameters to what the integer model stores, so that the reference sees
// the same weights.
void RoundToQuantized(const LstmConfig& c, LstmParams& p) {
  auto round_trip = [](std::vector<float>& v, float qmax) {
    if (v.empty()) return;
    const float s = SymmetricScale(v, qmax);
    for (float& x : v) x = std::round(x / s) * s;
  };
  for (int g = 0; g < 4; ++g) {
    round_trip(p.w_in[g], 127.f);
    round_trip(p.w_rec[g], 127.f);
    round_trip(p.peep[g], 32767.f);
    if (!p.w_in[g].empty()) {
      const float s = c.layer_norm ? SymmetricScale(p.ln[g], 32767.f) / 1024.f
                                   : SymmetricScale(p.w_in[g], 127.f) * kInputScale;
      for (float& x : p.bias[g]) x = std::round(x / s) * s;
    }
    round_trip(p.ln[g], 32767.f);
  }
  round_trip(p.proj, 127.f);
  if (c.n_proj > 0) {
    const float s = SymmetricScale(p.proj, 127.f) * kStateScale;
    for (float& x : p.proj_bias) x = std::round(x / s) * s;
  }
}

rt::QuantParams Quant(float scale, int64_t zp) {
  rt::QuantParams q;
  q.scale = {scale};
  q.zero_point = {zp};
  return q;
}

// Builds the one-op model and its interpreter.
struct LstmModel {
  std::unique_ptr<rt::Interpreter> interp;
  litescope::Status status = litescope::Status::Ok();
  int output_state = -1;  // tensor index of the output state
};

LstmModel BuildModel(const LstmConfig& c, const LstmParams& p) {
  rt::ModelBuilder mb;
  const int B = c.batch, T = c.time, I = c.n_input, C = c.n_cell, O = c.n_output();
  const bool q = c.integer;
  const DataType act_type = q ? DataType::kInt8 : DataType::kFloat32;
  const std::vector<int32_t> in_shape =
      c.time_major ? std::vector<int32_t>{T, B, I} : std::vector<int32_t>{B, T, I};
  const std::vector<int32_t> out_shape =
      c.time_major ? std::vector<int32_t>{T, B, O} : std::vector<int32_t>{B, T, O};
  std::vector<int32_t> inputs(24, -1);
  inputs[0] = mb.AddTensor(0, "input", act_type, in_shape,
                           q ? Quant(kInputScale, kInputZp) : rt::QuantParams{});

  auto add_weights = [&](const std::string& name, const std::vector<float>& w,
                         std::vector<int32_t> shape) {
    if (q || c.hybrid) {
      const float s = SymmetricScale(w, 127.f);
      return mb.AddConstTensor<int8_t>(0, name, DataType::kInt8, shape,
                                       QuantizeSym<int8_t>(w, s, 127.f), Quant(s, 0));
    }
    return mb.AddConstTensor<float>(0, name, DataType::kFloat32, shape, w);
  };
  for (int g = 0; g < 4; ++g) {
    if (p.w_in[g].empty()) continue;
    inputs[1 + g] = add_weights("w_in" + std::to_string(g), p.w_in[g], {C, I});
    const int rec_cols = (g == 1 && c.bad_recurrent_cols > 0) ? c.bad_recurrent_cols : O;
    std::vector<float> rec = p.w_rec[g];
    rec.resize(static_cast<size_t>(C * rec_cols), 0.f);
    inputs[5 + g] = add_weights("w_rec" + std::to_string(g), rec, {C, rec_cols});
    if (q) {
      // With layer norm the bias is added to the normalized row, in units of the coefficients'
      // scale / 1024; otherwise to the input matmul's accumulator.
      const float s = c.layer_norm ? SymmetricScale(p.ln[g], 32767.f) / 1024.f
                                   : SymmetricScale(p.w_in[g], 127.f) * kInputScale;
      std::vector<int32_t> b(p.bias[g].size());
      for (size_t i = 0; i < b.size(); ++i)
        b[i] = static_cast<int32_t>(std::round(p.bias[g][i] / s));
      inputs[12 + g] = mb.AddConstTensor<int32_t>(0, "bias" + std::to_string(g), DataType::kInt32,
                                                  {C}, b, Quant(s, 0));
    } else {
      inputs[12 + g] = mb.AddConstTensor<float>(0, "bias" + std::to_string(g), DataType::kFloat32,
                                                {C}, p.bias[g]);
    }
  }
  const int peep_slot[4] = {9, 10, -1, 11};
  for (int g = 0; g < 4; ++g) {
    if (p.peep[g].empty()) continue;
    if (q) {
      const float s = SymmetricScale(p.peep[g], 32767.f);
      inputs[peep_slot[g]] =
          mb.AddConstTensor<int16_t>(0, "peep" + std::to_string(g), DataType::kInt16, {C},
                                     QuantizeSym<int16_t>(p.peep[g], s, 32767.f), Quant(s, 0));
    } else {
      inputs[peep_slot[g]] = mb.AddConstTensor<float>(0, "peep" + std::to_string(g),
                                                      DataType::kFloat32, {C}, p.peep[g]);
    }
  }
  if (c.layer_norm)
    for (int g = 0; g < 4; ++g) {
      if (p.ln[g].empty()) continue;
      if (q) {
        const float s = SymmetricScale(p.ln[g], 32767.f);
        inputs[20 + g] =
            mb.AddConstTensor<int16_t>(0, "ln" + std::to_string(g), DataType::kInt16, {C},
                                       QuantizeSym<int16_t>(p.ln[g], s, 32767.f), Quant(s, 0));
      } else {
        inputs[20 + g] =
            mb.AddConstTensor<float>(0, "ln" + std::to_string(g), DataType::kFloat32, {C}, p.ln[g]);
      }
    }
  if (c.n_proj > 0) {
    inputs[16] = add_weights("proj", p.proj, {O, C});
    if (q) {
      const float s = SymmetricScale(p.proj, 127.f) * kStateScale;
      std::vector<int32_t> b(p.proj_bias.size());
      for (size_t i = 0; i < b.size(); ++i)
        b[i] = static_cast<int32_t>(std::round(p.proj_bias[i] / s));
      inputs[17] =
          mb.AddConstTensor<int32_t>(0, "proj_bias", DataType::kInt32, {O}, b, Quant(s, 0));
    } else {
      inputs[17] = mb.AddConstTensor<float>(0, "proj_bias", DataType::kFloat32, {O}, p.proj_bias);
    }
  }
  rt::TensorSpec h;
  h.name = "output_state";
  h.type = act_type;
  h.shape = {B, O};
  h.is_variable = c.state_is_variable;
  if (q) h.quant = Quant(kStateScale, kStateZp);
  inputs[18] = mb.AddTensor(0, h);
  rt::TensorSpec cs;
  cs.name = "cell_state";
  cs.type = q ? DataType::kInt16 : DataType::kFloat32;
  cs.shape = {B, C};
  cs.is_variable = c.state_is_variable;
  if (q) cs.quant = Quant(c.cell_scale, 0);
  inputs[19] = mb.AddTensor(0, cs);
  if (!c.layer_norm) inputs.resize(20);
  const int out = mb.AddTensor(0, "output", act_type, out_shape,
                               q ? Quant(kStateScale, kStateZp) : rt::QuantParams{});

  rt::OperatorSpec op;
  op.opcode_index = static_cast<uint32_t>(
      mb.AddOperatorCode(schema::BuiltinOperator::UNIDIRECTIONAL_SEQUENCE_LSTM, q ? 3 : 1));
  op.inputs = inputs;
  op.outputs = {out};
  if (q && c.intermediates) {
    for (int k = 0; k < 4; ++k)
      op.intermediates.push_back(mb.AddTensor(0, "gate_intermediate" + std::to_string(k),
                                              DataType::kInt16, {0}, Quant(kGateScale, 0)));
    op.intermediates.push_back(
        mb.AddTensor(0, "hidden_intermediate", DataType::kInt8, {0}, Quant(kStateScale, kStateZp)));
  }
  const LstmConfig cc = c;
  op.options = [cc](flatbuffers::FlatBufferBuilder& b) {
    return std::make_pair(
        schema::BuiltinOptions::UnidirectionalSequenceLSTMOptions,
        schema::CreateUnidirectionalSequenceLSTMOptions(b, schema::ActivationFunctionType::TANH,
                                                        cc.cell_clip, cc.proj_clip, cc.time_major)
            .Union());
  };
  mb.AddOperator(0, op);
  mb.SetInputs(0, {inputs[0]});
  mb.SetOutputs(0, {out});
  const std::vector<uint8_t> bytes = mb.Finish();

  LstmModel m;
  m.output_state = inputs[18];
  auto model = rt::Model::FromBufferCopy(bytes.data(), bytes.size(), "lstm_test");
  if (!model.ok()) {
    m.status = model.status();
    return m;
  }
  auto interp = rt::Interpreter::Create(*model, rt::OpRegistry::WithBuiltins(), {});
  if (!interp.ok()) {
    m.status = interp.status();
    return m;
  }
  m.interp = std::move(interp.value());
  m.status = m.interp->AllocateTensors();
  return m;
}

std::vector<double> RandomInput(const LstmConfig& c, uint32_t seed) {
  std::mt19937 rng(seed);
  const std::vector<float> f = Random(static_cast<size_t>(c.batch * c.time * c.n_input), 1.5f, rng);
  std::vector<double> v(f.begin(), f.end());
  if (c.integer)  // what the int8 input can hold
    for (double& x : v) x = (std::round(x / kInputScale + kInputZp) - kInputZp) * kInputScale;
  return v;
}

// Runs one invocation on `input` (in the model's layout); returns the output as real values.
std::vector<double> Run(const LstmConfig& c, rt::Interpreter& interp,
                        const std::vector<double>& input) {
  rt::Tensor* in = interp.input(0);
  if (c.integer) {
    std::vector<int8_t> q(input.size());
    for (size_t i = 0; i < q.size(); ++i)
      q[i] = static_cast<int8_t>(std::round(input[i] / kInputScale) + kInputZp);
    std::memcpy(in->data, q.data(), q.size());
  } else {
    std::vector<float> f(input.begin(), input.end());
    std::memcpy(in->data, f.data(), f.size() * sizeof(float));
  }
  REQUIRE(interp.Invoke().ok());
  const rt::Tensor* out = interp.output(0);
  std::vector<double> r(static_cast<size_t>(out->elements()));
  for (size_t i = 0; i < r.size(); ++i)
    r[i] = c.integer ? (out->data_as<int8_t>()[i] - kStateZp) * double{kStateScale}
                     : double{out->data_as<float>()[i]};
  return r;
}

double MaxAbsDiff(const std::vector<double>& a, const std::vector<double>& b) {
  REQUIRE(a.size() == b.size());
  double m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
  return m;
}

// Checks a built model against the reference over two invocations (the second continues from
// the state the first left).
void CheckAgainstReference(LstmConfig c, double tolerance) {
  LstmParams p = MakeParams(c);
  if (c.integer) RoundToQuantized(c, p);
  LstmModel m = BuildModel(c, p);
  INFO(m.status.message());
  REQUIRE(m.status.ok());
  std::vector<double> h(static_cast<size_t>(c.batch * c.n_output()), 0.0);
  std::vector<double> cs(static_cast<size_t>(c.batch * c.n_cell), 0.0);
  for (uint32_t call = 0; call < 2; ++call) {
    const std::vector<double> in = RandomInput(c, 100 + call);
    const std::vector<double> expected = ReferenceLstm(c, p, in, h, cs);
    const std::vector<double> got = Run(c, *m.interp, in);
    INFO("invocation " << call);
    CHECK(MaxAbsDiff(got, expected) <= tolerance);
  }
}

}  // namespace

TEST_CASE("UNIDIRECTIONAL_SEQUENCE_LSTM float matches a plain LSTM", "[runtime][kernels][lstm]") {
  LstmConfig c;
  SECTION("batch major") { CheckAgainstReference(c, 1e-5); }
  SECTION("time major") {
    c.time_major = true;
    CheckAgainstReference(c, 1e-5);
  }
  SECTION("CIFG, peephole, projection and clipping") {
    c.cifg = true;
    c.peephole = true;
    c.n_proj = 3;
    c.cell_clip = 0.5f;
    c.proj_clip = 0.3f;
    CheckAgainstReference(c, 1e-5);
  }
  SECTION("layer norm") {
    c.layer_norm = true;
    c.peephole = true;
    CheckAgainstReference(c, 1e-5);
  }
}

TEST_CASE("UNIDIRECTIONAL_SEQUENCE_LSTM int8 stays within a few quanta of a float LSTM",
          "[runtime][kernels][lstm]") {
  LstmConfig c;
  c.integer = true;
  c.n_input = 5;
  c.n_cell = 8;
  c.time = 4;
  // The output quantum is 1/128; errors of the state feed back through the recurrence (about one
  // quantum seen).
  const double tol = 2.0 * kStateScale;
  SECTION("batch major") { CheckAgainstReference(c, tol); }
  SECTION("time major") {
    c.time_major = true;
    CheckAgainstReference(c, tol);
  }
  SECTION("CIFG and peephole") {
    c.cifg = true;
    c.peephole = true;
    CheckAgainstReference(c, tol);
  }
  SECTION("cell clip") {
    c.cell_clip = 0.4f;
    CheckAgainstReference(c, tol);
  }
  SECTION("projection") {
    c.n_proj = 6;
    CheckAgainstReference(c, tol);
  }
  SECTION("layer norm") {
    c.layer_norm = true;
    CheckAgainstReference(c, tol);
  }
  SECTION("layer norm, CIFG and peephole") {
    c.layer_norm = true;
    c.cifg = true;
    c.peephole = true;
    CheckAgainstReference(c, tol);
  }
}

TEST_CASE("UNIDIRECTIONAL_SEQUENCE_LSTM carries its state across invocations",
          "[runtime][kernels][lstm]") {
  const bool integer = GENERATE(false, true);
  INFO((integer ? "int8" : "float32"));
  // One invocation over 4 steps equals two invocations over 2 steps each.
  LstmConfig whole;
  whole.integer = integer;
  whole.batch = 1;
  whole.time = 4;
  LstmConfig half = whole;
  half.time = 2;
  LstmParams p = MakeParams(whole);
  if (integer) RoundToQuantized(whole, p);
  LstmModel m_whole = BuildModel(whole, p);
  LstmModel m_half = BuildModel(half, p);
  REQUIRE(m_whole.status.ok());
  REQUIRE(m_half.status.ok());
  const std::vector<double> in = RandomInput(whole, 5);
  const size_t n_half = in.size() / 2;
  const std::vector<double> all = Run(whole, *m_whole.interp, in);
  const std::vector<double> first = Run(half, *m_half.interp, {in.begin(), in.begin() + n_half});
  const std::vector<double> second = Run(half, *m_half.interp, {in.begin() + n_half, in.end()});
  std::vector<double> joined = first;
  joined.insert(joined.end(), second.begin(), second.end());
  CHECK(joined == all);
  // The state really changes the result: the same input again gives another output.
  const std::vector<double> again = Run(half, *m_half.interp, {in.begin(), in.begin() + n_half});
  CHECK(again != first);
}

TEST_CASE("UNIDIRECTIONAL_SEQUENCE_LSTM int8 output state starts at its zero point",
          "[runtime][kernels][lstm]") {
  // TFLite resets an int8 variable to its zero point (real 0), not to raw 0.
  LstmConfig c;
  c.integer = true;
  LstmModel m = BuildModel(c, MakeParams(c));
  REQUIRE(m.status.ok());
  const rt::Tensor& state = m.interp->primary().tensor(m.output_state);
  REQUIRE(state.type == DataType::kInt8);
  REQUIRE(state.elements() == c.batch * c.n_output());
  for (int64_t i = 0; i < state.elements(); ++i) CHECK(state.data_as<int8_t>()[i] == kStateZp);
}

TEST_CASE("UNIDIRECTIONAL_SEQUENCE_LSTM rejects bad configurations", "[runtime][kernels][lstm]") {
  LstmConfig c;
  std::string expect;
  SECTION("integer without intermediates") {
    c.integer = true;
    c.intermediates = false;
    expect = "intermediate";
  }
  SECTION("integer cell state scale that is not a power of two") {
    c.integer = true;
    c.cell_scale = 0.0003f;
    expect = "unsupported: cell state";
  }
  SECTION("hybrid") {
    c.hybrid = true;
    expect = "unsupported: hybrid";
  }
  SECTION("state that is not a variable") {
    c.state_is_variable = false;
    expect = "not a variable tensor";
  }
  SECTION("recurrent weights of the wrong width") {
    c.bad_recurrent_cols = 3;
    expect = "recurrent-to-forget weights";
  }
  const LstmParams p = MakeParams(c);
  LstmModel m = BuildModel(c, p);
  INFO(m.status.message());
  REQUIRE_FALSE(m.status.ok());
  CHECK(m.status.message().find(expect) != std::string::npos);
  CHECK(m.status.message().find("UNIDIRECTIONAL_SEQUENCE_LSTM") != std::string::npos);
}

TEST_CASE("q16 Logistic and Tanh approximate the float functions", "[runtime][kernels][lstm]") {
  namespace q16 = litescope::runtime::fixed_point::q16;
  const int ib = GENERATE(3, 4);
  double worst_sigmoid = 0, worst_tanh = 0;
  for (int raw = -32768; raw <= 32767; raw += 7) {
    const double x = raw / double(1 << (15 - ib));
    const double s = q16::Logistic(static_cast<int16_t>(raw), ib) / 32768.0;
    const double t = q16::Tanh(static_cast<int16_t>(raw), ib) / 32768.0;
    worst_sigmoid = std::max(worst_sigmoid, std::abs(s - Sigmoid(x)));
    worst_tanh = std::max(worst_tanh, std::abs(t - std::tanh(x)));
  }
  INFO("integer bits " << ib);
  // The 16-bit polynomial and Newton steps are good to about 1e-4 (a few Q0.15 steps); the
  // bit-exact match with TFLite is checked by the dtln golden model.
  CHECK(worst_sigmoid < 8.0 / 32768);
  CHECK(worst_tanh < 16.0 / 32768);
  CHECK(q16::Logistic(0, ib) == 16384);
  CHECK(q16::Tanh(0, ib) == 0);
  // The reciprocal is computed in Q2.13 and widened to Q0.15 (tanh's result by 4), so
  // neighbouring inputs can step back by a few Q2.13 units (12 raw seen for tanh); a sign or
  // range error would show as a drop of thousands.
  int worst_drop = 0;
  for (int raw = -32768; raw < 32767; ++raw) {
    const auto a = static_cast<int16_t>(raw), b = static_cast<int16_t>(raw + 1);
    worst_drop = std::max({worst_drop, q16::Logistic(a, ib) - q16::Logistic(b, ib),
                           q16::Tanh(a, ib) - q16::Tanh(b, ib)});
  }
  CHECK(worst_drop <= 16);
}
