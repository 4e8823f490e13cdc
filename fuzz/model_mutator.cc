#include "fuzz/model_mutator.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include <flatbuffers/flatbuffers.h>

#include "fuzz/model_synth.h"
#include "runtime/op_registry.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::fuzz {

uint64_t Rng::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

namespace {

namespace fb = flatbuffers;

// What a mutation site holds, which decides the values written there.
enum class SiteKind : uint8_t {
  kDim,             // int32 tensor dimension (shape or shape_signature)
  kTensorType,      // int8 TensorType
  kBufferIndex,     // uint32 Tensor.buffer; limit = number of buffers
  kTensorIndex,     // int32 tensor index (operator, subgraph or signature); limit = tensors
  kOpcodeIndex,     // uint32 Operator.opcode_index; limit = operator codes
  kBuiltinCode,     // int32 OperatorCode.builtin_code
  kDeprecatedCode,  // int8 OperatorCode.deprecated_builtin_code
  kOpVersion,       // int32 OperatorCode.version
  kOptionField,     // a builtin options field of `width` bytes (type unknown)
  kScale,           // float quantization scale
  kZeroPoint,       // int64 quantization zero point
  kQuantDim,        // int32 quantized_dimension
  kBool,            // uint8 flag (is_variable)
  kBufferBytes,     // `width` bytes of constant data
  kVectorLength,    // uint32 length prefix of a vector (only ever shrunk)
};

struct Site {
  SiteKind kind;
  size_t offset;   // in the model bytes
  uint32_t width;  // bytes
  uint32_t limit;
};

// Walks a verified model and records every place a mutation may rewrite; every recorded range
// lies inside the buffer.
class SiteCollector {
 public:
  SiteCollector(const uint8_t* base, size_t size) : base_(base), size_(size) {}

  std::vector<Site> Collect(const schema::Model& model) {
    const uint32_t num_buffers = model.buffers() ? model.buffers()->size() : 0;
    const uint32_t num_codes = model.operator_codes() ? model.operator_codes()->size() : 0;
    if (const auto* codes = model.operator_codes()) {
      for (const schema::OperatorCode* c : *codes) {
        Field(c, schema::OperatorCode::VT_DEPRECATED_BUILTIN_CODE, SiteKind::kDeprecatedCode, 1);
        Field(c, schema::OperatorCode::VT_BUILTIN_CODE, SiteKind::kBuiltinCode, 4);
        Field(c, schema::OperatorCode::VT_VERSION, SiteKind::kOpVersion, 4);
      }
    }
    if (const auto* buffers = model.buffers()) {
      for (const schema::Buffer* b : *buffers) {
        if (!b || !b->data() || b->data()->size() == 0) continue;
        sites_.push_back({SiteKind::kBufferBytes, At(b->data()->data()), b->data()->size(), 0});
        sites_.push_back({SiteKind::kVectorLength, At(b->data()->data()) - 4, 4, 0});
      }
    }
    const uint32_t num_subgraphs = model.subgraphs() ? model.subgraphs()->size() : 0;
    for (uint32_t s = 0; s < num_subgraphs; ++s) {
      const schema::SubGraph* sg = model.subgraphs()->Get(s);
      const uint32_t num_tensors = sg->tensors() ? sg->tensors()->size() : 0;
      for (uint32_t t = 0; t < num_tensors; ++t) Tensor(*sg->tensors()->Get(t), num_buffers);
      Vector(sg->inputs(), SiteKind::kTensorIndex, num_tensors);
      Vector(sg->outputs(), SiteKind::kTensorIndex, num_tensors);
      if (!sg->operators()) continue;
      for (const schema::Operator* op : *sg->operators()) {
        Field(op, schema::Operator::VT_OPCODE_INDEX, SiteKind::kOpcodeIndex, 4, num_codes);
        Vector(op->inputs(), SiteKind::kTensorIndex, num_tensors);
        Vector(op->outputs(), SiteKind::kTensorIndex, num_tensors);
        Vector(op->intermediates(), SiteKind::kTensorIndex, num_tensors);
        // The verifier checks a union's table only when its type is one this schema knows (not
        // NONE): otherwise the offset may point anywhere.
        const auto type = op->builtin_options_type();
        if (type != schema::BuiltinOptions::NONE && type <= schema::BuiltinOptions::MAX)
          Options(op->builtin_options());
        const auto type_2 = op->builtin_options_2_type();
        if (type_2 != schema::BuiltinOptions2::NONE && type_2 <= schema::BuiltinOptions2::MAX)
          Options(op->builtin_options_2());
      }
    }
    if (const auto* sigs = model.signature_defs()) {
      for (const schema::SignatureDef* sig : *sigs) {
        for (const auto* maps : {sig->inputs(), sig->outputs()}) {
          if (!maps) continue;
          for (const schema::TensorMap* m : *maps)
            Field(m, schema::TensorMap::VT_TENSOR_INDEX, SiteKind::kTensorIndex, 4, 16);
        }
      }
    }
    // The verifier bounds the fields this schema knows; an options table's size and unknown
    // fields it does not, so every range is checked against the buffer once more.
    std::vector<Site> in_bounds;
    for (const Site& site : sites_)
      if (site.offset <= size_ && site.width <= size_ - site.offset) in_bounds.push_back(site);
    return in_bounds;
  }

 private:
  size_t At(const void* p) const {
    return static_cast<size_t>(static_cast<const uint8_t*>(p) - base_);
  }

  // Records a scalar field when the table stores it (absent fields read as defaults and have
  // no bytes to rewrite).
  template <typename T>
  void Field(const T* table, fb::voffset_t field, SiteKind kind, uint32_t width,
             uint32_t limit = 0) {
    if (!table) return;
    const auto* t = reinterpret_cast<const fb::Table*>(table);
    const fb::voffset_t off = t->GetOptionalFieldOffset(field);
    if (off)
      sites_.push_back({kind, At(reinterpret_cast<const uint8_t*>(table) + off), width, limit});
  }

  template <typename T>
  void Vector(const fb::Vector<T>* v, SiteKind kind, uint32_t limit) {
    if (!v || v->size() == 0) return;
    const size_t data = At(v->data());
    for (uint32_t i = 0; i < v->size(); ++i)
      sites_.push_back({kind, data + i * sizeof(T), static_cast<uint32_t>(sizeof(T)), limit});
    sites_.push_back({SiteKind::kVectorLength, data - 4, 4, 0});
  }

  void Tensor(const schema::Tensor& t, uint32_t num_buffers) {
    Vector(t.shape(), SiteKind::kDim, 0);
    Vector(t.shape_signature(), SiteKind::kDim, 0);
    Field(&t, schema::Tensor::VT_TYPE, SiteKind::kTensorType, 1);
    Field(&t, schema::Tensor::VT_BUFFER, SiteKind::kBufferIndex, 4, num_buffers);
    Field(&t, schema::Tensor::VT_IS_VARIABLE, SiteKind::kBool, 1);
    if (const schema::QuantizationParameters* q = t.quantization()) {
      Vector(q->scale(), SiteKind::kScale, 0);
      Vector(q->zero_point(), SiteKind::kZeroPoint, 0);
      Field(q, schema::QuantizationParameters::VT_QUANTIZED_DIMENSION, SiteKind::kQuantDim, 4);
    }
  }

  // Every stored field of an options table. The schema of the table is not known here, so a
  // field's width is the gap to the next stored field (1, 2, 4 or 8 bytes, aligned). Rewriting
  // an offset field instead of a scalar only makes the verifier reject the model.
  void Options(const void* table) {
    if (!table) return;
    const auto* p = static_cast<const uint8_t*>(table);
    const uint8_t* vtable = p - fb::ReadScalar<fb::soffset_t>(p);
    const fb::voffset_t vsize = fb::ReadScalar<fb::voffset_t>(vtable);
    const fb::voffset_t tsize = fb::ReadScalar<fb::voffset_t>(vtable + 2);
    std::vector<fb::voffset_t> offsets;
    for (fb::voffset_t i = 4; i + 2 <= vsize; i += 2) {
      const fb::voffset_t off = fb::ReadScalar<fb::voffset_t>(vtable + i);
      if (off >= 4 && off < tsize) offsets.push_back(off);
    }
    std::sort(offsets.begin(), offsets.end());
    for (size_t i = 0; i < offsets.size(); ++i) {
      const size_t gap = (i + 1 < offsets.size() ? offsets[i + 1] : tsize) - offsets[i];
      uint32_t width = 8;
      while (width > 1 && (width > gap || At(p + offsets[i]) % width != 0)) width /= 2;
      sites_.push_back({SiteKind::kOptionField, At(p + offsets[i]), width, 0});
    }
  }

  const uint8_t* base_;
  size_t size_;
  std::vector<Site> sites_;
};

template <typename T>
T Load(const uint8_t* data, size_t offset) {
  T v;
  std::memcpy(&v, data + offset, sizeof(T));
  return v;
}

template <typename T>
void Store(uint8_t* data, size_t offset, T v) {
  std::memcpy(data + offset, &v, sizeof(T));
}

template <typename T, size_t N>
T Pick(Rng& rng, const T (&values)[N]) {
  return values[rng.Below(N)];
}

// Builtin codes that have a kernel: mutated op codes land on a real kernel most of the time.
const std::vector<int32_t>& KnownOps() {
  static const std::vector<int32_t> kOps = [] {
    std::vector<int32_t> ops;
    const runtime::OpRegistry registry = runtime::OpRegistry::WithBuiltins();
    for (const runtime::KernelRegistration& k : registry.kernels())
      if (k.op != runtime::kCustomOpCode) ops.push_back(k.op);
    if (ops.empty()) ops.push_back(0);
    return ops;
  }();
  return kOps;
}

constexpr int32_t kI32Min = std::numeric_limits<int32_t>::min();
constexpr int32_t kI32Max = std::numeric_limits<int32_t>::max();

int32_t OddInt32(Rng& rng, int32_t old) {
  static const int32_t kValues[] = {0,  1,   2,   3,     4,     5,     8,       16,      -1,
                                    -2, 255, 256, 65535, 65536, 46341, 1 << 24, kI32Max, kI32Min};
  switch (rng.Below(5)) {
    case 0:
      return static_cast<int32_t>(static_cast<uint32_t>(old) + 1);
    case 1:
      return static_cast<int32_t>(static_cast<uint32_t>(old) - 1);
    case 2:
      return static_cast<int32_t>(static_cast<uint32_t>(old) * 2);
    default:
      return Pick(rng, kValues);
  }
}

float OddFloat(Rng& rng, float old) {
  static const float kValues[] = {0.0f,
                                  -0.0f,
                                  1.0f,
                                  -1.0f,
                                  0.5f,
                                  1e-6f,
                                  1e-38f,
                                  1e-45f,
                                  3e38f,
                                  std::numeric_limits<float>::quiet_NaN(),
                                  std::numeric_limits<float>::infinity(),
                                  -std::numeric_limits<float>::infinity()};
  if (rng.OneIn(4)) return old * (rng.OneIn(2) ? 2.0f : 1.0f / 256);
  return Pick(rng, kValues);
}

// Rewrites the bytes of one site with a value chosen for its kind.
void Apply(uint8_t* data, const Site& s, Rng& rng) {
  switch (s.kind) {
    case SiteKind::kDim:
    case SiteKind::kQuantDim:
      Store(data, s.offset, OddInt32(rng, Load<int32_t>(data, s.offset)));
      return;
    case SiteKind::kTensorType:
      Store(data, s.offset, static_cast<int8_t>(rng.OneIn(8) ? 100 : rng.Below(24)));
      return;
    case SiteKind::kBufferIndex:
    case SiteKind::kOpcodeIndex: {
      const uint32_t values[] = {static_cast<uint32_t>(rng.Below(s.limit + 1)), s.limit,
                                 s.limit + 1, 0xffffffffu};
      Store(data, s.offset, rng.Below(3) ? values[0] : Pick(rng, values));
      return;
    }
    case SiteKind::kTensorIndex: {
      const int32_t valid = static_cast<int32_t>(rng.Below(std::max<uint32_t>(s.limit, 1)));
      const int32_t values[] = {-1, -2, static_cast<int32_t>(s.limit), kI32Max, kI32Min};
      Store(data, s.offset, rng.Below(3) ? valid : Pick(rng, values));
      return;
    }
    case SiteKind::kBuiltinCode: {
      const std::vector<int32_t>& ops = KnownOps();
      int32_t v = ops[rng.Below(ops.size())];
      if (rng.OneIn(8)) v = static_cast<int32_t>(rng.Below(220)) - 2;
      Store(data, s.offset, v);
      return;
    }
    case SiteKind::kDeprecatedCode: {
      const std::vector<int32_t>& ops = KnownOps();
      const int32_t v = ops[rng.Below(ops.size())];
      Store(data, s.offset, static_cast<int8_t>(v < 127 && !rng.OneIn(8) ? v : 127));
      return;
    }
    case SiteKind::kOpVersion: {
      static const int32_t kVersions[] = {1, 1, 2, 3, 4, 5, 7, 0, -1, 1000};
      Store(data, s.offset, Pick(rng, kVersions));
      return;
    }
    case SiteKind::kScale:
      Store(data, s.offset, OddFloat(rng, Load<float>(data, s.offset)));
      return;
    case SiteKind::kZeroPoint: {
      static const int64_t kValues[] = {-129,
                                        -128,
                                        -1,
                                        0,
                                        1,
                                        127,
                                        128,
                                        255,
                                        256,
                                        32767,
                                        32768,
                                        -32769,
                                        std::numeric_limits<int64_t>::min(),
                                        std::numeric_limits<int64_t>::max()};
      Store(data, s.offset, Pick(rng, kValues));
      return;
    }
    case SiteKind::kBool:
      data[s.offset] = static_cast<uint8_t>(data[s.offset] ? 0 : 1);
      return;
    case SiteKind::kVectorLength: {
      const uint32_t old = Load<uint32_t>(data, s.offset);
      if (old > 0)
        Store(data, s.offset, rng.OneIn(2) ? old - 1 : static_cast<uint32_t>(rng.Below(old)));
      return;
    }
    case SiteKind::kOptionField:
      switch (s.width) {
        case 1: {
          static const int8_t kValues[] = {0, 1, 2, 3, 4, 5, 6, -1, 127, -128};
          data[s.offset] = static_cast<uint8_t>(rng.OneIn(4) ? rng.Below(256) : Pick(rng, kValues));
          return;
        }
        case 2:
          Store(data, s.offset, static_cast<int16_t>(OddInt32(rng, Load<int16_t>(data, s.offset))));
          return;
        case 4:
          if (rng.OneIn(4))
            Store(data, s.offset, OddFloat(rng, Load<float>(data, s.offset)));
          else
            Store(data, s.offset, OddInt32(rng, Load<int32_t>(data, s.offset)));
          return;
        default:
          Store(data, s.offset,
                static_cast<uint64_t>(static_cast<int64_t>(OddInt32(rng, 0)))
                    << (rng.OneIn(2) ? 32 : 0));
          return;
      }
    case SiteKind::kBufferBytes: {
      static const uint32_t kWidths[] = {1, 2, 4, 8};
      const uint32_t w = std::min(Pick(rng, kWidths), s.width);
      const size_t slots = s.width / w;
      const size_t at = s.offset + rng.Below(slots) * w;
      switch (rng.Below(4)) {
        case 0:
          std::memset(data + at, 0, w);
          return;  // zero divisors
        case 1:
          std::memset(data + at, 0xff, w);
          return;  // -1, max, NaN
        case 2:
          if (w == 4) {
            if (rng.OneIn(2))
              Store(data, at, OddFloat(rng, Load<float>(data, at)));
            else
              Store(data, at, OddInt32(rng, Load<int32_t>(data, at)));
            return;
          }
          [[fallthrough]];
        default:
          for (size_t i = 0; i < w; ++i) data[at + i] = static_cast<uint8_t>(rng.Below(256));
          return;
      }
    }
  }
}

bool Verifies(const uint8_t* data, size_t size) {
  if (size < 8 || !schema::ModelBufferHasIdentifier(data)) return false;
  fb::Verifier::Options options;
  options.max_depth = 128;
  options.max_tables = 10'000'000;
  fb::Verifier verifier(data, size, options);
  return schema::VerifyModelBuffer(verifier);
}

// Replaces the model with a synthesized one; false when it would not fit.
bool Synthesize(uint8_t* data, size_t* size, size_t max_size, Rng& rng) {
  const std::vector<uint8_t> model = SynthesizeModel(rng.Next());
  if (model.size() > max_size) return false;
  std::memcpy(data, model.data(), model.size());
  *size = model.size();
  return true;
}

}  // namespace

size_t MutateModel(uint8_t* data, size_t size, size_t max_size, uint32_t seed, RawMutateFn raw) {
  Rng rng(seed * 0x2545f4914f6cdd1dull + size);
  const uint64_t choice = rng.Below(100);
  if (!Verifies(data, size)) {
    if (choice < 25 && Synthesize(data, &size, max_size, rng)) return size;
    return raw(data, size, max_size);
  }
  if (choice < 5 && Synthesize(data, &size, max_size, rng)) return size;
  if (choice < 15) return raw(data, size, max_size);
  const std::vector<Site> sites = SiteCollector(data, size).Collect(*schema::GetModel(data));
  if (sites.empty()) return raw(data, size, max_size);
  const uint64_t edits = 1 + rng.Below(3);
  for (uint64_t i = 0; i < edits; ++i) Apply(data, sites[rng.Below(sites.size())], rng);
  return size;
}

}  // namespace litescope::fuzz
