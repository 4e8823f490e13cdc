#include "apps/benchmark_model/output_check.h"

#include <fmt/format.h>

#include "analyzers/output_compare.h"
#include "apps/benchmark_model/backend_selection.h"
#include "delegates/registered_backends.h"
#include "runtime/interpreter.h"
#include "runtime/op_registry.h"

namespace litescope::apps {

std::string OutputCheckTarget(const BenchmarkFlags& flags, bool delegates_applied) {
  if (flags.check_outputs == "auto") return delegates_applied ? "reference" : "off";
  return flags.check_outputs;
}

Status CheckOutputs(const BenchmarkFlags& flags, const InputSpecs& inputs,
                    const std::shared_ptr<const runtime::Model>& model, int subgraph_index,
                    const std::vector<std::vector<uint8_t>>& input_data,
                    const runtime::Subgraph& benchmarked, const std::string& target,
                    reports::OutputCheckRecord* check) {
  check->enabled = true;
  check->against = target;
  auto context = [&](const Status& s) { return s.WithContext("--check_outputs=" + target); };

  runtime::InterpreterOptions options;
  options.num_threads = flags.num_threads > 0 ? flags.num_threads : 1;
  options.max_arena_bytes = flags.max_arena_mb << 20;
  options.max_while_iterations = flags.max_while_iterations;
  // Declared before the interpreter, which must be destroyed first.
  delegates::AppliedBackends applied;
  auto created = runtime::Interpreter::Create(model, runtime::OpRegistry::WithBuiltins(), options);
  if (!created.ok()) return context(created.status());
  runtime::Interpreter& interp = **created;
  runtime::Subgraph* sg = interp.subgraph(subgraph_index);
  if (!sg) return context(InternalError("the benchmarked subgraph is missing"));
  std::vector<std::string> ignored_warnings;
  LS_RETURN_IF_ERROR(context(ApplyInputShapes(inputs, *sg, &ignored_warnings)));
  if (target != "reference") {
    auto ordered = delegates::RegisteredBackends().InPriorityOrder({target});
    if (!ordered.ok()) return context(ordered.status());
    LS_RETURN_IF_ERROR(
        context(delegates::ApplyBackends(*ordered, BackendConfigOf(flags), interp, &applied)));
  }
  LS_RETURN_IF_ERROR(context(sg->AllocateTensors()));
  CopyInputs(input_data, *sg);
  LS_RETURN_IF_ERROR(context(sg->Invoke()));

  check->pass = true;
  const analyzers::OutputTolerance tol = analyzers::CrossBackendTolerance();
  check->atol = tol.atol;
  check->rtol = tol.rtol;
  check->max_lsb = tol.max_lsb;
  for (size_t i = 0; i < benchmarked.outputs().size() && i < sg->outputs().size(); ++i) {
    const auto& got = benchmarked.tensors()[static_cast<size_t>(benchmarked.outputs()[i])];
    const auto& want = sg->tensors()[static_cast<size_t>(sg->outputs()[i])];
    analyzers::OutputComparison c = analyzers::CompareOutputs(got, want, tol);
    check->pass = check->pass && c.pass;
    check->outputs.push_back(std::move(c));
  }
  return Status::Ok();
}

}  // namespace litescope::apps
