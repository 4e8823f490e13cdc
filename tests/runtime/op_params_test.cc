#include "runtime/op_params.h"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <flatbuffers/flatbuffers.h>

#include "runtime/kernel_api.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace {

namespace fb = flatbuffers;
namespace schema = litescope::schema;
using litescope::Result;
using litescope::runtime::BatchMatMulParams;
using litescope::runtime::Conv2DParams;
using litescope::runtime::DataType;
using litescope::runtime::DepthwiseConv2DParams;
using litescope::runtime::FullyConnectedParams;
using litescope::runtime::FullyConnectedWeightsFormat;
using litescope::runtime::FusedActivation;
using litescope::runtime::Node;
using litescope::runtime::OpParams;
using litescope::runtime::Padding;
using litescope::runtime::ParseOpParams;
using litescope::runtime::Pool2DParams;
using litescope::runtime::TransposeConvParams;

// One serialized operator (a flatbuffer whose root is the Operator table) and a node over it.
struct OperatorFixture {
  std::vector<uint8_t> bytes;
  Node node;
};

template <typename MakeOptions>
OperatorFixture MakeOperator(schema::BuiltinOperator op, schema::BuiltinOptions type,
                             MakeOptions make) {
  fb::FlatBufferBuilder b;
  fb::Offset<void> options;
  if (type != schema::BuiltinOptions::NONE) options = make(b).Union();
  const std::vector<int32_t> io = {0};
  b.Finish(schema::CreateOperator(b, 0, b.CreateVector(io), b.CreateVector(io), type, options));
  OperatorFixture f;
  f.bytes.assign(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
  f.node.index = 3;
  f.node.op = static_cast<int32_t>(op);
  f.node.op_name = schema::EnumNameBuiltinOperator(op);
  f.node.fb = fb::GetRoot<schema::Operator>(f.bytes.data());
  return f;
}

OperatorFixture ConvOperator(schema::Padding padding, int stride_w, int stride_h,
                             schema::ActivationFunctionType act) {
  return MakeOperator(schema::BuiltinOperator::CONV_2D, schema::BuiltinOptions::Conv2DOptions,
                      [=](fb::FlatBufferBuilder& b) {
                        return schema::CreateConv2DOptions(b, padding, stride_w, stride_h, act, 2,
                                                           3, schema::TensorType::INT64);
                      });
}

std::string ErrorOf(const Result<OpParams>& r) { return r.ok() ? "ok" : r.status().message(); }

TEST_CASE("ParseOpParams decodes CONV_2D options", "[runtime][op_params]") {
  OperatorFixture f =
      ConvOperator(schema::Padding::VALID, 2, 4, schema::ActivationFunctionType::RELU6);
  Result<OpParams> r = ParseOpParams(f.node);
  REQUIRE(r.ok());
  const auto* p = std::get_if<Conv2DParams>(&*r);
  REQUIRE(p != nullptr);
  CHECK(p->padding == Padding::kValid);
  CHECK(p->stride_w == 2);
  CHECK(p->stride_h == 4);
  CHECK(p->dilation_w == 2);
  CHECK(p->dilation_h == 3);
  CHECK(p->activation == FusedActivation::kRelu6);
  CHECK(p->quantized_bias_type == DataType::kInt64);
  CHECK_FALSE(p->defaulted);
}

TEST_CASE("ParseOpParams rejects enum values the schema does not define", "[runtime][op_params]") {
  SECTION("padding") {
    OperatorFixture f =
        ConvOperator(static_cast<schema::Padding>(7), 1, 1, schema::ActivationFunctionType::NONE);
    CHECK(ErrorOf(ParseOpParams(f.node)) == "node 3 (CONV_2D): padding 7 is not SAME or VALID");
  }
  SECTION("fused activation") {
    OperatorFixture f =
        ConvOperator(schema::Padding::SAME, 1, 1, static_cast<schema::ActivationFunctionType>(9));
    CHECK(ErrorOf(ParseOpParams(f.node)) ==
          "node 3 (CONV_2D): fused activation 9 is not NONE, RELU, RELU_N1_TO_1, RELU6, TANH "
          "or SIGN_BIT");
  }
  SECTION("weights format") {
    OperatorFixture f =
        MakeOperator(schema::BuiltinOperator::FULLY_CONNECTED,
                     schema::BuiltinOptions::FullyConnectedOptions, [](fb::FlatBufferBuilder& b) {
                       return schema::CreateFullyConnectedOptions(
                           b, schema::ActivationFunctionType::NONE,
                           static_cast<schema::FullyConnectedOptionsWeightsFormat>(5));
                     });
    CHECK(ErrorOf(ParseOpParams(f.node)) ==
          "node 3 (FULLY_CONNECTED): weights format 5 is not DEFAULT or SHUFFLED4x16INT8");
  }
  SECTION("pool padding") {
    OperatorFixture f = MakeOperator(
        schema::BuiltinOperator::MAX_POOL_2D, schema::BuiltinOptions::Pool2DOptions,
        [](fb::FlatBufferBuilder& b) {
          return schema::CreatePool2DOptions(b, static_cast<schema::Padding>(-1), 1, 1, 2, 2);
        });
    CHECK(ErrorOf(ParseOpParams(f.node)) ==
          "node 3 (MAX_POOL_2D): padding -1 is not SAME or VALID");
  }
}

TEST_CASE("ParseOpParams keeps numeric values for the kernels' geometry checks",
          "[runtime][op_params]") {
  // A negative stride parses; CONV_2D's Prepare rejects it with the geometry it sees.
  OperatorFixture f =
      ConvOperator(schema::Padding::SAME, -2, 1, schema::ActivationFunctionType::NONE);
  Result<OpParams> r = ParseOpParams(f.node);
  REQUIRE(r.ok());
  CHECK(std::get<Conv2DParams>(*r).stride_w == -2);
}

TEST_CASE("ParseOpParams gives the kernels' defaults without an options table",
          "[runtime][op_params]") {
  SECTION("CONV_2D: stride 1") {
    OperatorFixture f =
        MakeOperator(schema::BuiltinOperator::CONV_2D, schema::BuiltinOptions::NONE,
                     [](fb::FlatBufferBuilder& b) { return schema::CreateConv2DOptions(b); });
    Result<OpParams> r = ParseOpParams(f.node);
    REQUIRE(r.ok());
    const Conv2DParams& p = std::get<Conv2DParams>(*r);
    CHECK(p.defaulted);
    CHECK(p.stride_w == 1);
    CHECK(p.stride_h == 1);
  }
  SECTION("DEPTHWISE_CONV_2D: stride 0 (rejected by the kernel)") {
    OperatorFixture f = MakeOperator(
        schema::BuiltinOperator::DEPTHWISE_CONV_2D, schema::BuiltinOptions::NONE,
        [](fb::FlatBufferBuilder& b) { return schema::CreateDepthwiseConv2DOptions(b); });
    Result<OpParams> r = ParseOpParams(f.node);
    REQUIRE(r.ok());
    CHECK(std::get<DepthwiseConv2DParams>(*r).defaulted);
    CHECK(std::get<DepthwiseConv2DParams>(*r).stride_w == 0);
  }
  SECTION("options of another op's type count as absent") {
    OperatorFixture f =
        MakeOperator(schema::BuiltinOperator::TRANSPOSE_CONV, schema::BuiltinOptions::Pool2DOptions,
                     [](fb::FlatBufferBuilder& b) { return schema::CreatePool2DOptions(b); });
    Result<OpParams> r = ParseOpParams(f.node);
    REQUIRE(r.ok());
    CHECK(std::get<TransposeConvParams>(*r).defaulted);
  }
  SECTION("an op without options") {
    OperatorFixture f =
        MakeOperator(schema::BuiltinOperator::RELU, schema::BuiltinOptions::NONE,
                     [](fb::FlatBufferBuilder& b) { return schema::CreateAddOptions(b); });
    Result<OpParams> r = ParseOpParams(f.node);
    REQUIRE(r.ok());
    CHECK(std::holds_alternative<std::monostate>(*r));
  }
}

TEST_CASE("ParseOpParams decodes FULLY_CONNECTED, BATCH_MATMUL and pool options",
          "[runtime][op_params]") {
  SECTION("FULLY_CONNECTED") {
    OperatorFixture f = MakeOperator(
        schema::BuiltinOperator::FULLY_CONNECTED, schema::BuiltinOptions::FullyConnectedOptions,
        [](fb::FlatBufferBuilder& b) {
          return schema::CreateFullyConnectedOptions(
              b, schema::ActivationFunctionType::RELU,
              schema::FullyConnectedOptionsWeightsFormat::SHUFFLED4x16INT8, true, true);
        });
    Result<OpParams> r = ParseOpParams(f.node);
    REQUIRE(r.ok());
    const FullyConnectedParams& p = std::get<FullyConnectedParams>(*r);
    CHECK(p.activation == FusedActivation::kRelu);
    CHECK(p.weights_format == FullyConnectedWeightsFormat::kShuffled4x16Int8);
    CHECK(p.keep_num_dims);
    CHECK(p.asymmetric_quantize_inputs);
  }
  SECTION("BATCH_MATMUL") {
    OperatorFixture f = MakeOperator(
        schema::BuiltinOperator::BATCH_MATMUL, schema::BuiltinOptions::BatchMatMulOptions,
        [](fb::FlatBufferBuilder& b) { return schema::CreateBatchMatMulOptions(b, true, false); });
    Result<OpParams> r = ParseOpParams(f.node);
    REQUIRE(r.ok());
    CHECK(std::get<BatchMatMulParams>(*r).adj_x);
    CHECK_FALSE(std::get<BatchMatMulParams>(*r).adj_y);
  }
  SECTION("AVERAGE_POOL_2D") {
    OperatorFixture f =
        MakeOperator(schema::BuiltinOperator::AVERAGE_POOL_2D,
                     schema::BuiltinOptions::Pool2DOptions, [](fb::FlatBufferBuilder& b) {
                       return schema::CreatePool2DOptions(b, schema::Padding::VALID, 1, 2, 3, 4,
                                                          schema::ActivationFunctionType::RELU);
                     });
    Result<OpParams> r = ParseOpParams(f.node);
    REQUIRE(r.ok());
    const Pool2DParams& p = std::get<Pool2DParams>(*r);
    CHECK(p.stride_w == 1);
    CHECK(p.stride_h == 2);
    CHECK(p.filter_w == 3);
    CHECK(p.filter_h == 4);
  }
}

}  // namespace
