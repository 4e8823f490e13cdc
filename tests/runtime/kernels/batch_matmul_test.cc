#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "runtime/kernels/reference/batch_matmul.h"
#include "runtime/model_builder.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/shape.h"
#include "tests/random_data.h"
#include "tests/runtime/kernels/single_op_model.h"

namespace {

namespace schema = litescope::runtime::schema;
namespace reference = litescope::runtime::reference;
using litescope::runtime::DataType;
using litescope::runtime::Shape;
using litescope::testing::SingleOpModel;

using litescope::testing::RandomVector;

void CheckBatchMatMul(const Shape& lhs_shape, const Shape& rhs_shape, bool adj_x, bool adj_y,
                      bool rhs_constant, int threads) {
  CAPTURE(lhs_shape.ToString(), rhs_shape.ToString(), adj_x, adj_y, rhs_constant, threads);
  reference::MatMulPlan plan;
  std::string error;
  REQUIRE(reference::PlanBatchMatMul(lhs_shape, rhs_shape, adj_x, adj_y, &plan, &error));
  const std::vector<float> lhs = RandomVector(lhs_shape.FlatSize(), 1);
  const std::vector<float> rhs = RandomVector(rhs_shape.FlatSize(), 2);
  std::vector<float> expected(static_cast<size_t>(plan.out_shape.FlatSize()));
  reference::BatchMatMulFloat(plan, lhs.data(), adj_x, rhs.data(), adj_y, expected.data());

  SingleOpModel m(schema::BuiltinOperator::BATCH_MATMUL);
  const int lhs_h = m.AddInput(DataType::kFloat32, lhs_shape.dims());
  int rhs_h = -1;
  if (rhs_constant) {
    m.AddConstInput<float>(DataType::kFloat32, rhs_shape.dims(), rhs);
  } else {
    rhs_h = m.AddInput(DataType::kFloat32, rhs_shape.dims());
  }
  const int out = m.AddOutput(DataType::kFloat32, plan.out_shape.dims());
  m.SetOptions([=](flatbuffers::FlatBufferBuilder& b) {
    return std::make_pair(schema::BuiltinOptions::BatchMatMulOptions,
                          schema::CreateBatchMatMulOptions(b, adj_x, adj_y).Union());
  });
  REQUIRE(m.Build(threads).ok());
  m.SetInput<float>(lhs_h, lhs);
  if (rhs_h >= 0) m.SetInput<float>(rhs_h, rhs);
  REQUIRE(m.Invoke().ok());
  CHECK(m.OutputShape(out) == plan.out_shape.dims());
  const std::vector<float> got = m.Output<float>(out);
  REQUIRE(got.size() == expected.size());
  for (size_t i = 0; i < got.size(); ++i) CHECK(got[i] == Approx(expected[i]).margin(1e-4));
}

}  // namespace

TEST_CASE("BATCH_MATMUL matches the reference", "[runtime][kernels][batch_matmul]") {
  SECTION("plain") { CheckBatchMatMul({2, 5, 7}, {2, 7, 9}, false, false, false, 1); }
  SECTION("adj_x and adj_y") { CheckBatchMatMul({3, 7, 5}, {3, 9, 7}, true, true, false, 2); }
  SECTION("rhs broadcast over lhs batches, constant") {
    CheckBatchMatMul({2, 3, 4, 6}, {6, 33}, false, false, true, 2);
  }
  SECTION("both sides broadcast") {
    CheckBatchMatMul({2, 1, 17, 8}, {1, 3, 40, 8}, false, true, false, 1);
  }
  SECTION("large product split across threads") {
    CheckBatchMatMul({1, 130, 70}, {70, 129}, false, false, false, 3);
  }
}

TEST_CASE("PlanBatchMatMul rejects mismatched shapes", "[runtime][kernels][batch_matmul]") {
  reference::MatMulPlan plan;
  std::string error;
  CHECK_FALSE(reference::PlanBatchMatMul({2, 3, 4}, {2, 5, 6}, false, false, &plan, &error));
  CHECK_THAT(error, Catch::Contains("contracted"));
  CHECK_FALSE(reference::PlanBatchMatMul({2, 3, 4}, {3, 4, 6}, false, false, &plan, &error));
  CHECK_THAT(error, Catch::Contains("broadcast"));
  CHECK_FALSE(reference::PlanBatchMatMul({4}, {4, 6}, false, false, &plan, &error));
}
