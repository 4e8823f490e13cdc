#pragma once

#include <cmath>
#include <cstdint>

// Float activations as TFLite computes them: RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1, LOGISTIC,
// TANH, LEAKY_RELU, HARD_SWISH, ELU, GELU and PRELU. Each is a functor over float; apply one
// with reference::Unary (unary_math.h), or PreluOp with BroadcastBinary (broadcast.h).
namespace litescope::runtime::reference {

// Clamp to [lo, hi]; NaN passes through.
struct ClampOp {
  float lo;
  float hi;
  float operator()(float x) const { return x < lo ? lo : (x > hi ? hi : x); }
};

struct ReluOp {
  float operator()(float x) const { return x < 0.f ? 0.f : x; }
};

// 1 / (1 + e^-x), with TFLite's cut-offs: 1 above 16.619047..., e^x below -9 (where the two
// agree to float precision and the direct formula would lose accuracy).
struct LogisticOp {
  float operator()(float x) const {
    constexpr float kUpper = 16.619047164916992188f;
    constexpr float kLower = -9.f;
    if (x > kUpper) return 1.f;
    if (x < kLower) return std::exp(x);
    return 1.f / (1.f + std::exp(-x));
  }
};

struct TanhOp {
  float operator()(float x) const { return std::tanh(x); }
};

// x for x > 0, alpha * x otherwise (alpha may be > 1 or negative, so this is not a max).
struct LeakyReluOp {
  float alpha;
  float operator()(float x) const { return x > 0.f ? x : x * alpha; }
};

// x * relu6(x + 3) / 6.
struct HardSwishOp {
  float operator()(float x) const {
    const float r = x + 3.f;
    const float c = r < 0.f ? 0.f : (r > 6.f ? 6.f : r);
    return x * c / 6.f;
  }
};

// x for x >= 0, e^x - 1 otherwise.
struct EluOp {
  float operator()(float x) const { return x < 0.f ? std::expm1(x) : x; }
};

// Exact: x * Phi(x) = 0.5 x erfc(-x / sqrt 2).
struct GeluOp {
  float operator()(float x) const {
    constexpr float kMinusSqrtHalf = -0.70710678118654752440f;
    return 0.5f * x * std::erfc(x * kMinusSqrtHalf);
  }
};

// Tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
struct GeluApproximateOp {
  float operator()(float x) const {
    constexpr float kSqrt2OverPi = 0.79788456080286535588f;
    return 0.5f * x * (1.f + std::tanh(kSqrt2OverPi * (x + 0.044715f * x * x * x)));
  }
};

// PRELU: x for x >= 0, alpha * x otherwise (alpha broadcast against x).
struct PreluOp {
  float operator()(float x, float alpha) const { return x >= 0.f ? x : x * alpha; }
};

}  // namespace litescope::runtime::reference
