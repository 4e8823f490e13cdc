#include "analyzers/output_compare.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include <fmt/format.h>
#include <fp16.h>

#include "runtime/data_type.h"

namespace litescope::analyzers {
namespace {

using runtime::DataType;

bool IsFloat(DataType t) {
  return t == DataType::kFloat32 || t == DataType::kFloat16 || t == DataType::kFloat64 ||
         t == DataType::kBFloat16;
}

bool IsInteger(DataType t) {
  switch (t) {
    case DataType::kInt8:
    case DataType::kUInt8:
    case DataType::kInt16:
    case DataType::kUInt16:
    case DataType::kInt32:
    case DataType::kUInt32:
    case DataType::kInt64:
    case DataType::kUInt64:
    case DataType::kBool:
      return true;
    default:
      return false;
  }
}

double FloatAt(const runtime::Tensor& t, int64_t i) {
  const auto* p = static_cast<const uint8_t*>(t.data);
  switch (t.type) {
    case DataType::kFloat32: {
      float v;
      std::memcpy(&v, p + i * 4, 4);
      return v;
    }
    case DataType::kFloat64: {
      double v;
      std::memcpy(&v, p + i * 8, 8);
      return v;
    }
    case DataType::kFloat16: {
      uint16_t h;
      std::memcpy(&h, p + i * 2, 2);
      return fp16_ieee_to_fp32_value(h);
    }
    case DataType::kBFloat16: {
      uint16_t h;
      std::memcpy(&h, p + i * 2, 2);
      const uint32_t bits = static_cast<uint32_t>(h) << 16;
      float v;
      std::memcpy(&v, &bits, 4);
      return v;
    }
    default:
      return 0;
  }
}

// Integers as long double: exact for every 64-bit value's difference we report.
long double IntAt(const runtime::Tensor& t, int64_t i) {
  const auto* p = static_cast<const uint8_t*>(t.data);
  auto load = [&](auto v) {
    std::memcpy(&v, p + i * static_cast<int64_t>(sizeof v), sizeof v);
    return static_cast<long double>(v);
  };
  switch (t.type) {
    case DataType::kInt8:
      return load(int8_t{});
    case DataType::kUInt8:
    case DataType::kBool:
      return load(uint8_t{});
    case DataType::kInt16:
      return load(int16_t{});
    case DataType::kUInt16:
      return load(uint16_t{});
    case DataType::kInt32:
      return load(int32_t{});
    case DataType::kUInt32:
      return load(uint32_t{});
    case DataType::kInt64:
      return load(int64_t{});
    case DataType::kUInt64:
      return load(uint64_t{});
    default:
      return 0;
  }
}

}  // namespace

OutputComparison CompareOutputs(const runtime::Tensor& got, const runtime::Tensor& want,
                                const OutputTolerance& tol) {
  OutputComparison c;
  c.name = want.name;
  c.dtype = runtime::DataTypeName(want.type);
  auto not_comparable = [&](std::string why) {
    c.comparable = false;
    c.pass = false;
    c.why_not = std::move(why);
    return c;
  };
  if (got.type != want.type)
    return not_comparable(
        fmt::format("types differ ({} vs {})", runtime::DataTypeName(got.type), c.dtype));
  if (!(got.shape == want.shape)) return not_comparable("shapes differ");
  int64_t n = 0, bytes = 0;
  if (!want.shape.CheckedFlatSize(&n) || !runtime::DataTypeBytes(want.type, n, &bytes))
    return not_comparable("no static size");
  c.elements = n;
  if (n == 0) return c;
  if (!got.data || !want.data || got.bytes < static_cast<size_t>(bytes) ||
      want.bytes < static_cast<size_t>(bytes))
    return not_comparable("no data");

  int64_t exact = 0;
  double sum_abs = 0;
  int64_t finite = 0;
  if (IsFloat(want.type)) {
    double scale = 1;
    for (int64_t i = 0; i < n; ++i) {
      const double w = FloatAt(want, i);
      if (std::isfinite(w)) scale = std::max(scale, std::abs(w));
    }
    for (int64_t i = 0; i < n; ++i) {
      const double g = FloatAt(got, i), w = FloatAt(want, i);
      if (g == w || (std::isnan(g) && std::isnan(w))) {
        ++exact;
        if (std::isfinite(w)) ++finite;
        continue;
      }
      if (!std::isfinite(g) || !std::isfinite(w)) {
        ++c.bad_elements;
        if (c.max_abs_diff != std::numeric_limits<double>::infinity()) {
          c.max_abs_diff = std::numeric_limits<double>::infinity();
          c.worst_index = i;
          c.worst_got = g;
          c.worst_want = w;
        }
        continue;
      }
      const double d = std::abs(g - w);
      sum_abs += d;
      ++finite;
      if (d > tol.atol * scale + tol.rtol * std::abs(w)) ++c.bad_elements;
      if (d > c.max_abs_diff) {
        c.max_abs_diff = d;
        c.worst_index = i;
        c.worst_got = g;
        c.worst_want = w;
      }
    }
  } else if (IsInteger(want.type)) {
    for (int64_t i = 0; i < n; ++i) {
      const long double g = IntAt(got, i), w = IntAt(want, i);
      const double d = static_cast<double>(g > w ? g - w : w - g);
      sum_abs += d;
      ++finite;
      if (d == 0) {
        ++exact;
        continue;
      }
      if (d > static_cast<double>(tol.max_lsb)) ++c.bad_elements;
      if (d > c.max_abs_diff) {
        c.max_abs_diff = d;
        c.worst_index = i;
        c.worst_got = static_cast<double>(g);
        c.worst_want = static_cast<double>(w);
      }
    }
  } else {
    return not_comparable(fmt::format("{} outputs are not compared", c.dtype));
  }
  c.mean_abs_diff = finite ? sum_abs / static_cast<double>(finite) : 0;
  c.exact_fraction = static_cast<double>(exact) / static_cast<double>(n);
  c.pass =
      c.bad_elements == 0 && (IsFloat(want.type) || c.exact_fraction >= tol.min_exact_fraction);
  return c;
}

std::string DescribeComparison(const OutputComparison& c) {
  std::string head = fmt::format("output '{}' ({}, {} elements)", c.name, c.dtype, c.elements);
  if (!c.comparable) return head + ": " + c.why_not;
  if (c.worst_index < 0) return head + ": equal";
  return fmt::format(
      "{}: {} beyond tolerance, max |diff| {:.6g} at element {} (got {:.6g}, want "
      "{:.6g})",
      head, c.bad_elements, c.max_abs_diff, c.worst_index, c.worst_got, c.worst_want);
}

}  // namespace litescope::analyzers
