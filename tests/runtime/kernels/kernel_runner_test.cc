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

TEST_CASE("ADD runs on a hand-built node with a fused RELU and no model", "[runtime][op_params]") {
  litescope::testing::KernelRunner r;
  REQUIRE(r.ok());
  const int a = r.AddTensor<float>(DataType::kFloat32, {4}, {-3, -1, 1, 3}, /*constant=*/false);
  const int b = r.AddTensor<float>(DataType::kFloat32, {4}, {1, 2, 3, -4});
  const int out = r.AddTensor(DataType::kFloat32, {4});
  Node node = r.MakeNode(schema::BuiltinOperator::ADD, "ADD", {a, b}, {out});
  REQUIRE(node.kernel != nullptr);
  litescope::runtime::ArithmeticParams p;
  p.activation = FusedActivation::kRelu;
  node.params = p;
  REQUIRE(r.Prepare(node).ok());
  REQUIRE(r.Eval(node).ok());
  CHECK(r.Values<float>(out) == std::vector<float>{0, 1, 4, 0});

  SECTION("without parameters Prepare names the node") {
    Node bare = r.MakeNode(schema::BuiltinOperator::ADD, "ADD", {a, b}, {out});
    CHECK(r.Prepare(bare).message() == "node 0 (ADD): has no parsed parameters");
  }
}

TEST_CASE("CONCATENATION and RESHAPE run on hand-built nodes", "[runtime][op_params]") {
  litescope::testing::KernelRunner r;
  REQUIRE(r.ok());
  const int x = r.AddTensor<float>(DataType::kFloat32, {2, 1}, {1, 2}, /*constant=*/false);
  const int y = r.AddTensor<float>(DataType::kFloat32, {2, 2}, {3, 4, 5, 6}, /*constant=*/false);
  const int cat = r.AddTensor(DataType::kFloat32, {2, 3});
  Node concat = r.MakeNode(schema::BuiltinOperator::CONCATENATION, "CONCATENATION", {x, y}, {cat});
  litescope::runtime::ConcatenationParams cp;
  cp.axis = -1;
  concat.params = cp;
  REQUIRE(r.Prepare(concat).ok());
  REQUIRE(r.Eval(concat).ok());
  CHECK(r.Values<float>(cat) == std::vector<float>{1, 3, 4, 2, 5, 6});

  const int flat = r.AddTensor(DataType::kFloat32, {6});
  Node reshape = r.MakeNode(schema::BuiltinOperator::RESHAPE, "RESHAPE", {cat}, {flat});
  litescope::runtime::ReshapeParams rp;
  rp.has_new_shape = true;
  rp.new_shape = {3, -1};
  reshape.params = rp;
  REQUIRE(r.Prepare(reshape).ok());
  CHECK(r.tensor(flat).shape == litescope::runtime::Shape({3, 2}));
}

TEST_CASE("BATCH_MATMUL and FULLY_CONNECTED name every type they serve", "[runtime][op_params]") {
  litescope::testing::KernelRunner r;
  REQUIRE(r.ok());
  const int lhs = r.AddTensor(DataType::kInt32, {2, 2});
  const int rhs = r.AddTensor(DataType::kInt32, {2, 2});
  const int out = r.AddTensor(DataType::kInt32, {2, 2});
  Node bmm = r.MakeNode(schema::BuiltinOperator::BATCH_MATMUL, "BATCH_MATMUL", {lhs, rhs}, {out});
  bmm.params = litescope::runtime::BatchMatMulParams{};
  CHECK_THAT(r.Prepare(bmm).message(), Catch::Matchers::EndsWith("expected FLOAT32 or INT8"));
  Node fc =
      r.MakeNode(schema::BuiltinOperator::FULLY_CONNECTED, "FULLY_CONNECTED", {lhs, rhs}, {out});
  fc.params = litescope::runtime::FullyConnectedParams{};
  CHECK_THAT(r.Prepare(fc).message(),
             Catch::Matchers::EndsWith("expected FLOAT32, INT8, UINT8 or INT16"));
}

}  // namespace
