#include "runtime/kernels/reference/activations.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "runtime/schema/tflite_schema_generated.h"
#include "tests/runtime/kernels/single_op_model.h"

namespace {

using litescope::runtime::DataType;
using litescope::testing::SingleOpModel;
namespace ref = litescope::runtime::reference;
namespace schema = litescope::runtime::schema;

}  // namespace

TEST_CASE("GELU exact and tanh-approximate forms", "[runtime][kernels][activations]") {
  // Reference values of x * Phi(x).
  CHECK(ref::GeluOp{}(0.f) == 0.f);
  CHECK(ref::GeluOp{}(1.f) == Approx(0.8413447f).epsilon(1e-6));
  CHECK(ref::GeluOp{}(-1.f) == Approx(-0.1586553f).epsilon(1e-6));
  CHECK(ref::GeluOp{}(3.f) == Approx(2.9959502f).epsilon(1e-6));
  CHECK(ref::GeluApproximateOp{}(1.f) == Approx(0.8411920f).epsilon(1e-6));
  CHECK(ref::GeluApproximateOp{}(-1.f) == Approx(-0.1588080f).epsilon(1e-6));
}

TEST_CASE("Logistic uses TFLite's cut-offs", "[runtime][kernels][activations]") {
  const ref::LogisticOp op;
  CHECK(op(0.f) == 0.5f);
  CHECK(op(20.f) == 1.f);
  CHECK(op(-20.f) == Approx(std::exp(-20.f)));
  CHECK(op(2.f) == Approx(1.f / (1.f + std::exp(-2.f))));
}

TEST_CASE("Piecewise activations", "[runtime][kernels][activations]") {
  CHECK(ref::ReluOp{}(-2.f) == 0.f);
  CHECK(ref::ReluOp{}(2.f) == 2.f);
  CHECK(ref::ClampOp{0.f, 6.f}(7.f) == 6.f);
  CHECK(ref::ClampOp{-1.f, 1.f}(-3.f) == -1.f);
  CHECK(std::isnan(ref::ClampOp{0.f, 6.f}(std::numeric_limits<float>::quiet_NaN())));
  CHECK(ref::LeakyReluOp{0.2f}(-5.f) == Approx(-1.f));
  CHECK(ref::LeakyReluOp{2.f}(-1.f) == -2.f);  // alpha > 1 is not a max
  CHECK(ref::HardSwishOp{}(-4.f) == 0.f);
  CHECK(ref::HardSwishOp{}(4.f) == 4.f);
  CHECK(ref::HardSwishOp{}(1.f) == Approx(4.f / 6.f));
  CHECK(ref::EluOp{}(-1.f) == Approx(std::exp(-1.f) - 1.f));
  CHECK(ref::EluOp{}(1.5f) == 1.5f);
  CHECK(ref::PreluOp{}(-2.f, 0.25f) == -0.5f);
  CHECK(ref::PreluOp{}(2.f, 0.25f) == 2.f);
}

TEST_CASE("GELU reads its approximate flag", "[runtime][kernels][activations]") {
  for (bool approximate : {false, true}) {
    SingleOpModel m(schema::BuiltinOperator::GELU);
    const int in = m.AddInput(DataType::kFloat32, {2});
    const int out = m.AddOutput(DataType::kFloat32, {2});
    m.SetOptions([approximate](flatbuffers::FlatBufferBuilder& fbb) {
      return std::make_pair(schema::BuiltinOptions::GeluOptions,
                            schema::CreateGeluOptions(fbb, approximate).Union());
    });
    REQUIRE(m.Build().ok());
    m.SetInput<float>(in, {1.f, -1.f});
    REQUIRE(m.Invoke().ok());
    const std::vector<float> got = m.Output<float>(out);
    CHECK(got[0] == (approximate ? ref::GeluApproximateOp{}(1.f) : ref::GeluOp{}(1.f)));
    CHECK(got[1] == (approximate ? ref::GeluApproximateOp{}(-1.f) : ref::GeluOp{}(-1.f)));
  }
}

TEST_CASE("PRELU broadcasts alpha per channel", "[runtime][kernels][activations]") {
  SingleOpModel m(schema::BuiltinOperator::PRELU);
  const int in = m.AddInput(DataType::kFloat32, {1, 2, 3});
  m.AddConstInput<float>(DataType::kFloat32, {3}, {0.f, 0.5f, 2.f});
  const int out = m.AddOutput(DataType::kFloat32, {1, 2, 3});
  REQUIRE(m.Build().ok());
  m.SetInput<float>(in, {-1.f, -1.f, -1.f, 1.f, -2.f, 3.f});
  REQUIRE(m.Invoke().ok());
  CHECK(m.Output<float>(out) == std::vector<float>{0.f, -0.5f, -2.f, 1.f, -1.f, 3.f});
}
