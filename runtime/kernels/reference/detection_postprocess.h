#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

// Reference math of the TFLite_Detection_PostProcess custom op (SSD box decoding and
// non-maximum suppression). Pure functions over plain arrays; the kernel validates shapes.
namespace litescope::runtime::reference {

// A decoded box in corner form, the layout of the op's detection_boxes output.
struct BoxCorner {
  float ymin = 0.f;
  float xmin = 0.f;
  float ymax = 0.f;
  float xmax = 0.f;
};

// A box or anchor in center-size form (the layout of the op's inputs).
struct BoxCenterSize {
  float y = 0.f;
  float x = 0.f;
  float h = 0.f;
  float w = 0.f;
};

// Decodes one box encoding against its anchor. The arithmetic runs in double and rounds each
// coordinate once, as TFLite does, so results match it bit for bit.
inline BoxCorner DecodeCenterSize(const BoxCenterSize& enc, const BoxCenterSize& anchor,
                                  const BoxCenterSize& scale) {
  const double ay = anchor.y, ax = anchor.x, ah = anchor.h, aw = anchor.w;
  const float yc = static_cast<float>(enc.y / static_cast<double>(scale.y) * ah + ay);
  const float xc = static_cast<float>(enc.x / static_cast<double>(scale.x) * aw + ax);
  const float half_h =
      static_cast<float>(0.5 * std::exp(enc.h / static_cast<double>(scale.h)) * ah);
  const float half_w =
      static_cast<float>(0.5 * std::exp(enc.w / static_cast<double>(scale.w)) * aw);
  return BoxCorner{yc - half_h, xc - half_w, yc + half_h, xc + half_w};
}

// Intersection over union; 0 when either box has no area.
inline float IntersectionOverUnion(const BoxCorner& a, const BoxCorner& b) {
  const float area_a = (a.ymax - a.ymin) * (a.xmax - a.xmin);
  const float area_b = (b.ymax - b.ymin) * (b.xmax - b.xmin);
  if (area_a <= 0.f || area_b <= 0.f) return 0.f;
  const float h = std::max(std::min(a.ymax, b.ymax) - std::max(a.ymin, b.ymin), 0.f);
  const float w = std::max(std::min(a.xmax, b.xmax) - std::max(a.xmin, b.xmin), 0.f);
  const float inter = h * w;
  return inter / (area_a + area_b - inter);
}

// Writes to indices[0..k) the positions of the k largest values, largest first. k == 1 picks
// the first maximum; otherwise ties fall as std::partial_sort leaves them (TFLite does the
// same, so outputs agree). `indices` must hold n entries.
inline void TopKIndices(const float* values, int n, int k, int* indices) {
  if (n <= 0 || k <= 0) return;
  if (k == 1) {
    int best = 0;
    for (int i = 1; i < n; ++i)
      if (values[i] > values[best]) best = i;
    indices[0] = best;
    return;
  }
  std::iota(indices, indices + n, 0);
  std::partial_sort(indices, indices + std::min(k, n), indices + n,
                    [values](int i, int j) { return values[i] > values[j]; });
}

// Greedy single-class NMS: keeps scores >= score_threshold, visits them by decreasing score
// (stable among equal scores) and drops any later box whose IoU with a kept one exceeds
// iou_threshold. Appends at most max_out box indices to `selected` (cleared first).
// `keep`, `order` and `active` are scratch buffers reused across calls.
inline void NonMaxSuppressionSingleClass(const BoxCorner* boxes, const float* scores, int n,
                                         int max_out, float score_threshold, float iou_threshold,
                                         std::vector<int>* selected, std::vector<int>* keep,
                                         std::vector<int>* order, std::vector<uint8_t>* active) {
  selected->clear();
  keep->clear();
  for (int i = 0; i < n; ++i)
    if (scores[i] >= score_threshold) keep->push_back(i);
  const int kept = static_cast<int>(keep->size());
  order->resize(static_cast<size_t>(kept));
  std::iota(order->begin(), order->end(), 0);
  const std::vector<int>& kp = *keep;
  std::stable_sort(order->begin(), order->end(), [&](int a, int b) {
    return scores[kp[static_cast<size_t>(a)]] > scores[kp[static_cast<size_t>(b)]];
  });
  active->assign(static_cast<size_t>(kept), 1);
  int remaining = kept;
  const int limit = std::min(kept, max_out);
  for (int i = 0; i < kept; ++i) {
    if (remaining == 0 || static_cast<int>(selected->size()) >= limit) break;
    if (!(*active)[static_cast<size_t>(i)]) continue;
    const int bi = kp[static_cast<size_t>((*order)[static_cast<size_t>(i)])];
    selected->push_back(bi);
    (*active)[static_cast<size_t>(i)] = 0;
    --remaining;
    for (int j = i + 1; j < kept; ++j) {
      if (!(*active)[static_cast<size_t>(j)]) continue;
      const int bj = kp[static_cast<size_t>((*order)[static_cast<size_t>(j)])];
      if (IntersectionOverUnion(boxes[bi], boxes[bj]) > iou_threshold) {
        (*active)[static_cast<size_t>(j)] = 0;
        --remaining;
      }
    }
  }
}

}  // namespace litescope::runtime::reference
