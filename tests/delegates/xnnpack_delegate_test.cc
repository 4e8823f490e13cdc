#include "delegates/xnnpack/xnnpack_delegate.h"

#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "delegates/placement_summary.h"
#include "runtime/interpreter.h"
#include "runtime/model_builder.h"
#include "runtime/op_registry.h"
#include "runtime/profiling_hooks.h"
#include "runtime/subgraph.h"

namespace ls = litescope::runtime;
namespace ld = litescope::delegates;
namespace sc = litescope::schema;

namespace {

using Act = sc::ActivationFunctionType;

std::vector<float> Ramp(size_t n, float step, float offset) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = offset + step * static_cast<float>((i * 7) % 23);
  return v;
}

std::shared_ptr<const ls::Model> Finish(const ls::ModelBuilder& b) {
  std::vector<uint8_t> bytes = b.Finish();
  auto model = ls::Model::FromBufferCopy(bytes.data(), bytes.size(), "xnnpack_test");
  REQUIRE(model.ok());
  return *model;
}

ls::OptionsFn ConvOptions(sc::Padding padding, int stride, Act act) {
  return [=](flatbuffers::FlatBufferBuilder& b) {
    return std::make_pair(sc::BuiltinOptions::Conv2DOptions,
                          sc::CreateConv2DOptions(b, padding, stride, stride, act).Union());
  };
}

ls::OptionsFn DepthwiseOptions(int multiplier) {
  return [=](flatbuffers::FlatBufferBuilder& b) {
    return std::make_pair(
        sc::BuiltinOptions::DepthwiseConv2DOptions,
        sc::CreateDepthwiseConv2DOptions(b, sc::Padding::SAME, 1, 1, multiplier, Act::RELU6)
            .Union());
  };
}

ls::OptionsFn MeanOptions(bool keep_dims) {
  return [=](flatbuffers::FlatBufferBuilder& b) {
    return std::make_pair(sc::BuiltinOptions::ReducerOptions,
                          sc::CreateReducerOptions(b, keep_dims).Union());
  };
}

ls::OptionsFn AddOptions() {
  return [](flatbuffers::FlatBufferBuilder& b) {
    return std::make_pair(sc::BuiltinOptions::AddOptions, sc::CreateAddOptions(b).Union());
  };
}

// An interpreter on the reference kernels, optionally with the XNNPACK delegate. The delegate is
// declared first so that it outlives the interpreter.
struct Runner {
  std::unique_ptr<ld::XnnpackDelegate> delegate;
  std::unique_ptr<ls::Interpreter> interp;

  Runner(std::shared_ptr<const ls::Model> model, bool xnnpack, int threads = 1) {
    ls::InterpreterOptions io;
    io.num_threads = threads;
    if (xnnpack) {
      ld::XnnpackOptions xo;
      xo.num_threads = threads;
      auto d = ld::XnnpackDelegate::Create(xo);
      REQUIRE(d.ok());
      delegate = std::move(d.value());
    }
    auto i = ls::Interpreter::Create(std::move(model), ls::OpRegistry::WithBuiltins(), io);
    REQUIRE(i.ok());
    interp = std::move(i.value());
    if (delegate) REQUIRE(interp->ApplyDelegate(*delegate).ok());
  }
  ls::Subgraph& graph() { return interp->primary(); }
  // Allocates, fills every float input with `inputs[i]`, invokes and returns output `j`.
  std::vector<float> Run(const std::vector<std::vector<float>>& inputs, int j = 0) {
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
    const ls::Tensor* out = interp->output(j);
    return std::vector<float>(out->data_as<float>(), out->data_as<float>() + out->elements());
  }
};

void RequireClose(const std::vector<float>& got, const std::vector<float>& want) {
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    INFO("element " << i);
    CHECK(got[i] == Approx(want[i]).margin(1e-4).epsilon(1e-4));
  }
}

// in [1,8,8,3] -> CONV_2D(RELU) -> TANH -> DEPTHWISE_CONV_2D(RELU6) -> ADD(const) -> MEAN[1,2].
// TANH is not in Debian's XNNPACK snapshot, so XNNPACK gets {0} and {2, 3, 4}.
struct SplitModel {
  std::shared_ptr<const ls::Model> model;
  int conv_out = -1, tanh_out = -1, dw_out = -1, add_out = -1;
};

SplitModel BuildSplitModel() {
  ls::ModelBuilder b;
  SplitModel m;
  const int in = b.AddTensor(0, "in", ls::DataType::kFloat32, {1, 8, 8, 3});
  const int w = b.AddConstTensor<float>(0, "w", ls::DataType::kFloat32, {4, 3, 3, 3},
                                        Ramp(4 * 27, 0.02f, -0.2f));
  const int bias =
      b.AddConstTensor<float>(0, "b", ls::DataType::kFloat32, {4}, {0.1f, -0.2f, 0.05f, 0.f});
  m.conv_out = b.AddTensor(0, "conv", ls::DataType::kFloat32, {1, 8, 8, 4});
  b.AddOperator(0, sc::BuiltinOperator::CONV_2D, {in, w, bias}, {m.conv_out},
                ConvOptions(sc::Padding::SAME, 1, Act::RELU));
  m.tanh_out = b.AddTensor(0, "tanh", ls::DataType::kFloat32, {1, 8, 8, 4});
  b.AddOperator(0, sc::BuiltinOperator::TANH, {m.conv_out}, {m.tanh_out});
  const int dw_w = b.AddConstTensor<float>(0, "dw_w", ls::DataType::kFloat32, {1, 3, 3, 4},
                                           Ramp(36, 0.05f, -0.4f));
  const int dw_b =
      b.AddConstTensor<float>(0, "dw_b", ls::DataType::kFloat32, {4}, {0.f, 0.1f, 0.2f, 0.3f});
  m.dw_out = b.AddTensor(0, "dw", ls::DataType::kFloat32, {1, 8, 8, 4});
  b.AddOperator(0, sc::BuiltinOperator::DEPTHWISE_CONV_2D, {m.tanh_out, dw_w, dw_b}, {m.dw_out},
                DepthwiseOptions(1));
  const int c =
      b.AddConstTensor<float>(0, "c", ls::DataType::kFloat32, {4}, {1.f, -1.f, 0.5f, 2.f});
  m.add_out = b.AddTensor(0, "add", ls::DataType::kFloat32, {1, 8, 8, 4});
  b.AddOperator(0, sc::BuiltinOperator::ADD, {m.dw_out, c}, {m.add_out}, AddOptions());
  const int axes = b.AddConstTensor<int32_t>(0, "axes", ls::DataType::kInt32, {2}, {1, 2});
  const int out = b.AddTensor(0, "out", ls::DataType::kFloat32, {1, 4});
  b.AddOperator(0, sc::BuiltinOperator::MEAN, {m.add_out, axes}, {out}, MeanOptions(false));
  b.SetInputs(0, {in});
  b.SetOutputs(0, {out});
  m.model = Finish(b);
  return m;
}

class RecordingHooks : public ls::ProfilingHooks {
 public:
  struct Event {
    ls::EventKind kind;
    int node;
  };
  uint32_t Begin(ls::EventKind kind, const char*, int, int node) override {
    events.push_back({kind, node});
    return static_cast<uint32_t>(events.size() - 1);
  }
  void End(uint32_t) override {}
  std::vector<Event> events;
};

}  // namespace

TEST_CASE("XnnpackDelegate splits around an unsupported op and matches the reference",
          "[delegates][xnnpack]") {
  SplitModel m = BuildSplitModel();
  const std::vector<float> input = Ramp(8 * 8 * 3, 0.1f, -1.f);
  Runner ref(m.model, false);
  Runner xnn(m.model, true);
  const auto& parts = xnn.graph().partitions();
  REQUIRE(parts.size() == 2);
  CHECK(parts[0].nodes == std::vector<int>{0});
  CHECK(parts[1].nodes == std::vector<int>{2, 3, 4});
  const auto& placement = xnn.graph().placement();
  CHECK(placement[1].backend == "cpu");
  CHECK(placement[1].code == ls::SupportCode::kUnsupportedOp);
  CHECK(placement[1].reason.rfind("XNNPACK: node 1 (TANH): ", 0) == 0);
  CHECK(placement[3].backend == "XNNPACK");
  CHECK(placement[3].partition == 1);

  RequireClose(xnn.Run({input}), ref.Run({input}));
  // The boundary tensors live in the arena; the ones inside partition 1 are XNNPACK's.
  CHECK(xnn.graph().tensors()[static_cast<size_t>(m.conv_out)].data != nullptr);
  CHECK(xnn.graph().tensors()[static_cast<size_t>(m.tanh_out)].data != nullptr);
  CHECK(xnn.graph().tensors()[static_cast<size_t>(m.dw_out)].data == nullptr);
  CHECK(xnn.graph().tensors()[static_cast<size_t>(m.add_out)].data == nullptr);
  // Their shapes are still recorded.
  CHECK(xnn.graph().tensors()[static_cast<size_t>(m.add_out)].shape == ls::Shape({1, 8, 8, 4}));

  SECTION("a second invoke with new input data reuses the runtime") {
    const std::vector<float> other = Ramp(8 * 8 * 3, -0.07f, 0.5f);
    RequireClose(xnn.Run({other}), ref.Run({other}));
  }
  SECTION("a resized input rebuilds the partitions") {
    const std::vector<float> two = Ramp(2 * 8 * 8 * 3, 0.03f, -0.3f);
    REQUIRE(ref.interp->ResizeInput(0, {2, 8, 8, 3}).ok());
    REQUIRE(xnn.interp->ResizeInput(0, {2, 8, 8, 3}).ok());
    const std::vector<float> got = xnn.Run({two});
    CHECK(got.size() == 8);
    RequireClose(got, ref.Run({two}));
  }
  SECTION("the placement summary speaks TFLite's words and names the fallback") {
    const std::vector<std::string> lines = ld::FormatPlacementSummary(*xnn.interp, "XNNPACK");
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] ==
          "Replacing 4 out of 5 node(s) with delegate (XNNPACK), yielding 2 "
          "partitions for the whole graph.");
    CHECK(lines[1] == "1 node(s) fell back to the CPU:");
    CHECK(lines[2].rfind("  TANH x1 (unsupported_op): XNNPACK: node 1 (TANH): ", 0) == 0);
    CHECK(ld::FormatFallbackNodes(*xnn.interp).size() == 1);
  }
}

TEST_CASE("XnnpackDelegate reports each delegated node when profiling", "[delegates][xnnpack]") {
  SplitModel m = BuildSplitModel();
  const std::vector<float> input = Ramp(8 * 8 * 3, 0.1f, -1.f);
  Runner ref(m.model, false);
  Runner xnn(m.model, true);
  RecordingHooks hooks;
  xnn.interp->SetProfilingHooks(&hooks);
  const std::vector<float> got = xnn.Run({input});
  RequireClose(got, ref.Run({input}));
  std::vector<int> delegate_ops, invokes;
  for (const auto& e : hooks.events) {
    if (e.kind == ls::EventKind::kDelegateOp) delegate_ops.push_back(e.node);
    if (e.kind == ls::EventKind::kInvoke) invokes.push_back(e.node);
  }
  CHECK(delegate_ops == std::vector<int>{0, 2, 3, 4});
  CHECK(invokes == std::vector<int>{-1, 1, -2});  // partition 0, TANH, partition 1

  SECTION("removing the hooks goes back to the fused runtime") {
    xnn.interp->SetProfilingHooks(nullptr);
    hooks.events.clear();
    RequireClose(xnn.Run({input}), got);
    CHECK(hooks.events.empty());
  }
}

TEST_CASE("XnnpackDelegate shares one thread pool across partitions", "[delegates][xnnpack]") {
  SplitModel m = BuildSplitModel();
  const std::vector<float> input = Ramp(8 * 8 * 3, 0.1f, -1.f);
  Runner ref(m.model, false);
  Runner xnn(m.model, true, /*threads=*/2);
  REQUIRE(xnn.delegate->threadpool() != nullptr);
  RequireClose(xnn.Run({input}), ref.Run({input}));
}

TEST_CASE("XnnpackDelegate runs float32 graphs in fp16 with force_fp16", "[delegates][xnnpack]") {
  SplitModel m = BuildSplitModel();
  const std::vector<float> input = Ramp(8 * 8 * 3, 0.1f, -1.f);
  Runner ref(m.model, false);
  const std::vector<float> want = ref.Run({input});
  ld::XnnpackOptions xo;
  xo.force_fp16 = true;
  auto d = ld::XnnpackDelegate::Create(xo);
  REQUIRE(d.ok());
  auto interp = ls::Interpreter::Create(m.model, ls::OpRegistry::WithBuiltins());
  REQUIRE(interp.ok());
  REQUIRE((*interp)->ApplyDelegate(**d).ok());
  std::string fallback;
  for (const std::string& line : ld::FormatFallbackNodes(**interp)) fallback += line + "\n";
  INFO(fallback);
  // TANH has no XNNPACK node; ADD with a constant operand has no fp16 path in this snapshot.
  REQUIRE((*interp)->primary().partitions().size() == 3);
  CHECK((*interp)->primary().partitions()[1].nodes == std::vector<int>{2});
  CHECK((*interp)->primary().partitions()[2].nodes == std::vector<int>{4});
  CHECK((*interp)->primary().placement()[3].code == ls::SupportCode::kNonConstantWeights);
  REQUIRE((*interp)->AllocateTensors().ok());
  std::memcpy((*interp)->input(0)->data, input.data(), input.size() * sizeof(float));
  REQUIRE((*interp)->Invoke().ok());
  const float* got = (*interp)->output(0)->data_as<float>();
  for (size_t i = 0; i < want.size(); ++i)
    CHECK(got[i] == Approx(want[i]).margin(2e-2).epsilon(1e-2));

  SECTION("ops without an fp16 path stay on the CPU with the reason") {
    ls::ModelBuilder b;
    const int in = b.AddTensor(0, "in", ls::DataType::kFloat32, {1, 4});
    const int out = b.AddTensor(0, "out", ls::DataType::kFloat32, {1, 4});
    b.AddOperator(0, sc::BuiltinOperator::HARD_SWISH, {in}, {out});
    auto i2 = ls::Interpreter::Create(Finish(b), ls::OpRegistry::WithBuiltins());
    REQUIRE(i2.ok());
    ls::Subgraph& sg = (*i2)->primary();
    const ls::SupportResult r = (*d)->CheckNode(sg, sg.nodes()[0]);
    CHECK(r.code == ls::SupportCode::kUnsupportedOp);
    CHECK(r.message.find("no fp16 path") != std::string::npos);
  }
}

TEST_CASE("XnnpackDelegate folds DEQUANTIZE of FLOAT16 weights into fp32", "[delegates][xnnpack]") {
  ls::ModelBuilder b;
  const int in = b.AddTensor(0, "in", ls::DataType::kFloat32, {1, 5, 5, 2});
  const int w16 = b.AddFloat16ConstTensor(0, "w16", {3, 3, 3, 2}, Ramp(54, 0.013f, -0.15f));
  const int w = b.AddTensor(0, "w", ls::DataType::kFloat32, {3, 3, 3, 2});
  b.AddOperator(0, sc::BuiltinOperator::DEQUANTIZE, {w16}, {w});
  const int bias = b.AddConstTensor<float>(0, "b", ls::DataType::kFloat32, {3}, {0.f, 1.f, 2.f});
  const int out = b.AddTensor(0, "out", ls::DataType::kFloat32, {1, 3, 3, 3});
  b.AddOperator(0, sc::BuiltinOperator::CONV_2D, {in, w, bias}, {out},
                ConvOptions(sc::Padding::VALID, 1, Act::NONE));
  b.SetInputs(0, {in});
  const std::vector<float> input = Ramp(50, 0.09f, -0.8f);

  SECTION("weights only feed XNNPACK nodes: one partition, nothing copied") {
    b.SetOutputs(0, {out});
    auto model = Finish(b);
    Runner ref(model, false);
    Runner xnn(model, true);
    REQUIRE(xnn.graph().partitions().size() == 1);
    CHECK(xnn.graph().partitions()[0].nodes == std::vector<int>{0, 1});
    RequireClose(xnn.Run({input}), ref.Run({input}));
    CHECK(xnn.graph().tensors()[static_cast<size_t>(w)].data == nullptr);
  }
  SECTION("the dequantized weights are also a model output: written from the fp32 copy") {
    b.SetOutputs(0, {out, w});
    auto model = Finish(b);
    Runner ref(model, false);
    Runner xnn(model, true);
    RequireClose(xnn.Run({input}, 0), ref.Run({input}, 0));
    RequireClose(xnn.Run({input}, 1), ref.Run({input}, 1));
  }
}

TEST_CASE("XnnpackDelegate says why it rejects a node", "[delegates][xnnpack]") {
  auto delegate = ld::XnnpackDelegate::Create();
  REQUIRE(delegate.ok());
  // Checks node `node` of a model; the interpreter only needs building, not allocating.
  auto check = [&](const ls::ModelBuilder& b, int node) {
    auto interp = ls::Interpreter::Create(Finish(b), ls::OpRegistry::WithBuiltins());
    REQUIRE(interp.ok());
    ls::Subgraph& sg = (*interp)->primary();
    return (*delegate)->CheckNode(sg, sg.nodes()[static_cast<size_t>(node)]);
  };
  ls::ModelBuilder b;
  const int in = b.AddTensor(0, "in", ls::DataType::kFloat32, {1, 4, 4, 2});

  SECTION("MEAN with a run-time axis tensor") {
    const int axes = b.AddTensor(0, "axes", ls::DataType::kInt32, {2});
    const int out = b.AddTensor(0, "out", ls::DataType::kFloat32, {1, 2});
    b.AddOperator(0, sc::BuiltinOperator::MEAN, {in, axes}, {out}, MeanOptions(false));
    b.SetInputs(0, {in, axes});
    b.SetOutputs(0, {out});
    const ls::SupportResult r = check(b, 0);
    CHECK(r.code == ls::SupportCode::kNonConstantWeights);
    CHECK(r.message == "XNNPACK: node 0 (MEAN): axis tensor is dynamic");
  }
  SECTION("CONV_2D with run-time weights") {
    const int w = b.AddTensor(0, "w", ls::DataType::kFloat32, {2, 1, 1, 2});
    const int out = b.AddTensor(0, "out", ls::DataType::kFloat32, {1, 4, 4, 2});
    b.AddOperator(0, sc::BuiltinOperator::CONV_2D, {in, w, -1}, {out},
                  ConvOptions(sc::Padding::SAME, 1, Act::NONE));
    b.SetInputs(0, {in, w});
    const ls::SupportResult r = check(b, 0);
    CHECK(r.code == ls::SupportCode::kNonConstantWeights);
    CHECK(r.message == "XNNPACK: node 0 (CONV_2D): filter tensor 1 is not a constant");
  }
  SECTION("CONV_2D with a fused TANH") {
    const int w =
        b.AddConstTensor<float>(0, "w", ls::DataType::kFloat32, {2, 1, 1, 2}, {1.f, 0.f, 0.f, 1.f});
    const int out = b.AddTensor(0, "out", ls::DataType::kFloat32, {1, 4, 4, 2});
    b.AddOperator(0, sc::BuiltinOperator::CONV_2D, {in, w, -1}, {out},
                  ConvOptions(sc::Padding::SAME, 1, Act::TANH));
    const ls::SupportResult r = check(b, 0);
    CHECK(r.code == ls::SupportCode::kFusedActivation);
    CHECK(r.message.find("fused activation TANH") != std::string::npos);
  }
  SECTION("hybrid FULLY_CONNECTED (FLOAT32 activations, INT8 weights)") {
    ls::QuantParams q;
    q.scale = {0.1f};
    q.zero_point = {0};
    const int w = b.AddConstTensor<int8_t>(0, "w", ls::DataType::kInt8, {3, 32},
                                           std::vector<int8_t>(96, 1), q);
    const int out = b.AddTensor(0, "out", ls::DataType::kFloat32, {1, 3});
    b.AddOperator(0, sc::BuiltinOperator::FULLY_CONNECTED, {in, w, -1}, {out},
                  [](flatbuffers::FlatBufferBuilder& fb) {
                    return std::make_pair(sc::BuiltinOptions::FullyConnectedOptions,
                                          sc::CreateFullyConnectedOptions(fb).Union());
                  });
    const ls::SupportResult r = check(b, 0);
    CHECK(r.code == ls::SupportCode::kQuantization);
    CHECK(r.message.find("hybrid") != std::string::npos);
  }
  SECTION("SOFTMAX with beta other than 1") {
    const int out = b.AddTensor(0, "out", ls::DataType::kFloat32, {1, 4, 4, 2});
    b.AddOperator(0, sc::BuiltinOperator::SOFTMAX, {in}, {out},
                  [](flatbuffers::FlatBufferBuilder& fb) {
                    return std::make_pair(sc::BuiltinOptions::SoftmaxOptions,
                                          sc::CreateSoftmaxOptions(fb, 0.5f).Union());
                  });
    const ls::SupportResult r = check(b, 0);
    CHECK(r.code == ls::SupportCode::kAttribute);
    CHECK(r.message.find("beta is 0.5") != std::string::npos);
  }
  SECTION("an INT16 input") {
    ls::QuantParams q;
    q.scale = {0.01f};
    q.zero_point = {0};
    const int x = b.AddTensor(0, "x", ls::DataType::kInt16, {1, 4}, q);
    const int out = b.AddTensor(0, "out", ls::DataType::kInt16, {1, 4}, q);
    b.AddOperator(0, sc::BuiltinOperator::RELU, {x}, {out});
    const ls::SupportResult r = check(b, 0);
    CHECK(r.code == ls::SupportCode::kInputType);
    CHECK(r.message ==
          "XNNPACK: node 0 (RELU): input tensor 1 is INT16; XNNPACK takes FLOAT32, "
          "INT8 or UINT8 here");
  }
  SECTION("an op missing from the 2022 snapshot, and a custom op") {
    const int t = b.AddTensor(0, "t", ls::DataType::kFloat32, {1, 4, 4, 2});
    const int c = b.AddTensor(0, "c", ls::DataType::kFloat32, {1, 4, 4, 2});
    b.AddOperator(0, sc::BuiltinOperator::TANH, {in}, {t});
    b.AddCustomOperator(0, "MyOp", {t}, {c});
    CHECK(check(b, 0).code == ls::SupportCode::kUnsupportedOp);
    CHECK(check(b, 1).code == ls::SupportCode::kCustomOp);
  }
  SECTION("TRANSPOSE_CONV with a stride above its filter size") {  // found by fuzz_xnnpack
    // XNNPACK would build stride_h x stride_w sub-kernels (a crafted stride asked for 1.2 TB).
    auto tconv = [&](int k, int stride) {
      const int shape = b.AddConstTensor<int32_t>(0, "shape", ls::DataType::kInt32, {4},
                                                  {1, 4 * stride, 4 * stride, 2});
      const int w = b.AddConstTensor<float>(0, "w", ls::DataType::kFloat32, {2, k, k, 2},
                                            std::vector<float>(static_cast<size_t>(4 * k * k)));
      const int out = b.AddTensor(0, "out", ls::DataType::kFloat32, {1, 4 * stride, 4 * stride, 2});
      b.AddOperator(
          0, sc::BuiltinOperator::TRANSPOSE_CONV, {shape, w, in}, {out},
          [stride](flatbuffers::FlatBufferBuilder& fb) {
            return std::make_pair(
                sc::BuiltinOptions::TransposeConvOptions,
                sc::CreateTransposeConvOptions(fb, sc::Padding::SAME, stride, stride).Union());
          });
    };
    tconv(3, 2);
    tconv(1, 2);
    CHECK(check(b, 0).supported());
    const ls::SupportResult r = check(b, 1);
    CHECK(r.code == ls::SupportCode::kAttribute);
    CHECK(r.message == "XNNPACK: node 1 (TRANSPOSE_CONV): stride 2x2 exceeds the filter size 1x1");
  }
  SECTION("a node fed by a tensor whose shape is decided at run time") {
    const int shape = b.AddTensor(0, "shape", ls::DataType::kInt32, {4});
    const int r1 = b.AddTensor(0, "r1", ls::DataType::kFloat32, {1, 4, 4, 2});
    b.AddOperator(0, sc::BuiltinOperator::RESHAPE, {in, shape}, {r1});
    const int r2 = b.AddTensor(0, "r2", ls::DataType::kFloat32, {1, 4, 4, 2});
    b.AddOperator(0, sc::BuiltinOperator::ABS, {r1}, {r2});
    b.SetInputs(0, {in, shape});
    const ls::SupportResult r = check(b, 1);
    CHECK(r.code == ls::SupportCode::kDynamicShape);
    CHECK(r.message.find("depends on node 0 (RESHAPE)") != std::string::npos);
  }
}

TEST_CASE("XnnpackDelegate runs per-channel INT8 convolution and fully connected",
          "[delegates][xnnpack]") {
  ls::ModelBuilder b;
  auto quant = [](float scale, int64_t zp) {
    ls::QuantParams q;
    q.scale = {scale};
    q.zero_point = {zp};
    return q;
  };
  const int in = b.AddTensor(0, "in", ls::DataType::kInt8, {1, 6, 6, 3}, quant(0.05f, -3));
  ls::QuantParams wq;
  wq.scale = {0.01f, 0.02f, 0.015f, 0.03f};
  wq.zero_point = {0, 0, 0, 0};
  std::vector<int8_t> wv(4 * 27);
  for (size_t i = 0; i < wv.size(); ++i)
    wv[i] = static_cast<int8_t>(static_cast<int>(i * 37 % 255) - 127);
  const int w = b.AddConstTensor<int8_t>(0, "w", ls::DataType::kInt8, {4, 3, 3, 3}, wv, wq);
  ls::QuantParams bq;
  for (float s : wq.scale) bq.scale.push_back(s * 0.05f);
  bq.zero_point = {0, 0, 0, 0};
  const int bias =
      b.AddConstTensor<int32_t>(0, "b", ls::DataType::kInt32, {4}, {100, -200, 50, 0}, bq);
  const int conv = b.AddTensor(0, "conv", ls::DataType::kInt8, {1, 6, 6, 4}, quant(0.1f, 2));
  b.AddOperator(0, sc::BuiltinOperator::CONV_2D, {in, w, bias}, {conv},
                ConvOptions(sc::Padding::SAME, 1, Act::RELU), 3);
  const int shape = b.AddConstTensor<int32_t>(0, "shape", ls::DataType::kInt32, {2}, {1, 144});
  const int flat = b.AddTensor(0, "flat", ls::DataType::kInt8, {1, 144}, quant(0.1f, 2));
  b.AddOperator(0, sc::BuiltinOperator::RESHAPE, {conv, shape}, {flat});
  ls::QuantParams fq;
  fq.scale = {0.004f, 0.006f, 0.005f};
  fq.zero_point = {0, 0, 0};
  std::vector<int8_t> fv(3 * 144);
  for (size_t i = 0; i < fv.size(); ++i)
    fv[i] = static_cast<int8_t>(static_cast<int>(i * 53 % 251) - 125);
  const int fw = b.AddConstTensor<int8_t>(0, "fw", ls::DataType::kInt8, {3, 144}, fv, fq);
  const int out = b.AddTensor(0, "out", ls::DataType::kInt8, {1, 3}, quant(0.5f, -10));
  b.AddOperator(0, sc::BuiltinOperator::FULLY_CONNECTED, {flat, fw, -1}, {out},
                [](flatbuffers::FlatBufferBuilder& fb) {
                  return std::make_pair(sc::BuiltinOptions::FullyConnectedOptions,
                                        sc::CreateFullyConnectedOptions(fb).Union());
                });
  b.SetInputs(0, {in});
  b.SetOutputs(0, {out, conv});
  auto model = Finish(b);

  Runner xnn(model, true);
  REQUIRE(xnn.graph().partitions().size() == 1);
  CHECK(xnn.graph().partitions()[0].nodes.size() == 3);
  std::vector<int8_t> input(108);
  for (size_t i = 0; i < input.size(); ++i)
    input[i] = static_cast<int8_t>(static_cast<int>(i * 29 % 200) - 100);
  auto run = [&](ls::Interpreter& interp, std::vector<int8_t>* conv_out) {
    REQUIRE(interp.AllocateTensors().ok());
    std::memcpy(interp.input(0)->data, input.data(), input.size());
    REQUIRE(interp.Invoke().ok());
    const ls::Tensor* c = interp.output(1);
    conv_out->assign(c->data_as<int8_t>(), c->data_as<int8_t>() + c->elements());
    const ls::Tensor* o = interp.output(0);
    return std::vector<int8_t>(o->data_as<int8_t>(), o->data_as<int8_t>() + o->elements());
  };
  std::vector<int8_t> xconv;
  const std::vector<int8_t> xout = run(*xnn.interp, &xconv);

  Runner ref(model, false);
  if (!ref.interp->AllocateTensors().ok()) {
    WARN("SKIPPED: the reference INT8 CONV_2D/FULLY_CONNECTED kernels are not available yet");
    return;
  }
  std::vector<int8_t> rconv;
  const std::vector<int8_t> rout = run(*ref.interp, &rconv);
  REQUIRE(xconv.size() == rconv.size());
  for (size_t i = 0; i < xconv.size(); ++i) CHECK(std::abs(xconv[i] - rconv[i]) <= 1);
  for (size_t i = 0; i < xout.size(); ++i) CHECK(std::abs(xout[i] - rout[i]) <= 1);
}
