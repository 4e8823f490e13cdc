// Fuzz target (c): what fuzz_invoke does, with every registered backend that can be created on
// this machine applied first, in priority order (each takes the nodes it supports among those
// the earlier ones left; the reference kernels run the rest). LITESCOPE_FUZZ_SKIP_BACKENDS
// ("a,b") leaves named backends out, e.g. one whose per-input set-up (a GPU compiling kernels)
// would starve the fuzzer.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "delegates/backend_registry.h"
#include "delegates/registered_backends.h"
#include "fuzz/fuzz_harness.h"
#include "fuzz/model_mutator.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace {

namespace delegates = litescope::delegates;

bool Skipped(const std::string& name) {
  const char* env = std::getenv("LITESCOPE_FUZZ_SKIP_BACKENDS");
  if (env == nullptr) return false;
  std::stringstream list(env);
  std::string item;
  while (std::getline(list, item, ','))
    if (item == name) return true;
  return false;
}

// The delegates, made once for the whole run (a backend may initialize once per process).
const std::vector<litescope::runtime::Delegate*>& SharedDelegates() {
  static std::vector<std::unique_ptr<litescope::runtime::Delegate>> owned;
  static const std::vector<litescope::runtime::Delegate*> delegates = [] {
    const delegates::BackendRegistry& registry = delegates::RegisteredBackends();
    std::vector<std::string> names;
    for (const delegates::BackendRegistration& r : registry.backends()) names.push_back(r.name);
    auto ordered = registry.InPriorityOrder(names);
    std::vector<litescope::runtime::Delegate*> list;
    if (!ordered.ok()) return list;
    delegates::BackendConfig config;  // one thread, default flags
    for (const delegates::BackendRegistration* r : *ordered) {
      if (!r->fuzzed) {
        std::fprintf(stderr, "fuzz_backends: %s left out (its registration asks for it)\n",
                     r->name.c_str());
        continue;
      }
      if (Skipped(r->name)) {
        std::fprintf(stderr, "fuzz_backends: %s left out (LITESCOPE_FUZZ_SKIP_BACKENDS)\n",
                     r->name.c_str());
        continue;
      }
      auto made = r->make_delegate(config);
      if (!made.ok()) {
        std::fprintf(stderr, "fuzz_backends: %s not fuzzed: %s\n", r->name.c_str(),
                     made.status().message().c_str());
        continue;
      }
      std::fprintf(stderr, "fuzz_backends: applying %s\n", r->name.c_str());
      owned.push_back(std::move(made.value()));
      list.push_back(owned.back().get());
    }
    return list;
  }();
  return delegates;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  litescope::fuzz::RunInvoke(data, size, SharedDelegates());
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  return litescope::fuzz::MutateModel(data, size, max_size, seed, LLVMFuzzerMutate);
}
