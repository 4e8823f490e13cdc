#include "apps/common/cpu_affinity.h"

#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

namespace litescope::apps {
namespace {

std::string AllowedCpus(const cpu_set_t& set) {
  std::string out;
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &set)) out += (out.empty() ? "" : ",") + std::to_string(c);
  return out;
}

bool ParseInt(const std::string& text, int* value) {
  if (text.empty() || text.size() > 5) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  *value = std::atoi(text.c_str());
  return true;
}

}  // namespace

Result<std::vector<int>> ParseCpuList(const std::string& list) {
  auto bad = [&](const std::string& why) {
    return InvalidArgumentError(fmt::format("--cpu_affinity={}: {}", list, why));
  };
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (::sched_getaffinity(0, sizeof allowed, &allowed) != 0)
    return bad(fmt::format("cannot read this process's CPUs ({})", std::strerror(errno)));
  std::vector<int> cpus;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    const std::string item = list.substr(start, comma - start);
    const size_t dash = item.find('-');
    int first = 0, last = 0;
    if (dash == std::string::npos
            ? !ParseInt(item, &first)
            : !ParseInt(item.substr(0, dash), &first) || !ParseInt(item.substr(dash + 1), &last))
      return bad(fmt::format("'{}' is not a CPU number or range (expected e.g. 0,2-3)", item));
    if (dash == std::string::npos) last = first;
    if (last < first) return bad(fmt::format("range '{}' is reversed", item));
    for (int c = first; c <= last; ++c) {
      if (c >= CPU_SETSIZE || !CPU_ISSET(c, &allowed))
        return bad(fmt::format("CPU {} is not available (this process may use {})", c,
                               AllowedCpus(allowed)));
      cpus.push_back(c);
    }
    start = comma + 1;
  }
  std::sort(cpus.begin(), cpus.end());
  cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
  return cpus;
}

Status PinToCpus(const std::vector<int>& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c : cpus) CPU_SET(c, &set);
  if (::sched_setaffinity(0, sizeof set, &set) != 0)
    return InvalidArgumentError(
        fmt::format("--cpu_affinity: sched_setaffinity failed ({})", std::strerror(errno)));
  return Status::Ok();
}

}  // namespace litescope::apps
