// The XNNPACK delegate has no int16 activations: every node of a "16x8" model must stay on the
// CPU with a reason, and the model must give the same bytes with the delegate applied.
#include <catch2/catch.hpp>

#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "delegates/xnnpack/xnnpack_delegate.h"
#include "runtime/interpreter.h"
#include "runtime/model.h"
#include "runtime/model_builder.h"
#include "runtime/op_registry.h"
#include "runtime/subgraph.h"

namespace {

namespace ls = litescope::runtime;
namespace ld = litescope::delegates;
namespace sc = litescope::schema;

ls::QuantParams Quant(std::vector<float> scales) {
  ls::QuantParams q;
  q.zero_point.assign(scales.size(), 0);
  q.scale = std::move(scales);
  return q;
}

// in float [1, 4, 4, 3] -> QUANTIZE (int16) -> CONV_2D 16x8 -> LOGISTIC -> FULLY_CONNECTED 16x8
// -> ADD (int16) -> MUL (int16) -> SOFTMAX (int16) -> TANH -> DEQUANTIZE -> out float [2, 4].
std::shared_ptr<const ls::Model> Build16x8Model() {
  ls::ModelBuilder b;
  const int in = b.AddTensor(0, "in", ls::DataType::kFloat32, {1, 4, 4, 3});
  const int q = b.AddTensor(0, "q", ls::DataType::kInt16, {1, 4, 4, 3}, Quant({1.f / 8192}));
  b.AddOperator(0, sc::BuiltinOperator::QUANTIZE, {in}, {q}, {}, 3);
  std::vector<int8_t> w(4 * 3 * 3 * 3);
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = static_cast<int8_t>(static_cast<int>(i * 37 % 255) - 127);
  const int cw = b.AddConstTensor<int8_t>(0, "cw", ls::DataType::kInt8, {4, 3, 3, 3}, w,
                                          Quant({0.01f, 0.02f, 0.015f, 0.005f}));
  const int cb = b.AddConstTensor<int64_t>(0, "cb", ls::DataType::kInt64, {4}, {100, -200, 0, 50});
  const int conv = b.AddTensor(0, "conv", ls::DataType::kInt16, {1, 4, 4, 4}, Quant({1.f / 4096}));
  b.AddOperator(
      0, sc::BuiltinOperator::CONV_2D, {q, cw, cb}, {conv},
      [](flatbuffers::FlatBufferBuilder& fb) {
        return std::make_pair(sc::BuiltinOptions::Conv2DOptions,
                              sc::CreateConv2DOptions(fb, sc::Padding::SAME, 1, 1).Union());
      },
      4);
  const int sig = b.AddTensor(0, "sig", ls::DataType::kInt16, {1, 4, 4, 4}, Quant({1.f / 32768}));
  b.AddOperator(0, sc::BuiltinOperator::LOGISTIC, {conv}, {sig}, {}, 3);
  std::vector<int8_t> fw(4 * 32);
  for (size_t i = 0; i < fw.size(); ++i)
    fw[i] = static_cast<int8_t>(static_cast<int>(i * 53 % 255) - 127);
  const int fcw =
      b.AddConstTensor<int8_t>(0, "fcw", ls::DataType::kInt8, {4, 32}, fw, Quant({0.02f}));
  const int fcb = b.AddConstTensor<int32_t>(0, "fcb", ls::DataType::kInt32, {4}, {10, 20, -30, 0});
  const int fc = b.AddTensor(0, "fc", ls::DataType::kInt16, {2, 4}, Quant({1.f / 1024}));
  b.AddOperator(
      0, sc::BuiltinOperator::FULLY_CONNECTED, {sig, fcw, fcb}, {fc},
      [](flatbuffers::FlatBufferBuilder& fb) {
        return std::make_pair(sc::BuiltinOptions::FullyConnectedOptions,
                              sc::CreateFullyConnectedOptions(fb).Union());
      },
      7);
  const int add = b.AddTensor(0, "add", ls::DataType::kInt16, {2, 4}, Quant({1.f / 700}));
  b.AddOperator(0, sc::BuiltinOperator::ADD, {fc, fc}, {add}, {}, 3);
  const int mul = b.AddTensor(0, "mul", ls::DataType::kInt16, {2, 4}, Quant({1.f / 300}));
  b.AddOperator(0, sc::BuiltinOperator::MUL, {add, fc}, {mul}, {}, 5);
  const int soft = b.AddTensor(0, "soft", ls::DataType::kInt16, {2, 4}, Quant({1.f / 32768}));
  b.AddOperator(
      0, sc::BuiltinOperator::SOFTMAX, {mul}, {soft},
      [](flatbuffers::FlatBufferBuilder& fb) {
        return std::make_pair(sc::BuiltinOptions::SoftmaxOptions,
                              sc::CreateSoftmaxOptions(fb, 1.f).Union());
      },
      3);
  const int th = b.AddTensor(0, "tanh", ls::DataType::kInt16, {2, 4}, Quant({1.f / 32768}));
  b.AddOperator(0, sc::BuiltinOperator::TANH, {soft}, {th}, {}, 3);
  const int out = b.AddTensor(0, "out", ls::DataType::kFloat32, {2, 4});
  b.AddOperator(0, sc::BuiltinOperator::DEQUANTIZE, {th}, {out}, {}, 4);
  b.SetInputs(0, {in});
  b.SetOutputs(0, {out});
  const std::vector<uint8_t> bytes = b.Finish();
  auto model = ls::Model::FromBufferCopy(bytes.data(), bytes.size(), "int16_model");
  REQUIRE(model.ok());
  return *model;
}

std::vector<float> Run(ls::Interpreter& interp) {
  const litescope::Status alloc = interp.AllocateTensors();
  INFO(alloc.message());
  REQUIRE(alloc.ok());
  ls::Tensor* in = interp.input(0);
  for (int64_t i = 0; i < in->elements(); ++i)
    in->data_as<float>()[i] = static_cast<float>((i * 29) % 41) / 10.f - 2.f;
  const litescope::Status run = interp.Invoke();
  INFO(run.message());
  REQUIRE(run.ok());
  const ls::Tensor* out = interp.output(0);
  return std::vector<float>(out->data_as<float>(), out->data_as<float>() + out->elements());
}

}  // namespace

TEST_CASE("XnnpackDelegate leaves every node of a 16x8 model on the CPU with a reason",
          "[delegates][xnnpack][int16]") {
  const std::shared_ptr<const ls::Model> model = Build16x8Model();
  auto reference = ls::Interpreter::Create(model, ls::OpRegistry::WithBuiltins());
  REQUIRE(reference.ok());
  const std::vector<float> want = Run(**reference);

  auto delegate = ld::XnnpackDelegate::Create();
  REQUIRE(delegate.ok());
  auto interp = ls::Interpreter::Create(model, ls::OpRegistry::WithBuiltins());
  REQUIRE(interp.ok());
  ls::Subgraph& sg = (*interp)->primary();
  for (size_t i = 0; i < sg.nodes().size(); ++i) {
    const ls::SupportResult r = (*delegate)->CheckNode(sg, sg.nodes()[i]);
    INFO("node " << i << ": " << r.message);
    CHECK_FALSE(r.supported());
    CHECK((r.code == ls::SupportCode::kInputType || r.code == ls::SupportCode::kOutputType ||
           r.code == ls::SupportCode::kUnsupportedOp));
    CHECK(r.message.rfind("XNNPACK: node " + std::to_string(i) + " (", 0) == 0);
  }
  REQUIRE((*interp)->ApplyDelegate(**delegate).ok());
  CHECK(sg.partitions().empty());
  CHECK(Run(**interp) == want);
}
