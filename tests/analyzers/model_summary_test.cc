#include "analyzers/model_summary.h"

#include <catch2/catch.hpp>

#include <string>
#include <variant>
#include <vector>

#include "analyzers/sha256.h"
#include "reports/analysis_report.h"
#include "runtime/model.h"
#include "runtime/model_builder.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "tests/test_support.h"

namespace litescope::analyzers {
namespace {

using runtime::DataType;
using runtime::ModelBuilder;
using schema::BuiltinOperator;

const OpOption* FindOption(const OperatorSummary& op, const std::string& name) {
  for (const OpOption& o : op.options)
    if (o.name == name) return &o;
  return nullptr;
}

}  // namespace

TEST_CASE("Sha256 matches the FIPS 180-4 test vectors", "[analyzers][sha256]") {
  SECTION("empty input") {
    CHECK(Sha256Hex("", 0) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }
  SECTION("abc") {
    CHECK(Sha256Hex("abc", 3) ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
  SECTION("two-block message") {
    const std::string m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    CHECK(Sha256Hex(m.data(), m.size()) ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  }
  SECTION("one million 'a', fed in uneven pieces") {
    const std::string chunk(997, 'a');
    Sha256 hasher;
    size_t left = 1000000;
    while (left > 0) {
      const size_t n = std::min(left, chunk.size());
      hasher.Update(chunk.data(), n);
      left -= n;
    }
    const auto digest = hasher.Finish();
    CHECK(digest[0] == 0xcd);
    CHECK(digest[31] == 0xd0);
    const std::string all(1000000, 'a');
    CHECK(Sha256Hex(all.data(), all.size()) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  }
  SECTION("lengths around the padding boundary") {
    // 55 bytes fit one block with the length; 56 need a second one.
    const std::string m55(55, 'x'), m56(56, 'x'), m64(64, 'x');
    CHECK(Sha256Hex(m55.data(), 55) != Sha256Hex(m56.data(), 56));
    Sha256 split;
    split.Update(m64.data(), 10);
    split.Update(m64.data() + 10, 54);
    const auto a = split.Finish();
    Sha256 whole;
    whole.Update(m64.data(), 64);
    CHECK(a == whole.Finish());
  }
}

TEST_CASE("ClassifyQuantization applies its rules in order", "[analyzers][summary]") {
  QuantizationDetails d;
  CHECK(ClassifyQuantization(d) == QuantizationKind::kFloat32);
  d.activation_tensor_dtypes = {{"INT8", 10}, {"UINT8", 2}, {"INT16", 1}};
  CHECK(ClassifyQuantization(d) == QuantizationKind::kInt8);
  d.activation_tensor_dtypes = {{"UINT8", 10}, {"INT64", 1}};
  CHECK(ClassifyQuantization(d) == QuantizationKind::kUInt8);
  d.activation_tensor_dtypes = {{"INT16", 6}, {"INT8", 1}, {"INT32", 11}};
  CHECK(ClassifyQuantization(d) == QuantizationKind::kInt16x8);
  d.dequantize_from_const = {{"FLOAT16", 3}};
  CHECK(ClassifyQuantization(d) == QuantizationKind::kFp16Weights);
  d.hybrid_weight_ops = 1;
  CHECK(ClassifyQuantization(d) == QuantizationKind::kHybrid);
  CHECK(std::string(QuantizationKindName(QuantizationKind::kFp16Weights)) == "fp16-weights");
}

TEST_CASE("SummarizeModel reads a builder-made model", "[analyzers][summary]") {
  ModelBuilder mb;
  // in (float) -> FULLY_CONNECTED with per-channel int8 weights (hybrid) -> SOFTMAX -> out,
  // plus a custom op and a zero-filled constant.
  const int in = mb.AddTensor(0, "in", DataType::kFloat32, {1, 4});
  runtime::QuantParams wq;
  wq.scale = {0.5f, 0.25f};
  wq.zero_point = {0, 0};
  const int w =
      mb.AddConstTensor<int8_t>(0, "w", DataType::kInt8, {2, 4}, {1, 2, 3, 4, 5, 6, 7, 8}, wq);
  const int zeros = mb.AddConstTensor<float>(0, "zeros", DataType::kFloat32, {2}, {0.f, 0.f});
  const int fc = mb.AddTensor(0, "fc", DataType::kFloat32, {1, 2});
  const int sm = mb.AddTensor(0, "sm", DataType::kFloat32, {1, 2});
  const int out = mb.AddTensor(0, "out", DataType::kFloat32, {1, 2});
  mb.AddOperator(
      0, BuiltinOperator::FULLY_CONNECTED, {in, w, zeros}, {fc},
      [](flatbuffers::FlatBufferBuilder& b) {
        return std::make_pair(
            schema::BuiltinOptions::FullyConnectedOptions,
            schema::CreateFullyConnectedOptions(b, schema::ActivationFunctionType::RELU6).Union());
      });
  mb.AddOperator(0, BuiltinOperator::SOFTMAX, {fc}, {sm}, [](flatbuffers::FlatBufferBuilder& b) {
    return std::make_pair(schema::BuiltinOptions::SoftmaxOptions,
                          schema::CreateSoftmaxOptions(b, 0.5f).Union());
  });
  mb.AddCustomOperator(0, "MyCustom", {sm}, {out}, {1, 2, 3});
  mb.SetInputs(0, {in});
  mb.SetOutputs(0, {out});
  mb.AddSignature("serving_default", 0, {{"x", in}}, {{"y", out}});
  const std::string version = "2.3.0";
  std::vector<uint8_t> version_bytes(version.begin(), version.end());
  version_bytes.resize(16, 0);
  mb.AddMetadata("min_runtime_version", version_bytes);
  mb.SetDescription("builder test");
  const std::vector<uint8_t> bytes = mb.Finish();

  auto model = runtime::Model::FromBufferCopy(bytes.data(), bytes.size(), "builder.tflite");
  INFO(model.status().message());
  REQUIRE(model.ok());
  const ModelSummary s = SummarizeModel(**model);

  CHECK(s.path == "builder.tflite");
  CHECK(s.description == "builder test");
  CHECK(s.file_bytes == static_cast<int64_t>(bytes.size()));
  CHECK(s.sha256 == Sha256Hex(bytes.data(), bytes.size()));
  REQUIRE(s.subgraphs.size() == 1);
  const SubgraphSummary& sg = s.subgraphs[0];
  REQUIRE(sg.operators.size() == 3);
  CHECK(sg.operators[0].op == "FULLY_CONNECTED");
  const OpOption* act = FindOption(sg.operators[0], "fused_activation_function");
  REQUIRE(act);
  CHECK(std::get<std::string>(act->value) == "RELU6");
  const OpOption* beta = FindOption(sg.operators[1], "beta");
  REQUIRE(beta);
  CHECK(std::get<double>(beta->value) == 0.5);
  CHECK(sg.operators[2].is_custom);
  CHECK(sg.operators[2].op == "MyCustom");
  CHECK(sg.operators[2].custom_options_bytes == 3);

  const TensorSummary& wt = sg.tensors[static_cast<size_t>(w)];
  CHECK(wt.is_constant);
  CHECK(wt.constant_bytes == 8);
  CHECK(wt.quantization.scheme == QuantizationScheme::kPerChannel);
  CHECK(wt.quantization.scale_count == 2);
  CHECK(wt.quantization.scales == std::vector<float>{0.5f, 0.25f});
  CHECK_FALSE(sg.tensors[static_cast<size_t>(in)].is_constant);

  CHECK(s.operator_count == 3);
  CHECK(s.builtin_op_counts.at("FULLY_CONNECTED") == 1);
  CHECK(s.custom_op_counts.at("MyCustom") == 1);
  CHECK(s.parameter_count == 8 + 2);
  CHECK(s.quantization.hybrid_weight_ops == 1);
  CHECK(s.quantization_kind == QuantizationKind::kHybrid);
  CHECK(s.quantization.constant_tensor_dtypes.at("INT8") == 1);
  CHECK(s.quantization.activation_tensor_dtypes.at("FLOAT32") == 4);

  REQUIRE(s.signatures.size() == 1);
  CHECK(s.signatures[0].key == "serving_default");
  CHECK(s.signatures[0].inputs[0].name == "x");
  REQUIRE(s.min_runtime_version.has_value());
  CHECK(*s.min_runtime_version == "2.3.0");
  REQUIRE(s.metadata.size() == 1);
  CHECK(s.metadata[0].bytes == 16);

  // Data: 8 (weights) + 8 (zeros) + 16 (metadata); the zero floats are a zero-value buffer.
  CHECK(s.size.data_buffer_bytes == 32);
  CHECK(s.size.zero_value_buffer_bytes == 8);
  CHECK(s.size.non_data_bytes == s.size.model_bytes - 32);

  const nlohmann::json j = reports::AnalysisToJson(s);
  CHECK(j["schema_version"] == reports::kAnalyzeSchemaVersion);
  CHECK(j["quantization"]["kind"] == "hybrid");
  CHECK(j["subgraphs"][0]["operators"][0]["options"]["fused_activation_function"] == "RELU6");
  const std::string text = reports::AnalysisToText(s);
  CHECK(text.find("Op#0 FULLY_CONNECTED(T#0, T#1, T#2) -> [T#3]") != std::string::npos);
  CHECK(text.find("Total data buffer size") != std::string::npos);
}

TEST_CASE("SummarizeModel agrees with TFLite's Analyzer on person_detect",
          "[analyzers][summary][shared]") {
  if (testing::SkipWithoutShared("SummarizeModel person_detect")) return;
  auto model = runtime::Model::FromFile(testing::SharedDir() + "/models/person_detect.tflite");
  INFO(model.status().message());
  REQUIRE(model.ok());
  const ModelSummary s = SummarizeModel(**model);
  // TFLite's Analyzer prints these for person_detect.tflite.
  CHECK(s.size.model_bytes == 300568);
  CHECK(s.size.non_data_bytes == 81640);
  CHECK(s.size.data_buffer_bytes == 218928);
  CHECK(s.size.zero_value_buffer_bytes == 0);
  CHECK(s.sha256 == "808cfdfc0cf3a6fa6f6fa26bfa379ea97c16d5db7334637766e39c3408502e9d");
  CHECK(s.operator_count == 31);
  CHECK(s.quantization_kind == QuantizationKind::kInt8);
  CHECK_FALSE(s.warnings.empty());  // quantized_dimension 3 on rank-1 biases
  const OperatorSummary& op0 = s.subgraphs[0].operators[0];
  CHECK(op0.op == "DEPTHWISE_CONV_2D");
  const OpOption* dm = FindOption(op0, "depth_multiplier");
  REQUIRE(dm);
  CHECK(std::get<int64_t>(dm->value) == 8);
  const TensorSummary& input =
      s.subgraphs[0].tensors[static_cast<size_t>(s.subgraphs[0].inputs[0])];
  CHECK(input.name == "input");
  CHECK(input.quantization.scheme == QuantizationScheme::kPerTensor);
  CHECK(input.quantization.zero_points == std::vector<int64_t>{-1});
}

}  // namespace litescope::analyzers
