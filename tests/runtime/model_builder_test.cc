#include "runtime/model_builder.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <fp16.h>

#include "runtime/model.h"
#include "runtime/sample_models.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

using schema::BuiltinOperator;

std::shared_ptr<const Model> LoadOrFail(const std::vector<uint8_t>& bytes,
                                        const std::string& name = "built") {
  auto model = Model::FromBufferCopy(bytes.data(), bytes.size(), name);
  INFO(model.status().message());
  REQUIRE(model.ok());
  return *model;
}

std::vector<int32_t> ToVector(const flatbuffers::Vector<int32_t>* v) {
  return v ? std::vector<int32_t>(v->begin(), v->end()) : std::vector<int32_t>();
}

std::string ToString(const flatbuffers::String* s) { return s ? s->str() : std::string(); }

// FNV-1a over every buffer's bytes, in buffer order.
uint64_t HashBuffers(const Model& model) {
  uint64_t h = 0xcbf29ce484222325ull;
  const int n = static_cast<int>(model.fb()->buffers()->size());
  for (int i = 0; i < n; ++i) {
    const Model::Bytes b = model.BufferData(i);
    for (size_t j = 0; j < b.size; ++j) {
      h ^= b.data[j];
      h *= 0x100000001b3ull;
    }
  }
  return h;
}

}  // namespace

TEST_CASE("ModelBuilder writes tensors, operators and options that load back",
          "[runtime][model_builder]") {
  ModelBuilder mb;
  const int in = mb.AddTensor(0, "in", DataType::kFloat32, {1, 4, 4, 2});
  const int filter =
      mb.AddConstTensor<float>(0, "filter", DataType::kFloat32, {3, 1, 1, 2}, {1, 2, 3, 4, 5, 6});
  const int bias = mb.AddConstTensor<float>(0, "bias", DataType::kFloat32, {3}, {0.5f, 0, -1});
  TensorSpec out_spec;
  out_spec.name = "out";
  out_spec.shape = {1, 2, 2, 3};
  out_spec.shape_signature = {-1, 2, 2, 3};
  out_spec.has_rank = true;
  const int out = mb.AddTensor(0, out_spec);
  const int op =
      mb.AddOperator(0, BuiltinOperator::CONV_2D, {in, filter, bias}, {out},
                     [](flatbuffers::FlatBufferBuilder& b) {
                       return std::make_pair(
                           schema::BuiltinOptions::Conv2DOptions,
                           schema::CreateConv2DOptions(b, schema::Padding::VALID, 2, 3,
                                                       schema::ActivationFunctionType::RELU6, 1, 2)
                               .Union());
                     });
  mb.SetInputs(0, {in});
  mb.SetOutputs(0, {out});
  CHECK(in == 0);
  CHECK(filter == 1);
  CHECK(bias == 2);
  CHECK(out == 3);
  CHECK(op == 0);
  CHECK(mb.num_buffers() == 3);  // sentinel + two constants

  const std::vector<uint8_t> bytes = mb.Finish();
  auto model = LoadOrFail(bytes);
  const schema::Model* fb = model->fb();
  CHECK(fb->version() == 3);
  REQUIRE(fb->subgraphs()->size() == 1);
  const schema::SubGraph* sg = fb->subgraphs()->Get(0);
  CHECK(ToString(sg->name()) == "main");
  REQUIRE(sg->tensors()->size() == 4);
  CHECK(ToString(sg->tensors()->Get(0)->name()) == "in");
  CHECK(ToVector(sg->tensors()->Get(0)->shape()) == std::vector<int32_t>{1, 4, 4, 2});
  CHECK(sg->tensors()->Get(0)->buffer() == 0);
  CHECK(sg->tensors()->Get(0)->quantization() == nullptr);
  const schema::Tensor* t_out = sg->tensors()->Get(3);
  CHECK(ToVector(t_out->shape_signature()) == std::vector<int32_t>{-1, 2, 2, 3});
  CHECK(t_out->has_rank());
  CHECK(ToVector(sg->inputs()) == std::vector<int32_t>{0});
  CHECK(ToVector(sg->outputs()) == std::vector<int32_t>{3});

  // The sentinel buffer is empty; constants read back byte for byte.
  CHECK(model->BufferData(0).size == 0);
  const Model::Bytes filter_bytes =
      model->BufferData(static_cast<int>(sg->tensors()->Get(1)->buffer()));
  REQUIRE(filter_bytes.size == 6 * sizeof(float));
  float filter_values[6];
  std::memcpy(filter_values, filter_bytes.data, sizeof(filter_values));
  CHECK(filter_values[0] == 1.0f);
  CHECK(filter_values[5] == 6.0f);
  CHECK(reinterpret_cast<uintptr_t>(filter_bytes.data) % 16 == 0);  // force_align: 16

  REQUIRE(model->op_codes().size() == 1);
  CHECK(model->op_codes()[0].name == "CONV_2D");
  CHECK(model->op_codes()[0].version == 1);
  const schema::Operator* conv = sg->operators()->Get(0);
  CHECK(ToVector(conv->inputs()) == std::vector<int32_t>{0, 1, 2});
  CHECK(ToVector(conv->outputs()) == std::vector<int32_t>{3});
  const schema::Conv2DOptions* opts = conv->builtin_options_as_Conv2DOptions();
  REQUIRE(opts != nullptr);
  CHECK(opts->padding() == schema::Padding::VALID);
  CHECK(opts->stride_w() == 2);
  CHECK(opts->stride_h() == 3);
  CHECK(opts->fused_activation_function() == schema::ActivationFunctionType::RELU6);
  CHECK(opts->dilation_w_factor() == 1);
  CHECK(opts->dilation_h_factor() == 2);
}

TEST_CASE("ModelBuilder dedupes operator codes and writes both builtin code fields",
          "[runtime][model_builder]") {
  ModelBuilder mb;
  CHECK(mb.AddOperatorCode(BuiltinOperator::ADD) == 0);
  CHECK(mb.AddOperatorCode(BuiltinOperator::MUL) == 1);
  CHECK(mb.AddOperatorCode(BuiltinOperator::ADD) == 0);
  CHECK(mb.AddOperatorCode(BuiltinOperator::ADD, 2) == 2);  // another version is another code
  CHECK(mb.AddOperatorCode(BuiltinOperator::CUMSUM) == 3);  // 128: beyond the int8 field
  CHECK(mb.AddOperatorCode(BuiltinOperator::CUSTOM, 1, "MyOp") == 4);
  CHECK(mb.AddOperatorCode(BuiltinOperator::CUSTOM, 1, "MyOp") == 4);
  CHECK(mb.AddOperatorCode(BuiltinOperator::CUSTOM, 1, "Other") == 5);
  CHECK(mb.num_operator_codes() == 6);

  auto model = LoadOrFail(mb.Finish());
  const auto* codes = model->fb()->operator_codes();
  REQUIRE(codes->size() == 6);
  CHECK(codes->Get(1)->deprecated_builtin_code() == 18);
  CHECK(codes->Get(1)->builtin_code() == BuiltinOperator::MUL);
  CHECK(codes->Get(2)->version() == 2);
  CHECK(codes->Get(3)->deprecated_builtin_code() == 127);
  CHECK(codes->Get(3)->builtin_code() == BuiltinOperator::CUMSUM);
  CHECK(model->op_codes()[3].name == "CUMSUM");
  CHECK(model->op_codes()[4].name == "MyOp");
  CHECK(model->op_codes()[4].is_custom());
  CHECK(model->op_codes()[5].custom_code == "Other");
}

TEST_CASE("ModelBuilder writes custom operators with their options bytes",
          "[runtime][model_builder]") {
  ModelBuilder mb;
  const int a = mb.AddTensor(0, "a", DataType::kInt8, {4});
  const int b = mb.AddTensor(0, "b", DataType::kInt8, {4});
  mb.AddCustomOperator(0, "Frobnicate", {a, -1}, {b}, {1, 2, 3}, /*version=*/3);
  auto model = LoadOrFail(mb.Finish());
  REQUIRE(model->op_codes().size() == 1);
  CHECK(model->op_codes()[0].name == "Frobnicate");
  CHECK(model->op_codes()[0].version == 3);
  const schema::Operator* op = model->fb()->subgraphs()->Get(0)->operators()->Get(0);
  CHECK(ToVector(op->inputs()) == std::vector<int32_t>{0, -1});
  REQUIRE(op->custom_options() != nullptr);
  CHECK(std::vector<uint8_t>(op->custom_options()->begin(), op->custom_options()->end()) ==
        std::vector<uint8_t>{1, 2, 3});
  CHECK(op->builtin_options_type() == schema::BuiltinOptions::NONE);
}

TEST_CASE("ModelBuilder writes quantization parameters", "[runtime][model_builder]") {
  ModelBuilder mb;
  QuantParams per_channel;
  per_channel.scale = {0.5f, 0.25f, 0.125f};
  per_channel.zero_point = {0, 0, 0};
  per_channel.quantized_dimension = 0;
  const int w = mb.AddConstTensor<int8_t>(0, "w", DataType::kInt8, {3, 1, 1, 2},
                                          {1, -1, 2, -2, 3, -3}, per_channel);
  QuantParams per_tensor;
  per_tensor.scale = {0.1f};
  per_tensor.zero_point = {-128};
  const int x = mb.AddTensor(0, "x", DataType::kInt8, {1, 2}, per_tensor);
  QuantParams axis3;
  axis3.scale = {1.0f, 2.0f};
  axis3.zero_point = {5, 6};
  axis3.quantized_dimension = 3;
  const int y = mb.AddTensor(0, "y", DataType::kUInt8, {1, 1, 1, 2}, axis3);

  auto model = LoadOrFail(mb.Finish());
  const auto* tensors = model->fb()->subgraphs()->Get(0)->tensors();
  const schema::QuantizationParameters* q = tensors->Get(static_cast<uint32_t>(w))->quantization();
  REQUIRE(q != nullptr);
  REQUIRE(q->scale()->size() == 3);
  CHECK(q->scale()->Get(1) == 0.25f);
  CHECK(q->zero_point()->size() == 3);
  CHECK(q->quantized_dimension() == 0);
  q = tensors->Get(static_cast<uint32_t>(x))->quantization();
  REQUIRE(q != nullptr);
  CHECK(q->scale()->Get(0) == 0.1f);
  CHECK(q->zero_point()->Get(0) == -128);
  q = tensors->Get(static_cast<uint32_t>(y))->quantization();
  REQUIRE(q != nullptr);
  CHECK(q->quantized_dimension() == 3);
  CHECK(q->zero_point()->Get(1) == 6);
  CHECK(tensors->Get(static_cast<uint32_t>(y))->type() == schema::TensorType::UINT8);
  CHECK(model->warnings().empty());
}

TEST_CASE("ModelBuilder writes float16 constants", "[runtime][model_builder]") {
  ModelBuilder mb;
  mb.AddFloat16ConstTensor(0, "h", {3}, {1.0f, -2.5f, 65504.0f});
  auto model = LoadOrFail(mb.Finish());
  const schema::Tensor* t = model->fb()->subgraphs()->Get(0)->tensors()->Get(0);
  CHECK(t->type() == schema::TensorType::FLOAT16);
  const Model::Bytes bytes = model->BufferData(static_cast<int>(t->buffer()));
  REQUIRE(bytes.size == 6);
  uint16_t h[3];
  std::memcpy(h, bytes.data, sizeof(h));
  CHECK(h[0] == 0x3c00);
  CHECK(fp16_ieee_to_fp32_value(h[1]) == -2.5f);
  CHECK(fp16_ieee_to_fp32_value(h[2]) == 65504.0f);
}

TEST_CASE("ModelBuilder places large buffers after the flatbuffer", "[runtime][model_builder]") {
  ModelBuilder mb;
  mb.set_external_buffer_min_bytes(64);
  std::vector<float> big(100);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<float>(i);
  const int t_big = mb.AddConstTensor(0, "big", DataType::kFloat32, {100}, big);
  const int t_small = mb.AddConstTensor<float>(0, "small", DataType::kFloat32, {2}, {7, 8});
  const int t_forced = mb.AddConstTensor<int32_t>(0, "forced", DataType::kInt32, {3}, {1, 2, 3}, {},
                                                  BufferPlacement::kExternal);
  const int t_inline =
      mb.AddConstTensor(0, "inline", DataType::kFloat32, {100}, big, {}, BufferPlacement::kInline);
  mb.SetDescription("external buffers");

  const std::vector<uint8_t> bytes = mb.Finish();
  auto model = LoadOrFail(bytes);
  const auto* tensors = model->fb()->subgraphs()->Get(0)->tensors();
  const auto* buffers = model->fb()->buffers();
  auto buffer_of = [&](int t) {
    return buffers->Get(tensors->Get(static_cast<uint32_t>(t))->buffer());
  };

  const schema::Buffer* b_big = buffer_of(t_big);
  CHECK(b_big->data() == nullptr);
  CHECK(b_big->offset() % 16 == 0);
  CHECK(b_big->size() == 400);
  const schema::Buffer* b_forced = buffer_of(t_forced);
  CHECK(b_forced->size() == 12);
  CHECK(b_forced->offset() % 16 == 0);
  CHECK(b_forced->offset() >= b_big->offset() + b_big->size());
  CHECK(b_forced->offset() + b_forced->size() == bytes.size());
  CHECK(buffer_of(t_small)->offset() == 0);
  CHECK(buffer_of(t_small)->data()->size() == 8);
  CHECK(buffer_of(t_inline)->data()->size() == 400);

  // The external data lies after the flatbuffer and reads back through BufferData.
  const Model::Bytes data = model->BufferData(static_cast<int>(tensors->Get(0)->buffer()));
  REQUIRE(data.size == 400);
  CHECK(data.data == model->data() + b_big->offset());
  CHECK(model->Contains(data.data));
  CHECK(std::memcmp(data.data, big.data(), 400) == 0);
  CHECK(ToString(model->fb()->description()) == "external buffers");

  // Everything before the first external buffer is the flatbuffer itself: it verifies alone.
  flatbuffers::Verifier verifier(bytes.data(), b_big->offset());
  CHECK(schema::VerifyModelBuffer(verifier));
}

TEST_CASE("ModelBuilder writes subgraphs, signatures, metadata and raw fields",
          "[runtime][model_builder]") {
  ModelBuilder mb;
  const int x = mb.AddTensor(0, "x", DataType::kFloat32, {1});
  const int body = mb.AddSubgraph("body");
  CHECK(body == 1);
  CHECK(mb.num_subgraphs() == 2);
  const int bx = mb.AddTensor(body, "bx", DataType::kFloat32, {1});
  CHECK(bx == 0);
  CHECK(mb.num_tensors(body) == 1);
  mb.SetInputs(body, {bx});
  mb.SetOutputs(body, {bx});
  mb.SetInputs(0, {x});
  mb.SetOutputs(0, {x});
  mb.AddSignature("serving_default", 0, {{"in", x}}, {{"out", x}});
  mb.AddSignature("step", body, {{"bx", bx}}, {});
  const int md = mb.AddMetadata("min_runtime_version", {'2', '.', '0', 0});
  mb.AddMetadataEntry("alias", static_cast<uint32_t>(md));
  mb.SetDescription("several subgraphs");

  auto model = LoadOrFail(mb.Finish());
  const schema::Model* fb = model->fb();
  REQUIRE(fb->subgraphs()->size() == 2);
  CHECK(ToString(fb->subgraphs()->Get(1)->name()) == "body");
  REQUIRE(fb->signature_defs()->size() == 2);
  const schema::SignatureDef* sig = fb->signature_defs()->Get(0);
  CHECK(ToString(sig->signature_key()) == "serving_default");
  CHECK(sig->subgraph_index() == 0);
  CHECK(ToString(sig->inputs()->Get(0)->name()) == "in");
  CHECK(sig->outputs()->Get(0)->tensor_index() == static_cast<uint32_t>(x));
  CHECK(fb->signature_defs()->Get(1)->subgraph_index() == 1);
  REQUIRE(fb->metadata()->size() == 2);
  CHECK(ToString(fb->metadata()->Get(0)->name()) == "min_runtime_version");
  CHECK(fb->metadata()->Get(1)->buffer() == static_cast<uint32_t>(md));
  const Model::Bytes md_bytes = model->BufferData(md);
  REQUIRE(md_bytes.size == 4);
  CHECK(std::string(reinterpret_cast<const char*>(md_bytes.data)) == "2.0");
  CHECK(ToString(fb->description()) == "several subgraphs");
}

TEST_CASE("ModelBuilder output is deterministic and Finish is repeatable",
          "[runtime][model_builder]") {
  auto build = [] {
    ModelBuilder mb;
    mb.set_external_buffer_min_bytes(32);
    const int a = mb.AddTensor(0, "a", DataType::kFloat32, {8});
    const int w =
        mb.AddConstTensor<float>(0, "w", DataType::kFloat32, {8}, {1, 2, 3, 4, 5, 6, 7, 8});
    const int o = mb.AddTensor(0, "o", DataType::kFloat32, {8});
    mb.AddOperator(0, BuiltinOperator::ADD, {a, w}, {o});
    mb.SetInputs(0, {a});
    mb.SetOutputs(0, {o});
    return mb;
  };
  ModelBuilder first = build();
  const std::vector<uint8_t> bytes = first.Finish();
  CHECK(first.Finish() == bytes);
  CHECK(build().Finish() == bytes);
  CHECK(std::memcmp(bytes.data() + 4, "TFL3", 4) == 0);
}

TEST_CASE("Sample models load, and are identical on every build", "[runtime][model_builder]") {
  SECTION("mobilenet_like") {
    auto bytes = BuildMobileNetLikeModel();
    REQUIRE(bytes.ok());
    auto again = BuildMobileNetLikeModel();
    REQUIRE(again.ok());
    CHECK(*again == *bytes);
    auto model = LoadOrFail(*bytes, "builtin:mobilenet_like");
    CHECK(model->warnings().empty());
    const schema::SubGraph* sg = model->fb()->subgraphs()->Get(0);
    REQUIRE(sg->inputs()->size() == 1);
    const schema::Tensor* input = sg->tensors()->Get(static_cast<uint32_t>(sg->inputs()->Get(0)));
    CHECK(ToString(input->name()) == "input");
    CHECK(ToVector(input->shape()) == std::vector<int32_t>{1, 96, 96, 3});
    REQUIRE(sg->outputs()->size() == 1);
    const schema::Tensor* output = sg->tensors()->Get(static_cast<uint32_t>(sg->outputs()->Get(0)));
    CHECK(ToString(output->name()) == "probabilities");
    CHECK(ToVector(output->shape()) == std::vector<int32_t>{1, 100});

    // 1 stem + 13 x (depthwise + pointwise) + pool + logits + reshape + softmax.
    REQUIRE(sg->operators()->size() == 31);
    std::vector<std::string> names;
    for (const schema::Operator* op : *sg->operators())
      names.push_back(model->op_codes()[op->opcode_index()].name);
    CHECK(names.front() == "CONV_2D");
    CHECK(names[1] == "DEPTHWISE_CONV_2D");
    CHECK(names[2] == "CONV_2D");
    CHECK(names[27] == "AVERAGE_POOL_2D");
    CHECK(names[28] == "CONV_2D");
    CHECK(names[29] == "RESHAPE");
    CHECK(names[30] == "SOFTMAX");
    for (const OpCodeInfo& code : model->op_codes()) CHECK(code.version == 1);
    const auto* pool = sg->operators()->Get(27)->builtin_options_as_Pool2DOptions();
    REQUIRE(pool != nullptr);
    CHECK(pool->filter_width() == 3);  // 96 -> 48 -> 24 -> 12 -> 6 -> 3

    REQUIRE(model->fb()->metadata() != nullptr);
    CHECK(ToString(model->fb()->metadata()->Get(0)->name()) == "min_runtime_version");
    REQUIRE(model->fb()->signature_defs() != nullptr);
    CHECK(ToString(model->fb()->signature_defs()->Get(0)->signature_key()) == "serving_default");
    CHECK(ToString(model->fb()->description()).find("MobileNet") != std::string::npos);

    // Golden hash of every constant byte: the weights must not depend on platform or compiler.
    CHECK(HashBuffers(*model) == 0x87d71512468f9afeull);
  }
  SECTION("mobilenet_like with other options") {
    MobileNetLikeOptions options;
    options.input_size = 33;
    options.width = 0.5f;
    options.num_classes = 10;
    auto bytes = BuildMobileNetLikeModel(options);
    REQUIRE(bytes.ok());
    auto model = LoadOrFail(*bytes);
    const schema::SubGraph* sg = model->fb()->subgraphs()->Get(0);
    const schema::Tensor* output = sg->tensors()->Get(static_cast<uint32_t>(sg->outputs()->Get(0)));
    CHECK(ToVector(output->shape()) == std::vector<int32_t>{1, 10});
    // 33 -> 17 -> 9 -> 5 -> 3 -> 2 (SAME padding rounds up).
    CHECK(sg->operators()->Get(27)->builtin_options_as_Pool2DOptions()->filter_width() == 2);
  }
  SECTION("mobilenet_like rejects bad options") {
    MobileNetLikeOptions options;
    options.num_classes = 0;
    auto bytes = BuildMobileNetLikeModel(options);
    REQUIRE_FALSE(bytes.ok());
    CHECK(bytes.status().code() == StatusCode::kInvalidArgument);
    CHECK(bytes.status().message().find("num_classes") != std::string::npos);
  }
  SECTION("add_mul") {
    auto model = LoadOrFail(BuildAddMulModel());
    REQUIRE(model->op_codes().size() == 2);
    CHECK(model->op_codes()[0].name == "ADD");
    CHECK(model->op_codes()[1].name == "MUL");
    const schema::SubGraph* sg = model->fb()->subgraphs()->Get(0);
    CHECK(sg->inputs()->size() == 2);
    CHECK(sg->outputs()->size() == 1);
    CHECK(ToVector(sg->tensors()->Get(0)->shape()) == std::vector<int32_t>{1, 2, 2, 3});
  }
}

TEST_CASE("BuildSampleModel finds models by name, with or without the builtin: prefix",
          "[runtime][model_builder]") {
  REQUIRE(SampleModels().size() >= 2);
  CHECK(SampleModels()[0].name == "mobilenet_like");
  for (const SampleModelInfo& info : SampleModels()) {
    INFO(info.name);
    CHECK_FALSE(info.description.empty());
    auto plain = BuildSampleModel(info.name);
    REQUIRE(plain.ok());
    auto prefixed = BuildSampleModel(std::string(kBuiltinModelPrefix) + info.name);
    REQUIRE(prefixed.ok());
    CHECK(*plain == *prefixed);
    LoadOrFail(*plain, info.name);
  }
  auto unknown = BuildSampleModel("builtin:resnet");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().code() == StatusCode::kInvalidArgument);
  CHECK(unknown.status().message() ==
        "unknown built-in model \"resnet\"; available: mobilenet_like, add_mul");
}

}  // namespace litescope::runtime
