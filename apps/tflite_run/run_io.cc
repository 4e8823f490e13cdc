#include "apps/tflite_run/run_io.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace litescope::apps {
namespace {

Result<std::vector<char>> ReadFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return IoError(fmt::format("{}: is a directory", path));
  std::ifstream f(path, std::ios::binary);
  if (!f) return IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  std::vector<char> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) return IoError(fmt::format("{}: read failed", path));
  return bytes;
}

}  // namespace

Status ReadInputs(runtime::Interpreter& interp, const std::vector<std::string>& files) {
  if (static_cast<int>(files.size()) != interp.input_count())
    return InvalidArgumentError(fmt::format("the model has {} inputs but {} --input files were "
                                            "given", interp.input_count(), files.size()));
  for (size_t i = 0; i < files.size(); ++i) {
    runtime::Tensor* t = interp.input(static_cast<int>(i));
    Result<std::vector<char>> bytes = ReadFile(files[i]);
    if (!bytes.ok()) return bytes.status();
    if (bytes->size() != t->bytes)
      return InvalidArgumentError(fmt::format(
          "{}: {} bytes, but input {} '{}' ({} {}) needs {} bytes", files[i], bytes->size(), i,
          t->name, runtime::DataTypeShortName(t->type), t->shape.ToString(), t->bytes));
    if (t->bytes) std::memcpy(t->data, bytes->data(), t->bytes);
  }
  return Status::Ok();
}

Status WriteOutputs(runtime::Interpreter& interp, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IoError(fmt::format("{}: cannot create directory: {}", dir, ec.message()));
  nlohmann::json outputs = nlohmann::json::array();
  for (int j = 0; j < interp.output_count(); ++j) {
    const runtime::Tensor* t = interp.output(j);
    const std::string path = fmt::format("{}/output_{}.bin", dir, j);
    std::ofstream f(path, std::ios::binary);
    if (t->bytes && t->data) f.write(static_cast<const char*>(t->data),
                                     static_cast<std::streamsize>(t->bytes));
    if (!f) return IoError(fmt::format("{}: write failed", path));
    nlohmann::json o = {{"index", j},
                        {"name", t->name},
                        {"dtype", runtime::DataTypeShortName(t->type)},
                        {"shape", t->shape.dims()},
                        {"file", fmt::format("output_{}.bin", j)}};
    if (t->quant.empty()) {
      o["quantization"] = nullptr;
    } else {
      o["quantization"] = {{"scale", t->quant.scale},
                           {"zero_point", t->quant.zero_point},
                           {"quantized_dimension", t->quant.quantized_dimension}};
    }
    outputs.push_back(std::move(o));
  }
  const std::string path = dir + "/outputs.json";
  std::ofstream f(path);
  f << nlohmann::json{{"outputs", outputs}}.dump(1) << "\n";
  if (!f) return IoError(fmt::format("{}: write failed", path));
  return Status::Ok();
}

}  // namespace litescope::apps
