#include "fuzz/hostile_models.h"

#include <utility>

#include "runtime/model_builder.h"

namespace litescope::fuzz {
namespace {

using runtime::DataType;
using runtime::ModelBuilder;
using schema::BuiltinOperator;
using schema::BuiltinOptions;
namespace fb = flatbuffers;

runtime::OptionsFn WhileOptions(int cond, int body) {
  return [cond, body](fb::FlatBufferBuilder& b) {
    return std::make_pair(BuiltinOptions::WhileOptions,
                          schema::CreateWhileOptions(b, cond, body).Union());
  };
}

// x -> WHILE(cond = subgraph 1, body = `body`) -> y over int32 [1]. Subgraph 1 answers a
// constant true; subgraph 2 adds 0.
std::vector<uint8_t> WhileModel(int body) {
  ModelBuilder mb;
  const int x = mb.AddTensor(0, "x", DataType::kInt32, {1});
  const int y = mb.AddTensor(0, "y", DataType::kInt32, {1});
  mb.AddOperator(0, BuiltinOperator::WHILE, {x}, {y}, WhileOptions(1, body));
  mb.SetInputs(0, {x});
  mb.SetOutputs(0, {y});
  const int cond = mb.AddSubgraph("cond");
  const int c = mb.AddTensor(cond, "c", DataType::kInt32, {1});
  const int yes = mb.AddConstTensor<uint8_t>(cond, "true", DataType::kBool, {}, {1});
  mb.SetInputs(cond, {c});
  mb.SetOutputs(cond, {yes});
  const int sg = mb.AddSubgraph("body");
  const int v = mb.AddTensor(sg, "v", DataType::kInt32, {1});
  const int zero = mb.AddConstTensor<int32_t>(sg, "zero", DataType::kInt32, {1}, {0});
  const int next = mb.AddTensor(sg, "next", DataType::kInt32, {1});
  mb.AddOperator(sg, BuiltinOperator::ADD, {v, zero}, {next});
  mb.SetInputs(sg, {v});
  mb.SetOutputs(sg, {next});
  return mb.Finish();
}

// y = RELU(x) over float32 [1, side, side, 4]: 16 GiB for side 32768, 4 MiB for 512.
std::vector<uint8_t> ReluModel(int32_t side) {
  ModelBuilder mb;
  const int x = mb.AddTensor(0, "x", DataType::kFloat32, {1, side, side, 4});
  const int y = mb.AddTensor(0, "y", DataType::kFloat32, {1, side, side, 4});
  mb.AddOperator(0, BuiltinOperator::RELU, {x}, {y});
  mb.SetInputs(0, {x});
  mb.SetOutputs(0, {y});
  return mb.Finish();
}

std::vector<uint8_t> ZeroStrideConvModel() {
  ModelBuilder mb;
  const int x = mb.AddTensor(0, "x", DataType::kFloat32, {1, 4, 4, 1});
  const int w = mb.AddConstTensor<float>(0, "w", DataType::kFloat32, {1, 3, 3, 1},
                                         std::vector<float>(9, 1.0f));
  const int b = mb.AddConstTensor<float>(0, "b", DataType::kFloat32, {1}, {0.0f});
  const int y = mb.AddTensor(0, "y", DataType::kFloat32, {1, 2, 2, 1});
  mb.AddOperator(0, BuiltinOperator::CONV_2D, {x, w, b}, {y}, [](fb::FlatBufferBuilder& fbb) {
    return std::make_pair(BuiltinOptions::Conv2DOptions,
                          schema::CreateConv2DOptions(fbb, schema::Padding::VALID, 0, 0).Union());
  });
  mb.SetInputs(0, {x});
  mb.SetOutputs(0, {y});
  return mb.Finish();
}

std::vector<uint8_t> IntDivByZeroModel() {
  ModelBuilder mb;
  const int x = mb.AddTensor(0, "x", DataType::kInt32, {3});
  const int d = mb.AddConstTensor<int32_t>(0, "divisor", DataType::kInt32, {3}, {1, 0, 2});
  const int y = mb.AddTensor(0, "y", DataType::kInt32, {3});
  mb.AddOperator(0, BuiltinOperator::DIV, {x, d}, {y});
  mb.SetInputs(0, {x});
  mb.SetOutputs(0, {y});
  return mb.Finish();
}

}  // namespace

std::vector<HostileModel> HostileModels() {
  return {
      {"endless_while.tflite",
       WhileModel(2),
       {"--max_while_iterations", "500"},
       "loop still running after 500 iterations"},
      {"recursive_while.tflite", WhileModel(0), {}, "subgraph 0 is reached recursively"},
      {"huge_tensor.tflite", ReluModel(32768), {}, "2048 MiB limit"},
      {"big_tensor.tflite", ReluModel(512), {"--max_arena_mb", "2"}, "2 MiB limit"},
      {"zero_stride_conv.tflite", ZeroStrideConvModel(), {}, "node 0 (CONV_2D)"},
      {"int_div_by_zero.tflite", IntDivByZeroModel(), {}, "division by zero"},
  };
}

}  // namespace litescope::fuzz
