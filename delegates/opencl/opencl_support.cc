#include "delegates/opencl/opencl_support.h"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "delegates/opencl/opencl_kernel_sources.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/shape_dependence.h"

namespace litescope::delegates {
namespace {

using runtime::DataType;
using runtime::FusedActivation;
using runtime::Node;
using runtime::Padding;
using runtime::Shape;
using runtime::Subgraph;
using runtime::SupportCode;
using runtime::SupportResult;
using runtime::Tensor;
using Op = schema::BuiltinOperator;

const SupportResult kYes = SupportResult::Yes();

SupportResult No(const Node& node, SupportCode code, const std::string& why) {
  return SupportResult::No(code, fmt::format("{}: {}", runtime::NodeLabel(node), why));
}

int InputAt(const Node& n, size_t i) { return i < n.inputs.size() ? n.inputs[i] : -1; }

const Node* Producer(Subgraph& g, int t) {
  for (const Node& n : g.nodes())
    for (int o : n.outputs)
      if (o == t) return &n;
  return nullptr;
}

// The node whose run-time data may change tensor t's shape, or null.
const Node* DynamicSource(Subgraph& g, int t) {
  const int node = runtime::DynamicShapeSource(g, t);
  return node >= 0 ? &g.nodes()[static_cast<size_t>(node)] : nullptr;
}

bool HasFloatData(const Tensor& t) {
  return t.type == DataType::kFloat32 && t.data &&
         t.bytes >= static_cast<size_t>(t.elements()) * sizeof(float);
}

// --- Generic checks -------------------------------------------------------------------------

// An activation tensor (input or output): FLOAT32, not quantized, static shape of rank
// [min_rank, max_rank], not empty.
SupportResult CheckActivation(Subgraph& g, const Node& node, int t, const char* role, int min_rank,
                              int max_rank) {
  if (t < 0 || t >= g.tensor_count())
    return No(node, SupportCode::kAttribute, fmt::format("{} tensor is missing", role));
  const Tensor& x = g.tensor(t);
  const bool output = std::string(role) == "output";
  if (x.type != DataType::kFloat32)
    return No(node, output ? SupportCode::kOutputType : SupportCode::kInputType,
              fmt::format("{} tensor {} is {}; the GPU delegate runs FLOAT32 tensors only "
                          "(quantized and integer tensors stay on the CPU)",
                          role, t, DataTypeName(x.type)));
  if (!x.quant.empty())
    return No(node, SupportCode::kQuantization,
              fmt::format("{} tensor {} carries quantization parameters", role, t));
  for (int32_t d : x.shape.dims())
    if (d < 0)
      return No(node, SupportCode::kDynamicShape,
                fmt::format("{} tensor {} has unknown dimensions {}", role, t, x.shape.ToString()));
  if (!output)
    if (const Node* src = DynamicSource(g, t))
      return No(node, SupportCode::kDynamicShape,
                fmt::format("{} tensor {} may change shape at run time (it depends on {})", role, t,
                            runtime::NodeLabel(*src)));
  const int r = x.shape.rank();
  if (r < min_rank || r > max_rank)
    return No(node, SupportCode::kRank,
              min_rank == max_rank
                  ? fmt::format("{} tensor {} has rank {}; expected {}", role, t, r, min_rank)
                  : fmt::format("{} tensor {} has rank {}; expected {} to {}", role, t, r, min_rank,
                                max_rank));
  int64_t n = 0;
  if (!x.shape.CheckedFlatSize(&n, int64_t{1} << 30) || n == 0)
    return No(node, SupportCode::kAttribute,
              fmt::format("{} tensor {} is empty or too large ({})", role, t, x.shape.ToString()));
  return kYes;
}

SupportResult Arity(const Node& node, size_t min_inputs, size_t max_inputs) {
  if (node.inputs.size() < min_inputs || node.inputs.size() > max_inputs ||
      node.outputs.size() != 1)
    return No(node, SupportCode::kAttribute,
              fmt::format("has {} inputs and {} outputs; expected {} to {} inputs and 1 output",
                          node.inputs.size(), node.outputs.size(), min_inputs, max_inputs));
  return kYes;
}

// Weights and bias: uploaded once, so they must be constant (or a folded FLOAT16 DEQUANTIZE).
SupportResult CheckStatic(Subgraph& g, const Node& node, int t, const char* role) {
  int fp16 = -1;
  if (t < 0 || t >= g.tensor_count())
    return No(node, SupportCode::kAttribute, fmt::format("{} tensor is missing", role));
  if (!OpenclStaticTensor(g, t, &fp16)) {
    const Tensor& x = g.tensor(t);
    if (x.is_constant() && x.type != DataType::kFloat32)
      return No(node, SupportCode::kInputType,
                fmt::format("{} tensor {} is {}; expected FLOAT32 (or a FLOAT16 constant "
                            "through DEQUANTIZE)",
                            role, t, DataTypeName(x.type)));
    const Node* p = Producer(g, t);
    return No(node, SupportCode::kNonConstantWeights,
              fmt::format("{} tensor {} is not a constant{}", role, t,
                          p ? fmt::format(" (produced by {})", runtime::NodeLabel(*p)) : ""));
  }
  const schema::Tensor* mt = g.model_tensor(fp16 >= 0 ? fp16 : t);
  if (mt && mt->sparsity())
    return No(node, SupportCode::kAttribute,
              fmt::format("{} tensor {} is sparse; the GPU delegate takes dense weights", role, t));
  return kYes;
}

SupportResult ActivationKind(const Node& node, FusedActivation act, int* kind) {
  switch (act) {
    case FusedActivation::kNone:
      *kind = 0;
      return kYes;
    case FusedActivation::kRelu:
      *kind = 1;
      return kYes;
    case FusedActivation::kReluN1To1:
      *kind = 2;
      return kYes;
    case FusedActivation::kRelu6:
      *kind = 3;
      return kYes;
    case FusedActivation::kTanh:
      *kind = 4;
      return kYes;
    default:
      return No(node, SupportCode::kFusedActivation,
                fmt::format("fused activation {} is not supported (NONE, RELU, RELU_N1_TO_1, "
                            "RELU6 and TANH are)",
                            runtime::FusedActivationName(act)));
  }
}

template <typename T>
SupportResult Params(const Node& node, const char* what, const T** out) {
  if (!node.params_error.ok())
    return SupportResult::No(SupportCode::kAttribute, node.params_error.message());
  const T* p = std::get_if<T>(&node.params);
  if (!p || p->defaulted) return No(node, SupportCode::kAttribute, fmt::format("has no {}", what));
  *out = p;
  return kYes;
}

// Values of a constant INT32/INT64 tensor.
bool ReadInts(const Tensor& x, std::vector<int64_t>* out) {
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

SupportResult ExpectShape(const Node& node, Subgraph& g, int out, const Shape& want) {
  if (g.tensor(out).shape != want)
    return No(node, SupportCode::kAttribute,
              fmt::format("output tensor {} has shape {}; the op gives {}", out,
                          g.tensor(out).shape.ToString(), want.ToString()));
  return kYes;
}

// Dims padded on the left to rank 4.
std::vector<int32_t> Pad4(const Shape& s) {
  std::vector<int32_t> d(4, 1);
  const int r = s.rank();
  for (int i = 0; i < r; ++i) d[static_cast<size_t>(4 - r + i)] = s.dim(i);
  return d;
}

// --- Plan building ---------------------------------------------------------------------------

class Defines {
 public:
  Defines& Set(const char* name, int64_t v) {
    s_ += fmt::format(" -D {}={}", name, v);
    return *this;
  }
  Defines& Flag(const char* name) {
    s_ += fmt::format(" -D {}", name);
    return *this;
  }
  Defines& Float(const char* name, float v) {
    s_ += fmt::format(" -D {}={:#.9g}f", name, v);
    return *this;
  }
  std::string str() const { return "-cl-std=CL1.2" + s_; }

 private:
  std::string s_;
};

OpenclArg T(int t) { return {OpenclArg::Kind::kTensor, t, 0}; }
OpenclArg I(int32_t v) { return {OpenclArg::Kind::kInt, -1, v}; }
OpenclArg Zeros(int32_t n) { return {OpenclArg::Kind::kZeros, -1, n}; }
size_t Z(int64_t v) { return static_cast<size_t>(v); }

void SetProgram(OpenclNodePlan* plan, const char* body, const Defines& d) {
  plan->kind = OpenclNodePlan::Kind::kProgram;
  plan->source = std::string(OpenclCommonSource()) + body;
  plan->options = d.str();
}

SupportResult PlanConv(Subgraph& g, const Node& node, bool depthwise, OpenclNodePlan* plan) {
  if (SupportResult r = Arity(node, 2, 3); !r.supported()) return r;
  const int in = node.inputs[0], filter = node.inputs[1], bias = InputAt(node, 2);
  const int out = node.outputs[0];
  if (SupportResult r = CheckActivation(g, node, in, "input", 4, 4); !r.supported()) return r;
  if (SupportResult r = CheckActivation(g, node, out, "output", 4, 4); !r.supported()) return r;
  if (SupportResult r = CheckStatic(g, node, filter, "filter"); !r.supported()) return r;
  if (bias >= 0)
    if (SupportResult r = CheckStatic(g, node, bias, "bias"); !r.supported()) return r;
  Padding padding;
  int stride_w, stride_h, dil_w, dil_h, mult = 1;
  FusedActivation act;
  if (depthwise) {
    const runtime::DepthwiseConv2DParams* p = nullptr;
    if (SupportResult r = Params(node, "DepthwiseConv2DOptions", &p); !r.supported()) return r;
    padding = p->padding;
    stride_w = p->stride_w;
    stride_h = p->stride_h;
    dil_w = p->dilation_w;
    dil_h = p->dilation_h;
    act = p->activation;
    mult = p->depth_multiplier;
  } else {
    const runtime::Conv2DParams* p = nullptr;
    if (SupportResult r = Params(node, "Conv2DOptions", &p); !r.supported()) return r;
    padding = p->padding;
    stride_w = p->stride_w;
    stride_h = p->stride_h;
    dil_w = p->dilation_w;
    dil_h = p->dilation_h;
    act = p->activation;
  }
  int act_kind = 0;
  if (SupportResult r = ActivationKind(node, act, &act_kind); !r.supported()) return r;
  const Shape& is = g.tensor(in).shape;
  const Shape& fs = g.tensor(filter).shape;
  if (fs.rank() != 4)
    return No(node, SupportCode::kRank,
              fmt::format("filter tensor {} has rank {}; expected 4", filter, fs.rank()));
  const int n = is.dim(0), ih = is.dim(1), iw = is.dim(2), ci = is.dim(3);
  const int kh = fs.dim(1), kw = fs.dim(2);
  const int co = depthwise ? fs.dim(3) : fs.dim(0);
  if (depthwise) {
    if (fs.dim(0) != 1 || ci <= 0 || co % ci != 0)
      return No(node, SupportCode::kAttribute,
                fmt::format("filter shape {} does not fit input depth {}", fs.ToString(), ci));
    // TFLite derives the multiplier from the shapes; the option may be stale.
    mult = co / ci;
  } else if (fs.dim(3) != ci) {
    return No(node, SupportCode::kAttribute,
              fmt::format("filter depth {} differs from input depth {} (grouped convolution is "
                          "not supported)",
                          fs.dim(3), ci));
  }
  if (bias >= 0 && g.tensor(bias).elements() != co)
    return No(node, SupportCode::kAttribute,
              fmt::format("bias tensor {} has {} elements; expected {}", bias,
                          g.tensor(bias).elements(), co));
  int oh = 0, ow = 0, pt = 0, pl = 0;
  const int pad_code = static_cast<int>(padding);
  if (kh <= 0 || kw <= 0 ||
      !runtime::ComputeSpatialOutput(pad_code, ih, kh, stride_h, dil_h, &oh, &pt) ||
      !runtime::ComputeSpatialOutput(pad_code, iw, kw, stride_w, dil_w, &ow, &pl) || oh <= 0 ||
      ow <= 0)
    return No(node, SupportCode::kAttribute,
              fmt::format("invalid geometry: input {}, filter {}, stride {}x{}, dilation {}x{}",
                          is.ToString(), fs.ToString(), stride_h, stride_w, dil_h, dil_w));
  if (SupportResult r = ExpectShape(node, g, out, Shape({n, oh, ow, co})); !r.supported()) return r;
  if (!plan) return kYes;
  Defines d;
  d.Set("IH", ih).Set("IW", iw).Set("CI", ci).Set("OH", oh).Set("OW", ow).Set("CO", co);
  d.Set("KH", kh).Set("KW", kw).Set("SH", stride_h).Set("SW", stride_w);
  d.Set("DH", dil_h).Set("DW", dil_w).Set("PT", pt).Set("PL", pl).Set("ACT_KIND", act_kind);
  if (depthwise) d.Flag("DEPTHWISE").Set("MULT", mult);
  SetProgram(plan, OpenclConvSource(), d);
  plan->launches.push_back({"conv2d",
                            {T(in), T(filter), bias >= 0 ? T(bias) : Zeros(co), T(out)},
                            {Z(co), Z(ow), Z(int64_t{n} * oh)}});
  return kYes;
}

SupportResult PlanFullyConnected(Subgraph& g, const Node& node, OpenclNodePlan* plan) {
  if (SupportResult r = Arity(node, 2, 3); !r.supported()) return r;
  const int in = node.inputs[0], filter = node.inputs[1], bias = InputAt(node, 2);
  const int out = node.outputs[0];
  if (SupportResult r = CheckActivation(g, node, in, "input", 1, 4); !r.supported()) return r;
  if (SupportResult r = CheckActivation(g, node, out, "output", 1, 4); !r.supported()) return r;
  if (SupportResult r = CheckStatic(g, node, filter, "filter"); !r.supported()) return r;
  if (bias >= 0)
    if (SupportResult r = CheckStatic(g, node, bias, "bias"); !r.supported()) return r;
  const runtime::FullyConnectedParams* p = nullptr;
  if (SupportResult r = Params(node, "FullyConnectedOptions", &p); !r.supported()) return r;
  if (p->weights_format != runtime::FullyConnectedWeightsFormat::kDefault)
    return No(node, SupportCode::kAttribute,
              fmt::format("weights format {} is not supported",
                          runtime::FullyConnectedWeightsFormatName(p->weights_format)));
  int act_kind = 0;
  if (SupportResult r = ActivationKind(node, p->activation, &act_kind); !r.supported()) return r;
  const Shape& fs = g.tensor(filter).shape;
  if (fs.rank() != 2)
    return No(node, SupportCode::kRank,
              fmt::format("filter tensor {} has rank {}; expected 2", filter, fs.rank()));
  const int units = fs.dim(0), depth = fs.dim(1);
  const int64_t elements = g.tensor(in).elements();
  if (depth <= 0 || units <= 0 || elements % depth != 0)
    return No(node, SupportCode::kAttribute,
              fmt::format("input of {} elements does not split into rows of {}", elements, depth));
  if (bias >= 0 && g.tensor(bias).elements() != units)
    return No(node, SupportCode::kAttribute,
              fmt::format("bias tensor {} has {} elements; expected {}", bias,
                          g.tensor(bias).elements(), units));
  const int64_t batch = elements / depth;
  if (g.tensor(out).elements() != batch * units)
    return No(node, SupportCode::kAttribute,
              fmt::format("output tensor {} has shape {}; expected {} x {} elements", out,
                          g.tensor(out).shape.ToString(), batch, units));
  if (!plan) return kYes;
  Defines d;
  d.Set("K", depth).Set("U", units).Set("ACT_KIND", act_kind);
  SetProgram(plan, OpenclFullyConnectedSource(), d);
  plan->launches.push_back({"fully_connected",
                            {T(in), T(filter), bias >= 0 ? T(bias) : Zeros(units), T(out)},
                            {Z(units), Z(batch)}});
  return kYes;
}

FusedActivation BinaryActivation(const Node& node, Op op) {
  using AF = schema::ActivationFunctionType;
  AF act = AF::NONE;
  if (op == Op::ADD) {
    if (auto* o = node.fb->builtin_options_as_AddOptions()) act = o->fused_activation_function();
  } else if (op == Op::SUB) {
    if (auto* o = node.fb->builtin_options_as_SubOptions()) act = o->fused_activation_function();
  } else if (auto* o = node.fb->builtin_options_as_MulOptions()) {
    act = o->fused_activation_function();
  }
  return static_cast<FusedActivation>(act);
}

// The operand's element strides against the output's padded dims; false when it does not
// broadcast.
bool BroadcastStrides(const Shape& operand, const std::vector<int32_t>& out,
                      std::vector<int64_t>* strides) {
  const std::vector<int32_t> d = Pad4(operand);
  strides->assign(4, 0);
  int64_t s = 1;
  for (int i = 3; i >= 0; --i) {
    const size_t k = static_cast<size_t>(i);
    if (d[k] != out[k] && d[k] != 1) return false;
    (*strides)[k] = d[k] == 1 ? 0 : s;
    s *= d[k];
  }
  return true;
}

SupportResult PlanBinary(Subgraph& g, const Node& node, Op op, OpenclNodePlan* plan) {
  if (SupportResult r = Arity(node, 2, 2); !r.supported()) return r;
  const int a = node.inputs[0], b = node.inputs[1], out = node.outputs[0];
  for (int t : {a, b}) {
    int fp16 = -1;
    // A constant operand is uploaded once; a run-time one must be an activation.
    if (t >= 0 && t < g.tensor_count() && OpenclStaticTensor(g, t, &fp16)) {
      if (g.tensor(t).shape.rank() > 4)
        return No(node, SupportCode::kRank,
                  fmt::format("input tensor {} has rank {}; expected 0 to 4", t,
                              g.tensor(t).shape.rank()));
      continue;
    }
    if (SupportResult r = CheckActivation(g, node, t, "input", 0, 4); !r.supported()) return r;
  }
  if (SupportResult r = CheckActivation(g, node, out, "output", 0, 4); !r.supported()) return r;
  int act_kind = 0;
  if (SupportResult r = ActivationKind(node, BinaryActivation(node, op), &act_kind); !r.supported())
    return r;
  const std::vector<int32_t> od = Pad4(g.tensor(out).shape);
  std::vector<int64_t> sa, sb;
  const Shape& as = g.tensor(a).shape;
  const Shape& bs = g.tensor(b).shape;
  // The output shape must be the broadcast of the operands.
  const int rank = std::max(as.rank(), bs.rank());
  const std::vector<int32_t> ad = Pad4(as), bd = Pad4(bs);
  std::vector<int32_t> want;
  for (int i = 4 - rank; i < 4; ++i) {
    const size_t k = static_cast<size_t>(i);
    if (ad[k] != bd[k] && ad[k] != 1 && bd[k] != 1)
      return No(node, SupportCode::kAttribute,
                fmt::format("shapes {} and {} do not broadcast", as.ToString(), bs.ToString()));
    want.push_back(std::max(ad[k], bd[k]));
  }
  if (SupportResult r = ExpectShape(node, g, out, Shape(want)); !r.supported()) return r;
  if (!BroadcastStrides(as, od, &sa) || !BroadcastStrides(bs, od, &sb))
    return No(node, SupportCode::kAttribute, "operands do not broadcast to the output");
  if (!plan) return kYes;
  Defines d;
  d.Set("BIN_OP", op == Op::ADD ? 0 : op == Op::SUB ? 1 : 2).Set("ACT_KIND", act_kind);
  const char* on[] = {"O0", "O1", "O2", "O3"};
  const char* an[] = {"SA0", "SA1", "SA2", "SA3"};
  const char* bn[] = {"SB0", "SB1", "SB2", "SB3"};
  for (size_t i = 0; i < 4; ++i) d.Set(on[i], od[i]).Set(an[i], sa[i]).Set(bn[i], sb[i]);
  SetProgram(plan, OpenclElementwiseSource(), d);
  plan->launches.push_back({"binary", {T(a), T(b), T(out)}, {Z(g.tensor(out).elements())}});
  return kYes;
}

SupportResult PlanUnary(Subgraph& g, const Node& node, Op op, OpenclNodePlan* plan) {
  if (SupportResult r = Arity(node, 1, 1); !r.supported()) return r;
  const int in = node.inputs[0], out = node.outputs[0];
  if (SupportResult r = CheckActivation(g, node, in, "input", 0, 6); !r.supported()) return r;
  if (SupportResult r = CheckActivation(g, node, out, "output", 0, 6); !r.supported()) return r;
  if (SupportResult r = ExpectShape(node, g, out, g.tensor(in).shape); !r.supported()) return r;
  if (!plan) return kYes;
  int code = 0;
  switch (op) {
    case Op::LOGISTIC:
      code = 0;
      break;
    case Op::RELU:
      code = 1;
      break;
    case Op::RELU6:
      code = 2;
      break;
    case Op::HARD_SWISH:
      code = 3;
      break;
    case Op::TANH:
      code = 4;
      break;
    default:
      code = 5;
      break;  // RELU_N1_TO_1
  }
  Defines d;
  d.Set("UN_OP", code);
  SetProgram(plan, OpenclElementwiseSource(), d);
  plan->launches.push_back({"unary", {T(in), T(out)}, {Z(g.tensor(out).elements())}});
  return kYes;
}

SupportResult PlanPool(Subgraph& g, const Node& node, bool average, OpenclNodePlan* plan) {
  if (SupportResult r = Arity(node, 1, 1); !r.supported()) return r;
  const int in = node.inputs[0], out = node.outputs[0];
  if (SupportResult r = CheckActivation(g, node, in, "input", 4, 4); !r.supported()) return r;
  if (SupportResult r = CheckActivation(g, node, out, "output", 4, 4); !r.supported()) return r;
  const runtime::Pool2DParams* p = nullptr;
  if (SupportResult r = Params(node, "Pool2DOptions", &p); !r.supported()) return r;
  int act_kind = 0;
  if (SupportResult r = ActivationKind(node, p->activation, &act_kind); !r.supported()) return r;
  const Shape& is = g.tensor(in).shape;
  int oh = 0, ow = 0, pt = 0, pl = 0;
  const int pad_code = static_cast<int>(p->padding);
  if (p->filter_h <= 0 || p->filter_w <= 0 ||
      !runtime::ComputeSpatialOutput(pad_code, is.dim(1), p->filter_h, p->stride_h, 1, &oh, &pt) ||
      !runtime::ComputeSpatialOutput(pad_code, is.dim(2), p->filter_w, p->stride_w, 1, &ow, &pl) ||
      oh <= 0 || ow <= 0)
    return No(node, SupportCode::kAttribute,
              fmt::format("invalid geometry: input {}, filter {}x{}, stride {}x{}", is.ToString(),
                          p->filter_h, p->filter_w, p->stride_h, p->stride_w));
  if (SupportResult r = ExpectShape(node, g, out, Shape({is.dim(0), oh, ow, is.dim(3)}));
      !r.supported())
    return r;
  if (!plan) return kYes;
  Defines d;
  d.Set("IH", is.dim(1)).Set("IW", is.dim(2)).Set("C", is.dim(3)).Set("OH", oh).Set("OW", ow);
  d.Set("FH", p->filter_h).Set("FW", p->filter_w).Set("SH", p->stride_h).Set("SW", p->stride_w);
  d.Set("PT", pt).Set("PL", pl).Set("ACT_KIND", act_kind);
  if (average) d.Flag("AVERAGE");
  SetProgram(plan, OpenclPoolSource(), d);
  plan->launches.push_back(
      {"pool2d", {T(in), T(out)}, {Z(is.dim(3)), Z(ow), Z(int64_t{is.dim(0)} * oh)}});
  return kYes;
}

// RESHAPE and SQUEEZE: the same bytes under another shape; a buffer copy on the device.
SupportResult PlanReshape(Subgraph& g, const Node& node, Op op, OpenclNodePlan* plan) {
  if (SupportResult r = Arity(node, 1, 2); !r.supported()) return r;
  const int in = node.inputs[0], out = node.outputs[0];
  if (SupportResult r = CheckActivation(g, node, in, "input", 0, 6); !r.supported()) return r;
  if (SupportResult r = CheckActivation(g, node, out, "output", 0, 6); !r.supported()) return r;
  const int shape_t = InputAt(node, 1);
  if (op == Op::RESHAPE && shape_t >= 0 && !g.tensor(shape_t).is_constant())
    return No(node, SupportCode::kNonConstantWeights,
              fmt::format("shape tensor {} is dynamic", shape_t));
  if (g.tensor(in).elements() != g.tensor(out).elements())
    return No(node, SupportCode::kAttribute,
              fmt::format("output shape {} holds a different number of elements than input "
                          "shape {}",
                          g.tensor(out).shape.ToString(), g.tensor(in).shape.ToString()));
  if (!plan) return kYes;
  plan->kind = OpenclNodePlan::Kind::kCopy;
  plan->copy_src = in;
  plan->copy_dst = out;
  return kYes;
}

SupportResult PlanSoftmax(Subgraph& g, const Node& node, OpenclNodePlan* plan) {
  if (SupportResult r = Arity(node, 1, 1); !r.supported()) return r;
  const int in = node.inputs[0], out = node.outputs[0];
  if (SupportResult r = CheckActivation(g, node, in, "input", 1, 4); !r.supported()) return r;
  if (SupportResult r = CheckActivation(g, node, out, "output", 1, 4); !r.supported()) return r;
  if (SupportResult r = ExpectShape(node, g, out, g.tensor(in).shape); !r.supported()) return r;
  const schema::SoftmaxOptions* o = node.fb->builtin_options_as_SoftmaxOptions();
  const float beta = o ? o->beta() : 1.0f;
  if (!(beta > 0.0f) || beta > 1e6f)
    return No(node, SupportCode::kAttribute, fmt::format("beta {} is not served", beta));
  if (!plan) return kYes;
  const Shape& s = g.tensor(in).shape;
  const int depth = s.dim(s.rank() - 1);
  Defines d;
  d.Set("D", depth).Float("BETA", beta);
  SetProgram(plan, OpenclSoftmaxSource(), d);
  plan->launches.push_back({"softmax", {T(in), T(out)}, {Z(s.FlatSize() / depth)}});
  return kYes;
}

SupportResult PlanConcat(Subgraph& g, const Node& node, OpenclNodePlan* plan) {
  if (node.inputs.empty() || node.outputs.size() != 1)
    return No(node, SupportCode::kAttribute, "expects at least one input and one output");
  const int out = node.outputs[0];
  if (SupportResult r = CheckActivation(g, node, out, "output", 1, 6); !r.supported()) return r;
  const schema::ConcatenationOptions* o = node.fb->builtin_options_as_ConcatenationOptions();
  if (!o) return No(node, SupportCode::kAttribute, "has no ConcatenationOptions");
  int act_kind = 0;
  if (SupportResult r = ActivationKind(
          node, static_cast<FusedActivation>(o->fused_activation_function()), &act_kind);
      !r.supported())
    return r;
  const Shape& os = g.tensor(out).shape;
  int axis = o->axis();
  if (axis < 0) axis += os.rank();
  if (axis < 0 || axis >= os.rank())
    return No(node, SupportCode::kAttribute,
              fmt::format("axis {} is out of range for rank {}", o->axis(), os.rank()));
  int64_t sum = 0;
  for (int t : node.inputs) {
    int fp16 = -1;
    if (!(t >= 0 && t < g.tensor_count() && OpenclStaticTensor(g, t, &fp16)))
      if (SupportResult r = CheckActivation(g, node, t, "input", 1, 6); !r.supported()) return r;
    const Shape& s = g.tensor(t).shape;
    if (s.rank() != os.rank())
      return No(
          node, SupportCode::kAttribute,
          fmt::format("input tensor {} has rank {}; the output has {}", t, s.rank(), os.rank()));
    for (int i = 0; i < s.rank(); ++i)
      if (i != axis && s.dim(i) != os.dim(i))
        return No(node, SupportCode::kAttribute,
                  fmt::format("input tensor {} shape {} does not match output {} off the axis", t,
                              s.ToString(), os.ToString()));
    sum += s.dim(axis);
  }
  if (sum != os.dim(axis))
    return No(node, SupportCode::kAttribute,
              fmt::format("inputs add up to {} along axis {}; the output has {}", sum, axis,
                          os.dim(axis)));
  if (!plan) return kYes;
  const int64_t outer = os.FlatSize(0, axis);
  const int64_t inner = os.FlatSize(axis + 1, os.rank());
  Defines d;
  d.Set("ACT_KIND", act_kind);
  SetProgram(plan, OpenclConcatSource(), d);
  int64_t offset = 0;
  for (int t : node.inputs) {
    const int64_t chunk = int64_t{g.tensor(t).shape.dim(axis)} * inner;
    plan->launches.push_back(
        {"concat_copy",
         {T(t), T(out), I(static_cast<int32_t>(chunk)),
          I(static_cast<int32_t>(os.dim(axis) * inner)), I(static_cast<int32_t>(offset))},
         {Z(chunk), Z(outer)}});
    offset += chunk;
  }
  return kYes;
}

SupportResult PlanMean(Subgraph& g, const Node& node, OpenclNodePlan* plan) {
  if (SupportResult r = Arity(node, 2, 2); !r.supported()) return r;
  const int in = node.inputs[0], axes_t = node.inputs[1], out = node.outputs[0];
  if (SupportResult r = CheckActivation(g, node, in, "input", 1, 4); !r.supported()) return r;
  if (SupportResult r = CheckActivation(g, node, out, "output", 0, 4); !r.supported()) return r;
  std::vector<int64_t> axes;
  if (axes_t < 0 || !ReadInts(g.tensor(axes_t), &axes))
    return No(node, SupportCode::kNonConstantWeights,
              "axis tensor is dynamic (or not INT32/INT64)");
  const Shape& is = g.tensor(in).shape;
  const int rank = is.rank();
  std::vector<bool> reduced(4, false);
  for (int64_t a : axes) {
    const int64_t k = a < 0 ? a + rank : a;
    if (k < 0 || k >= rank)
      return No(node, SupportCode::kAttribute,
                fmt::format("axis {} is out of range for rank {}", a, rank));
    reduced[static_cast<size_t>(4 - rank + k)] = true;
  }
  const schema::ReducerOptions* o = node.fb->builtin_options_as_ReducerOptions();
  const bool keep = o && o->keep_dims();
  std::vector<int32_t> want;
  for (int i = 0; i < rank; ++i) {
    if (!reduced[static_cast<size_t>(4 - rank + i)])
      want.push_back(is.dim(i));
    else if (keep)
      want.push_back(1);
  }
  if (SupportResult r = ExpectShape(node, g, out, Shape(want)); !r.supported()) return r;
  if (!plan) return kYes;
  const std::vector<int32_t> d4 = Pad4(is);
  Defines d;
  const char* dn[] = {"D0", "D1", "D2", "D3"};
  const char* rn[] = {"R0", "R1", "R2", "R3"};
  for (size_t i = 0; i < 4; ++i) d.Set(dn[i], d4[i]).Set(rn[i], reduced[i] ? 1 : 0);
  SetProgram(plan, OpenclMeanSource(), d);
  plan->launches.push_back({"mean", {T(in), T(out)}, {Z(g.tensor(out).elements())}});
  return kYes;
}

SupportResult PlanPad(Subgraph& g, const Node& node, OpenclNodePlan* plan) {
  if (SupportResult r = Arity(node, 2, 2); !r.supported()) return r;
  const int in = node.inputs[0], pads_t = node.inputs[1], out = node.outputs[0];
  if (SupportResult r = CheckActivation(g, node, in, "input", 1, 4); !r.supported()) return r;
  if (SupportResult r = CheckActivation(g, node, out, "output", 1, 4); !r.supported()) return r;
  std::vector<int64_t> pads;
  const Shape& is = g.tensor(in).shape;
  const int rank = is.rank();
  if (pads_t < 0 || !ReadInts(g.tensor(pads_t), &pads))
    return No(node, SupportCode::kNonConstantWeights,
              "paddings tensor is dynamic (or not INT32/INT64)");
  if (pads.size() != static_cast<size_t>(rank) * 2)
    return No(node, SupportCode::kAttribute,
              fmt::format("paddings hold {} values; expected {}", pads.size(), rank * 2));
  std::vector<int32_t> want;
  for (int i = 0; i < rank; ++i) {
    const int64_t lo = pads[static_cast<size_t>(2 * i)], hi = pads[static_cast<size_t>(2 * i + 1)];
    if (lo < 0 || hi < 0 || lo > (1 << 20) || hi > (1 << 20))
      return No(node, SupportCode::kAttribute, fmt::format("padding {} {} is not served", lo, hi));
    want.push_back(static_cast<int32_t>(is.dim(i) + lo + hi));
  }
  if (SupportResult r = ExpectShape(node, g, out, Shape(want)); !r.supported()) return r;
  if (!plan) return kYes;
  const std::vector<int32_t> d4 = Pad4(is), o4 = Pad4(g.tensor(out).shape);
  Defines d;
  const char* dn[] = {"D0", "D1", "D2", "D3"};
  const char* pn[] = {"P0", "P1", "P2", "P3"};
  const char* on[] = {"O0", "O1", "O2", "O3"};
  for (size_t i = 0; i < 4; ++i) {
    const int k = static_cast<int>(i) - (4 - rank);
    d.Set(dn[i], d4[i]).Set(on[i], o4[i]).Set(pn[i], k >= 0 ? pads[static_cast<size_t>(2 * k)] : 0);
  }
  SetProgram(plan, OpenclPadSource(), d);
  plan->launches.push_back({"pad", {T(in), T(out)}, {Z(g.tensor(out).elements())}});
  return kYes;
}

SupportResult PlanDequantize(Subgraph& g, const Node& node, OpenclNodePlan* plan) {
  if (SupportResult r = Arity(node, 1, 1); !r.supported()) return r;
  int fp16 = -1;
  if (!OpenclStaticTensor(g, node.outputs[0], &fp16) || fp16 < 0)
    return No(node, SupportCode::kInputType,
              "only DEQUANTIZE of a constant FLOAT16 tensor is served (folded into FLOAT32 "
              "weights); quantized tensors stay on the CPU");
  if (SupportResult r = CheckActivation(g, node, node.outputs[0], "output", 0, 6); !r.supported())
    return r;
  if (plan) plan->kind = OpenclNodePlan::Kind::kFolded;
  return kYes;
}

}  // namespace

bool OpenclStaticTensor(Subgraph& g, int t, int* fp16_source) {
  *fp16_source = -1;
  if (t < 0 || t >= g.tensor_count()) return false;
  const Tensor& x = g.tensor(t);
  if (x.is_constant()) {
    if (HasFloatData(x) && x.quant.empty()) return true;
    // A DEQUANTIZE the CPU already folded: its FLOAT16 source is what the delegate reads.
  } else if (x.type != DataType::kFloat32) {
    return false;
  }
  const Node* p = Producer(g, t);
  if (!p || p->op != static_cast<int32_t>(Op::DEQUANTIZE) || p->inputs.size() != 1) return false;
  const int src = p->inputs[0];
  if (src < 0 || src >= g.tensor_count()) return false;
  const Tensor& s = g.tensor(src);
  if (!s.is_constant() || s.type != DataType::kFloat16 || !s.data ||
      s.bytes < static_cast<size_t>(s.elements()) * 2 || s.shape != x.shape)
    return false;
  *fp16_source = src;
  return true;
}

SupportResult OpenclPlanNode(Subgraph& g, const Node& node, OpenclNodePlan* plan) {
  if (!node.fb) return No(node, SupportCode::kAttribute, "has no operator description");
  const Op op = static_cast<Op>(node.op);
  if (op == Op::CUSTOM) {
    const bool flex = node.op_name.rfind("Flex", 0) == 0;
    return No(node, flex ? SupportCode::kFlexOp : SupportCode::kCustomOp,
              fmt::format("{} op '{}' has no GPU kernel",
                          flex ? "Select TensorFlow (Flex)" : "custom", node.op_name));
  }
  switch (op) {
    case Op::CONV_2D:
      return PlanConv(g, node, false, plan);
    case Op::DEPTHWISE_CONV_2D:
      return PlanConv(g, node, true, plan);
    case Op::FULLY_CONNECTED:
      return PlanFullyConnected(g, node, plan);
    case Op::ADD:
    case Op::SUB:
    case Op::MUL:
      return PlanBinary(g, node, op, plan);
    case Op::AVERAGE_POOL_2D:
      return PlanPool(g, node, true, plan);
    case Op::MAX_POOL_2D:
      return PlanPool(g, node, false, plan);
    case Op::RESHAPE:
    case Op::SQUEEZE:
      return PlanReshape(g, node, op, plan);
    case Op::SOFTMAX:
      return PlanSoftmax(g, node, plan);
    case Op::CONCATENATION:
      return PlanConcat(g, node, plan);
    case Op::LOGISTIC:
    case Op::RELU:
    case Op::RELU6:
    case Op::RELU_N1_TO_1:
    case Op::TANH:
    case Op::HARD_SWISH:
      return PlanUnary(g, node, op, plan);
    case Op::MEAN:
      return PlanMean(g, node, plan);
    case Op::PAD:
      return PlanPad(g, node, plan);
    case Op::DEQUANTIZE:
      return PlanDequantize(g, node, plan);
    default:
      return No(node, SupportCode::kUnsupportedOp,
                fmt::format("{} has no GPU (OpenCL) kernel in this delegate", node.op_name));
  }
}

}  // namespace litescope::delegates
