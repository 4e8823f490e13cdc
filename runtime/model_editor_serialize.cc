// ModelEditor::Serialize: structural check of the object tree, packing, and the re-load that
// proves the bytes valid.
#include <algorithm>
#include <cstdio>
#include <new>
#include <string>
#include <vector>

#include <flatbuffers/flatbuffers.h>
#include <fmt/format.h>

#include "runtime/model_editor.h"

namespace litescope::runtime {
namespace {

// FlatBuffers addresses at most 2 GiB - 1 with its 32-bit offsets. Inline data is refused well
// before that, leaving room for the rest of the tree.
constexpr uint64_t kMaxInlineBytes = (uint64_t{1} << 31) - (uint64_t{64} << 20);
// Alignment of inline buffer data (the schema's force_align: 16, what the TFLite converter uses).
constexpr size_t kInlineAlignment = 16;
// File offset alignment of buffers written after the flatbuffer.
constexpr uint64_t kExternalAlignment = 64;

uint64_t AlignUp(uint64_t value, uint64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

std::string OpLabel(const edit::ModelT& m, size_t s, size_t i, const edit::OperatorT& op) {
  std::string name = "?";
  if (op.opcode_index < m.operator_codes.size() && m.operator_codes[op.opcode_index]) {
    const edit::OperatorCodeT& c = *m.operator_codes[op.opcode_index];
    const int32_t code = std::max<int32_t>(static_cast<int32_t>(c.builtin_code),
                                           static_cast<int32_t>(c.deprecated_builtin_code));
    if (!c.custom_code.empty())
      name = c.custom_code;
    else if (code >= 0 && code <= static_cast<int32_t>(edit::BuiltinOperator::MAX))
      name = edit::EnumNameBuiltinOperator(static_cast<edit::BuiltinOperator>(code));
    else
      name = fmt::format("UNKNOWN_{}", code);
  }
  return fmt::format("subgraph {} operator {} ({})", s, i, name);
}

// True when the tensor has constant bytes or no elements at all (nothing to read).
bool HasDataOrIsEmpty(const edit::ModelT& m, const edit::TensorT& t) {
  if (t.buffer != 0 && t.buffer < m.buffers.size() && m.buffers[t.buffer] &&
      !m.buffers[t.buffer]->data.empty())
    return true;
  if (t.shape.empty()) return false;  // a scalar has one element
  for (int32_t d : t.shape)
    if (d == 0) return true;
  return false;
}

Status CheckTensor(const edit::ModelT& m, size_t s, size_t i, const edit::TensorT* t) {
  if (!t) return InvalidModelError(fmt::format("subgraph {} tensor {}: null entry", s, i));
  if (t->buffer >= m.buffers.size())
    return InvalidModelError(
        fmt::format("subgraph {} tensor {} (\"{}\"): buffer {} out of range "
                    "(the model has {} buffers)",
                    s, i, t->name, t->buffer, m.buffers.size()));
  if (t->quantization && t->quantization->details.type != edit::QuantizationDetails::NONE &&
      !t->quantization->details.value)
    return InvalidModelError(
        fmt::format("subgraph {} tensor {} (\"{}\"): quantization details type set without a value",
                    s, i, t->name));
  if (t->sparsity) {
    for (const auto& dm : t->sparsity->dim_metadata) {
      if (!dm ||
          (dm->array_segments.type != edit::SparseIndexVector::NONE && !dm->array_segments.value) ||
          (dm->array_indices.type != edit::SparseIndexVector::NONE && !dm->array_indices.value))
        return InvalidModelError(
            fmt::format("subgraph {} tensor {} (\"{}\"): incomplete sparsity dimension metadata", s,
                        i, t->name));
    }
  }
  for (const auto& v : t->variant_tensors)
    if (!v)
      return InvalidModelError(
          fmt::format("subgraph {} tensor {} (\"{}\"): null variant entry", s, i, t->name));
  return Status::Ok();
}

// Step 1 of Serialize: everything packing relies on (no null pointers, union values present) and
// the index and data-flow errors an edit typically introduces, reported with names. The full
// semantic check is the validator's, run on the packed bytes.
Status CheckTree(const edit::ModelT& m) {
  if (m.buffers.empty() || !m.buffers[0])
    return InvalidModelError("buffer 0 (the empty sentinel) is missing");
  if (!m.buffers[0]->data.empty())
    return InvalidModelError("buffer 0 (the empty sentinel) must hold no data");
  for (size_t b = 0; b < m.buffers.size(); ++b)
    if (!m.buffers[b]) return InvalidModelError(fmt::format("buffer {}: null entry", b));
  for (size_t c = 0; c < m.operator_codes.size(); ++c)
    if (!m.operator_codes[c])
      return InvalidModelError(fmt::format("operator code {}: null entry", c));
  if (m.subgraphs.empty()) return InvalidModelError("the model has no subgraph");

  for (size_t s = 0; s < m.subgraphs.size(); ++s) {
    const edit::SubGraphT* sg = m.subgraphs[s].get();
    if (!sg) return InvalidModelError(fmt::format("subgraph {}: null entry", s));
    const size_t n = sg->tensors.size();
    for (size_t i = 0; i < n; ++i) LS_RETURN_IF_ERROR(CheckTensor(m, s, i, sg->tensors[i].get()));
    auto in_range = [n](int32_t t) { return t >= 0 && static_cast<size_t>(t) < n; };
    for (int32_t t : sg->inputs)
      if (!in_range(t))
        return InvalidModelError(
            fmt::format("subgraph {}: input tensor {} out of range "
                        "(the subgraph has {} tensors)",
                        s, t, n));
    for (int32_t t : sg->outputs)
      if (!in_range(t))
        return InvalidModelError(
            fmt::format("subgraph {}: output tensor {} out of range "
                        "(the subgraph has {} tensors)",
                        s, t, n));

    // Tensors whose value exists before operator i runs.
    std::vector<bool> ready(n, false);
    for (int32_t t : sg->inputs) ready[t] = true;
    for (size_t i = 0; i < n; ++i)
      if (sg->tensors[i]->is_variable || HasDataOrIsEmpty(m, *sg->tensors[i])) ready[i] = true;

    for (size_t i = 0; i < sg->operators.size(); ++i) {
      const edit::OperatorT* op = sg->operators[i].get();
      if (!op) return InvalidModelError(fmt::format("subgraph {} operator {}: null entry", s, i));
      const std::string label = OpLabel(m, s, i, *op);
      if (op->opcode_index >= m.operator_codes.size())
        return InvalidModelError(
            fmt::format("{}: operator code {} out of range (the model has "
                        "{})",
                        label, op->opcode_index, m.operator_codes.size()));
      if (op->builtin_options.type != edit::BuiltinOptions::NONE && !op->builtin_options.value)
        return InvalidModelError(label + ": builtin_options type set without a value");
      if (op->builtin_options_2.type != edit::BuiltinOptions2::NONE && !op->builtin_options_2.value)
        return InvalidModelError(label + ": builtin_options_2 type set without a value");
      for (size_t k = 0; k < op->inputs.size(); ++k) {
        const int32_t t = op->inputs[k];
        if (t == -1) continue;  // omitted optional input
        if (!in_range(t))
          return InvalidModelError(
              fmt::format("{}: input {} is tensor {}, out of range (the "
                          "subgraph has {} tensors)",
                          label, k, t, n));
        if (!ready[t])
          return InvalidModelError(fmt::format(
              "{}: input {} reads tensor {} (\"{}\"), which no earlier operator writes and which "
              "is neither a subgraph input, a constant nor a variable",
              label, k, t, sg->tensors[t]->name));
      }
      for (const std::vector<int32_t>* list : {&op->outputs, &op->intermediates}) {
        for (int32_t t : *list) {
          if (!in_range(t))
            return InvalidModelError(
                fmt::format("{}: {} tensor {} out of range (the subgraph "
                            "has {} tensors)",
                            label, list == &op->outputs ? "output" : "intermediate", t, n));
          ready[t] = true;
        }
      }
    }
  }
  for (size_t i = 0; i < m.signature_defs.size(); ++i) {
    const edit::SignatureDefT* sig = m.signature_defs[i].get();
    if (!sig) return InvalidModelError(fmt::format("signature {}: null entry", i));
    if (sig->subgraph_index >= m.subgraphs.size())
      return InvalidModelError(fmt::format("signature \"{}\": subgraph {} out of range",
                                           sig->signature_key, sig->subgraph_index));
    const size_t n = m.subgraphs[sig->subgraph_index]->tensors.size();
    for (const auto* maps : {&sig->inputs, &sig->outputs}) {
      for (const auto& tm : *maps) {
        if (!tm)
          return InvalidModelError(
              fmt::format("signature \"{}\": null tensor map", sig->signature_key));
        if (tm->tensor_index >= n)
          return InvalidModelError(
              fmt::format("signature \"{}\": \"{}\" names tensor {}, out of "
                          "range (subgraph {} has {} tensors)",
                          sig->signature_key, tm->name, tm->tensor_index, sig->subgraph_index, n));
      }
    }
  }
  for (size_t i = 0; i < m.metadata.size(); ++i) {
    if (!m.metadata[i]) return InvalidModelError(fmt::format("metadata {}: null entry", i));
    if (m.metadata[i]->buffer >= m.buffers.size())
      return InvalidModelError(fmt::format("metadata \"{}\": buffer {} out of range",
                                           m.metadata[i]->name, m.metadata[i]->buffer));
  }
  for (int32_t b : m.metadata_buffer)
    if (b < 0 || static_cast<size_t>(b) >= m.buffers.size())
      return InvalidModelError(fmt::format("metadata_buffer entry {} out of range", b));
  for (const auto& g : m.external_buffer_groups)
    if (!g) return InvalidModelError("external buffer group: null entry");
  for (const auto& e : m.external_buffers)
    if (!e) return InvalidModelError("external buffer: null entry");
  return Status::Ok();
}

// Packs the tree like the generated CreateModel(ModelT) does, except that buffers flagged in
// `external` are written as offset/size (from `offsets`) without data.
void Pack(const edit::ModelT& m, const std::vector<bool>& external,
          const std::vector<uint64_t>& offsets, flatbuffers::FlatBufferBuilder& fbb) {
  using flatbuffers::Offset;
  std::vector<Offset<edit::OperatorCode>> codes;
  for (const auto& c : m.operator_codes) codes.push_back(edit::CreateOperatorCode(fbb, c.get()));
  std::vector<Offset<edit::SubGraph>> subgraphs;
  for (const auto& s : m.subgraphs) subgraphs.push_back(edit::CreateSubGraph(fbb, s.get()));
  std::vector<Offset<edit::Buffer>> buffers;
  for (size_t i = 0; i < m.buffers.size(); ++i) {
    const edit::BufferT& b = *m.buffers[i];
    if (external[i]) {
      buffers.push_back(edit::CreateBuffer(fbb, 0, offsets[i], b.data.size()));
    } else {
      // Buffer.data is force_align: 16; an empty buffer is written without a data vector.
      Offset<flatbuffers::Vector<uint8_t>> data = 0;
      if (!b.data.empty()) {
        fbb.ForceVectorAlignment(b.data.size(), sizeof(uint8_t), kInlineAlignment);
        data = fbb.CreateVector(b.data);
      }
      buffers.push_back(edit::CreateBuffer(fbb, data));
    }
  }
  std::vector<Offset<edit::Metadata>> metadata;
  for (const auto& x : m.metadata) metadata.push_back(edit::CreateMetadata(fbb, x.get()));
  std::vector<Offset<edit::SignatureDef>> signatures;
  for (const auto& x : m.signature_defs)
    signatures.push_back(edit::CreateSignatureDef(fbb, x.get()));
  std::vector<Offset<edit::ExternalBufferGroup>> groups;
  for (const auto& x : m.external_buffer_groups)
    groups.push_back(edit::CreateExternalBufferGroup(fbb, x.get()));
  std::vector<Offset<edit::ExternalBuffer>> ext;
  for (const auto& x : m.external_buffers) ext.push_back(edit::CreateExternalBuffer(fbb, x.get()));

  auto vec = [&fbb](const auto& v) { return v.empty() ? 0 : fbb.CreateVector(v); };
  const auto root = edit::CreateModel(fbb, m.version, vec(codes), vec(subgraphs),
                                      m.description.empty() ? 0 : fbb.CreateString(m.description),
                                      vec(buffers), vec(m.metadata_buffer), vec(metadata),
                                      vec(signatures), vec(groups), vec(ext));
  edit::FinishModelBuffer(fbb, root);
}

}  // namespace

Result<std::vector<uint8_t>> ModelEditor::Serialize(const SerializeOptions& options) const {
  const edit::ModelT& m = *model_;
  Status tree = CheckTree(m);
  if (!tree.ok()) return tree.WithContext("cannot serialize the edited model");

  std::vector<bool> external(m.buffers.size(), false);
  uint64_t inline_bytes = 0;
  bool any_external = false;
  for (size_t i = 0; i < m.buffers.size(); ++i) {
    const size_t bytes = m.buffers[i]->data.size();
    external[i] = options.external_buffer_min_bytes > 0 && bytes > 0 &&
                  bytes >= options.external_buffer_min_bytes;
    any_external = any_external || external[i];
    if (!external[i]) inline_bytes += bytes;
  }
  for (const auto& sg : m.subgraphs)
    for (const auto& op : sg->operators) inline_bytes += op->custom_options.size();
  if (inline_bytes > kMaxInlineBytes)
    return InvalidArgumentError(fmt::format(
        "cannot serialize the edited model: {} bytes of inline data exceed FlatBuffers' 2 GiB "
        "limit; set SerializeOptions::external_buffer_min_bytes to store large buffers after "
        "the flatbuffer",
        inline_bytes));

  std::vector<uint8_t> out;
  try {
    // 1. pack with placeholder offsets to learn the flatbuffer's size (the size of a uint64 field
    //    does not depend on its value), 2. lay the external data out after it, 3. pack again.
    std::vector<uint64_t> offsets(m.buffers.size(), any_external ? 2 : 0);
    flatbuffers::FlatBufferBuilder fbb(1024 + inline_bytes + inline_bytes / 8);
    Pack(m, external, offsets, fbb);
    if (any_external) {
      const uint64_t fb_size = fbb.GetSize();
      uint64_t pos = AlignUp(fb_size, kExternalAlignment);
      for (size_t i = 0; i < m.buffers.size(); ++i) {
        if (!external[i]) continue;
        offsets[i] = pos;
        pos = AlignUp(pos + m.buffers[i]->data.size(), kExternalAlignment);
      }
      fbb.Clear();
      Pack(m, external, offsets, fbb);
      if (fbb.GetSize() != fb_size)
        return InternalError(
            "cannot serialize the edited model: the flatbuffer changed size "
            "between the two packing passes");
    }
    out.assign(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
    for (size_t i = 0; i < m.buffers.size(); ++i) {
      if (!external[i]) continue;
      out.resize(offsets[i], 0);
      out.insert(out.end(), m.buffers[i]->data.begin(), m.buffers[i]->data.end());
    }
  } catch (const std::bad_alloc&) {
    return OutOfMemoryError("cannot serialize the edited model: out of memory");
  }

  auto reloaded =
      Model::FromBuffer(out.data(), out.size(), "serialized model", options.load_options);
  if (!reloaded.ok())
    return Status(reloaded.status().code(),
                  "the edited model does not pass validation: " + reloaded.status().message());
  return out;
}

Status ModelEditor::WriteFile(const std::string& path, const SerializeOptions& options) const {
  Result<std::vector<uint8_t>> bytes = Serialize(options);
  if (!bytes.ok()) return bytes.status().WithContext(path);
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return IoError(fmt::format("{}: cannot create", tmp));
  const bool written = std::fwrite(bytes->data(), 1, bytes->size(), f) == bytes->size();
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed) {
    std::remove(tmp.c_str());
    return IoError(fmt::format("{}: write failed", tmp));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return IoError(fmt::format("{}: cannot rename {} into place", path, tmp));
  }
  return Status::Ok();
}

}  // namespace litescope::runtime
