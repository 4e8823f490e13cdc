#include "runtime/interpreter.h"

#include <catch2/catch.hpp>

#include <cstring>

#include "runtime/kernels/kernel_util.h"
#include "runtime/model_builder.h"
#include "runtime/op_registry.h"

namespace ls = litescope::runtime;
using litescope::Status;

namespace {

// A custom op for tests: out = in * 2 (float32), registered through the public API.
Status TimesTwoPrepare(ls::KernelContext& ctx, ls::Node& node) {
  LS_RETURN_IF_ERROR(ls::ExpectArity(node, 1, 1, 1));
  ls::Tensor* in = ctx.input(node, 0);
  ls::Tensor* out = ctx.output(node, 0);
  if (!in || !out || in->type != ls::DataType::kFloat32)
    return litescope::UnsupportedTypeError(ls::NodeLabel(node) + ": expected float32");
  return ctx.ResizeTensor(*out, in->shape);
}

Status TimesTwoEval(ls::KernelContext& ctx, ls::Node& node) {
  const ls::Tensor* in = ctx.input(node, 0);
  ls::Tensor* out = ctx.output(node, 0);
  for (int64_t i = 0; i < in->elements(); ++i)
    out->data_as<float>()[i] = in->data_as<float>()[i] * 2;
  return Status::Ok();
}

ls::OpRegistry RegistryWithTimesTwo() {
  ls::OpRegistry r = ls::OpRegistry::WithBuiltins();
  ls::KernelRegistration reg;
  reg.prepare = TimesTwoPrepare;
  reg.eval = TimesTwoEval;
  reg.types = "float32";
  r.AddCustom("TIMES_TWO", reg);
  return r;
}

// input -> TIMES_TWO -> TIMES_TWO -> output, plus an unused constant tensor.
std::vector<uint8_t> ChainModel(const std::string& op = "TIMES_TWO") {
  ls::ModelBuilder b;
  int in = b.AddTensor(0, "in", ls::DataType::kFloat32, {1, 4});
  int mid = b.AddTensor(0, "mid", ls::DataType::kFloat32, {1, 4});
  int out = b.AddTensor(0, "out", ls::DataType::kFloat32, {1, 4});
  b.AddConstTensor<float>(0, "weights", ls::DataType::kFloat32, {4}, {1, 2, 3, 4});
  b.AddCustomOperator(0, op, {in}, {mid});
  b.AddCustomOperator(0, op, {mid}, {out});
  b.SetInputs(0, {in});
  b.SetOutputs(0, {out});
  return b.Finish();
}

std::unique_ptr<ls::Interpreter> MakeInterpreter(const std::vector<uint8_t>& bytes,
                                                 const ls::OpRegistry& registry) {
  auto model = ls::Model::FromBufferCopy(bytes.data(), bytes.size(), "test");
  REQUIRE(model.ok());
  auto interp = ls::Interpreter::Create(*model, registry);
  REQUIRE(interp.ok());
  return std::move(interp.value());
}

}  // namespace

TEST_CASE("Interpreter runs a registered custom op", "[runtime][interpreter]") {
  auto interp = MakeInterpreter(ChainModel(), RegistryWithTimesTwo());
  REQUIRE(interp->AllocateTensors().ok());
  float* in = interp->input(0)->data_as<float>();
  for (int i = 0; i < 4; ++i) in[i] = static_cast<float>(i) - 1.5f;
  REQUIRE(interp->Invoke().ok());
  const float* out = interp->output(0)->data_as<float>();
  for (int i = 0; i < 4; ++i) CHECK(out[i] == (static_cast<float>(i) - 1.5f) * 4);
  CHECK(interp->FindInput("in") == 0);
  CHECK(interp->FindOutput("out") == 0);
  CHECK(interp->FindInput("nope") == -1);
}

TEST_CASE("Interpreter reports an unknown op at AllocateTensors naming node and op",
          "[runtime][interpreter]") {
  auto interp = MakeInterpreter(ChainModel("NOT_A_REAL_OP"), RegistryWithTimesTwo());
  Status s = interp->AllocateTensors();
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == litescope::StatusCode::kUnsupportedOp);
  CHECK(s.message().find("node 0") != std::string::npos);
  CHECK(s.message().find("NOT_A_REAL_OP") != std::string::npos);
  CHECK_FALSE(interp->Invoke().ok());  // never runs unallocated
}

TEST_CASE("Interpreter rejects an op version above the kernel's", "[runtime][interpreter]") {
  ls::ModelBuilder b;
  int in = b.AddTensor(0, "in", ls::DataType::kFloat32, {1, 4});
  int out = b.AddTensor(0, "out", ls::DataType::kFloat32, {1, 4});
  b.AddCustomOperator(0, "TIMES_TWO", {in}, {out}, {}, /*version=*/7);
  b.SetInputs(0, {in});
  b.SetOutputs(0, {out});
  auto interp = MakeInterpreter(b.Finish(), RegistryWithTimesTwo());
  Status s = interp->AllocateTensors();
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("version 7") != std::string::npos);
  CHECK(s.message().find("node 0 (TIMES_TWO)") != std::string::npos);
}

TEST_CASE("Constant tensors point into the model bytes, not a copy", "[runtime][interpreter]") {
  const std::vector<uint8_t> bytes = ChainModel();
  auto model = ls::Model::FromBuffer(bytes.data(), bytes.size(), "test");
  REQUIRE(model.ok());
  auto interp = ls::Interpreter::Create(*model, RegistryWithTimesTwo());
  REQUIRE(interp.ok());
  REQUIRE((*interp)->AllocateTensors().ok());
  const ls::Subgraph& sg = (*interp)->primary();
  int constants = 0;
  for (const ls::Tensor& t : sg.tensors()) {
    if (!t.is_constant()) continue;
    ++constants;
    CHECK((*model)->Contains(t.data));
    CHECK(t.data_as<float>()[3] == 4.0f);
  }
  CHECK(constants == 1);
  // in, mid and out are live together at most two at a time, but inputs and outputs are kept
  // for the whole run: 3 x 16 bytes, each 64-aligned.
  CHECK((*interp)->arena_bytes() == 192);
}

TEST_CASE("Interpreter resizes an input and re-plans the arena", "[runtime][interpreter]") {
  auto interp = MakeInterpreter(ChainModel(), RegistryWithTimesTwo());
  REQUIRE(interp->ResizeInput(0, ls::Shape{2, 40}).ok());
  REQUIRE(interp->AllocateTensors().ok());
  CHECK(interp->output(0)->shape == ls::Shape({2, 40}));
  CHECK(interp->output(0)->bytes == 320);
  CHECK_FALSE(interp->ResizeInput(0, ls::Shape{-1, 4}).ok());
  CHECK_FALSE(interp->ResizeInput(3, ls::Shape{1}).ok());
}

TEST_CASE("Interpreter rejects a node that reads its own output", "[runtime][interpreter]") {
  ls::ModelBuilder b;
  int in = b.AddTensor(0, "in", ls::DataType::kFloat32, {1});
  int loop = b.AddTensor(0, "loop", ls::DataType::kFloat32, {1});
  b.AddCustomOperator(0, "TIMES_TWO", {loop}, {loop});
  b.SetInputs(0, {in});
  b.SetOutputs(0, {loop});
  auto interp = MakeInterpreter(b.Finish(), RegistryWithTimesTwo());
  Status s = interp->AllocateTensors();
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("node 0") != std::string::npos);
}

TEST_CASE("Interpreter rejects a graph whose nodes read later results", "[runtime][interpreter]") {
  ls::ModelBuilder b;
  int in = b.AddTensor(0, "in", ls::DataType::kFloat32, {1});
  int x = b.AddTensor(0, "x", ls::DataType::kFloat32, {1});
  int y = b.AddTensor(0, "y", ls::DataType::kFloat32, {1});
  b.AddCustomOperator(0, "TIMES_TWO", {y}, {x});  // reads y, written by node 1
  b.AddCustomOperator(0, "TIMES_TWO", {x}, {y});
  b.SetInputs(0, {in});
  b.SetOutputs(0, {y});
  auto interp = MakeInterpreter(b.Finish(), RegistryWithTimesTwo());
  Status s = interp->AllocateTensors();
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("cycle") != std::string::npos);
}
