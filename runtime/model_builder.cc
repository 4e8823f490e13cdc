#include "runtime/model_builder.h"

#include <algorithm>
#include <cstring>

#include <fp16.h>

#include "runtime/status.h"

namespace litescope::runtime {
namespace {

constexpr uint64_t kExternalAlignment = 16;
// Buffer.data carries force_align: 16 in the schema.
constexpr size_t kInlineBufferAlignment = 16;
// Any non-zero value: the first pass only needs the offset/size fields to be present so that
// the flatbuffer has its final size.
constexpr uint64_t kPlaceholderOffset = 2;

uint64_t AlignUp(uint64_t value, uint64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

}  // namespace

ModelBuilder::ModelBuilder() {
  buffers_.emplace_back();  // buffer 0: the empty sentinel every TFLite model starts with
  subgraphs_.emplace_back();
  subgraphs_.back().name = "main";
}

bool ModelBuilder::ValidSubgraph(int subgraph) const {
  const bool ok = subgraph >= 0 && static_cast<size_t>(subgraph) < subgraphs_.size();
  LS_DCHECK(ok);
  return ok;
}

int ModelBuilder::AddBuffer(const void* data, size_t bytes, BufferPlacement placement) {
  BufferEntry entry;
  if (bytes > 0) {
    const auto* p = static_cast<const uint8_t*>(data);
    entry.data.assign(p, p + bytes);
  }
  switch (placement) {
    case BufferPlacement::kAuto:
      entry.external = external_min_bytes_ > 0 && bytes >= external_min_bytes_;
      break;
    case BufferPlacement::kInline:
      entry.external = false;
      break;
    case BufferPlacement::kExternal:
      entry.external = bytes > 0;  // an empty buffer has nothing to place
      break;
  }
  buffers_.push_back(std::move(entry));
  return static_cast<int>(buffers_.size()) - 1;
}

int ModelBuilder::AddRawBuffer(uint64_t offset, uint64_t size, std::vector<uint8_t> inline_data) {
  BufferEntry entry;
  entry.data = std::move(inline_data);
  entry.raw = true;
  entry.raw_offset = offset;
  entry.raw_size = size;
  buffers_.push_back(std::move(entry));
  return static_cast<int>(buffers_.size()) - 1;
}

int ModelBuilder::AddTensor(int subgraph, const TensorSpec& spec) {
  if (!ValidSubgraph(subgraph)) return -1;
  auto& tensors = subgraphs_[static_cast<size_t>(subgraph)].tensors;
  tensors.push_back(spec);
  return static_cast<int>(tensors.size()) - 1;
}

int ModelBuilder::AddTensor(int subgraph, const std::string& name, DataType type,
                            const std::vector<int32_t>& shape, const QuantParams& quant) {
  TensorSpec spec;
  spec.name = name;
  spec.type = type;
  spec.shape = shape;
  spec.quant = quant;
  return AddTensor(subgraph, spec);
}

int ModelBuilder::AddFloat16ConstTensor(int subgraph, const std::string& name,
                                        const std::vector<int32_t>& shape,
                                        const std::vector<float>& values,
                                        BufferPlacement placement) {
  std::vector<uint16_t> halves(values.size());
  for (size_t i = 0; i < values.size(); ++i) halves[i] = fp16_ieee_from_fp32_value(values[i]);
  return AddConstTensor<uint16_t>(subgraph, name, DataType::kFloat16, shape, halves, {}, placement);
}

int ModelBuilder::num_tensors(int subgraph) const {
  if (!ValidSubgraph(subgraph)) return -1;
  return static_cast<int>(subgraphs_[static_cast<size_t>(subgraph)].tensors.size());
}

int ModelBuilder::AddOperatorCode(schema::BuiltinOperator op, int version,
                                  const std::string& custom_code) {
  const auto code = static_cast<int32_t>(op);
  for (size_t i = 0; i < op_codes_.size(); ++i) {
    const OpCodeEntry& e = op_codes_[i];
    if (e.builtin_code == code && e.version == version && e.custom_code == custom_code)
      return static_cast<int>(i);
  }
  // Codes below 127 fit the old int8 field; larger ones store the placeholder 127 there.
  const auto deprecated = static_cast<int8_t>(std::clamp(
      code, 0, static_cast<int32_t>(schema::BuiltinOperator::PLACEHOLDER_FOR_GREATER_OP_CODES)));
  return AddRawOperatorCode(deprecated, code, version, custom_code);
}

int ModelBuilder::AddRawOperatorCode(int8_t deprecated_builtin_code, int32_t builtin_code,
                                     int32_t version, const std::string& custom_code) {
  op_codes_.push_back({deprecated_builtin_code, builtin_code, version, custom_code});
  return static_cast<int>(op_codes_.size()) - 1;
}

int ModelBuilder::AddOperator(int subgraph, schema::BuiltinOperator op, std::vector<int32_t> inputs,
                              std::vector<int32_t> outputs, OptionsFn options, int version) {
  if (!ValidSubgraph(subgraph)) return -1;
  OperatorSpec spec;
  spec.opcode_index = static_cast<uint32_t>(AddOperatorCode(op, version));
  spec.inputs = std::move(inputs);
  spec.outputs = std::move(outputs);
  spec.options = std::move(options);
  return AddOperator(subgraph, std::move(spec));
}

int ModelBuilder::AddCustomOperator(int subgraph, const std::string& custom_code,
                                    std::vector<int32_t> inputs, std::vector<int32_t> outputs,
                                    std::vector<uint8_t> custom_options, int version) {
  if (!ValidSubgraph(subgraph)) return -1;
  OperatorSpec spec;
  spec.opcode_index =
      static_cast<uint32_t>(AddOperatorCode(schema::BuiltinOperator::CUSTOM, version, custom_code));
  spec.inputs = std::move(inputs);
  spec.outputs = std::move(outputs);
  spec.custom_options = std::move(custom_options);
  return AddOperator(subgraph, std::move(spec));
}

int ModelBuilder::AddOperator(int subgraph, OperatorSpec spec) {
  if (!ValidSubgraph(subgraph)) return -1;
  auto& ops = subgraphs_[static_cast<size_t>(subgraph)].operators;
  ops.push_back(std::move(spec));
  return static_cast<int>(ops.size()) - 1;
}

int ModelBuilder::AddSubgraph(const std::string& name) {
  subgraphs_.emplace_back();
  subgraphs_.back().name = name;
  return static_cast<int>(subgraphs_.size()) - 1;
}

void ModelBuilder::SetInputs(int subgraph, std::vector<int32_t> tensors) {
  if (ValidSubgraph(subgraph))
    subgraphs_[static_cast<size_t>(subgraph)].inputs = std::move(tensors);
}

void ModelBuilder::SetOutputs(int subgraph, std::vector<int32_t> tensors) {
  if (ValidSubgraph(subgraph))
    subgraphs_[static_cast<size_t>(subgraph)].outputs = std::move(tensors);
}

void ModelBuilder::AddSignature(const std::string& key, int subgraph, const TensorMapList& inputs,
                                const TensorMapList& outputs) {
  // The subgraph index is model data here (hostile tests point it elsewhere), so it is not
  // checked.
  signatures_.push_back({key, static_cast<uint32_t>(subgraph), inputs, outputs});
}

int ModelBuilder::AddMetadata(const std::string& name, const std::vector<uint8_t>& bytes) {
  const int buffer = AddBuffer(bytes, BufferPlacement::kInline);
  AddMetadataEntry(name, static_cast<uint32_t>(buffer));
  return buffer;
}

void ModelBuilder::AddMetadataEntry(const std::string& name, uint32_t buffer) {
  metadata_.push_back({name, buffer});
}

void ModelBuilder::Serialize(flatbuffers::FlatBufferBuilder& fbb,
                             const std::vector<uint64_t>& external_offsets) const {
  namespace fb = flatbuffers;

  std::vector<fb::Offset<schema::Buffer>> buffers;
  buffers.reserve(buffers_.size());
  for (size_t i = 0; i < buffers_.size(); ++i) {
    const BufferEntry& b = buffers_[i];
    fb::Offset<fb::Vector<uint8_t>> data = 0;
    uint64_t offset = 0, size = 0;
    if (b.external) {
      offset = external_offsets[i];
      size = b.data.size();
    } else {
      if (!b.data.empty()) {
        fbb.ForceVectorAlignment(b.data.size(), sizeof(uint8_t), kInlineBufferAlignment);
        data = fbb.CreateVector(b.data);
      }
      if (b.raw) {
        offset = b.raw_offset;
        size = b.raw_size;
      }
    }
    buffers.push_back(schema::CreateBuffer(fbb, data, offset, size));
  }

  std::vector<fb::Offset<schema::OperatorCode>> codes;
  codes.reserve(op_codes_.size());
  for (const OpCodeEntry& c : op_codes_) {
    fb::Offset<fb::String> custom = c.custom_code.empty() ? 0 : fbb.CreateString(c.custom_code);
    codes.push_back(
        schema::CreateOperatorCode(fbb, c.deprecated_builtin_code, custom, c.version,
                                   static_cast<schema::BuiltinOperator>(c.builtin_code)));
  }

  std::vector<fb::Offset<schema::SubGraph>> subgraphs;
  subgraphs.reserve(subgraphs_.size());
  for (const SubgraphEntry& sg : subgraphs_) {
    std::vector<fb::Offset<schema::Tensor>> tensors;
    tensors.reserve(sg.tensors.size());
    for (const TensorSpec& t : sg.tensors) {
      auto shape = fbb.CreateVector(t.shape);
      fb::Offset<fb::Vector<int32_t>> signature = 0;
      if (!t.shape_signature.empty()) signature = fbb.CreateVector(t.shape_signature);
      fb::Offset<schema::QuantizationParameters> quant = 0;
      const QuantParams& q = t.quant;
      if (!q.scale.empty() || !q.zero_point.empty() || q.quantized_dimension != 0 || t.blockwise) {
        fb::Offset<fb::Vector<float>> scale = 0;
        fb::Offset<fb::Vector<int64_t>> zero_point = 0;
        if (!q.scale.empty()) scale = fbb.CreateVector(q.scale);
        if (!q.zero_point.empty()) zero_point = fbb.CreateVector(q.zero_point);
        auto details_type = schema::QuantizationDetails::NONE;
        fb::Offset<void> details = 0;
        if (t.blockwise) {
          details_type = schema::QuantizationDetails::BlockwiseQuantization;
          details = schema::CreateBlockwiseQuantization(
                        fbb, t.blockwise->scales, t.blockwise->zero_points, t.blockwise->block_size)
                        .Union();
        }
        quant = schema::CreateQuantizationParameters(fbb, 0, 0, scale, zero_point, details_type,
                                                     details, q.quantized_dimension);
      }
      auto name = fbb.CreateString(t.name);
      tensors.push_back(schema::CreateTensor(fbb, shape, static_cast<schema::TensorType>(t.type),
                                             t.buffer, name, quant, t.is_variable, 0, signature,
                                             t.has_rank));
    }

    std::vector<fb::Offset<schema::Operator>> ops;
    ops.reserve(sg.operators.size());
    for (const OperatorSpec& op : sg.operators) {
      auto inputs = fbb.CreateVector(op.inputs);
      auto outputs = fbb.CreateVector(op.outputs);
      fb::Offset<fb::Vector<int32_t>> intermediates = 0;
      if (!op.intermediates.empty()) intermediates = fbb.CreateVector(op.intermediates);
      fb::Offset<fb::Vector<uint8_t>> custom = 0;
      if (!op.custom_options.empty()) custom = fbb.CreateVector(op.custom_options);
      auto options = std::make_pair(schema::BuiltinOptions::NONE, fb::Offset<void>(0));
      if (op.options) options = op.options(fbb);
      auto options_2 = std::make_pair(schema::BuiltinOptions2::NONE, fb::Offset<void>(0));
      if (op.options_2) options_2 = op.options_2(fbb);
      ops.push_back(
          schema::CreateOperator(fbb, op.opcode_index, inputs, outputs, options.first,
                                 options.second, custom, schema::CustomOptionsFormat::FLEXBUFFERS,
                                 0, intermediates, op.large_custom_options_offset,
                                 op.large_custom_options_size, options_2.first, options_2.second));
    }

    auto tensors_vec = fbb.CreateVector(tensors);
    auto inputs = fbb.CreateVector(sg.inputs);
    auto outputs = fbb.CreateVector(sg.outputs);
    auto ops_vec = fbb.CreateVector(ops);
    auto name = fbb.CreateString(sg.name);
    subgraphs.push_back(schema::CreateSubGraph(fbb, tensors_vec, inputs, outputs, ops_vec, name));
  }

  fb::Offset<fb::Vector<fb::Offset<schema::Metadata>>> metadata = 0;
  if (!metadata_.empty()) {
    std::vector<fb::Offset<schema::Metadata>> entries;
    for (const MetadataEntry& m : metadata_)
      entries.push_back(schema::CreateMetadata(fbb, fbb.CreateString(m.name), m.buffer));
    metadata = fbb.CreateVector(entries);
  }

  fb::Offset<fb::Vector<fb::Offset<schema::SignatureDef>>> signatures = 0;
  if (!signatures_.empty()) {
    auto maps = [&fbb](const TensorMapList& list) {
      std::vector<fb::Offset<schema::TensorMap>> out;
      for (const auto& [name, index] : list)
        out.push_back(
            schema::CreateTensorMap(fbb, fbb.CreateString(name), static_cast<uint32_t>(index)));
      return fbb.CreateVector(out);
    };
    std::vector<fb::Offset<schema::SignatureDef>> defs;
    for (const SignatureEntry& s : signatures_) {
      auto inputs = maps(s.inputs);
      auto outputs = maps(s.outputs);
      defs.push_back(
          schema::CreateSignatureDef(fbb, inputs, outputs, fbb.CreateString(s.key), s.subgraph));
    }
    signatures = fbb.CreateVector(defs);
  }

  auto codes_vec = fbb.CreateVector(codes);
  auto subgraphs_vec = fbb.CreateVector(subgraphs);
  fb::Offset<fb::String> description = 0;
  if (!description_.empty()) description = fbb.CreateString(description_);
  auto buffers_vec = fbb.CreateVector(buffers);
  auto model = schema::CreateModel(fbb, version_, codes_vec, subgraphs_vec, description,
                                   buffers_vec, 0, metadata, signatures);
  if (file_identifier_.size() == 4) {
    fbb.Finish(model, file_identifier_.c_str());
  } else {
    fbb.Finish(model);
  }
}

std::vector<uint8_t> ModelBuilder::Finish() const {
  // External buffers are addressed by absolute file offsets, which depend on the size of the
  // flatbuffer that contains them. The offset fields are always present (non-zero), so their
  // values do not change the flatbuffer's size:
  //   1. serialize with placeholder offsets and measure,
  //   2. lay the external data out after that size, 16-byte aligned,
  //   3. serialize again with the real offsets (re-measure, in case the size still moved).
  std::vector<uint64_t> offsets(buffers_.size(), 0);
  bool any_external = false;
  for (size_t i = 0; i < buffers_.size(); ++i) {
    if (buffers_[i].external) {
      offsets[i] = kPlaceholderOffset;
      any_external = true;
    }
  }

  flatbuffers::FlatBufferBuilder fbb(1024);
  Serialize(fbb, offsets);
  if (any_external) {
    for (int attempt = 0; attempt < 4; ++attempt) {
      const uint64_t fb_size = fbb.GetSize();
      uint64_t pos = AlignUp(fb_size, kExternalAlignment);
      std::vector<uint64_t> laid_out(buffers_.size(), 0);
      for (size_t i = 0; i < buffers_.size(); ++i) {
        if (!buffers_[i].external) continue;
        laid_out[i] = pos;
        pos = AlignUp(pos + buffers_[i].data.size(), kExternalAlignment);
      }
      if (laid_out == offsets) break;
      offsets = std::move(laid_out);
      fbb.Clear();
      Serialize(fbb, offsets);
    }
  }

  std::vector<uint8_t> out(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
  for (size_t i = 0; i < buffers_.size(); ++i) {
    if (!buffers_[i].external) continue;
    out.resize(offsets[i], 0);  // zero padding up to the aligned offset
    out.insert(out.end(), buffers_[i].data.begin(), buffers_[i].data.end());
  }
  return out;
}

}  // namespace litescope::runtime
