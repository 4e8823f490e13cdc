#include "reports/interpreter_state.h"

#include <fmt/format.h>

#include "runtime/interpreter.h"
#include "runtime/subgraph.h"

namespace litescope::reports {
namespace {

constexpr size_t kNameWidth = 25;
constexpr size_t kTypeWidth = 15;
constexpr size_t kAllocWidth = 18;

std::string Cut(const std::string& s, size_t width) {
  return s.size() <= width ? s : s.substr(0, width);
}

std::string IndexList(const std::vector<int>& indices) {
  std::string s = "[";
  for (size_t i = 0; i < indices.size(); ++i) s += (i ? "," : "") + std::to_string(indices[i]);
  return s + "]";
}

std::string ShapeText(const runtime::Shape& shape) {
  std::string s = "[";
  for (int i = 0; i < shape.rank(); ++i) s += (i ? "," : "") + std::to_string(shape.dim(i));
  return s + "]";
}

double Mb(size_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

size_t TensorsBytes(const runtime::Subgraph& sg, const std::vector<int>& indices) {
  size_t total = 0;
  for (int t : indices)
    if (t >= 0 && static_cast<size_t>(t) < sg.tensors().size())
      total += sg.tensors()[static_cast<size_t>(t)].bytes;
  return total;
}

}  // namespace

std::string FormatInterpreterState(runtime::Interpreter& interp) {
  std::string out = fmt::format("Interpreter has {} subgraphs.\n\n", interp.subgraph_count());
  for (int s = 0; s < interp.subgraph_count(); ++s) {
    runtime::Subgraph* sg = interp.subgraph(s);
    if (!sg) continue;
    out += fmt::format("-----------Subgraph-{} has {} tensors and {} nodes------------\n", s,
                       sg->tensors().size(), sg->nodes().size());
    out += fmt::format("{} Inputs: {} -> {}B ({:.2f}MB)\n", sg->inputs().size(),
                       IndexList(sg->inputs()), TensorsBytes(*sg, sg->inputs()),
                       Mb(TensorsBytes(*sg, sg->inputs())));
    out += fmt::format("{} Outputs: {} -> {}B ({:.2f}MB)\n\n", sg->outputs().size(),
                       IndexList(sg->outputs()), TensorsBytes(*sg, sg->outputs()),
                       Mb(TensorsBytes(*sg, sg->outputs())));
    out += fmt::format("Tensor {:>3} {:<{}} {:<{}} {:<{}} {:<20} {}\n", "ID", "Name", kNameWidth,
                       "Type", kTypeWidth, "AllocType", kAllocWidth, "Size (Bytes/MB)", "Shape");
    for (size_t t = 0; t < sg->tensors().size(); ++t) {
      const runtime::Tensor& tensor = sg->tensors()[t];
      out += fmt::format(
          "Tensor {:>3} {:<{}} {:<{}} {:<{}} {:<20} {}\n", t, Cut(tensor.name, kNameWidth),
          kNameWidth, Cut(runtime::DataTypeName(tensor.type), kTypeWidth), kTypeWidth,
          Cut(runtime::AllocationName(tensor.allocation), kAllocWidth), kAllocWidth,
          fmt::format("{:<9} / {:.2f}", tensor.bytes, Mb(tensor.bytes)), ShapeText(tensor.shape));
    }
    out += "\n";
    const auto& placement = sg->placement();
    for (const runtime::Node& n : sg->nodes()) {
      const std::string backend = static_cast<size_t>(n.index) < placement.size()
                                      ? placement[static_cast<size_t>(n.index)].backend
                                      : "cpu";
      out += fmt::format("Node {:>3} Operator Builtin Code {:>3} {} (runs on {})\n", n.index, n.op,
                         n.op_name, backend);
      out += fmt::format("  {} Input Tensors:{}\n", n.inputs.size(), IndexList(n.inputs));
      out += fmt::format("  {} Output Tensors:{}\n", n.outputs.size(), IndexList(n.outputs));
    }
    out += fmt::format("\nArena: {} bytes; persistent: {} bytes\n\n", sg->arena_bytes(),
                       sg->persistent_bytes());
  }
  return out;
}

std::string FormatInterpreterStateBlock(runtime::Interpreter& interp, const std::string& when) {
  return "\n====Printing out TfLite interpreter " + when + " state begins====\n" +
         FormatInterpreterState(interp) + "====Printing out TfLite interpreter " + when +
         " state ends====\n\n";
}

}  // namespace litescope::reports
