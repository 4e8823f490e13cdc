#include "runtime/delegate.h"

#include <algorithm>

#include <fmt/format.h>

namespace litescope::runtime {

const char* SupportCodeName(SupportCode code) {
  switch (code) {
    case SupportCode::kSupported:
      return "supported";
    case SupportCode::kUnsupportedOp:
      return "unsupported_op";
    case SupportCode::kOpVersion:
      return "op_version";
    case SupportCode::kInputType:
      return "input_type";
    case SupportCode::kOutputType:
      return "output_type";
    case SupportCode::kQuantization:
      return "quantization";
    case SupportCode::kFusedActivation:
      return "fused_activation";
    case SupportCode::kNonConstantWeights:
      return "non_constant_weights";
    case SupportCode::kDynamicShape:
      return "dynamic_shape";
    case SupportCode::kRank:
      return "rank";
    case SupportCode::kAttribute:
      return "attribute";
    case SupportCode::kCustomOp:
      return "custom_op";
    case SupportCode::kFlexOp:
      return "flex_op";
    case SupportCode::kNoKernel:
      return "no_kernel";
    case SupportCode::kPartitionLimit:
      return "partition_limit";
    case SupportCode::kNodeRange:
      return "node_range";
    case SupportCode::kDelegateError:
      return "delegate_error";
  }
  return "unknown";
}

const Refusal* NodePlacement::RefusalOf(const std::string& name) const {
  for (const Refusal& r : refusals)
    if (r.backend == name) return &r;
  return nullptr;
}

std::vector<std::vector<int>> FormPartitions(std::vector<SupportResult>& supported,
                                             const DelegateOptions& options) {
  const int n = static_cast<int>(supported.size());
  for (int i = 0; i < n; ++i) {
    if (supported[static_cast<size_t>(i)].supported() &&
        (i < options.first_delegate_node_index || i > options.last_delegate_node_index))
      supported[static_cast<size_t>(i)] = SupportResult::No(
          SupportCode::kNodeRange,
          fmt::format("node {} is outside the delegated node range [{}, {}]", i,
                      options.first_delegate_node_index, options.last_delegate_node_index));
  }
  std::vector<std::vector<int>> runs;
  for (int i = 0; i < n;) {
    if (!supported[static_cast<size_t>(i)].supported()) {
      ++i;
      continue;
    }
    std::vector<int> run;
    while (i < n && supported[static_cast<size_t>(i)].supported()) run.push_back(i++);
    runs.push_back(std::move(run));
  }
  auto drop = [&](const std::vector<int>& run, const std::string& why) {
    for (int node : run)
      supported[static_cast<size_t>(node)] = SupportResult::No(SupportCode::kPartitionLimit, why);
  };
  std::vector<std::vector<int>> kept;
  for (auto& run : runs) {
    if (options.min_nodes_per_partition > 0 &&
        static_cast<int>(run.size()) < options.min_nodes_per_partition) {
      drop(run, fmt::format("partition of {} nodes is below min_nodes_per_partition={}", run.size(),
                            options.min_nodes_per_partition));
      continue;
    }
    kept.push_back(std::move(run));
  }
  if (options.max_delegated_partitions > 0 &&
      static_cast<int>(kept.size()) > options.max_delegated_partitions) {
    std::vector<size_t> order(kept.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return kept[a].size() > kept[b].size(); });
    std::vector<bool> keep(kept.size(), false);
    for (int i = 0; i < options.max_delegated_partitions; ++i)
      keep[order[static_cast<size_t>(i)]] = true;
    std::vector<std::vector<int>> limited;
    for (size_t i = 0; i < kept.size(); ++i) {
      if (keep[i]) {
        limited.push_back(std::move(kept[i]));
      } else {
        drop(kept[i], fmt::format("only the {} largest partitions are delegated "
                                  "(max_delegated_partitions)",
                                  options.max_delegated_partitions));
      }
    }
    kept = std::move(limited);
  }
  return kept;
}

}  // namespace litescope::runtime
