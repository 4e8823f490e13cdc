#pragma once

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "runtime/data_type.h"
#include "runtime/kernels/reference/hybrid.h"
#include "runtime/model_builder.h"
#include "runtime/schema/tflite_schema_generated.h"

// A one-node model for FULLY_CONNECTED with blockwise INT4 weights, shared by the kernel test
// and the XNNPACK fallback test.
namespace litescope::testing {

// One blockwise INT4 FULLY_CONNECTED: input [batches, k], weights [n, k] as signed values in
// [-8, 7], scales [n, k / block_size]. The fields below describe deliberate defects.
struct BlockwiseFc {
  int batches = 2;
  int k = 64;
  int n = 5;
  int block_size = 32;
  std::vector<int8_t> weights;  // n * k
  std::vector<float> scales;    // n * (k / block_size); exact in FLOAT16
  std::vector<float> bias;      // empty: no bias
  runtime::DataType scales_type = runtime::DataType::kFloat16;
  std::vector<int32_t> scales_shape;  // empty: [n, k / block_size]
  int32_t zero_points = -1;
  int32_t scales_index_offset = 0;  // added to the real scales tensor index
  bool details = true;
  runtime::schema::ActivationFunctionType act = runtime::schema::ActivationFunctionType::NONE;

  void Fill(uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> w(-8, 7);
    weights.resize(static_cast<size_t>(n) * k);
    for (int8_t& v : weights) v = static_cast<int8_t>(w(rng));
    const int blocks = k / block_size;
    scales.resize(static_cast<size_t>(n) * blocks);
    for (size_t i = 0; i < scales.size(); ++i)
      scales[i] = static_cast<float>(1 + (i * 7) % 13) / 256.f;  // i/256: exact in FLOAT16
  }

  // Two weights per byte, the even flat index in the low nibble.
  std::vector<uint8_t> Packed() const {
    std::vector<uint8_t> bytes((weights.size() + 1) / 2, 0);
    for (size_t i = 0; i < weights.size(); ++i) {
      const uint8_t nibble = static_cast<uint8_t>(weights[i]) & 0x0F;
      bytes[i / 2] |= static_cast<uint8_t>((i % 2 == 0) ? nibble : nibble << 4);
    }
    return bytes;
  }

  std::vector<uint8_t> Build() const {
    runtime::ModelBuilder b;
    const int in = b.AddTensor(0, "in", runtime::DataType::kFloat32, {batches, k});
    const int blocks = block_size > 0 ? k / block_size : 0;
    const std::vector<int32_t> sshape =
        scales_shape.empty() ? std::vector<int32_t>{n, blocks} : scales_shape;
    int scales_t = 0;
    if (scales_type == runtime::DataType::kFloat16)
      scales_t = b.AddFloat16ConstTensor(0, "scales", sshape, scales);
    else
      scales_t = b.AddConstTensor<float>(0, "scales", runtime::DataType::kFloat32, sshape, scales);
    runtime::TensorSpec w;
    w.name = "weights";
    w.type = runtime::DataType::kInt4;
    w.shape = {n, k};
    w.buffer = static_cast<uint32_t>(b.AddBuffer(Packed()));
    if (details)
      w.blockwise =
          runtime::BlockwiseQuantSpec{scales_t + scales_index_offset, zero_points, block_size};
    const int wt = b.AddTensor(0, w);
    std::vector<int32_t> inputs = {in, wt};
    if (!bias.empty())
      inputs.push_back(b.AddConstTensor<float>(0, "bias", runtime::DataType::kFloat32, {n}, bias));
    const int out = b.AddTensor(0, "out", runtime::DataType::kFloat32, {batches, n});
    namespace fbs = runtime::schema;
    const auto act_fn = act;
    b.AddOperator(
        0, fbs::BuiltinOperator::FULLY_CONNECTED, inputs, {out},
        [act_fn](flatbuffers::FlatBufferBuilder& fbb) {
          return std::make_pair(fbs::BuiltinOptions::FullyConnectedOptions,
                                fbs::CreateFullyConnectedOptions(
                                    fbb, act_fn, fbs::FullyConnectedOptionsWeightsFormat::DEFAULT,
                                    /*keep_num_dims=*/false, /*asymmetric_quantize_inputs=*/true)
                                    .Union());
        },
        /*version=*/6);
    b.SetInputs(0, {in});
    b.SetOutputs(0, {out});
    return b.Finish();
  }

  // Expected output, computed independently of the kernel: the input quantized per row as
  // TFLite does, then (q - zp) * s times the dequantized weights, summed in double.
  std::vector<float> Expected(const std::vector<float>& input) const {
    const int blocks = k / block_size;
    std::vector<float> out(static_cast<size_t>(batches) * n);
    std::vector<int8_t> q(static_cast<size_t>(k));
    for (int r = 0; r < batches; ++r) {
      float s = 0.f;
      int32_t zp = 0;
      runtime::reference::AsymmetricQuantize(input.data() + static_cast<size_t>(r) * k, k, q.data(),
                                             &s, &zp);
      for (int j = 0; j < n; ++j) {
        double acc = 0.0;
        for (int i = 0; i < k; ++i) {
          const double w =
              weights[static_cast<size_t>(j) * k + i] *
              static_cast<double>(scales[static_cast<size_t>(j) * blocks + i / block_size]);
          acc += (static_cast<double>(q[static_cast<size_t>(i)]) - zp) * s * w;
        }
        if (!bias.empty()) acc += bias[static_cast<size_t>(j)];
        out[static_cast<size_t>(r) * n + j] = static_cast<float>(acc);
      }
    }
    return out;
  }
};

}  // namespace litescope::testing
