#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "runtime/interpreter.h"
#include "runtime/kernels/reference/fully_connected_blockwise.h"
#include "runtime/kernels/reference/hybrid.h"
#include "runtime/model.h"
#include "runtime/op_registry.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "tests/runtime/kernels/blockwise_fc_model.h"

namespace {

namespace schema = litescope::runtime::schema;
namespace reference = litescope::runtime::reference;
using litescope::Status;
using litescope::runtime::DataType;
using litescope::runtime::Interpreter;
using litescope::runtime::InterpreterOptions;
using litescope::runtime::Model;
using litescope::runtime::OpRegistry;
using litescope::testing::BlockwiseFc;

struct Run {
  Status status;
  std::vector<float> output;
};

Run Execute(const BlockwiseFc& fc, const std::vector<float>& input, int threads = 1) {
  const std::vector<uint8_t> bytes = fc.Build();
  auto model = Model::FromBufferCopy(bytes.data(), bytes.size(), "blockwise_fc");
  if (!model.ok()) return {model.status(), {}};
  InterpreterOptions options;
  options.num_threads = threads;
  auto interp = Interpreter::Create(*model, OpRegistry::WithBuiltins(), options);
  if (!interp.ok()) return {interp.status(), {}};
  Status s = (*interp)->AllocateTensors();
  if (!s.ok()) return {s, {}};
  float* in = (*interp)->input(0)->data_as<float>();
  std::copy(input.begin(), input.end(), in);
  s = (*interp)->Invoke();
  if (!s.ok()) return {s, {}};
  const float* out = (*interp)->output(0)->data_as<float>();
  return {Status::Ok(), std::vector<float>(out, out + fc.batches * fc.n)};
}

std::vector<float> RandomInput(int64_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.f, 1.f);
  std::vector<float> v(static_cast<size_t>(count));
  for (float& x : v) x = dist(rng);
  return v;
}

std::string ErrorOf(const BlockwiseFc& fc) {
  Run r = Execute(fc, RandomInput(static_cast<int64_t>(fc.batches) * fc.k, 1));
  return r.status.ok() ? std::string("ok") : r.status.message();
}

}  // namespace

TEST_CASE("Int4At reads the even index from the low nibble, sign-extended",
          "[runtime][kernels][fully_connected_blockwise]") {
  const uint8_t packed[] = {0x8F, 0x71};
  CHECK(reference::Int4At(packed, 0) == -1);
  CHECK(reference::Int4At(packed, 1) == -8);
  CHECK(reference::Int4At(packed, 2) == 1);
  CHECK(reference::Int4At(packed, 3) == 7);
}

TEST_CASE("FULLY_CONNECTED with blockwise INT4 weights matches the dequantized product",
          "[runtime][kernels][fully_connected_blockwise]") {
  BlockwiseFc fc;
  fc.block_size = GENERATE(16, 32, 64);
  const bool with_bias = GENERATE(false, true);
  const int threads = GENERATE(1, 3);
  fc.Fill(7);
  if (with_bias) fc.bias = RandomInput(fc.n, 9);
  const std::vector<float> input = RandomInput(static_cast<int64_t>(fc.batches) * fc.k, 11);
  Run r = Execute(fc, input, threads);
  INFO("block " << fc.block_size << " bias " << with_bias << " threads " << threads);
  REQUIRE(r.status.ok());
  const std::vector<float> expected = fc.Expected(input);
  REQUIRE(r.output.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i)
    CHECK(r.output[i] == Approx(expected[i]).margin(1e-5).epsilon(1e-5));
}

TEST_CASE("FULLY_CONNECTED with blockwise INT4 weights approximates the float product",
          "[runtime][kernels][fully_connected_blockwise]") {
  // Guards against a mistake shared by the kernel and Expected (e.g. in the input quantization):
  // the result must stay within the input quantization error of the exact float product.
  BlockwiseFc fc;
  fc.Fill(3);
  const std::vector<float> input = RandomInput(static_cast<int64_t>(fc.batches) * fc.k, 5);
  Run r = Execute(fc, input);
  REQUIRE(r.status.ok());
  const int blocks = fc.k / fc.block_size;
  for (int b = 0; b < fc.batches; ++b)
    for (int j = 0; j < fc.n; ++j) {
      double exact = 0.0, bound = 0.0;
      for (int i = 0; i < fc.k; ++i) {
        const double w =
            fc.weights[static_cast<size_t>(j) * fc.k + i] *
            static_cast<double>(fc.scales[static_cast<size_t>(j) * blocks + i / fc.block_size]);
        exact += w * input[static_cast<size_t>(b) * fc.k + i];
        bound += std::fabs(w) * (2.0 / 255.0);  // one input step (rounding, nudged zp)
      }
      CHECK(std::fabs(r.output[static_cast<size_t>(b) * fc.n + j] - exact) <= bound + 1e-6);
    }
}

TEST_CASE("FULLY_CONNECTED rejects blockwise layouts it does not serve",
          "[runtime][kernels][fully_connected_blockwise]") {
  BlockwiseFc fc;
  fc.Fill(1);
  std::string error;
  SECTION("block size not dividing the input depth") {
    fc.block_size = 24;
    fc.scales.resize(static_cast<size_t>(fc.n) * 2);
    fc.scales_shape = {fc.n, 2};
    error = ErrorOf(fc);
    CHECK(error.find("block size 24 does not divide the input depth 64") != std::string::npos);
  }
  SECTION("FLOAT32 scales") {
    fc.scales_type = DataType::kFloat32;
    error = ErrorOf(fc);
    CHECK(error.find("are FLOAT32; expected FLOAT16") != std::string::npos);
  }
  SECTION("zero points") {
    fc.zero_points = 0;  // the input tensor: any valid index
    error = ErrorOf(fc);
    CHECK(error.find("blockwise zero points") != std::string::npos);
  }
  SECTION("a fused activation") {
    fc.act = schema::ActivationFunctionType::RELU;
    error = ErrorOf(fc);
    CHECK(error.find("fused activation RELU") != std::string::npos);
  }
  SECTION("INT4 weights without details") {
    fc.details = false;
    error = ErrorOf(fc);
    CHECK(error.find("without BlockwiseQuantization details") != std::string::npos);
  }
  CHECK(error.find("node 0 (FULLY_CONNECTED): unsupported: ") != std::string::npos);
}

TEST_CASE("FULLY_CONNECTED rejects malformed blockwise scales",
          "[runtime][kernels][fully_connected_blockwise]") {
  BlockwiseFc fc;
  fc.Fill(1);
  SECTION("scales of the wrong shape") {
    fc.scales_shape = {fc.n * 2, 1};
    const std::string error = ErrorOf(fc);
    CHECK(error.find("node 0 (FULLY_CONNECTED): blockwise scales") != std::string::npos);
    CHECK(error.find("expected [5, 2]") != std::string::npos);
  }
  SECTION("scales index beyond the tensors (the loader refuses the model)") {
    fc.scales_index_offset = 100;
    const std::string error = ErrorOf(fc);
    CHECK(error.find("blockwise scales refer to tensor") != std::string::npos);
  }
}
