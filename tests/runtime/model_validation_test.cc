#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "runtime/model.h"
#include "runtime/model_builder.h"
#include "runtime/schema/tflite_schema_generated.h"

// Loader rejection tests: each model is valid except for one deliberate defect, written with
// ModelBuilder (which does not validate). Every rejection must be one line that names the file
// and says what is wrong.
namespace litescope::runtime {
namespace {

using schema::BuiltinOperator;

// A valid model: out = ADD(a, w) with a constant w, plus whatever the section adds.
struct BaseModel {
  ModelBuilder mb;
  int a, w, out;
  BaseModel() {
    a = mb.AddTensor(0, "a", DataType::kFloat32, {1, 4});
    w = mb.AddConstTensor<float>(0, "w", DataType::kFloat32, {1, 4}, {1, 2, 3, 4});
    out = mb.AddTensor(0, "out", DataType::kFloat32, {1, 4});
    mb.AddOperator(0, BuiltinOperator::ADD, {a, w}, {out});
    mb.SetInputs(0, {a});
    mb.SetOutputs(0, {out});
  }
};

Result<std::shared_ptr<const Model>> Load(const std::vector<uint8_t>& bytes) {
  return Model::FromBufferCopy(bytes.data(), bytes.size(), "bad.tflite");
}

// Requires that loading fails with kInvalidModel and a one-line message, prefixed with the
// model name, that contains every fragment of `expected`.
void RequireRejected(const std::vector<uint8_t>& bytes, std::vector<std::string> expected) {
  auto model = Load(bytes);
  REQUIRE_FALSE(model.ok());
  const std::string& message = model.status().message();
  INFO("message: " << message);
  CHECK(model.status().code() == StatusCode::kInvalidModel);
  CHECK(message.find('\n') == std::string::npos);
  CHECK(message.rfind("bad.tflite: ", 0) == 0);
  for (const std::string& fragment : expected) CHECK(message.find(fragment) != std::string::npos);
}

}  // namespace

TEST_CASE("Model loader accepts the unmodified base model", "[runtime][validation]") {
  BaseModel base;
  auto model = Load(base.mb.Finish());
  INFO(model.status().message());
  REQUIRE(model.ok());
  CHECK((*model)->warnings().empty());
}

TEST_CASE("Model loader rejects out-of-range indices", "[runtime][validation]") {
  BaseModel base;
  ModelBuilder& mb = base.mb;
  SECTION("tensor buffer index") {
    TensorSpec spec;
    spec.name = "dangling";
    spec.shape = {2};
    spec.buffer = 99;
    mb.AddTensor(0, spec);
    RequireRejected(mb.Finish(), {"subgraph 0 tensor 3", "buffer 99 out of range", "2 buffers"});
  }
  SECTION("operator code index") {
    OperatorSpec op;
    op.opcode_index = 5;
    op.inputs = {base.a, base.w};
    op.outputs = {base.out};
    mb.AddOperator(0, op);
    RequireRejected(mb.Finish(), {"subgraph 0 operator 1", "opcode index 5 out of range"});
  }
  SECTION("operator input tensor index") {
    mb.AddOperator(0, BuiltinOperator::MUL, {base.a, 42}, {base.out});
    RequireRejected(mb.Finish(), {"subgraph 0 operator 1", "input 1 refers to tensor 42"});
  }
  SECTION("operator input tensor index below -1") {
    mb.AddOperator(0, BuiltinOperator::MUL, {-2, base.a}, {base.out});
    RequireRejected(mb.Finish(), {"operator 1", "input 0 refers to tensor -2"});
  }
  SECTION("operator output of -1 (only inputs may be omitted)") {
    mb.AddOperator(0, BuiltinOperator::MUL, {base.a, base.a}, {-1});
    RequireRejected(mb.Finish(), {"operator 1", "output 0 refers to tensor -1"});
  }
  SECTION("subgraph input") {
    mb.SetInputs(0, {base.a, 7});
    RequireRejected(mb.Finish(), {"subgraph 0 input 1 refers to tensor 7", "3 tensors"});
  }
  SECTION("subgraph output") {
    mb.SetOutputs(0, {-1});
    RequireRejected(mb.Finish(), {"subgraph 0 output 0 refers to tensor -1"});
  }
  SECTION("WHILE subgraph index") {
    const int cond = mb.AddSubgraph("cond");
    mb.AddOperator(0, BuiltinOperator::WHILE, {base.a}, {base.out},
                   [cond](flatbuffers::FlatBufferBuilder& b) {
                     return std::make_pair(schema::BuiltinOptions::WhileOptions,
                                           schema::CreateWhileOptions(b, cond, 5).Union());
                   });
    RequireRejected(mb.Finish(), {"operator 1", "body subgraph 5 out of range", "2 subgraphs"});
  }
  SECTION("IF subgraph index") {
    mb.AddOperator(0, BuiltinOperator::IF, {base.a}, {base.out},
                   [](flatbuffers::FlatBufferBuilder& b) {
                     return std::make_pair(schema::BuiltinOptions::IfOptions,
                                           schema::CreateIfOptions(b, -1, 0).Union());
                   });
    RequireRejected(mb.Finish(), {"then subgraph -1 out of range"});
  }
  SECTION("signature tensor index") {
    mb.AddSignature("serving_default", 0, {{"a", 17}}, {});
    RequireRejected(mb.Finish(), {"signature 0", "tensor 17 out of range"});
  }
  SECTION("signature subgraph index") {
    mb.AddSignature("serving_default", 3, {}, {});
    RequireRejected(mb.Finish(), {"signature 0", "subgraph 3 out of range"});
  }
  SECTION("metadata buffer index") {
    mb.AddMetadataEntry("min_runtime_version", 12);
    RequireRejected(mb.Finish(), {"metadata 0", "buffer 12 out of range"});
  }
}

TEST_CASE("Model loader rejects impossible shapes and short constants", "[runtime][validation]") {
  BaseModel base;
  ModelBuilder& mb = base.mb;
  SECTION("negative dimension") {
    mb.AddTensor(0, "neg", DataType::kFloat32, {1, -3, 2});
    RequireRejected(mb.Finish(), {"subgraph 0 tensor 3", "dimension 1 is -3"});
  }
  SECTION("shape product overflows int64") {
    const int32_t big = std::numeric_limits<int32_t>::max();
    mb.AddTensor(0, "huge", DataType::kFloat32, {big, big, big});
    RequireRejected(mb.Finish(), {"subgraph 0 tensor 3", "overflows"});
  }
  SECTION("tensor above the byte limit") {
    mb.AddTensor(0, "large", DataType::kFloat32, {1 << 20, 1 << 20, 1 << 10});
    RequireRejected(mb.Finish(), {"subgraph 0 tensor 3", "above the limit"});
  }
  SECTION("constant buffer shorter than shape x element size") {
    const int buffer = mb.AddBuffer(std::vector<uint8_t>(8, 0));
    TensorSpec spec;
    spec.name = "short";
    spec.shape = {2, 2};
    spec.buffer = static_cast<uint32_t>(buffer);
    mb.AddTensor(0, spec);
    RequireRejected(mb.Finish(), {"tensor 3", "holds 8 bytes", "[2, 2]", "FLOAT32", "needs 16"});
  }
  SECTION("unknown tensor type") {
    mb.AddTensor(0, "odd", static_cast<DataType>(99), {1});
    RequireRejected(mb.Finish(), {"tensor 3", "unknown type code 99"});
  }
}

TEST_CASE("Model loader rejects external buffers outside the file", "[runtime][validation]") {
  BaseModel base;
  ModelBuilder& mb = base.mb;
  SECTION("offset beyond the end") {
    mb.AddRawBuffer(/*offset=*/1 << 20, /*size=*/16);
    RequireRejected(mb.Finish(), {"buffer 2", "offset 1048576, size 16", "outside the"});
  }
  SECTION("size that wraps around") {
    mb.AddRawBuffer(/*offset=*/64, std::numeric_limits<uint64_t>::max());
    RequireRejected(mb.Finish(), {"buffer 2", "outside the"});
  }
  SECTION("size that runs past the end") {
    // The external region really exists, but the last buffer claims more than is there.
    mb.set_external_buffer_min_bytes(1);
    mb.AddBuffer(std::vector<uint8_t>(32, 1));
    std::vector<uint8_t> bytes = mb.Finish();
    bytes.resize(bytes.size() - 1);
    RequireRejected(bytes, {"buffer 2", "size 32", "outside the"});
  }
  SECTION("size without an offset") {
    mb.AddRawBuffer(/*offset=*/0, /*size=*/16);
    RequireRejected(mb.Finish(), {"buffer 2 has size 16 but no offset"});
  }
  SECTION("inline data and an offset") {
    mb.AddRawBuffer(/*offset=*/16, /*size=*/4, {1, 2, 3, 4});
    RequireRejected(mb.Finish(), {"buffer 2 has both inline data and an offset/size"});
  }
}

TEST_CASE("Model loader checks quantization parameters", "[runtime][validation]") {
  BaseModel base;
  ModelBuilder& mb = base.mb;
  SECTION("per-channel scale count differs from the channel count") {
    QuantParams q;
    q.scale = {0.1f, 0.2f, 0.3f};
    q.zero_point = {0, 0, 0};
    q.quantized_dimension = 0;
    mb.AddTensor(0, "w8", DataType::kInt8, {4, 1, 1, 3}, q);
    RequireRejected(mb.Finish(), {"tensor 3", "3 per-channel scales", "dimension 0 of size 4"});
  }
  SECTION("zero point count differs from the scale count") {
    QuantParams q;
    q.scale = {0.1f, 0.2f};
    q.zero_point = {0};
    q.quantized_dimension = 0;
    mb.AddTensor(0, "w8", DataType::kInt8, {2, 3}, q);
    RequireRejected(mb.Finish(), {"tensor 3", "2 scales but 1 zero points"});
  }
  SECTION("quantized_dimension beyond the rank with several scales") {
    QuantParams q;
    q.scale = {0.1f, 0.2f};
    q.zero_point = {0, 0};
    q.quantized_dimension = 2;
    mb.AddTensor(0, "w8", DataType::kInt8, {2, 2}, q);
    RequireRejected(mb.Finish(), {"tensor 3", "quantized_dimension 2 is beyond rank 2"});
  }
  SECTION("negative quantized_dimension") {
    QuantParams q;
    q.scale = {0.1f};
    q.zero_point = {0};
    q.quantized_dimension = -1;
    mb.AddTensor(0, "w8", DataType::kInt8, {2}, q);
    RequireRejected(mb.Finish(), {"tensor 3", "quantized_dimension -1 is negative"});
  }
}

TEST_CASE("Model loader accepts a single scale with quantized_dimension beyond the rank, warning",
          "[runtime][validation]") {
  BaseModel base;
  QuantParams q;
  q.scale = {0.5f};
  q.zero_point = {3};
  q.quantized_dimension = 1;
  base.mb.AddTensor(0, "q", DataType::kInt8, {4}, q);
  auto model = Load(base.mb.Finish());
  INFO(model.status().message());
  REQUIRE(model.ok());
  REQUIRE((*model)->warnings().size() == 1);
  const std::string& warning = (*model)->warnings()[0];
  CHECK(warning.find("tensor 3") != std::string::npos);
  CHECK(warning.find("quantized_dimension 1 is beyond rank 1") != std::string::npos);
  CHECK(warning.find('\n') == std::string::npos);
}

TEST_CASE("Model loader reads a per-channel rank-1 tensor's out-of-range axis as 0, warning",
          "[runtime][validation]") {
  // TFLite Micro's person_detect model carries quantized_dimension 3 on rank-1 biases.
  BaseModel base;
  QuantParams q;
  q.scale = {0.5f, 0.25f, 0.125f};
  q.zero_point = {0, 0, 0};
  q.quantized_dimension = 3;
  SECTION("scale count matches the only dimension") {
    base.mb.AddTensor(0, "bias", DataType::kInt32, {3}, q);
    auto model = Load(base.mb.Finish());
    INFO(model.status().message());
    REQUIRE(model.ok());
    REQUIRE((*model)->warnings().size() == 1);
    CHECK((*model)->warnings()[0].find("quantized_dimension 3 is beyond rank 1") !=
          std::string::npos);
  }
  SECTION("scale count differs from the only dimension") {
    base.mb.AddTensor(0, "bias", DataType::kInt32, {4}, q);
    RequireRejected(base.mb.Finish(), {"tensor 3", "3 per-channel scales"});
  }
}

TEST_CASE("Model loader rejects a wrong schema version or file identifier",
          "[runtime][validation]") {
  BaseModel base;
  SECTION("schema version 2") {
    base.mb.SetVersion(2);
    RequireRejected(base.mb.Finish(), {"schema version 2 is not supported", "expected 3"});
  }
  SECTION("file identifier TFL2") {
    base.mb.SetFileIdentifier("TFL2");
    RequireRejected(base.mb.Finish(), {"not a TFLite model", "\"TFL2\"", "\"TFL3\""});
  }
  SECTION("no file identifier") {
    base.mb.SetFileIdentifier("");
    RequireRejected(base.mb.Finish(), {"not a TFLite model", "file identifier"});
  }
  SECTION("non-printable identifier bytes") {
    std::vector<uint8_t> bytes = base.mb.Finish();
    bytes[4] = '\n';
    bytes[5] = 0x7f;
    RequireRejected(bytes, {"file identifier is \"??L3\""});
  }
  SECTION("truncated flatbuffer") {
    std::vector<uint8_t> bytes = base.mb.Finish();
    bytes.resize(bytes.size() / 2);
    RequireRejected(bytes, {"flatbuffer verification failed"});
  }
}

TEST_CASE("Model loader handles unknown and custom operator codes", "[runtime][validation]") {
  BaseModel base;
  ModelBuilder& mb = base.mb;
  SECTION("a builtin code newer than the schema loads, marked unknown") {
    const auto future =
        static_cast<BuiltinOperator>(static_cast<int32_t>(BuiltinOperator::MAX) + 40);
    mb.AddOperator(0, future, {base.a}, {base.out});
    auto model = Load(mb.Finish());
    INFO(model.status().message());
    REQUIRE(model.ok());
    REQUIRE((*model)->op_codes().size() == 2);
    const OpCodeInfo& info = (*model)->op_codes()[1];
    CHECK_FALSE(info.known);
    CHECK(info.builtin == static_cast<int32_t>(BuiltinOperator::MAX) + 40);
    CHECK(info.name == "UNKNOWN_" + std::to_string(info.builtin));
    CHECK((*model)->op_codes()[0].known);
    REQUIRE((*model)->warnings().size() == 1);
    CHECK((*model)->warnings()[0].find("operator code 1") != std::string::npos);
  }
  SECTION("CUSTOM without a name") {
    mb.AddOperator(0, BuiltinOperator::CUSTOM, {base.a}, {base.out});
    RequireRejected(mb.Finish(), {"operator code 1 is CUSTOM without a name"});
  }
  SECTION("negative builtin code") {
    mb.AddRawOperatorCode(-5, -5, 1);
    RequireRejected(mb.Finish(), {"operator code 1 has builtin code -5"});
  }
  SECTION("version 0") {
    mb.AddRawOperatorCode(0, 0, 0);
    RequireRejected(mb.Finish(), {"operator code 1 has version 0"});
  }
  SECTION("legacy model with only deprecated_builtin_code") {
    // Old converters wrote only the int8 field; builtin_code then reads as 0 (ADD).
    mb.AddRawOperatorCode(static_cast<int8_t>(BuiltinOperator::MUL), 0, 1);
    auto model = Load(mb.Finish());
    REQUIRE(model.ok());
    CHECK((*model)->op_codes()[1].name == "MUL");
  }
}

}  // namespace litescope::runtime
