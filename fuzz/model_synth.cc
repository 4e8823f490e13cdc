#include "fuzz/model_synth.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <utility>

#include "fuzz/model_mutator.h"
#include "runtime/model_builder.h"

namespace litescope::fuzz {
namespace {

using runtime::DataType;
using runtime::ModelBuilder;
using runtime::OptionsFn;
using runtime::QuantParams;
using schema::BuiltinOperator;
using schema::BuiltinOptions;
namespace fb = flatbuffers;

constexpr int32_t kI32Max = std::numeric_limits<int32_t>::max();

// How each operator input is made (one letter per input in OpRecipe::inputs):
//   D data (a graph input of the base shape), B broadcast partner (base shape with some dims 1,
//   sometimes constant), C constant data of the base shape, F filter (constant [O, kh, kw, C]),
//   V bias (constant [O]), P int32 constant vector with one value per base dimension (axes,
//   perms, shapes, begins), Q int32 paddings [rank, 2], S int32 scalar constant, I int32
//   indices into the base shape's first dimension, M a bool mask of the base shape.
struct OpRecipe {
  BuiltinOperator op;
  const char* inputs;
  int outputs;
};

constexpr OpRecipe kRecipes[] = {
    {BuiltinOperator::ADD, "DB", 1},
    {BuiltinOperator::SUB, "DB", 1},
    {BuiltinOperator::MUL, "DB", 1},
    {BuiltinOperator::DIV, "DB", 1},
    {BuiltinOperator::FLOOR_DIV, "DB", 1},
    {BuiltinOperator::FLOOR_MOD, "DB", 1},
    {BuiltinOperator::MAXIMUM, "DB", 1},
    {BuiltinOperator::MINIMUM, "DB", 1},
    {BuiltinOperator::POW, "DB", 1},
    {BuiltinOperator::SQUARED_DIFFERENCE, "DB", 1},
    {BuiltinOperator::EQUAL, "DB", 1},
    {BuiltinOperator::NOT_EQUAL, "DB", 1},
    {BuiltinOperator::LESS, "DB", 1},
    {BuiltinOperator::GREATER_EQUAL, "DB", 1},
    {BuiltinOperator::LOGICAL_AND, "DB", 1},
    {BuiltinOperator::LOGICAL_OR, "DB", 1},
    {BuiltinOperator::PRELU, "DB", 1},
    {BuiltinOperator::ABS, "D", 1},
    {BuiltinOperator::EXP, "D", 1},
    {BuiltinOperator::LOG, "D", 1},
    {BuiltinOperator::RSQRT, "D", 1},
    {BuiltinOperator::SQRT, "D", 1},
    {BuiltinOperator::SQUARE, "D", 1},
    {BuiltinOperator::NEG, "D", 1},
    {BuiltinOperator::SIN, "D", 1},
    {BuiltinOperator::FLOOR, "D", 1},
    {BuiltinOperator::ROUND, "D", 1},
    {BuiltinOperator::SIGN, "D", 1},
    {BuiltinOperator::RELU, "D", 1},
    {BuiltinOperator::RELU6, "D", 1},
    {BuiltinOperator::RELU_N1_TO_1, "D", 1},
    {BuiltinOperator::TANH, "D", 1},
    {BuiltinOperator::LOGISTIC, "D", 1},
    {BuiltinOperator::HARD_SWISH, "D", 1},
    {BuiltinOperator::GELU, "D", 1},
    {BuiltinOperator::ELU, "D", 1},
    {BuiltinOperator::LEAKY_RELU, "D", 1},
    {BuiltinOperator::SOFTMAX, "D", 1},
    {BuiltinOperator::LOG_SOFTMAX, "D", 1},
    {BuiltinOperator::L2_NORMALIZATION, "D", 1},
    {BuiltinOperator::LOCAL_RESPONSE_NORMALIZATION, "D", 1},
    {BuiltinOperator::QUANTIZE, "D", 1},
    {BuiltinOperator::DEQUANTIZE, "D", 1},
    {BuiltinOperator::CAST, "D", 1},
    {BuiltinOperator::SHAPE, "D", 1},
    {BuiltinOperator::LOGICAL_NOT, "D", 1},
    {BuiltinOperator::COMPLEX_ABS, "D", 1},
    {BuiltinOperator::CONV_2D, "DFV", 1},
    {BuiltinOperator::DEPTHWISE_CONV_2D, "DFV", 1},
    {BuiltinOperator::TRANSPOSE_CONV, "PFDV", 1},
    {BuiltinOperator::AVERAGE_POOL_2D, "D", 1},
    {BuiltinOperator::MAX_POOL_2D, "D", 1},
    {BuiltinOperator::L2_POOL_2D, "D", 1},
    {BuiltinOperator::FULLY_CONNECTED, "DFV", 1},
    {BuiltinOperator::BATCH_MATMUL, "DB", 1},
    {BuiltinOperator::CONCATENATION, "DBC", 1},
    {BuiltinOperator::PACK, "DB", 1},
    {BuiltinOperator::RESHAPE, "DP", 1},
    {BuiltinOperator::SQUEEZE, "D", 1},
    {BuiltinOperator::EXPAND_DIMS, "DS", 1},
    {BuiltinOperator::TRANSPOSE, "DP", 1},
    {BuiltinOperator::MEAN, "DP", 1},
    {BuiltinOperator::SUM, "DP", 1},
    {BuiltinOperator::REDUCE_MAX, "DP", 1},
    {BuiltinOperator::REDUCE_MIN, "DS", 1},
    {BuiltinOperator::REDUCE_PROD, "DP", 1},
    {BuiltinOperator::ARG_MAX, "DS", 1},
    {BuiltinOperator::ARG_MIN, "DS", 1},
    {BuiltinOperator::CUMSUM, "DS", 1},
    {BuiltinOperator::PAD, "DQ", 1},
    {BuiltinOperator::PADV2, "DQC", 1},
    {BuiltinOperator::MIRROR_PAD, "DQ", 1},
    {BuiltinOperator::GATHER, "DI", 1},
    {BuiltinOperator::GATHER_ND, "DI", 1},
    {BuiltinOperator::EMBEDDING_LOOKUP, "ID", 1},
    {BuiltinOperator::STRIDED_SLICE, "DPPP", 1},
    {BuiltinOperator::SLICE, "DPP", 1},
    {BuiltinOperator::TILE, "DP", 1},
    {BuiltinOperator::BROADCAST_TO, "DP", 1},
    {BuiltinOperator::SPLIT, "SD", 2},
    {BuiltinOperator::SPLIT_V, "DPS", 2},
    {BuiltinOperator::TOPK_V2, "DS", 2},
    {BuiltinOperator::SPACE_TO_DEPTH, "D", 1},
    {BuiltinOperator::DEPTH_TO_SPACE, "D", 1},
    {BuiltinOperator::RESIZE_BILINEAR, "DP", 1},
    {BuiltinOperator::RESIZE_NEAREST_NEIGHBOR, "DP", 1},
    {BuiltinOperator::SELECT, "MDB", 1},
    {BuiltinOperator::SELECT_V2, "MDB", 1},
    {BuiltinOperator::FILL, "PC", 1},
    {BuiltinOperator::RFFT2D, "DP", 1},
};

// Picks one of a fixed list of values.
template <typename T, size_t N>
T PickFrom(Rng& rng, const T (&values)[N]) {
  return values[rng.Below(N)];
}

class Synth {
 public:
  explicit Synth(uint64_t seed) : rng_(seed) {}

  std::vector<uint8_t> Build() {
    if (rng_.OneIn(8)) {
      BuildControlFlow();
    } else {
      BuildOp(kRecipes[rng_.Below(sizeof(kRecipes) / sizeof(kRecipes[0]))]);
    }
    return mb_.Finish();
  }

 private:
  // A small positive int most of the time, an edge case otherwise.
  int32_t Param() {
    static const int32_t kValues[] = {1,
                                      1,
                                      1,
                                      2,
                                      2,
                                      3,
                                      4,
                                      0,
                                      -1,
                                      5,
                                      8,
                                      16,
                                      65536,
                                      std::numeric_limits<int32_t>::max(),
                                      std::numeric_limits<int32_t>::min()};
    return rng_.Below(4) ? static_cast<int32_t>(1 + rng_.Below(3)) : PickFrom(rng_, kValues);
  }

  DataType Type() {
    static const DataType kTypes[] = {DataType::kFloat32, DataType::kFloat32, DataType::kFloat32,
                                      DataType::kInt8,    DataType::kInt8,    DataType::kUInt8,
                                      DataType::kInt32,   DataType::kInt16,   DataType::kInt64,
                                      DataType::kBool,    DataType::kFloat16, DataType::kComplex64};
    return PickFrom(rng_, kTypes);
  }

  std::vector<int32_t> BaseShape() {
    const int rank = rng_.OneIn(8) ? static_cast<int>(rng_.Below(7)) : 4;
    std::vector<int32_t> shape;
    for (int i = 0; i < rank; ++i) {
      int32_t d = static_cast<int32_t>(1 + rng_.Below(5));
      if (rng_.OneIn(24)) d = PickFrom(rng_, kOddDims);
      shape.push_back(d);
    }
    return shape;
  }

  QuantParams Quant(DataType type, const std::vector<int32_t>& shape, int axis) {
    QuantParams q;
    const bool quantized =
        type == DataType::kInt8 || type == DataType::kUInt8 || type == DataType::kInt16;
    if (!quantized && !rng_.OneIn(16)) return q;
    static const float kScales[] = {0.5f, 0.25f, 1.0f / 128, 0.1f, 2.0f, 1e-6f};
    static const float kBadScales[] = {0.0f,
                                       -1.0f,
                                       std::numeric_limits<float>::quiet_NaN(),
                                       std::numeric_limits<float>::infinity(),
                                       1e-45f,
                                       3e38f};
    size_t channels = 1;
    if (axis >= 0 && axis < static_cast<int>(shape.size()) && rng_.OneIn(2)) {
      channels = static_cast<size_t>(std::max(shape[static_cast<size_t>(axis)], 1));
      if (channels > 64) channels = 1;
      q.quantized_dimension = axis;
    }
    if (rng_.OneIn(16)) channels += 1;  // per-channel array of the wrong length
    for (size_t c = 0; c < channels; ++c) {
      q.scale.push_back(rng_.OneIn(16) ? PickFrom(rng_, kBadScales) : PickFrom(rng_, kScales));
      int64_t zp = 0;
      if (type == DataType::kUInt8) zp = 128;
      if (type == DataType::kInt8 && channels == 1) zp = static_cast<int64_t>(rng_.Below(9)) - 4;
      if (rng_.OneIn(16)) zp = PickFrom(rng_, kBadZeroPoints);
      q.zero_point.push_back(zp);
    }
    if (rng_.OneIn(32)) q.quantized_dimension = PickFrom(rng_, kOddAxes);
    return q;
  }

  // Bytes of a constant: small values around zero, sometimes a short buffer.
  std::vector<uint8_t> ConstBytes(DataType type, const std::vector<int32_t>& shape,
                                  const std::vector<int32_t>* values = nullptr) {
    int64_t n = 1;
    for (int32_t d : shape) n = std::min<int64_t>(n * std::max(d, 0), 4096);
    int64_t bytes = 0;
    if (!runtime::DataTypeBytes(type, n, &bytes)) bytes = n;
    std::vector<uint8_t> out(static_cast<size_t>(bytes));
    if (values && type == DataType::kInt32 && !out.empty() && out.size() == values->size() * 4) {
      std::memcpy(out.data(), values->data(), out.size());
    } else if (type == DataType::kFloat32) {
      for (size_t i = 0; i + 4 <= out.size(); i += 4) {
        const float v = static_cast<float>(static_cast<int>(rng_.Below(9)) - 4) * 0.25f;
        std::memcpy(out.data() + i, &v, 4);
      }
    } else if (type == DataType::kInt32 || type == DataType::kInt64) {
      const size_t w = type == DataType::kInt32 ? 4 : 8;
      for (size_t i = 0; i + w <= out.size(); i += w) {
        const int64_t v = static_cast<int64_t>(rng_.Below(5)) - 1;  // zero divisors included
        std::memcpy(out.data() + i, &v, w);
      }
    } else if (type == DataType::kBool) {
      for (uint8_t& b : out) b = static_cast<uint8_t>(rng_.OneIn(64) ? 2 : rng_.Below(2));
    } else {
      for (uint8_t& b : out) b = static_cast<uint8_t>(rng_.Below(256));
    }
    if (!out.empty() && rng_.OneIn(24)) out.resize(rng_.Below(out.size()));  // short constant
    return out;
  }

  int Tensor(const std::string& name, DataType type, const std::vector<int32_t>& shape,
             bool constant, int quant_axis = -1, const std::vector<int32_t>* values = nullptr) {
    runtime::TensorSpec spec;
    spec.name = name;
    spec.type = type;
    spec.shape = shape;
    spec.quant = Quant(type, shape, quant_axis);
    if (constant)
      spec.buffer = static_cast<uint32_t>(mb_.AddBuffer(ConstBytes(type, shape, values)));
    return mb_.AddTensor(sg_, spec);
  }

  // An int32 constant vector with one entry per base dimension: axes, perms, sizes, begins.
  int IntParams(const std::vector<int32_t>& base, const char* name) {
    std::vector<int32_t> v;
    const size_t n = rng_.OneIn(8) ? rng_.Below(6) : base.size();
    const int rank = static_cast<int>(base.size());
    for (size_t i = 0; i < n; ++i) {
      int32_t x = i < base.size() ? base[i] : 1;
      switch (rng_.Below(6)) {
        case 0:
          x = static_cast<int32_t>(i);
          break;  // a permutation-like value
        case 1:
          x = static_cast<int32_t>(rng_.Below(static_cast<uint64_t>(rank) + 2)) - 1;
          break;
        case 2:
          x = rng_.OneIn(2) ? -1 : 0;
          break;
        case 3:
          x = rng_.OneIn(4) ? PickFrom(rng_, kOddDims) : x;
          break;
        default:
          break;
      }
      v.push_back(x);
    }
    return Tensor(name, DataType::kInt32, {static_cast<int32_t>(v.size())}, true, -1, &v);
  }

  OptionsFn Options(BuiltinOperator op, int rank) {
    using schema::ActivationFunctionType;
    using schema::Padding;
    const auto act = static_cast<ActivationFunctionType>(rng_.OneIn(4) ? rng_.Below(7) : 0);
    const auto pad = static_cast<Padding>(rng_.OneIn(16) ? 2 + rng_.Below(2) : rng_.Below(2));
    const int32_t a = Param(), b = Param(), c = Param(), d = Param(), e = Param();
    const int32_t axis =
        rng_.OneIn(6)
            ? Param()
            : static_cast<int32_t>(rng_.Below(static_cast<uint64_t>(rank) * 2 + 1)) - rank;
    const bool flag = rng_.OneIn(2), flag2 = rng_.OneIn(3);
    static const float kFloats[] = {1.0f,  0.5f,  0.0f,
                                    -1.0f, 1e30f, std::numeric_limits<float>::quiet_NaN()};
    const float f = PickFrom(rng_, kFloats);
    switch (op) {
      case BuiltinOperator::ADD:
        return [act, flag](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::AddOptions,
                                schema::CreateAddOptions(fbb, act, flag).Union());
        };
      case BuiltinOperator::SUB:
        return [act, flag](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::SubOptions,
                                schema::CreateSubOptions(fbb, act, flag).Union());
        };
      case BuiltinOperator::MUL:
        return [act](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::MulOptions,
                                schema::CreateMulOptions(fbb, act).Union());
        };
      case BuiltinOperator::DIV:
        return [act](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::DivOptions,
                                schema::CreateDivOptions(fbb, act).Union());
        };
      case BuiltinOperator::CONV_2D:
        return [=](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::Conv2DOptions,
                                schema::CreateConv2DOptions(fbb, pad, a, b, act, c, d).Union());
        };
      case BuiltinOperator::DEPTHWISE_CONV_2D:
        return [=](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(
              BuiltinOptions::DepthwiseConv2DOptions,
              schema::CreateDepthwiseConv2DOptions(fbb, pad, a, b, e, act, c, d).Union());
        };
      case BuiltinOperator::TRANSPOSE_CONV:
        return [=](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::TransposeConvOptions,
                                schema::CreateTransposeConvOptions(fbb, pad, a, b, act).Union());
        };
      case BuiltinOperator::AVERAGE_POOL_2D:
      case BuiltinOperator::MAX_POOL_2D:
      case BuiltinOperator::L2_POOL_2D:
        return [=](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::Pool2DOptions,
                                schema::CreatePool2DOptions(fbb, pad, a, b, c, d, act).Union());
        };
      case BuiltinOperator::FULLY_CONNECTED:
        return [=](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(
              BuiltinOptions::FullyConnectedOptions,
              schema::CreateFullyConnectedOptions(
                  fbb, act, schema::FullyConnectedOptionsWeightsFormat::DEFAULT, flag)
                  .Union());
        };
      case BuiltinOperator::CONCATENATION:
        return [=](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::ConcatenationOptions,
                                schema::CreateConcatenationOptions(fbb, axis, act).Union());
        };
      case BuiltinOperator::PACK:
        return [=](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::PackOptions,
                                schema::CreatePackOptions(fbb, flag2 ? a : 2, axis).Union());
        };
      case BuiltinOperator::SOFTMAX:
        return [f](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::SoftmaxOptions,
                                schema::CreateSoftmaxOptions(fbb, f).Union());
        };
      case BuiltinOperator::LEAKY_RELU:
        return [f](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::LeakyReluOptions,
                                schema::CreateLeakyReluOptions(fbb, f).Union());
        };
      case BuiltinOperator::LOCAL_RESPONSE_NORMALIZATION:
        return [=](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(
              BuiltinOptions::LocalResponseNormalizationOptions,
              schema::CreateLocalResponseNormalizationOptions(fbb, a, f, 1.0f, 0.5f).Union());
        };
      case BuiltinOperator::RESHAPE:
        if (flag) return {};
        return [a, b](fb::FlatBufferBuilder& fbb) {
          const std::vector<int32_t> shape = {a, b};
          return std::make_pair(BuiltinOptions::ReshapeOptions,
                                schema::CreateReshapeOptions(fbb, fbb.CreateVector(shape)).Union());
        };
      case BuiltinOperator::SQUEEZE:
        return [axis, flag](fb::FlatBufferBuilder& fbb) {
          const std::vector<int32_t> dims =
              flag ? std::vector<int32_t>{axis} : std::vector<int32_t>{};
          return std::make_pair(BuiltinOptions::SqueezeOptions,
                                schema::CreateSqueezeOptions(fbb, fbb.CreateVector(dims)).Union());
        };
      case BuiltinOperator::MEAN:
      case BuiltinOperator::SUM:
      case BuiltinOperator::REDUCE_MAX:
      case BuiltinOperator::REDUCE_MIN:
      case BuiltinOperator::REDUCE_PROD:
        return [flag](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::ReducerOptions,
                                schema::CreateReducerOptions(fbb, flag).Union());
        };
      case BuiltinOperator::SPACE_TO_DEPTH:
        return [a](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::SpaceToDepthOptions,
                                schema::CreateSpaceToDepthOptions(fbb, a).Union());
        };
      case BuiltinOperator::DEPTH_TO_SPACE:
        return [a](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::DepthToSpaceOptions,
                                schema::CreateDepthToSpaceOptions(fbb, a).Union());
        };
      case BuiltinOperator::GATHER:
        return [axis, flag2](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::GatherOptions,
                                schema::CreateGatherOptions(fbb, axis, flag2 ? 1 : 0).Union());
        };
      case BuiltinOperator::STRIDED_SLICE:
        return [=](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::StridedSliceOptions,
                                schema::CreateStridedSliceOptions(
                                    fbb, a & 15, b & 15, flag2 ? 1 : 0, c & 15, d & 15, flag)
                                    .Union());
        };
      case BuiltinOperator::SPLIT:
        return [a](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::SplitOptions,
                                schema::CreateSplitOptions(fbb, a).Union());
        };
      case BuiltinOperator::SPLIT_V:
        return [a](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::SplitVOptions,
                                schema::CreateSplitVOptions(fbb, a).Union());
        };
      case BuiltinOperator::MIRROR_PAD:
        return [flag](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(
              BuiltinOptions::MirrorPadOptions,
              schema::CreateMirrorPadOptions(fbb, static_cast<schema::MirrorPadMode>(flag))
                  .Union());
        };
      case BuiltinOperator::ARG_MAX:
        return [flag](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::ArgMaxOptions,
                                schema::CreateArgMaxOptions(fbb, flag ? schema::TensorType::INT64
                                                                      : schema::TensorType::INT32)
                                    .Union());
        };
      case BuiltinOperator::ARG_MIN:
        return [flag](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::ArgMinOptions,
                                schema::CreateArgMinOptions(fbb, flag ? schema::TensorType::INT64
                                                                      : schema::TensorType::INT32)
                                    .Union());
        };
      case BuiltinOperator::CUMSUM:
        return [flag, flag2](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::CumsumOptions,
                                schema::CreateCumsumOptions(fbb, flag, flag2).Union());
        };
      case BuiltinOperator::L2_NORMALIZATION:
        return [act](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::L2NormOptions,
                                schema::CreateL2NormOptions(fbb, act).Union());
        };
      case BuiltinOperator::BATCH_MATMUL:
        return [flag, flag2](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::BatchMatMulOptions,
                                schema::CreateBatchMatMulOptions(fbb, flag, flag2).Union());
        };
      case BuiltinOperator::RESIZE_BILINEAR:
        return [flag, flag2](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(BuiltinOptions::ResizeBilinearOptions,
                                schema::CreateResizeBilinearOptions(fbb, flag, flag2).Union());
        };
      case BuiltinOperator::RESIZE_NEAREST_NEIGHBOR:
        return [flag, flag2](fb::FlatBufferBuilder& fbb) {
          return std::make_pair(
              BuiltinOptions::ResizeNearestNeighborOptions,
              schema::CreateResizeNearestNeighborOptions(fbb, flag, flag2).Union());
        };
      default:
        return {};
    }
  }

  void BuildOp(const OpRecipe& recipe) {
    const std::vector<int32_t> base = BaseShape();
    const int rank = static_cast<int>(base.size());
    DataType type = Type();
    const int32_t channels = rank > 0 ? base.back() : 1;
    const int32_t out_channels = static_cast<int32_t>(1 + rng_.Below(4));
    std::vector<int32_t> inputs, graph_inputs;
    int index = 0;
    for (const char* p = recipe.inputs; *p; ++p, ++index) {
      const std::string name = std::string("in") + std::to_string(index);
      int t = -1;
      switch (*p) {
        case 'D':
          t = Tensor(name, type, base, false, rank - 1);
          graph_inputs.push_back(t);
          break;
        case 'B': {
          std::vector<int32_t> shape = base;
          for (int32_t& d : shape)
            if (rng_.OneIn(3)) d = 1;
          if (rng_.OneIn(8) && !shape.empty()) shape.erase(shape.begin());
          const bool constant = rng_.OneIn(2);
          t = Tensor(name, rng_.OneIn(16) ? Type() : type, shape, constant, rank - 1);
          if (!constant) graph_inputs.push_back(t);
          break;
        }
        case 'C':
          t = Tensor(name, type, rng_.OneIn(4) ? std::vector<int32_t>{} : base, true);
          break;
        case 'F': {
          const int32_t kh = static_cast<int32_t>(1 + rng_.Below(3));
          const int32_t kw = static_cast<int32_t>(1 + rng_.Below(3));
          std::vector<int32_t> shape = {out_channels, kh, kw, channels};
          if (recipe.op == BuiltinOperator::DEPTHWISE_CONV_2D) shape = {1, kh, kw, channels};
          if (recipe.op == BuiltinOperator::FULLY_CONNECTED) shape = {out_channels, channels};
          if (rng_.OneIn(12)) shape[rng_.Below(shape.size())] = PickFrom(rng_, kOddDims);
          const DataType ft = type == DataType::kUInt8 || rng_.OneIn(8) ? type
                              : type == DataType::kFloat32              ? DataType::kFloat32
                                                                        : DataType::kInt8;
          t = Tensor(name, ft, shape, true, 0);
          break;
        }
        case 'V': {
          const int32_t n =
              recipe.op == BuiltinOperator::DEPTHWISE_CONV_2D ? channels : out_channels;
          const DataType bt = type == DataType::kFloat32 ? DataType::kFloat32
                              : type == DataType::kInt16 ? DataType::kInt64
                                                         : DataType::kInt32;
          t = rng_.OneIn(6)
                  ? -1
                  : Tensor(name, bt, {rng_.OneIn(12) && n < kI32Max ? n + 1 : n}, true, 0);
          break;
        }
        case 'P':
          t = IntParams(base, name.c_str());
          break;
        case 'Q': {
          std::vector<int32_t> pads;
          for (int i = 0; i < rank * 2; ++i)
            pads.push_back(rng_.OneIn(6) ? PickFrom(rng_, kOddDims)
                                         : static_cast<int32_t>(rng_.Below(3)));
          t = Tensor(name, DataType::kInt32, {rank, 2}, true, -1, &pads);
          break;
        }
        case 'S': {
          std::vector<int32_t> v = {
              static_cast<int32_t>(rng_.Below(static_cast<uint64_t>(rank) * 2 + 2)) - rank};
          if (rng_.OneIn(6)) v[0] = Param();
          t = Tensor(name, DataType::kInt32,
                     rng_.OneIn(2) ? std::vector<int32_t>{} : std::vector<int32_t>{1}, true, -1,
                     &v);
          break;
        }
        case 'I': {
          std::vector<int32_t> idx;
          const int32_t limit = rank > 0 ? base[0] : 1;
          const size_t n = 1 + rng_.Below(4);
          for (size_t i = 0; i < n; ++i)
            idx.push_back(rng_.OneIn(8)
                              ? PickFrom(rng_, kOddDims)
                              : static_cast<int32_t>(rng_.Below(static_cast<uint64_t>(limit) + 1)));
          std::vector<int32_t> shape = {static_cast<int32_t>(n)};
          if (recipe.op == BuiltinOperator::GATHER_ND) shape = {static_cast<int32_t>(n), 1};
          t = Tensor(name, DataType::kInt32, shape, true, -1, &idx);
          break;
        }
        case 'M': {
          const bool constant = rng_.OneIn(2);
          t = Tensor(name, DataType::kBool, base, constant);
          if (!constant) graph_inputs.push_back(t);
          break;
        }
        default:
          break;
      }
      inputs.push_back(t);
    }
    if (rng_.OneIn(16) && !inputs.empty()) inputs.pop_back();              // an input too few
    if (rng_.OneIn(16)) inputs.push_back(inputs.empty() ? 0 : inputs[0]);  // one too many
    std::vector<int32_t> outputs;
    for (int o = 0; o < recipe.outputs; ++o) {
      const std::vector<int32_t> shape = rng_.OneIn(3) ? BaseShape() : base;
      const DataType ot = rng_.OneIn(4) ? Type() : type;
      outputs.push_back(Tensor("out" + std::to_string(o), ot, shape, false, rank - 1));
    }
    const OptionsFn options = Options(recipe.op, rank);
    const int version = rng_.OneIn(8) ? static_cast<int>(1 + rng_.Below(6)) : 1;
    mb_.AddOperator(sg_, recipe.op, inputs, outputs, options, version);
    mb_.SetInputs(sg_, graph_inputs);
    mb_.SetOutputs(sg_, outputs);
  }

  // Subgraph index for a control-flow option: usually the intended callee, sometimes the
  // caller itself, another callee or one past the end.
  int32_t Callee(int32_t intended, int32_t count) {
    switch (rng_.Below(10)) {
      case 0:
        return 0;
      case 1:
        return count;
      case 2:
        return static_cast<int32_t>(rng_.Below(static_cast<uint64_t>(count)));
      default:
        return intended;
    }
  }

  void BuildControlFlow() {
    const DataType type = rng_.OneIn(3) ? DataType::kFloat32 : DataType::kInt32;
    const std::vector<int32_t> shape = rng_.OneIn(4) ? BaseShape() : std::vector<int32_t>{1};
    const int x = Tensor("x", type, shape, false);
    const int y = Tensor("y", type, shape, false);
    mb_.SetInputs(0, {x});
    mb_.SetOutputs(0, {y});
    const int kind = static_cast<int>(rng_.Below(3));
    if (kind == 0) {  // WHILE: cond = LESS(c, limit), body = ADD(c, step)
      const int32_t cond = Callee(1, 3), body = Callee(2, 3);
      mb_.AddOperator(0, BuiltinOperator::WHILE, {x}, {y}, [cond, body](fb::FlatBufferBuilder& b) {
        return std::make_pair(BuiltinOptions::WhileOptions,
                              schema::CreateWhileOptions(b, cond, body).Union());
      });
      sg_ = mb_.AddSubgraph("cond");
      const int c = Tensor("c", type, shape, false);
      const int limit = Tensor("limit", type, {1}, true);
      const int ok = Tensor("ok", rng_.OneIn(16) ? type : DataType::kBool, {}, false);
      mb_.AddOperator(sg_, BuiltinOperator::LESS, {c, limit}, {ok});
      mb_.SetInputs(sg_, {c});
      mb_.SetOutputs(sg_, {ok});
      sg_ = mb_.AddSubgraph("body");
      const int v = Tensor("v", type, shape, false);
      const int step = Tensor("step", type, {1}, true);
      const int next = Tensor("next", type, shape, false);
      mb_.AddOperator(sg_, BuiltinOperator::ADD, {v, step}, {next});
      mb_.SetInputs(sg_, {v});
      mb_.SetOutputs(sg_, {next});
    } else if (kind == 1) {  // IF on a constant or computed condition
      const int flag = Tensor("flag", DataType::kBool, {1}, true);
      const int32_t then_sg = Callee(1, 3), else_sg = Callee(2, 3);
      mb_.AddOperator(0, BuiltinOperator::IF, {flag, x}, {y},
                      [then_sg, else_sg](fb::FlatBufferBuilder& b) {
                        return std::make_pair(BuiltinOptions::IfOptions,
                                              schema::CreateIfOptions(b, then_sg, else_sg).Union());
                      });
      for (const char* name : {"then", "else"}) {
        sg_ = mb_.AddSubgraph(name);
        const int in = Tensor("in", type, shape, false);
        const int out = Tensor("out", type, shape, false);
        mb_.AddOperator(sg_, rng_.OneIn(2) ? BuiltinOperator::NEG : BuiltinOperator::ABS, {in},
                        {out});
        mb_.SetInputs(sg_, {in});
        mb_.SetOutputs(sg_, {out});
      }
    } else {  // CALL_ONCE, whose init subgraph may call back
      const int32_t init = Callee(1, 2);
      auto call_once = [](int32_t target) {
        return [target](fb::FlatBufferBuilder& b) {
          return std::make_pair(BuiltinOptions::CallOnceOptions,
                                schema::CreateCallOnceOptions(b, target).Union());
        };
      };
      mb_.AddOperator(0, BuiltinOperator::CALL_ONCE, {}, {}, call_once(init));
      mb_.AddOperator(0, BuiltinOperator::ABS, {x}, {y});
      sg_ = mb_.AddSubgraph("init");
      if (rng_.OneIn(2))
        mb_.AddOperator(sg_, BuiltinOperator::CALL_ONCE, {}, {}, call_once(Callee(0, 2)));
    }
  }

  static constexpr int32_t kOddDims[] = {0,
                                         -1,
                                         7,
                                         255,
                                         65536,
                                         46341,
                                         1 << 24,
                                         std::numeric_limits<int32_t>::max(),
                                         std::numeric_limits<int32_t>::min()};
  static constexpr int64_t kBadZeroPoints[] = {-129,  128, 256,
                                               40000, -1,  std::numeric_limits<int64_t>::min()};
  static constexpr int32_t kOddAxes[] = {-1, 4, 16, std::numeric_limits<int32_t>::max()};

  Rng rng_;
  ModelBuilder mb_;
  int sg_ = 0;
};

}  // namespace

std::vector<uint8_t> SynthesizeModel(uint64_t seed) { return Synth(seed).Build(); }

}  // namespace litescope::fuzz
