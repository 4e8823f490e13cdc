#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "runtime/shape.h"

// Reference BATCH_MATMUL: the definition the GEMM-based kernel is tested against, plus the
// shape logic (batch broadcasting) both share.
namespace litescope::runtime::reference {

// How the batches of lhs [..., M, K] (adj_x: [..., K, M]) and rhs [..., K, N] (adj_y:
// [..., N, K]) pair up. Batch dims broadcast NumPy style (right-aligned, equal or 1).
struct MatMulPlan {
  Shape out_shape;  // broadcast batch dims + [M, N]
  int m = 0;
  int n = 0;
  int k = 0;
  int64_t lhs_batches = 0;         // matrices in lhs
  int64_t rhs_batches = 0;         // matrices in rhs
  std::vector<int64_t> lhs_batch;  // per output matrix: which lhs matrix
  std::vector<int64_t> rhs_batch;  // per output matrix: which rhs matrix
};

// Fills `plan`; on a shape mismatch returns false and sets `error` (without node context).
// Both ranks must lie in [2, 5] (TFLite's limit).
inline bool PlanBatchMatMul(const Shape& lhs, const Shape& rhs, bool adj_x, bool adj_y,
                            MatMulPlan* plan, std::string* error) {
  const int lr = lhs.rank();
  const int rr = rhs.rank();
  if (lr < 2 || lr > 5 || rr < 2 || rr > 5) {
    *error =
        "operand ranks must be 2 to 5; got lhs " + lhs.ToString() + " and rhs " + rhs.ToString();
    return false;
  }
  const int m = adj_x ? lhs.dim(lr - 1) : lhs.dim(lr - 2);
  const int lk = adj_x ? lhs.dim(lr - 2) : lhs.dim(lr - 1);
  const int rk = adj_y ? rhs.dim(rr - 1) : rhs.dim(rr - 2);
  const int n = adj_y ? rhs.dim(rr - 2) : rhs.dim(rr - 1);
  if (lk != rk) {
    *error = "contracted dims differ: lhs " + lhs.ToString() + " and rhs " + rhs.ToString() +
             (adj_x ? " (adj_x)" : "") + (adj_y ? " (adj_y)" : "");
    return false;
  }
  const int batch_rank = (lr > rr ? lr : rr) - 2;
  std::vector<int32_t> out_dims(static_cast<size_t>(batch_rank));
  std::vector<int32_t> ld(static_cast<size_t>(batch_rank)), rd(static_cast<size_t>(batch_rank));
  for (int i = 0; i < batch_rank; ++i) {
    const int li = lr - 2 - batch_rank + i;
    const int ri = rr - 2 - batch_rank + i;
    ld[static_cast<size_t>(i)] = li >= 0 ? lhs.dim(li) : 1;
    rd[static_cast<size_t>(i)] = ri >= 0 ? rhs.dim(ri) : 1;
    const int32_t a = ld[static_cast<size_t>(i)];
    const int32_t b = rd[static_cast<size_t>(i)];
    if (a != b && a != 1 && b != 1) {
      *error = "batch dims do not broadcast: lhs " + lhs.ToString() + " and rhs " + rhs.ToString();
      return false;
    }
    out_dims[static_cast<size_t>(i)] = a == 1 ? b : a;
  }
  int64_t batches = 1;
  for (int32_t d : out_dims) batches *= d;
  plan->m = m;
  plan->n = n;
  plan->k = lk;
  plan->lhs_batches = lhs.FlatSize(0, lr - 2);
  plan->rhs_batches = rhs.FlatSize(0, rr - 2);
  plan->lhs_batch.assign(static_cast<size_t>(batches), 0);
  plan->rhs_batch.assign(static_cast<size_t>(batches), 0);
  // Walk the output batch index in row-major order, tracking the operand indices.
  std::vector<int32_t> idx(static_cast<size_t>(batch_rank), 0);
  for (int64_t b = 0; b < batches; ++b) {
    int64_t li = 0;
    int64_t ri = 0;
    for (int i = 0; i < batch_rank; ++i) {
      const size_t s = static_cast<size_t>(i);
      li = li * ld[s] + (ld[s] == 1 ? 0 : idx[s]);
      ri = ri * rd[s] + (rd[s] == 1 ? 0 : idx[s]);
    }
    plan->lhs_batch[static_cast<size_t>(b)] = li;
    plan->rhs_batch[static_cast<size_t>(b)] = ri;
    for (int i = batch_rank - 1; i >= 0; --i) {
      if (++idx[static_cast<size_t>(i)] < out_dims[static_cast<size_t>(i)]) break;
      idx[static_cast<size_t>(i)] = 0;
    }
  }
  out_dims.push_back(m);
  out_dims.push_back(n);
  plan->out_shape = Shape(std::move(out_dims));
  return true;
}

// out[b] = op(lhs[plan.lhs_batch[b]]) x op(rhs[plan.rhs_batch[b]]), op = transpose when adj_*.
inline void BatchMatMulFloat(const MatMulPlan& plan, const float* lhs, bool adj_x, const float* rhs,
                             bool adj_y, float* out) {
  const int m = plan.m;
  const int n = plan.n;
  const int k = plan.k;
  const int64_t lhs_size = static_cast<int64_t>(m) * k;
  const int64_t rhs_size = static_cast<int64_t>(k) * n;
  for (size_t b = 0; b < plan.lhs_batch.size(); ++b) {
    const float* l = lhs + plan.lhs_batch[b] * lhs_size;
    const float* r = rhs + plan.rhs_batch[b] * rhs_size;
    float* o = out + static_cast<int64_t>(b) * m * n;
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < n; ++j) {
        float sum = 0.f;
        for (int kk = 0; kk < k; ++kk) {
          const float a =
              adj_x ? l[static_cast<int64_t>(kk) * m + i] : l[static_cast<int64_t>(i) * k + kk];
          const float w =
              adj_y ? r[static_cast<int64_t>(j) * k + kk] : r[static_cast<int64_t>(kk) * n + j];
          sum += a * w;
        }
        o[static_cast<int64_t>(i) * n + j] = sum;
      }
    }
  }
}

}  // namespace litescope::runtime::reference
