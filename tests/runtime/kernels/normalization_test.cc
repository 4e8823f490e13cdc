#include "runtime/kernels/reference/normalization.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "tests/runtime/kernels/single_op_model.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

namespace {
namespace reference = litescope::runtime::reference;
}  // namespace

TEST_CASE("L2NormalizeFloat divides each row by its norm", "[runtime][kernels][l2norm]") {
  const std::vector<float> in = {3.f, 4.f, 0.f, 0.f};
  std::vector<float> out(4);
  reference::L2NormalizeFloat(in.data(), out.data(), 2, 2);
  CHECK(out == std::vector<float>{0.6f, 0.8f, 0.f, 0.f});  // the zero row stays zero
}

TEST_CASE("LocalResponseNormalizeFloat uses a window of channels", "[runtime][kernels][lrn]") {
  reference::LrnParams p;
  p.radius = 1;
  p.bias = 1.f;
  p.alpha = 0.5f;
  p.beta = 0.5f;
  const std::vector<float> in = {1.f, 2.f, 3.f};
  std::vector<float> out(3);
  reference::LocalResponseNormalizeFloat(p, in.data(), out.data(), 1, 3);
  // windows: {1,2} -> 5, {1,2,3} -> 14, {2,3} -> 13
  CHECK(out[0] == Approx(1.f / std::sqrt(1.f + 0.5f * 5.f)));
  CHECK(out[1] == Approx(2.f / std::sqrt(1.f + 0.5f * 14.f)));
  CHECK(out[2] == Approx(3.f / std::sqrt(1.f + 0.5f * 13.f)));
}

TEST_CASE("LOCAL_RESPONSE_NORMALIZATION reads its options", "[runtime][kernels][lrn]") {
  namespace schema = litescope::runtime::schema;
  litescope::testing::SingleOpModel m(schema::BuiltinOperator::LOCAL_RESPONSE_NORMALIZATION);
  const int in = m.AddInput(litescope::runtime::DataType::kFloat32, {1, 1, 1, 2});
  const int out = m.AddOutput(litescope::runtime::DataType::kFloat32, {1, 1, 1, 2});
  m.SetOptions([](flatbuffers::FlatBufferBuilder& b) {
    return std::make_pair(
        schema::BuiltinOptions::LocalResponseNormalizationOptions,
        schema::CreateLocalResponseNormalizationOptions(b, 0, 1.f, 1.f, 1.f).Union());
  });
  REQUIRE(m.Build().ok());
  m.SetInput<float>(in, {1.f, 2.f});
  REQUIRE(m.Invoke().ok());
  // radius 0: x / (1 + x^2)
  CHECK(m.Output<float>(out) == std::vector<float>{0.5f, 0.4f});
}
