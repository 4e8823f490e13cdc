#include <catch2/catch.hpp>

#include <vector>

#include "runtime/kernels/reference/gather.h"
#include "tests/runtime/kernels/single_op_model.h"

namespace ls = litescope::runtime;
namespace reference = litescope::runtime::reference;

TEST_CASE("EmbeddingLookup copies or dequantizes table rows", "[runtime][kernels]") {
  const std::vector<int32_t> ids = {2, 0, 2};
  SECTION("rows are copied") {
    const std::vector<float> table = {0.f, 1.f, 10.f, 11.f, 20.f, 21.f};  // 3 rows of 2
    std::vector<float> out(6);
    CHECK(reference::EmbeddingLookup(table.data(), 3, 2, ids.data(), 3, out.data()) == -1);
    CHECK(out == std::vector<float>{20.f, 21.f, 0.f, 1.f, 20.f, 21.f});
  }
  SECTION("an INT8 table is scaled per row") {
    const std::vector<int8_t> table = {1, -1, 2, -2, 3, -3};
    std::vector<float> out(6);
    CHECK(reference::EmbeddingLookupDequantize(table.data(), 3, 2, {0.5f, 1.f, 2.f}, ids.data(), 3,
                                               out.data()) == -1);
    CHECK(out == std::vector<float>{6.f, -6.f, 0.5f, -0.5f, 6.f, -6.f});
  }
  SECTION("an id outside the table is reported by position") {
    const std::vector<float> table = {0.f, 1.f};
    const std::vector<int32_t> bad = {0, 1};
    std::vector<float> out(4);
    CHECK(reference::EmbeddingLookup(table.data(), 1, 2, bad.data(), 2, out.data()) == 1);
  }
}

TEST_CASE("EMBEDDING_LOOKUP looks up rows of a constant table", "[runtime][kernels]") {
  namespace schema = litescope::schema;
  litescope::testing::SingleOpModel m(schema::BuiltinOperator::EMBEDDING_LOOKUP);
  const int ids = m.AddInput(ls::DataType::kInt32, {2});
  m.AddConstInput<float>(ls::DataType::kFloat32, {3, 2}, {0.f, 1.f, 10.f, 11.f, 20.f, 21.f});
  const int out = m.AddOutput(ls::DataType::kFloat32, {2, 2});
  REQUIRE(m.Build().ok());
  m.SetInput<int32_t>(ids, {1, 2});
  REQUIRE(m.Invoke().ok());
  CHECK(m.Output<float>(out) == std::vector<float>{10.f, 11.f, 20.f, 21.f});
  m.SetInput<int32_t>(ids, {3, 0});
  const litescope::Status s = m.Invoke();
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("out of range") != std::string::npos);
}
