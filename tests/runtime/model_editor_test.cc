#include "runtime/model_editor.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "runtime/interpreter.h"
#include "runtime/model.h"
#include "runtime/model_builder.h"
#include "runtime/op_registry.h"
#include "runtime/sample_models.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "tests/test_support.h"

namespace litescope::runtime {
namespace {

std::vector<uint8_t> ReadBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

// Compares two loaded models through the plain (zero-copy) schema API, independently of the
// object API the editor uses: tensors, buffer contents, operators, signatures and metadata.
void CheckSameSemantics(const Model& a, const Model& b) {
  const schema::Model& fa = *a.fb();
  const schema::Model& fb = *b.fb();
  CHECK(fa.version() == fb.version());
  auto str = [](const flatbuffers::String* s) { return s ? s->str() : std::string(); };
  auto ints = [](const auto* v) {
    return v ? std::vector<int64_t>(v->begin(), v->end()) : std::vector<int64_t>();
  };
  auto floats = [](const flatbuffers::Vector<float>* v) {
    return v ? std::vector<float>(v->begin(), v->end()) : std::vector<float>();
  };
  auto bytes = [](const flatbuffers::Vector<uint8_t>* v) {
    return v ? std::vector<uint8_t>(v->begin(), v->end()) : std::vector<uint8_t>();
  };
  CHECK(str(fa.description()) == str(fb.description()));
  REQUIRE(a.op_codes().size() == b.op_codes().size());
  for (size_t i = 0; i < a.op_codes().size(); ++i) {
    CHECK(a.op_codes()[i].builtin == b.op_codes()[i].builtin);
    CHECK(a.op_codes()[i].name == b.op_codes()[i].name);
    CHECK(a.op_codes()[i].version == b.op_codes()[i].version);
  }
  REQUIRE(fa.subgraphs()->size() == fb.subgraphs()->size());
  for (uint32_t s = 0; s < fa.subgraphs()->size(); ++s) {
    const schema::SubGraph& sa = *fa.subgraphs()->Get(s);
    const schema::SubGraph& sb = *fb.subgraphs()->Get(s);
    INFO("subgraph " << s);
    CHECK(str(sa.name()) == str(sb.name()));
    CHECK(ints(sa.inputs()) == ints(sb.inputs()));
    CHECK(ints(sa.outputs()) == ints(sb.outputs()));
    REQUIRE(sa.tensors()->size() == sb.tensors()->size());
    for (uint32_t t = 0; t < sa.tensors()->size(); ++t) {
      const schema::Tensor& ta = *sa.tensors()->Get(t);
      const schema::Tensor& tb = *sb.tensors()->Get(t);
      INFO("tensor " << t << " " << str(ta.name()));
      CHECK(str(ta.name()) == str(tb.name()));
      CHECK(ta.type() == tb.type());
      CHECK(ints(ta.shape()) == ints(tb.shape()));
      CHECK(ints(ta.shape_signature()) == ints(tb.shape_signature()));
      CHECK(ta.is_variable() == tb.is_variable());
      CHECK(ta.has_rank() == tb.has_rank());
      CHECK((ta.sparsity() == nullptr) == (tb.sparsity() == nullptr));
      const auto* qa = ta.quantization();
      const auto* qb = tb.quantization();
      CHECK(floats(qa ? qa->scale() : nullptr) == floats(qb ? qb->scale() : nullptr));
      CHECK(ints(qa ? qa->zero_point() : nullptr) == ints(qb ? qb->zero_point() : nullptr));
      CHECK((qa ? qa->quantized_dimension() : 0) == (qb ? qb->quantized_dimension() : 0));
      CHECK((qa ? qa->details_type() : schema::QuantizationDetails::NONE) ==
            (qb ? qb->details_type() : schema::QuantizationDetails::NONE));
      const Model::Bytes da = a.BufferData(static_cast<int>(ta.buffer()));
      const Model::Bytes db = b.BufferData(static_cast<int>(tb.buffer()));
      REQUIRE(da.size == db.size);
      CHECK((da.size == 0 || std::memcmp(da.data, db.data, da.size) == 0));
      // Constant data is 16-byte aligned in the written file (TFLite's converter does the same).
      if (db.size > 0) CHECK(reinterpret_cast<uintptr_t>(db.data) % 16 == 0);
    }
    const uint32_t n_ops = sa.operators() ? sa.operators()->size() : 0;
    REQUIRE(n_ops == (sb.operators() ? sb.operators()->size() : 0));
    for (uint32_t i = 0; i < n_ops; ++i) {
      const schema::Operator& oa = *sa.operators()->Get(i);
      const schema::Operator& ob = *sb.operators()->Get(i);
      INFO("operator " << i);
      CHECK(oa.opcode_index() == ob.opcode_index());
      CHECK(ints(oa.inputs()) == ints(ob.inputs()));
      CHECK(ints(oa.outputs()) == ints(ob.outputs()));
      CHECK(ints(oa.intermediates()) == ints(ob.intermediates()));
      CHECK(oa.builtin_options_type() == ob.builtin_options_type());
      CHECK(oa.builtin_options_2_type() == ob.builtin_options_2_type());
      CHECK(bytes(oa.custom_options()) == bytes(ob.custom_options()));
    }
  }
  const uint32_t n_sig = fa.signature_defs() ? fa.signature_defs()->size() : 0;
  REQUIRE(n_sig == (fb.signature_defs() ? fb.signature_defs()->size() : 0));
  for (uint32_t i = 0; i < n_sig; ++i) {
    const schema::SignatureDef& ga = *fa.signature_defs()->Get(i);
    const schema::SignatureDef& gb = *fb.signature_defs()->Get(i);
    CHECK(str(ga.signature_key()) == str(gb.signature_key()));
    CHECK(ga.subgraph_index() == gb.subgraph_index());
    for (auto maps :
         {std::make_pair(ga.inputs(), gb.inputs()), std::make_pair(ga.outputs(), gb.outputs())}) {
      REQUIRE((maps.first ? maps.first->size() : 0) == (maps.second ? maps.second->size() : 0));
      for (uint32_t k = 0; maps.first && k < maps.first->size(); ++k) {
        CHECK(str(maps.first->Get(k)->name()) == str(maps.second->Get(k)->name()));
        CHECK(maps.first->Get(k)->tensor_index() == maps.second->Get(k)->tensor_index());
      }
    }
  }
  const uint32_t n_meta = fa.metadata() ? fa.metadata()->size() : 0;
  REQUIRE(n_meta == (fb.metadata() ? fb.metadata()->size() : 0));
  for (uint32_t i = 0; i < n_meta; ++i) {
    const schema::Metadata& ma = *fa.metadata()->Get(i);
    const schema::Metadata& mb = *fb.metadata()->Get(i);
    CHECK(str(ma.name()) == str(mb.name()));
    const Model::Bytes da = a.BufferData(static_cast<int>(ma.buffer()));
    const Model::Bytes db = b.BufferData(static_cast<int>(mb.buffer()));
    REQUIRE(da.size == db.size);
    CHECK((da.size == 0 || std::memcmp(da.data, db.data, da.size) == 0));
  }
  CHECK(ints(fa.metadata_buffer()) == ints(fb.metadata_buffer()));
}

// Runs the primary subgraph on deterministic random inputs; returns the raw output bytes, or the
// error that stopped it (a missing custom op, for instance).
Result<std::vector<std::vector<uint8_t>>> RunOnRandomInputs(std::shared_ptr<const Model> model,
                                                            uint32_t seed) {
  auto interp = Interpreter::Create(model, OpRegistry::WithBuiltins());
  if (!interp.ok()) return interp.status();
  Interpreter& in = **interp;
  LS_RETURN_IF_ERROR(in.AllocateTensors());
  std::mt19937 rng(seed);
  for (int i = 0; i < in.input_count(); ++i) {
    Tensor* t = in.input(i);
    if (t->type == DataType::kString) return UnsupportedTypeError("string input");
    if (t->type == DataType::kFloat32) {
      std::uniform_real_distribution<float> dist(-1.f, 1.f);
      for (int64_t k = 0; k < t->elements(); ++k) t->data_as<float>()[k] = dist(rng);
    } else if (t->type == DataType::kInt32) {  // small: often indices (GATHER, embeddings)
      for (int64_t k = 0; k < t->elements(); ++k) t->data_as<int32_t>()[k] = rng() % 64;
    } else if (t->type == DataType::kInt64) {
      for (int64_t k = 0; k < t->elements(); ++k) t->data_as<int64_t>()[k] = rng() % 64;
    } else if (t->type == DataType::kBool) {
      for (size_t k = 0; k < t->bytes; ++k) static_cast<uint8_t*>(t->data)[k] = rng() & 1;
    } else {
      for (size_t k = 0; k < t->bytes; ++k) static_cast<uint8_t*>(t->data)[k] = rng() & 0x3f;
    }
  }
  LS_RETURN_IF_ERROR(in.Invoke());
  std::vector<std::vector<uint8_t>> outputs;
  for (int i = 0; i < in.output_count(); ++i) {
    const Tensor* t = in.output(i);
    const uint8_t* p = static_cast<const uint8_t*>(t->data);
    outputs.emplace_back(p, p + t->bytes);
  }
  return outputs;
}

enum class RoundTrip { kSameOutputs, kLoadOnly };

// Reads `bytes`, writes them back without edits and checks the result; returns whether outputs
// could be compared.
RoundTrip CheckRoundTrip(const std::vector<uint8_t>& bytes, const std::string& name,
                         std::string* not_run_reason = nullptr) {
  INFO(name);
  auto original = Model::FromBufferCopy(bytes.data(), bytes.size(), name);
  INFO(original.status().message());
  REQUIRE(original.ok());
  auto editor = ModelEditor::FromModel(**original);
  INFO(editor.status().message());
  REQUIRE(editor.ok());
  auto written = editor->Serialize();
  INFO(written.status().message());
  REQUIRE(written.ok());
  auto copy = Model::FromBufferCopy(written->data(), written->size(), name + " (written)");
  INFO(copy.status().message());
  REQUIRE(copy.ok());
  CheckSameSemantics(**original, **copy);
  // Every field of the schema, through the object API's deep comparison.
  auto again = ModelEditor::FromModel(**copy);
  REQUIRE(again.ok());
  CHECK(editor->model() == again->model());

  auto out_a = RunOnRandomInputs(*original, 7);
  auto out_b = RunOnRandomInputs(*copy, 7);
  CHECK(out_a.ok() == out_b.ok());
  if (!out_a.ok() || !out_b.ok()) {
    if (not_run_reason)
      *not_run_reason = out_a.ok() ? out_b.status().message() : out_a.status().message();
    return RoundTrip::kLoadOnly;
  }
  CHECK(*out_a == *out_b);  // bitwise
  return RoundTrip::kSameOutputs;
}

std::shared_ptr<const Model> LoadOrDie(const std::vector<uint8_t>& bytes) {
  auto m = Model::FromBufferCopy(bytes.data(), bytes.size());
  INFO(m.status().message());
  REQUIRE(m.ok());
  return *m;
}

ModelEditor EditorFor(const std::vector<uint8_t>& bytes) {
  auto e = ModelEditor::FromBuffer(bytes.data(), bytes.size());
  INFO(e.status().message());
  REQUIRE(e.ok());
  return std::move(e).value();
}

std::vector<float> AsFloats(const std::vector<uint8_t>& bytes) {
  std::vector<float> v(bytes.size() / sizeof(float));
  std::memcpy(v.data(), bytes.data(), v.size() * sizeof(float));
  return v;
}

// A small float model: input [1,4,4,3] -> CONV_2D(3x3, 8 filters, constant weights) -> output.
std::vector<uint8_t> BuildConvModel() {
  ModelBuilder b;
  const int in = b.AddTensor(0, "input", DataType::kFloat32, {1, 4, 4, 3});
  std::vector<float> w(8 * 3 * 3 * 3), bias(8);
  for (size_t i = 0; i < w.size(); ++i) w[i] = std::sin(0.37f * static_cast<float>(i));
  for (size_t i = 0; i < bias.size(); ++i) bias[i] = 0.1f * static_cast<float>(i);
  const int wt = b.AddConstTensor(0, "weights", DataType::kFloat32, {8, 3, 3, 3}, w);
  const int bt = b.AddConstTensor(0, "bias", DataType::kFloat32, {8}, bias);
  const int out = b.AddTensor(0, "output", DataType::kFloat32, {1, 4, 4, 8});
  b.AddOperator(0, schema::BuiltinOperator::CONV_2D, {in, wt, bt}, {out},
                [](flatbuffers::FlatBufferBuilder& fbb) {
                  return std::make_pair(
                      schema::BuiltinOptions::Conv2DOptions,
                      schema::CreateConv2DOptions(fbb, schema::Padding::SAME, 1, 1).Union());
                });
  b.SetInputs(0, {in});
  b.SetOutputs(0, {out});
  b.AddSignature("serving_default", 0, {{"x", in}}, {{"y", out}});
  b.AddMetadata("min_runtime_version", {'1', '.', '5', 0});
  b.SetDescription("conv test model");
  return b.Finish();
}

std::vector<float> RunFloat(std::shared_ptr<const Model> model) {
  auto out = RunOnRandomInputs(model, 11);
  INFO(out.status().message());
  REQUIRE(out.ok());
  return AsFloats(out->front());
}

}  // namespace

// Shared models our runtime only loads (it cannot run them, so outputs are not compared; the
// test prints the list with the reasons): custom ops we do not implement in
// face_landmark_with_attention (Landmarks2TransformMatrix, ...), whitespace_tokenizer_flex_delegate
// (Flex ops), audio_preprocessor_int8 (Signal* ops), deeplabv3_mnv2_dm05_pascal_quant_edgetpu
// (edgetpu-custom-op), selfie_segmentation (Convolution2DTransposeBias); and
// keyword_scrambled_8bit (its SVDF has an INT8 activation state, which our SVDF kernel refuses).
TEST_CASE("ModelEditor round-trips every shared model with identical semantics and outputs",
          "[runtime][model_editor][shared]") {
  if (testing::SkipWithoutShared("ModelEditor shared round trip")) return;
  int same = 0, load_only = 0;
  std::string load_only_names;
  for (const auto& entry : std::filesystem::directory_iterator(testing::SharedDir() + "/models")) {
    if (entry.path().extension() != ".tflite") continue;
    std::string reason;
    const RoundTrip r =
        CheckRoundTrip(ReadBytes(entry.path().string()), entry.path().filename(), &reason);
    if (r == RoundTrip::kSameOutputs) {
      ++same;
    } else {
      ++load_only;
      load_only_names += "\n  " + entry.path().stem().string() + ": " + reason;
    }
  }
  std::printf("ModelEditor round trip: %d shared models with identical outputs, %d load only:%s\n",
              same, load_only, load_only_names.c_str());
  CHECK(same + load_only >= 31);
  CHECK(same >= 25);
}

TEST_CASE("ModelEditor round-trips every builtin sample model", "[runtime][model_editor]") {
  for (const SampleModelInfo& info : SampleModels()) {
    auto bytes = info.build();
    INFO(info.name << ": " << bytes.status().message());
    REQUIRE(bytes.ok());
    CHECK(CheckRoundTrip(*bytes, "builtin:" + info.name) == RoundTrip::kSameOutputs);
  }
}

TEST_CASE("ModelEditor keeps signatures, metadata, description and custom options",
          "[runtime][model_editor]") {
  ModelBuilder b;
  const int x = b.AddTensor(0, "x", DataType::kFloat32, {2});
  const int y = b.AddTensor(0, "y", DataType::kFloat32, {2});
  b.AddCustomOperator(0, "MyOp", {x}, {y}, {1, 2, 3, 4, 5});
  b.SetInputs(0, {x});
  b.SetOutputs(0, {y});
  b.AddSignature("run", 0, {{"in", x}}, {{"out", y}});
  b.AddMetadata("meta", {9, 8, 7});
  b.SetDescription("custom op model");
  ModelEditor e = EditorFor(b.Finish());
  auto bytes = e.Serialize();
  INFO(bytes.status().message());
  REQUIRE(bytes.ok());
  ModelEditor back = EditorFor(*bytes);
  const edit::ModelT& m = back.model();
  CHECK(m.description == "custom op model");
  REQUIRE(m.signature_defs.size() == 1);
  CHECK(m.signature_defs[0]->signature_key == "run");
  CHECK(m.signature_defs[0]->inputs[0]->name == "in");
  REQUIRE(m.metadata.size() == 1);
  CHECK(m.buffers[m.metadata[0]->buffer]->data == std::vector<uint8_t>{9, 8, 7});
  CHECK(m.operator_codes[0]->custom_code == "MyOp");
  CHECK(m.subgraphs[0]->operators[0]->custom_options == std::vector<uint8_t>{1, 2, 3, 4, 5});
  CHECK(m.subgraphs[0]->name == "main");
}

TEST_CASE("ModelEditor reads buffers stored after the flatbuffer and can write them there",
          "[runtime][model_editor]") {
  ModelBuilder b;
  b.set_external_buffer_min_bytes(64);
  const int in = b.AddTensor(0, "in", DataType::kFloat32, {1, 32});
  std::vector<float> c(32);
  for (size_t i = 0; i < c.size(); ++i) c[i] = 0.5f * static_cast<float>(i);
  const int k = b.AddConstTensor(0, "k", DataType::kFloat32, {1, 32}, c);
  const int out = b.AddTensor(0, "out", DataType::kFloat32, {1, 32});
  b.AddOperator(0, schema::BuiltinOperator::ADD, {in, k}, {out});
  b.SetInputs(0, {in});
  b.SetOutputs(0, {out});
  const std::vector<uint8_t> bytes = b.Finish();
  auto original = LoadOrDie(bytes);
  REQUIRE(original->fb()->buffers()->Get(1)->offset() > 1);  // really stored outside

  ModelEditor e = EditorFor(bytes);
  CHECK(AsFloats(e.TensorData(0, k)) == c);
  CHECK(e.model().buffers[1]->offset == 0);

  SECTION("inline") {
    auto written = e.Serialize();
    REQUIRE(written.ok());
    auto copy = LoadOrDie(*written);
    CHECK(copy->fb()->buffers()->Get(1)->offset() == 0);
    CheckSameSemantics(*original, *copy);
    CHECK(RunFloat(copy) == RunFloat(original));
  }
  SECTION("external") {
    SerializeOptions opt;
    opt.external_buffer_min_bytes = 16;
    auto written = e.Serialize(opt);
    INFO(written.status().message());
    REQUIRE(written.ok());
    auto copy = LoadOrDie(*written);
    const uint64_t offset = copy->fb()->buffers()->Get(1)->offset();
    CHECK(offset > 1);
    CHECK(offset % 64 == 0);
    CheckSameSemantics(*original, *copy);
    CHECK(RunFloat(copy) == RunFloat(original));
  }
}

TEST_CASE("ModelEditor converts conv weights to float16 behind a DEQUANTIZE",
          "[runtime][model_editor]") {
  const std::vector<uint8_t> bytes = BuildConvModel();
  auto original = LoadOrDie(bytes);
  ModelEditor e = EditorFor(bytes);
  const int w = e.FindTensor(0, "weights");
  REQUIRE(w >= 0);
  const size_t buffers_before = e.model().buffers.size();
  auto half = e.ConvertConstantToFloat16(0, w);
  INFO(half.status().message());
  REQUIRE(half.ok());
  CHECK(e.tensor(0, *half)->type == edit::TensorType::FLOAT16);
  CHECK(e.tensor(0, *half)->name == "weights_fp16");
  CHECK(e.tensor(0, w)->buffer == 0);
  CHECK(e.Producer(0, w) == 0);
  CHECK(e.OperatorBuiltinCode(0, 0) == static_cast<int32_t>(edit::BuiltinOperator::DEQUANTIZE));
  CHECK(e.Consumers(0, w) == std::vector<int>{1});
  CHECK(e.RemoveUnusedBuffers() == 1);  // the float32 weights
  CHECK(e.model().buffers.size() == buffers_before);

  auto written = e.Serialize();
  INFO(written.status().message());
  REQUIRE(written.ok());
  auto edited = LoadOrDie(*written);
  CHECK(written->size() < bytes.size());
  const std::vector<float> want = RunFloat(original);
  const std::vector<float> got = RunFloat(edited);
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) CHECK(got[i] == Approx(want[i]).margin(5e-3));
  // The signature still names the output, and the metadata survived the buffer renumbering.
  ModelEditor back = EditorFor(*written);
  CHECK(back.model().signature_defs[0]->outputs[0]->name == "y");
  CHECK(back.model().buffers[back.model().metadata[0]->buffer]->data ==
        std::vector<uint8_t>{'1', '.', '5', 0});
}

TEST_CASE("ModelEditor stores weights as per-channel int8 (dynamic-range quantization)",
          "[runtime][model_editor]") {
  const std::vector<uint8_t> bytes = BuildConvModel();
  auto original = LoadOrDie(bytes);
  ModelEditor e = EditorFor(bytes);
  const int w = e.FindTensor(0, "weights");
  auto values = e.ReadFloatData(0, w);
  REQUIRE(values.ok());
  // Symmetric per-output-channel int8, dequantized by a DEQUANTIZE so any runtime can run it.
  const int channels = 8, per_channel = 27;
  QuantParams q;
  q.quantized_dimension = 0;
  std::vector<uint8_t> data(values->size());
  for (int c = 0; c < channels; ++c) {
    float max_abs = 0;
    for (int k = 0; k < per_channel; ++k)
      max_abs = std::max(max_abs, std::fabs((*values)[c * per_channel + k]));
    const float scale = max_abs / 127.f;
    q.scale.push_back(scale);
    for (int k = 0; k < per_channel; ++k) {
      const float v = std::round((*values)[c * per_channel + k] / scale);
      data[c * per_channel + k] = static_cast<uint8_t>(static_cast<int8_t>(v));
    }
  }
  edit::TensorT int8_weights = *e.tensor(0, w);
  int8_weights.name = "weights_int8";
  const int w8 = *e.AddTensor(0, std::move(int8_weights));
  REQUIRE(e.SetConstantData(0, w8, edit::TensorType::INT8, data, q).ok());
  auto producer = e.InsertProducer(0, w, edit::BuiltinOperator::DEQUANTIZE, *e.tensor(0, w8));
  REQUIRE(producer.ok());
  // The copy made for InsertProducer is the one wired in; drop the unused original and buffers.
  auto removed = e.RemoveUnusedTensors(0);
  REQUIRE(removed.ok());
  CHECK(*removed == 1);
  CHECK(e.RemoveUnusedBuffers() == 1);
  const int wq = e.FindTensor(0, "weights_int8");
  REQUIRE(wq >= 0);
  REQUIRE(e.tensor(0, wq)->quantization);
  CHECK(e.tensor(0, wq)->quantization->scale.size() == 8);
  CHECK(e.tensor(0, wq)->quantization->zero_point == std::vector<int64_t>(8, 0));

  auto written = e.Serialize();
  INFO(written.status().message());
  REQUIRE(written.ok());
  const std::vector<float> want = RunFloat(original);
  const std::vector<float> got = RunFloat(LoadOrDie(*written));
  for (size_t i = 0; i < got.size(); ++i) CHECK(got[i] == Approx(want[i]).margin(5e-2));
}

TEST_CASE("ModelEditor changes quantization parameters", "[runtime][model_editor]") {
  ModelEditor e = EditorFor(BuildConvModel());
  const int w = e.FindTensor(0, "weights");
  SECTION("per-channel") {
    QuantParams q;
    q.scale.assign(8, 0.5f);
    q.zero_point.assign(8, 0);
    q.quantized_dimension = 0;
    REQUIRE(e.SetQuantization(0, w, q).ok());
    CHECK(e.tensor(0, w)->quantization->quantized_dimension == 0);
    QuantParams bad = q;
    bad.quantized_dimension = 3;  // 3 channels there, 8 scales
    Status s = e.SetQuantization(0, w, bad);
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.message().find("8 scales for dimension 3 of size 3") != std::string::npos);
  }
  SECTION("per-tensor, then removed") {
    QuantParams q;
    q.scale = {0.25f};
    q.zero_point = {3};
    const int in = e.FindTensor(0, "input");
    REQUIRE(e.SetQuantization(0, in, q).ok());
    ModelEditor back = EditorFor(*e.Serialize());
    CHECK(back.tensor(0, in)->quantization->scale == std::vector<float>{0.25f});
    CHECK(back.tensor(0, in)->quantization->zero_point == std::vector<int64_t>{3});
    REQUIRE(back.SetQuantization(0, in, {}).ok());
    CHECK(!back.tensor(0, in)->quantization);
  }
  SECTION("wrong data size") {
    Status s = e.SetConstantData(0, w, edit::TensorType::INT8, std::vector<uint8_t>(10));
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.message().find("10 bytes given") != std::string::npos);
  }
}

TEST_CASE("ModelEditor inserts a QUANTIZE between a producer and its consumers",
          "[runtime][model_editor]") {
  const std::vector<uint8_t> bytes = BuildAddMulModel();  // sum = a + b; output = sum * b
  auto original = LoadOrDie(bytes);
  ModelEditor e = EditorFor(bytes);
  const int sum = e.FindTensor(0, "sum");
  REQUIRE(sum >= 0);
  edit::TensorT int8_sum = *e.tensor(0, sum);  // same shape; type and quantization set below
  int8_sum.name = "sum_int8";
  auto t = e.InsertConsumer(0, sum, edit::BuiltinOperator::QUANTIZE, std::move(int8_sum));
  REQUIRE(t.ok());
  CHECK(e.Producer(0, *t) == 1);
  CHECK(e.Consumers(0, sum) == std::vector<int>{1});
  CHECK(e.Consumers(0, *t) == std::vector<int>{2});
  QuantParams q;
  q.scale = {1.f / 64};
  q.zero_point = {0};
  e.tensor(0, *t)->type = edit::TensorType::INT8;
  REQUIRE(e.SetQuantization(0, *t, q).ok());
  // MUL(int8, float32) is not valid; put a DEQUANTIZE back in front of the MUL.
  edit::TensorT back_to_float = *e.tensor(0, sum);
  back_to_float.name = "sum_dequantized";
  auto d = e.InsertConsumer(0, *t, edit::BuiltinOperator::DEQUANTIZE, std::move(back_to_float));
  REQUIRE(d.ok());
  auto written = e.Serialize();
  INFO(written.status().message());
  REQUIRE(written.ok());
  const std::vector<float> want = RunFloat(original);
  const std::vector<float> got = RunFloat(LoadOrDie(*written));
  REQUIRE(got.size() == want.size());
  // sum is in [-2, 2]; int8 at 1/64 steps covers it with error <= 1/128, times |b| <= 1.
  for (size_t i = 0; i < got.size(); ++i) CHECK(got[i] == Approx(want[i]).margin(1.0 / 64));
}

TEST_CASE("ModelEditor removes unused buffers, tensors and operator codes",
          "[runtime][model_editor]") {
  ModelEditor e = EditorFor(BuildConvModel());
  const size_t n_buffers = e.model().buffers.size();
  const size_t n_tensors = e.model().subgraphs[0]->tensors.size();
  e.AddBuffer({1, 2, 3});
  e.AddOperatorCode(edit::BuiltinOperator::TANH);
  edit::TensorT orphan;
  orphan.name = "orphan";
  orphan.shape = {1};
  REQUIRE(e.AddTensor(0, std::move(orphan)).ok());
  CHECK(e.RemoveUnusedBuffers() == 1);
  CHECK(e.model().buffers.size() == n_buffers);
  CHECK(*e.RemoveUnusedTensors(0) == 1);
  CHECK(e.model().subgraphs[0]->tensors.size() == n_tensors);
  CHECK(e.RemoveUnusedOperatorCodes() == 1);
  CHECK(e.RemoveUnusedBuffers() == 0);
  auto written = e.Serialize();
  INFO(written.status().message());
  REQUIRE(written.ok());
  CheckSameSemantics(*LoadOrDie(BuildConvModel()), *LoadOrDie(*written));
}

TEST_CASE("ModelEditor Serialize rejects bad edits with a clear error", "[runtime][model_editor]") {
  ModelEditor e = EditorFor(BuildConvModel());
  edit::SubGraphT& sg = *e.model().subgraphs[0];
  SECTION("operator input out of range") {
    sg.operators[0]->inputs[1] = 99;
    auto r = e.Serialize();
    REQUIRE(!r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidModel);
    CHECK(r.status().message() ==
          "cannot serialize the edited model: subgraph 0 operator 0 (CONV_2D): input 1 is tensor "
          "99, out of range (the subgraph has 4 tensors)");
  }
  SECTION("dangling operator input") {
    edit::TensorT t;
    t.name = "nobody_writes_me";
    t.shape = {8};
    sg.operators[0]->inputs[2] = *e.AddTensor(0, std::move(t));
    auto r = e.Serialize();
    REQUIRE(!r.ok());
    CHECK(r.status().message().find("input 2 reads tensor 4 (\"nobody_writes_me\"), which no "
                                    "earlier operator writes") != std::string::npos);
  }
  SECTION("tensor buffer out of range") {
    sg.tensors[1]->buffer = 1000;
    auto r = e.Serialize();
    REQUIRE(!r.ok());
    CHECK(r.status().message().find("tensor 1 (\"weights\"): buffer 1000 out of range") !=
          std::string::npos);
  }
  SECTION("constant too short for its shape (caught by the validator)") {
    e.model().buffers[sg.tensors[1]->buffer]->data.resize(16);
    auto r = e.Serialize();
    REQUIRE(!r.ok());
    CHECK(r.status().message().rfind("the edited model does not pass validation: ", 0) == 0);
  }
  SECTION("union type without a value") {
    sg.operators[0]->builtin_options.Reset();
    sg.operators[0]->builtin_options.type = edit::BuiltinOptions::Conv2DOptions;
    auto r = e.Serialize();
    REQUIRE(!r.ok());
    CHECK(r.status().message().find("builtin_options type set without a value") !=
          std::string::npos);
  }
  SECTION("helpers reject bad indices") {
    CHECK(!e.AddTensor(5, edit::TensorT{}).ok());
    CHECK(e.InsertOperator(0, 7, edit::OperatorT{}).code() == StatusCode::kInvalidArgument);
    CHECK(!e.ReadFloatData(0, 42).ok());
    CHECK(!e.InsertProducer(0, e.FindTensor(0, "output"), edit::BuiltinOperator::DEQUANTIZE,
                            edit::TensorT{})
               .ok());  // already written by the CONV_2D
  }
}

TEST_CASE("ModelEditor WriteFile writes a model that loads from disk", "[runtime][model_editor]") {
  ModelEditor e = EditorFor(BuildConvModel());
  const std::string dir = testing::TempDir("model_editor");
  const std::string path = dir + "/conv.tflite";
  REQUIRE(e.WriteFile(path).ok());
  auto m = Model::FromFile(path);
  INFO(m.status().message());
  REQUIRE(m.ok());
  auto back = ModelEditor::FromFile(path);
  REQUIRE(back.ok());
  CHECK(back->model() == e.model());
  e.model().subgraphs[0]->outputs = {77};
  CHECK(!e.WriteFile(dir + "/bad.tflite").ok());
  CHECK(!std::filesystem::exists(dir + "/bad.tflite"));
  CHECK(!std::filesystem::exists(dir + "/bad.tflite.tmp"));
}

}  // namespace litescope::runtime
