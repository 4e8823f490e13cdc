#include "runtime/kernels/reference/softmax.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "tests/runtime/kernels/single_op_model.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

namespace {
namespace reference = litescope::runtime::reference;
}  // namespace

TEST_CASE("SoftmaxFloat normalizes each row with beta", "[runtime][kernels][softmax]") {
  const std::vector<float> in = {0.f, std::log(3.f), 1000.f, 1000.f};
  std::vector<float> out(4);
  reference::SoftmaxFloat(in.data(), out.data(), 2, 2, 1.f);
  CHECK(out[0] == Approx(0.25f));
  CHECK(out[1] == Approx(0.75f));
  CHECK(out[2] == Approx(0.5f));  // large inputs do not overflow
  CHECK(out[3] == Approx(0.5f));
  reference::SoftmaxFloat(in.data(), out.data(), 1, 2, 2.f);  // beta 2: weights 1 and 9
  CHECK(out[0] == Approx(0.1f));
  CHECK(out[1] == Approx(0.9f));
}

TEST_CASE("LogSoftmaxFloat is the log of the softmax", "[runtime][kernels][softmax]") {
  const std::vector<float> in = {1.f, 2.f, 3.f, -500.f, 0.f, 500.f};
  std::vector<float> out(6);
  reference::LogSoftmaxFloat(in.data(), out.data(), 2, 3);
  const float log_sum = std::log(std::exp(1.f) + std::exp(2.f) + std::exp(3.f));
  CHECK(out[0] == Approx(1.f - log_sum));
  CHECK(out[1] == Approx(2.f - log_sum));
  CHECK(out[2] == Approx(3.f - log_sum));
  CHECK(out[3] == Approx(-1000.f));
  CHECK(out[4] == Approx(-500.f));
  CHECK(out[5] == Approx(0.f).margin(1e-6));
}

TEST_CASE("LOG_SOFTMAX runs on a rank-3 tensor", "[runtime][kernels][softmax]") {
  namespace schema = litescope::runtime::schema;
  litescope::testing::SingleOpModel m(schema::BuiltinOperator::LOG_SOFTMAX);
  const int in = m.AddInput(litescope::runtime::DataType::kFloat32, {1, 2, 2});
  const int out = m.AddOutput(litescope::runtime::DataType::kFloat32, {1, 2, 2});
  REQUIRE(m.Build().ok());
  m.SetInput<float>(in, {0.f, 0.f, 1.f, 1.f});
  REQUIRE(m.Invoke().ok());
  for (float v : m.Output<float>(out)) CHECK(v == Approx(-std::log(2.f)));
}
