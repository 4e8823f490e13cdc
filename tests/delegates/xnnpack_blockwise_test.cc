#include <catch2/catch.hpp>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "delegates/xnnpack/xnnpack_delegate.h"
#include "runtime/interpreter.h"
#include "runtime/model.h"
#include "runtime/op_registry.h"
#include "runtime/subgraph.h"
#include "tests/runtime/kernels/blockwise_fc_model.h"

namespace {

namespace ls = litescope::runtime;
namespace ld = litescope::delegates;

// Runs the model once, with or without the XNNPACK delegate; returns output 0.
std::vector<float> RunOnce(std::shared_ptr<const ls::Model> model, ld::XnnpackDelegate* delegate,
                           const std::vector<float>& input, std::string* placement_reason) {
  auto interp = ls::Interpreter::Create(std::move(model), ls::OpRegistry::WithBuiltins());
  REQUIRE(interp.ok());
  if (delegate) {
    REQUIRE((*interp)->ApplyDelegate(*delegate).ok());
    const auto& placement = (*interp)->primary().placement();
    REQUIRE(placement.size() == 1);
    CHECK(placement[0].backend == "cpu");
    *placement_reason = placement[0].reason;
  }
  REQUIRE((*interp)->AllocateTensors().ok());
  ls::Tensor* in = (*interp)->input(0);
  std::copy(input.begin(), input.end(), in->data_as<float>());
  REQUIRE((*interp)->Invoke().ok());
  const ls::Tensor* out = (*interp)->output(0);
  return std::vector<float>(out->data_as<float>(), out->data_as<float>() + out->elements());
}

}  // namespace

TEST_CASE("XnnpackDelegate leaves blockwise INT4 FULLY_CONNECTED on the CPU kernel",
          "[delegates][xnnpack][fully_connected_blockwise]") {
  litescope::testing::BlockwiseFc fc;
  fc.Fill(4);
  const std::vector<uint8_t> bytes = fc.Build();
  auto model = ls::Model::FromBufferCopy(bytes.data(), bytes.size(), "blockwise_fc");
  REQUIRE(model.ok());
  std::mt19937 rng(2);
  std::uniform_real_distribution<float> dist(-1.f, 1.f);
  std::vector<float> input(static_cast<size_t>(fc.batches) * fc.k);
  for (float& x : input) x = dist(rng);

  auto delegate = ld::XnnpackDelegate::Create(ld::XnnpackOptions{});
  REQUIRE(delegate.ok());
  std::string reason;
  const std::vector<float> cpu = RunOnce(*model, nullptr, input, nullptr);
  const std::vector<float> xnn = RunOnce(*model, delegate->get(), input, &reason);
  CHECK(reason.find("INT4") != std::string::npos);
  CHECK(xnn == cpu);  // the same kernel ran
}
