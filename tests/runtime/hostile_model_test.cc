#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "analyzers/model_summary.h"
#include "delegates/xnnpack/xnnpack_delegate.h"
#include "runtime/interpreter.h"
#include "runtime/model.h"
#include "runtime/model_builder.h"
#include "runtime/op_registry.h"

// Crafted hostile models (issue 8), one TEST_CASE per class of attack that TensorFlow Lite's
// security advisories describe. Each model is built with ModelBuilder (which writes exactly what
// it is told) and run the way tflite_run runs a model: load, AllocateTensors, fill the inputs
// with zeros, Invoke. Every one must stop with a one-line error that names the node or tensor
// and the problem; none may crash or trip ASan/UBSan (the CI runs these tests under both).
namespace litescope::runtime {
namespace {

using schema::BuiltinOperator;
using schema::BuiltinOptions;
namespace fb = flatbuffers;

constexpr int32_t kI32Max = std::numeric_limits<int32_t>::max();

InterpreterOptions Limits() {
  InterpreterOptions options;
  options.max_arena_bytes = int64_t{64} << 20;
  options.max_while_iterations = 1000;
  return options;
}

// Where a run stopped: "load", "create", "allocate", "invoke" or "ok".
struct Outcome {
  std::string stage;
  Status status;
};

// With `delegate` (not owned) applied after Create; a failure there stops at "delegate".
Outcome Run(const std::vector<uint8_t>& bytes, const InterpreterOptions& options = Limits(),
            Delegate* delegate = nullptr, uint8_t fill = 0) {
  auto model = Model::FromBufferCopy(bytes.data(), bytes.size(), "hostile.tflite");
  if (!model.ok()) return {"load", model.status()};
  auto interp = Interpreter::Create(*model, OpRegistry::WithBuiltins(), options);
  if (!interp.ok()) return {"create", interp.status()};
  if (delegate) {
    Status d = (*interp)->ApplyDelegate(*delegate);
    if (!d.ok()) return {"delegate", d};
  }
  Status s = (*interp)->AllocateTensors();
  if (!s.ok()) return {"allocate", s};
  for (int i = 0; i < (*interp)->input_count(); ++i) {
    Tensor* t = (*interp)->input(i);
    if (t && t->data && !t->is_constant()) std::memset(t->data, fill, t->bytes);
  }
  s = (*interp)->Invoke();
  if (!s.ok()) return {"invoke", s};
  return {"ok", Status::Ok()};
}

// Requires that the run stopped at `stage` with a one-line message holding every fragment.
void RequireError(const std::vector<uint8_t>& bytes, const std::string& stage,
                  const std::vector<std::string>& fragments,
                  const InterpreterOptions& options = Limits()) {
  const Outcome o = Run(bytes, options);
  INFO("stopped at: " << o.stage << "; message: " << o.status.message());
  REQUIRE(o.stage == stage);
  CHECK_FALSE(o.status.ok());
  CHECK(o.status.message().find('\n') == std::string::npos);
  for (const std::string& f : fragments) CHECK(o.status.message().find(f) != std::string::npos);
}

// Requires that the run does not crash: it either completes or stops with a one-line error
// (used where both are right, e.g. an empty tensor that a kernel may or may not accept).
void RequireNoCrash(const std::vector<uint8_t>& bytes) {
  const Outcome o = Run(bytes);
  INFO("stopped at: " << o.stage << "; message: " << o.status.message());
  CHECK(o.status.message().find('\n') == std::string::npos);
  if (o.stage == "allocate" || o.stage == "invoke")
    CHECK(o.status.message().find("node ") != std::string::npos);
}

// A model with one operator: graph inputs, constant inputs and outputs, added in input order.
class OneOp {
 public:
  int Input(DataType type, std::vector<int32_t> shape, QuantParams quant = {}) {
    const int t = mb_.AddTensor(0, "in" + std::to_string(op_inputs_.size()), type, shape, quant);
    op_inputs_.push_back(t);
    graph_inputs_.push_back(t);
    return t;
  }
  template <typename T>
  int Const(DataType type, std::vector<int32_t> shape, std::vector<T> values,
            QuantParams quant = {}) {
    const int t = mb_.AddConstTensor<T>(0, "const" + std::to_string(op_inputs_.size()), type, shape,
                                        values, quant);
    op_inputs_.push_back(t);
    return t;
  }
  // An absent optional input (-1).
  void Absent() { op_inputs_.push_back(-1); }
  int Output(DataType type, std::vector<int32_t> shape, QuantParams quant = {}) {
    const int t = mb_.AddTensor(0, "out" + std::to_string(outputs_.size()), type, shape, quant);
    outputs_.push_back(t);
    return t;
  }
  std::vector<uint8_t> Finish(BuiltinOperator op, OptionsFn options = {}, int version = 1) {
    mb_.AddOperator(0, op, op_inputs_, outputs_, std::move(options), version);
    mb_.SetInputs(0, graph_inputs_);
    mb_.SetOutputs(0, outputs_);
    return mb_.Finish();
  }
  ModelBuilder& builder() { return mb_; }

 private:
  ModelBuilder mb_;
  std::vector<int32_t> op_inputs_, graph_inputs_, outputs_;
};

// Options helpers: each returns the OptionsFn that writes one options table.
template <typename MakeFn>
OptionsFn Opts(BuiltinOptions type, MakeFn make) {
  return [type, make](fb::FlatBufferBuilder& b) { return std::make_pair(type, make(b).Union()); };
}

OptionsFn Conv(int stride_w, int stride_h, int dilation_w = 1, int dilation_h = 1,
               schema::Padding padding = schema::Padding::VALID) {
  return Opts(BuiltinOptions::Conv2DOptions, [=](fb::FlatBufferBuilder& b) {
    return schema::CreateConv2DOptions(b, padding, stride_w, stride_h,
                                       schema::ActivationFunctionType::NONE, dilation_w,
                                       dilation_h);
  });
}

OptionsFn Depthwise(int stride, int dilation, int multiplier = 1) {
  return Opts(BuiltinOptions::DepthwiseConv2DOptions, [=](fb::FlatBufferBuilder& b) {
    return schema::CreateDepthwiseConv2DOptions(b, schema::Padding::VALID, stride, stride,
                                                multiplier, schema::ActivationFunctionType::NONE,
                                                dilation, dilation);
  });
}

OptionsFn Pool(int filter, int stride, schema::Padding padding = schema::Padding::VALID) {
  return Opts(BuiltinOptions::Pool2DOptions, [=](fb::FlatBufferBuilder& b) {
    return schema::CreatePool2DOptions(b, padding, stride, stride, filter, filter);
  });
}

OptionsFn Axis(BuiltinOperator op, int axis) {
  switch (op) {
    case BuiltinOperator::CONCATENATION:
      return Opts(BuiltinOptions::ConcatenationOptions, [axis](fb::FlatBufferBuilder& b) {
        return schema::CreateConcatenationOptions(b, axis);
      });
    case BuiltinOperator::GATHER:
      return Opts(BuiltinOptions::GatherOptions, [axis](fb::FlatBufferBuilder& b) {
        return schema::CreateGatherOptions(b, axis);
      });
    default:  // PACK of two values
      return Opts(BuiltinOptions::PackOptions, [axis](fb::FlatBufferBuilder& b) {
        return schema::CreatePackOptions(b, 2, axis);
      });
  }
}

OptionsFn Subgraphs(BuiltinOperator op, int a, int b) {
  switch (op) {
    case BuiltinOperator::WHILE:
      return Opts(BuiltinOptions::WhileOptions, [a, b](fb::FlatBufferBuilder& fbb) {
        return schema::CreateWhileOptions(fbb, a, b);
      });
    case BuiltinOperator::IF:
      return Opts(BuiltinOptions::IfOptions, [a, b](fb::FlatBufferBuilder& fbb) {
        return schema::CreateIfOptions(fbb, a, b);
      });
    default:
      return Opts(BuiltinOptions::CallOnceOptions, [a](fb::FlatBufferBuilder& fbb) {
        return schema::CreateCallOnceOptions(fbb, a);
      });
  }
}

QuantParams Quant(std::vector<float> scale, std::vector<int64_t> zero_point, int axis = 0) {
  QuantParams q;
  q.scale = std::move(scale);
  q.zero_point = std::move(zero_point);
  q.quantized_dimension = axis;
  return q;
}

// x [1, 4, 4, 2] -> CONV_2D with a [2, kh, kw, 2] filter and a [2] bias.
std::vector<uint8_t> ConvModel(OptionsFn options, std::vector<int32_t> filter_shape = {2, 3, 3, 2},
                               std::vector<int32_t> input_shape = {1, 4, 4, 2}) {
  OneOp m;
  m.Input(DataType::kFloat32, input_shape);
  int64_t n = 1;
  for (int32_t d : filter_shape) n *= d;
  m.Const<float>(DataType::kFloat32, filter_shape, std::vector<float>(static_cast<size_t>(n), 1));
  m.Const<float>(DataType::kFloat32, {2}, {0, 0});
  m.Output(DataType::kFloat32, {1, 2, 2, 2});
  return m.Finish(BuiltinOperator::CONV_2D, std::move(options));
}

// A one-op model over int32 or float tensors whose second input is a constant.
template <typename T>
std::vector<uint8_t> WithConst(BuiltinOperator op, DataType type, std::vector<int32_t> shape,
                               DataType const_type, std::vector<int32_t> const_shape,
                               std::vector<T> const_values, OptionsFn options = {}) {
  OneOp m;
  m.Input(type, shape);
  m.Const<T>(const_type, const_shape, const_values);
  m.Output(type, shape);
  return m.Finish(op, std::move(options));
}

}  // namespace

TEST_CASE("Hostile models: negative, zero and huge dimensions", "[runtime][hostile]") {
  SECTION("negative dimension") {
    OneOp m;
    m.Input(DataType::kFloat32, {1, -3});
    m.Output(DataType::kFloat32, {1, 3});
    RequireError(m.Finish(BuiltinOperator::RELU), "load",
                 {"hostile.tflite: subgraph 0 tensor 0", "dimension 1 is -3"});
  }
  SECTION("negative dimension in a constant new shape") {
    RequireError(WithConst<int32_t>(BuiltinOperator::RESHAPE, DataType::kFloat32, {2, 3},
                                    DataType::kInt32, {2}, {-5, 2}),
                 "allocate", {"node 0 (RESHAPE)"});
  }
  SECTION("zero-sized filter") {
    RequireError(ConvModel(Conv(1, 1), {2, 0, 3, 2}), "allocate", {"node 0 (CONV_2D)"});
  }
  SECTION("an int8 convolution with no output channels") {  // found by fuzz_xnnpack
    OneOp m;
    m.Input(DataType::kInt8, {1, 4, 4, 2}, Quant({0.5f}, {0}));
    // A buffer with bytes to spare keeps the empty filter constant.
    m.Const<int8_t>(DataType::kInt8, {0, 3, 3, 2}, {1, 1}, Quant({0.5f}, {0}));
    m.Output(DataType::kInt8, {1, 2, 2, 0}, Quant({0.5f}, {0}));
    RequireNoCrash(m.Finish(BuiltinOperator::CONV_2D, Conv(1, 1)));
  }
  SECTION("an empty tensor runs as an empty tensor") {
    OneOp m;
    m.Input(DataType::kFloat32, {0, 4});
    m.Input(DataType::kFloat32, {0, 4});
    m.Output(DataType::kFloat32, {0, 4});
    CHECK(Run(m.Finish(BuiltinOperator::ADD)).stage == "ok");
  }
  SECTION("a mean over an empty axis") {
    OneOp m;
    m.Input(DataType::kInt8, {1, 0, 4}, Quant({0.5f}, {0}));
    m.Const<int32_t>(DataType::kInt32, {1}, {1});
    m.Output(DataType::kInt8, {1, 4}, Quant({0.5f}, {0}));
    RequireNoCrash(m.Finish(BuiltinOperator::MEAN));
  }
  SECTION("RESHAPE of an empty tensor into huge dimensions") {
    OneOp m;
    m.Input(DataType::kFloat32, {0, 4});
    m.Const<int32_t>(DataType::kInt32, {3}, {0, kI32Max, kI32Max});
    m.Output(DataType::kFloat32, {0});
    RequireError(m.Finish(BuiltinOperator::RESHAPE), "allocate", {"node 0 (RESHAPE)", "too large"});
  }
  SECTION("RESHAPE with -1 next to a zero dimension") {
    RequireError(WithConst<int32_t>(BuiltinOperator::RESHAPE, DataType::kFloat32, {2, 2},
                                    DataType::kInt32, {2}, {-1, 0}),
                 "allocate", {"node 0 (RESHAPE)", "cannot infer"});
  }
  SECTION("huge dimensions next to a zero one") {
    OneOp m;
    m.Input(DataType::kFloat32, {0, kI32Max, kI32Max, kI32Max});
    m.Output(DataType::kFloat32, {0, kI32Max, kI32Max, kI32Max});
    RequireError(m.Finish(BuiltinOperator::SOFTMAX), "load", {"subgraph 0 tensor 0"});
  }
  SECTION("huge dimensions whose bytes exceed the loader's limit") {
    OneOp m;
    m.Input(DataType::kFloat32, {1 << 20, 1 << 20, 1 << 10});
    m.Output(DataType::kFloat32, {1});
    RequireError(m.Finish(BuiltinOperator::RELU), "load",
                 {"subgraph 0 tensor 0", "declares 4503599627370496 bytes"});
  }
}

TEST_CASE("Hostile models: shape products that overflow", "[runtime][hostile]") {
  SECTION("declared shape") {
    OneOp m;
    m.Input(DataType::kFloat32, {kI32Max, kI32Max, kI32Max});
    m.Output(DataType::kFloat32, {1});
    RequireError(m.Finish(BuiltinOperator::RELU), "load", {"subgraph 0 tensor 0", "overflows"});
  }
  SECTION("elements fit in int64 but bytes do not") {
    OneOp m;
    m.Input(DataType::kFloat32, {1 << 30, 1 << 30, 1 << 2});
    m.Output(DataType::kFloat32, {1});
    RequireError(m.Finish(BuiltinOperator::RELU), "load", {"subgraph 0 tensor 0"});
  }
  SECTION("RESHAPE to a shape whose product overflows") {
    RequireError(WithConst<int32_t>(BuiltinOperator::RESHAPE, DataType::kFloat32, {2, 2},
                                    DataType::kInt32, {4}, {1 << 30, 1 << 30, 1 << 30, 8}),
                 "allocate", {"node 0 (RESHAPE)"});
  }
  SECTION("TILE multiples whose product overflows") {
    RequireError(WithConst<int32_t>(BuiltinOperator::TILE, DataType::kFloat32, {2, 2},
                                    DataType::kInt32, {2}, {kI32Max, kI32Max}),
                 "allocate", {"node 0 (TILE)"});
  }
  SECTION("BROADCAST_TO a shape whose product overflows") {
    RequireError(WithConst<int32_t>(BuiltinOperator::BROADCAST_TO, DataType::kFloat32, {1},
                                    DataType::kInt32, {3}, {kI32Max, kI32Max, kI32Max}),
                 "allocate", {"node 0 (BROADCAST_TO)"});
  }
  SECTION("FILL with dimensions whose product overflows") {
    OneOp m;
    m.Const<int32_t>(DataType::kInt32, {3}, {kI32Max, kI32Max, 4});
    m.Const<float>(DataType::kFloat32, {}, {1.0f});
    m.Output(DataType::kFloat32, {1});
    RequireError(m.Finish(BuiltinOperator::FILL), "allocate", {"node 0 (FILL)"});
  }
}

TEST_CASE("Hostile models: tensor, buffer, opcode and subgraph indices out of range",
          "[runtime][hostile]") {
  ModelBuilder mb;
  const int a = mb.AddTensor(0, "a", DataType::kFloat32, {2});
  const int out = mb.AddTensor(0, "out", DataType::kFloat32, {2});
  mb.SetInputs(0, {a});
  mb.SetOutputs(0, {out});
  SECTION("operator input tensor") {
    mb.AddOperator(0, BuiltinOperator::ADD, {a, 99}, {out});
    RequireError(mb.Finish(), "load", {"subgraph 0 operator 0", "input 1 refers to tensor 99"});
  }
  SECTION("operator output tensor -1") {
    mb.AddOperator(0, BuiltinOperator::RELU, {a}, {-1});
    RequireError(mb.Finish(), "load", {"subgraph 0 operator 0", "output 0 refers to tensor -1"});
  }
  SECTION("subgraph output tensor") {
    mb.AddOperator(0, BuiltinOperator::RELU, {a}, {out});
    mb.SetOutputs(0, {out, 7});
    RequireError(mb.Finish(), "load", {"subgraph 0 output 1 refers to tensor 7"});
  }
  SECTION("buffer index") {
    TensorSpec spec;
    spec.name = "w";
    spec.shape = {2};
    spec.buffer = 1000;
    const int w = mb.AddTensor(0, spec);
    mb.AddOperator(0, BuiltinOperator::ADD, {a, w}, {out});
    RequireError(mb.Finish(), "load", {"subgraph 0 tensor 2", "buffer 1000 out of range"});
  }
  SECTION("opcode index") {
    OperatorSpec op;
    op.opcode_index = 3;
    op.inputs = {a};
    op.outputs = {out};
    mb.AddOperator(0, op);
    RequireError(mb.Finish(), "load", {"subgraph 0 operator 0", "opcode index 3 out of range"});
  }
  SECTION("builtin code beyond the schema") {
    const int code = mb.AddRawOperatorCode(127, 100000, 1);
    OperatorSpec op;
    op.opcode_index = static_cast<uint32_t>(code);
    op.inputs = {a};
    op.outputs = {out};
    mb.AddOperator(0, op);
    RequireError(mb.Finish(), "allocate", {"node 0 (UNKNOWN_100000)"});
  }
  SECTION("WHILE, IF and CALL_ONCE subgraph indices") {
    mb.AddOperator(0, BuiltinOperator::WHILE, {a}, {out}, Subgraphs(BuiltinOperator::WHILE, 0, 5));
    RequireError(mb.Finish(), "load", {"subgraph 0 operator 0", "body subgraph 5 out of range"});
  }
  SECTION("IF else subgraph -1") {
    mb.AddOperator(0, BuiltinOperator::IF, {a}, {out}, Subgraphs(BuiltinOperator::IF, 0, -1));
    RequireError(mb.Finish(), "load", {"subgraph 0 operator 0", "else subgraph -1 out of range"});
  }
  SECTION("CALL_ONCE init subgraph") {
    mb.AddOperator(0, BuiltinOperator::CALL_ONCE, {}, {},
                   Subgraphs(BuiltinOperator::CALL_ONCE, 2, 0));
    mb.AddOperator(0, BuiltinOperator::RELU, {a}, {out});
    RequireError(mb.Finish(), "load", {"subgraph 0 operator 0", "init subgraph 2 out of range"});
  }
}

TEST_CASE("Hostile models: constant buffers shorter than their shape", "[runtime][hostile]") {
  SECTION("filter") {
    OneOp m;
    m.Input(DataType::kFloat32, {1, 4, 4, 2});
    m.Const<float>(DataType::kFloat32, {2, 3, 3, 2}, {1, 2, 3, 4});  // 16 of 144 bytes
    m.Const<float>(DataType::kFloat32, {2}, {0, 0});
    m.Output(DataType::kFloat32, {1, 2, 2, 2});
    RequireError(m.Finish(BuiltinOperator::CONV_2D, Conv(1, 1)), "load",
                 {"subgraph 0 tensor 1", "holds 16 bytes", "needs 144"});
  }
  SECTION("int8 weights with per-channel quantization") {
    OneOp m;
    m.Input(DataType::kInt8, {1, 4}, Quant({0.5f}, {0}));
    m.Const<int8_t>(DataType::kInt8, {3, 4}, {1, 2, 3}, Quant({0.1f, 0.1f, 0.1f}, {0, 0, 0}));
    m.Output(DataType::kInt8, {1, 3}, Quant({0.5f}, {0}));
    RequireError(m.Finish(BuiltinOperator::FULLY_CONNECTED), "load",
                 {"subgraph 0 tensor 1", "holds 3 bytes", "needs 12"});
  }
}

TEST_CASE("Hostile models: input and output counts that do not match the op",
          "[runtime][hostile]") {
  SECTION("CONV_2D with one input") {
    OneOp m;
    m.Input(DataType::kFloat32, {1, 4, 4, 2});
    m.Output(DataType::kFloat32, {1, 2, 2, 2});
    RequireError(m.Finish(BuiltinOperator::CONV_2D, Conv(1, 1)), "allocate",
                 {"node 0 (CONV_2D)", "inputs"});
  }
  SECTION("ADD with three inputs") {
    OneOp m;
    for (int i = 0; i < 3; ++i) m.Input(DataType::kFloat32, {2});
    m.Output(DataType::kFloat32, {2});
    RequireError(m.Finish(BuiltinOperator::ADD), "allocate", {"node 0 (ADD)", "3 inputs"});
  }
  SECTION("SOFTMAX without outputs") {
    OneOp m;
    m.Input(DataType::kFloat32, {2});
    RequireError(m.Finish(BuiltinOperator::SOFTMAX), "allocate", {"node 0 (SOFTMAX)", "outputs"});
  }
  SECTION("FULLY_CONNECTED whose required weights are absent") {
    OneOp m;
    m.Input(DataType::kFloat32, {1, 4});
    m.Absent();
    m.Output(DataType::kFloat32, {1, 3});
    RequireError(m.Finish(BuiltinOperator::FULLY_CONNECTED), "allocate",
                 {"node 0 (FULLY_CONNECTED)"});
  }
}

// Every builtin kernel with 0 to 4 inputs of three types, with and without options: none may
// crash (this is where a missing arity or options check shows up under ASan).
TEST_CASE("Hostile models: every builtin op survives wrong input counts and missing options",
          "[runtime][hostile]") {
  const OpRegistry registry = OpRegistry::WithBuiltins();
  int runs = 0;
  for (const KernelRegistration& k : registry.kernels()) {
    if (k.op == kCustomOpCode) continue;
    for (DataType type : {DataType::kFloat32, DataType::kInt8, DataType::kInt32}) {
      for (int inputs = 0; inputs <= 4; ++inputs) {
        for (int outputs : {0, 1, 2}) {
          OneOp m;
          const QuantParams q = type == DataType::kInt8 ? Quant({0.5f}, {0}) : QuantParams{};
          for (int i = 0; i < inputs; ++i) m.Input(type, {1, 2, 2, 2}, q);
          for (int o = 0; o < outputs; ++o) m.Output(type, {1, 2, 2, 2}, q);
          const auto op = static_cast<BuiltinOperator>(k.op);
          const Outcome o = Run(m.Finish(op));
          INFO(k.name << " with " << inputs << " " << DataTypeName(type) << " inputs and "
                      << outputs << " outputs: " << o.stage << ": " << o.status.message());
          CHECK(o.stage != "load");
          CHECK(o.status.message().find('\n') == std::string::npos);
          if (!o.status.ok()) CHECK(o.status.message().find("node 0") != std::string::npos);
          ++runs;
        }
      }
    }
  }
  CHECK(runs > 1000);
}

TEST_CASE("Hostile models: stride, dilation, filter size and block size of 0",
          "[runtime][hostile]") {
  SECTION("CONV_2D stride 0") {
    RequireError(ConvModel(Conv(0, 1)), "allocate", {"node 0 (CONV_2D)"});
  }
  SECTION("CONV_2D dilation 0") {
    RequireError(ConvModel(Conv(1, 1, 0, 1)), "allocate", {"node 0 (CONV_2D)"});
  }
  SECTION("CONV_2D negative stride") {
    RequireError(ConvModel(Conv(1, -2)), "allocate", {"node 0 (CONV_2D)"});
  }
  SECTION("DEPTHWISE_CONV_2D stride 0 and dilation 0") {
    for (auto [stride, dilation] : {std::pair{0, 1}, std::pair{1, 0}}) {
      OneOp m;
      m.Input(DataType::kFloat32, {1, 4, 4, 2});
      m.Const<float>(DataType::kFloat32, {1, 3, 3, 2}, std::vector<float>(18, 1.0f));
      m.Const<float>(DataType::kFloat32, {2}, {0, 0});
      m.Output(DataType::kFloat32, {1, 2, 2, 2});
      RequireError(m.Finish(BuiltinOperator::DEPTHWISE_CONV_2D, Depthwise(stride, dilation)),
                   "allocate", {"node 0 (DEPTHWISE_CONV_2D)"});
    }
  }
  SECTION("DEPTHWISE_CONV_2D depth multiplier 0") {
    OneOp m;
    m.Input(DataType::kFloat32, {1, 4, 4, 2});
    m.Const<float>(DataType::kFloat32, {1, 3, 3, 2}, std::vector<float>(18, 1.0f));
    m.Const<float>(DataType::kFloat32, {2}, {0, 0});
    m.Output(DataType::kFloat32, {1, 2, 2, 2});
    RequireNoCrash(m.Finish(BuiltinOperator::DEPTHWISE_CONV_2D, Depthwise(1, 1, 0)));
  }
  for (BuiltinOperator op : {BuiltinOperator::AVERAGE_POOL_2D, BuiltinOperator::MAX_POOL_2D,
                             BuiltinOperator::L2_POOL_2D}) {
    DYNAMIC_SECTION(schema::EnumNameBuiltinOperator(op) << " filter 0 and stride 0") {
      for (auto [filter, stride] : {std::pair{0, 1}, std::pair{2, 0}, std::pair{-1, 1}}) {
        OneOp m;
        m.Input(DataType::kFloat32, {1, 4, 4, 2});
        m.Output(DataType::kFloat32, {1, 2, 2, 2});
        RequireError(m.Finish(op, Pool(filter, stride)), "allocate",
                     {std::string("node 0 (") + schema::EnumNameBuiltinOperator(op) + ")"});
      }
    }
  }
  SECTION("SPACE_TO_DEPTH and DEPTH_TO_SPACE block size 0") {
    for (int block : {0, -2}) {
      OneOp s2d;
      s2d.Input(DataType::kFloat32, {1, 4, 4, 2});
      s2d.Output(DataType::kFloat32, {1, 2, 2, 8});
      RequireError(s2d.Finish(BuiltinOperator::SPACE_TO_DEPTH,
                              Opts(BuiltinOptions::SpaceToDepthOptions,
                                   [block](fb::FlatBufferBuilder& b) {
                                     return schema::CreateSpaceToDepthOptions(b, block);
                                   })),
                   "allocate", {"node 0 (SPACE_TO_DEPTH)", "block_size"});
      OneOp d2s;
      d2s.Input(DataType::kFloat32, {1, 2, 2, 8});
      d2s.Output(DataType::kFloat32, {1, 4, 4, 2});
      RequireError(d2s.Finish(BuiltinOperator::DEPTH_TO_SPACE,
                              Opts(BuiltinOptions::DepthToSpaceOptions,
                                   [block](fb::FlatBufferBuilder& b) {
                                     return schema::CreateDepthToSpaceOptions(b, block);
                                   })),
                   "allocate", {"node 0 (DEPTH_TO_SPACE)", "block_size"});
    }
  }
  SECTION("TRANSPOSE_CONV stride 0") {
    OneOp m;
    m.Const<int32_t>(DataType::kInt32, {4}, {1, 4, 4, 2});
    m.Const<float>(DataType::kFloat32, {2, 3, 3, 2}, std::vector<float>(36, 1.0f));
    m.Input(DataType::kFloat32, {1, 2, 2, 2});
    m.Output(DataType::kFloat32, {1, 4, 4, 2});
    RequireError(
        m.Finish(BuiltinOperator::TRANSPOSE_CONV, Opts(BuiltinOptions::TransposeConvOptions,
                                                       [](fb::FlatBufferBuilder& b) {
                                                         return schema::CreateTransposeConvOptions(
                                                             b, schema::Padding::SAME, 0, 1);
                                                       })),
        "allocate", {"node 0 (TRANSPOSE_CONV)"});
  }
  SECTION("STRIDED_SLICE stride 0") {
    OneOp m;
    m.Input(DataType::kFloat32, {4, 4});
    m.Const<int32_t>(DataType::kInt32, {2}, {0, 0});
    m.Const<int32_t>(DataType::kInt32, {2}, {4, 4});
    m.Const<int32_t>(DataType::kInt32, {2}, {1, 0});
    m.Output(DataType::kFloat32, {4, 4});
    RequireError(
        m.Finish(BuiltinOperator::STRIDED_SLICE, Opts(BuiltinOptions::StridedSliceOptions,
                                                      [](fb::FlatBufferBuilder& b) {
                                                        return schema::CreateStridedSliceOptions(b);
                                                      })),
        "allocate", {"node 0 (STRIDED_SLICE)"});
  }
}

TEST_CASE("Hostile models: padding larger than the input", "[runtime][hostile]") {
  auto mirror = [](schema::MirrorPadMode mode, std::vector<int32_t> pads) {
    OneOp m;
    m.Input(DataType::kFloat32, {2, 2});
    m.Const<int32_t>(DataType::kInt32, {2, 2}, pads);
    m.Output(DataType::kFloat32, {2, 2});
    return m.Finish(BuiltinOperator::MIRROR_PAD,
                    Opts(BuiltinOptions::MirrorPadOptions, [mode](fb::FlatBufferBuilder& b) {
                      return schema::CreateMirrorPadOptions(b, mode);
                    }));
  };
  SECTION("MIRROR_PAD REFLECT by the dimension's size") {
    RequireError(mirror(schema::MirrorPadMode::REFLECT, {0, 0, 2, 2}), "allocate",
                 {"node 0 (MIRROR_PAD)"});
  }
  SECTION("MIRROR_PAD SYMMETRIC beyond the dimension's size") {
    RequireError(mirror(schema::MirrorPadMode::SYMMETRIC, {3, 0, 0, 0}), "allocate",
                 {"node 0 (MIRROR_PAD)"});
  }
  SECTION("MIRROR_PAD negative padding") {
    RequireError(mirror(schema::MirrorPadMode::REFLECT, {0, -1, 0, 0}), "allocate",
                 {"node 0 (MIRROR_PAD)"});
  }
  SECTION("PAD negative padding") {
    RequireError(WithConst<int32_t>(BuiltinOperator::PAD, DataType::kFloat32, {2, 2},
                                    DataType::kInt32, {2, 2}, {-3, 0, 0, 0}),
                 "allocate", {"node 0 (PAD)"});
  }
  SECTION("PAD far beyond the arena limit") {
    RequireError(WithConst<int32_t>(BuiltinOperator::PAD, DataType::kFloat32, {2, 2},
                                    DataType::kInt32, {2, 2}, {1 << 30, 1 << 30, 0, 0}),
                 "allocate", {"node 0 (PAD)"});
  }
  SECTION("pooling window larger than the input") {
    OneOp m;
    m.Input(DataType::kFloat32, {1, 2, 2, 1});
    m.Output(DataType::kFloat32, {1, 1, 1, 1});
    RequireNoCrash(m.Finish(BuiltinOperator::AVERAGE_POOL_2D, Pool(5, 1)));
  }
  SECTION("convolution filter larger than the input") {
    RequireNoCrash(ConvModel(Conv(1, 1), {2, 5, 5, 2}, {1, 2, 2, 2}));
  }
}

TEST_CASE("Hostile models: axis out of range", "[runtime][hostile]") {
  for (int axis : {2, 7, -3, kI32Max, std::numeric_limits<int32_t>::min()}) {
    DYNAMIC_SECTION("axis " << axis) {
      {
        OneOp m;
        m.Input(DataType::kFloat32, {2, 3});
        m.Input(DataType::kFloat32, {2, 3});
        m.Output(DataType::kFloat32, {4, 3});
        RequireError(
            m.Finish(BuiltinOperator::CONCATENATION, Axis(BuiltinOperator::CONCATENATION, axis)),
            "allocate", {"node 0 (CONCATENATION)", "axis"});
      }
      {
        OneOp m;
        m.Input(DataType::kFloat32, {2, 3});
        m.Const<int32_t>(DataType::kInt32, {1}, {0});
        m.Output(DataType::kFloat32, {1, 3});
        RequireError(m.Finish(BuiltinOperator::GATHER, Axis(BuiltinOperator::GATHER, axis)),
                     "allocate", {"node 0 (GATHER)", "axis"});
      }
      if (axis != 2 && axis != -3) {  // PACK's output has one more dimension
        OneOp m;
        m.Input(DataType::kFloat32, {2, 3});
        m.Input(DataType::kFloat32, {2, 3});
        m.Output(DataType::kFloat32, {2, 2, 3});
        RequireError(m.Finish(BuiltinOperator::PACK, Axis(BuiltinOperator::PACK, axis)), "allocate",
                     {"node 0 (PACK)", "axis"});
      }
      for (BuiltinOperator op :
           {BuiltinOperator::ARG_MAX, BuiltinOperator::CUMSUM, BuiltinOperator::MEAN,
            BuiltinOperator::SUM, BuiltinOperator::REDUCE_MAX}) {
        INFO(schema::EnumNameBuiltinOperator(op));
        RequireError(
            WithConst<int32_t>(op, DataType::kFloat32, {2, 3}, DataType::kInt32, {1}, {axis}),
            "allocate", {std::string("node 0 (") + schema::EnumNameBuiltinOperator(op) + ")"});
      }
      {
        OneOp m;
        m.Const<int32_t>(DataType::kInt32, {}, {axis});
        m.Input(DataType::kFloat32, {2, 4});
        m.Output(DataType::kFloat32, {1, 4});
        m.Output(DataType::kFloat32, {1, 4});
        RequireError(m.Finish(BuiltinOperator::SPLIT, Opts(BuiltinOptions::SplitOptions,
                                                           [](fb::FlatBufferBuilder& b) {
                                                             return schema::CreateSplitOptions(b,
                                                                                               2);
                                                           })),
                     "allocate", {"node 0 (SPLIT)"});
      }
      if (axis != 2 && axis != -3) {  // EXPAND_DIMS accepts [-rank - 1, rank]
        RequireError(WithConst<int32_t>(BuiltinOperator::EXPAND_DIMS, DataType::kFloat32, {2, 3},
                                        DataType::kInt32, {1}, {axis}),
                     "allocate", {"node 0 (EXPAND_DIMS)"});
      }
    }
  }
  SECTION("SQUEEZE dimension out of range") {
    OneOp m;
    m.Input(DataType::kFloat32, {1, 3});
    m.Output(DataType::kFloat32, {3});
    RequireError(
        m.Finish(BuiltinOperator::SQUEEZE, Opts(BuiltinOptions::SqueezeOptions,
                                                [](fb::FlatBufferBuilder& b) {
                                                  return schema::CreateSqueezeOptions(
                                                      b, b.CreateVector(std::vector<int32_t>{5}));
                                                })),
        "allocate", {"node 0 (SQUEEZE)"});
  }
  SECTION("GATHER and EMBEDDING_LOOKUP indices out of range") {
    RequireError(
        WithConst<int32_t>(BuiltinOperator::GATHER, DataType::kFloat32, {2, 3}, DataType::kInt32,
                           {2}, {1, 2}, Axis(BuiltinOperator::GATHER, 0)),
        "invoke", {"node 0 (GATHER)"});
    OneOp m;
    m.Const<int32_t>(DataType::kInt32, {2}, {0, -1});
    m.Input(DataType::kFloat32, {3, 2});
    m.Output(DataType::kFloat32, {2, 2});
    RequireError(m.Finish(BuiltinOperator::EMBEDDING_LOOKUP), "invoke",
                 {"node 0 (EMBEDDING_LOOKUP)"});
  }
}

TEST_CASE("Hostile models: integer division by zero", "[runtime][hostile]") {
  for (BuiltinOperator op :
       {BuiltinOperator::DIV, BuiltinOperator::FLOOR_DIV, BuiltinOperator::FLOOR_MOD}) {
    DYNAMIC_SECTION(schema::EnumNameBuiltinOperator(op)) {
      const std::string label = std::string("node 0 (") + schema::EnumNameBuiltinOperator(op) + ")";
      // A constant divisor with a zero element: found in Prepare.
      RequireError(WithConst<int32_t>(op, DataType::kInt32, {3}, DataType::kInt32, {3}, {2, 0, 1}),
                   "allocate",
                   {label, "input 1 (tensor 1 'const1') holds 0 at element 1", "division by zero"});
      // A divisor given at run time (the inputs are filled with zeros).
      OneOp m;
      m.Input(DataType::kInt32, {3});
      m.Input(DataType::kInt32, {3});
      m.Output(DataType::kInt32, {3});
      RequireError(m.Finish(op), "invoke", {label, "division by zero"});
      // INT32_MIN / -1 overflows; it must not trap either.
      OneOp o;
      o.Const<int32_t>(DataType::kInt32, {1}, {std::numeric_limits<int32_t>::min()});
      o.Const<int32_t>(DataType::kInt32, {1}, {-1});
      o.Output(DataType::kInt32, {1});
      RequireNoCrash(o.Finish(op));
    }
  }
}

TEST_CASE("Hostile models: broken quantization parameters", "[runtime][hostile]") {
  auto relu = [](DataType type, QuantParams q) {
    OneOp m;
    m.Input(type, {1, 4}, q);
    m.Output(type, {1, 4}, Quant({0.5f}, {0}));
    return m.Finish(BuiltinOperator::RELU);
  };
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  for (float scale : {0.0f, -1.0f, nan, inf, -inf}) {
    DYNAMIC_SECTION("scale " << scale) {
      RequireError(relu(DataType::kInt8, Quant({scale}, {0})), "load",
                   {"subgraph 0 tensor 0", "scale"});
    }
  }
  SECTION("zero point outside the type's range") {
    RequireError(relu(DataType::kInt8, Quant({0.5f}, {128})), "load",
                 {"subgraph 0 tensor 0", "zero point 128", "INT8"});
    RequireError(relu(DataType::kInt8, Quant({0.5f}, {-129})), "load",
                 {"subgraph 0 tensor 0", "zero point -129"});
    RequireError(relu(DataType::kUInt8, Quant({0.5f}, {256})), "load",
                 {"subgraph 0 tensor 0", "zero point 256", "UINT8"});
    RequireError(relu(DataType::kInt16, Quant({0.5f}, {40000})), "load",
                 {"subgraph 0 tensor 0", "zero point 40000"});
  }
  SECTION("per-channel arrays of the wrong length") {
    OneOp m;
    m.Input(DataType::kInt8, {1, 4, 4, 2}, Quant({0.5f}, {0}));
    m.Const<int8_t>(DataType::kInt8, {2, 3, 3, 2}, std::vector<int8_t>(36, 1),
                    Quant({0.1f, 0.1f, 0.1f}, {0, 0, 0}));
    m.Const<int32_t>(DataType::kInt32, {2}, {0, 0}, Quant({0.05f, 0.05f}, {0, 0}));
    m.Output(DataType::kInt8, {1, 2, 2, 2}, Quant({0.5f}, {0}));
    RequireError(m.Finish(BuiltinOperator::CONV_2D, Conv(1, 1)), "load",
                 {"subgraph 0 tensor 1", "3 per-channel scales for dimension 0 of size 2"});
  }
  SECTION("scales and zero points of different lengths") {
    RequireError(relu(DataType::kInt8, Quant({0.5f, 0.5f}, {0})), "load",
                 {"subgraph 0 tensor 0", "2 scales but 1 zero points"});
  }
  SECTION("quantized SOFTMAX whose scales or beta overflow the rescaling") {
    auto softmax = [](float beta, float out_scale) {
      OneOp m;
      m.Input(DataType::kInt8, {1, 4}, Quant({0.5f}, {0}));
      m.Output(DataType::kInt8, {1, 4}, Quant({out_scale}, {-128}));
      return m.Finish(BuiltinOperator::SOFTMAX,
                      Opts(BuiltinOptions::SoftmaxOptions, [beta](fb::FlatBufferBuilder& b) {
                        return schema::CreateSoftmaxOptions(b, beta);
                      }));
    };
    RequireError(softmax(1.0f, 1e-38f), "allocate", {"node 0 (SOFTMAX)", "output scale"});
    RequireError(softmax(std::numeric_limits<float>::quiet_NaN(), 1.0f / 256), "allocate",
                 {"node 0 (SOFTMAX)", "beta nan"});
    RequireError(softmax(-1.0f, 1.0f / 256), "allocate", {"node 0 (SOFTMAX)", "beta -1"});
    CHECK(Run(softmax(1.0f, 1.0f / 256)).stage == "ok");
  }
  SECTION("rescale factors that overflow the fixed-point arithmetic") {
    OneOp leaky;  // alpha x input scale / output scale far above 2^16
    leaky.Input(DataType::kInt8, {1, 4}, Quant({0.5f}, {0}));
    leaky.Output(DataType::kInt8, {1, 4}, Quant({0.5f}, {0}));
    RequireError(leaky.Finish(BuiltinOperator::LEAKY_RELU,
                              Opts(BuiltinOptions::LeakyReluOptions,
                                   [](fb::FlatBufferBuilder& b) {
                                     return schema::CreateLeakyReluOptions(b, 1e30f);
                                   })),
                 "allocate", {"node 0 (LEAKY_RELU)", "alpha"});
    OneOp relu;  // input scale / output scale of 2^40
    relu.Input(DataType::kInt8, {1, 4}, Quant({1024.f}, {0}));
    relu.Output(DataType::kInt8, {1, 4}, Quant({1e-9f}, {0}));
    RequireError(relu.Finish(BuiltinOperator::RELU6), "allocate", {"node 0 (RELU6)"});
    OneOp add;  // a fused RELU6 bound of 6 / 1e-38 steps
    add.Input(DataType::kInt8, {4}, Quant({0.5f}, {0}));
    add.Input(DataType::kInt8, {4}, Quant({0.5f}, {0}));
    add.Output(DataType::kInt8, {4}, Quant({1e-38f}, {0}));
    RequireNoCrash(add.Finish(
        BuiltinOperator::ADD, Opts(BuiltinOptions::AddOptions, [](fb::FlatBufferBuilder& b) {
          return schema::CreateAddOptions(b, schema::ActivationFunctionType::RELU6);
        })));
  }
  SECTION("quantized dimension out of range") {
    RequireError(relu(DataType::kInt8, Quant({0.5f, 0.5f, 0.5f, 0.5f}, {0, 0, 0, 0}, 5)), "load",
                 {"subgraph 0 tensor 0", "quantized_dimension 5"});
  }
}

// Quantized kernels fed scales whose ratios are as extreme as the loader allows (finite and
// above 0): requantization must saturate, never overflow int32 or convert inf/NaN to an integer
// (bugs of this kind were found by fuzz_invoke). Inputs are filled with 0x80 and 0x7f.
TEST_CASE("Hostile models: quantized kernels with extreme scale ratios", "[runtime][hostile]") {
  using Op = BuiltinOperator;
  const std::vector<float> scales = {1e-38f, 1e-9f, 1.0f, 1e9f, 3e38f};
  int runs = 0;
  for (float in_scale : scales) {
    for (float out_scale : scales) {
      for (uint8_t fill : {uint8_t{0x80}, uint8_t{0x7f}}) {
        const QuantParams qi = Quant({in_scale}, {fill == 0x80 ? 127 : -128});
        const QuantParams qo = Quant({out_scale}, {-128});
        const QuantParams qw = Quant({1.0f}, {0});
        std::vector<std::pair<std::string, std::vector<uint8_t>>> models;
        for (Op op : {Op::ADD, Op::SUB, Op::MUL, Op::SQUARED_DIFFERENCE, Op::MAXIMUM}) {
          OneOp m;
          m.Input(DataType::kInt8, {1, 4}, qi);
          m.Input(DataType::kInt8, {1, 4}, qi);
          m.Output(DataType::kInt8, {1, 4}, qo);
          models.emplace_back(
              schema::EnumNameBuiltinOperator(op),
              m.Finish(op, op == Op::ADD ? Opts(BuiltinOptions::AddOptions,
                                                [](fb::FlatBufferBuilder& b) {
                                                  return schema::CreateAddOptions(
                                                      b, schema::ActivationFunctionType::RELU6);
                                                })
                                         : OptionsFn{}));
        }
        // SQRT of a negative value gives NaN, which converts to INT32_MIN before the zero
        // point is added (found by fuzz_invoke).
        for (Op op : {Op::RELU, Op::RELU6, Op::LOGISTIC, Op::TANH, Op::RSQRT, Op::SQRT, Op::ABS,
                      Op::HARD_SWISH, Op::QUANTIZE, Op::LEAKY_RELU, Op::SOFTMAX}) {
          OneOp m;
          m.Input(DataType::kInt8, {1, 4}, qi);
          m.Output(DataType::kInt8, {1, 4}, qo);
          models.emplace_back(schema::EnumNameBuiltinOperator(op), m.Finish(op));
        }
        for (Op op : {Op::MEAN, Op::SUM}) {
          OneOp m;
          m.Input(DataType::kInt8, {1, 2, 2, 4}, qi);
          m.Const<int32_t>(DataType::kInt32, {2}, {1, 2});
          m.Output(DataType::kInt8, {1, 4}, qo);
          models.emplace_back(schema::EnumNameBuiltinOperator(op), m.Finish(op));
        }
        {  // keep_dims over axes 1 and 2: TFLite's spatial-mean path, with a float-derived bias
          OneOp m;
          m.Input(DataType::kInt8, {1, 2, 2, 4}, qi);
          m.Const<int32_t>(DataType::kInt32, {2}, {1, 2});
          m.Output(DataType::kInt8, {1, 1, 1, 4}, qo);
          models.emplace_back(
              "MEAN keep_dims",
              m.Finish(Op::MEAN, Opts(BuiltinOptions::ReducerOptions, [](fb::FlatBufferBuilder& b) {
                         return schema::CreateReducerOptions(b, true);
                       })));
        }
        {
          OneOp m;
          m.Input(DataType::kInt8, {1, 4, 4, 2}, qi);
          m.Const<int8_t>(DataType::kInt8, {2, 3, 3, 2}, std::vector<int8_t>(36, 127), qw);
          m.Const<int32_t>(DataType::kInt32, {2}, {kI32Max, -kI32Max}, Quant({in_scale}, {0}));
          m.Output(DataType::kInt8, {1, 2, 2, 2}, qo);
          models.emplace_back("CONV_2D", m.Finish(Op::CONV_2D, Conv(1, 1)));
        }
        {
          OneOp m;
          m.Input(DataType::kInt8, {1, 4, 4, 2}, qi);
          m.Const<int8_t>(DataType::kInt8, {1, 3, 3, 2}, std::vector<int8_t>(18, -128), qw);
          m.Const<int32_t>(DataType::kInt32, {2}, {kI32Max, -kI32Max}, Quant({in_scale}, {0}));
          m.Output(DataType::kInt8, {1, 2, 2, 2}, qo);
          models.emplace_back("DEPTHWISE_CONV_2D",
                              m.Finish(Op::DEPTHWISE_CONV_2D, Depthwise(1, 1)));
        }
        {
          OneOp m;
          m.Input(DataType::kInt8, {1, 8}, qi);
          m.Const<int8_t>(DataType::kInt8, {3, 8}, std::vector<int8_t>(24, 127), qw);
          m.Output(DataType::kInt8, {1, 3}, qo);
          models.emplace_back("FULLY_CONNECTED", m.Finish(Op::FULLY_CONNECTED));
        }
        {
          OneOp m;
          m.Input(DataType::kInt8, {1, 2, 3}, qi);
          m.Input(DataType::kInt8, {1, 3, 2}, qi);
          m.Output(DataType::kInt8, {1, 2, 2}, qo);
          models.emplace_back("BATCH_MATMUL", m.Finish(Op::BATCH_MATMUL));
        }
        for (const auto& [name, bytes] : models) {
          const Outcome o = Run(bytes, Limits(), nullptr, fill);
          INFO(name << " in scale " << in_scale << " out scale " << out_scale << ": " << o.stage
                    << ": " << o.status.message());
          CHECK(o.stage != "load");
          CHECK(o.status.message().find('\n') == std::string::npos);
          ++runs;
        }
      }
    }
  }
  CHECK(runs == 5 * 5 * 2 * 23);
}

// Biases at the int32 limits with products of the same sign: the int32 accumulators of the
// quantized convolution, depthwise and fully connected kernels overflow. TFLite's code wraps
// there; ours must wrap too, without undefined behaviour (fuzz_invoke found the uint8
// depthwise case after 956k executions). Every pixel path is covered: interior and edge
// (SAME padding), depth multiplier 1 and 2.
TEST_CASE("Hostile models: quantized accumulators that overflow int32", "[runtime][hostile]") {
  using Op = BuiltinOperator;
  constexpr int32_t kI32Min = std::numeric_limits<int32_t>::min();
  int runs = 0;
  for (DataType type : {DataType::kInt8, DataType::kUInt8}) {
    const bool u8 = type == DataType::kUInt8;
    for (bool up : {true, false}) {
      // Input (fill 0x7f or 0xff) minus its zero point is +255; weights minus theirs are
      // +-127 (int8, zero point 0) or +-255 (uint8).
      const uint8_t fill = u8 ? 0xff : 0x7f;
      const QuantParams qi = Quant({1.0f}, {u8 ? 0 : -128});
      const QuantParams qw = Quant({1.0f}, {u8 ? (up ? 0 : 255) : 0});
      const QuantParams qb = Quant({1.0f}, {0});
      const QuantParams qo = Quant({1.0f}, {u8 ? 128 : 0});
      const int32_t bias = up ? kI32Max : kI32Min;
      auto weights = [&](size_t n) {
        if (u8) return std::vector<uint8_t>(n, up ? 255 : 0);
        return std::vector<uint8_t>(n, static_cast<uint8_t>(up ? 127 : -127));
      };
      std::vector<std::pair<std::string, std::vector<uint8_t>>> models;
      for (schema::Padding padding : {schema::Padding::VALID, schema::Padding::SAME}) {
        const bool same = padding == schema::Padding::SAME;
        {
          OneOp m;
          m.Input(type, {1, 4, 4, 2}, qi);
          m.Const<uint8_t>(type, {2, 3, 3, 2}, weights(36), qw);
          m.Const<int32_t>(DataType::kInt32, {2}, {bias, bias}, qb);
          m.Output(type, {1, same ? 4 : 2, same ? 4 : 2, 2}, qo);
          models.emplace_back("CONV_2D", m.Finish(Op::CONV_2D, Conv(1, 1, 1, 1, padding)));
        }
        for (int multiplier : {1, 2}) {
          OneOp m;
          m.Input(type, {1, 4, 4, 2}, qi);
          m.Const<uint8_t>(type, {1, 3, 3, 2 * multiplier},
                           weights(static_cast<size_t>(18 * multiplier)), qw);
          m.Const<int32_t>(DataType::kInt32, {2 * multiplier},
                           std::vector<int32_t>(static_cast<size_t>(2 * multiplier), bias), qb);
          m.Output(type, {1, same ? 4 : 2, same ? 4 : 2, 2 * multiplier}, qo);
          models.emplace_back(
              "DEPTHWISE_CONV_2D x" + std::to_string(multiplier),
              m.Finish(Op::DEPTHWISE_CONV_2D,
                       Opts(BuiltinOptions::DepthwiseConv2DOptions, [=](fb::FlatBufferBuilder& b) {
                         return schema::CreateDepthwiseConv2DOptions(b, padding, 1, 1, multiplier);
                       })));
        }
      }
      {
        OneOp m;
        m.Input(type, {1, 8}, qi);
        m.Const<uint8_t>(type, {3, 8}, weights(24), qw);
        m.Const<int32_t>(DataType::kInt32, {3}, {bias, bias, bias}, qb);
        m.Output(type, {1, 3}, qo);
        models.emplace_back("FULLY_CONNECTED", m.Finish(Op::FULLY_CONNECTED));
      }
      for (const auto& [name, bytes] : models) {
        const Outcome o = Run(bytes, Limits(), nullptr, fill);
        INFO(name << (u8 ? " uint8" : " int8") << (up ? " up: " : " down: ") << o.stage << ": "
                  << o.status.message());
        CHECK(o.stage == "ok");
        ++runs;
      }
    }
  }
  CHECK(runs == 2 * 2 * 7);
}

TEST_CASE("Hostile models: control flow that recurses into itself or each other",
          "[runtime][hostile]") {
  // Subgraph 0 runs `op` on x; the callee subgraphs (1 and 2) pass one value through.
  auto model = [](BuiltinOperator op, int a, int b, bool nested_call_back) {
    ModelBuilder mb;
    const int x = mb.AddTensor(0, "x", DataType::kInt32, {1});
    const int y = mb.AddTensor(0, "y", DataType::kInt32, {1});
    mb.SetInputs(0, {x});
    mb.SetOutputs(0, {y});
    if (op == BuiltinOperator::IF) {
      const int flag = mb.AddConstTensor<uint8_t>(0, "flag", DataType::kBool, {1}, {1});
      mb.AddOperator(0, op, {flag, x}, {y}, Subgraphs(op, a, b));
    } else if (op == BuiltinOperator::CALL_ONCE) {
      mb.AddOperator(0, op, {}, {}, Subgraphs(op, a, 0));
      mb.AddOperator(0, BuiltinOperator::ABS, {x}, {y});
    } else {
      mb.AddOperator(0, op, {x}, {y}, Subgraphs(op, a, b));
    }
    for (int s = 1; s <= 2; ++s) {
      const int sg = mb.AddSubgraph("callee" + std::to_string(s));
      if (op == BuiltinOperator::CALL_ONCE) {
        if (nested_call_back) mb.AddOperator(sg, op, {}, {}, Subgraphs(op, s == 1 ? 2 : 1, 0));
        continue;
      }
      const int in = mb.AddTensor(sg, "in", DataType::kInt32, {1});
      const int out = mb.AddTensor(
          sg, "out", op == BuiltinOperator::WHILE && s == 1 ? DataType::kBool : DataType::kInt32,
          {});
      if (nested_call_back) {
        // callee 1 runs IF again with callee 2 as both branches; callee 2 calls callee 1.
        const int flag = mb.AddConstTensor<uint8_t>(sg, "flag", DataType::kBool, {1}, {1});
        const int other = s == 1 ? 2 : 1;
        mb.AddOperator(sg, BuiltinOperator::IF, {flag, in}, {out},
                       Subgraphs(BuiltinOperator::IF, other, other));
      } else if (op == BuiltinOperator::WHILE && s == 1) {
        mb.AddOperator(sg, BuiltinOperator::LESS, {in, in}, {out});  // the condition
      } else {
        mb.AddOperator(sg, BuiltinOperator::ABS, {in}, {out});
      }
      mb.SetInputs(sg, {in});
      mb.SetOutputs(sg, {out});
    }
    return mb.Finish();
  };
  SECTION("WHILE whose body is its own subgraph") {
    RequireError(model(BuiltinOperator::WHILE, 1, 0, false), "allocate",
                 {"subgraph 0 is reached recursively"});
  }
  SECTION("WHILE whose cond is its own subgraph") {
    RequireError(model(BuiltinOperator::WHILE, 0, 2, false), "allocate",
                 {"subgraph 0 is reached recursively"});
  }
  SECTION("IF whose branch is its own subgraph") {
    RequireError(model(BuiltinOperator::IF, 0, 1, false), "allocate",
                 {"subgraph 0 is reached recursively"});
  }
  SECTION("CALL_ONCE of its own subgraph") {
    // CALL_ONCE needs a callee without inputs and outputs: here the whole model is one.
    ModelBuilder mb;
    mb.AddOperator(0, BuiltinOperator::CALL_ONCE, {}, {},
                   Subgraphs(BuiltinOperator::CALL_ONCE, 0, 0));
    RequireError(mb.Finish(), "allocate",
                 {"node 0 (CALL_ONCE): subgraph 0 is reached recursively"});
  }
  SECTION("IF branches that call each other") {
    RequireError(model(BuiltinOperator::IF, 1, 1, true), "allocate", {"reached recursively"});
  }
  SECTION("CALL_ONCE subgraphs that call each other") {
    RequireError(model(BuiltinOperator::CALL_ONCE, 1, 0, true), "allocate",
                 {"reached recursively"});
  }
}

TEST_CASE("Hostile models: a BOOL constant holding a byte other than 0 and 1",
          "[runtime][hostile]") {
  ModelBuilder mb;
  const int x = mb.AddTensor(0, "x", DataType::kInt32, {1});
  const int y = mb.AddTensor(0, "y", DataType::kInt32, {1});
  const int flag = mb.AddConstTensor<uint8_t>(0, "flag", DataType::kBool, {2}, {1, 98});
  mb.AddOperator(0, BuiltinOperator::SELECT_V2, {flag, x, x}, {y});
  mb.SetInputs(0, {x});
  mb.SetOutputs(0, {y});
  RequireError(mb.Finish(), "load",
               {"subgraph 0 tensor 2", "constant BOOL element 1 is 98; expected 0 or 1"});
}

TEST_CASE("Hostile models: an options type without its options table", "[runtime][hostile]") {
  // The flatbuffer verifier accepts a union type whose value is absent.
  for (BuiltinOptions type : {BuiltinOptions::SqueezeOptions, BuiltinOptions::Conv2DOptions,
                              BuiltinOptions::WhileOptions}) {
    OneOp m;
    m.Input(DataType::kFloat32, {1, 4, 4, 1});
    m.Output(DataType::kFloat32, {1, 4, 4, 1});
    const std::vector<uint8_t> bytes = m.Finish(
        BuiltinOperator::SQUEEZE,
        [type](fb::FlatBufferBuilder&) { return std::make_pair(type, fb::Offset<void>(0)); });
    auto model = Model::FromBufferCopy(bytes.data(), bytes.size(), "hostile.tflite");
    REQUIRE(model.ok());
    const analyzers::ModelSummary summary = analyzers::SummarizeModel(**model);
    CHECK(summary.operator_count == 1);
    RequireNoCrash(bytes);
  }
}

TEST_CASE("Hostile models: a node whose output is also its input", "[runtime][hostile]") {
  ModelBuilder mb;
  const int a = mb.AddTensor(0, "a", DataType::kFloat32, {2});
  const int x = mb.AddTensor(0, "x", DataType::kFloat32, {2});
  mb.AddOperator(0, BuiltinOperator::ADD, {a, x}, {x});
  mb.SetInputs(0, {a});
  mb.SetOutputs(0, {x});
  RequireError(mb.Finish(), "allocate",
               {"node 0 (ADD)", "tensor 1 is both an input and an output"});
}

TEST_CASE("Hostile models: cycles in the graph", "[runtime][hostile]") {
  SECTION("two nodes") {
    ModelBuilder mb;
    const int a = mb.AddTensor(0, "a", DataType::kFloat32, {2});
    const int x = mb.AddTensor(0, "x", DataType::kFloat32, {2});
    const int y = mb.AddTensor(0, "y", DataType::kFloat32, {2});
    mb.AddOperator(0, BuiltinOperator::ADD, {a, y}, {x});
    mb.AddOperator(0, BuiltinOperator::ADD, {a, x}, {y});
    mb.SetInputs(0, {a});
    mb.SetOutputs(0, {y});
    RequireError(mb.Finish(), "allocate",
                 {"node 0 (ADD)", "input tensor 2 is produced by node 1", "cycle"});
  }
  SECTION("a tensor written by two nodes") {
    ModelBuilder mb;
    const int a = mb.AddTensor(0, "a", DataType::kFloat32, {2});
    const int x = mb.AddTensor(0, "x", DataType::kFloat32, {2});
    mb.AddOperator(0, BuiltinOperator::RELU, {a}, {x});
    mb.AddOperator(0, BuiltinOperator::ABS, {a}, {x});
    mb.SetInputs(0, {a});
    mb.SetOutputs(0, {x});
    RequireError(mb.Finish(), "allocate", {"tensor 1 'x' is written by nodes 0 and 1"});
  }
}

TEST_CASE("Hostile models: a multi-gigabyte tensor", "[runtime][hostile]") {
  SECTION("graph input, default limits") {
    OneOp m;
    m.Input(DataType::kFloat32, {1, 32768, 32768, 4});  // 16 GiB
    m.Const<int32_t>(DataType::kInt32, {3}, {1, 2, 3});
    m.Output(DataType::kFloat32, {1});
    RequireError(m.Finish(BuiltinOperator::SUM), "allocate",
                 {"subgraph 0 needs a 171798", "above the 4096 MiB limit"}, InterpreterOptions{});
  }
  SECTION("output sized by a kernel") {
    OneOp m;
    m.Input(DataType::kFloat32, {1, 32768, 32768, 4});
    m.Output(DataType::kFloat32, {1, 32768, 32768, 4});
    RequireError(m.Finish(BuiltinOperator::RELU), "allocate",
                 {"node 0 (RELU): tensor 1 'out0': 17179869184 bytes exceed the 4096 MiB limit"},
                 InterpreterOptions{});
  }
  SECTION("computed from a constant by a kernel") {
    RequireError(WithConst<int32_t>(BuiltinOperator::TILE, DataType::kFloat32, {2, 2},
                                    DataType::kInt32, {2}, {1 << 15, 1 << 15}),
                 "allocate", {"node 0 (TILE)", "exceed the 4096 MiB limit"}, InterpreterOptions{});
  }
  SECTION("the loader's own limit") {
    LoadOptions options;
    options.max_tensor_bytes = int64_t{1} << 30;
    OneOp m;
    m.Input(DataType::kFloat32, {1, 32768, 32768, 4});
    m.Output(DataType::kFloat32, {1});
    const std::vector<uint8_t> bytes = m.Finish(BuiltinOperator::RELU);
    auto model = Model::FromBufferCopy(bytes.data(), bytes.size(), "big.tflite", options);
    REQUIRE_FALSE(model.ok());
    CHECK(model.status().message() ==
          "big.tflite: subgraph 0 tensor 0: declares 17179869184 bytes, above the limit of "
          "1073741824");
  }
}

TEST_CASE("Hostile models through the XNNPACK delegate", "[runtime][hostile][xnnpack]") {
  auto made = delegates::MakeXnnpackDelegate(delegates::XnnpackOptions{});
  REQUIRE(made.ok());
  Delegate& xnnpack = **made;
  SECTION("a result that nothing reads") {
    ModelBuilder mb;  // XNNPACK leaves such a value unallocated unless it is external
    const int x = mb.AddTensor(0, "x", DataType::kFloat32, {1, 5, 2, 3});
    const int y = mb.AddTensor(0, "y", DataType::kFloat32, {1, 5, 2, 3});
    mb.AddOperator(0, BuiltinOperator::SQUARE, {x}, {y});
    mb.SetInputs(0, {x});
    CHECK(Run(mb.Finish(), Limits(), &xnnpack).stage == "ok");
  }
  SECTION("ROUND of a scalar") {
    OneOp m;  // this XNNPACK snapshot asserts on it: the node stays on the CPU
    m.Input(DataType::kFloat32, {});
    m.Output(DataType::kFloat32, {});
    CHECK(Run(m.Finish(BuiltinOperator::ROUND), Limits(), &xnnpack).stage == "ok");
  }
  SECTION("DEPTH_TO_SPACE block size 65536") {
    OneOp m;
    m.Input(DataType::kFloat32, {1, 1, 1, 4});
    m.Output(DataType::kFloat32, {1, 2, 2, 1});
    const Outcome o = Run(m.Finish(BuiltinOperator::DEPTH_TO_SPACE,
                                   Opts(BuiltinOptions::DepthToSpaceOptions,
                                        [](fb::FlatBufferBuilder& b) {
                                          return schema::CreateDepthToSpaceOptions(b, 65536);
                                        })),
                          Limits(), &xnnpack);
    INFO(o.stage << ": " << o.status.message());
    CHECK(o.stage == "allocate");
    CHECK(o.status.message().find("node 0 (DEPTH_TO_SPACE)") != std::string::npos);
  }
  SECTION("a tensor written by two nodes, before XNNPACK sees the graph") {
    ModelBuilder mb;
    const int a = mb.AddTensor(0, "a", DataType::kFloat32, {2});
    const int x = mb.AddTensor(0, "x", DataType::kFloat32, {2});
    mb.AddOperator(0, BuiltinOperator::ABS, {a}, {x});
    mb.AddOperator(0, BuiltinOperator::NEG, {a}, {x});
    mb.SetInputs(0, {a});
    mb.SetOutputs(0, {x});
    const Outcome o = Run(mb.Finish(), Limits(), &xnnpack);
    INFO(o.stage << ": " << o.status.message());
    CHECK(o.stage == "delegate");
    CHECK(o.status.message().find("tensor 1 'x' is written by nodes 0 and 1") != std::string::npos);
  }
}

namespace {

// WHILE(x) whose cond is a constant true or LESS(c, 10), and whose body is ADD(v, 0): a loop
// that never ends.
std::vector<uint8_t> EndlessWhileModel(bool constant_true_cond) {
  ModelBuilder mb;
  const int x = mb.AddTensor(0, "x", DataType::kInt32, {1});
  const int y = mb.AddTensor(0, "y", DataType::kInt32, {1});
  mb.AddOperator(0, BuiltinOperator::WHILE, {x}, {y}, Subgraphs(BuiltinOperator::WHILE, 1, 2));
  mb.SetInputs(0, {x});
  mb.SetOutputs(0, {y});
  const int cond = mb.AddSubgraph("cond");
  const int c = mb.AddTensor(cond, "c", DataType::kInt32, {1});
  if (constant_true_cond) {
    const int yes = mb.AddConstTensor<uint8_t>(cond, "true", DataType::kBool, {}, {1});
    mb.SetOutputs(cond, {yes});
  } else {
    const int limit = mb.AddConstTensor<int32_t>(cond, "limit", DataType::kInt32, {1}, {10});
    const int less = mb.AddTensor(cond, "less", DataType::kBool, {1});
    mb.AddOperator(cond, BuiltinOperator::LESS, {c, limit}, {less});
    mb.SetOutputs(cond, {less});
  }
  mb.SetInputs(cond, {c});
  const int body = mb.AddSubgraph("body");
  const int v = mb.AddTensor(body, "v", DataType::kInt32, {1});
  const int zero = mb.AddConstTensor<int32_t>(body, "zero", DataType::kInt32, {1}, {0});
  const int next = mb.AddTensor(body, "next", DataType::kInt32, {1});
  mb.AddOperator(body, BuiltinOperator::ADD, {v, zero}, {next});
  mb.SetInputs(body, {v});
  mb.SetOutputs(body, {next});
  return mb.Finish();
}

}  // namespace

TEST_CASE("A WHILE loop that never ends stops at max_while_iterations", "[runtime][hostile]") {
  for (bool constant_true : {true, false}) {
    DYNAMIC_SECTION((constant_true ? "constant true condition" : "counter that never grows")) {
      InterpreterOptions options = Limits();
      options.max_while_iterations = 1000;
      // The default limit (100 million) is what stops the loop when the caller sets none.
      CHECK(InterpreterOptions{}.max_while_iterations > 0);
      RequireError(
          EndlessWhileModel(constant_true), "invoke",
          {"node 0 (WHILE): loop still running after 1000 iterations", "max_while_iterations"},
          options);
    }
  }
}

}  // namespace litescope::runtime
