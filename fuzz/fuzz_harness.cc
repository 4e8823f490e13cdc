#include "fuzz/fuzz_harness.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "analyzers/model_summary.h"
#include "runtime/op_registry.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::fuzz {
namespace {

// Reads bytes so that the sanitizers check them and the compiler cannot drop the loads.
void Touch(const void* data, size_t bytes) {
  if (!data || bytes == 0) return;
  const auto* p = static_cast<const uint8_t*>(data);
  uint8_t sum = 0;
  for (size_t i = 0; i < bytes; ++i) sum = static_cast<uint8_t>(sum + p[i]);
  volatile uint8_t sink = sum;
  (void)sink;
}

// Work units (about one multiply-add each) above which an input is loaded and allocated but
// not invoked: roughly a second under AddressSanitizer.
constexpr double kMaxInvokeWork = 5e7;

const runtime::OpRegistry& Registry() {
  static const runtime::OpRegistry kRegistry = runtime::OpRegistry::WithBuiltins();
  return kRegistry;
}

// An element of the fill pattern: small values, a few of them zero.
int64_t PatternValue(size_t i, int salt) {
  const uint64_t h = (static_cast<uint64_t>(i) + 1) * 0x9e3779b97f4a7c15ull +
                     static_cast<uint64_t>(salt) * 0x632be59bd9b4e5bull;
  return static_cast<int64_t>((h >> 33) % 9) - 3;  // [-3, 5]
}

int64_t Elements(const runtime::Subgraph& sg, int t) {
  if (t < 0 || t >= static_cast<int>(sg.tensors().size())) return 0;
  int64_t n = 0;
  return sg.tensors()[static_cast<size_t>(t)].shape.CheckedFlatSize(&n) ? n : 0;
}

int32_t Dim(const runtime::Subgraph& sg, int t, int d) {
  if (t < 0 || t >= static_cast<int>(sg.tensors().size())) return 1;
  const runtime::Shape& s = sg.tensors()[static_cast<size_t>(t)].shape;
  // d may be negative: callers ask for "rank - 2" of tensors whose rank a mutant lowered.
  return d >= 0 && d < s.rank() ? std::max(s.dim(d), 1) : 1;
}

// Rough cost of a node: the multiply-adds of the ops that reduce (convolutions, matrix
// products, pooling windows) plus kPerElement for every input and output element (visiting an
// element through broadcasting or indexing code costs far more than one multiply-add under
// the sanitizers). Used only to skip inputs that would run for seconds: a large but valid model
// is not a hang.
constexpr double kPerElement = 32;

double NodeWork(const runtime::Subgraph& sg, const runtime::Node& node) {
  using schema::BuiltinOperator;
  double in = 0, out = 0;
  for (int t : node.inputs) in += kPerElement * static_cast<double>(Elements(sg, t));
  for (int t : node.outputs) out += kPerElement * static_cast<double>(Elements(sg, t));
  const int w = node.inputs.size() > 1 ? node.inputs[1] : -1;
  const double filter = static_cast<double>(Elements(sg, w));
  switch (static_cast<BuiltinOperator>(node.op)) {
    case BuiltinOperator::CONV_2D:
    case BuiltinOperator::FULLY_CONNECTED:
      return in + out + out / kPerElement * (filter / Dim(sg, w, 0));
    case BuiltinOperator::DEPTHWISE_CONV_2D:
      return in + out + out / kPerElement * Dim(sg, w, 1) * Dim(sg, w, 2);
    case BuiltinOperator::TRANSPOSE_CONV: {
      const int x = node.inputs.size() > 2 ? node.inputs[2] : -1;
      return in + out + static_cast<double>(Elements(sg, x)) * (filter / Dim(sg, w, 3));
    }
    case BuiltinOperator::BATCH_MATMUL: {
      const int a = node.inputs.empty() ? -1 : node.inputs[0];
      const int rank = a >= 0 ? sg.tensors()[static_cast<size_t>(a)].shape.rank() : 0;
      return in + out + out / kPerElement * std::max(Dim(sg, a, rank - 1), Dim(sg, a, rank - 2));
    }
    case BuiltinOperator::AVERAGE_POOL_2D:
    case BuiltinOperator::MAX_POOL_2D:
    case BuiltinOperator::L2_POOL_2D: {
      const auto* o = node.fb->builtin_options_as_Pool2DOptions();
      const int x = node.inputs.empty() ? -1 : node.inputs[0];
      const double fh = o ? std::clamp(o->filter_height(), 1, Dim(sg, x, 1)) : 1;
      const double fw = o ? std::clamp(o->filter_width(), 1, Dim(sg, x, 2)) : 1;
      return in + out * fh * fw;
    }
    case BuiltinOperator::LOCAL_RESPONSE_NORMALIZATION:
    case BuiltinOperator::RFFT2D:
    case BuiltinOperator::TOPK_V2:
      return (in + out) * 8;
    default:
      return in + out;
  }
}

// Work of one Invoke: every allocated subgraph, callees of control flow counted once per WHILE
// iteration the limit allows (twice that nesting for WHILE inside a callee).
double InvokeWork(runtime::Interpreter& interp) {
  double primary = 0, callees = 0;
  bool loops = false, nested_loops = false;
  for (int s = 0; s < interp.subgraph_count(); ++s) {
    const runtime::Subgraph& sg = *interp.subgraph(s);
    for (const runtime::Node& node : sg.nodes()) {
      const bool is_while = node.op == static_cast<int32_t>(schema::BuiltinOperator::WHILE);
      (s == 0 ? loops : nested_loops) |= is_while;
      (s == 0 ? primary : callees) += NodeWork(sg, node);
    }
  }
  const double limit = static_cast<double>(FuzzInterpreterOptions().max_while_iterations);
  return primary + callees * (nested_loops ? limit * limit : loops ? limit : 1.0);
}

}  // namespace

runtime::LoadOptions FuzzLoadOptions() {
  runtime::LoadOptions options;
  options.max_tensor_bytes = int64_t{64} << 20;
  return options;
}

runtime::InterpreterOptions FuzzInterpreterOptions() {
  runtime::InterpreterOptions options;
  options.num_threads = 1;
  options.max_arena_bytes = int64_t{64} << 20;
  options.max_while_iterations = 1000;
  options.max_subgraph_depth = 16;
  return options;
}

void FillInput(runtime::Tensor& tensor, int salt) {
  using runtime::DataType;
  if (!tensor.data || tensor.bytes == 0 || tensor.is_constant()) return;
  auto* bytes = static_cast<uint8_t*>(tensor.data);
  auto fill = [&](auto tag) {
    using T = decltype(tag);
    const size_t n = tensor.bytes / sizeof(T);
    for (size_t i = 0; i < n; ++i) {
      const T v = static_cast<T>(PatternValue(i, salt));
      std::memcpy(bytes + i * sizeof(T), &v, sizeof(T));
    }
  };
  switch (tensor.type) {
    case DataType::kFloat32: {
      const size_t n = tensor.bytes / sizeof(float);
      for (size_t i = 0; i < n; ++i) {
        const float v = static_cast<float>(PatternValue(i, salt)) * 0.5f;
        std::memcpy(bytes + i * sizeof(float), &v, sizeof(float));
      }
      return;
    }
    case DataType::kFloat64: {
      const size_t n = tensor.bytes / sizeof(double);
      for (size_t i = 0; i < n; ++i) {
        const double v = static_cast<double>(PatternValue(i, salt)) * 0.5;
        std::memcpy(bytes + i * sizeof(double), &v, sizeof(double));
      }
      return;
    }
    case DataType::kBool:
      for (size_t i = 0; i < tensor.bytes; ++i) bytes[i] = static_cast<uint8_t>((i + salt) & 1);
      return;
    case DataType::kInt8:
      return fill(int8_t{});
    case DataType::kUInt8:
      return fill(uint8_t{});
    case DataType::kInt16:
      return fill(int16_t{});
    case DataType::kUInt16:
      return fill(uint16_t{});
    case DataType::kInt32:
      return fill(int32_t{});
    case DataType::kUInt32:
      return fill(uint32_t{});
    case DataType::kInt64:
      return fill(int64_t{});
    case DataType::kUInt64:
      return fill(uint64_t{});
    default:
      // Half floats, packed and string types: a byte pattern is as good as any other.
      for (size_t i = 0; i < tensor.bytes; ++i)
        bytes[i] = static_cast<uint8_t>(PatternValue(i, salt) & 0x3f);
      return;
  }
}

void RunLoad(const uint8_t* data, size_t size) {
  auto model = runtime::Model::FromBuffer(data, size, "fuzz.tflite", FuzzLoadOptions());
  if (!model.ok()) return;
  const runtime::Model& m = **model;
  for (const runtime::OpCodeInfo& code : m.op_codes()) Touch(code.name.data(), code.name.size());
  const auto* buffers = m.fb()->buffers();
  for (uint32_t i = 0; buffers && i < buffers->size(); ++i) {
    const runtime::Model::Bytes b = m.BufferData(static_cast<int>(i));
    Touch(b.data, b.size);
  }
  const analyzers::ModelSummary summary = analyzers::SummarizeModel(m);
  Touch(summary.sha256.data(), summary.sha256.size());
  auto interp = runtime::Interpreter::Create(*model, Registry(), FuzzInterpreterOptions());
  if (!interp.ok()) return;
  for (int s = 0; s < (*interp)->subgraph_count(); ++s) {
    const runtime::Subgraph& sg = *(*interp)->subgraph(s);
    for (const runtime::Tensor& t : sg.tensors())
      if (t.is_constant()) Touch(t.data, t.bytes);
  }
}

void RunInvoke(const uint8_t* data, size_t size, const std::vector<runtime::Delegate*>& delegates) {
  auto model = runtime::Model::FromBuffer(data, size, "fuzz.tflite", FuzzLoadOptions());
  if (!model.ok()) return;
  auto created = runtime::Interpreter::Create(*model, Registry(), FuzzInterpreterOptions());
  if (!created.ok()) return;
  runtime::Interpreter& interp = **created;
  for (runtime::Delegate* delegate : delegates) {
    if (!interp.ApplyDelegate(*delegate).ok()) return;
  }
  if (!interp.AllocateTensors().ok()) return;
  // Valid models that take seconds (a big convolution, a long loop) are not findings.
  if (InvokeWork(interp) > kMaxInvokeWork) return;
  for (int i = 0; i < interp.input_count(); ++i) FillInput(*interp.input(i), i);
  // Twice: the second run reuses the arena, CALL_ONCE skips its subgraph and WHILE loops start
  // from callee state left by the first run.
  for (int run = 0; run < 2; ++run) {
    if (!interp.Invoke().ok()) return;
    for (int o = 0; o < interp.output_count(); ++o) {
      const runtime::Tensor* out = interp.output(o);
      if (out) Touch(out->data, out->bytes);
    }
  }
}

}  // namespace litescope::fuzz
