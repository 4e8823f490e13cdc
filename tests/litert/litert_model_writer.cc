// Test helper for tests/scripts/check_litert.py: writes a model through runtime::ModelEditor.
//   litert_model_writer roundtrip IN OUT   read and write back without edits
//   litert_model_writer fp16 IN OUT        every FLOAT32 constant stored as FLOAT16 behind a
//                                          DEQUANTIZE (float16 post-training quantization)
#include <cstdio>
#include <string>

#include "runtime/model_editor.h"

namespace {

litescope::Status Write(const std::string& mode, const std::string& in, const std::string& out) {
  using litescope::runtime::ModelEditor;
  namespace edit = litescope::runtime::edit;
  auto editor = ModelEditor::FromFile(in);
  if (!editor.ok()) return editor.status();
  if (mode == "fp16") {
    for (int s = 0; s < editor->subgraph_count(); ++s) {
      const int n = static_cast<int>(editor->model().subgraphs[s]->tensors.size());
      for (int t = 0; t < n; ++t) {  // tensors added by the conversion come after n
        const edit::TensorT* tensor = editor->tensor(s, t);
        if (tensor->type != edit::TensorType::FLOAT32 || editor->TensorData(s, t).empty()) continue;
        auto half = editor->ConvertConstantToFloat16(s, t);
        if (!half.ok()) return half.status();
      }
    }
    editor->RemoveUnusedBuffers();
  } else if (mode != "roundtrip") {
    return litescope::InvalidArgumentError("unknown mode " + mode);
  }
  return editor->WriteFile(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: litert_model_writer roundtrip|fp16 IN OUT\n");
    return 2;
  }
  litescope::Status s = Write(argv[1], argv[2], argv[3]);
  if (!s.ok()) {
    std::fprintf(stderr, "error: %s\n", s.message().c_str());
    return 1;
  }
  return 0;
}
