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
using litescope::runtime::ArithmeticParams;
using litescope::runtime::BatchMatMulParams;
using litescope::runtime::BlockSizeParams;
using litescope::runtime::Conv2DParams;
using litescope::runtime::DataType;
using litescope::runtime::DepthwiseConv2DParams;
using litescope::runtime::FullyConnectedParams;
using litescope::runtime::FullyConnectedWeightsFormat;
using litescope::runtime::FusedActivation;
using litescope::runtime::LeakyReluParams;
using litescope::runtime::MirrorPadMode;
using litescope::runtime::MirrorPadParams;
using litescope::runtime::Node;
using litescope::runtime::OpParams;
using litescope::runtime::PackParams;
using litescope::runtime::Padding;
using litescope::runtime::ParseOpParams;
using litescope::runtime::Pool2DParams;
using litescope::runtime::ReshapeParams;
using litescope::runtime::SoftmaxParams;
using litescope::runtime::SplitParams;
using litescope::runtime::SqueezeParams;
using litescope::runtime::StridedSliceMaskParams;
using litescope::runtime::TransposeConvParams;
using litescope::runtime::VarHandleParams;
using litescope::runtime::WhileParams;

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

// An operator of `op` with no options table.
OperatorFixture Bare(schema::BuiltinOperator op) {
  return MakeOperator(op, schema::BuiltinOptions::NONE,
                      [](fb::FlatBufferBuilder& b) { return schema::CreateAddOptions(b); });
}

TEST_CASE("ParseOpParams decodes elementwise, shape and control-flow options",
          "[runtime][op_params]") {
  SECTION("ADD") {
    OperatorFixture f = MakeOperator(
        schema::BuiltinOperator::ADD, schema::BuiltinOptions::AddOptions,
        [](fb::FlatBufferBuilder& b) {
          return schema::CreateAddOptions(b, schema::ActivationFunctionType::RELU, true);
        });
    Result<OpParams> r = ParseOpParams(f.node);
    REQUIRE(r.ok());
    const ArithmeticParams& p = std::get<ArithmeticParams>(*r);
    CHECK(p.activation == FusedActivation::kRelu);
    CHECK(p.pot_scale_int16);
    CHECK_FALSE(p.defaulted);
  }
  SECTION("RESHAPE") {
    OperatorFixture f = MakeOperator(
        schema::BuiltinOperator::RESHAPE, schema::BuiltinOptions::ReshapeOptions,
        [](fb::FlatBufferBuilder& b) {
          return schema::CreateReshapeOptions(b, b.CreateVector(std::vector<int32_t>{2, -1}));
        });
    Result<OpParams> r = ParseOpParams(f.node);
    REQUIRE(r.ok());
    const ReshapeParams& p = std::get<ReshapeParams>(*r);
    CHECK(p.has_new_shape);
    CHECK(p.new_shape == std::vector<int32_t>{2, -1});
  }
  SECTION("STRIDED_SLICE") {
    OperatorFixture f =
        MakeOperator(schema::BuiltinOperator::STRIDED_SLICE,
                     schema::BuiltinOptions::StridedSliceOptions, [](fb::FlatBufferBuilder& b) {
                       return schema::CreateStridedSliceOptions(b, 1, 2, 0, 0, 4, true);
                     });
    Result<OpParams> r = ParseOpParams(f.node);
    REQUIRE(r.ok());
    const StridedSliceMaskParams& p = std::get<StridedSliceMaskParams>(*r);
    CHECK(p.begin_mask == 1);
    CHECK(p.end_mask == 2);
    CHECK(p.shrink_axis_mask == 4);
    CHECK(p.offset);
  }
  SECTION("MIRROR_PAD") {
    OperatorFixture f =
        MakeOperator(schema::BuiltinOperator::MIRROR_PAD, schema::BuiltinOptions::MirrorPadOptions,
                     [](fb::FlatBufferBuilder& b) {
                       return schema::CreateMirrorPadOptions(b, schema::MirrorPadMode::SYMMETRIC);
                     });
    Result<OpParams> r = ParseOpParams(f.node);
    REQUIRE(r.ok());
    CHECK(std::get<MirrorPadParams>(*r).mode == MirrorPadMode::kSymmetric);
  }
  SECTION("WHILE") {
    OperatorFixture f =
        MakeOperator(schema::BuiltinOperator::WHILE, schema::BuiltinOptions::WhileOptions,
                     [](fb::FlatBufferBuilder& b) { return schema::CreateWhileOptions(b, 1, 2); });
    Result<OpParams> r = ParseOpParams(f.node);
    REQUIRE(r.ok());
    CHECK(std::get<WhileParams>(*r).cond_subgraph == 1);
    CHECK(std::get<WhileParams>(*r).body_subgraph == 2);
  }
  SECTION("VAR_HANDLE") {
    OperatorFixture f = MakeOperator(
        schema::BuiltinOperator::VAR_HANDLE, schema::BuiltinOptions::VarHandleOptions,
        [](fb::FlatBufferBuilder& b) {
          return schema::CreateVarHandleOptions(b, b.CreateString("c"), b.CreateString("v"));
        });
    Result<OpParams> r = ParseOpParams(f.node);
    REQUIRE(r.ok());
    CHECK(std::get<VarHandleParams>(*r).container == "c");
    CHECK(std::get<VarHandleParams>(*r).shared_name == "v");
  }
}

TEST_CASE("ParseOpParams gives the kernels' defaults for the other families",
          "[runtime][op_params]") {
  SECTION("ADD: the general INT16 form, no activation") {
    Result<OpParams> r = ParseOpParams(Bare(schema::BuiltinOperator::ADD).node);
    REQUIRE(r.ok());
    const ArithmeticParams& p = std::get<ArithmeticParams>(*r);
    CHECK(p.defaulted);
    CHECK_FALSE(p.pot_scale_int16);
    CHECK(p.activation == FusedActivation::kNone);
  }
  SECTION("SOFTMAX: beta 1") {
    Result<OpParams> r = ParseOpParams(Bare(schema::BuiltinOperator::SOFTMAX).node);
    REQUIRE(r.ok());
    CHECK(std::get<SoftmaxParams>(*r).beta == 1.f);
    CHECK(std::get<SoftmaxParams>(*r).defaulted);
  }
  SECTION("LEAKY_RELU: alpha 0") {
    Result<OpParams> r = ParseOpParams(Bare(schema::BuiltinOperator::LEAKY_RELU).node);
    REQUIRE(r.ok());
    CHECK(std::get<LeakyReluParams>(*r).alpha == 0.f);
  }
  SECTION("RESHAPE: no new shape") {
    Result<OpParams> r = ParseOpParams(Bare(schema::BuiltinOperator::RESHAPE).node);
    REQUIRE(r.ok());
    CHECK_FALSE(std::get<ReshapeParams>(*r).has_new_shape);
  }
  SECTION("SQUEEZE: every size-1 dimension") {
    Result<OpParams> r = ParseOpParams(Bare(schema::BuiltinOperator::SQUEEZE).node);
    REQUIRE(r.ok());
    CHECK(std::get<SqueezeParams>(*r).squeeze_dims.empty());
  }
  SECTION("DEPTH_TO_SPACE: block size 0 (rejected by the kernel)") {
    Result<OpParams> r = ParseOpParams(Bare(schema::BuiltinOperator::DEPTH_TO_SPACE).node);
    REQUIRE(r.ok());
    CHECK(std::get<BlockSizeParams>(*r).block_size == 0);
  }
  SECTION("PACK and SPLIT: counts not checked") {
    Result<OpParams> pack = ParseOpParams(Bare(schema::BuiltinOperator::PACK).node);
    REQUIRE(pack.ok());
    CHECK(std::get<PackParams>(*pack).defaulted);
    Result<OpParams> split = ParseOpParams(Bare(schema::BuiltinOperator::SPLIT_V).node);
    REQUIRE(split.ok());
    CHECK(std::get<SplitParams>(*split).defaulted);
  }
  SECTION("WHILE: defaulted (the kernel rejects it)") {
    Result<OpParams> r = ParseOpParams(Bare(schema::BuiltinOperator::WHILE).node);
    REQUIRE(r.ok());
    CHECK(std::get<WhileParams>(*r).defaulted);
  }
  SECTION("SPLIT with SPLIT_V's options counts as absent") {
    OperatorFixture f =
        MakeOperator(schema::BuiltinOperator::SPLIT, schema::BuiltinOptions::SplitVOptions,
                     [](fb::FlatBufferBuilder& b) { return schema::CreateSplitVOptions(b, 3); });
    Result<OpParams> r = ParseOpParams(f.node);
    REQUIRE(r.ok());
    CHECK(std::get<SplitParams>(*r).defaulted);
  }
}

TEST_CASE("ParseOpParams rejects a MIRROR_PAD mode the schema does not define",
          "[runtime][op_params]") {
  OperatorFixture f = MakeOperator(
      schema::BuiltinOperator::MIRROR_PAD, schema::BuiltinOptions::MirrorPadOptions,
      [](fb::FlatBufferBuilder& b) {
        return schema::CreateMirrorPadOptions(b, static_cast<schema::MirrorPadMode>(5));
      });
  CHECK(ErrorOf(ParseOpParams(f.node)) == "node 3 (MIRROR_PAD): unknown mode 5");
}

TEST_CASE("ParseOpParams carries an elementwise op's fused activation unchecked",
          "[runtime][op_params]") {
  // The arithmetic kernels have always ignored a code they do not know.
  OperatorFixture f = MakeOperator(schema::BuiltinOperator::MUL, schema::BuiltinOptions::MulOptions,
                                   [](fb::FlatBufferBuilder& b) {
                                     return schema::CreateMulOptions(
                                         b, static_cast<schema::ActivationFunctionType>(9));
                                   });
  Result<OpParams> r = ParseOpParams(f.node);
  REQUIRE(r.ok());
  CHECK(static_cast<int>(std::get<ArithmeticParams>(*r).activation) == 9);
}

}  // namespace
