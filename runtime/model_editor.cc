#include "runtime/model_editor.h"

#include <fp16.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <utility>

#include <fmt/format.h>

#include "runtime/data_type.h"

// Loading, lookups and edits. Serialize() and its checks are in model_editor_serialize.cc.
namespace litescope::runtime {
namespace {

int32_t EffectiveBuiltinCode(const edit::OperatorCodeT& code) {
  return std::max<int32_t>(static_cast<int32_t>(code.builtin_code),
                           static_cast<int32_t>(code.deprecated_builtin_code));
}

// Unions whose type our schema does not know unpack to a null value, which cannot be packed
// again: refuse such models up front instead of silently dropping their options.
Status CheckUnionTypesKnown(const edit::Model& fb) {
  if (const auto* subgraphs = fb.subgraphs()) {
    for (uint32_t s = 0; s < subgraphs->size(); ++s) {
      const edit::SubGraph* sg = subgraphs->Get(s);
      if (const auto* ops = sg->operators()) {
        for (uint32_t i = 0; i < ops->size(); ++i) {
          const edit::Operator* op = ops->Get(i);
          const int t1 = static_cast<int>(op->builtin_options_type());
          const int t2 = static_cast<int>(op->builtin_options_2_type());
          if (t1 > static_cast<int>(edit::BuiltinOptions::MAX) ||
              t2 > static_cast<int>(edit::BuiltinOptions2::MAX))
            return UnsupportedOpError(fmt::format(
                "subgraph {} operator {}: builtin options type {} / {} is newer than our schema; "
                "the model cannot be re-written without losing them",
                s, i, t1, t2));
        }
      }
      if (const auto* tensors = sg->tensors()) {
        for (uint32_t i = 0; i < tensors->size(); ++i) {
          const edit::QuantizationParameters* q = tensors->Get(i)->quantization();
          if (q && static_cast<int>(q->details_type()) >
                       static_cast<int>(edit::QuantizationDetails::MAX))
            return UnsupportedTypeError(fmt::format(
                "subgraph {} tensor {}: quantization details type {} is newer than our schema", s,
                i, static_cast<int>(q->details_type())));
        }
      }
    }
  }
  return Status::Ok();
}

edit::TensorT* TensorAt(const edit::ModelT& model, int subgraph, int tensor) {
  if (subgraph < 0 || static_cast<size_t>(subgraph) >= model.subgraphs.size() ||
      !model.subgraphs[subgraph])
    return nullptr;
  const auto& tensors = model.subgraphs[subgraph]->tensors;
  if (tensor < 0 || static_cast<size_t>(tensor) >= tensors.size()) return nullptr;
  return tensors[tensor].get();
}

bool Contains(const std::vector<int32_t>& v, int32_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

ModelEditor::ModelEditor(std::unique_ptr<edit::ModelT> model) : model_(std::move(model)) {
  if (!model_) model_ = std::make_unique<edit::ModelT>();
}

Result<ModelEditor> ModelEditor::FromModel(const Model& model) {
  // Model validated the bytes, so the generated accessors are safe to use on them.
  const edit::Model* fb = edit::GetModel(model.data());
  Status known = CheckUnionTypesKnown(*fb);
  if (!known.ok()) return known.WithContext(model.name());
  try {
    std::unique_ptr<edit::ModelT> tree(fb->UnPack());
    // Data stored after the flatbuffer moves into the tree; Serialize() places it again.
    for (size_t i = 0; i < tree->buffers.size(); ++i) {
      edit::BufferT& b = *tree->buffers[i];
      if (b.offset == 0 && b.size == 0) continue;
      const Model::Bytes bytes = model.BufferData(static_cast<int>(i));
      b.data.assign(bytes.data, bytes.data + bytes.size);
      b.offset = 0;
      b.size = 0;
    }
    for (auto& sg : tree->subgraphs) {
      for (auto& op : sg->operators) {
        if (op->large_custom_options_offset > 1 && op->large_custom_options_size > 0) {
          // The validator proved offset + size lies inside the file.
          const uint8_t* p = model.data() + op->large_custom_options_offset;
          op->custom_options.assign(p, p + op->large_custom_options_size);
        }
        op->large_custom_options_offset = 0;
        op->large_custom_options_size = 0;
      }
    }
    return ModelEditor(std::move(tree));
  } catch (const std::bad_alloc&) {
    return OutOfMemoryError(fmt::format("{}: out of memory unpacking the model", model.name()));
  }
}

Result<ModelEditor> ModelEditor::FromBuffer(const void* data, size_t size,
                                            const std::string& name) {
  auto model = Model::FromBuffer(data, size, name);
  if (!model.ok()) return model.status();
  return FromModel(**model);
}

Result<ModelEditor> ModelEditor::FromFile(const std::string& path) {
  auto model = Model::FromFile(path);
  if (!model.ok()) return model.status();
  return FromModel(**model);
}

// --- Lookup ----------------------------------------------------------------------------------

edit::TensorT* ModelEditor::tensor(int subgraph, int tensor) {
  return TensorAt(*model_, subgraph, tensor);
}

int ModelEditor::FindTensor(int subgraph, const std::string& name) const {
  if (subgraph < 0 || subgraph >= subgraph_count()) return -1;
  const auto& tensors = model_->subgraphs[subgraph]->tensors;
  for (size_t i = 0; i < tensors.size(); ++i)
    if (tensors[i] && tensors[i]->name == name) return static_cast<int>(i);
  return -1;
}

int ModelEditor::Producer(int subgraph, int tensor) const {
  if (subgraph < 0 || subgraph >= subgraph_count()) return -1;
  const auto& ops = model_->subgraphs[subgraph]->operators;
  for (size_t i = 0; i < ops.size(); ++i)
    if (ops[i] && (Contains(ops[i]->outputs, tensor) || Contains(ops[i]->intermediates, tensor)))
      return static_cast<int>(i);
  return -1;
}

std::vector<int> ModelEditor::Consumers(int subgraph, int tensor) const {
  std::vector<int> result;
  if (subgraph < 0 || subgraph >= subgraph_count()) return result;
  const auto& ops = model_->subgraphs[subgraph]->operators;
  for (size_t i = 0; i < ops.size(); ++i)
    if (ops[i] && Contains(ops[i]->inputs, tensor)) result.push_back(static_cast<int>(i));
  return result;
}

int32_t ModelEditor::OperatorBuiltinCode(int subgraph, int op) const {
  if (subgraph < 0 || subgraph >= subgraph_count()) return -1;
  const auto& ops = model_->subgraphs[subgraph]->operators;
  if (op < 0 || static_cast<size_t>(op) >= ops.size() || !ops[op]) return -1;
  const uint32_t index = ops[op]->opcode_index;
  if (index >= model_->operator_codes.size() || !model_->operator_codes[index]) return -1;
  return EffectiveBuiltinCode(*model_->operator_codes[index]);
}

const std::vector<uint8_t>& ModelEditor::TensorData(int subgraph, int tensor) const {
  static const std::vector<uint8_t> kEmpty;
  const edit::TensorT* t = TensorAt(*model_, subgraph, tensor);
  if (!t || t->buffer == 0 || t->buffer >= model_->buffers.size() || !model_->buffers[t->buffer])
    return kEmpty;
  return model_->buffers[t->buffer]->data;
}

Result<std::vector<float>> ModelEditor::ReadFloatData(int subgraph, int tensor) const {
  const edit::TensorT* t = TensorAt(*model_, subgraph, tensor);
  if (!t)
    return InvalidArgumentError(
        fmt::format("subgraph {} tensor {}: index out of range", subgraph, tensor));
  const std::vector<uint8_t>& bytes = TensorData(subgraph, tensor);
  if (bytes.empty())
    return InvalidArgumentError(fmt::format("subgraph {} tensor {} (\"{}\"): has no constant data",
                                            subgraph, tensor, t->name));
  std::vector<float> values;
  if (t->type == edit::TensorType::FLOAT32) {
    values.resize(bytes.size() / sizeof(float));
    std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
  } else if (t->type == edit::TensorType::FLOAT16) {
    values.resize(bytes.size() / sizeof(uint16_t));
    for (size_t i = 0; i < values.size(); ++i) {
      uint16_t h;
      std::memcpy(&h, bytes.data() + 2 * i, sizeof(h));
      values[i] = fp16_ieee_to_fp32_value(h);
    }
  } else {
    return InvalidArgumentError(
        fmt::format("subgraph {} tensor {} (\"{}\"): is {}; expected FLOAT32 or FLOAT16", subgraph,
                    tensor, t->name, edit::EnumNameTensorType(t->type)));
  }
  return values;
}

// --- Building blocks -------------------------------------------------------------------------

int ModelEditor::AddBuffer(std::vector<uint8_t> bytes) {
  auto b = std::make_unique<edit::BufferT>();
  b->data = std::move(bytes);
  model_->buffers.push_back(std::move(b));
  return static_cast<int>(model_->buffers.size() - 1);
}

int ModelEditor::AddOperatorCode(edit::BuiltinOperator op, int version,
                                 const std::string& custom_code) {
  const int32_t code = static_cast<int32_t>(op);
  auto& codes = model_->operator_codes;
  for (size_t i = 0; i < codes.size(); ++i) {
    if (codes[i] && EffectiveBuiltinCode(*codes[i]) == code && codes[i]->version == version &&
        codes[i]->custom_code == custom_code)
      return static_cast<int>(i);
  }
  auto c = std::make_unique<edit::OperatorCodeT>();
  c->deprecated_builtin_code = static_cast<int8_t>(std::min<int32_t>(code, 127));
  c->builtin_code = op;
  c->version = version;
  c->custom_code = custom_code;
  codes.push_back(std::move(c));
  return static_cast<int>(codes.size() - 1);
}

Result<int> ModelEditor::AddTensor(int subgraph, edit::TensorT tensor) {
  if (subgraph < 0 || subgraph >= subgraph_count() || !model_->subgraphs[subgraph])
    return InvalidArgumentError(fmt::format("subgraph {}: index out of range", subgraph));
  auto& tensors = model_->subgraphs[subgraph]->tensors;
  tensors.push_back(std::make_unique<edit::TensorT>(std::move(tensor)));
  return static_cast<int>(tensors.size() - 1);
}

Status ModelEditor::InsertOperator(int subgraph, int position, edit::OperatorT op) {
  if (subgraph < 0 || subgraph >= subgraph_count() || !model_->subgraphs[subgraph])
    return InvalidArgumentError(fmt::format("subgraph {}: index out of range", subgraph));
  auto& ops = model_->subgraphs[subgraph]->operators;
  if (position < 0 || static_cast<size_t>(position) > ops.size())
    return InvalidArgumentError(fmt::format("subgraph {}: operator position {} outside 0..{}",
                                            subgraph, position, ops.size()));
  ops.insert(ops.begin() + position, std::make_unique<edit::OperatorT>(std::move(op)));
  return Status::Ok();
}

// --- Edits -----------------------------------------------------------------------------------

Status ModelEditor::SetConstantData(int subgraph, int tensor, edit::TensorType type,
                                    std::vector<uint8_t> bytes, const QuantParams& quant) {
  edit::TensorT* t = this->tensor(subgraph, tensor);
  if (!t)
    return InvalidArgumentError(
        fmt::format("subgraph {} tensor {}: index out of range", subgraph, tensor));
  const std::string label =
      fmt::format("subgraph {} tensor {} (\"{}\")", subgraph, tensor, t->name);
  if (type != edit::TensorType::STRING) {
    int64_t elements = 1;
    for (int32_t d : t->shape) {
      if (d < 0) return InvalidArgumentError(label + ": shape has an unknown dimension");
      elements *= d;
    }
    int64_t expected = 0;
    if (!DataTypeBytes(static_cast<DataType>(type), elements, &expected))
      return UnsupportedTypeError(
          fmt::format("{}: type {} has no fixed size", label, edit::EnumNameTensorType(type)));
    if (static_cast<int64_t>(bytes.size()) != expected)
      return InvalidArgumentError(fmt::format("{}: {} bytes given; {} {} values need {}", label,
                                              bytes.size(), elements,
                                              edit::EnumNameTensorType(type), expected));
  }
  const edit::TensorType old_type = t->type;
  t->type = type;
  Status s = SetQuantization(subgraph, tensor, quant);
  if (!s.ok()) {
    t->type = old_type;
    return s;
  }
  t->buffer = static_cast<uint32_t>(AddBuffer(std::move(bytes)));
  return Status::Ok();
}

Status ModelEditor::SetQuantization(int subgraph, int tensor, const QuantParams& quant) {
  edit::TensorT* t = this->tensor(subgraph, tensor);
  if (!t)
    return InvalidArgumentError(
        fmt::format("subgraph {} tensor {}: index out of range", subgraph, tensor));
  const std::string label =
      fmt::format("subgraph {} tensor {} (\"{}\")", subgraph, tensor, t->name);
  if (quant.empty()) {
    if (!quant.zero_point.empty())
      return InvalidArgumentError(label + ": zero points given without scales");
    t->quantization.reset();
    return Status::Ok();
  }
  const size_t n = quant.scale.size();
  if (n > 1) {
    const int32_t dim = quant.quantized_dimension;
    if (dim < 0 || static_cast<size_t>(dim) >= t->shape.size())
      return InvalidArgumentError(fmt::format("{}: quantized_dimension {} outside the rank {}",
                                              label, dim, t->shape.size()));
    if (static_cast<size_t>(t->shape[dim]) != n)
      return InvalidArgumentError(
          fmt::format("{}: {} scales for dimension {} of size {}", label, n, dim, t->shape[dim]));
  }
  if (!quant.zero_point.empty() && quant.zero_point.size() != n)
    return InvalidArgumentError(
        fmt::format("{}: {} zero points for {} scales", label, quant.zero_point.size(), n));
  auto q = std::make_unique<edit::QuantizationParametersT>();
  q->scale = quant.scale;
  q->zero_point = quant.zero_point.empty() ? std::vector<int64_t>(n, 0) : quant.zero_point;
  q->quantized_dimension = n > 1 ? quant.quantized_dimension : 0;
  t->quantization = std::move(q);
  return Status::Ok();
}

Result<int> ModelEditor::InsertProducer(int subgraph, int tensor, edit::BuiltinOperator op,
                                        edit::TensorT input) {
  edit::TensorT* t = this->tensor(subgraph, tensor);
  if (!t)
    return InvalidArgumentError(
        fmt::format("subgraph {} tensor {}: index out of range", subgraph, tensor));
  const std::string label =
      fmt::format("subgraph {} tensor {} (\"{}\")", subgraph, tensor, t->name);
  const int producer = Producer(subgraph, tensor);
  if (producer >= 0)
    return InvalidArgumentError(fmt::format("{}: already written by operator {}", label, producer));
  if (Contains(model_->subgraphs[subgraph]->inputs, tensor))
    return InvalidArgumentError(label + ": is a subgraph input and cannot get a producer");
  const std::vector<int> consumers = Consumers(subgraph, tensor);
  const int position = consumers.empty()
                           ? static_cast<int>(model_->subgraphs[subgraph]->operators.size())
                           : consumers.front();
  Result<int> in = AddTensor(subgraph, std::move(input));
  if (!in.ok()) return in.status();
  edit::OperatorT node;
  node.opcode_index = static_cast<uint32_t>(AddOperatorCode(op));
  node.inputs = {*in};
  node.outputs = {tensor};
  this->tensor(subgraph, tensor)->buffer = 0;  // `t` may dangle: AddTensor grew the vector
  LS_RETURN_IF_ERROR(InsertOperator(subgraph, position, std::move(node)));
  return *in;
}

Result<int> ModelEditor::InsertConsumer(int subgraph, int tensor, edit::BuiltinOperator op,
                                        edit::TensorT output) {
  if (!this->tensor(subgraph, tensor))
    return InvalidArgumentError(
        fmt::format("subgraph {} tensor {}: index out of range", subgraph, tensor));
  const int producer = Producer(subgraph, tensor);
  const std::vector<int> consumers = Consumers(subgraph, tensor);
  Result<int> out = AddTensor(subgraph, std::move(output));
  if (!out.ok()) return out.status();
  auto& ops = model_->subgraphs[subgraph]->operators;
  for (int c : consumers) std::replace(ops[c]->inputs.begin(), ops[c]->inputs.end(), tensor, *out);
  edit::OperatorT node;
  node.opcode_index = static_cast<uint32_t>(AddOperatorCode(op));
  node.inputs = {tensor};
  node.outputs = {*out};
  LS_RETURN_IF_ERROR(InsertOperator(subgraph, producer + 1, std::move(node)));
  return *out;
}

Result<int> ModelEditor::ConvertConstantToFloat16(int subgraph, int tensor) {
  const edit::TensorT* t = this->tensor(subgraph, tensor);
  if (t && t->type != edit::TensorType::FLOAT32)
    return InvalidArgumentError(
        fmt::format("subgraph {} tensor {} (\"{}\"): is {}; expected "
                    "FLOAT32",
                    subgraph, tensor, t->name, edit::EnumNameTensorType(t->type)));
  Result<std::vector<float>> values = ReadFloatData(subgraph, tensor);
  if (!values.ok()) return values.status();
  std::vector<uint8_t> bytes(values->size() * sizeof(uint16_t));
  for (size_t i = 0; i < values->size(); ++i) {
    const uint16_t h = fp16_ieee_from_fp32_value((*values)[i]);
    std::memcpy(bytes.data() + 2 * i, &h, sizeof(h));
  }
  edit::TensorT half;
  half.name = t->name + "_fp16";
  half.type = edit::TensorType::FLOAT16;
  half.shape = t->shape;
  half.shape_signature = t->shape_signature;
  half.has_rank = t->has_rank;
  half.buffer = static_cast<uint32_t>(AddBuffer(std::move(bytes)));
  return InsertProducer(subgraph, tensor, edit::BuiltinOperator::DEQUANTIZE, std::move(half));
}

int ModelEditor::RemoveUnusedBuffers() {
  auto& buffers = model_->buffers;
  std::vector<bool> used(buffers.size(), false);
  if (!used.empty()) used[0] = true;
  auto mark = [&](int64_t b) {
    if (b >= 0 && static_cast<size_t>(b) < used.size()) used[b] = true;
  };
  for (const auto& sg : model_->subgraphs)
    if (sg)
      for (const auto& t : sg->tensors)
        if (t) mark(t->buffer);
  for (const auto& m : model_->metadata)
    if (m) mark(m->buffer);
  for (int32_t b : model_->metadata_buffer) mark(b);

  std::vector<int64_t> remap(buffers.size(), -1);
  std::vector<std::unique_ptr<edit::BufferT>> kept;
  for (size_t i = 0; i < buffers.size(); ++i) {
    if (!used[i]) continue;
    remap[i] = static_cast<int64_t>(kept.size());
    kept.push_back(std::move(buffers[i]));
  }
  const int removed = static_cast<int>(buffers.size() - kept.size());
  // Out-of-range references stay as they were, for Serialize() to report.
  auto renumber = [&](auto& b) {
    if (b >= 0 && static_cast<size_t>(b) < remap.size())
      b = static_cast<std::decay_t<decltype(b)>>(remap[b]);
  };
  for (auto& sg : model_->subgraphs)
    if (sg)
      for (auto& t : sg->tensors)
        if (t) renumber(t->buffer);
  for (auto& m : model_->metadata)
    if (m) renumber(m->buffer);
  for (int32_t& b : model_->metadata_buffer) renumber(b);
  buffers = std::move(kept);
  return removed;
}

Result<int> ModelEditor::RemoveUnusedTensors(int subgraph) {
  if (subgraph < 0 || subgraph >= subgraph_count() || !model_->subgraphs[subgraph])
    return InvalidArgumentError(fmt::format("subgraph {}: index out of range", subgraph));
  edit::SubGraphT& sg = *model_->subgraphs[subgraph];
  std::vector<bool> used(sg.tensors.size(), false);
  auto mark = [&](int64_t t) {
    if (t >= 0 && static_cast<size_t>(t) < used.size()) used[t] = true;
  };
  for (const auto& op : sg.operators) {
    if (!op) continue;
    for (int32_t t : op->inputs) mark(t);
    for (int32_t t : op->outputs) mark(t);
    for (int32_t t : op->intermediates) mark(t);
  }
  for (int32_t t : sg.inputs) mark(t);
  for (int32_t t : sg.outputs) mark(t);
  for (const auto& sig : model_->signature_defs) {
    if (!sig || sig->subgraph_index != static_cast<uint32_t>(subgraph)) continue;
    for (const auto& m : sig->inputs)
      if (m) mark(m->tensor_index);
    for (const auto& m : sig->outputs)
      if (m) mark(m->tensor_index);
  }
  // Block-wise / multi-axis details name the tensors holding scales and zero points.
  auto for_each_detail_index = [&](edit::TensorT& t, auto&& fn) {
    if (!t.quantization) return;
    edit::QuantizationDetailsUnion& d = t.quantization->details;
    if (auto* bw = d.AsBlockwiseQuantization()) {
      fn(bw->scales);
      fn(bw->zero_points);
    } else if (auto* ma = d.AsMultiAxisQuantization()) {
      fn(ma->scales);
      fn(ma->zero_points);
    }
  };
  for (auto& t : sg.tensors)
    if (t) for_each_detail_index(*t, [&](int32_t& i) { mark(i); });

  std::vector<int32_t> remap(sg.tensors.size(), -1);
  std::vector<std::unique_ptr<edit::TensorT>> kept;
  for (size_t i = 0; i < sg.tensors.size(); ++i) {
    if (!used[i]) continue;
    remap[i] = static_cast<int32_t>(kept.size());
    kept.push_back(std::move(sg.tensors[i]));
  }
  const int removed = static_cast<int>(sg.tensors.size() - kept.size());
  auto renumber = [&](auto& t) {
    if (t >= 0 && static_cast<size_t>(t) < remap.size()) t = remap[t];
  };
  for (auto& op : sg.operators) {
    if (!op) continue;
    for (int32_t& t : op->inputs) renumber(t);
    for (int32_t& t : op->outputs) renumber(t);
    for (int32_t& t : op->intermediates) renumber(t);
  }
  for (int32_t& t : sg.inputs) renumber(t);
  for (int32_t& t : sg.outputs) renumber(t);
  for (auto& sig : model_->signature_defs) {
    if (!sig || sig->subgraph_index != static_cast<uint32_t>(subgraph)) continue;
    for (auto& m : sig->inputs)
      if (m && m->tensor_index < remap.size())
        m->tensor_index = static_cast<uint32_t>(remap[m->tensor_index]);
    for (auto& m : sig->outputs)
      if (m && m->tensor_index < remap.size())
        m->tensor_index = static_cast<uint32_t>(remap[m->tensor_index]);
  }
  sg.tensors = std::move(kept);
  for (auto& t : sg.tensors)
    if (t) for_each_detail_index(*t, [&](int32_t& i) { renumber(i); });
  return removed;
}

int ModelEditor::RemoveUnusedOperatorCodes() {
  auto& codes = model_->operator_codes;
  std::vector<bool> used(codes.size(), false);
  for (const auto& sg : model_->subgraphs)
    if (sg)
      for (const auto& op : sg->operators)
        if (op && op->opcode_index < used.size()) used[op->opcode_index] = true;
  std::vector<uint32_t> remap(codes.size(), 0);
  std::vector<std::unique_ptr<edit::OperatorCodeT>> kept;
  for (size_t i = 0; i < codes.size(); ++i) {
    if (!used[i]) continue;
    remap[i] = static_cast<uint32_t>(kept.size());
    kept.push_back(std::move(codes[i]));
  }
  const int removed = static_cast<int>(codes.size() - kept.size());
  for (auto& sg : model_->subgraphs)
    if (sg)
      for (auto& op : sg->operators)
        if (op && op->opcode_index < remap.size()) op->opcode_index = remap[op->opcode_index];
  codes = std::move(kept);
  return removed;
}

}  // namespace litescope::runtime
