#include "runtime/sample_models.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "runtime/model_builder.h"

namespace litescope::runtime {
namespace {

using schema::ActivationFunctionType;
using schema::BuiltinOperator;
using schema::Padding;

// Deterministic weights. std::uniform_real_distribution is implementation-defined, so values
// are derived with integer arithmetic only:
//   1. SplitMix64 produces 64 random bits,
//   2. the top 24 bits, centered, give an integer in [-2^23, 2^23),
//   3. multiplying by 2^-23 (exact) gives u in [-1, 1), then one float multiply scales it.
// Every step is exact or a single IEEE-rounded operation, so the result does not depend on the
// compiler or the standard library. Never add to a scaled value (`b + u * s`): with FMA
// available, compilers may fuse the multiply and add (-ffp-contract) and round differently.
class WeightGenerator {
 public:
  explicit WeightGenerator(uint64_t seed) : state_(seed) {}

  uint64_t NextBits() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

  // Uniform in [-limit, limit).
  float Uniform(float limit) {
    const auto centered = static_cast<int32_t>(NextBits() >> 40) - (int32_t{1} << 23);
    const float u = static_cast<float>(centered) * (1.0f / 8388608.0f);  // 2^-23
    return u * limit;
  }

  // Uniform in [0, limit).
  float UniformNonNegative(float limit) {
    const auto bits = static_cast<int32_t>(NextBits() >> 40);
    return static_cast<float>(bits) * (1.0f / 16777216.0f) * limit;  // 2^-24
  }

  std::vector<float> Fill(size_t count, float limit) {
    std::vector<float> v(count);
    for (float& x : v) x = Uniform(limit);
    return v;
  }

 private:
  uint64_t state_;
};

// He-uniform bound: variance 2 / fan_in, which keeps ReLU activations at a steady scale.
float HeLimit(int fan_in) { return std::sqrt(6.0f / static_cast<float>(fan_in)); }

int SameOutputSize(int in, int stride) { return (in + stride - 1) / stride; }

// The TFLite converter stores min_runtime_version as a 16-byte, NUL-padded string.
std::vector<uint8_t> RuntimeVersionBytes(const char* version) {
  std::vector<uint8_t> bytes(16, 0);
  std::memcpy(bytes.data(), version, std::min(std::strlen(version), bytes.size() - 1));
  return bytes;
}

OptionsFn Conv2DOpts(int stride, ActivationFunctionType act) {
  return [stride, act](flatbuffers::FlatBufferBuilder& b) {
    return std::make_pair(
        schema::BuiltinOptions::Conv2DOptions,
        schema::CreateConv2DOptions(b, Padding::SAME, stride, stride, act).Union());
  };
}

OptionsFn DepthwiseOpts(int stride) {
  return [stride](flatbuffers::FlatBufferBuilder& b) {
    return std::make_pair(
        schema::BuiltinOptions::DepthwiseConv2DOptions,
        schema::CreateDepthwiseConv2DOptions(b, Padding::SAME, stride, stride,
                                             /*depth_multiplier=*/1, ActivationFunctionType::RELU6)
            .Union());
  };
}

}  // namespace

Result<std::vector<uint8_t>> BuildMobileNetLikeModel(const MobileNetLikeOptions& options) {
  if (options.input_size < 1 || options.input_size > 2048)
    return InvalidArgumentError(
        fmt::format("mobilenet_like: input_size {} is outside 1..2048", options.input_size));
  if (!(options.width > 0.0f && options.width <= 4.0f))
    return InvalidArgumentError(
        fmt::format("mobilenet_like: width {} is outside (0, 4]", options.width));
  if (options.num_classes < 1 || options.num_classes > 10000)
    return InvalidArgumentError(
        fmt::format("mobilenet_like: num_classes {} is outside 1..10000", options.num_classes));

  ModelBuilder mb;
  WeightGenerator gen(options.seed);
  const auto channels = [&](int base) {
    return std::max(8, static_cast<int>(static_cast<float>(base) * options.width));
  };
  const auto add_bias = [&](const std::string& prefix, int count) {
    // Small positive-leaning biases, as left by folded batch norms, keep most units active.
    std::vector<float> bias(static_cast<size_t>(count));
    for (float& b : bias) b = gen.UniformNonNegative(0.1f);
    return mb.AddConstTensor(0, prefix + "/bias", DataType::kFloat32, {count}, bias);
  };
  const auto add_filter = [&](const std::string& prefix, std::vector<int32_t> shape, float limit) {
    size_t count = 1;
    for (int32_t d : shape) count *= static_cast<size_t>(d);
    return mb.AddConstTensor(0, prefix + "/weights", DataType::kFloat32, shape,
                             gen.Fill(count, limit));
  };

  int size = options.input_size;
  int depth = 3;
  int x = mb.AddTensor(0, "input", DataType::kFloat32, {1, size, size, depth});
  const int input = x;

  // Stem: 3x3 convolution, stride 2.
  {
    const int out_depth = channels(32);
    const int w = add_filter("stem", {out_depth, 3, 3, depth}, HeLimit(9 * depth));
    const int b = add_bias("stem", out_depth);
    size = SameOutputSize(size, 2);
    const int y = mb.AddTensor(0, "stem/relu6", DataType::kFloat32, {1, size, size, out_depth});
    mb.AddOperator(0, BuiltinOperator::CONV_2D, {x, w, b}, {y},
                   Conv2DOpts(2, ActivationFunctionType::RELU6));
    x = y;
    depth = out_depth;
  }

  // Depthwise-separable blocks: {base output depth, stride}.
  constexpr std::pair<int, int> kBlocks[] = {{64, 1},  {128, 2},  {128, 1}, {256, 2}, {256, 1},
                                             {512, 2}, {512, 1},  {512, 1}, {512, 1}, {512, 1},
                                             {512, 1}, {1024, 2}, {1024, 1}};
  int block_index = 1;
  for (const auto& [base, stride] : kBlocks) {
    const std::string block = fmt::format("block{}", block_index++);
    // Depthwise 3x3 (filter [1, 3, 3, depth]; each output channel sees 9 inputs).
    const std::string dw = block + "/depthwise";
    const int dw_w = add_filter(dw, {1, 3, 3, depth}, HeLimit(9));
    const int dw_b = add_bias(dw, depth);
    size = SameOutputSize(size, stride);
    const int dw_out = mb.AddTensor(0, dw + "/relu6", DataType::kFloat32, {1, size, size, depth});
    mb.AddOperator(0, BuiltinOperator::DEPTHWISE_CONV_2D, {x, dw_w, dw_b}, {dw_out},
                   DepthwiseOpts(stride));
    // Pointwise 1x1.
    const std::string pw = block + "/pointwise";
    const int out_depth = channels(base);
    const int pw_w = add_filter(pw, {out_depth, 1, 1, depth}, HeLimit(depth));
    const int pw_b = add_bias(pw, out_depth);
    const int pw_out =
        mb.AddTensor(0, pw + "/relu6", DataType::kFloat32, {1, size, size, out_depth});
    mb.AddOperator(0, BuiltinOperator::CONV_2D, {dw_out, pw_w, pw_b}, {pw_out},
                   Conv2DOpts(1, ActivationFunctionType::RELU6));
    x = pw_out;
    depth = out_depth;
  }

  // Global average pool over what is left of the spatial extent.
  {
    const int pooled = mb.AddTensor(0, "pool", DataType::kFloat32, {1, 1, 1, depth});
    const int filter = size;
    mb.AddOperator(0, BuiltinOperator::AVERAGE_POOL_2D, {x}, {pooled},
                   [filter](flatbuffers::FlatBufferBuilder& b) {
                     return std::make_pair(
                         schema::BuiltinOptions::Pool2DOptions,
                         schema::CreatePool2DOptions(b, Padding::VALID, 2, 2, filter, filter,
                                                     ActivationFunctionType::NONE)
                             .Union());
                   });
    x = pooled;
  }

  // Classifier: 1x1 convolution to the logits (Glorot-like bound: the logits are not rectified),
  // flattened to [1, classes], then softmax.
  const int classes = options.num_classes;
  {
    const int w =
        add_filter("logits", {classes, 1, 1, depth}, std::sqrt(3.0f / static_cast<float>(depth)));
    std::vector<float> bias(static_cast<size_t>(classes));
    for (float& v : bias) v = gen.Uniform(0.01f);
    const int b = mb.AddConstTensor(0, "logits/bias", DataType::kFloat32, {classes}, bias);
    const int logits = mb.AddTensor(0, "logits", DataType::kFloat32, {1, 1, 1, classes});
    mb.AddOperator(0, BuiltinOperator::CONV_2D, {x, w, b}, {logits},
                   Conv2DOpts(1, ActivationFunctionType::NONE));
    x = logits;
  }
  {
    const int shape =
        mb.AddConstTensor<int32_t>(0, "logits/shape", DataType::kInt32, {2}, {1, classes});
    const int flat = mb.AddTensor(0, "logits/flat", DataType::kFloat32, {1, classes});
    mb.AddOperator(0, BuiltinOperator::RESHAPE, {x, shape}, {flat},
                   [classes](flatbuffers::FlatBufferBuilder& b) {
                     const std::vector<int32_t> new_shape = {1, classes};
                     return std::make_pair(
                         schema::BuiltinOptions::ReshapeOptions,
                         schema::CreateReshapeOptions(b, b.CreateVector(new_shape)).Union());
                   });
    x = flat;
  }
  const int probabilities = mb.AddTensor(0, "probabilities", DataType::kFloat32, {1, classes});
  mb.AddOperator(0, BuiltinOperator::SOFTMAX, {x}, {probabilities},
                 [](flatbuffers::FlatBufferBuilder& b) {
                   return std::make_pair(schema::BuiltinOptions::SoftmaxOptions,
                                         schema::CreateSoftmaxOptions(b, 1.0f).Union());
                 });

  mb.SetInputs(0, {input});
  mb.SetOutputs(0, {probabilities});
  mb.AddSignature("serving_default", 0, {{"input", input}}, {{"probabilities", probabilities}});
  mb.SetDescription(fmt::format(
      "litescope sample: MobileNet-v1-like classifier, {0}x{0}x3 input, width {1}, {2} classes",
      options.input_size, options.width, classes));
  // Every op here is version 1, which TFLite 1.5.0 already ran.
  mb.AddMetadata("min_runtime_version", RuntimeVersionBytes("1.5.0"));
  return mb.Finish();
}

std::vector<uint8_t> BuildAddMulModel(const std::vector<int32_t>& shape) {
  ModelBuilder mb;
  const int a = mb.AddTensor(0, "a", DataType::kFloat32, shape);
  const int b = mb.AddTensor(0, "b", DataType::kFloat32, shape);
  const int sum = mb.AddTensor(0, "sum", DataType::kFloat32, shape);
  const int out = mb.AddTensor(0, "output", DataType::kFloat32, shape);
  mb.AddOperator(0, BuiltinOperator::ADD, {a, b}, {sum}, [](flatbuffers::FlatBufferBuilder& fbb) {
    return std::make_pair(schema::BuiltinOptions::AddOptions,
                          schema::CreateAddOptions(fbb, ActivationFunctionType::NONE).Union());
  });
  mb.AddOperator(0, BuiltinOperator::MUL, {sum, b}, {out}, [](flatbuffers::FlatBufferBuilder& fbb) {
    return std::make_pair(schema::BuiltinOptions::MulOptions,
                          schema::CreateMulOptions(fbb, ActivationFunctionType::NONE).Union());
  });
  mb.SetInputs(0, {a, b});
  mb.SetOutputs(0, {out});
  mb.AddSignature("serving_default", 0, {{"a", a}, {"b", b}}, {{"output", out}});
  mb.SetDescription("litescope sample: output = (a + b) * b");
  mb.AddMetadata("min_runtime_version", RuntimeVersionBytes("1.5.0"));
  return mb.Finish();
}

const std::vector<SampleModelInfo>& SampleModels() {
  static const std::vector<SampleModelInfo> kModels = {
      {"mobilenet_like",
       "float32 MobileNet-v1-like classifier (96x96x3 input, width 0.25, 100 classes)",
       [] { return BuildMobileNetLikeModel(); }},
      {"add_mul", "float32 (a + b) * b over two 1x2x2x3 inputs",
       []() -> Result<std::vector<uint8_t>> { return BuildAddMulModel(); }},
  };
  return kModels;
}

Result<std::vector<uint8_t>> BuildSampleModel(const std::string& name) {
  std::string bare = name;
  const size_t prefix_len = std::strlen(kBuiltinModelPrefix);
  if (bare.compare(0, prefix_len, kBuiltinModelPrefix) == 0) bare = bare.substr(prefix_len);
  std::string available;
  for (const SampleModelInfo& info : SampleModels()) {
    if (info.name == bare) return info.build();
    available += (available.empty() ? "" : ", ") + info.name;
  }
  return InvalidArgumentError(
      fmt::format("unknown built-in model \"{}\"; available: {}", bare, available));
}

}  // namespace litescope::runtime
