#include "runtime/kernels/reference/pad.h"

#include <catch2/catch.hpp>

#include <vector>

#include "tests/runtime/kernels/single_op_model.h"

namespace {

namespace ls = litescope::runtime;
namespace reference = litescope::runtime::reference;

std::vector<int> MirrorPad1D(const std::vector<int>& in, int64_t before, int64_t after,
                             reference::MirrorPadMode mode) {
  const ls::Shape in_shape({static_cast<int32_t>(in.size())});
  const ls::Shape out_shape({static_cast<int32_t>(in.size() + before + after)});
  std::vector<int> out(static_cast<size_t>(out_shape.FlatSize()));
  reference::MirrorPad(in_shape, {before}, mode, in.data(), out_shape, out.data());
  return out;
}

}  // namespace

TEST_CASE("MirrorPad reflects without or with the border element", "[runtime][kernels]") {
  SECTION("REFLECT excludes the border") {
    CHECK(MirrorPad1D({1, 2, 3}, 2, 2, reference::MirrorPadMode::kReflect) ==
          std::vector<int>{3, 2, 1, 2, 3, 2, 1});
  }
  SECTION("SYMMETRIC includes the border") {
    CHECK(MirrorPad1D({1, 2, 3}, 2, 3, reference::MirrorPadMode::kSymmetric) ==
          std::vector<int>{2, 1, 1, 2, 3, 3, 2, 1});
  }
  SECTION("every dimension is mirrored") {
    const std::vector<int> in = {1, 2, 3, 4, 5, 6};  // [[1, 2, 3], [4, 5, 6]]
    const ls::Shape out_shape({4, 7});
    std::vector<int> out(28);
    reference::MirrorPad(ls::Shape({2, 3}), {1, 2}, reference::MirrorPadMode::kReflect, in.data(),
                         out_shape, out.data());
    CHECK(out == std::vector<int>{6, 5, 4, 5, 6, 5, 4,  //
                                  3, 2, 1, 2, 3, 2, 1,  //
                                  6, 5, 4, 5, 6, 5, 4,  //
                                  3, 2, 1, 2, 3, 2, 1});
  }
}

TEST_CASE("MIRROR_PAD rejects paddings larger than the mode allows", "[runtime][kernels]") {
  namespace schema = litescope::schema;
  auto build = [](litescope::testing::SingleOpModel& m, int32_t pad) {
    m.AddInput(ls::DataType::kFloat32, {3});
    m.AddConstInput<int32_t>(ls::DataType::kInt32, {1, 2}, {pad, 0});
    m.AddOutput(ls::DataType::kFloat32, {3 + pad});
    m.SetOptions([](flatbuffers::FlatBufferBuilder& fbb) {
      return std::make_pair(
          schema::BuiltinOptions::MirrorPadOptions,
          schema::CreateMirrorPadOptions(fbb, schema::MirrorPadMode::REFLECT).Union());
    });
    return m.Build();
  };
  litescope::testing::SingleOpModel ok(schema::BuiltinOperator::MIRROR_PAD);
  REQUIRE(build(ok, 2).ok());
  ok.SetInput<float>(0, {1, 2, 3});
  REQUIRE(ok.Invoke().ok());
  CHECK(ok.Output<float>(0) == std::vector<float>{3, 2, 1, 2, 3});

  litescope::testing::SingleOpModel bad(schema::BuiltinOperator::MIRROR_PAD);
  const litescope::Status s = build(bad, 3);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("MIRROR_PAD") != std::string::npos);
  CHECK(s.message().find("REFLECT") != std::string::npos);
}
