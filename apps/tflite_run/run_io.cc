#include "apps/tflite_run/run_io.h"

#include <algorithm>
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
    return InvalidArgumentError(
        fmt::format("the model has {} inputs but {} --input files were "
                    "given",
                    interp.input_count(), files.size()));
  for (size_t i = 0; i < files.size(); ++i) {
    runtime::Tensor* t = interp.input(static_cast<int>(i));
    Result<std::vector<char>> bytes = ReadFile(files[i]);
    if (!bytes.ok()) return bytes.status();
    if (bytes->size() != t->bytes)
      return InvalidArgumentError(fmt::format(
          "{}: {} bytes, but input {} '{}' ({} {}) needs {} bytes", files[i], bytes->size(), i,
          t->name, runtime::DataTypeShortName(t->type), t->shape.ToString(), t->bytes));
    if (t->bytes) std::memcpy(t->data, bytes->data(), t->bytes);
    if (t->type == runtime::DataType::kBool) {  // any non-zero byte is true; kernels read bool
      auto* b = static_cast<uint8_t*>(t->data);
      for (size_t k = 0; k < t->bytes; ++k) b[k] = b[k] != 0;
    }
  }
  return Status::Ok();
}

Status FillInputs(runtime::Interpreter& interp, const std::string& how) {
  if (how != "zeros" && how != "random")
    return InvalidArgumentError(fmt::format("--fill {}: expected zeros or random", how));
  uint64_t state = 0x2545F4914F6CDD1Dull;
  auto next = [&state]() {  // xorshift64: same sequence on every platform
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int i = 0; i < interp.input_count(); ++i) {
    runtime::Tensor* t = interp.input(i);
    if (!t->data) continue;
    auto* bytes = static_cast<uint8_t*>(t->data);
    if (how == "zeros") {
      std::memset(bytes, 0, t->bytes);
    } else if (t->type == runtime::DataType::kFloat32) {
      float* f = t->data_as<float>();
      for (int64_t k = 0; k < t->elements(); ++k)
        f[k] = static_cast<float>(static_cast<double>(next() >> 11) / 4503599627370496.0 - 1.0);
    } else if (t->type == runtime::DataType::kBool) {
      for (size_t k = 0; k < t->bytes; ++k) bytes[k] = next() & 1;
    } else {
      for (size_t k = 0; k < t->bytes; ++k) bytes[k] = static_cast<uint8_t>(next());
    }
  }
  return Status::Ok();
}

std::string SummarizeOutputs(runtime::Interpreter& interp) {
  std::string s;
  for (int j = 0; j < interp.output_count(); ++j) {
    const runtime::Tensor* t = interp.output(j);
    s += fmt::format("output {} '{}' {} {}", j, t->name, runtime::DataTypeShortName(t->type),
                     t->shape.ToString());
    if (t->type == runtime::DataType::kFloat32 && t->data && t->elements() > 0) {
      const float* f = t->data_as<float>();
      float lo = f[0], hi = f[0];
      double sum = 0;
      int64_t arg = 0;
      for (int64_t k = 0; k < t->elements(); ++k) {
        if (f[k] > hi) {
          hi = f[k];
          arg = k;
        }
        lo = std::min(lo, f[k]);
        sum += f[k];
      }
      s += fmt::format(": min {:.6g} max {:.6g} mean {:.6g} argmax {}", lo, hi,
                       sum / static_cast<double>(t->elements()), arg);
    }
    s += "\n";
  }
  return s;
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
    if (t->bytes && t->data)
      f.write(static_cast<const char*>(t->data), static_cast<std::streamsize>(t->bytes));
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
