#include "analyzers/model_summary.h"

#include <algorithm>
#include <limits>

#include "analyzers/sha256.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::analyzers {
namespace {

namespace fbs = litescope::schema;

template <typename T>
uint32_t VecSize(const flatbuffers::Vector<T>* v) {
  return v ? v->size() : 0;
}

template <typename T>
std::vector<int32_t> ToIntVector(const flatbuffers::Vector<T>* v) {
  std::vector<int32_t> out;
  for (uint32_t i = 0; i < VecSize(v); ++i) out.push_back(static_cast<int32_t>(v->Get(i)));
  return out;
}

std::string Str(const flatbuffers::String* s) { return s ? s->str() : std::string(); }

// An enum's schema spelling, or its number when this schema has no name for it.
std::string EnumText(const char* name, int value) {
  return (name && *name) ? std::string(name) : std::to_string(value);
}

// Collects the options of one operator in schema order.
class OptionWriter {
 public:
  explicit OptionWriter(std::vector<OpOption>& out) : out_(out) {}

  void Int(const char* name, int64_t v) { out_.push_back({name, v}); }
  void Bool(const char* name, bool v) { out_.push_back({name, v}); }
  void Real(const char* name, float v) { out_.push_back({name, static_cast<double>(v)}); }
  void Text(const char* name, std::string v) { out_.push_back({name, std::move(v)}); }
  template <typename T>
  void List(const char* name, const flatbuffers::Vector<T>* v) {
    std::vector<int64_t> values;
    for (uint32_t i = 0; i < VecSize(v); ++i) values.push_back(static_cast<int64_t>(v->Get(i)));
    out_.push_back({name, std::move(values)});
  }
  void Padding(fbs::Padding p) {
    Text("padding", EnumText(fbs::EnumNamePadding(p), static_cast<int>(p)));
  }
  void Activation(fbs::ActivationFunctionType a) {
    Text("fused_activation_function",
         EnumText(fbs::EnumNameActivationFunctionType(a), static_cast<int>(a)));
  }
  void Type(const char* name, fbs::TensorType t) {
    Text(name, EnumText(fbs::EnumNameTensorType(t), static_cast<int>(t)));
  }

 private:
  std::vector<OpOption>& out_;
};

// The options worth showing for the common builtin ops. Ops not listed here report none.
//
// This reads the flatbuffer, not runtime::OpParams, on purpose: the summary shows what the file
// holds, keyed by the options table's type (whatever the opcode), including values the runtime's
// parsers reject (an undefined padding prints as its number) and options of ops the runtime has
// no kernel or parser for (CONV_3D, LSTM, ONE_HOT, ...). Parsed structs would hide exactly what
// a model inspector is for.
void ReadBuiltinOptions(const fbs::Operator& op, std::vector<OpOption>& out) {
  // The verifier accepts an options type without its table; there is nothing to show then.
  if (!op.builtin_options()) return;
  OptionWriter w(out);
  using T = fbs::BuiltinOptions;
  switch (op.builtin_options_type()) {
    case T::Conv2DOptions: {
      const auto* o = op.builtin_options_as_Conv2DOptions();
      w.Padding(o->padding());
      w.Int("stride_w", o->stride_w());
      w.Int("stride_h", o->stride_h());
      w.Int("dilation_w_factor", o->dilation_w_factor());
      w.Int("dilation_h_factor", o->dilation_h_factor());
      w.Activation(o->fused_activation_function());
      if (o->quantized_bias_type() != fbs::TensorType::FLOAT32)
        w.Type("quantized_bias_type", o->quantized_bias_type());
      break;
    }
    case T::DepthwiseConv2DOptions: {
      const auto* o = op.builtin_options_as_DepthwiseConv2DOptions();
      w.Padding(o->padding());
      w.Int("stride_w", o->stride_w());
      w.Int("stride_h", o->stride_h());
      w.Int("depth_multiplier", o->depth_multiplier());
      w.Int("dilation_w_factor", o->dilation_w_factor());
      w.Int("dilation_h_factor", o->dilation_h_factor());
      w.Activation(o->fused_activation_function());
      break;
    }
    case T::Conv3DOptions: {
      const auto* o = op.builtin_options_as_Conv3DOptions();
      w.Padding(o->padding());
      w.Int("stride_d", o->stride_d());
      w.Int("stride_w", o->stride_w());
      w.Int("stride_h", o->stride_h());
      w.Int("dilation_d_factor", o->dilation_d_factor());
      w.Int("dilation_w_factor", o->dilation_w_factor());
      w.Int("dilation_h_factor", o->dilation_h_factor());
      w.Activation(o->fused_activation_function());
      break;
    }
    case T::TransposeConvOptions: {
      const auto* o = op.builtin_options_as_TransposeConvOptions();
      w.Padding(o->padding());
      w.Int("stride_w", o->stride_w());
      w.Int("stride_h", o->stride_h());
      w.Activation(o->fused_activation_function());
      break;
    }
    case T::Pool2DOptions: {
      const auto* o = op.builtin_options_as_Pool2DOptions();
      w.Padding(o->padding());
      w.Int("stride_w", o->stride_w());
      w.Int("stride_h", o->stride_h());
      w.Int("filter_width", o->filter_width());
      w.Int("filter_height", o->filter_height());
      w.Activation(o->fused_activation_function());
      break;
    }
    case T::FullyConnectedOptions: {
      const auto* o = op.builtin_options_as_FullyConnectedOptions();
      w.Activation(o->fused_activation_function());
      w.Text("weights_format",
             EnumText(fbs::EnumNameFullyConnectedOptionsWeightsFormat(o->weights_format()),
                      static_cast<int>(o->weights_format())));
      w.Bool("keep_num_dims", o->keep_num_dims());
      w.Bool("asymmetric_quantize_inputs", o->asymmetric_quantize_inputs());
      if (o->quantized_bias_type() != fbs::TensorType::FLOAT32)
        w.Type("quantized_bias_type", o->quantized_bias_type());
      break;
    }
    case T::SoftmaxOptions:
      w.Real("beta", op.builtin_options_as_SoftmaxOptions()->beta());
      break;
    case T::ConcatenationOptions: {
      const auto* o = op.builtin_options_as_ConcatenationOptions();
      w.Int("axis", o->axis());
      w.Activation(o->fused_activation_function());
      break;
    }
    case T::AddOptions:
      w.Activation(op.builtin_options_as_AddOptions()->fused_activation_function());
      break;
    case T::SubOptions:
      w.Activation(op.builtin_options_as_SubOptions()->fused_activation_function());
      break;
    case T::MulOptions:
      w.Activation(op.builtin_options_as_MulOptions()->fused_activation_function());
      break;
    case T::DivOptions:
      w.Activation(op.builtin_options_as_DivOptions()->fused_activation_function());
      break;
    case T::L2NormOptions:
      w.Activation(op.builtin_options_as_L2NormOptions()->fused_activation_function());
      break;
    case T::LocalResponseNormalizationOptions: {
      const auto* o = op.builtin_options_as_LocalResponseNormalizationOptions();
      w.Int("radius", o->radius());
      w.Real("bias", o->bias());
      w.Real("alpha", o->alpha());
      w.Real("beta", o->beta());
      break;
    }
    case T::LSTMOptions: {
      const auto* o = op.builtin_options_as_LSTMOptions();
      w.Activation(o->fused_activation_function());
      w.Real("cell_clip", o->cell_clip());
      w.Real("proj_clip", o->proj_clip());
      w.Text("kernel_type", EnumText(fbs::EnumNameLSTMKernelType(o->kernel_type()),
                                     static_cast<int>(o->kernel_type())));
      w.Bool("asymmetric_quantize_inputs", o->asymmetric_quantize_inputs());
      break;
    }
    case T::UnidirectionalSequenceLSTMOptions: {
      const auto* o = op.builtin_options_as_UnidirectionalSequenceLSTMOptions();
      w.Activation(o->fused_activation_function());
      w.Real("cell_clip", o->cell_clip());
      w.Real("proj_clip", o->proj_clip());
      w.Bool("time_major", o->time_major());
      w.Bool("asymmetric_quantize_inputs", o->asymmetric_quantize_inputs());
      break;
    }
    case T::BidirectionalSequenceLSTMOptions: {
      const auto* o = op.builtin_options_as_BidirectionalSequenceLSTMOptions();
      w.Activation(o->fused_activation_function());
      w.Real("cell_clip", o->cell_clip());
      w.Real("proj_clip", o->proj_clip());
      w.Bool("merge_outputs", o->merge_outputs());
      w.Bool("time_major", o->time_major());
      break;
    }
    case T::SVDFOptions: {
      const auto* o = op.builtin_options_as_SVDFOptions();
      w.Int("rank", o->rank());
      w.Activation(o->fused_activation_function());
      w.Bool("asymmetric_quantize_inputs", o->asymmetric_quantize_inputs());
      break;
    }
    case T::RNNOptions:
      w.Activation(op.builtin_options_as_RNNOptions()->fused_activation_function());
      break;
    case T::SequenceRNNOptions: {
      const auto* o = op.builtin_options_as_SequenceRNNOptions();
      w.Bool("time_major", o->time_major());
      w.Activation(o->fused_activation_function());
      break;
    }
    case T::ResizeBilinearOptions: {
      const auto* o = op.builtin_options_as_ResizeBilinearOptions();
      w.Bool("align_corners", o->align_corners());
      w.Bool("half_pixel_centers", o->half_pixel_centers());
      break;
    }
    case T::ResizeNearestNeighborOptions: {
      const auto* o = op.builtin_options_as_ResizeNearestNeighborOptions();
      w.Bool("align_corners", o->align_corners());
      w.Bool("half_pixel_centers", o->half_pixel_centers());
      break;
    }
    case T::ReshapeOptions: {
      const auto* o = op.builtin_options_as_ReshapeOptions();
      if (o->new_shape()) w.List("new_shape", o->new_shape());
      break;
    }
    case T::SpaceToDepthOptions:
      w.Int("block_size", op.builtin_options_as_SpaceToDepthOptions()->block_size());
      break;
    case T::DepthToSpaceOptions:
      w.Int("block_size", op.builtin_options_as_DepthToSpaceOptions()->block_size());
      break;
    case T::GatherOptions: {
      const auto* o = op.builtin_options_as_GatherOptions();
      w.Int("axis", o->axis());
      w.Int("batch_dims", o->batch_dims());
      break;
    }
    case T::ReducerOptions:
      w.Bool("keep_dims", op.builtin_options_as_ReducerOptions()->keep_dims());
      break;
    case T::SqueezeOptions:
      w.List("squeeze_dims", op.builtin_options_as_SqueezeOptions()->squeeze_dims());
      break;
    case T::SplitOptions:
      w.Int("num_splits", op.builtin_options_as_SplitOptions()->num_splits());
      break;
    case T::SplitVOptions:
      w.Int("num_splits", op.builtin_options_as_SplitVOptions()->num_splits());
      break;
    case T::StridedSliceOptions: {
      const auto* o = op.builtin_options_as_StridedSliceOptions();
      w.Int("begin_mask", o->begin_mask());
      w.Int("end_mask", o->end_mask());
      w.Int("ellipsis_mask", o->ellipsis_mask());
      w.Int("new_axis_mask", o->new_axis_mask());
      w.Int("shrink_axis_mask", o->shrink_axis_mask());
      w.Bool("offset", o->offset());
      break;
    }
    case T::CastOptions: {
      const auto* o = op.builtin_options_as_CastOptions();
      w.Type("in_data_type", o->in_data_type());
      w.Type("out_data_type", o->out_data_type());
      break;
    }
    case T::ArgMaxOptions:
      w.Type("output_type", op.builtin_options_as_ArgMaxOptions()->output_type());
      break;
    case T::ArgMinOptions:
      w.Type("output_type", op.builtin_options_as_ArgMinOptions()->output_type());
      break;
    case T::ShapeOptions:
      w.Type("out_type", op.builtin_options_as_ShapeOptions()->out_type());
      break;
    case T::PackOptions: {
      const auto* o = op.builtin_options_as_PackOptions();
      w.Int("values_count", o->values_count());
      w.Int("axis", o->axis());
      break;
    }
    case T::UnpackOptions: {
      const auto* o = op.builtin_options_as_UnpackOptions();
      w.Int("num", o->num());
      w.Int("axis", o->axis());
      break;
    }
    case T::LeakyReluOptions:
      w.Real("alpha", op.builtin_options_as_LeakyReluOptions()->alpha());
      break;
    case T::MirrorPadOptions: {
      const auto mode = op.builtin_options_as_MirrorPadOptions()->mode();
      w.Text("mode", EnumText(fbs::EnumNameMirrorPadMode(mode), static_cast<int>(mode)));
      break;
    }
    case T::OneHotOptions:
      w.Int("axis", op.builtin_options_as_OneHotOptions()->axis());
      break;
    case T::BatchMatMulOptions: {
      const auto* o = op.builtin_options_as_BatchMatMulOptions();
      w.Bool("adj_x", o->adj_x());
      w.Bool("adj_y", o->adj_y());
      w.Bool("asymmetric_quantize_inputs", o->asymmetric_quantize_inputs());
      break;
    }
    case T::CumsumOptions: {
      const auto* o = op.builtin_options_as_CumsumOptions();
      w.Bool("exclusive", o->exclusive());
      w.Bool("reverse", o->reverse());
      break;
    }
    case T::GeluOptions:
      w.Bool("approximate", op.builtin_options_as_GeluOptions()->approximate());
      break;
    case T::FakeQuantOptions: {
      const auto* o = op.builtin_options_as_FakeQuantOptions();
      w.Real("min", o->min());
      w.Real("max", o->max());
      w.Int("num_bits", o->num_bits());
      w.Bool("narrow_range", o->narrow_range());
      break;
    }
    case T::UniqueOptions:
      w.Type("idx_out_type", op.builtin_options_as_UniqueOptions()->idx_out_type());
      break;
    case T::ReverseSequenceOptions: {
      const auto* o = op.builtin_options_as_ReverseSequenceOptions();
      w.Int("seq_dim", o->seq_dim());
      w.Int("batch_dim", o->batch_dim());
      break;
    }
    case T::SparseToDenseOptions:
      w.Bool("validate_indices", op.builtin_options_as_SparseToDenseOptions()->validate_indices());
      break;
    case T::VarHandleOptions: {
      const auto* o = op.builtin_options_as_VarHandleOptions();
      w.Text("container", Str(o->container()));
      w.Text("shared_name", Str(o->shared_name()));
      break;
    }
    case T::HashtableOptions: {
      const auto* o = op.builtin_options_as_HashtableOptions();
      w.Int("table_id", o->table_id());
      w.Type("key_dtype", o->key_dtype());
      w.Type("value_dtype", o->value_dtype());
      break;
    }
    case T::RandomOptions: {
      const auto* o = op.builtin_options_as_RandomOptions();
      w.Int("seed", o->seed());
      w.Int("seed2", o->seed2());
      break;
    }
    case T::CallOptions:
      w.Int("subgraph", op.builtin_options_as_CallOptions()->subgraph());
      break;
    case T::IfOptions: {
      const auto* o = op.builtin_options_as_IfOptions();
      w.Int("then_subgraph_index", o->then_subgraph_index());
      w.Int("else_subgraph_index", o->else_subgraph_index());
      break;
    }
    case T::WhileOptions: {
      const auto* o = op.builtin_options_as_WhileOptions();
      w.Int("cond_subgraph_index", o->cond_subgraph_index());
      w.Int("body_subgraph_index", o->body_subgraph_index());
      break;
    }
    case T::CallOnceOptions:
      w.Int("init_subgraph_index", op.builtin_options_as_CallOnceOptions()->init_subgraph_index());
      break;
    default:
      break;
  }
  if (const auto* c = op.builtin_options_2_as_StableHLOCompositeOptions()) {
    w.Text("name", Str(c->name()));
    w.Int("decomposition_subgraph_index", c->decomposition_subgraph_index());
    w.Int("version", c->version());
  }
}

TensorQuantization ReadQuantization(const fbs::Tensor& tensor) {
  TensorQuantization out;
  const fbs::QuantizationParameters* q = tensor.quantization();
  if (!q) return out;
  out.has_min_max = VecSize(q->min()) > 0 || VecSize(q->max()) > 0;
  out.quantized_dimension = q->quantized_dimension();
  out.scale_count = VecSize(q->scale());
  for (uint32_t i = 0; i < VecSize(q->scale()) && i < kMaxListedQuantValues; ++i)
    out.scales.push_back(q->scale()->Get(i));
  for (uint32_t i = 0; i < VecSize(q->zero_point()) && i < kMaxListedQuantValues; ++i)
    out.zero_points.push_back(q->zero_point()->Get(i));
  if (const auto* b = q->details_as_BlockwiseQuantization()) {
    out.scheme = QuantizationScheme::kBlockwise;
    out.scales_tensor = b->scales();
    out.zero_points_tensor = b->zero_points();
    out.block_size = b->block_size();
  } else if (const auto* m = q->details_as_MultiAxisQuantization()) {
    out.scheme = QuantizationScheme::kMultiAxis;
    out.scales_tensor = m->scales();
    out.zero_points_tensor = m->zero_points();
    out.block_size = m->block_size();
  } else if (q->details_as_CustomQuantization()) {
    out.scheme = QuantizationScheme::kCustom;
  } else if (out.scale_count == 1) {
    out.scheme = QuantizationScheme::kPerTensor;
  } else if (out.scale_count > 1) {
    out.scheme = QuantizationScheme::kPerChannel;
  }
  return out;
}

TensorSummary ReadTensor(const runtime::Model& model, int32_t index, const fbs::Tensor& t) {
  TensorSummary out;
  out.index = index;
  out.name = Str(t.name());
  out.type = static_cast<runtime::DataType>(t.type());
  out.shape = ToIntVector(t.shape());
  out.has_shape_signature = t.shape_signature() != nullptr;
  out.shape_signature = ToIntVector(t.shape_signature());
  out.elements = 1;
  for (int32_t d : out.shape) out.elements *= d;  // the loader proved this cannot overflow
  out.buffer = t.buffer();
  // Buffer 0 is the empty sentinel by convention; like TFLite, never treat it as data.
  const runtime::Model::Bytes data =
      out.buffer != 0 ? model.BufferData(static_cast<int>(out.buffer)) : runtime::Model::Bytes{};
  out.is_constant = data.size > 0;
  out.constant_bytes = static_cast<int64_t>(data.size);
  out.is_variable = t.is_variable();
  out.is_sparse = t.sparsity() != nullptr;
  out.quantization = ReadQuantization(t);
  return out;
}

OperatorSummary ReadOperator(const runtime::Model& model, int32_t index, const fbs::Operator& op) {
  OperatorSummary out;
  out.index = index;
  out.opcode_index = op.opcode_index();
  const runtime::OpCodeInfo& code = model.op_codes()[op.opcode_index()];  // index proven
  out.op = code.name;
  out.is_custom = code.is_custom();
  out.version = code.version;
  out.inputs = ToIntVector(op.inputs());
  out.outputs = ToIntVector(op.outputs());
  out.intermediates = ToIntVector(op.intermediates());
  out.custom_options_bytes = VecSize(op.custom_options());
  if (op.large_custom_options_offset() > 1)
    out.custom_options_bytes = static_cast<int64_t>(op.large_custom_options_size());
  ReadBuiltinOptions(op, out.options);
  return out;
}

// Text of a metadata buffer that holds a NUL-padded string ("1.14.0\0\0..."); nullopt when the
// bytes are not printable text.
std::optional<std::string> DecodeText(const runtime::Model::Bytes& bytes) {
  std::string s(reinterpret_cast<const char*>(bytes.data), bytes.size);
  s = s.substr(0, s.find('\0'));
  for (char c : s)
    if (c < 32 || c > 126) return std::nullopt;
  return s;
}

bool IsAllZero(const runtime::Model::Bytes& bytes) {
  return std::all_of(bytes.data, bytes.data + bytes.size, [](uint8_t b) { return b == 0; });
}

bool IsIntegerWeightType(runtime::DataType t) {
  using runtime::DataType;
  return t == DataType::kInt8 || t == DataType::kUInt8 || t == DataType::kInt4;
}

// Counts what the quantization kind is derived from (see ClassifyQuantization).
void CountQuantization(const std::vector<SubgraphSummary>& subgraphs, QuantizationDetails& d) {
  using runtime::DataType;
  for (const SubgraphSummary& sg : subgraphs) {
    for (const TensorSummary& t : sg.tensors) {
      auto& per_dtype = t.is_constant ? d.constant_tensor_dtypes : d.activation_tensor_dtypes;
      ++per_dtype[runtime::DataTypeName(t.type)];
      if (t.is_sparse) ++d.sparse_tensors;
      if (t.is_variable) ++d.variable_tensors;
    }
    auto tensor = [&sg](int32_t i) -> const TensorSummary* {
      return i >= 0 ? &sg.tensors[static_cast<size_t>(i)] : nullptr;  // indices proven
    };
    for (const OperatorSummary& op : sg.operators) {
      if (op.is_custom) continue;
      if (op.op == "DEQUANTIZE") {
        const TensorSummary* in = op.inputs.empty() ? nullptr : tensor(op.inputs[0]);
        if (in && in->is_constant) ++d.dequantize_from_const[runtime::DataTypeName(in->type)];
        continue;
      }
      bool float_activation = false, integer_weight = false;
      for (int32_t i : op.inputs) {
        const TensorSummary* t = tensor(i);
        if (!t) continue;
        if (!t->is_constant && t->type == DataType::kFloat32) float_activation = true;
        if (t->is_constant && IsIntegerWeightType(t->type)) integer_weight = true;
      }
      if (float_activation && integer_weight) ++d.hybrid_weight_ops;
    }
  }
}

}  // namespace

const char* QuantizationSchemeName(QuantizationScheme scheme) {
  switch (scheme) {
    case QuantizationScheme::kNone:
      return "none";
    case QuantizationScheme::kPerTensor:
      return "per_tensor";
    case QuantizationScheme::kPerChannel:
      return "per_channel";
    case QuantizationScheme::kBlockwise:
      return "blockwise";
    case QuantizationScheme::kMultiAxis:
      return "multi_axis";
    case QuantizationScheme::kCustom:
      return "custom";
  }
  return "unknown";
}

const char* QuantizationKindName(QuantizationKind kind) {
  switch (kind) {
    case QuantizationKind::kFloat32:
      return "float32";
    case QuantizationKind::kFp16Weights:
      return "fp16-weights";
    case QuantizationKind::kInt8:
      return "int8";
    case QuantizationKind::kUInt8:
      return "uint8";
    case QuantizationKind::kHybrid:
      return "hybrid";
    case QuantizationKind::kInt16x8:
      return "int16x8";
  }
  return "unknown";
}

// The rules, checked in this order (derived from the 31 shared models and what the kinds mean):
//   1. hybrid: some op takes a non-constant FLOAT32 input together with a constant INT8, UINT8
//      or INT4 input (dynamic-range quantization: float activations, integer weights consumed
//      directly, blockwise int4 included).
//   2. fp16-weights: a DEQUANTIZE reads a constant FLOAT16 tensor (float16 weights expanded to
//      float32 at load time).
//   3. otherwise the most common integer activation type decides: among non-constant INT8,
//      UINT8 and INT16 tensors, the largest count wins (ties: INT8, then UINT8, then INT16):
//      INT8 -> int8, UINT8 -> uint8 (legacy asymmetric), INT16 -> int16x8. A model whose
//      graph mostly runs on int8 but has uint8 or int16 I/O or state stays int8.
//   4. no integer activations at all: float32 (also for string/bool/int64-only graphs).
QuantizationKind ClassifyQuantization(const QuantizationDetails& d) {
  if (d.hybrid_weight_ops > 0) return QuantizationKind::kHybrid;
  if (d.dequantize_from_const.count("FLOAT16")) return QuantizationKind::kFp16Weights;
  auto count = [&d](const char* dtype) -> int64_t {
    auto it = d.activation_tensor_dtypes.find(dtype);
    return it == d.activation_tensor_dtypes.end() ? 0 : it->second;
  };
  const int64_t int8 = count("INT8"), uint8 = count("UINT8"), int16 = count("INT16");
  if (int8 == 0 && uint8 == 0 && int16 == 0) return QuantizationKind::kFloat32;
  if (int8 >= uint8 && int8 >= int16) return QuantizationKind::kInt8;
  if (uint8 >= int16) return QuantizationKind::kUInt8;
  return QuantizationKind::kInt16x8;
}

ModelSummary SummarizeModel(const runtime::Model& model) {
  const fbs::Model* fb = model.fb();
  ModelSummary s;
  s.path = model.name();
  s.schema_version = fb->version();
  s.description = Str(fb->description());
  s.file_bytes = static_cast<int64_t>(model.size());
  s.sha256 = Sha256Hex(model.data(), model.size());
  s.warnings = model.warnings();

  const auto* subgraphs = fb->subgraphs();
  for (uint32_t i = 0; i < VecSize(subgraphs); ++i) {
    const fbs::SubGraph* sg = subgraphs->Get(i);
    SubgraphSummary out;
    out.index = static_cast<int32_t>(i);
    out.name = Str(sg->name());
    out.inputs = ToIntVector(sg->inputs());
    out.outputs = ToIntVector(sg->outputs());
    for (uint32_t t = 0; t < VecSize(sg->tensors()); ++t)
      out.tensors.push_back(ReadTensor(model, static_cast<int32_t>(t), *sg->tensors()->Get(t)));
    for (uint32_t o = 0; o < VecSize(sg->operators()); ++o) {
      OperatorSummary op = ReadOperator(model, static_cast<int32_t>(o), *sg->operators()->Get(o));
      ++(op.is_custom ? s.custom_op_counts : s.builtin_op_counts)[op.op];
      out.operators.push_back(std::move(op));
    }
    s.operator_count += static_cast<int64_t>(out.operators.size());
    s.tensor_count += static_cast<int64_t>(out.tensors.size());
    for (const TensorSummary& t : out.tensors) {
      // Saturates: shapes of unsized types (STRING) are bounded only by int64.
      if (t.is_constant)
        s.parameter_count = t.elements > std::numeric_limits<int64_t>::max() - s.parameter_count
                                ? std::numeric_limits<int64_t>::max()
                                : s.parameter_count + t.elements;
    }
    s.subgraphs.push_back(std::move(out));
  }

  const auto* sigs = fb->signature_defs();
  for (uint32_t i = 0; i < VecSize(sigs); ++i) {
    const fbs::SignatureDef* sig = sigs->Get(i);
    SignatureSummary out;
    out.key = Str(sig->signature_key());
    out.subgraph_index = sig->subgraph_index();
    for (uint32_t j = 0; j < VecSize(sig->inputs()); ++j)
      out.inputs.push_back(
          {Str(sig->inputs()->Get(j)->name()), sig->inputs()->Get(j)->tensor_index()});
    for (uint32_t j = 0; j < VecSize(sig->outputs()); ++j)
      out.outputs.push_back(
          {Str(sig->outputs()->Get(j)->name()), sig->outputs()->Get(j)->tensor_index()});
    s.signatures.push_back(std::move(out));
  }

  const auto* metadata = fb->metadata();
  for (uint32_t i = 0; i < VecSize(metadata); ++i) {
    const fbs::Metadata* m = metadata->Get(i);
    MetadataEntry out;
    out.name = Str(m->name());
    out.buffer = m->buffer();
    const runtime::Model::Bytes bytes = model.BufferData(static_cast<int>(m->buffer()));
    out.bytes = static_cast<int64_t>(bytes.size);
    if (out.name == "min_runtime_version") {
      out.text = DecodeText(bytes);
      if (out.text && !s.min_runtime_version) s.min_runtime_version = out.text;
    }
    s.metadata.push_back(std::move(out));
  }

  s.size.model_bytes = s.file_bytes;
  s.size.buffer_count = VecSize(fb->buffers());
  for (uint32_t i = 0; i < VecSize(fb->buffers()); ++i) {
    const runtime::Model::Bytes bytes = model.BufferData(static_cast<int>(i));
    s.size.data_buffer_bytes += static_cast<int64_t>(bytes.size);
    if (IsAllZero(bytes)) s.size.zero_value_buffer_bytes += static_cast<int64_t>(bytes.size);
  }
  s.size.non_data_bytes = s.size.model_bytes - s.size.data_buffer_bytes;

  CountQuantization(s.subgraphs, s.quantization);
  s.quantization_kind = ClassifyQuantization(s.quantization);
  return s;
}

}  // namespace litescope::analyzers
