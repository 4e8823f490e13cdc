#include "runtime/op_params_internal.h"

// Parsers of the elementwise, concatenation and normalization ops' options.
namespace litescope::runtime::op_params_internal {

using schema::BuiltinOperator;

Result<OpParams> ParseArithmetic(const Node& node) {
  ArithmeticParams p;
  p.defaulted = true;
  const auto op = static_cast<BuiltinOperator>(node.op);
  if (op == BuiltinOperator::ADD) {
    if (const schema::AddOptions* o = node.fb->builtin_options_as_AddOptions()) {
      p.activation = RawActivation(o->fused_activation_function());
      p.pot_scale_int16 = o->pot_scale_int16();
      p.defaulted = false;
    }
  } else if (op == BuiltinOperator::SUB) {
    if (const schema::SubOptions* o = node.fb->builtin_options_as_SubOptions()) {
      p.activation = RawActivation(o->fused_activation_function());
      p.defaulted = false;
    }
  } else if (op == BuiltinOperator::MUL) {
    if (const schema::MulOptions* o = node.fb->builtin_options_as_MulOptions()) {
      p.activation = RawActivation(o->fused_activation_function());
      p.defaulted = false;
    }
  } else if (op == BuiltinOperator::DIV) {
    if (const schema::DivOptions* o = node.fb->builtin_options_as_DivOptions()) {
      p.activation = RawActivation(o->fused_activation_function());
      p.defaulted = false;
    }
  }
  return OpParams(p);
}

Result<OpParams> ParseConcatenation(const Node& node) {
  ConcatenationParams p;
  const schema::ConcatenationOptions* o = node.fb->builtin_options_as_ConcatenationOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  p.axis = o->axis();
  p.activation = RawActivation(o->fused_activation_function());
  return OpParams(p);
}

Result<OpParams> ParseSoftmax(const Node& node) {
  SoftmaxParams p;
  const schema::SoftmaxOptions* o = node.fb->builtin_options_as_SoftmaxOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  p.beta = o->beta();
  return OpParams(p);
}

Result<OpParams> ParseLeakyRelu(const Node& node) {
  LeakyReluParams p;
  const schema::LeakyReluOptions* o = node.fb->builtin_options_as_LeakyReluOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  p.alpha = o->alpha();
  return OpParams(p);
}

Result<OpParams> ParseGelu(const Node& node) {
  GeluParams p;
  const schema::GeluOptions* o = node.fb->builtin_options_as_GeluOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  p.approximate = o->approximate();
  return OpParams(p);
}

Result<OpParams> ParseLocalResponseNorm(const Node& node) {
  LocalResponseNormParams p;
  const schema::LocalResponseNormalizationOptions* o =
      node.fb->builtin_options_as_LocalResponseNormalizationOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  p.radius = o->radius();
  p.bias = o->bias();
  p.alpha = o->alpha();
  p.beta = o->beta();
  return OpParams(p);
}

}  // namespace litescope::runtime::op_params_internal
