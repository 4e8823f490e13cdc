#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "runtime/delegate.h"
#include "runtime/status.h"

namespace litescope::runtime {
class Interpreter;
class Subgraph;
struct Node;
}  // namespace litescope::runtime

namespace litescope::delegates {

struct BackendConfig;

// A flag a backend owns (benchmark_model's "--<name>_<option>"). Values travel as text and
// are checked against the type when parsed (CheckBackendFlagValue).
struct BackendFlag {
  enum class Type { kBool, kInt, kFloat, kString };
  std::string name;  // TFLite's spelling, without dashes
  Type type = Type::kBool;
  std::string default_value;  // as text: "false", "1", "0.5", ""
  std::string label;          // TFLite's parameter echo ("Use gpu" style)
  std::string help;           // one line for --help
};

// A kBool flag of the backend's `flags` that is an action: a tool that sees it set to true
// prints what `run` returns and exits without running a model (benchmark_model
// --list_gpu_devices). An error is the tool's error.
struct BackendAction {
  std::string flag;
  std::function<Result<std::string>(const BackendConfig&)> run;
};

// What a backend is created with: the run's thread count, TFLite's partitioning options and the
// values of the backend's own flags (flag name -> text; a flag missing here has its default).
struct BackendConfig {
  int num_threads = 1;
  runtime::DelegateOptions delegate_options;
  std::map<std::string, std::string> flag_values;
};

// A device-free support check: answers "would this backend take this node, and why not" from
// the node and its tensors alone, without creating the delegate (no device, no driver, no
// weight packing). A delegate partitions on the same check, so a prediction equals a run.
class SupportChecker {
 public:
  virtual ~SupportChecker() = default;
  virtual runtime::SupportResult Check(runtime::Subgraph& subgraph, const runtime::Node& node) = 0;
};

// One backend, as every tool sees it: tflite_run --backend NAME, benchmark_model --use_NAME plus
// its flags, tflite_analyze --compat --backend NAME.
struct BackendRegistration {
  std::string name;          // lower case, a valid flag suffix (--use_<name>)
  std::string display_name;  // as TFLite's output lines name it; Delegate::name()
  std::string description;   // one line: what runs where
  // Delegates applied together go in decreasing priority (a GPU before CPU libraries); each sees
  // only the nodes the earlier ones left on the CPU, and the reference kernels run the rest.
  int priority = 0;
  std::vector<BackendFlag> flags;  // the backend's own flags, in --help order
  // Whether the fuzz_backends target applies it to every input (false: its per-model set-up,
  // e.g. compiling device programs, would starve an in-process fuzzer).
  bool fuzzed = true;
  std::vector<BackendAction> actions;  // optional: flags of `flags` that are actions
  // Makes the device-free checker; null when the backend cannot be analyzed (the error of
  // tflite_analyze --backend NAME then says why, from `description`).
  std::function<Result<std::unique_ptr<SupportChecker>>(const BackendConfig&)> make_checker;
  // Makes the delegate; fails (e.g. kUnsupportedOp "not available on this machine") when the
  // backend cannot run here.
  std::function<Result<std::unique_ptr<runtime::Delegate>>(const BackendConfig&)> make_delegate;

  const BackendFlag* FindFlag(const std::string& flag) const;
  // The action of `flag`, or null when it is an ordinary flag.
  const BackendAction* FindAction(const std::string& flag) const;
  // The value of one of this backend's flags in `config`, or its default. Values were checked
  // when parsed; an unparsable one reads as false / 0.
  bool BoolFlag(const BackendConfig& config, const std::string& flag) const;
  int64_t IntFlag(const BackendConfig& config, const std::string& flag) const;
  double FloatFlag(const BackendConfig& config, const std::string& flag) const;
  std::string StringFlag(const BackendConfig& config, const std::string& flag) const;
};

// Ok when `value` is a valid text for `type` (bools: true, false, 1, 0; an empty value is true).
Status CheckBackendFlagValue(const BackendFlag& flag, const std::string& value);

// The backends a build knows, in registration order. Filled once (see registered_backends.h),
// then only read; reads are thread-safe.
class BackendRegistry {
 public:
  // Fails (kInvalidArgument) on an empty or duplicate name, or a flag another backend owns.
  Status Register(BackendRegistration registration);

  const std::vector<BackendRegistration>& backends() const { return backends_; }
  const BackendRegistration* Find(const std::string& name) const;
  // "a, b": the names, in registration order, for messages and --help.
  std::string NameList() const;
  // The named backends (each once), in decreasing priority; ties keep registration order. Fails
  // (kInvalidArgument, listing the registered names) on an unknown name.
  Result<std::vector<const BackendRegistration*>> InPriorityOrder(
      const std::vector<std::string>& names) const;

 private:
  std::vector<BackendRegistration> backends_;
};

// Delegates made from registrations and applied to one interpreter, in priority order. Owns
// them: destroy it after the interpreter.
struct AppliedBackends {
  std::vector<const BackendRegistration*> registrations;
  std::vector<std::unique_ptr<runtime::Delegate>> delegates;  // parallel to registrations
};

// Makes each backend's delegate from `config` and applies it to every subgraph of `interp`, in
// the given order (see InPriorityOrder), keeping the delegates in `*applied`, which the caller
// declares before the interpreter so that they outlive it (also when this fails half way).
// Fails on the first factory or ApplyDelegate error. `after_each` (optional) runs after each
// delegate is applied, e.g. to log its placement lines.
Status ApplyBackends(
    const std::vector<const BackendRegistration*>& backends, const BackendConfig& config,
    runtime::Interpreter& interp, AppliedBackends* applied,
    const std::function<void(const BackendRegistration&, runtime::Delegate&)>& after_each = {});

}  // namespace litescope::delegates
