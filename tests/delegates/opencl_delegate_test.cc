// The OpenCL GPU delegate through its registration ("gpu"): one-op models run on the device and
// compared with the reference kernels. Every case prints "SKIPPED: ..." and passes when the
// build has no OpenCL or the machine has no OpenCL device (PoCL's CPU device counts).
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "delegates/opencl/opencl_support.h"
#include "delegates/registered_backends.h"
#include "runtime/interpreter.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/model_builder.h"
#include "runtime/op_registry.h"
#include "runtime/profiling_hooks.h"
#include "runtime/subgraph.h"

namespace ls = litescope::runtime;
namespace ld = litescope::delegates;
namespace sc = litescope::schema;

namespace {

using Act = sc::ActivationFunctionType;
using Op = sc::BuiltinOperator;
using FB = flatbuffers::FlatBufferBuilder;

std::vector<float> Ramp(size_t n, float step, float offset) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = offset + step * static_cast<float>((i * 7) % 23);
  return v;
}

std::shared_ptr<const ls::Model> Finish(const ls::ModelBuilder& b) {
  std::vector<uint8_t> bytes = b.Finish();
  auto model = ls::Model::FromBufferCopy(bytes.data(), bytes.size(), "opencl_test");
  REQUIRE(model.ok());
  return *model;
}

// The GPU delegate, or null (after printing why) when none can be made here.
std::unique_ptr<ls::Delegate> MakeGpu() {
  const ld::BackendRegistration* gpu = ld::RegisteredBackends().Find("gpu");
  REQUIRE(gpu != nullptr);
  auto d = gpu->make_delegate(ld::BackendConfig{});
  if (!d.ok()) {
    WARN("SKIPPED: no OpenCL GPU delegate here: " << d.status().message());
    return nullptr;
  }
  return std::move(d.value());
}

struct Runner {
  std::unique_ptr<ls::Interpreter> interp;
  Runner(std::shared_ptr<const ls::Model> model, ls::Delegate* delegate,
         ls::ProfilingHooks* hooks = nullptr) {
    auto i = ls::Interpreter::Create(std::move(model), ls::OpRegistry::WithBuiltins(), {});
    REQUIRE(i.ok());
    interp = std::move(i.value());
    if (hooks) interp->SetProfilingHooks(hooks);
    if (delegate) REQUIRE(interp->ApplyDelegate(*delegate).ok());
  }
  ls::Subgraph& graph() { return interp->primary(); }
  std::vector<float> Run(const std::vector<std::vector<float>>& inputs) {
    auto s = interp->AllocateTensors();
    INFO(s.message());
    REQUIRE(s.ok());
    for (size_t i = 0; i < inputs.size(); ++i) {
      ls::Tensor* t = interp->input(static_cast<int>(i));
      REQUIRE(t->bytes == inputs[i].size() * sizeof(float));
      std::memcpy(t->data, inputs[i].data(), t->bytes);
    }
    s = interp->Invoke();
    INFO(s.message());
    REQUIRE(s.ok());
    const ls::Tensor* out = interp->output(0);
    return std::vector<float>(out->data_as<float>(), out->data_as<float>() + out->elements());
  }
};

void RequireClose(const std::vector<float>& got, const std::vector<float>& want) {
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    INFO("element " << i);
    CHECK(got[i] == Approx(want[i]).margin(1e-5).epsilon(1e-5));
  }
}

// Runs `model` on the reference kernels and on the GPU (which must take every node) and
// compares the outputs.
void CheckOnGpu(const std::shared_ptr<const ls::Model>& model,
                const std::vector<std::vector<float>>& inputs, size_t gpu_nodes) {
  std::unique_ptr<ls::Delegate> gpu = MakeGpu();
  if (!gpu) return;
  Runner ref(model, nullptr);
  Runner dev(model, gpu.get());
  size_t on_gpu = 0;
  for (const ls::NodePlacement& p : dev.graph().placement()) {
    INFO(p.reason);
    on_gpu += p.backend == "GPU";
  }
  CHECK(on_gpu == gpu_nodes);
  RequireClose(dev.Run(inputs), ref.Run(inputs));
}

ls::OptionsFn Options(sc::BuiltinOptions type, std::function<flatbuffers::Offset<void>(FB&)> f) {
  return [type, f](FB& b) { return std::make_pair(type, f(b)); };
}

// in -> OP(in, extra constant inputs) -> out.
struct OneOp {
  ls::ModelBuilder b;
  int in = -1;
  OneOp(const std::vector<int32_t>& shape) {
    in = b.AddTensor(0, "in", ls::DataType::kFloat32, shape);
  }
  std::shared_ptr<const ls::Model> Build(Op op, std::vector<int32_t> inputs,
                                         const std::vector<int32_t>& out_shape,
                                         ls::OptionsFn options = {}) {
    const int out = b.AddTensor(0, "out", ls::DataType::kFloat32, out_shape);
    inputs.insert(inputs.begin(), in);
    b.AddOperator(0, op, inputs, {out}, std::move(options));
    b.SetInputs(0, {in});
    b.SetOutputs(0, {out});
    return Finish(b);
  }
};

}  // namespace

TEST_CASE("GPU CONV_2D matches the reference kernel", "[delegates][opencl]") {
  const auto [padding, stride, act] = GENERATE(std::make_tuple(sc::Padding::SAME, 1, Act::RELU6),
                                               std::make_tuple(sc::Padding::VALID, 2, Act::NONE),
                                               std::make_tuple(sc::Padding::SAME, 2, Act::RELU));
  OneOp m({1, 9, 7, 3});
  const int w = m.b.AddConstTensor<float>(0, "w", ls::DataType::kFloat32, {5, 3, 3, 3},
                                          Ramp(5 * 27, 0.03f, -0.3f));
  const int bias = m.b.AddConstTensor<float>(0, "b", ls::DataType::kFloat32, {5},
                                             {0.1f, -0.2f, 0.05f, 0.f, 1.f});
  int oh = 0, ow = 0, unused = 0;
  REQUIRE(ls::ComputeSpatialOutput(static_cast<int>(padding), 9, 3, stride, 1, &oh, &unused));
  REQUIRE(ls::ComputeSpatialOutput(static_cast<int>(padding), 7, 3, stride, 1, &ow, &unused));
  auto model = m.Build(Op::CONV_2D, {w, bias}, {1, oh, ow, 5},
                       Options(sc::BuiltinOptions::Conv2DOptions, [=](FB& b) {
                         return sc::CreateConv2DOptions(b, padding, stride, stride, act).Union();
                       }));
  CheckOnGpu(model, {Ramp(9 * 7 * 3, 0.1f, -1.f)}, 1);
}

TEST_CASE("GPU DEPTHWISE_CONV_2D matches the reference kernel", "[delegates][opencl]") {
  const int mult = GENERATE(1, 2);
  OneOp m({1, 8, 6, 3});
  const int co = 3 * mult;
  const int w = m.b.AddConstTensor<float>(0, "w", ls::DataType::kFloat32, {1, 3, 3, co},
                                          Ramp(9 * static_cast<size_t>(co), 0.05f, -0.4f));
  const int bias = m.b.AddConstTensor<float>(0, "b", ls::DataType::kFloat32, {co},
                                             Ramp(static_cast<size_t>(co), 0.1f, 0.f));
  auto model = m.Build(Op::DEPTHWISE_CONV_2D, {w, bias}, {1, 4, 3, co},
                       Options(sc::BuiltinOptions::DepthwiseConv2DOptions, [=](FB& b) {
                         return sc::CreateDepthwiseConv2DOptions(b, sc::Padding::SAME, 2, 2, mult,
                                                                 Act::RELU6)
                             .Union();
                       }));
  CheckOnGpu(model, {Ramp(8 * 6 * 3, 0.1f, -1.f)}, 1);
}

TEST_CASE("GPU FULLY_CONNECTED matches the reference kernel, with and without bias",
          "[delegates][opencl]") {
  const bool with_bias = GENERATE(true, false);
  OneOp m({2, 6});
  const int w =
      m.b.AddConstTensor<float>(0, "w", ls::DataType::kFloat32, {4, 6}, Ramp(24, 0.05f, -0.5f));
  std::vector<int32_t> extra = {w};
  if (with_bias)
    extra.push_back(
        m.b.AddConstTensor<float>(0, "b", ls::DataType::kFloat32, {4}, {1.f, 2.f, 3.f, 4.f}));
  else
    extra.push_back(-1);
  auto model = m.Build(Op::FULLY_CONNECTED, extra, {2, 4},
                       Options(sc::BuiltinOptions::FullyConnectedOptions, [](FB& b) {
                         return sc::CreateFullyConnectedOptions(b, Act::RELU).Union();
                       }));
  CheckOnGpu(model, {Ramp(12, 0.2f, -1.f)}, 1);
}

TEST_CASE("GPU ADD, SUB and MUL broadcast like the reference kernels", "[delegates][opencl]") {
  const Op op = GENERATE(Op::ADD, Op::SUB, Op::MUL);
  OneOp m({1, 3, 4, 2});
  const int c =
      m.b.AddConstTensor<float>(0, "c", ls::DataType::kFloat32, {4, 1}, {0.5f, -1.f, 2.f, 3.f});
  auto model = m.Build(op, {c}, {1, 3, 4, 2});
  CheckOnGpu(model, {Ramp(24, 0.3f, -2.f)}, 1);
}

TEST_CASE("GPU pooling matches the reference kernels", "[delegates][opencl]") {
  const Op op = GENERATE(Op::AVERAGE_POOL_2D, Op::MAX_POOL_2D);
  const sc::Padding padding = GENERATE(sc::Padding::SAME, sc::Padding::VALID);
  OneOp m({1, 7, 7, 3});
  const int o = padding == sc::Padding::SAME ? 4 : 3;
  auto model = m.Build(op, {}, {1, o, o, 3}, Options(sc::BuiltinOptions::Pool2DOptions, [=](FB& b) {
                         return sc::CreatePool2DOptions(b, padding, 2, 2, 3, 3).Union();
                       }));
  CheckOnGpu(model, {Ramp(147, 0.3f, -2.f)}, 1);
}

TEST_CASE("GPU unary ops match the reference kernels", "[delegates][opencl]") {
  const Op op = GENERATE(Op::LOGISTIC, Op::RELU, Op::RELU6, Op::HARD_SWISH, Op::TANH);
  OneOp m({2, 3, 5});
  auto model = m.Build(op, {}, {2, 3, 5});
  CheckOnGpu(model, {Ramp(30, 0.7f, -8.f)}, 1);
}

TEST_CASE("GPU SOFTMAX, RESHAPE, MEAN and PAD match the reference kernels", "[delegates][opencl]") {
  SECTION("SOFTMAX") {
    OneOp m({3, 7});
    auto model = m.Build(Op::SOFTMAX, {}, {3, 7},
                         Options(sc::BuiltinOptions::SoftmaxOptions,
                                 [](FB& b) { return sc::CreateSoftmaxOptions(b, 0.5f).Union(); }));
    CheckOnGpu(model, {Ramp(21, 0.9f, -5.f)}, 1);
  }
  SECTION("RESHAPE") {
    OneOp m({2, 6});
    const int shape = m.b.AddConstTensor<int32_t>(0, "s", ls::DataType::kInt32, {2}, {3, 4});
    auto model = m.Build(Op::RESHAPE, {shape}, {3, 4});
    CheckOnGpu(model, {Ramp(12, 1.f, 0.f)}, 1);
  }
  SECTION("MEAN over H and W") {
    const bool keep = GENERATE(true, false);
    OneOp m({1, 4, 5, 3});
    const int axes = m.b.AddConstTensor<int32_t>(0, "a", ls::DataType::kInt32, {2}, {1, 2});
    auto model = m.Build(Op::MEAN, {axes},
                         keep ? std::vector<int32_t>{1, 1, 1, 3} : std::vector<int32_t>{1, 3},
                         Options(sc::BuiltinOptions::ReducerOptions,
                                 [=](FB& b) { return sc::CreateReducerOptions(b, keep).Union(); }));
    CheckOnGpu(model, {Ramp(60, 0.3f, -1.f)}, 1);
  }
  SECTION("PAD") {
    OneOp m({1, 3, 3, 2});
    const int pads =
        m.b.AddConstTensor<int32_t>(0, "p", ls::DataType::kInt32, {4, 2}, {0, 0, 1, 2, 0, 1, 1, 0});
    auto model = m.Build(Op::PAD, {pads}, {1, 6, 4, 3});
    CheckOnGpu(model, {Ramp(18, 0.5f, -1.f)}, 1);
  }
}

TEST_CASE("GPU CONCATENATION of a run-time and a constant input matches the reference",
          "[delegates][opencl]") {
  OneOp m({2, 3, 2});
  const int c =
      m.b.AddConstTensor<float>(0, "c", ls::DataType::kFloat32, {2, 1, 2}, {9.f, 8.f, 7.f, 6.f});
  auto model = m.Build(Op::CONCATENATION, {c}, {2, 4, 2},
                       Options(sc::BuiltinOptions::ConcatenationOptions, [](FB& b) {
                         return sc::CreateConcatenationOptions(b, 1, Act::RELU).Union();
                       }));
  CheckOnGpu(model, {Ramp(12, 0.5f, -2.f)}, 1);
}

TEST_CASE("GPU folds DEQUANTIZE of FLOAT16 weights into its CONV_2D", "[delegates][opencl]") {
  OneOp m({1, 5, 5, 2});
  const int w16 = m.b.AddFloat16ConstTensor(0, "w16", {3, 1, 1, 2}, Ramp(6, 0.25f, -1.f));
  const int w = m.b.AddTensor(0, "w", ls::DataType::kFloat32, {3, 1, 1, 2});
  m.b.AddOperator(0, Op::DEQUANTIZE, {w16}, {w});
  auto model = m.Build(Op::CONV_2D, {w, -1}, {1, 5, 5, 3},
                       Options(sc::BuiltinOptions::Conv2DOptions, [](FB& b) {
                         return sc::CreateConv2DOptions(b, sc::Padding::VALID, 1, 1).Union();
                       }));
  CheckOnGpu(model, {Ramp(50, 0.1f, -1.f)}, 2);
}

TEST_CASE("GPU checker refuses integer tensors and non-constant weights with reasons",
          "[delegates][opencl]") {
  ls::ModelBuilder b;
  const int in = b.AddTensor(0, "in", ls::DataType::kInt32, {1, 4});
  const int out = b.AddTensor(0, "out", ls::DataType::kInt32, {1, 4});
  b.AddOperator(0, Op::ADD, {in, in}, {out});
  const int x = b.AddTensor(0, "x", ls::DataType::kFloat32, {1, 3, 3, 2});
  const int w = b.AddTensor(0, "w", ls::DataType::kFloat32, {2, 1, 1, 2});
  const int y = b.AddTensor(0, "y", ls::DataType::kFloat32, {1, 3, 3, 2});
  b.AddOperator(0, Op::CONV_2D, {x, w, -1}, {y},
                Options(sc::BuiltinOptions::Conv2DOptions, [](FB& fb) {
                  return sc::CreateConv2DOptions(fb, sc::Padding::VALID, 1, 1).Union();
                }));
  b.SetInputs(0, {in, x, w});
  b.SetOutputs(0, {out, y});
  Runner r(Finish(b), nullptr);
  ld::OpenclSupport check;
  const ls::SupportResult add = check.Check(r.graph(), r.graph().nodes()[0]);
  CHECK(add.code == ls::SupportCode::kInputType);
  CHECK(add.message.find("node 0 (ADD): input tensor 0 is INT32") == 0);
  const ls::SupportResult conv = check.Check(r.graph(), r.graph().nodes()[1]);
  CHECK(conv.code == ls::SupportCode::kNonConstantWeights);
  CHECK(conv.message.find("filter tensor 3 is not a constant") != std::string::npos);
}

namespace {

class DeviceHooks : public ls::ProfilingHooks {
 public:
  uint32_t Begin(ls::EventKind, const char*, int, int) override { return 0; }
  void End(uint32_t) override {}
  void Record(const ls::RecordedEvent& e) override { events.push_back(e); }
  std::vector<ls::RecordedEvent> events;
};

}  // namespace

TEST_CASE("GPU reports one device event per node and its copies", "[delegates][opencl]") {
  std::unique_ptr<ls::Delegate> gpu = MakeGpu();
  if (!gpu) return;
  ls::ModelBuilder b;
  const int in = b.AddTensor(0, "in", ls::DataType::kFloat32, {1, 8});
  const int mid = b.AddTensor(0, "mid", ls::DataType::kFloat32, {1, 8});
  const int out = b.AddTensor(0, "out", ls::DataType::kFloat32, {1, 8});
  b.AddOperator(0, Op::RELU, {in}, {mid});
  b.AddOperator(0, Op::LOGISTIC, {mid}, {out});
  b.SetInputs(0, {in});
  b.SetOutputs(0, {out});
  DeviceHooks hooks;
  Runner r(Finish(b), gpu.get(), &hooks);
  r.Run({Ramp(8, 1.f, -4.f)});
  std::vector<int> device_nodes;
  int copies = 0;
  for (const ls::RecordedEvent& e : hooks.events) {
    CHECK(e.clock == ls::EventClock::kDevice);
    CHECK(e.duration_ns >= 0);
    if (e.kind == ls::EventKind::kDeviceOp) device_nodes.push_back(e.node);
    if (e.kind == ls::EventKind::kCopy) ++copies;
  }
  CHECK(device_nodes == std::vector<int>{0, 1});
  CHECK(copies == 2);  // the input in, the output back; `mid` never leaves the device
  CHECK(r.graph().tensors()[static_cast<size_t>(mid)].data == nullptr);
}

TEST_CASE("GPU folds a FLOAT16 DEQUANTIZE that a CPU node reads", "[delegates][opencl]") {
  // DEQUANTIZE runs on the GPU alone (its own partition); MAXIMUM has no GPU kernel and reads
  // the folded weights on the CPU, which must see the values, not an empty buffer.
  OneOp m({1, 4});
  const int c16 = m.b.AddFloat16ConstTensor(0, "c16", {1, 4}, {0.5f, -1.f, 2.f, 3.f});
  const int c = m.b.AddTensor(0, "c", ls::DataType::kFloat32, {1, 4});
  m.b.AddOperator(0, Op::DEQUANTIZE, {c16}, {c});
  auto model = m.Build(Op::MAXIMUM, {c}, {1, 4});
  CheckOnGpu(model, {{1.f, 1.f, 1.f, 1.f}}, 1);
}
