#include "tests/runtime/kernels/kernel_runner.h"

#include <catch2/catch.hpp>

#include <utility>
#include <vector>

#include <flatbuffers/flatbuffers.h>

#include "runtime/op_params.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "tests/runtime/kernels/single_op_model.h"

// Kernels read parsed parameters (runtime/op_params.h): a parse error reaches Prepare, and a
// node built by hand, with no model, runs.
namespace {

namespace fb = flatbuffers;
namespace schema = litescope::schema;
using litescope::runtime::Conv2DParams;
using litescope::runtime::DataType;
using litescope::runtime::FusedActivation;
using litescope::runtime::Node;
using litescope::runtime::Padding;

TEST_CASE("A CONV_2D node with an undefined padding fails at AllocateTensors",
          "[runtime][op_params]") {
  litescope::testing::SingleOpModel m(schema::BuiltinOperator::CONV_2D);
  m.AddInput(DataType::kFloat32, {1, 3, 3, 1});
  m.AddConstInput<float>(DataType::kFloat32, {1, 1, 1, 1}, {2.f});
  m.AddOutput(DataType::kFloat32, {1, 3, 3, 1});
  m.SetOptions([](fb::FlatBufferBuilder& b) {
    return std::make_pair(
        schema::BuiltinOptions::Conv2DOptions,
        schema::CreateConv2DOptions(b, static_cast<schema::Padding>(4), 1, 1).Union());
  });
  const litescope::Status s = m.Build();
  CHECK(s.message() == "node 0 (CONV_2D): padding 4 is not SAME or VALID");
}

TEST_CASE("CONV_2D runs on a hand-built node with parsed parameters and no model",
          "[runtime][op_params]") {
  litescope::testing::KernelRunner r;
  REQUIRE(r.ok());
  // 3x3 input, 2x2 filter of ones, SAME padding, stride 1: each output sums a 2x2 window
  // (clipped at the bottom and right), plus a bias of 1, then RELU6.
  const int in = r.AddTensor<float>(DataType::kFloat32, {1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9},
                                    /*constant=*/false);
  const int filter = r.AddTensor<float>(DataType::kFloat32, {1, 2, 2, 1}, {1, 1, 1, 1});
  const int bias = r.AddTensor<float>(DataType::kFloat32, {1}, {-10.f});
  const int out = r.AddTensor(DataType::kFloat32, {1, 3, 3, 1});
  Node node = r.MakeNode(schema::BuiltinOperator::CONV_2D, "CONV_2D", {in, filter, bias}, {out});
  REQUIRE(node.kernel != nullptr);
  Conv2DParams p;
  p.padding = Padding::kSame;
  p.activation = FusedActivation::kRelu6;
  node.params = p;
  REQUIRE(r.Prepare(node).ok());
  REQUIRE(r.Eval(node).ok());
  // Windows: 12 16 9 / 24 28 15 / 15 17 9, minus 10, clamped to [0, 6].
  CHECK(r.Values<float>(out) == std::vector<float>{2, 6, 0, 6, 6, 5, 5, 6, 0});

  SECTION("without parameters Prepare names the node") {
    Node bare = r.MakeNode(schema::BuiltinOperator::CONV_2D, "CONV_2D", {in, filter}, {out});
    CHECK(r.Prepare(bare).message() == "node 0 (CONV_2D): has no parsed parameters");
  }
}

TEST_CASE("TRANSPOSE_CONV applies one size guard to its float and int8 variants",
          "[runtime][op_params]") {
  for (DataType type : {DataType::kFloat32, DataType::kInt8}) {
    INFO(litescope::runtime::DataTypeName(type));
    litescope::testing::KernelRunner r;
    REQUIRE(r.ok());
    const int shape = r.AddTensor<int32_t>(DataType::kInt32, {4}, {1, 256, 256, 32768});
    // KH * KW * OC = 2^31 columns; the tensors need no data for Prepare to refuse them.
    const int filter = r.AddTensor(type, {32768, 256, 256, 1});
    const int in = r.AddTensor(type, {1, 1, 1, 1});
    const int out = r.AddTensor(type, {1, 256, 256, 32768});
    Node node = r.MakeNode(schema::BuiltinOperator::TRANSPOSE_CONV, "TRANSPOSE_CONV",
                           {shape, filter, in}, {out});
    node.params = litescope::runtime::TransposeConvParams{};
    CHECK(r.Prepare(node).message() ==
          "node 0 (TRANSPOSE_CONV): input [1, 1, 1, 1] with filter [32768, 256, 256, 1] is too "
          "large");
  }
}

}  // namespace
