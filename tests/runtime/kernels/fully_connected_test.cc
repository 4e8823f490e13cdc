#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "runtime/kernels/reference/fully_connected.h"
#include "runtime/model_builder.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "tests/random_data.h"
#include "tests/runtime/kernels/single_op_model.h"

namespace {

namespace schema = litescope::runtime::schema;
namespace reference = litescope::runtime::reference;
using litescope::runtime::DataType;
using litescope::runtime::OptionsFn;
using litescope::testing::SingleOpModel;

using litescope::testing::RandomVector;

void CheckClose(const std::vector<float>& got, const std::vector<float>& expected) {
  REQUIRE(got.size() == expected.size());
  for (size_t i = 0; i < got.size(); ++i) CHECK(got[i] == Approx(expected[i]).margin(1e-4));
}

OptionsFn FcOptions(bool keep_num_dims, schema::ActivationFunctionType act) {
  return [=](flatbuffers::FlatBufferBuilder& b) {
    return std::make_pair(
        schema::BuiltinOptions::FullyConnectedOptions,
        schema::CreateFullyConnectedOptions(
            b, act, schema::FullyConnectedOptionsWeightsFormat::DEFAULT, keep_num_dims)
            .Union());
  };
}

constexpr float kInf = std::numeric_limits<float>::infinity();

}  // namespace

TEST_CASE("FULLY_CONNECTED keeps the leading dims with keep_num_dims",
          "[runtime][kernels][fully_connected]") {
  const int k = 37, n = 45;
  const std::vector<float> in = RandomVector(2 * 3 * k, 1);
  const std::vector<float> w = RandomVector(n * k, 2);
  const std::vector<float> bias = RandomVector(n, 3);
  std::vector<float> expected(2 * 3 * n);
  reference::FullyConnectedFloat(6, k, n, in.data(), w.data(), bias.data(), expected.data(), 0.f,
                                 kInf);
  SingleOpModel m(schema::BuiltinOperator::FULLY_CONNECTED, 5);
  const int in_h = m.AddInput(DataType::kFloat32, {2, 3, k});
  m.AddConstInput<float>(DataType::kFloat32, {n, k}, w);
  m.AddConstInput<float>(DataType::kFloat32, {n}, bias);
  const int out = m.AddOutput(DataType::kFloat32, {2, 3, n});
  m.SetOptions(FcOptions(true, schema::ActivationFunctionType::RELU));
  REQUIRE(m.Build(2).ok());
  m.SetInput<float>(in_h, in);
  REQUIRE(m.Invoke().ok());
  CHECK(m.OutputShape(out) == std::vector<int32_t>{2, 3, n});
  CheckClose(m.Output<float>(out), expected);
}

TEST_CASE("FULLY_CONNECTED with weights and bias given at run time",
          "[runtime][kernels][fully_connected]") {
  const int k = 20, n = 33, batches = 4;
  SingleOpModel m(schema::BuiltinOperator::FULLY_CONNECTED);
  const int in_h = m.AddInput(DataType::kFloat32, {batches, k});
  const int w_h = m.AddInput(DataType::kFloat32, {n, k});
  const int b_h = m.AddInput(DataType::kFloat32, {n});
  const int out = m.AddOutput(DataType::kFloat32, {batches, n});
  m.SetOptions(FcOptions(false, schema::ActivationFunctionType::NONE));
  REQUIRE(m.Build().ok());
  const std::vector<float> in = RandomVector(batches * k, 4);
  m.SetInput<float>(in_h, in);
  for (uint32_t run = 0; run < 2; ++run) {  // new weights each run must be honoured
    const std::vector<float> w = RandomVector(n * k, 5 + run);
    const std::vector<float> bias = RandomVector(n, 7 + run);
    m.SetInput<float>(w_h, w);
    m.SetInput<float>(b_h, bias);
    REQUIRE(m.Invoke().ok());
    std::vector<float> expected(batches * n);
    reference::FullyConnectedFloat(batches, k, n, in.data(), w.data(), bias.data(), expected.data(),
                                   -kInf, kInf);
    CheckClose(m.Output<float>(out), expected);
  }
}

TEST_CASE("FULLY_CONNECTED without bias flattens the input",
          "[runtime][kernels][fully_connected]") {
  SingleOpModel m(schema::BuiltinOperator::FULLY_CONNECTED);
  const int in_h = m.AddInput(DataType::kFloat32, {1, 2, 2, 2});
  m.AddConstInput<float>(DataType::kFloat32, {3, 4}, {1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1});
  const int out = m.AddOutput(DataType::kFloat32, {2, 3});
  m.SetOptions(FcOptions(false, schema::ActivationFunctionType::RELU6));
  REQUIRE(m.Build().ok());
  m.SetInput<float>(in_h, {1, 2, 3, 4, -5, 6, 7, 8});
  REQUIRE(m.Invoke().ok());
  CHECK(m.OutputShape(out) == std::vector<int32_t>{2, 3});
  CHECK(m.Output<float>(out) == std::vector<float>{1, 2, 6, 0, 6, 6});
}

TEST_CASE("FULLY_CONNECTED rejects an input that is not whole rows",
          "[runtime][kernels][fully_connected]") {
  SingleOpModel m(schema::BuiltinOperator::FULLY_CONNECTED);
  m.AddInput(DataType::kFloat32, {1, 7});
  m.AddConstInput<float>(DataType::kFloat32, {2, 4}, std::vector<float>(8, 1.f));
  m.AddOutput(DataType::kFloat32, {1, 2});
  const litescope::Status s = m.Build();
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("FULLY_CONNECTED"));
}
