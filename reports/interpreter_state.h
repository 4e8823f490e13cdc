#pragma once

#include <string>

namespace litescope::runtime {
class Interpreter;
}  // namespace litescope::runtime

namespace litescope::reports {

// The interpreter's state in the spirit of TFLite's PrintInterpreterState (what
// --print_preinvoke_state / --print_postinvoke_state show): per subgraph its inputs and
// outputs, every tensor (name, type, allocation kind, bytes, shape) and every node (op, input
// and output tensors, where it runs). Name, type and allocation columns are cut to the widths
// TFLite uses by default (25, 15, 18). Formats only; reads the interpreter.
std::string FormatInterpreterState(runtime::Interpreter& interp);

// The state between TFLite's banners: "====Printing out TfLite interpreter <when> state
// begins====" ... "ends====", with `when` "pre-invoke" or "post-invoke".
std::string FormatInterpreterStateBlock(runtime::Interpreter& interp, const std::string& when);

}  // namespace litescope::reports
