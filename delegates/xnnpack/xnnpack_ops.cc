#include "delegates/xnnpack/xnnpack_ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "runtime/kernels/kernel_util.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::delegates {
namespace {

using runtime::DataType;
using runtime::Node;
using runtime::Shape;
using runtime::SupportCode;
using runtime::SupportResult;
using runtime::Tensor;
using Op = schema::BuiltinOperator;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr int kMaxDims = XNN_MAX_TENSOR_DIMS;
const SupportResult kYes = SupportResult::Yes();

int InputAt(const Node& n, size_t i) { return i < n.inputs.size() ? n.inputs[i] : -1; }

// --- Generic checks --------------------------------------------------------------------------

SupportResult Arity(XnnpackLowering& ctx, const Node& node, size_t min_inputs, size_t max_inputs,
                    size_t outputs) {
  if (node.inputs.size() < min_inputs || node.inputs.size() > max_inputs)
    return ctx.Reject(
        SupportCode::kAttribute,
        fmt::format("has {} inputs; expected {}{}", node.inputs.size(), min_inputs,
                    max_inputs != min_inputs ? fmt::format(" to {}", max_inputs) : std::string()));
  if (node.outputs.size() != outputs)
    return ctx.Reject(SupportCode::kAttribute,
                      fmt::format("has {} outputs; expected {}", node.outputs.size(), outputs));
  for (size_t i = 0; i < min_inputs; ++i)
    if (node.inputs[i] < 0)
      return ctx.Reject(SupportCode::kAttribute, fmt::format("input {} is missing", i));
  for (int t : node.outputs)
    if (t < 0) return ctx.Reject(SupportCode::kAttribute, "an output is missing");
  return kYes;
}

const char* Expected(bool qs8, bool qu8) {
  if (qs8 && qu8) return "FLOAT32, INT8 or UINT8";
  if (qs8) return "FLOAT32 or INT8";
  if (qu8) return "FLOAT32 or UINT8";
  return "FLOAT32";
}

// Activations of quantized nodes need one scale and zero point.
SupportResult CheckPerTensor(XnnpackLowering& ctx, int t, const char* role) {
  const Tensor& x = ctx.tensor(t);
  const runtime::QuantParams& q = x.quant;
  if (q.empty())
    return ctx.Reject(SupportCode::kQuantization,
                      fmt::format("{} tensor {} ({}) has no quantization parameters", role, t,
                                  DataTypeName(x.type)));
  if (q.scale.size() != 1 || q.zero_point.size() != 1)
    return ctx.Reject(SupportCode::kQuantization,
                      fmt::format("{} tensor {} is quantized per channel; XNNPACK needs one scale "
                                  "and zero point for activations",
                                  role, t));
  const int64_t lo = x.type == DataType::kInt8 ? -128 : 0;
  const int64_t hi = x.type == DataType::kInt8 ? 127 : 255;
  if (!(q.scale[0] > 0.f) || !std::isfinite(q.scale[0]) || q.zero_point[0] < lo ||
      q.zero_point[0] > hi)
    return ctx.Reject(SupportCode::kQuantization,
                      fmt::format("{} tensor {} has scale {} and zero point {}, outside what "
                                  "XNNPACK accepts",
                                  role, t, q.scale[0], q.zero_point[0]));
  return kYes;
}

// The node's numeric kind, from its first activation input.
SupportResult ActivationKind(XnnpackLowering& ctx, int t, bool qs8, bool qu8, XnnpackKind* kind) {
  const DataType dt = ctx.type(t);
  if (dt == DataType::kFloat32) {
    *kind = XnnpackKind::kFloat32;
    return kYes;
  }
  if ((dt == DataType::kInt8 && qs8) || (dt == DataType::kUInt8 && qu8)) {
    *kind = dt == DataType::kInt8 ? XnnpackKind::kQS8 : XnnpackKind::kQU8;
    return CheckPerTensor(ctx, t, "input");
  }
  return ctx.Reject(SupportCode::kInputType,
                    fmt::format("input tensor {} is {}; XNNPACK takes {} here", t, DataTypeName(dt),
                                Expected(qs8, qu8)));
}

DataType KindType(XnnpackKind kind) {
  switch (kind) {
    case XnnpackKind::kQS8:
      return DataType::kInt8;
    case XnnpackKind::kQU8:
      return DataType::kUInt8;
    default:
      return DataType::kFloat32;
  }
}

// Another activation of the node (second input or output) must have the node's kind.
SupportResult ExpectKind(XnnpackLowering& ctx, int t, const char* role, XnnpackKind kind) {
  const DataType want = KindType(kind);
  if (ctx.type(t) != want)
    return ctx.Reject(
        std::string(role) == "output" ? SupportCode::kOutputType : SupportCode::kInputType,
        fmt::format("{} tensor {} is {}; expected {} like the input", role, t,
                    DataTypeName(ctx.type(t)), DataTypeName(want)));
  if (kind != XnnpackKind::kFloat32) return CheckPerTensor(ctx, t, role);
  return kYes;
}

SupportResult CheckRank(XnnpackLowering& ctx, int t, const char* role, int min_rank, int max_rank) {
  const int r = ctx.shape(t).rank();
  if (r < min_rank || r > max_rank)
    return ctx.Reject(
        SupportCode::kRank,
        min_rank == max_rank
            ? fmt::format("{} tensor {} has rank {}; expected {}", role, t, r, min_rank)
            : fmt::format("{} tensor {} has rank {}; expected {} to {}", role, t, r, min_rank,
                          max_rank));
  for (int32_t d : ctx.shape(t).dims())
    if (d < 0)
      return ctx.Reject(
          SupportCode::kDynamicShape,
          fmt::format("{} tensor {} has unknown dimensions {}", role, t, ctx.shape(t).ToString()));
  return kYes;
}

bool SameQuant(const Tensor& a, const Tensor& b) {
  return a.quant.scale == b.quant.scale && a.quant.zero_point == b.quant.zero_point;
}

// Ops that move or clamp values without requantizing need equal input/output parameters.
SupportResult RequireSameQuant(XnnpackLowering& ctx, XnnpackKind kind, int in, int out) {
  if (kind == XnnpackKind::kFloat32 || SameQuant(ctx.tensor(in), ctx.tensor(out))) return kYes;
  const Tensor& a = ctx.tensor(in);
  const Tensor& b = ctx.tensor(out);
  return ctx.Reject(SupportCode::kQuantization,
                    fmt::format("input (scale {}, zero point {}) and output (scale {}, zero point "
                                "{}) are quantized differently; XNNPACK's lowering does not "
                                "requantize",
                                a.quant.scale[0], a.quant.zero_point[0], b.quant.scale[0],
                                b.quant.zero_point[0]));
}

SupportResult FusedRange(XnnpackLowering& ctx, schema::ActivationFunctionType act, float* min,
                         float* max) {
  switch (act) {
    case schema::ActivationFunctionType::NONE:
    case schema::ActivationFunctionType::RELU:
    case schema::ActivationFunctionType::RELU_N1_TO_1:
    case schema::ActivationFunctionType::RELU6:
      runtime::FloatActivationRange(static_cast<runtime::FusedActivation>(act), min, max);
      return kYes;
    default:
      return ctx.Reject(SupportCode::kFusedActivation,
                        fmt::format("fused activation {} is not supported (NONE, RELU, "
                                    "RELU_N1_TO_1 and RELU6 are)",
                                    schema::EnumNameActivationFunctionType(act)));
  }
}

SupportResult FusedRange(XnnpackLowering& ctx, runtime::FusedActivation act, float* min,
                         float* max) {
  return FusedRange(ctx, static_cast<schema::ActivationFunctionType>(act), min, max);
}

// The rejection for a node whose options did not parse.
SupportResult RejectParseError(XnnpackLowering& ctx, const Node& node) {
  // The parse error names the node; Reject names it again.
  const std::string& message = node.params_error.message();
  const std::string label = runtime::NodeLabel(node) + ": ";
  return ctx.Reject(SupportCode::kAttribute, message.compare(0, label.size(), label) == 0
                                                 ? message.substr(label.size())
                                                 : message);
}

// The node's parsed options (runtime/op_params.h) into `*out`; a rejection when the model has
// no options table of the type (`what`) or when they did not parse.
template <typename T>
SupportResult ParsedOptions(XnnpackLowering& ctx, const Node& node, const char* what,
                            const T** out) {
  if (!node.params_error.ok()) return RejectParseError(ctx, node);
  const T* p = std::get_if<T>(&node.params);
  if (!p || p->defaulted)
    return ctx.Reject(SupportCode::kAttribute, fmt::format("has no {}", what));
  *out = p;
  return kYes;
}

// Like ParsedOptions for ops whose lowering, like the CPU kernel, takes the defaults when the
// model has no options table (`(*out)->defaulted`).
template <typename T>
SupportResult ParsedOrDefaultOptions(XnnpackLowering& ctx, const Node& node, const T** out) {
  if (!node.params_error.ok()) return RejectParseError(ctx, node);
  const T* p = std::get_if<T>(&node.params);
  if (!p) return ctx.Reject(SupportCode::kAttribute, "has no parsed parameters");
  *out = p;
  return kYes;
}

std::string ProducerNote(XnnpackLowering& ctx, int t) {
  for (const Node& n : ctx.graph().nodes())
    for (int o : n.outputs)
      if (o == t) return fmt::format(" (produced by {})", runtime::NodeLabel(n));
  return std::string();
}

SupportResult RequireStatic(XnnpackLowering& ctx, int t, const char* role) {
  if (!ctx.IsStatic(t))
    return ctx.Reject(
        SupportCode::kNonConstantWeights,
        fmt::format("{} tensor {} is not a constant{}", role, t, ProducerNote(ctx, t)));
  const schema::Tensor* mt = ctx.graph().model_tensor(t);
  if (mt && mt->sparsity())
    return ctx.Reject(SupportCode::kAttribute,
                      fmt::format("{} tensor {} is sparse; XNNPACK takes dense weights", role, t));
  return kYes;
}

// A shape-defining parameter (axes, paddings, sizes) must be a constant.
SupportResult RequireParameter(XnnpackLowering& ctx, int t, const char* what) {
  if (t < 0) return ctx.Reject(SupportCode::kAttribute, fmt::format("{} tensor is missing", what));
  if (!ctx.tensor(t).is_constant())
    return ctx.Reject(SupportCode::kNonConstantWeights,
                      fmt::format("{} tensor is dynamic{}", what, ProducerNote(ctx, t)));
  return kYes;
}

// Values of a constant INT32/INT64 tensor.
bool ReadInts(XnnpackLowering& ctx, int t, std::vector<int64_t>* out) {
  const Tensor& x = ctx.tensor(t);
  if (!x.is_constant() || !x.data) return false;
  const int64_t n = x.elements();
  out->clear();
  if (x.type == DataType::kInt32 && x.bytes >= static_cast<size_t>(n) * 4) {
    for (int64_t i = 0; i < n; ++i) out->push_back(x.data_as<int32_t>()[i]);
    return true;
  }
  if (x.type == DataType::kInt64 && x.bytes >= static_cast<size_t>(n) * 8) {
    for (int64_t i = 0; i < n; ++i) out->push_back(x.data_as<int64_t>()[i]);
    return true;
  }
  return false;
}

// Collects value ids in define mode; the first failure becomes the verdict.
class Ids {
 public:
  explicit Ids(XnnpackLowering& ctx) : ctx_(ctx) {}
  uint32_t In(int t) { return Take(ctx_.Input(t)); }
  uint32_t Out(int t, const Shape& shape) { return Take(ctx_.Output(t, shape)); }
  uint32_t Internal(int like, const Shape& shape) { return Take(ctx_.Internal(like, shape)); }
  uint32_t Take(Result<uint32_t> r) {
    if (r.ok()) return *r;
    if (status_.ok()) status_ = r.status();
    return XNN_INVALID_VALUE_ID;
  }
  bool ok() const { return status_.ok(); }
  SupportResult Failure() const {
    return SupportResult::No(SupportCode::kDelegateError, status_.message());
  }
  // The verdict after an xnn_define_* call (whose ids came from this object).
  SupportResult Done(xnn_status s, const char* call) const {
    if (!status_.ok()) return Failure();
    return ctx_.Check(s, call);
  }

 private:
  XnnpackLowering& ctx_;
  Status status_;
};

// --- Shapes ----------------------------------------------------------------------------------

struct Spatial {
  int out = 0;
  int pad_before = 0;
  int pad_after = 0;
};

bool SpatialDim(schema::Padding padding, int in, int filter, int stride, int dilation, Spatial* s) {
  int out = 0, before = 0;
  if (!runtime::ComputeSpatialOutput(static_cast<int>(padding), in, filter, stride, dilation, &out,
                                     &before))
    return false;
  const int64_t eff = static_cast<int64_t>(filter - 1) * dilation + 1;
  const int64_t total = std::max<int64_t>(0, static_cast<int64_t>(out - 1) * stride + eff - in);
  if (total > std::numeric_limits<int32_t>::max()) return false;  // a crafted filter or dilation
  s->out = out;
  s->pad_before = padding == schema::Padding::SAME ? before : 0;
  s->pad_after = padding == schema::Padding::SAME ? static_cast<int>(total) - before : 0;
  return out > 0;
}

bool Broadcast(const Shape& a, const Shape& b, Shape* out) {
  const int r = std::max(a.rank(), b.rank());
  std::vector<int32_t> dims(static_cast<size_t>(r));
  for (int i = 0; i < r; ++i) {
    const int ia = i - (r - a.rank()), ib = i - (r - b.rank());
    const int32_t da = ia >= 0 ? a.dim(ia) : 1, db = ib >= 0 ? b.dim(ib) : 1;
    if (da != db && da != 1 && db != 1) return false;
    dims[static_cast<size_t>(i)] = da == 1 ? db : da;
  }
  *out = Shape(std::move(dims));
  return true;
}

std::vector<size_t> Dims(const Shape& s) { return {s.dims().begin(), s.dims().end()}; }

// --- Unary ops -------------------------------------------------------------------------------

using UnaryDefine = xnn_status (*)(xnn_subgraph_t, uint32_t, uint32_t, uint32_t);

// Arity, kind and output checks shared by one-input elementwise ops.
SupportResult CheckUnary(XnnpackLowering& ctx, const Node& node, bool qs8, bool qu8,
                         XnnpackKind* kind) {
  if (SupportResult r = Arity(ctx, node, 1, 1, 1); !r.supported()) return r;
  if (SupportResult r = ActivationKind(ctx, node.inputs[0], qs8, qu8, kind); !r.supported())
    return r;
  if (SupportResult r = ExpectKind(ctx, node.outputs[0], "output", *kind); !r.supported()) return r;
  return CheckRank(ctx, node.inputs[0], "input", 0, kMaxDims);
}

SupportResult DefineUnary(XnnpackLowering& ctx, const Node& node, UnaryDefine define,
                          const char* call) {
  if (ctx.checking()) return kYes;
  Ids ids(ctx);
  const uint32_t in = ids.In(node.inputs[0]);
  const uint32_t out = ids.Out(node.outputs[0], ctx.shape(node.inputs[0]));
  if (!ids.ok()) return ids.Failure();
  return ids.Done(define(ctx.xnn(), in, out, 0), call);
}

SupportResult VisitFloatUnary(XnnpackLowering& ctx, const Node& node, UnaryDefine define,
                              const char* call) {
  XnnpackKind kind;
  if (SupportResult r = CheckUnary(ctx, node, false, false, &kind); !r.supported()) return r;
  // This snapshot's bankers rounding asserts on a scalar (num_input_dims >= 1).
  if (define == xnn_define_bankers_rounding)
    if (SupportResult r = CheckRank(ctx, node.inputs[0], "input", 1, 6); !r.supported()) return r;
  return DefineUnary(ctx, node, define, call);
}

SupportResult DefineClamp(XnnpackLowering& ctx, int in_t, int out_t, float min, float max) {
  if (ctx.checking()) return kYes;
  Ids ids(ctx);
  const uint32_t in = ids.In(in_t);
  const uint32_t out = ids.Out(out_t, ctx.shape(in_t));
  if (!ids.ok()) return ids.Failure();
  return ids.Done(xnn_define_clamp(ctx.xnn(), min, max, in, out, 0), "xnn_define_clamp");
}

// Requantizes (and clamps to [min, max] in real units) by adding a static zero: this snapshot
// has no quantized-to-quantized convert, but its quantized add rescales to the output's
// parameters. Needs the input/output scale ratio in XNNPACK's add range.
SupportResult DefineRequantize(XnnpackLowering& ctx, int in_t, int out_t, float min, float max) {
  const float ratio = ctx.tensor(in_t).quant.scale[0] / ctx.tensor(out_t).quant.scale[0];
  if (!(ratio >= 0x1.0p-10f && ratio < 0x1.0p+8f))
    return ctx.Reject(SupportCode::kQuantization,
                      fmt::format("requantizing by input scale / output scale = {} is outside "
                                  "[2^-10, 2^8), which XNNPACK's quantized add needs",
                                  ratio));
  if (ctx.checking()) return kYes;
  Ids ids(ctx);
  const uint32_t x = ids.In(in_t);
  const uint8_t zero = static_cast<uint8_t>(ctx.tensor(out_t).quant.zero_point[0]);
  const uint32_t z = ids.Take(ctx.StaticBytes(out_t, {zero}, Shape()));
  const uint32_t y = ids.Out(out_t, ctx.shape(in_t));
  if (!ids.ok()) return ids.Failure();
  return ids.Done(xnn_define_add2(ctx.xnn(), min, max, x, z, y, 0), "xnn_define_add2");
}

// RELU, RELU6, RELU_N1_TO_1: clamp (XNNPACK has no separate ReLU node in this snapshot). With
// different quantized input and output parameters they stay on the CPU: a requantizing add
// rounds differently from TFLite's kernel (1 step), and these ops must match exactly.
SupportResult VisitClamp(XnnpackLowering& ctx, const Node& node, float min, float max) {
  XnnpackKind kind;
  if (SupportResult r = CheckUnary(ctx, node, true, true, &kind); !r.supported()) return r;
  if (SupportResult r = RequireSameQuant(ctx, kind, node.inputs[0], node.outputs[0]);
      !r.supported())
    return r;
  return DefineClamp(ctx, node.inputs[0], node.outputs[0], min, max);
}

SupportResult VisitElu(XnnpackLowering& ctx, const Node& node) {
  XnnpackKind kind;
  if (SupportResult r = CheckUnary(ctx, node, true, false, &kind); !r.supported()) return r;
  if (ctx.checking()) return kYes;
  Ids ids(ctx);
  const uint32_t in = ids.In(node.inputs[0]);
  const uint32_t out = ids.Out(node.outputs[0], ctx.shape(node.inputs[0]));
  if (!ids.ok()) return ids.Failure();
  return ids.Done(xnn_define_elu(ctx.xnn(), 1.0f, in, out, 0), "xnn_define_elu");
}

// RSQRT as 1 / sqrt(x), the same two correctly rounded steps TFLite's kernel takes.
SupportResult VisitRsqrt(XnnpackLowering& ctx, const Node& node) {
  XnnpackKind kind;
  if (SupportResult r = CheckUnary(ctx, node, false, false, &kind); !r.supported()) return r;
  if (ctx.checking()) return kYes;
  const int in_t = node.inputs[0];
  Ids ids(ctx);
  const uint32_t x = ids.In(in_t);
  const uint32_t root = ids.Internal(in_t, ctx.shape(in_t));
  const uint32_t one = ids.Take(ctx.StaticFloat({1.0f}, Shape()));
  const uint32_t y = ids.Out(node.outputs[0], ctx.shape(in_t));
  if (!ids.ok()) return ids.Failure();
  SupportResult r =
      ids.Done(xnn_define_square_root(ctx.xnn(), x, root, 0), "xnn_define_square_root");
  if (!r.supported()) return r;
  return ids.Done(xnn_define_divide(ctx.xnn(), -kInf, kInf, one, root, y, 0), "xnn_define_divide");
}

SupportResult VisitLeakyRelu(XnnpackLowering& ctx, const Node& node) {
  XnnpackKind kind;
  if (SupportResult r = CheckUnary(ctx, node, false, false, &kind); !r.supported()) return r;
  const runtime::LeakyReluParams* opts = nullptr;
  if (SupportResult r = ParsedOrDefaultOptions(ctx, node, &opts); !r.supported()) return r;
  // Without options the lowering has always taken TFLite's default, 0.2.
  const float alpha = opts->defaulted ? 0.2f : opts->alpha;
  if (!std::isfinite(alpha))
    return ctx.Reject(SupportCode::kAttribute, fmt::format("alpha {} is not finite", alpha));
  if (ctx.checking()) return kYes;
  Ids ids(ctx);
  const uint32_t in = ids.In(node.inputs[0]);
  const uint32_t out = ids.Out(node.outputs[0], ctx.shape(node.inputs[0]));
  if (!ids.ok()) return ids.Failure();
  return ids.Done(xnn_define_leaky_relu(ctx.xnn(), alpha, in, out, 0), "xnn_define_leaky_relu");
}

SupportResult VisitLogistic(XnnpackLowering& ctx, const Node& node) {
  XnnpackKind kind;
  if (SupportResult r = CheckUnary(ctx, node, true, true, &kind); !r.supported()) return r;
  if (kind != XnnpackKind::kFloat32) {
    // XNNPACK's quantized sigmoid builds only for TFLite's fixed output parameters.
    const runtime::QuantParams& q = ctx.tensor(node.outputs[0]).quant;
    const int64_t zp = kind == XnnpackKind::kQS8 ? -128 : 0;
    if (q.scale[0] != 1.0f / 256.0f || q.zero_point[0] != zp)
      return ctx.Reject(SupportCode::kQuantization,
                        fmt::format("output has scale {} and zero point {}; XNNPACK's quantized "
                                    "sigmoid needs scale 1/256 and zero point {}",
                                    q.scale[0], q.zero_point[0], zp));
  }
  return DefineUnary(ctx, node, xnn_define_sigmoid, "xnn_define_sigmoid");
}

SupportResult VisitSoftmax(XnnpackLowering& ctx, const Node& node) {
  XnnpackKind kind;
  if (SupportResult r = CheckUnary(ctx, node, false, false, &kind); !r.supported()) return r;
  if (SupportResult r = CheckRank(ctx, node.inputs[0], "input", 1, kMaxDims); !r.supported())
    return r;
  const runtime::SoftmaxParams* opts = nullptr;
  if (SupportResult r = ParsedOrDefaultOptions(ctx, node, &opts); !r.supported()) return r;
  const float beta = opts->beta;
  if (beta != 1.0f)
    return ctx.Reject(SupportCode::kAttribute,
                      fmt::format("beta is {}; XNNPACK's softmax computes beta = 1 only", beta));
  return DefineUnary(ctx, node, xnn_define_softmax, "xnn_define_softmax");
}

SupportResult VisitPrelu(XnnpackLowering& ctx, const Node& node) {
  if (SupportResult r = Arity(ctx, node, 2, 2, 1); !r.supported()) return r;
  XnnpackKind kind;
  if (SupportResult r = ActivationKind(ctx, node.inputs[0], false, false, &kind); !r.supported())
    return r;
  if (SupportResult r = ExpectKind(ctx, node.outputs[0], "output", kind); !r.supported()) return r;
  if (SupportResult r = CheckRank(ctx, node.inputs[0], "input", 1, 4); !r.supported()) return r;
  const int alpha = node.inputs[1];
  if (SupportResult r = RequireStatic(ctx, alpha, "alpha"); !r.supported()) return r;
  if (ctx.type(alpha) != DataType::kFloat32)
    return ctx.Reject(SupportCode::kInputType,
                      fmt::format("alpha tensor {} is {}; expected FLOAT32", alpha,
                                  DataTypeName(ctx.type(alpha))));
  // XNNPACK takes one slope per channel (the last dimension).
  const Shape& in_shape = ctx.shape(node.inputs[0]);
  const Shape& a_shape = ctx.shape(alpha);
  const int32_t channels = in_shape.dim(in_shape.rank() - 1);
  const int64_t a_elems = a_shape.FlatSize();
  const bool channel_only =
      a_elems == 1 ||
      (a_shape.rank() >= 1 && a_shape.dim(a_shape.rank() - 1) == channels && a_elems == channels);
  if (!channel_only || a_shape.rank() > in_shape.rank())
    return ctx.Reject(SupportCode::kAttribute,
                      fmt::format("alpha shape {} is not per channel of input {}; XNNPACK takes "
                                  "one slope per channel",
                                  a_shape.ToString(), in_shape.ToString()));
  if (ctx.checking()) return kYes;
  Result<std::vector<float>> values = ctx.StaticFloats(alpha);
  if (!values.ok())
    return SupportResult::No(SupportCode::kDelegateError, values.status().message());
  std::vector<float> slope = std::move(values.value());
  if (slope.size() == 1) slope.assign(static_cast<size_t>(channels), slope[0]);
  Ids ids(ctx);
  const uint32_t in = ids.In(node.inputs[0]);
  const uint32_t s = ids.Take(ctx.StaticFloat(std::move(slope), Shape({channels})));
  const uint32_t out = ids.Out(node.outputs[0], in_shape);
  if (!ids.ok()) return ids.Failure();
  return ids.Done(xnn_define_prelu(ctx.xnn(), in, s, out, 0), "xnn_define_prelu");
}

// --- Binary elementwise ----------------------------------------------------------------------

enum class Binary { kAdd, kSub, kMul, kDiv, kMin, kMax, kSquaredDifference };

SupportResult VisitBinary(XnnpackLowering& ctx, const Node& node, Binary op) {
  if (SupportResult r = Arity(ctx, node, 2, 2, 1); !r.supported()) return r;
  const bool quantized_ok = op == Binary::kAdd || op == Binary::kSub || op == Binary::kMul;
  const int a = node.inputs[0], b = node.inputs[1], o = node.outputs[0];
  XnnpackKind kind;
  if (SupportResult r = ActivationKind(ctx, a, quantized_ok, quantized_ok, &kind); !r.supported())
    return r;
  if (SupportResult r = ExpectKind(ctx, b, "input", kind); !r.supported()) return r;
  if (SupportResult r = ExpectKind(ctx, o, "output", kind); !r.supported()) return r;
  if (SupportResult r = CheckRank(ctx, a, "input", 0, kMaxDims); !r.supported()) return r;
  if (SupportResult r = CheckRank(ctx, b, "input", 0, kMaxDims); !r.supported()) return r;
  Shape out_shape;
  if (!Broadcast(ctx.shape(a), ctx.shape(b), &out_shape))
    return ctx.Reject(SupportCode::kAttribute,
                      fmt::format("shapes {} and {} do not broadcast", ctx.shape(a).ToString(),
                                  ctx.shape(b).ToString()));
  float min = -kInf, max = kInf;
  runtime::FusedActivation act = runtime::FusedActivation::kNone;
  if (op == Binary::kAdd || op == Binary::kSub || op == Binary::kMul || op == Binary::kDiv) {
    const runtime::ArithmeticParams* opts = nullptr;
    if (SupportResult r = ParsedOrDefaultOptions(ctx, node, &opts); !r.supported()) return r;
    act = opts->activation;
  }
  if (SupportResult r = FusedRange(ctx, act, &min, &max); !r.supported()) return r;
  if (kind != XnnpackKind::kFloat32) {
    // XNNPACK's quantized add/mul accept only these scale ratios.
    const float sa = ctx.tensor(a).quant.scale[0], sb = ctx.tensor(b).quant.scale[0];
    const float so = ctx.tensor(o).quant.scale[0];
    if (op == Binary::kMul) {
      const float ratio = sa * sb / so;
      if (!(ratio >= 0x1.0p-16f && ratio < 0x1.0p+8f))
        return ctx.Reject(SupportCode::kQuantization,
                          fmt::format("input scales {} * {} / output scale {} = {} is outside "
                                      "[2^-16, 2^8), which XNNPACK's quantized multiply needs",
                                      sa, sb, so, ratio));
    } else {
      for (float s : {sa, sb}) {
        const float ratio = s / so;
        if (!(ratio >= 0x1.0p-10f && ratio < 0x1.0p+8f))
          return ctx.Reject(SupportCode::kQuantization,
                            fmt::format("input scale {} / output scale {} = {} is outside "
                                        "[2^-10, 2^8), which XNNPACK's quantized add needs",
                                        s, so, ratio));
      }
    }
  }
  if (ctx.checking()) return kYes;
  Ids ids(ctx);
  const uint32_t in1 = ids.In(a);
  const uint32_t in2 = ids.In(b);
  const uint32_t out = ids.Out(o, out_shape);
  if (!ids.ok()) return ids.Failure();
  switch (op) {
    case Binary::kAdd:
      return ids.Done(xnn_define_add2(ctx.xnn(), min, max, in1, in2, out, 0), "xnn_define_add2");
    case Binary::kSub:
      return ids.Done(xnn_define_subtract(ctx.xnn(), min, max, in1, in2, out, 0),
                      "xnn_define_subtract");
    case Binary::kMul:
      return ids.Done(xnn_define_multiply2(ctx.xnn(), min, max, in1, in2, out, 0),
                      "xnn_define_multiply2");
    case Binary::kDiv:
      return ids.Done(xnn_define_divide(ctx.xnn(), min, max, in1, in2, out, 0),
                      "xnn_define_divide");
    case Binary::kMin:
      return ids.Done(xnn_define_minimum2(ctx.xnn(), in1, in2, out, 0), "xnn_define_minimum2");
    case Binary::kMax:
      return ids.Done(xnn_define_maximum2(ctx.xnn(), in1, in2, out, 0), "xnn_define_maximum2");
    case Binary::kSquaredDifference:
      return ids.Done(xnn_define_squared_difference(ctx.xnn(), in1, in2, out, 0),
                      "xnn_define_squared_difference");
  }
  return kYes;
}

// --- Convolutions and fully connected --------------------------------------------------------

// Weights and bias of CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV and FULLY_CONNECTED.
// `channel_dim` is the filter dimension that per-channel scales run along.
SupportResult CheckWeights(XnnpackLowering& ctx, XnnpackKind kind, int in, int filter, int bias,
                           int out, int64_t out_channels, int channel_dim, bool per_channel_ok) {
  if (SupportResult r = RequireStatic(ctx, filter, "filter"); !r.supported()) return r;
  if (bias >= 0)
    if (SupportResult r = RequireStatic(ctx, bias, "bias"); !r.supported()) return r;
  const DataType ft = ctx.type(filter);
  const DataType bt = bias >= 0 ? ctx.type(bias) : DataType::kFloat32;
  if (kind == XnnpackKind::kFloat32) {
    if (ft == DataType::kInt8 || ft == DataType::kUInt8)
      return ctx.Reject(SupportCode::kQuantization,
                        fmt::format("hybrid (dynamic-range) quantization: FLOAT32 activations "
                                    "with {} filter tensor {}",
                                    DataTypeName(ft), filter));
    if (ft != DataType::kFloat32)
      return ctx.Reject(
          SupportCode::kInputType,
          fmt::format("filter tensor {} is {}; expected FLOAT32", filter, DataTypeName(ft)));
    if (bias >= 0 && bt != DataType::kFloat32)
      return ctx.Reject(
          SupportCode::kInputType,
          fmt::format("bias tensor {} is {}; expected FLOAT32", bias, DataTypeName(bt)));
  } else {
    const DataType want = KindType(kind);
    if (ft != want)
      return ctx.Reject(SupportCode::kInputType,
                        fmt::format("filter tensor {} is {}; expected {}", filter, DataTypeName(ft),
                                    DataTypeName(want)));
    if (bias >= 0 && bt != DataType::kInt32)
      return ctx.Reject(SupportCode::kInputType, fmt::format("bias tensor {} is {}; expected INT32",
                                                             bias, DataTypeName(bt)));
    const runtime::QuantParams& fq = ctx.tensor(filter).quant;
    if (fq.empty() || fq.zero_point.size() != fq.scale.size())
      return ctx.Reject(SupportCode::kQuantization,
                        fmt::format("filter tensor {} has no valid quantization", filter));
    if (fq.per_channel()) {
      if (!per_channel_ok || kind != XnnpackKind::kQS8)
        return ctx.Reject(SupportCode::kQuantization,
                          fmt::format("filter tensor {} is quantized per channel, which this "
                                      "XNNPACK snapshot does not take for this op and type",
                                      filter));
      if (fq.quantized_dimension != channel_dim ||
          static_cast<int64_t>(fq.scale.size()) != out_channels)
        return ctx.Reject(SupportCode::kQuantization,
                          fmt::format("filter tensor {} has {} scales along dimension {}; "
                                      "expected {} along dimension {}",
                                      filter, fq.scale.size(), fq.quantized_dimension, out_channels,
                                      channel_dim));
    }
    for (size_t c = 0; c < fq.scale.size(); ++c) {
      if (!(fq.scale[c] > 0.f) || !std::isfinite(fq.scale[c]))
        return ctx.Reject(SupportCode::kQuantization,
                          fmt::format("filter tensor {} has scale {}", filter, fq.scale[c]));
      if (kind == XnnpackKind::kQS8 && fq.zero_point[c] != 0)
        return ctx.Reject(SupportCode::kQuantization,
                          fmt::format("INT8 filter tensor {} has zero point {}; XNNPACK needs "
                                      "symmetric (zero point 0) INT8 weights",
                                      filter, fq.zero_point[c]));
      if (kind == XnnpackKind::kQU8 && (fq.zero_point[c] < 0 || fq.zero_point[c] > 255))
        return ctx.Reject(
            SupportCode::kQuantization,
            fmt::format("filter tensor {} has zero point {}", filter, fq.zero_point[c]));
      const float requant =
          ctx.tensor(in).quant.scale[0] * fq.scale[c] / ctx.tensor(out).quant.scale[0];
      if (!(requant < 256.0f) || !(requant >= 0x1.0p-32f))
        return ctx.Reject(SupportCode::kQuantization,
                          fmt::format("input scale x filter scale / output scale = {} is not "
                                      "in [2^-32, 256), which XNNPACK's quantized kernels need",
                                      requant));
    }
    if (bias >= 0) {
      const runtime::QuantParams& bq = ctx.tensor(bias).quant;
      if (bq.empty() || bq.scale.size() != fq.scale.size())
        return ctx.Reject(SupportCode::kQuantization,
                          fmt::format("bias tensor {} has {} scales; expected {} like the filter",
                                      bias, bq.scale.size(), fq.scale.size()));
    }
  }
  if (bias >= 0 && ctx.shape(bias).FlatSize() != out_channels)
    return ctx.Reject(SupportCode::kAttribute,
                      fmt::format("bias tensor {} has {} elements; expected {}", bias,
                                  ctx.shape(bias).FlatSize(), out_channels));
  return kYes;
}

// Value id of the bias, or a zero bias when the model has none (quantized kernels need one).
uint32_t BiasValue(XnnpackLowering& ctx, Ids& ids, XnnpackKind kind, int in, int filter, int bias,
                   int32_t out_channels) {
  if (bias >= 0) return ids.In(bias);
  if (kind == XnnpackKind::kFloat32) return XNN_INVALID_VALUE_ID;
  const runtime::QuantParams& fq = ctx.tensor(filter).quant;
  const float in_scale = ctx.tensor(in).quant.scale[0];
  std::vector<int32_t> zeros(static_cast<size_t>(out_channels), 0);
  if (fq.per_channel()) {
    std::vector<float> scales(fq.scale.size());
    for (size_t c = 0; c < scales.size(); ++c) scales[c] = in_scale * fq.scale[c];
    return ids.Take(ctx.StaticInt32(std::move(zeros), Shape({out_channels}), xnn_datatype_qcint32,
                                    0.f, &scales));
  }
  return ids.Take(ctx.StaticInt32(std::move(zeros), Shape({out_channels}), xnn_datatype_qint32,
                                  in_scale * fq.scale[0], nullptr));
}

SupportResult VisitConv2D(XnnpackLowering& ctx, const Node& node, bool depthwise) {
  if (SupportResult r = Arity(ctx, node, 2, 3, 1); !r.supported()) return r;
  const int in = node.inputs[0], filter = node.inputs[1], bias = InputAt(node, 2);
  const int out = node.outputs[0];
  XnnpackKind kind;
  if (SupportResult r = ActivationKind(ctx, in, true, true, &kind); !r.supported()) return r;
  if (SupportResult r = ExpectKind(ctx, out, "output", kind); !r.supported()) return r;
  if (SupportResult r = CheckRank(ctx, in, "input", 4, 4); !r.supported()) return r;
  if (SupportResult r = CheckRank(ctx, filter, "filter", 4, 4); !r.supported()) return r;
  schema::Padding padding;
  int stride_h, stride_w, dil_h, dil_w;
  runtime::FusedActivation act;
  if (depthwise) {
    const runtime::DepthwiseConv2DParams* o = nullptr;
    if (SupportResult r = ParsedOptions(ctx, node, "DepthwiseConv2DOptions", &o); !r.supported())
      return r;
    padding = static_cast<schema::Padding>(o->padding);
    stride_h = o->stride_h;
    stride_w = o->stride_w;
    dil_h = o->dilation_h;
    dil_w = o->dilation_w;
    act = o->activation;
  } else {
    const runtime::Conv2DParams* o = nullptr;
    if (SupportResult r = ParsedOptions(ctx, node, "Conv2DOptions", &o); !r.supported()) return r;
    padding = static_cast<schema::Padding>(o->padding);
    stride_h = o->stride_h;
    stride_w = o->stride_w;
    dil_h = o->dilation_h;
    dil_w = o->dilation_w;
    act = o->activation;
  }
  float min, max;
  if (SupportResult r = FusedRange(ctx, act, &min, &max); !r.supported()) return r;
  const Shape& is = ctx.shape(in);
  const Shape& fs = ctx.shape(filter);
  const int32_t in_c = is.dim(3), kh = fs.dim(1), kw = fs.dim(2);
  const int32_t out_c = depthwise ? fs.dim(3) : fs.dim(0);
  int32_t groups = 1, group_in = in_c, depth_multiplier = 1;
  if (depthwise) {
    if (fs.dim(0) != 1 || in_c <= 0 || out_c % in_c != 0)
      return ctx.Reject(
          SupportCode::kAttribute,
          fmt::format("filter {} does not fit input {} (depthwise)", fs.ToString(), is.ToString()));
    depth_multiplier = out_c / in_c;
  } else {
    if (fs.dim(3) <= 0 || in_c <= 0 || in_c % fs.dim(3) != 0 || out_c % (in_c / fs.dim(3)) != 0)
      return ctx.Reject(SupportCode::kAttribute, fmt::format("filter {} does not fit input {}",
                                                             fs.ToString(), is.ToString()));
    group_in = fs.dim(3);
    groups = in_c / group_in;
  }
  Spatial sh, sw;
  if (!SpatialDim(padding, is.dim(1), kh, stride_h, dil_h, &sh) ||
      !SpatialDim(padding, is.dim(2), kw, stride_w, dil_w, &sw))
    return ctx.Reject(SupportCode::kAttribute,
                      fmt::format("stride {}x{}, dilation {}x{} and filter {}x{} give no output "
                                  "for input {}",
                                  stride_h, stride_w, dil_h, dil_w, kh, kw, is.ToString()));
  if (SupportResult r =
          CheckWeights(ctx, kind, in, filter, bias, out, out_c, depthwise ? 3 : 0, true);
      !r.supported())
    return r;
  if (ctx.checking()) return kYes;
  const Shape out_shape({is.dim(0), sh.out, sw.out, out_c});
  Ids ids(ctx);
  const uint32_t x = ids.In(in);
  const uint32_t w = ids.In(filter);
  const uint32_t b = BiasValue(ctx, ids, kind, in, filter, bias, out_c);
  const uint32_t y = ids.Out(out, out_shape);
  if (!ids.ok()) return ids.Failure();
  if (depthwise)
    return ids.Done(
        xnn_define_depthwise_convolution_2d(
            ctx.xnn(), static_cast<uint32_t>(sh.pad_before), static_cast<uint32_t>(sw.pad_after),
            static_cast<uint32_t>(sh.pad_after), static_cast<uint32_t>(sw.pad_before),
            static_cast<uint32_t>(kh), static_cast<uint32_t>(kw), static_cast<uint32_t>(stride_h),
            static_cast<uint32_t>(stride_w), static_cast<uint32_t>(dil_h),
            static_cast<uint32_t>(dil_w), static_cast<uint32_t>(depth_multiplier),
            static_cast<size_t>(in_c), min, max, x, w, b, y, 0),
        "xnn_define_depthwise_convolution_2d");
  return ids.Done(
      xnn_define_convolution_2d(
          ctx.xnn(), static_cast<uint32_t>(sh.pad_before), static_cast<uint32_t>(sw.pad_after),
          static_cast<uint32_t>(sh.pad_after), static_cast<uint32_t>(sw.pad_before),
          static_cast<uint32_t>(kh), static_cast<uint32_t>(kw), static_cast<uint32_t>(stride_h),
          static_cast<uint32_t>(stride_w), static_cast<uint32_t>(dil_h),
          static_cast<uint32_t>(dil_w), static_cast<uint32_t>(groups),
          static_cast<size_t>(group_in), static_cast<size_t>(out_c / groups), min, max, x, w, b, y,
          0),
      "xnn_define_convolution_2d");
}

SupportResult VisitTransposeConv(XnnpackLowering& ctx, const Node& node) {
  if (SupportResult r = Arity(ctx, node, 3, 4, 1); !r.supported()) return r;
  const int shape_t = node.inputs[0], filter = node.inputs[1], in = node.inputs[2];
  const int bias = InputAt(node, 3), out = node.outputs[0];
  XnnpackKind kind;
  if (SupportResult r = ActivationKind(ctx, in, true, true, &kind); !r.supported()) return r;
  if (SupportResult r = ExpectKind(ctx, out, "output", kind); !r.supported()) return r;
  if (SupportResult r = CheckRank(ctx, in, "input", 4, 4); !r.supported()) return r;
  if (SupportResult r = CheckRank(ctx, filter, "filter", 4, 4); !r.supported()) return r;
  if (SupportResult r = RequireParameter(ctx, shape_t, "output shape"); !r.supported()) return r;
  std::vector<int64_t> os;
  if (!ReadInts(ctx, shape_t, &os) || os.size() != 4)
    return ctx.Reject(SupportCode::kAttribute, "output shape tensor is not 4 INT32 values");
  const runtime::TransposeConvParams* o = nullptr;
  if (SupportResult r = ParsedOptions(ctx, node, "TransposeConvOptions", &o); !r.supported())
    return r;
  float min, max;
  if (SupportResult r = FusedRange(ctx, o->activation, &min, &max); !r.supported()) return r;
  const Shape& is = ctx.shape(in);
  const Shape& fs = ctx.shape(filter);
  const int32_t out_c = fs.dim(0), kh = fs.dim(1), kw = fs.dim(2);
  if (fs.dim(3) != is.dim(3) || os[0] != is.dim(0) || os[3] != out_c)
    return ctx.Reject(SupportCode::kAttribute,
                      fmt::format("filter {} and output shape do not fit input {}", fs.ToString(),
                                  is.ToString()));
  const int stride_h = o->stride_h, stride_w = o->stride_w;
  // Padding as TFLite computes it: that of a forward convolution from the output size; the
  // bottom/right side then trims or extends (adjustment) to the requested output size.
  int32_t pads[2][2] = {{0, 0}, {0, 0}}, adjust[2] = {0, 0};
  const int32_t k[2] = {kh, kw}, strides[2] = {stride_h, stride_w};
  for (int d = 0; d < 2; ++d) {
    Spatial s;
    const int64_t want = os[static_cast<size_t>(d + 1)];
    if (strides[d] <= 0 || want <= 0 ||
        !SpatialDim(static_cast<schema::Padding>(o->padding), static_cast<int>(want), k[d],
                    strides[d], 1, &s))
      return ctx.Reject(SupportCode::kAttribute, "invalid stride or output size");
    // XNNPACK splits a strided deconvolution into stride_h x stride_w sub-kernels: with a
    // stride above the filter size they outnumber the filter's taps without bound.
    if (strides[d] > k[d])
      return ctx.Reject(
          SupportCode::kAttribute,
          fmt::format("stride {}x{} exceeds the filter size {}x{}", stride_h, stride_w, kh, kw));
    const int64_t full = static_cast<int64_t>(is.dim(d + 1) - 1) * strides[d] + k[d];
    const int64_t after = full - want - s.pad_before;
    if (after > INT32_MAX)
      return ctx.Reject(
          SupportCode::kAttribute,
          fmt::format("output size {} leaves a padding of {} (above INT32_MAX)", want, after));
    pads[d][0] = s.pad_before;
    if (after >= 0) {
      pads[d][1] = static_cast<int32_t>(after);
    } else {
      adjust[d] = static_cast<int32_t>(-after);
      if (adjust[d] >= strides[d])
        return ctx.Reject(SupportCode::kAttribute,
                          fmt::format("output size {} needs an adjustment of {}, not below the "
                                      "stride {}",
                                      want, adjust[d], strides[d]));
    }
  }
  if (SupportResult r = CheckWeights(ctx, kind, in, filter, bias, out, out_c, 0, false);
      !r.supported())
    return r;
  if (ctx.checking()) return kYes;
  const Shape out_shape(
      {is.dim(0), static_cast<int32_t>(os[1]), static_cast<int32_t>(os[2]), out_c});
  Ids ids(ctx);
  const uint32_t x = ids.In(in);
  const uint32_t w = ids.In(filter);
  const uint32_t b = BiasValue(ctx, ids, kind, in, filter, bias, out_c);
  const uint32_t y = ids.Out(out, out_shape);
  if (!ids.ok()) return ids.Failure();
  return ids.Done(
      xnn_define_deconvolution_2d(
          ctx.xnn(), static_cast<uint32_t>(pads[0][0]), static_cast<uint32_t>(pads[1][1]),
          static_cast<uint32_t>(pads[0][1]), static_cast<uint32_t>(pads[1][0]),
          static_cast<uint32_t>(adjust[0]), static_cast<uint32_t>(adjust[1]),
          static_cast<uint32_t>(kh), static_cast<uint32_t>(kw), static_cast<uint32_t>(stride_h),
          static_cast<uint32_t>(stride_w), 1, 1, 1, static_cast<size_t>(is.dim(3)),
          static_cast<size_t>(out_c), min, max, x, w, b, y, 0),
      "xnn_define_deconvolution_2d");
}

SupportResult VisitFullyConnected(XnnpackLowering& ctx, const Node& node) {
  if (SupportResult r = Arity(ctx, node, 2, 3, 1); !r.supported()) return r;
  const int in = node.inputs[0], filter = node.inputs[1], bias = InputAt(node, 2);
  const int out = node.outputs[0];
  XnnpackKind kind;
  if (SupportResult r = ActivationKind(ctx, in, true, true, &kind); !r.supported()) return r;
  if (SupportResult r = ExpectKind(ctx, out, "output", kind); !r.supported()) return r;
  if (SupportResult r = CheckRank(ctx, in, "input", 1, kMaxDims); !r.supported()) return r;
  if (SupportResult r = CheckRank(ctx, filter, "filter", 2, 2); !r.supported()) return r;
  const runtime::FullyConnectedParams* o = nullptr;
  if (SupportResult r = ParsedOptions(ctx, node, "FullyConnectedOptions", &o); !r.supported())
    return r;
  if (o->weights_format != runtime::FullyConnectedWeightsFormat::kDefault)
    return ctx.Reject(SupportCode::kAttribute,
                      fmt::format("weights format {} is not supported (DEFAULT is)",
                                  runtime::FullyConnectedWeightsFormatName(o->weights_format)));
  float min, max;
  if (SupportResult r = FusedRange(ctx, o->activation, &min, &max); !r.supported()) return r;
  const Shape& is = ctx.shape(in);
  const Shape& fs = ctx.shape(filter);
  const int32_t out_c = fs.dim(0), in_c = fs.dim(1);
  const int64_t elems = is.FlatSize();
  if (in_c <= 0 || elems % in_c != 0 || (o->keep_num_dims && is.dim(is.rank() - 1) != in_c))
    return ctx.Reject(SupportCode::kAttribute,
                      fmt::format("filter {} does not fit input {}", fs.ToString(), is.ToString()));
  // Per-channel INT8 weights run as a 1x1 convolution (this snapshot's fully connected node
  // takes per-tensor weights only; its convolution takes per-channel ones).
  if (SupportResult r = CheckWeights(ctx, kind, in, filter, bias, out, out_c, 0, true);
      !r.supported())
    return r;
  const int32_t batch = static_cast<int32_t>(elems / in_c);
  // Also in fp16 mode, where this snapshot's fully connected node has no fp16 path.
  const bool as_conv =
      (kind == XnnpackKind::kQS8 && ctx.tensor(filter).quant.per_channel()) || ctx.fp16();
  if (as_conv && !ctx.tensor(filter).is_constant())
    return ctx.Reject(SupportCode::kNonConstantWeights,
                      "filter is not a constant of the model (needed to run it as a 1x1 "
                      "convolution)");
  if (ctx.checking()) return kYes;
  Shape out_shape;
  if (o->keep_num_dims) {
    out_shape = is;
    out_shape.dim(is.rank() - 1) = out_c;
  } else {
    out_shape = Shape({batch, out_c});
  }
  Ids ids(ctx);
  if (as_conv) {
    const uint32_t x = ids.In(in);
    const uint32_t x4 = ids.Internal(in, Shape({1, 1, batch, in_c}));
    const uint32_t w = ids.Take(ctx.StaticAs(filter, Shape({out_c, 1, 1, in_c})));
    const uint32_t b = BiasValue(ctx, ids, kind, in, filter, bias, out_c);
    const uint32_t y4 = ids.Internal(out, Shape({1, 1, batch, out_c}));
    const uint32_t y = ids.Out(out, out_shape);
    if (!ids.ok()) return ids.Failure();
    const std::vector<size_t> in_dims = {1, 1, static_cast<size_t>(batch),
                                         static_cast<size_t>(in_c)};
    SupportResult r = ids.Done(xnn_define_static_reshape(ctx.xnn(), 4, in_dims.data(), x, x4, 0),
                               "xnn_define_static_reshape");
    if (!r.supported()) return r;
    r = ids.Done(xnn_define_convolution_2d(ctx.xnn(), 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1,
                                           static_cast<size_t>(in_c), static_cast<size_t>(out_c),
                                           min, max, x4, w, b, y4, 0),
                 "xnn_define_convolution_2d");
    if (!r.supported()) return r;
    const std::vector<size_t> out_dims = Dims(out_shape);
    return ids.Done(
        xnn_define_static_reshape(ctx.xnn(), out_dims.size(), out_dims.data(), y4, y, 0),
        "xnn_define_static_reshape");
  }
  const uint32_t x = ids.In(in);
  const uint32_t w = ids.In(filter);
  const uint32_t b = BiasValue(ctx, ids, kind, in, filter, bias, out_c);
  const uint32_t y = ids.Out(out, out_shape);
  if (!ids.ok()) return ids.Failure();
  return ids.Done(xnn_define_fully_connected(ctx.xnn(), min, max, x, w, b, y,
                                             o->keep_num_dims ? 0 : XNN_FLAG_TENSORFLOW_RESHAPE_2D),
                  "xnn_define_fully_connected");
}

// --- Pooling and reductions ------------------------------------------------------------------

SupportResult DefineGlobalAverage(XnnpackLowering& ctx, int in_t, int out_t, const Shape& out_shape,
                                  float min, float max) {
  if (ctx.checking()) return kYes;
  Ids ids(ctx);
  const uint32_t x = ids.In(in_t);
  const uint32_t y = ids.Out(out_t, out_shape);
  if (!ids.ok()) return ids.Failure();
  return ids.Done(xnn_define_global_average_pooling_2d(ctx.xnn(), min, max, x, y, 0),
                  "xnn_define_global_average_pooling_2d");
}

SupportResult VisitPool(XnnpackLowering& ctx, const Node& node, bool average) {
  if (SupportResult r = Arity(ctx, node, 1, 1, 1); !r.supported()) return r;
  const int in = node.inputs[0], out = node.outputs[0];
  XnnpackKind kind;
  if (SupportResult r = ActivationKind(ctx, in, true, true, &kind); !r.supported()) return r;
  if (SupportResult r = ExpectKind(ctx, out, "output", kind); !r.supported()) return r;
  if (SupportResult r = CheckRank(ctx, in, "input", 4, 4); !r.supported()) return r;
  const runtime::Pool2DParams* o = nullptr;
  if (SupportResult r = ParsedOptions(ctx, node, "Pool2DOptions", &o); !r.supported()) return r;
  float min, max;
  if (SupportResult r = FusedRange(ctx, o->activation, &min, &max); !r.supported()) return r;
  const Shape& is = ctx.shape(in);
  const int fh = o->filter_h, fw = o->filter_w;
  const int sh_ = o->stride_h, sw_ = o->stride_w;
  const auto padding = static_cast<schema::Padding>(o->padding);
  Spatial sh, sw;
  if (fh <= 0 || fw <= 0 || !SpatialDim(padding, is.dim(1), fh, sh_, 1, &sh) ||
      !SpatialDim(padding, is.dim(2), fw, sw_, 1, &sw))
    return ctx.Reject(SupportCode::kAttribute,
                      fmt::format("filter {}x{} with stride {}x{} gives no output for input {}", fh,
                                  fw, sh_, sw_, is.ToString()));
  // XNNPACK sizes its indirection buffer by the window: a window larger than the input (the
  // CPU kernel clips it) could ask for terabytes.
  if (fh > is.dim(1) || fw > is.dim(2))
    return ctx.Reject(
        SupportCode::kAttribute,
        fmt::format("filter {}x{} is larger than the input {}", fh, fw, is.ToString()));
  const Shape out_shape({is.dim(0), sh.out, sw.out, is.dim(3)});
  // A window over the whole plane without padding is a global average pooling (which XNNPACK
  // also runs quantized).
  const bool global = sh.out == 1 && sw.out == 1 && fh == is.dim(1) && fw == is.dim(2) &&
                      sh.pad_before + sh.pad_after + sw.pad_before + sw.pad_after == 0;
  if (average && global) return DefineGlobalAverage(ctx, in, out, out_shape, min, max);
  if (average && ctx.fp16())
    return ctx.Reject(SupportCode::kUnsupportedOp,
                      "non-global AVERAGE_POOL_2D has no fp16 path in this XNNPACK snapshot "
                      "(force_fp16 is on)");
  if (average && kind != XnnpackKind::kFloat32)
    return ctx.Reject(SupportCode::kQuantization,
                      "this XNNPACK snapshot runs quantized AVERAGE_POOL_2D only when the window "
                      "covers the whole input (global pooling)");
  if (!average)
    if (SupportResult r = RequireSameQuant(ctx, kind, in, out); !r.supported()) return r;
  if (fh == 1 && fw == 1) {
    if (sh_ != 1 || sw_ != 1)
      return ctx.Reject(SupportCode::kAttribute, "1x1 pooling with a stride above 1");
    return DefineClamp(ctx, in, out, min, max);  // identity plus the fused activation
  }
  if (sh_ > fh || sw_ > fw)
    return ctx.Reject(SupportCode::kAttribute,
                      fmt::format("stride {}x{} exceeds the {}x{} window", sh_, sw_, fh, fw));
  if (ctx.checking()) return kYes;
  Ids ids(ctx);
  const uint32_t x = ids.In(in);
  const uint32_t y = ids.Out(out, out_shape);
  if (!ids.ok()) return ids.Failure();
  const auto u = [](int v) { return static_cast<uint32_t>(v); };
  if (average)
    return ids.Done(xnn_define_average_pooling_2d(ctx.xnn(), u(sh.pad_before), u(sw.pad_after),
                                                  u(sh.pad_after), u(sw.pad_before), u(fh), u(fw),
                                                  u(sh_), u(sw_), min, max, x, y, 0),
                    "xnn_define_average_pooling_2d");
  return ids.Done(xnn_define_max_pooling_2d(ctx.xnn(), u(sh.pad_before), u(sw.pad_after),
                                            u(sh.pad_after), u(sw.pad_before), u(fh), u(fw), u(sh_),
                                            u(sw_), 1, 1, min, max, x, y, 0),
                  "xnn_define_max_pooling_2d");
}

SupportResult DefineReshape(XnnpackLowering& ctx, int in_t, int out_t, const Shape& out_shape);

// MEAN over adjacent axes: a global average pooling over [outer, reduced, 1, inner], with
// static reshapes around it unless the input already is NHWC reduced over H and W.
SupportResult VisitMean(XnnpackLowering& ctx, const Node& node) {
  if (SupportResult r = Arity(ctx, node, 2, 2, 1); !r.supported()) return r;
  const int in = node.inputs[0], axes_t = node.inputs[1], out = node.outputs[0];
  XnnpackKind kind;
  if (SupportResult r = ActivationKind(ctx, in, true, true, &kind); !r.supported()) return r;
  if (SupportResult r = ExpectKind(ctx, out, "output", kind); !r.supported()) return r;
  if (SupportResult r = CheckRank(ctx, in, "input", 1, kMaxDims); !r.supported()) return r;
  if (SupportResult r = RequireParameter(ctx, axes_t, "axis"); !r.supported()) return r;
  std::vector<int64_t> axes;
  if (!ReadInts(ctx, axes_t, &axes) || axes.empty())
    return ctx.Reject(SupportCode::kAttribute, "axis tensor is empty or not INT32/INT64");
  const Shape& is = ctx.shape(in);
  const int rank = is.rank();
  for (int64_t& a : axes) {
    if (a < 0) a += rank;
    if (a < 0 || a >= rank)
      return ctx.Reject(SupportCode::kAttribute, fmt::format("axis {} is out of range", a));
  }
  std::sort(axes.begin(), axes.end());
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  std::vector<bool> reduce(static_cast<size_t>(rank), false);
  for (int64_t a : axes) reduce[static_cast<size_t>(a)] = true;
  const runtime::ReducerParams* o = nullptr;
  if (SupportResult r = ParsedOrDefaultOptions(ctx, node, &o); !r.supported()) return r;
  const bool keep_dims = o->keep_dims;
  std::vector<int32_t> out_dims;
  for (int i = 0; i < rank; ++i) {
    if (!reduce[static_cast<size_t>(i)])
      out_dims.push_back(is.dim(i));
    else if (keep_dims)
      out_dims.push_back(1);
  }
  const Shape out_shape(std::move(out_dims));
  // Axes of size 1 change nothing; the others must form one block (size-1 gaps allowed).
  int first = -1, last = -1;
  for (int i = 0; i < rank; ++i)
    if (reduce[static_cast<size_t>(i)] && is.dim(i) != 1) {
      if (first < 0) first = i;
      last = i;
    }
  if (first < 0) {  // a mean over size-1 axes only: a reshape
    if (SupportResult r = RequireSameQuant(ctx, kind, in, out); !r.supported()) return r;
    return DefineReshape(ctx, in, out, out_shape);
  }
  for (int i = first; i <= last; ++i)
    if (!reduce[static_cast<size_t>(i)] && is.dim(i) != 1)
      return ctx.Reject(SupportCode::kAttribute,
                        "reduces axes that are not adjacent; XNNPACK's global average pooling "
                        "reduces one contiguous block");
  const int64_t outer = is.FlatSize(0, first), reduced = is.FlatSize(first, last + 1);
  const int64_t inner = is.FlatSize(last + 1, rank);
  if (reduced <= 0 || outer <= 0 || inner <= 0)
    return ctx.Reject(SupportCode::kAttribute, "reduces an empty tensor");
  const bool direct =
      rank == 4 && first == 1 && last == 2 && (out_shape.rank() == 4 || out_shape.rank() == 2);
  if (direct) return DefineGlobalAverage(ctx, in, out, out_shape, -kInf, kInf);
  if (ctx.checking()) return kYes;
  const auto i32 = [](int64_t v) { return static_cast<int32_t>(v); };
  const Shape pooled_in({i32(outer), i32(reduced), 1, i32(inner)});
  const Shape pooled_out({i32(outer), 1, 1, i32(inner)});
  Ids ids(ctx);
  const uint32_t x = ids.In(in);
  const uint32_t x4 = ids.Internal(in, pooled_in);
  const uint32_t y4 = ids.Internal(out, pooled_out);
  const uint32_t y = ids.Out(out, out_shape);
  if (!ids.ok()) return ids.Failure();
  const std::vector<size_t> in_dims = Dims(pooled_in), out_dims_x = Dims(out_shape);
  SupportResult r = ids.Done(xnn_define_static_reshape(ctx.xnn(), 4, in_dims.data(), x, x4, 0),
                             "xnn_define_static_reshape");
  if (!r.supported()) return r;
  r = ids.Done(xnn_define_global_average_pooling_2d(ctx.xnn(), -kInf, kInf, x4, y4, 0),
               "xnn_define_global_average_pooling_2d");
  if (!r.supported()) return r;
  return ids.Done(
      xnn_define_static_reshape(ctx.xnn(), out_dims_x.size(), out_dims_x.data(), y4, y, 0),
      "xnn_define_static_reshape");
}

// --- Shape and data movement -----------------------------------------------------------------

SupportResult DefineReshape(XnnpackLowering& ctx, int in_t, int out_t, const Shape& out_shape) {
  if (ctx.checking()) return kYes;
  Ids ids(ctx);
  const uint32_t x = ids.In(in_t);
  const uint32_t y = ids.Out(out_t, out_shape);
  if (!ids.ok()) return ids.Failure();
  const std::vector<size_t> dims = Dims(out_shape);
  return ids.Done(xnn_define_static_reshape(ctx.xnn(), dims.size(), dims.data(), x, y, 0),
                  "xnn_define_static_reshape");
}

SupportResult CheckMove(XnnpackLowering& ctx, const Node& node, size_t min_in, size_t max_in,
                        XnnpackKind* kind) {
  if (SupportResult r = Arity(ctx, node, min_in, max_in, 1); !r.supported()) return r;
  if (SupportResult r = ActivationKind(ctx, node.inputs[0], true, true, kind); !r.supported())
    return r;
  if (SupportResult r = ExpectKind(ctx, node.outputs[0], "output", *kind); !r.supported()) return r;
  if (SupportResult r = CheckRank(ctx, node.inputs[0], "input", 0, kMaxDims); !r.supported())
    return r;
  return RequireSameQuant(ctx, *kind, node.inputs[0], node.outputs[0]);
}

// RESHAPE, SQUEEZE and EXPAND_DIMS: a static reshape to the shape computed here.
SupportResult VisitReshape(XnnpackLowering& ctx, const Node& node) {
  XnnpackKind kind;
  const Op op = static_cast<Op>(node.op);
  if (SupportResult r =
          CheckMove(ctx, node, op == Op::EXPAND_DIMS ? 2 : 1, op == Op::SQUEEZE ? 1 : 2, &kind);
      !r.supported())
    return r;
  const Shape& is = ctx.shape(node.inputs[0]);
  std::vector<int64_t> want;
  if (op == Op::RESHAPE) {
    const int shape_t = InputAt(node, 1);
    const runtime::ReshapeParams* o = nullptr;
    if (SupportResult r = ParsedOrDefaultOptions(ctx, node, &o); !r.supported()) return r;
    if (shape_t >= 0) {
      if (SupportResult r = RequireParameter(ctx, shape_t, "new shape"); !r.supported()) return r;
      if (!ReadInts(ctx, shape_t, &want))
        return ctx.Reject(SupportCode::kAttribute, "new shape tensor is not INT32 or INT64");
    } else if (o->has_new_shape) {
      want.assign(o->new_shape.begin(), o->new_shape.end());
    } else {
      const Shape& declared = ctx.tensor(node.outputs[0]).shape;
      want.assign(declared.dims().begin(), declared.dims().end());
    }
  } else if (op == Op::SQUEEZE) {
    const runtime::SqueezeParams* o = nullptr;
    if (SupportResult r = ParsedOrDefaultOptions(ctx, node, &o); !r.supported()) return r;
    std::vector<bool> drop(static_cast<size_t>(is.rank()), false);
    if (!o->squeeze_dims.empty()) {
      for (int32_t a : o->squeeze_dims) {
        const int axis = a < 0 ? a + is.rank() : a;
        if (axis < 0 || axis >= is.rank() || is.dim(axis) != 1)
          return ctx.Reject(SupportCode::kAttribute,
                            fmt::format("cannot squeeze axis {} of {}", a, is.ToString()));
        drop[static_cast<size_t>(axis)] = true;
      }
    } else {
      for (int i = 0; i < is.rank(); ++i) drop[static_cast<size_t>(i)] = is.dim(i) == 1;
    }
    for (int i = 0; i < is.rank(); ++i)
      if (!drop[static_cast<size_t>(i)]) want.push_back(is.dim(i));
  } else {  // EXPAND_DIMS
    if (SupportResult r = RequireParameter(ctx, node.inputs[1], "axis"); !r.supported()) return r;
    std::vector<int64_t> axis;
    if (!ReadInts(ctx, node.inputs[1], &axis) || axis.size() != 1)
      return ctx.Reject(SupportCode::kAttribute, "axis tensor is not one INT32 value");
    const int64_t a = axis[0] < 0 ? axis[0] + is.rank() + 1 : axis[0];
    if (a < 0 || a > is.rank() || is.rank() + 1 > kMaxDims)
      return ctx.Reject(SupportCode::kAttribute, fmt::format("axis {} is out of range", axis[0]));
    want.assign(is.dims().begin(), is.dims().end());
    want.insert(want.begin() + a, 1);
  }
  // Resolve one -1 and check the element count.
  int unknown = -1;
  int64_t known = 1;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i] == -1 && unknown < 0) {
      unknown = static_cast<int>(i);
    } else if (want[i] < 0) {
      return ctx.Reject(SupportCode::kAttribute, "new shape has invalid dimensions");
    } else {
      // A crafted new shape can overflow the product: it cannot match the input then.
      if (want[i] > 0 && known > INT64_MAX / want[i])
        return ctx.Reject(SupportCode::kAttribute, "new shape has too many elements");
      known *= want[i];
    }
  }
  const int64_t elems = is.FlatSize();
  if (unknown >= 0 && known > 0 && elems % known == 0)
    want[static_cast<size_t>(unknown)] = elems / known;
  std::vector<int32_t> dims;
  int64_t count = 1;
  for (int64_t d : want) {
    if (d < 0 || d > INT32_MAX || (d > 0 && count > INT64_MAX / d))
      return ctx.Reject(SupportCode::kAttribute, "new shape has invalid dimensions");
    dims.push_back(static_cast<int32_t>(d));
    count *= d;
  }
  if (count != elems || dims.size() > static_cast<size_t>(kMaxDims))
    return ctx.Reject(SupportCode::kAttribute, fmt::format("cannot reshape {} to {} dimensions",
                                                           is.ToString(), dims.size()));
  return DefineReshape(ctx, node.inputs[0], node.outputs[0], Shape(std::move(dims)));
}

SupportResult VisitPad(XnnpackLowering& ctx, const Node& node, bool v2) {
  XnnpackKind kind;
  if (SupportResult r = CheckMove(ctx, node, 2, v2 ? 3 : 2, &kind); !r.supported()) return r;
  const int in = node.inputs[0];
  if (SupportResult r = RequireParameter(ctx, node.inputs[1], "paddings"); !r.supported()) return r;
  std::vector<int64_t> pads;
  const Shape& is = ctx.shape(in);
  if (!ReadInts(ctx, node.inputs[1], &pads) || pads.size() != static_cast<size_t>(2 * is.rank()))
    return ctx.Reject(SupportCode::kAttribute,
                      fmt::format("paddings are not {}x2 INT32/INT64 values", is.rank()));
  float value = 0.f;
  const int value_t = InputAt(node, 2);
  if (value_t >= 0) {
    if (SupportResult r = RequireParameter(ctx, value_t, "constant value"); !r.supported())
      return r;
    const Tensor& v = ctx.tensor(value_t);
    if (v.type != KindType(kind) || v.elements() != 1 || !v.data)
      return ctx.Reject(SupportCode::kAttribute,
                        "constant value is not one element of the "
                        "input's type");
    if (kind == XnnpackKind::kFloat32) {
      value = v.data_as<float>()[0];
    } else {
      const int32_t q =
          kind == XnnpackKind::kQS8 ? v.data_as<int8_t>()[0] : v.data_as<uint8_t>()[0];
      const Tensor& o = ctx.tensor(node.outputs[0]);
      value = o.quant.scale[0] * static_cast<float>(q - o.quant.zero_point[0]);
    }
  }
  std::vector<size_t> pre, post;
  std::vector<int32_t> out_dims;
  for (int i = 0; i < is.rank(); ++i) {
    const int64_t a = pads[static_cast<size_t>(2 * i)], b = pads[static_cast<size_t>(2 * i + 1)];
    if (a < 0 || b < 0)
      return ctx.Reject(SupportCode::kAttribute, "negative paddings are not supported");
    pre.push_back(static_cast<size_t>(a));
    post.push_back(static_cast<size_t>(b));
    out_dims.push_back(static_cast<int32_t>(is.dim(i) + a + b));
  }
  if (ctx.checking()) return kYes;
  Ids ids(ctx);
  const uint32_t x = ids.In(in);
  const uint32_t y = ids.Out(node.outputs[0], Shape(std::move(out_dims)));
  if (!ids.ok()) return ids.Failure();
  return ids.Done(
      xnn_define_static_constant_pad(ctx.xnn(), pre.data(), post.data(), value, x, y, 0),
      "xnn_define_static_constant_pad");
}

SupportResult VisitResizeBilinear(XnnpackLowering& ctx, const Node& node) {
  XnnpackKind kind;
  if (SupportResult r = CheckMove(ctx, node, 2, 2, &kind); !r.supported()) return r;
  if (SupportResult r = CheckRank(ctx, node.inputs[0], "input", 4, 4); !r.supported()) return r;
  if (SupportResult r = RequireParameter(ctx, node.inputs[1], "size"); !r.supported()) return r;
  std::vector<int64_t> size;
  if (!ReadInts(ctx, node.inputs[1], &size) || size.size() != 2 || size[0] <= 0 || size[1] <= 0)
    return ctx.Reject(SupportCode::kAttribute, "size is not two positive INT32 values");
  const runtime::ResizeImageParams* o = nullptr;
  if (SupportResult r = ParsedOrDefaultOptions(ctx, node, &o); !r.supported()) return r;
  const bool align = o->align_corners, half = o->half_pixel_centers;
  if (align && half)
    return ctx.Reject(SupportCode::kAttribute, "align_corners and half_pixel_centers together");
  const uint32_t flags =
      align ? XNN_FLAG_ALIGN_CORNERS : (half ? 0 : XNN_FLAG_TENSORFLOW_LEGACY_MODE);
  if (ctx.checking()) return kYes;
  const Shape& is = ctx.shape(node.inputs[0]);
  Ids ids(ctx);
  const uint32_t x = ids.In(node.inputs[0]);
  const uint32_t y = ids.Out(node.outputs[0], Shape({is.dim(0), static_cast<int32_t>(size[0]),
                                                     static_cast<int32_t>(size[1]), is.dim(3)}));
  if (!ids.ok()) return ids.Failure();
  return ids.Done(xnn_define_static_resize_bilinear_2d(ctx.xnn(), static_cast<size_t>(size[0]),
                                                       static_cast<size_t>(size[1]), x, y, flags),
                  "xnn_define_static_resize_bilinear_2d");
}

SupportResult VisitDepthToSpace(XnnpackLowering& ctx, const Node& node) {
  XnnpackKind kind;
  if (SupportResult r = CheckUnary(ctx, node, false, false, &kind); !r.supported()) return r;
  if (SupportResult r = CheckRank(ctx, node.inputs[0], "input", 4, 4); !r.supported()) return r;
  const runtime::BlockSizeParams* o = nullptr;
  if (SupportResult r = ParsedOrDefaultOptions(ctx, node, &o); !r.supported()) return r;
  const int block = o->block_size;
  const Shape& is = ctx.shape(node.inputs[0]);
  const int64_t bb = int64_t{block} * block;  // 64-bit: a crafted block size overflows int
  if (block <= 1 || is.dim(3) % bb != 0 || int64_t{is.dim(1)} * block > INT32_MAX ||
      int64_t{is.dim(2)} * block > INT32_MAX)
    return ctx.Reject(SupportCode::kAttribute,
                      fmt::format("block size {} does not fit {} (XNNPACK needs a block above 1)",
                                  block, is.ToString()));
  if (ctx.checking()) return kYes;
  Ids ids(ctx);
  const uint32_t x = ids.In(node.inputs[0]);
  const uint32_t y =
      ids.Out(node.outputs[0], Shape({is.dim(0), is.dim(1) * block, is.dim(2) * block,
                                      static_cast<int32_t>(is.dim(3) / bb)}));
  if (!ids.ok()) return ids.Failure();
  return ids.Done(xnn_define_depth_to_space(ctx.xnn(), x, y, static_cast<uint32_t>(block), 0),
                  "xnn_define_depth_to_space");
}

// --- Conversions -----------------------------------------------------------------------------

SupportResult DefineConvert(XnnpackLowering& ctx, int in_t, int out_t) {
  if (ctx.checking()) return kYes;
  Ids ids(ctx);
  const uint32_t x = ids.In(in_t);
  const uint32_t y = ids.Out(out_t, ctx.shape(in_t));
  if (!ids.ok()) return ids.Failure();
  return ids.Done(xnn_define_convert(ctx.xnn(), x, y, 0), "xnn_define_convert");
}

SupportResult VisitDequantize(XnnpackLowering& ctx, const Node& node) {
  if (SupportResult r = Arity(ctx, node, 1, 1, 1); !r.supported()) return r;
  const int in = node.inputs[0], out = node.outputs[0];
  if (ctx.tensor(out).type != DataType::kFloat32)
    return ctx.Reject(SupportCode::kOutputType,
                      fmt::format("output tensor {} is {}; expected FLOAT32", out,
                                  DataTypeName(ctx.tensor(out).type)));
  if (ctx.FoldedDequantize(out)) {
    // Folded: consumers read fp32 static data; nothing runs.
    return kYes;
  }
  const DataType it = ctx.tensor(in).type;
  if (it != DataType::kInt8 && it != DataType::kUInt8)
    return ctx.Reject(SupportCode::kInputType,
                      fmt::format("input tensor {} is {}; XNNPACK converts INT8/UINT8 "
                                  "activations (FLOAT16 and quantized only when constant)",
                                  in, DataTypeName(it)));
  if (SupportResult r = CheckPerTensor(ctx, in, "input"); !r.supported()) return r;
  if (SupportResult r = CheckRank(ctx, in, "input", 0, kMaxDims); !r.supported()) return r;
  return DefineConvert(ctx, in, out);
}

SupportResult VisitQuantize(XnnpackLowering& ctx, const Node& node) {
  if (SupportResult r = Arity(ctx, node, 1, 1, 1); !r.supported()) return r;
  const int in = node.inputs[0], out = node.outputs[0];
  const DataType it = ctx.type(in), ot = ctx.tensor(out).type;
  if (ot != DataType::kInt8 && ot != DataType::kUInt8)
    return ctx.Reject(
        SupportCode::kOutputType,
        fmt::format("output tensor {} is {}; expected INT8 or UINT8", out, DataTypeName(ot)));
  if (SupportResult r = CheckPerTensor(ctx, out, "output"); !r.supported()) return r;
  if (SupportResult r = CheckRank(ctx, in, "input", 0, kMaxDims); !r.supported()) return r;
  if (it == DataType::kFloat32) return DefineConvert(ctx, in, out);
  if (it == ot) {
    // Requantization within one signedness.
    if (SupportResult r = CheckPerTensor(ctx, in, "input"); !r.supported()) return r;
    return DefineRequantize(ctx, in, out, -kInf, kInf);
  }
  return ctx.Reject(SupportCode::kInputType,
                    fmt::format("{} to {} is not served: this XNNPACK snapshot has no convert "
                                "between quantized types",
                                DataTypeName(it), DataTypeName(ot)));
}

// Ops this snapshot lacks but newer XNNPACK (and TFLite's delegate) serve.
const char* MissingInSnapshot(Op op) {
  switch (op) {
    case Op::TANH:
    case Op::CONCATENATION:
    case Op::SPLIT:
    case Op::SPLIT_V:
    case Op::SLICE:
    case Op::STRIDED_SLICE:
    case Op::TRANSPOSE:
    case Op::BATCH_MATMUL:
    case Op::SPACE_TO_DEPTH:
    case Op::EXP:
    case Op::LOG:
    case Op::GELU:
    case Op::SUM:
    case Op::REDUCE_MAX:
    case Op::REDUCE_MIN:
    case Op::COS:
    case Op::SIN:
      return "is not in this XNNPACK snapshot (2022-02-16); newer XNNPACK serves it";
    default:
      return nullptr;
  }
}

// With XNN_FLAG_FORCE_FP16_INFERENCE this snapshot builds a runtime only when every node has an
// fp16 path (probed: add, multiply, clamp, leaky ReLU, PReLU, convolution, depthwise,
// deconvolution, max and global average pooling, pad, reshape, resize; its hardswish even
// asserts). Float32 nodes only.
SupportResult CheckFp16(XnnpackLowering& ctx, const Node& node, Op op) {
  switch (op) {
    case Op::CONV_2D:
    case Op::DEPTHWISE_CONV_2D:
    case Op::TRANSPOSE_CONV:
    case Op::FULLY_CONNECTED:
    case Op::ADD:
    case Op::MUL:
    case Op::RELU:
    case Op::RELU6:
    case Op::RELU_N1_TO_1:
    case Op::LEAKY_RELU:
    case Op::PRELU:
    case Op::MAX_POOL_2D:
    case Op::AVERAGE_POOL_2D:
    case Op::MEAN:
    case Op::PAD:
    case Op::PADV2:
    case Op::RESHAPE:
    case Op::SQUEEZE:
    case Op::EXPAND_DIMS:
    case Op::RESIZE_BILINEAR:
      break;
    case Op::DEQUANTIZE:
      if (!node.outputs.empty() && ctx.FoldedDequantize(node.outputs[0])) return kYes;
      [[fallthrough]];
    default:
      return ctx.Reject(SupportCode::kUnsupportedOp,
                        "has no fp16 path in this XNNPACK snapshot (force_fp16 is on)");
  }
  if (op == Op::ADD || op == Op::MUL)
    for (int t : node.inputs)
      if (ctx.IsStatic(t))
        return ctx.Reject(SupportCode::kNonConstantWeights,
                          fmt::format("constant operand tensor {}: this XNNPACK snapshot's fp16 "
                                      "rewrite takes only run-time operands for {} (force_fp16 "
                                      "is on)",
                                      t, node.op_name));
  const int in = InputAt(node, op == Op::TRANSPOSE_CONV ? 2 : 0);
  if (in >= 0 && ctx.type(in) != DataType::kFloat32)
    return ctx.Reject(SupportCode::kInputType,
                      fmt::format("input tensor {} is {}; force_fp16 runs FLOAT32 nodes only", in,
                                  DataTypeName(ctx.type(in))));
  return kYes;
}

}  // namespace

SupportResult XnnpackVisitNode(XnnpackLowering& ctx, const Node& node) {
  ctx.set_node(node);
  if (node.op == static_cast<int32_t>(Op::CUSTOM)) {
    const bool flex = node.op_name.rfind("Flex", 0) == 0;
    return ctx.Reject(flex ? SupportCode::kFlexOp : SupportCode::kCustomOp,
                      fmt::format("{} op '{}' has no XNNPACK lowering",
                                  flex ? "Select TensorFlow (Flex)" : "custom", node.op_name));
  }
  if (ctx.checking())
    for (int t : node.inputs)
      if (const Node* src = ctx.DynamicSource(t))
        return ctx.Reject(SupportCode::kDynamicShape,
                          fmt::format("input tensor {} may change shape at run time (it depends "
                                      "on {})",
                                      t, runtime::NodeLabel(*src)));
  // This XNNPACK snapshot leaves an empty value unallocated and then asserts in setup.
  for (const std::vector<int>* list : {&node.inputs, &node.outputs})
    for (int t : *list)
      if (t >= 0)
        for (int32_t d : ctx.shape(t).dims())
          if (d == 0)
            return ctx.Reject(SupportCode::kAttribute,
                              fmt::format("tensor {} is empty ({})", t, ctx.shape(t).ToString()));
  const Op op = static_cast<Op>(node.op);
  if (ctx.fp16()) {
    if (SupportResult r = CheckFp16(ctx, node, op); !r.supported()) return r;
  }
  switch (op) {
    case Op::CONV_2D:
      return VisitConv2D(ctx, node, false);
    case Op::DEPTHWISE_CONV_2D:
      return VisitConv2D(ctx, node, true);
    case Op::TRANSPOSE_CONV:
      return VisitTransposeConv(ctx, node);
    case Op::FULLY_CONNECTED:
      return VisitFullyConnected(ctx, node);
    case Op::AVERAGE_POOL_2D:
      return VisitPool(ctx, node, true);
    case Op::MAX_POOL_2D:
      return VisitPool(ctx, node, false);
    case Op::MEAN:
      return VisitMean(ctx, node);
    case Op::ADD:
      return VisitBinary(ctx, node, Binary::kAdd);
    case Op::SUB:
      return VisitBinary(ctx, node, Binary::kSub);
    case Op::MUL:
      return VisitBinary(ctx, node, Binary::kMul);
    case Op::DIV:
      return VisitBinary(ctx, node, Binary::kDiv);
    case Op::MINIMUM:
      return VisitBinary(ctx, node, Binary::kMin);
    case Op::MAXIMUM:
      return VisitBinary(ctx, node, Binary::kMax);
    case Op::SQUARED_DIFFERENCE:
      return VisitBinary(ctx, node, Binary::kSquaredDifference);
    case Op::RELU:
      return VisitClamp(ctx, node, 0.f, kInf);
    case Op::RELU6:
      return VisitClamp(ctx, node, 0.f, 6.f);
    case Op::RELU_N1_TO_1:
      return VisitClamp(ctx, node, -1.f, 1.f);
    case Op::HARD_SWISH:
      return VisitFloatUnary(ctx, node, xnn_define_hardswish, "xnn_define_hardswish");
    case Op::ELU:
      return VisitElu(ctx, node);
    case Op::LEAKY_RELU:
      return VisitLeakyRelu(ctx, node);
    case Op::PRELU:
      return VisitPrelu(ctx, node);
    case Op::LOGISTIC:
      return VisitLogistic(ctx, node);
    case Op::SOFTMAX:
      return VisitSoftmax(ctx, node);
    case Op::PAD:
      return VisitPad(ctx, node, false);
    case Op::PADV2:
      return VisitPad(ctx, node, true);
    case Op::RESHAPE:
    case Op::SQUEEZE:
    case Op::EXPAND_DIMS:
      return VisitReshape(ctx, node);
    case Op::RESIZE_BILINEAR:
      return VisitResizeBilinear(ctx, node);
    case Op::DEPTH_TO_SPACE:
      return VisitDepthToSpace(ctx, node);
    case Op::ABS:
      return VisitFloatUnary(ctx, node, xnn_define_abs, "xnn_define_abs");
    case Op::NEG:
      return VisitFloatUnary(ctx, node, xnn_define_negate, "xnn_define_negate");
    case Op::FLOOR:
      return VisitFloatUnary(ctx, node, xnn_define_floor, "xnn_define_floor");
    case Op::CEIL:
      return VisitFloatUnary(ctx, node, xnn_define_ceiling, "xnn_define_ceiling");
    case Op::ROUND:
      return VisitFloatUnary(ctx, node, xnn_define_bankers_rounding, "xnn_define_bankers_rounding");
    case Op::SQUARE:
      return VisitFloatUnary(ctx, node, xnn_define_square, "xnn_define_square");
    case Op::SQRT:
      return VisitFloatUnary(ctx, node, xnn_define_square_root, "xnn_define_square_root");
    case Op::RSQRT:
      return VisitRsqrt(ctx, node);
    case Op::DEQUANTIZE:
      return VisitDequantize(ctx, node);
    case Op::QUANTIZE:
      return VisitQuantize(ctx, node);
    default:
      break;
  }
  if (const char* why = MissingInSnapshot(op)) return ctx.Reject(SupportCode::kUnsupportedOp, why);
  return ctx.Reject(SupportCode::kUnsupportedOp, "has no XNNPACK lowering");
}

}  // namespace litescope::delegates
