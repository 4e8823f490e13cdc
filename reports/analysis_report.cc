#include "reports/analysis_report.h"

#include <algorithm>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "reports/git_revision.h"

namespace litescope::reports {
namespace {

using analyzers::ModelSummary;
using analyzers::OperatorSummary;
using analyzers::OptionValue;
using analyzers::QuantizationScheme;
using analyzers::SubgraphSummary;
using analyzers::TensorQuantization;
using analyzers::TensorSummary;
using nlohmann::json;

constexpr char kRule[] = "---------------------------------------------------------------\n";

json OptionToJson(const OptionValue& v) {
  return std::visit([](const auto& x) { return json(x); }, v);
}

json QuantizationToJson(const TensorQuantization& q) {
  json j = {{"scheme", analyzers::QuantizationSchemeName(q.scheme)},
            {"scale_count", q.scale_count},
            {"scales", q.scales},
            {"zero_points", q.zero_points},
            {"quantized_dimension", q.quantized_dimension},
            {"has_min_max", q.has_min_max}};
  if (q.scheme == QuantizationScheme::kBlockwise || q.scheme == QuantizationScheme::kMultiAxis) {
    j["scales_tensor"] = q.scales_tensor;
    j["zero_points_tensor"] = q.zero_points_tensor;
    j["block_size"] = q.block_size;
  }
  return j;
}

json TensorToJson(const TensorSummary& t) {
  return {{"index", t.index},
          {"name", t.name},
          {"dtype", runtime::DataTypeName(t.type)},
          {"shape", t.shape},
          {"shape_signature", t.has_shape_signature ? json(t.shape_signature) : json(nullptr)},
          {"elements", t.elements},
          {"buffer", t.buffer},
          {"is_constant", t.is_constant},
          {"constant_bytes", t.constant_bytes},
          {"is_variable", t.is_variable},
          {"is_sparse", t.is_sparse},
          {"quantization", QuantizationToJson(t.quantization)}};
}

json OperatorToJson(const OperatorSummary& op) {
  json options = json::object();
  for (const auto& o : op.options) options[o.name] = OptionToJson(o.value);
  return {{"index", op.index},         {"op", op.op},
          {"is_custom", op.is_custom}, {"opcode_index", op.opcode_index},
          {"version", op.version},     {"inputs", op.inputs},
          {"outputs", op.outputs},     {"intermediates", op.intermediates},
          {"options", options},        {"custom_options_bytes", op.custom_options_bytes}};
}

json SubgraphToJson(const SubgraphSummary& sg) {
  json ops = json::array(), tensors = json::array();
  for (const auto& op : sg.operators) ops.push_back(OperatorToJson(op));
  for (const auto& t : sg.tensors) tensors.push_back(TensorToJson(t));
  return {{"index", sg.index},
          {"name", sg.name},
          {"inputs", sg.inputs},
          {"outputs", sg.outputs},
          {"operator_count", sg.operators.size()},
          {"tensor_count", sg.tensors.size()},
          {"operators", ops},
          {"tensors", tensors}};
}

// ---- text helpers ----

std::string TensorLabel(int32_t subgraph, int32_t tensor) {
  // TFLite's Analyzer spelling: T#5 in subgraph 0, T#1_5 in subgraph 1.
  if (subgraph != 0 && tensor != -1) return fmt::format("T#{}_{}", subgraph, tensor);
  return fmt::format("T#{}", tensor);
}

std::string TensorList(int32_t subgraph, const std::vector<int32_t>& tensors) {
  std::string out;
  for (size_t i = 0; i < tensors.size(); ++i)
    out += (i ? ", " : "") + TensorLabel(subgraph, tensors[i]);
  return out;
}

template <typename T>
std::string ListText(const std::vector<T>& v) {
  return fmt::format("[{}]", fmt::join(v, ", "));
}

std::string OptionText(const OptionValue& v) {
  return std::visit(
      [](const auto& x) -> std::string {
        using X = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<X, bool>)
          return x ? "true" : "false";
        else if constexpr (std::is_same_v<X, std::vector<int64_t>>)
          return ListText(x);
        else if constexpr (std::is_same_v<X, std::string>)
          return x.empty() ? "''" : x;
        else
          return fmt::format("{}", x);
      },
      v);
}

std::string QuantizationText(const TensorQuantization& q) {
  switch (q.scheme) {
    case QuantizationScheme::kNone:
      return "-";
    case QuantizationScheme::kPerTensor:
      return fmt::format("scale={} zp={}", q.scales.front(),
                         q.zero_points.empty() ? 0 : q.zero_points.front());
    case QuantizationScheme::kPerChannel:
      return fmt::format("per-channel({}) dim={} scale={}{} zp={}", q.scale_count,
                         q.quantized_dimension, ListText(q.scales),
                         q.scale_count > static_cast<int64_t>(q.scales.size()) ? "..." : "",
                         ListText(q.zero_points));
    case QuantizationScheme::kBlockwise:
    case QuantizationScheme::kMultiAxis:
      return fmt::format("{} block={} scales=T#{}", analyzers::QuantizationSchemeName(q.scheme),
                         q.block_size, q.scales_tensor);
    case QuantizationScheme::kCustom:
      return "custom";
  }
  return "?";
}

std::string CountsText(const std::map<std::string, int64_t>& counts) {
  std::string out;
  for (const auto& [k, v] : counts) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", k, v);
  return out.empty() ? "-" : out;
}

double Percent(int64_t part, int64_t whole) {
  return whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

void AppendModel(const ModelSummary& s, std::string& out) {
  out += fmt::format("=== {} ===\n", s.path);
  out += fmt::format("  file size:           {} bytes\n", s.file_bytes);
  out += fmt::format("  sha256:              {}\n", s.sha256);
  out += fmt::format("  schema version:      {}\n", s.schema_version);
  if (!s.description.empty()) out += fmt::format("  description:         {}\n", s.description);
  out += fmt::format("  min runtime version: {}\n", s.min_runtime_version.value_or("-"));
  out += fmt::format("  quantization:        {}\n", QuantizationKindName(s.quantization_kind));
  out += fmt::format("  subgraphs: {}, operators: {}, tensors: {}, parameters: {}\n",
                     s.subgraphs.size(), s.operator_count, s.tensor_count, s.parameter_count);
  for (const auto& w : s.warnings) out += fmt::format("  warning: {}\n", w);
}

void AppendSubgraph(const SubgraphSummary& sg, std::string& out) {
  out += fmt::format("\nSubgraph#{} {}({}) -> [{}]\n", sg.index, sg.name,
                     TensorList(sg.index, sg.inputs), TensorList(sg.index, sg.outputs));
  for (const OperatorSummary& op : sg.operators) {
    std::string line =
        fmt::format("  Op#{} {}({}) -> [{}]", op.index, op.op, TensorList(sg.index, op.inputs),
                    TensorList(sg.index, op.outputs));
    line += fmt::format("  v{}", op.version);
    for (const auto& o : op.options) line += fmt::format(" {}={}", o.name, OptionText(o.value));
    if (op.is_custom) line += fmt::format(" custom_options={}B", op.custom_options_bytes);
    out += line + "\n";
  }
  out += fmt::format("Tensors of Subgraph#{}\n", sg.index);
  struct Row {
    std::string label, type, shape, bytes, buffer, quant, name;
  };
  std::vector<Row> rows;
  rows.push_back({"T#", "type", "shape", "const bytes", "buffer", "quantization", "name"});
  for (const TensorSummary& t : sg.tensors) {
    std::string shape = ListText(t.shape);
    if (t.has_shape_signature && t.shape_signature != t.shape)
      shape += " sig" + ListText(t.shape_signature);
    std::string flags = t.is_variable ? " (variable)" : "";
    if (t.is_sparse) flags += " (sparse)";
    rows.push_back({TensorLabel(sg.index, t.index), runtime::DataTypeName(t.type), shape,
                    t.is_constant ? fmt::format("RO {}", t.constant_bytes) : "-",
                    t.buffer ? std::to_string(t.buffer) : "-", QuantizationText(t.quantization),
                    t.name + flags});
  }
  size_t w[6] = {0, 0, 0, 0, 0, 0};
  for (const Row& r : rows) {
    const std::string* cols[6] = {&r.label, &r.type, &r.shape, &r.bytes, &r.buffer, &r.quant};
    for (int i = 0; i < 6; ++i) w[i] = std::max(w[i], cols[i]->size());
  }
  for (const Row& r : rows) {
    out +=
        fmt::format("  {:<{}}  {:<{}}  {:<{}}  {:>{}}  {:>{}}  {:<{}}  {}\n", r.label, w[0], r.type,
                    w[1], r.shape, w[2], r.bytes, w[3], r.buffer, w[4], r.quant, w[5], r.name);
  }
}

void AppendSignatures(const ModelSummary& s, std::string& out) {
  if (s.signatures.empty()) return;
  out += kRule;
  out += fmt::format("Your TFLite model has '{}' signature_def(s).\n", s.signatures.size());
  for (size_t i = 0; i < s.signatures.size(); ++i) {
    const auto& sig = s.signatures[i];
    const auto sg = static_cast<int32_t>(sig.subgraph_index);
    out += fmt::format("\nSignature#{} key: '{}'\n- Subgraph: Subgraph#{}\n- Inputs:\n", i, sig.key,
                       sig.subgraph_index);
    for (const auto& in : sig.inputs)
      out +=
          fmt::format("    '{}' : {}\n", in.name, TensorLabel(sg, static_cast<int32_t>(in.tensor)));
    out += "- Outputs:\n";
    for (const auto& o : sig.outputs)
      out +=
          fmt::format("    '{}' : {}\n", o.name, TensorLabel(sg, static_cast<int32_t>(o.tensor)));
  }
}

void AppendMetadata(const ModelSummary& s, std::string& out) {
  if (s.metadata.empty()) return;
  out += kRule;
  out += fmt::format("Metadata ({} entries)\n", s.metadata.size());
  for (const auto& m : s.metadata) {
    out += fmt::format("  {}: buffer {}, {} bytes", m.name, m.buffer, m.bytes);
    if (m.text) out += fmt::format(", value '{}'", *m.text);
    out += "\n";
  }
}

void AppendSize(const ModelSummary& s, std::string& out) {
  const auto& z = s.size;
  out += kRule;
  out += fmt::format("{:>24}: {:>10} bytes\n", "Model size", z.model_bytes);
  out += fmt::format("{:>24}: {:>10} bytes ({:05.2f} %)\n", "Non-data buffer size",
                     z.non_data_bytes, Percent(z.non_data_bytes, z.model_bytes));
  out += fmt::format("{:>24}: {:>10} bytes ({:05.2f} %)\n", "Total data buffer size",
                     z.data_buffer_bytes, Percent(z.data_buffer_bytes, z.model_bytes));
  out += fmt::format("{:>24}: {:>10} bytes ({:05.2f} %)\n", "(Zero value buffers)",
                     z.zero_value_buffer_bytes, Percent(z.zero_value_buffer_bytes, z.model_bytes));
}

void AppendCounts(const ModelSummary& s, std::string& out) {
  out += kRule;
  out += fmt::format("Operators: {} in {} subgraph(s)\n", s.operator_count, s.subgraphs.size());
  for (const auto* counts : {&s.builtin_op_counts, &s.custom_op_counts}) {
    std::vector<std::pair<std::string, int64_t>> sorted(counts->begin(), counts->end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    for (const auto& [name, n] : sorted)
      out += fmt::format("  {:<32} {:>6}{}\n", name, n,
                         counts == &s.custom_op_counts ? "  (custom)" : "");
  }
  out += fmt::format("Parameters: {} (elements of constant tensors)\n", s.parameter_count);
  const auto& q = s.quantization;
  out += fmt::format("Quantization: {}\n", QuantizationKindName(s.quantization_kind));
  out += fmt::format("  activation tensors: {}\n", CountsText(q.activation_tensor_dtypes));
  out += fmt::format("  constant tensors:   {}\n", CountsText(q.constant_tensor_dtypes));
  out += fmt::format(
      "  dequantize from constants: {}; hybrid weight ops: {}; sparse tensors: {}; "
      "variable tensors: {}\n",
      CountsText(q.dequantize_from_const), q.hybrid_weight_ops, q.sparse_tensors,
      q.variable_tensors);
}

}  // namespace

nlohmann::json AnalysisToJson(const ModelSummary& s) {
  json subgraphs = json::array(), signatures = json::array(), metadata = json::array();
  for (const auto& sg : s.subgraphs) subgraphs.push_back(SubgraphToJson(sg));
  for (const auto& sig : s.signatures) {
    json in = json::array(), out = json::array();
    for (const auto& t : sig.inputs) in.push_back({{"name", t.name}, {"tensor", t.tensor}});
    for (const auto& t : sig.outputs) out.push_back({{"name", t.name}, {"tensor", t.tensor}});
    signatures.push_back({{"key", sig.key},
                          {"subgraph_index", sig.subgraph_index},
                          {"inputs", in},
                          {"outputs", out}});
  }
  for (const auto& m : s.metadata) {
    metadata.push_back({{"name", m.name},
                        {"buffer", m.buffer},
                        {"bytes", m.bytes},
                        {"text", m.text ? json(*m.text) : json(nullptr)}});
  }
  const auto& q = s.quantization;
  json j;
  j["schema_version"] = kAnalyzeSchemaVersion;
  j["tool"] = {
      {"name", "tflite_analyze"}, {"version", LITESCOPE_VERSION}, {"git_revision", GitRevision()}};
  j["model"] = {{"path", s.path},
                {"file_size_bytes", s.file_bytes},
                {"sha256", s.sha256},
                {"schema_version", s.schema_version},
                {"description", s.description},
                {"min_runtime_version",
                 s.min_runtime_version ? json(*s.min_runtime_version) : json(nullptr)}};
  j["subgraph_count"] = s.subgraphs.size();
  j["operator_count"] = s.operator_count;
  j["tensor_count"] = s.tensor_count;
  j["parameter_count"] = s.parameter_count;
  j["builtin_ops"] = s.builtin_op_counts;
  j["custom_ops"] = s.custom_op_counts;
  j["quantization"] = {{"kind", QuantizationKindName(s.quantization_kind)},
                       {"activation_tensor_dtypes", q.activation_tensor_dtypes},
                       {"constant_tensor_dtypes", q.constant_tensor_dtypes},
                       {"dequantize_from_const", q.dequantize_from_const},
                       {"hybrid_weight_ops", q.hybrid_weight_ops},
                       {"sparse_tensors", q.sparse_tensors},
                       {"variable_tensors", q.variable_tensors}};
  j["size"] = {{"model_bytes", s.size.model_bytes},
               {"non_data_bytes", s.size.non_data_bytes},
               {"data_buffer_bytes", s.size.data_buffer_bytes},
               {"zero_value_buffer_bytes", s.size.zero_value_buffer_bytes},
               {"buffer_count", s.size.buffer_count}};
  j["subgraphs"] = subgraphs;
  j["signatures"] = signatures;
  j["metadata"] = metadata;
  j["warnings"] = s.warnings;
  return j;
}

std::string AnalysisToText(const ModelSummary& s) {
  std::string out;
  AppendModel(s, out);
  out += fmt::format(
      "\nYour TFLite model has '{}' subgraph(s). T# represents the tensor numbers; options "
      "follow each op.\n",
      s.subgraphs.size());
  for (const auto& sg : s.subgraphs) AppendSubgraph(sg, out);
  AppendSignatures(s, out);
  AppendMetadata(s, out);
  AppendSize(s, out);
  AppendCounts(s, out);
  return out;
}

}  // namespace litescope::reports
