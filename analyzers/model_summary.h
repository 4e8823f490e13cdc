#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "runtime/data_type.h"
#include "runtime/model.h"

namespace litescope::analyzers {

// The structure of a loaded model as plain data: what `tflite_analyze` prints. Every field is
// read from the flatbuffer (nothing runs). Counts of the form "per dtype" or "per op" are keyed
// by schema spelling ("FLOAT32", "CONV_2D") and ordered by key.

// Value of one operator option. Enumerations are stored as their schema spelling ("SAME",
// "RELU6"); integer lists (squeeze_dims, new_shape) as vectors.
using OptionValue = std::variant<bool, int64_t, double, std::string, std::vector<int64_t>>;

struct OpOption {
  std::string name;  // schema field name, snake_case: "stride_w", "fused_activation_function"
  OptionValue value;
};

// How a tensor's quantization parameters are laid out.
enum class QuantizationScheme {
  kNone,        // no scales
  kPerTensor,   // one scale / zero point
  kPerChannel,  // one scale per slice along quantized_dimension
  kBlockwise,   // BlockwiseQuantization details (scales live in another tensor)
  kMultiAxis,   // MultiAxisQuantization details
  kCustom,      // CustomQuantization details (opaque bytes)
};
// "none", "per_tensor", "per_channel", "blockwise", "multi_axis", "custom".
const char* QuantizationSchemeName(QuantizationScheme scheme);

// At most this many scales and zero points are copied per tensor (the counts are exact).
inline constexpr size_t kMaxListedQuantValues = 4;

struct TensorQuantization {
  QuantizationScheme scheme = QuantizationScheme::kNone;
  int64_t scale_count = 0;           // all scales of the tensor
  std::vector<float> scales;         // first kMaxListedQuantValues
  std::vector<int64_t> zero_points;  // first kMaxListedQuantValues (may be empty)
  int32_t quantized_dimension = 0;
  bool has_min_max = false;
  // kBlockwise / kMultiAxis: tensor indices of scales and zero points (-1 = none), block size.
  int32_t scales_tensor = -1;
  int32_t zero_points_tensor = -1;
  int32_t block_size = 0;
};

struct TensorSummary {
  int32_t index = 0;
  std::string name;
  runtime::DataType type = runtime::DataType::kFloat32;
  std::vector<int32_t> shape;
  bool has_shape_signature = false;
  std::vector<int32_t> shape_signature;  // -1 marks a dynamic dimension
  int64_t elements = 0;                  // product of `shape` (1 for a scalar)
  uint32_t buffer = 0;
  bool is_constant = false;    // its buffer holds data
  int64_t constant_bytes = 0;  // bytes of that data; 0 when not constant
  bool is_variable = false;
  bool is_sparse = false;
  TensorQuantization quantization;
};

struct OperatorSummary {
  int32_t index = 0;
  uint32_t opcode_index = 0;
  std::string op;  // "CONV_2D", or the custom code of a custom op
  bool is_custom = false;
  int32_t version = 1;
  std::vector<int32_t> inputs;  // -1 marks an omitted optional input
  std::vector<int32_t> outputs;
  std::vector<int32_t> intermediates;
  std::vector<OpOption> options;  // key builtin options, in schema order
  int64_t custom_options_bytes = 0;
};

struct SubgraphSummary {
  int32_t index = 0;
  std::string name;
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
  std::vector<OperatorSummary> operators;  // execution order
  std::vector<TensorSummary> tensors;
};

struct SignatureTensor {
  std::string name;
  uint32_t tensor = 0;
};

struct SignatureSummary {
  std::string key;
  uint32_t subgraph_index = 0;
  std::vector<SignatureTensor> inputs;
  std::vector<SignatureTensor> outputs;
};

struct MetadataEntry {
  std::string name;
  uint32_t buffer = 0;
  int64_t bytes = 0;
  std::optional<std::string> text;  // decoded value of entries known to hold text
};

// The split TFLite's Analyzer prints: every buffer's data counts as data, whatever uses it
// (tensors or metadata); the rest of the file is "non-data" (tables, strings, padding).
struct SizeSplit {
  int64_t model_bytes = 0;
  int64_t non_data_bytes = 0;
  int64_t data_buffer_bytes = 0;
  int64_t zero_value_buffer_bytes = 0;  // data of buffers whose bytes are all zero
  int64_t buffer_count = 0;
};

// Counters behind the quantization kind (all subgraphs together).
struct QuantizationDetails {
  std::map<std::string, int64_t> activation_tensor_dtypes;  // non-constant tensors per dtype
  std::map<std::string, int64_t> constant_tensor_dtypes;    // constant tensors per dtype
  std::map<std::string, int64_t> dequantize_from_const;  // DEQUANTIZE of a constant, by its dtype
  int64_t hybrid_weight_ops = 0;  // float activations consuming constant integer weights
  int64_t sparse_tensors = 0;
  int64_t variable_tensors = 0;
};

enum class QuantizationKind { kFloat32, kFp16Weights, kInt8, kUInt8, kHybrid, kInt16x8 };
// "float32", "fp16-weights", "int8", "uint8", "hybrid", "int16x8".
const char* QuantizationKindName(QuantizationKind kind);

struct ModelSummary {
  std::string path;  // Model::name()
  uint32_t schema_version = 0;
  std::string description;
  int64_t file_bytes = 0;
  std::string sha256;  // lower-case hex of the whole file
  std::optional<std::string> min_runtime_version;
  std::vector<SubgraphSummary> subgraphs;
  std::vector<SignatureSummary> signatures;
  std::vector<MetadataEntry> metadata;
  SizeSplit size;
  std::map<std::string, int64_t> builtin_op_counts;  // all subgraphs
  std::map<std::string, int64_t> custom_op_counts;   // all subgraphs
  int64_t operator_count = 0;
  int64_t tensor_count = 0;
  int64_t parameter_count = 0;  // elements of constant tensors
  QuantizationDetails quantization;
  QuantizationKind quantization_kind = QuantizationKind::kFloat32;
  std::vector<std::string> warnings;  // the loader's
};

// Reads the structure of a verified model. Cannot fail: Model::FromFile already proved every
// index and size that this reads.
ModelSummary SummarizeModel(const runtime::Model& model);

// The quantization kind that `details` implies (rules in model_summary.cc).
QuantizationKind ClassifyQuantization(const QuantizationDetails& details);

}  // namespace litescope::analyzers
