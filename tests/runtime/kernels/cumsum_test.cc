#include "runtime/kernels/reference/cumsum.h"

#include <catch2/catch.hpp>

#include <limits>
#include <vector>

#include "tests/runtime/kernels/single_op_model.h"

namespace ls = litescope::runtime;
namespace reference = litescope::runtime::reference;

namespace {

std::vector<int> Cumsum1D(const std::vector<int>& in, bool exclusive, bool reverse) {
  std::vector<int> out(in.size());
  reference::Cumsum(ls::Shape({static_cast<int32_t>(in.size())}), 0, exclusive, reverse, in.data(),
                    out.data());
  return out;
}

}  // namespace

TEST_CASE("Cumsum honours exclusive and reverse", "[runtime][kernels]") {
  const std::vector<int> in = {1, 2, 3, 4};
  CHECK(Cumsum1D(in, false, false) == std::vector<int>{1, 3, 6, 10});
  CHECK(Cumsum1D(in, true, false) == std::vector<int>{0, 1, 3, 6});
  CHECK(Cumsum1D(in, false, true) == std::vector<int>{10, 9, 7, 4});
  CHECK(Cumsum1D(in, true, true) == std::vector<int>{9, 7, 4, 0});
}

TEST_CASE("Cumsum runs along an inner axis and wraps integer overflow", "[runtime][kernels]") {
  const std::vector<float> in = {1, 2, 3, 4, 5, 6};  // [[1, 2, 3], [4, 5, 6]]
  std::vector<float> out(6);
  reference::Cumsum(ls::Shape({2, 3}), 0, false, false, in.data(), out.data());
  CHECK(out == std::vector<float>{1, 2, 3, 5, 7, 9});
  const std::vector<int32_t> big = {std::numeric_limits<int32_t>::max(), 1};
  std::vector<int32_t> wrapped(2);
  reference::Cumsum(ls::Shape({2}), 0, false, false, big.data(), wrapped.data());
  CHECK(wrapped[1] == std::numeric_limits<int32_t>::min());
}

TEST_CASE("CUMSUM reads a negative axis from its second input", "[runtime][kernels]") {
  namespace schema = litescope::schema;
  litescope::testing::SingleOpModel m(schema::BuiltinOperator::CUMSUM);
  const int in = m.AddInput(ls::DataType::kInt32, {2, 3});
  m.AddConstInput<int32_t>(ls::DataType::kInt32, {}, {-1});
  const int out = m.AddOutput(ls::DataType::kInt32, {2, 3});
  m.SetOptions([](flatbuffers::FlatBufferBuilder& fbb) {
    return std::make_pair(schema::BuiltinOptions::CumsumOptions,
                          schema::CreateCumsumOptions(fbb, true, false).Union());
  });
  REQUIRE(m.Build().ok());
  m.SetInput<int32_t>(in, {1, 2, 3, 4, 5, 6});
  REQUIRE(m.Invoke().ok());
  CHECK(m.Output<int32_t>(out) == std::vector<int32_t>{0, 1, 3, 0, 4, 9});
}
