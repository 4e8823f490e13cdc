#include "runtime/internal/model_validator.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include <fmt/format.h>

#include "runtime/data_type.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

constexpr uint32_t kSchemaVersion = 3;

template <typename T>
uint32_t VecSize(const flatbuffers::Vector<T>* v) {
  return v ? v->size() : 0;
}

// Range of zero points a quantized integer type can hold; false for other types.
bool ZeroPointRange(schema::TensorType type, int64_t* min, int64_t* max) {
  switch (type) {
    case schema::TensorType::INT8:
      *min = -128;
      *max = 127;
      return true;
    case schema::TensorType::UINT8:
      *min = 0;
      *max = 255;
      return true;
    case schema::TensorType::INT16:
      *min = -32768;
      *max = 32767;
      return true;
    case schema::TensorType::INT4:
      *min = -8;
      *max = 7;
      return true;
    case schema::TensorType::UINT4:
      *min = 0;
      *max = 15;
      return true;
    default:
      return false;
  }
}

class Checker {
 public:
  Checker(const Model& model, const schema::Model* fb, const LoadOptions& options,
          std::vector<OpCodeInfo>& op_codes, std::vector<std::string>& warnings)
      : model_(model), fb_(fb), options_(options), op_codes_(op_codes), warnings_(warnings) {}

  Status Run() {
    if (fb_->version() != kSchemaVersion)
      return InvalidModelError(fmt::format("schema version {} is not supported (expected {})",
                                           fb_->version(), kSchemaVersion));
    num_buffers_ = VecSize(fb_->buffers());
    LS_RETURN_IF_ERROR(CheckBuffers());
    LS_RETURN_IF_ERROR(CheckOpCodes());
    const auto* subgraphs = fb_->subgraphs();
    if (!subgraphs || subgraphs->size() == 0) return InvalidModelError("model has no subgraphs");
    num_subgraphs_ = subgraphs->size();
    for (uint32_t s = 0; s < subgraphs->size(); ++s) {
      const schema::SubGraph* sg = subgraphs->Get(s);
      if (!sg) return InvalidModelError(fmt::format("subgraph {} is null", s));
      LS_RETURN_IF_ERROR(CheckSubgraph(s, *sg));
    }
    LS_RETURN_IF_ERROR(CheckSignatures());
    LS_RETURN_IF_ERROR(CheckMetadata());
    return Status::Ok();
  }

 private:
  Status CheckBuffers() {
    if (!fb_->buffers()) return Status::Ok();
    for (uint32_t i = 0; i < num_buffers_; ++i) {
      const schema::Buffer* b = fb_->buffers()->Get(i);
      if (!b) continue;  // a null buffer table reads as empty
      const uint64_t offset = b->offset(), size = b->size();
      if (offset > 1 || size > 0) {
        if (b->data() && b->data()->size() > 0)
          return InvalidModelError(
              fmt::format("buffer {} has both inline data and an offset/size", i));
        if (offset <= 1 && size > 0)
          return InvalidModelError(fmt::format("buffer {} has size {} but no offset", i, size));
        if (offset > model_.size() || size > model_.size() - offset)
          return InvalidModelError(
              fmt::format("buffer {} (offset {}, size {}) lies outside the {}-byte file", i, offset,
                          size, model_.size()));
      }
    }
    return Status::Ok();
  }

  Status CheckOpCodes() {
    const auto* codes = fb_->operator_codes();
    for (uint32_t i = 0; i < VecSize(codes); ++i) {
      const schema::OperatorCode* c = codes->Get(i);
      OpCodeInfo info;
      if (!c) return InvalidModelError(fmt::format("operator code {} is null", i));
      int32_t deprecated = c->deprecated_builtin_code();
      int32_t code = static_cast<int32_t>(c->builtin_code());
      info.builtin = std::max(deprecated, code);
      info.version = c->version();
      if (info.version < 1)
        return InvalidModelError(fmt::format("operator code {} has version {}", i, info.version));
      if (info.builtin < 0)
        return InvalidModelError(
            fmt::format("operator code {} has builtin code {}", i, info.builtin));
      const auto max_known = static_cast<int32_t>(schema::BuiltinOperator::MAX);
      if (info.builtin > max_known) {
        info.known = false;
        info.name = fmt::format("UNKNOWN_{}", info.builtin);
        warnings_.push_back(fmt::format(
            "operator code {}: builtin code {} is newer than this schema", i, info.builtin));
      } else {
        info.name =
            schema::EnumNameBuiltinOperator(static_cast<schema::BuiltinOperator>(info.builtin));
        if (info.name.empty()) info.name = fmt::format("UNKNOWN_{}", info.builtin);
      }
      if (info.builtin == static_cast<int32_t>(schema::BuiltinOperator::CUSTOM)) {
        info.custom_code = c->custom_code() ? c->custom_code()->str() : std::string();
        if (info.custom_code.empty())
          return InvalidModelError(fmt::format("operator code {} is CUSTOM without a name", i));
        info.name = info.custom_code;
      }
      op_codes_.push_back(std::move(info));
    }
    return Status::Ok();
  }

  Status CheckTensorIndexList(const flatbuffers::Vector<int32_t>* v, uint32_t num_tensors,
                              bool allow_absent, const std::string& what) {
    for (uint32_t i = 0; i < VecSize(v); ++i) {
      int32_t t = v->Get(i);
      if (t == -1 && allow_absent) continue;
      if (t < 0 || static_cast<uint32_t>(t) >= num_tensors)
        return InvalidModelError(fmt::format("{} {} refers to tensor {}, but there are {} tensors",
                                             what, i, t, num_tensors));
    }
    return Status::Ok();
  }

  Status CheckTensor(uint32_t s, uint32_t t, const schema::Tensor& tensor) {
    const std::string label = fmt::format("subgraph {} tensor {}", s, t);
    const int type = static_cast<int>(tensor.type());
    if (!IsKnownDataType(type))
      return InvalidModelError(fmt::format("{}: unknown type code {}", label, type));
    if (tensor.buffer() >= num_buffers_ && !(tensor.buffer() == 0 && num_buffers_ == 0))
      return InvalidModelError(fmt::format("{}: buffer {} out of range ({} buffers)", label,
                                           tensor.buffer(), num_buffers_));
    // Kernels multiply sub-ranges of the dimensions (inner sizes, strides) even when another
    // dimension is 0, so the product of the non-zero dimensions must fit as well.
    int64_t elements = 1, nonzero = 1;
    const auto* shape = tensor.shape();
    for (uint32_t i = 0; i < VecSize(shape); ++i) {
      int32_t d = shape->Get(i);
      if (d < 0) return InvalidModelError(fmt::format("{}: dimension {} is {}", label, i, d));
      if (d != 0 && nonzero > std::numeric_limits<int64_t>::max() / d)
        return InvalidModelError(
            fmt::format("{}: shape {} size overflows", label, ShapeString(shape)));
      if (d != 0) nonzero *= d;
      elements *= d;
    }
    if (VecSize(shape) > 16)
      return InvalidModelError(fmt::format("{}: rank {} is above 16", label, VecSize(shape)));
    const auto dtype = static_cast<DataType>(type);
    int64_t bytes = 0, nonzero_bytes = 0;
    const bool sized = DataTypeBytes(dtype, elements, &bytes);
    if (DataTypeSize(dtype) > 0 && !DataTypeBytes(dtype, nonzero, &nonzero_bytes))
      return InvalidModelError(fmt::format("{}: shape {} of {} overflows a 64-bit byte count",
                                           label, ShapeString(shape), DataTypeName(dtype)));
    if (sized && bytes > options_.max_tensor_bytes)
      return InvalidModelError(fmt::format("{}: declares {} bytes, above the limit of {}", label,
                                           bytes, options_.max_tensor_bytes));
    if (nonzero_bytes > options_.max_tensor_bytes)
      return InvalidModelError(fmt::format(
          "{}: shape {} is empty, but its other dimensions span {} bytes, above the limit of {}",
          label, ShapeString(shape), nonzero_bytes, options_.max_tensor_bytes));
    Model::Bytes data = model_.BufferData(tensor.buffer());
    if (data.size > 0 && sized && !tensor.sparsity() &&
        static_cast<uint64_t>(data.size) < static_cast<uint64_t>(bytes))
      return InvalidModelError(
          fmt::format("{}: constant buffer {} holds {} bytes; shape {} of {} needs {}", label,
                      tensor.buffer(), data.size, ShapeString(shape), DataTypeName(dtype), bytes));
    // Kernels read BOOL elements as C++ bool, for which any byte but 0 and 1 is undefined.
    if (dtype == DataType::kBool && sized) {
      const size_t n = std::min(data.size, static_cast<size_t>(bytes));
      for (size_t i = 0; i < n; ++i)
        if (data.data[i] > 1)
          return InvalidModelError(fmt::format(
              "{}: constant BOOL element {} is {}; expected 0 or 1", label, i, data.data[i]));
    }
    if (const auto* q = tensor.quantization()) LS_RETURN_IF_ERROR(CheckQuant(label, tensor, *q));
    return Status::Ok();
  }

  Status CheckQuant(const std::string& label, const schema::Tensor& tensor,
                    const schema::QuantizationParameters& q) {
    const uint32_t n_scale = VecSize(q.scale());
    const uint32_t n_zp = VecSize(q.zero_point());
    // The verifier aligns a vector's length, not its 8-byte elements; checked even without
    // scales, since the interpreter still reads the zero points.
    if (n_zp != 0 && reinterpret_cast<uintptr_t>(q.zero_point()->data()) % alignof(int64_t) != 0)
      return InvalidModelError(fmt::format("{}: zero points are not 8-byte aligned", label));
    if (n_scale == 0) return Status::Ok();
    if (n_zp != 0 && n_zp != n_scale)
      return InvalidModelError(
          fmt::format("{}: {} scales but {} zero points", label, n_scale, n_zp));
    // Kernels divide by scales and narrow zero points to the storage type.
    for (uint32_t i = 0; i < n_scale; ++i) {
      const float scale = q.scale()->Get(i);
      if (!std::isfinite(scale) || !(scale > 0.0f))
        return InvalidModelError(fmt::format(
            "{}: quantization scale {} is {}; expected a finite value above 0", label, i, scale));
    }
    int64_t zp_min = 0, zp_max = 0;
    if (ZeroPointRange(tensor.type(), &zp_min, &zp_max)) {
      for (uint32_t i = 0; i < n_zp; ++i) {
        const int64_t zp = q.zero_point()->Get(i);
        if (zp < zp_min || zp > zp_max)
          return InvalidModelError(fmt::format(
              "{}: zero point {} (index {}) is outside the {} "
              "range [{}, {}]",
              label, zp, i, DataTypeName(static_cast<DataType>(tensor.type())), zp_min, zp_max));
      }
    }
    const uint32_t rank = VecSize(tensor.shape());
    const int32_t qdim = q.quantized_dimension();
    if (qdim < 0)
      return InvalidModelError(fmt::format("{}: quantized_dimension {} is negative", label, qdim));
    if (n_scale > 1) {
      uint32_t axis = static_cast<uint32_t>(qdim);
      if (axis >= rank && rank == 1) {
        // TFLite Micro's person_detect carries quantized_dimension 3 on its rank-1 per-channel
        // biases; the only axis is meant (TFLM ignores the field), so read it as 0.
        warnings_.push_back(
            fmt::format("{}: quantized_dimension {} is beyond rank 1 (read as 0)", label, qdim));
        axis = 0;
      }
      if (axis >= rank)
        return InvalidModelError(
            fmt::format("{}: quantized_dimension {} is beyond rank {}", label, qdim, rank));
      const int32_t channels = tensor.shape()->Get(axis);
      if (static_cast<int64_t>(n_scale) != channels)
        return InvalidModelError(
            fmt::format("{}: {} per-channel scales for dimension {} of size {}", label, n_scale,
                        qdim, channels));
    } else if (rank > 0 && static_cast<uint32_t>(qdim) >= rank) {
      // TensorFlow Lite rejects this; TFLite Micro ignores it. A single scale makes the
      // dimension irrelevant, so we load the model and say so.
      warnings_.push_back(fmt::format(
          "{}: quantized_dimension {} is beyond rank {} (ignored: the tensor has one scale)", label,
          qdim, rank));
    }
    return Status::Ok();
  }

  // BlockwiseQuantization details name other tensors of the subgraph; kernels check their
  // types and shapes.
  Status CheckQuantDetails(uint32_t s, uint32_t t, const schema::Tensor& tensor,
                           uint32_t num_tensors) {
    const schema::QuantizationParameters* q = tensor.quantization();
    const schema::BlockwiseQuantization* bw = q ? q->details_as_BlockwiseQuantization() : nullptr;
    if (!bw) return Status::Ok();
    const std::string label = fmt::format("subgraph {} tensor {}", s, t);
    if (bw->scales() < 0 || static_cast<uint32_t>(bw->scales()) >= num_tensors)
      return InvalidModelError(
          fmt::format("{}: blockwise scales refer to tensor {}, but there "
                      "are {} tensors",
                      label, bw->scales(), num_tensors));
    if (bw->zero_points() < -1 ||
        (bw->zero_points() >= 0 && static_cast<uint32_t>(bw->zero_points()) >= num_tensors))
      return InvalidModelError(
          fmt::format("{}: blockwise zero points refer to tensor {}, but "
                      "there are {} tensors",
                      label, bw->zero_points(), num_tensors));
    if (bw->block_size() <= 0)
      return InvalidModelError(
          fmt::format("{}: blockwise block size is {}; expected above 0", label, bw->block_size()));
    return Status::Ok();
  }

  Status CheckSubgraph(uint32_t s, const schema::SubGraph& sg) {
    const uint32_t num_tensors = VecSize(sg.tensors());
    for (uint32_t t = 0; t < num_tensors; ++t) {
      const schema::Tensor* tensor = sg.tensors()->Get(t);
      if (!tensor) return InvalidModelError(fmt::format("subgraph {} tensor {} is null", s, t));
      LS_RETURN_IF_ERROR(CheckTensor(s, t, *tensor));
      LS_RETURN_IF_ERROR(CheckQuantDetails(s, t, *tensor, num_tensors));
    }
    LS_RETURN_IF_ERROR(
        CheckTensorIndexList(sg.inputs(), num_tensors, false, fmt::format("subgraph {} input", s)));
    LS_RETURN_IF_ERROR(CheckTensorIndexList(sg.outputs(), num_tensors, false,
                                            fmt::format("subgraph {} output", s)));
    const uint32_t num_codes = static_cast<uint32_t>(op_codes_.size());
    for (uint32_t o = 0; o < VecSize(sg.operators()); ++o) {
      const schema::Operator* op = sg.operators()->Get(o);
      const std::string label = fmt::format("subgraph {} operator {}", s, o);
      if (!op) return InvalidModelError(label + " is null");
      if (op->opcode_index() >= num_codes)
        return InvalidModelError(fmt::format("{}: opcode index {} out of range ({} codes)", label,
                                             op->opcode_index(), num_codes));
      LS_RETURN_IF_ERROR(CheckTensorIndexList(op->inputs(), num_tensors, true, label + ": input"));
      LS_RETURN_IF_ERROR(
          CheckTensorIndexList(op->outputs(), num_tensors, false, label + ": output"));
      LS_RETURN_IF_ERROR(
          CheckTensorIndexList(op->intermediates(), num_tensors, true, label + ": intermediate"));
      if (op->large_custom_options_offset() > 1) {
        const uint64_t off = op->large_custom_options_offset();
        const uint64_t size = op->large_custom_options_size();
        if (off > model_.size() || size > model_.size() - off)
          return InvalidModelError(label + ": large custom options lie outside the file");
      }
      LS_RETURN_IF_ERROR(CheckSubgraphRefs(label, *op));
    }
    return Status::Ok();
  }

  Status CheckSubgraphIndex(const std::string& label, const char* what, int32_t index) {
    if (index < 0 || static_cast<uint32_t>(index) >= num_subgraphs_)
      return InvalidModelError(fmt::format("{}: {} subgraph {} out of range ({} subgraphs)", label,
                                           what, index, num_subgraphs_));
    return Status::Ok();
  }

  Status CheckSubgraphRefs(const std::string& label, const schema::Operator& op) {
    if (const auto* w = op.builtin_options_as_WhileOptions()) {
      LS_RETURN_IF_ERROR(CheckSubgraphIndex(label, "cond", w->cond_subgraph_index()));
      LS_RETURN_IF_ERROR(CheckSubgraphIndex(label, "body", w->body_subgraph_index()));
    } else if (const auto* i = op.builtin_options_as_IfOptions()) {
      LS_RETURN_IF_ERROR(CheckSubgraphIndex(label, "then", i->then_subgraph_index()));
      LS_RETURN_IF_ERROR(CheckSubgraphIndex(label, "else", i->else_subgraph_index()));
    } else if (const auto* c = op.builtin_options_as_CallOnceOptions()) {
      LS_RETURN_IF_ERROR(CheckSubgraphIndex(label, "init", c->init_subgraph_index()));
    }
    return Status::Ok();
  }

  Status CheckSignatures() {
    const auto* sigs = fb_->signature_defs();
    for (uint32_t i = 0; i < VecSize(sigs); ++i) {
      const schema::SignatureDef* sig = sigs->Get(i);
      const std::string label = fmt::format("signature {}", i);
      if (!sig) return InvalidModelError(label + " is null");
      if (sig->subgraph_index() >= num_subgraphs_)
        return InvalidModelError(
            fmt::format("{}: subgraph {} out of range", label, sig->subgraph_index()));
      const schema::SubGraph* sg = fb_->subgraphs()->Get(sig->subgraph_index());
      const uint32_t num_tensors = VecSize(sg->tensors());
      for (const auto* maps : {sig->inputs(), sig->outputs()}) {
        for (uint32_t j = 0; j < VecSize(maps); ++j) {
          const schema::TensorMap* m = maps->Get(j);
          if (!m) return InvalidModelError(label + ": null tensor map");
          if (m->tensor_index() >= num_tensors)
            return InvalidModelError(
                fmt::format("{}: tensor {} out of range", label, m->tensor_index()));
        }
      }
    }
    return Status::Ok();
  }

  Status CheckMetadata() {
    const auto* md = fb_->metadata();
    for (uint32_t i = 0; i < VecSize(md); ++i) {
      const schema::Metadata* m = md->Get(i);
      if (!m) return InvalidModelError(fmt::format("metadata {} is null", i));
      if (m->buffer() >= num_buffers_)
        return InvalidModelError(
            fmt::format("metadata {} refers to buffer {} out of range", i, m->buffer()));
    }
    return Status::Ok();
  }

  static std::string ShapeString(const flatbuffers::Vector<int32_t>* shape) {
    std::string s = "[";
    for (uint32_t i = 0; i < VecSize(shape); ++i)
      s += (i ? ", " : "") + std::to_string(shape->Get(i));
    return s + "]";
  }

  const Model& model_;
  const schema::Model* fb_;
  const LoadOptions& options_;
  std::vector<OpCodeInfo>& op_codes_;
  std::vector<std::string>& warnings_;
  uint32_t num_buffers_ = 0;
  uint32_t num_subgraphs_ = 0;
};

// Size of the flatbuffer at the start of the file: the shortest prefix that still verifies
// (verification only compares object ends with the size, so it is monotone in the size),
// rounded up to 4 because FlatBufferBuilder always emits a multiple of 4 bytes. Bytes beyond it
// are padding, external buffers or appended files; a file shorter than it was truncated.
size_t FlatbufferExtent(const uint8_t* data, size_t size,
                        const flatbuffers::Verifier::Options& options) {
  auto verifies = [&](size_t n) {
    flatbuffers::Verifier verifier(data, n, options);
    return schema::VerifyModelBuffer(verifier);
  };
  size_t extent = size;
  if (verifies(size - 1)) {  // binary search only when the file has slack at its end
    size_t lo = 8, hi = size - 1;
    while (lo < hi) {
      const size_t mid = lo + (hi - lo) / 2;
      if (verifies(mid))
        hi = mid;
      else
        lo = mid + 1;
    }
    extent = hi;
  }
  return (extent + 3) & ~size_t{3};
}

// Models with TFLite metadata may carry their associated files (labels, vocabularies) as a zip
// archive appended after the flatbuffer. A zip ends with its end-of-central-directory record
// (signature PK\5\6, 22 bytes plus a comment), so an archive without one was cut short.
Status CheckAppendedArchive(const uint8_t* data, size_t size, size_t extent) {
  size_t start = extent;
  while (start < size && start < extent + 64 && data[start] == 0) ++start;  // padding
  if (size - start < 4 || std::memcmp(data + start, "PK\3\4", 4) != 0) return Status::Ok();
  constexpr size_t kEndRecordBytes = 22;
  for (size_t pos = size >= kEndRecordBytes ? size - kEndRecordBytes : 0;
       pos >= start && pos + kEndRecordBytes + 0xffff >= size; --pos) {
    const size_t comment = data[pos + 20] | (size_t{data[pos + 21]} << 8);
    if (std::memcmp(data + pos, "PK\5\6", 4) == 0 && pos + kEndRecordBytes + comment == size)
      return Status::Ok();
    if (pos == 0) break;
  }
  return InvalidModelError(fmt::format(
      "truncated: the zip archive of associated files at byte {} has no end record", start));
}

}  // namespace

Status ModelValidator::Validate(Model& model, const LoadOptions& options) {
  if (model.size_ == 0) return InvalidModelError("file is empty");
  if (model.size_ < 8)
    return InvalidModelError(
        fmt::format("file is {} bytes, too small for a TFLite model", model.size_));
  if (!schema::ModelBufferHasIdentifier(model.data_)) {
    char id[5] = {0};
    std::memcpy(id, model.data_ + 4, 4);
    for (char& c : id)
      if (c && (c < 32 || c > 126)) c = '?';
    return InvalidModelError(
        fmt::format("not a TFLite model: file identifier is \"{}\", expected \"TFL3\"", id));
  }
  if (model.size_ >= FLATBUFFERS_MAX_BUFFER_SIZE)
    return InvalidModelError("file is larger than a flatbuffer can address (2 GiB)");
  flatbuffers::Verifier::Options vopts;
  vopts.max_depth = 128;
  vopts.max_tables = 10'000'000;
  vopts.check_alignment = true;
  flatbuffers::Verifier verifier(model.data_, model.size_, vopts);
  if (!schema::VerifyModelBuffer(verifier))
    return InvalidModelError("flatbuffer verification failed: the file is truncated or corrupt");
  const size_t extent = FlatbufferExtent(model.data_, model.size_, vopts);
  if (extent > model.size_)
    return InvalidModelError(fmt::format(
        "truncated: the flatbuffer needs {} bytes, the file has {}", extent, model.size_));
  LS_RETURN_IF_ERROR(CheckAppendedArchive(model.data_, model.size_, extent));
  const schema::Model* fb = schema::GetModel(model.data_);
  Checker checker(model, fb, options, model.op_codes_, model.warnings_);
  model.fb_ = fb;
  Status s = checker.Run();
  if (!s.ok()) {
    model.fb_ = nullptr;
    model.op_codes_.clear();
  }
  return s;
}

}  // namespace litescope::runtime
