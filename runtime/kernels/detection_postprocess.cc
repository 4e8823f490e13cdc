#include <flatbuffers/flexbuffers.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/quant_checks.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/detection_postprocess.h"
#include "runtime/schema/tflite_schema_generated.h"

// TFLite_Detection_PostProcess: the custom op that ends SSD detectors. Decodes box encodings
// against constant anchors, then picks boxes by non-maximum suppression, either "fast" (one NMS
// over each anchor's best class) or "regular" (one NMS per class, merged by score).
// Inputs: box encodings [1, N, >=4], class predictions [1, N, C(+1 background)], anchors [N, 4];
// float32 or uint8 (dequantized). Outputs (float32): boxes [1, D, 4], classes [1, D],
// scores [1, D], num_detections [1], where D = max_detections * max_classes_per_detection.
namespace litescope::runtime {
namespace {

using reference::BoxCenterSize;
using reference::BoxCorner;

// Largest detection count and candidate count accepted; keeps every index far inside int.
constexpr int64_t kMaxDetections = int64_t{1} << 20;
constexpr int64_t kMaxElements = int64_t{1} << 28;

struct DetectionOpData : OpData {
  int max_detections = 0;
  int max_classes_per_detection = 0;
  int detections_per_class = 100;  // TFLite's default when the option is absent
  bool use_regular_nms = false;
  float score_threshold = 0.f;
  float iou_threshold = 0.f;
  int num_classes = 0;
  BoxCenterSize scale;
  // Scratch, sized in Prepare.
  std::vector<BoxCorner> boxes;
  std::vector<float> scores;  // dequantized class predictions (uint8 input only)
  std::vector<int> keep, order, selected, class_order;
  std::vector<uint8_t> active;
};

Status OptionError(const Node& node, const std::string& what) {
  return InvalidModelError(fmt::format("{}: custom options: {}", NodeLabel(node), what));
}

// Reads the flexbuffer map of options. The buffer is verified before it is read. A custom op's
// options are its kernel's own format, not builtin options, so they stay outside OpParams
// (op_params.h) and are read here from the operator.
Status ParseOptions(const Node& node, DetectionOpData* d) {
  const flatbuffers::Vector<uint8_t>* raw = node.fb ? node.fb->custom_options() : nullptr;
  if (!raw || raw->size() == 0) return OptionError(node, "missing (expected a flexbuffer map)");
  if (!flexbuffers::VerifyBuffer(raw->data(), raw->size()))
    return OptionError(node, "not a valid flexbuffer");
  const flexbuffers::Reference root = flexbuffers::GetRoot(raw->data(), raw->size());
  if (!root.IsMap()) return OptionError(node, "root is not a flexbuffer map");
  const flexbuffers::Map m = root.AsMap();
  auto require = [&](const char* key, flexbuffers::Reference* out) -> Status {
    flexbuffers::Reference r = m[key];
    if (r.IsNull() || !(r.IsNumeric() || r.IsBool()))
      return OptionError(node, fmt::format("'{}' is missing or not a number", key));
    *out = r;
    return Status::Ok();
  };
  flexbuffers::Reference r = root;
  LS_RETURN_IF_ERROR(require("max_detections", &r));
  const int64_t max_det = r.AsInt64();
  LS_RETURN_IF_ERROR(require("max_classes_per_detection", &r));
  const int64_t max_cls = r.AsInt64();
  LS_RETURN_IF_ERROR(require("num_classes", &r));
  const int64_t num_classes = r.AsInt64();
  LS_RETURN_IF_ERROR(require("nms_score_threshold", &r));
  d->score_threshold = r.AsFloat();
  LS_RETURN_IF_ERROR(require("nms_iou_threshold", &r));
  d->iou_threshold = r.AsFloat();
  LS_RETURN_IF_ERROR(require("y_scale", &r));
  d->scale.y = r.AsFloat();
  LS_RETURN_IF_ERROR(require("x_scale", &r));
  d->scale.x = r.AsFloat();
  LS_RETURN_IF_ERROR(require("h_scale", &r));
  d->scale.h = r.AsFloat();
  LS_RETURN_IF_ERROR(require("w_scale", &r));
  d->scale.w = r.AsFloat();
  int64_t per_class = 100;
  if (!m["detections_per_class"].IsNull()) {
    LS_RETURN_IF_ERROR(require("detections_per_class", &r));
    per_class = r.AsInt64();
  }
  if (!m["use_regular_nms"].IsNull()) {
    LS_RETURN_IF_ERROR(require("use_regular_nms", &r));
    d->use_regular_nms = r.AsBool();
  }

  if (max_det <= 0 || max_cls <= 0 || max_det * max_cls > kMaxDetections)
    return OptionError(node, fmt::format("max_detections {} x max_classes_per_detection {} is "
                                         "outside 1..{}",
                                         max_det, max_cls, kMaxDetections));
  if (num_classes <= 0 || num_classes > kMaxElements)
    return OptionError(node, fmt::format("num_classes {} is not positive", num_classes));
  if (d->use_regular_nms && (per_class <= 0 || per_class > kMaxDetections))
    return OptionError(
        node, fmt::format("detections_per_class {} is outside 1..{}", per_class, kMaxDetections));
  if (!(d->iou_threshold > 0.f && d->iou_threshold <= 1.f))
    return OptionError(node,
                       fmt::format("nms_iou_threshold {} is outside (0, 1]", d->iou_threshold));
  if (std::isnan(d->score_threshold)) return OptionError(node, "nms_score_threshold is NaN");
  for (float s : {d->scale.y, d->scale.x, d->scale.h, d->scale.w})
    if (!std::isfinite(s) || s == 0.f)
      return OptionError(node, fmt::format("box scale {} is zero or not finite", s));
  d->max_detections = static_cast<int>(max_det);
  d->max_classes_per_detection = static_cast<int>(max_cls);
  d->num_classes = static_cast<int>(num_classes);
  d->detections_per_class = static_cast<int>(per_class);
  return Status::Ok();
}

Status CheckInput(const Node& node, int slot, const Tensor& t, int rank) {
  if (t.type != DataType::kFloat32 && t.type != DataType::kUInt8)
    return TypeError(node, "input", slot, node.inputs[static_cast<size_t>(slot)], t,
                     "FLOAT32 or UINT8");
  if (t.shape.rank() != rank)
    return InvalidModelError(
        fmt::format("{}: input {} (tensor {}) has shape {}; expected rank {}", NodeLabel(node),
                    slot, node.inputs[static_cast<size_t>(slot)], t.shape.ToString(), rank));
  if (t.type == DataType::kUInt8)
    return quant_checks::CheckPerTensor(node, "input", node.inputs[static_cast<size_t>(slot)], t);
  return Status::Ok();
}

Status DetectionPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 3, 3, 4));
  Tensor* ins[3] = {};
  for (int i = 0; i < 3; ++i) {
    Result<Tensor*> r = RequireInput(ctx, node, i);
    if (!r.ok()) return r.status();
    ins[i] = *r;
  }
  Tensor* outs[4] = {};
  for (int i = 0; i < 4; ++i) {
    Result<Tensor*> r = RequireOutput(ctx, node, i);
    if (!r.ok()) return r.status();
    outs[i] = *r;
    if (outs[i]->type != DataType::kFloat32)
      return TypeError(node, "output", i, node.outputs[static_cast<size_t>(i)], *outs[i],
                       "FLOAT32");
  }
  const Tensor& enc = *ins[0];
  const Tensor& cls = *ins[1];
  const Tensor& anchors = *ins[2];
  LS_RETURN_IF_ERROR(CheckInput(node, 0, enc, 3));
  LS_RETURN_IF_ERROR(CheckInput(node, 1, cls, 3));
  LS_RETURN_IF_ERROR(CheckInput(node, 2, anchors, 2));
  if (anchors.type != enc.type)
    return TypeError(node, "input", 2, node.inputs[2], anchors, DataTypeName(enc.type));

  auto d = std::make_unique<DetectionOpData>();
  LS_RETURN_IF_ERROR(ParseOptions(node, d.get()));

  const int num_boxes = enc.shape.dim(1);
  const int64_t with_bg = cls.shape.dim(2);
  if (enc.shape.dim(0) != 1 || enc.shape.dim(2) < 4 || cls.shape.dim(0) != 1 ||
      cls.shape.dim(1) != num_boxes || anchors.shape.dim(0) != num_boxes ||
      anchors.shape.dim(1) != 4)
    return InvalidModelError(fmt::format(
        "{}: inputs have shapes {}, {}, {}; expected [1, N, >=4], [1, N, C], [N, 4]",
        NodeLabel(node), enc.shape.ToString(), cls.shape.ToString(), anchors.shape.ToString()));
  if (with_bg - d->num_classes < 0 || with_bg - d->num_classes > 1)
    return InvalidModelError(fmt::format(
        "{}: class predictions have {} columns; num_classes is {} (expected it or one more)",
        NodeLabel(node), with_bg, d->num_classes));
  if (cls.elements() > kMaxElements || enc.elements() > kMaxElements)
    return UnsupportedOpError(
        fmt::format("{}: inputs larger than {} elements", NodeLabel(node), kMaxElements));

  const size_t n = static_cast<size_t>(num_boxes);
  d->boxes.resize(n);
  d->keep.reserve(n);
  d->order.reserve(n);
  d->active.reserve(n);
  if (cls.type == DataType::kUInt8) d->scores.resize(static_cast<size_t>(cls.elements()));
  if (d->use_regular_nms)
    d->order.reserve(n + static_cast<size_t>(d->max_detections));
  else
    d->class_order.resize(n * static_cast<size_t>(d->num_classes));

  const int detected = d->max_detections * d->max_classes_per_detection;
  node.data = std::move(d);
  LS_RETURN_IF_ERROR(ctx.ResizeTensor(*outs[0], Shape{1, detected, 4}));
  LS_RETURN_IF_ERROR(ctx.ResizeTensor(*outs[1], Shape{1, detected}));
  LS_RETURN_IF_ERROR(ctx.ResizeTensor(*outs[2], Shape{1, detected}));
  return ctx.ResizeTensor(*outs[3], Shape{1});
}

inline float Dequantize(uint8_t q, float zero_point, float scale) {
  return (static_cast<float>(q) - zero_point) * scale;
}

BoxCenterSize ReadCenterSize(const Tensor& t, size_t offset) {
  if (t.type == DataType::kFloat32) {
    const float* p = t.data_as<float>() + offset;
    return BoxCenterSize{p[0], p[1], p[2], p[3]};
  }
  const uint8_t* p = t.data_as<uint8_t>() + offset;
  const float zp = static_cast<float>(t.quant.zero_point[0]);
  const float s = t.quant.scale[0];
  return BoxCenterSize{Dequantize(p[0], zp, s), Dequantize(p[1], zp, s), Dequantize(p[2], zp, s),
                       Dequantize(p[3], zp, s)};
}

struct Outputs {
  BoxCorner* boxes;
  float* classes;
  float* scores;
};

// One NMS over each anchor's best class score; each kept anchor reports its top classes.
void FastNms(DetectionOpData& d, const float* scores, int num_boxes, int with_bg,
             const Outputs& out, float* num_detections) {
  const int label_offset = with_bg - d.num_classes;
  const int per_anchor = std::min(d.max_classes_per_detection, d.num_classes);
  std::vector<float> best(static_cast<size_t>(num_boxes));
  for (int b = 0; b < num_boxes; ++b) {
    const float* row = scores + static_cast<size_t>(b) * with_bg + label_offset;
    int* order = d.class_order.data() + static_cast<size_t>(b) * d.num_classes;
    reference::TopKIndices(row, d.num_classes, per_anchor, order);
    best[static_cast<size_t>(b)] = row[order[0]];
  }
  reference::NonMaxSuppressionSingleClass(d.boxes.data(), best.data(), num_boxes, d.max_detections,
                                          d.score_threshold, d.iou_threshold, &d.selected, &d.keep,
                                          &d.order, &d.active);
  int written = 0;
  for (int b : d.selected) {
    const float* row = scores + static_cast<size_t>(b) * with_bg + label_offset;
    const int* order = d.class_order.data() + static_cast<size_t>(b) * d.num_classes;
    for (int c = 0; c < per_anchor; ++c) {
      const size_t o = static_cast<size_t>(d.max_classes_per_detection) * written + c;
      out.boxes[o] = d.boxes[static_cast<size_t>(b)];
      out.classes[o] = static_cast<float>(order[c]);
      out.scores[o] = row[order[c]];
    }
    ++written;
  }
  *num_detections = static_cast<float>(written);
}

// One NMS per class; the overall best max_detections (anchor, class) pairs are kept.
void RegularNms(DetectionOpData& d, const float* scores, int num_boxes, int with_bg,
                const Outputs& out, float* num_detections) {
  const int label_offset = with_bg - d.num_classes;
  const size_t cap = static_cast<size_t>(num_boxes) + static_cast<size_t>(d.max_detections);
  std::vector<float> class_scores(static_cast<size_t>(num_boxes));
  // Candidates: (flat score index, score); the first `count` entries are the running best.
  std::vector<int> cand_index(cap);
  std::vector<float> cand_score(cap);
  std::vector<int> order(cap);
  std::vector<int> tmp_index(static_cast<size_t>(d.max_detections));
  std::vector<float> tmp_score(static_cast<size_t>(d.max_detections));
  int count = 0;
  for (int c = 0; c < d.num_classes; ++c) {
    for (int b = 0; b < num_boxes; ++b)
      class_scores[static_cast<size_t>(b)] =
          scores[static_cast<size_t>(b) * with_bg + c + label_offset];
    reference::NonMaxSuppressionSingleClass(
        d.boxes.data(), class_scores.data(), num_boxes, d.detections_per_class, d.score_threshold,
        d.iou_threshold, &d.selected, &d.keep, &d.order, &d.active);
    int total = count;
    for (int b : d.selected) {
      cand_index[static_cast<size_t>(total)] = b * with_bg + c + label_offset;
      cand_score[static_cast<size_t>(total)] = class_scores[static_cast<size_t>(b)];
      ++total;
    }
    const int keep = std::min(total, d.max_detections);
    reference::TopKIndices(cand_score.data(), total, keep, order.data());
    for (int i = 0; i < keep; ++i) {
      tmp_index[static_cast<size_t>(i)] = cand_index[static_cast<size_t>(order[i])];
      tmp_score[static_cast<size_t>(i)] = cand_score[static_cast<size_t>(order[i])];
    }
    std::copy(tmp_index.begin(), tmp_index.begin() + keep, cand_index.begin());
    std::copy(tmp_score.begin(), tmp_score.begin() + keep, cand_score.begin());
    count = keep;
  }
  for (int i = 0; i < count; ++i) {
    const int flat = cand_index[static_cast<size_t>(i)];
    const int anchor = flat / with_bg;
    out.boxes[i] = d.boxes[static_cast<size_t>(anchor)];
    out.classes[i] = static_cast<float>(flat - anchor * with_bg - label_offset);
    out.scores[i] = cand_score[static_cast<size_t>(i)];
  }
  *num_detections = static_cast<float>(count);
}

Status DetectionEval(KernelContext& ctx, Node& node) {
  DetectionOpData& d = *node.data_as<DetectionOpData>();
  const Tensor& enc = *ctx.input(node, 0);
  const Tensor& cls = *ctx.input(node, 1);
  const Tensor& anchors = *ctx.input(node, 2);
  const int num_boxes = enc.shape.dim(1);
  const int with_bg = cls.shape.dim(2);
  const size_t enc_stride = static_cast<size_t>(enc.shape.dim(2));

  for (int b = 0; b < num_boxes; ++b) {
    const size_t i = static_cast<size_t>(b);
    const BoxCorner box = reference::DecodeCenterSize(ReadCenterSize(enc, i * enc_stride),
                                                      ReadCenterSize(anchors, i * 4), d.scale);
    if (box.ymin > box.ymax || box.xmin > box.xmax)
      return InvalidArgumentError(fmt::format(
          "{}: box {} decodes to an inverted box (negative anchor size?)", NodeLabel(node), b));
    d.boxes[i] = box;
  }

  const float* scores = cls.data_as<float>();
  if (cls.type == DataType::kUInt8) {
    const uint8_t* q = cls.data_as<uint8_t>();
    const float zp = static_cast<float>(cls.quant.zero_point[0]);
    const float s = cls.quant.scale[0];
    for (size_t i = 0; i < d.scores.size(); ++i) d.scores[i] = Dequantize(q[i], zp, s);
    scores = d.scores.data();
  }

  Tensor& boxes_t = *ctx.output(node, 0);
  Tensor& classes_t = *ctx.output(node, 1);
  Tensor& scores_t = *ctx.output(node, 2);
  Tensor& num_t = *ctx.output(node, 3);
  std::fill_n(boxes_t.data_as<float>(), boxes_t.elements(), 0.f);
  std::fill_n(classes_t.data_as<float>(), classes_t.elements(), 0.f);
  std::fill_n(scores_t.data_as<float>(), scores_t.elements(), 0.f);
  const Outputs out{reinterpret_cast<BoxCorner*>(boxes_t.data_as<float>()),
                    classes_t.data_as<float>(), scores_t.data_as<float>()};
  static_assert(sizeof(BoxCorner) == 4 * sizeof(float), "BoxCorner must be 4 packed floats");
  if (d.use_regular_nms)
    RegularNms(d, scores, num_boxes, with_bg, out, num_t.data_as<float>());
  else
    FastNms(d, scores, num_boxes, with_bg, out, num_t.data_as<float>());
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeDetectionPostProcessKernel() {
  KernelRegistration k;
  k.name = "TFLite_Detection_PostProcess";
  k.op = 32;  // CUSTOM
  k.min_version = 1;
  k.max_version = 1;
  k.prepare = DetectionPrepare;
  k.eval = DetectionEval;
  k.types = "float32,uint8";
  return k;
}

}  // namespace litescope::runtime
