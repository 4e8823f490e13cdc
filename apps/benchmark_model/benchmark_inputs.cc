#include "apps/benchmark_model/benchmark_inputs.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>

#include <fmt/format.h>

#include "runtime/subgraph.h"

namespace litescope::apps {
namespace {

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  if (s.empty()) return parts;
  size_t start = 0;
  while (true) {
    const size_t pos = s.find(sep, start);
    parts.push_back(s.substr(start, pos - start));
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return parts;
}

bool ParseInt(const std::string& s, int64_t* out) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || errno == ERANGE) return false;
  *out = v;
  return true;
}

Status Bad(const char* flag, const std::string& value, const std::string& why) {
  return InvalidArgumentError(fmt::format("--{}: invalid value '{}': {}", flag, value, why));
}

// "name:path" where ':' inside the name is written "\:" or "::".
bool SplitNameAndPath(const std::string& item, std::string* name, std::string* path) {
  name->clear();
  for (size_t i = 0; i < item.size(); ++i) {
    const char c = item[i];
    if (c == '\\' && i + 1 < item.size() && item[i + 1] == ':') {
      *name += ':';
      ++i;
    } else if (c == ':' && i + 1 < item.size() && item[i + 1] == ':') {
      *name += ':';
      ++i;
    } else if (c == ':') {
      *path = item.substr(i + 1);
      return !name->empty() && !path->empty();
    } else {
      *name += c;
    }
  }
  return false;
}

// Index among the subgraph's inputs of the tensor called `name`, or -1.
int FindInput(runtime::Subgraph& sg, const std::string& name) {
  for (size_t i = 0; i < sg.inputs().size(); ++i)
    if (sg.tensors()[static_cast<size_t>(sg.inputs()[i])].name == name) return static_cast<int>(i);
  return -1;
}

std::string InputNames(runtime::Subgraph& sg) {
  std::string s;
  for (int t : sg.inputs())
    s += (s.empty() ? "" : ", ") + sg.tensors()[static_cast<size_t>(t)].name;
  return s;
}

// Uniform integers in [lo, hi], clamped to what T holds.
template <typename T>
void FillInts(std::mt19937& rng, int64_t lo, int64_t hi, void* data, int64_t n) {
  const auto tmin = static_cast<int64_t>(std::numeric_limits<T>::min());
  const auto tmax = static_cast<int64_t>(std::min<uint64_t>(
      static_cast<uint64_t>(std::numeric_limits<T>::max()), static_cast<uint64_t>(INT64_MAX)));
  lo = std::clamp(lo, tmin, tmax);
  hi = std::clamp(hi, lo, tmax);
  std::uniform_int_distribution<int64_t> dist(lo, hi);
  T* p = static_cast<T*>(data);
  for (int64_t i = 0; i < n; ++i) p[i] = static_cast<T>(dist(rng));
}

}  // namespace

Result<InputSpecs> ParseInputSpecs(const BenchmarkFlags& flags) {
  InputSpecs specs;
  specs.names = Split(flags.input_layer, ',');
  for (const std::string& shape : Split(flags.input_layer_shape, ':')) {
    std::vector<int32_t> dims;
    for (const std::string& d : Split(shape, ',')) {
      int64_t v = 0;
      if (!ParseInt(d, &v) || v < 1 || v > INT32_MAX)
        return Bad("input_layer_shape", flags.input_layer_shape,
                   "dimensions are positive integers, inputs separated by ':'");
      dims.push_back(static_cast<int32_t>(v));
    }
    specs.shapes.push_back(std::move(dims));
  }
  if (!specs.shapes.empty() && specs.shapes.size() != specs.names.size())
    return Bad("input_layer_shape", flags.input_layer_shape,
               fmt::format("{} shapes for {} names in --input_layer", specs.shapes.size(),
                           specs.names.size()));
  for (const std::string& item : Split(flags.input_layer_value_range, ':')) {
    const std::vector<std::string> parts = Split(item, ',');
    int64_t lo = 0, hi = 0;
    if (parts.size() != 3 || parts[0].empty() || !ParseInt(parts[1], &lo) ||
        !ParseInt(parts[2], &hi) || lo > hi)
      return Bad("input_layer_value_range", flags.input_layer_value_range,
                 "expected name,low,high items (integers, low <= high) separated by ':'");
    specs.ranges[parts[0]] = {lo, hi};
  }
  for (const std::string& item : Split(flags.input_layer_value_files, ',')) {
    std::string name, path;
    if (!SplitNameAndPath(item, &name, &path))
      return Bad("input_layer_value_files", flags.input_layer_value_files,
                 "expected name:path items separated by ','");
    specs.files[name] = path;
  }
  return specs;
}

Status ApplyInputShapes(const InputSpecs& specs, runtime::Subgraph& sg,
                        std::vector<std::string>* warnings) {
  const size_t n = sg.inputs().size();
  if (!specs.names.empty() && specs.names.size() != n)
    return InvalidArgumentError(
        fmt::format("--input_layer names {} inputs but the model has {} ({})", specs.names.size(),
                    n, InputNames(sg)));
  for (size_t j = 0; j < specs.names.size(); ++j) {
    const int t = sg.inputs()[j];
    const runtime::Tensor& tensor = sg.tensors()[static_cast<size_t>(t)];
    if (tensor.name != specs.names[j])
      warnings->push_back(fmt::format("WARNING: Tensor # {} is named {} but flags call it {}", t,
                                      tensor.name, specs.names[j]));
    if (j >= specs.shapes.size()) continue;
    if (static_cast<int>(specs.shapes[j].size()) != tensor.shape.rank())
      return InvalidArgumentError(
          fmt::format("Input tensor #{} should have {} dimensions!", t, tensor.shape.rank()));
    LS_RETURN_IF_ERROR(sg.ResizeInput(static_cast<int>(j), runtime::Shape(specs.shapes[j])));
  }
  for (const auto& [name, range] : specs.ranges)
    if (FindInput(sg, name) < 0)
      return InvalidArgumentError(
          fmt::format("--input_layer_value_range: the model has no input named '{}' (inputs: {})",
                      name, InputNames(sg)));
  for (const auto& [name, path] : specs.files)
    if (FindInput(sg, name) < 0)
      return InvalidArgumentError(
          fmt::format("--input_layer_value_files: the model has no input named '{}' (inputs: {})",
                      name, InputNames(sg)));
  return Status::Ok();
}

Result<std::vector<std::vector<uint8_t>>> MakeInputData(const InputSpecs& specs,
                                                        runtime::Subgraph& sg) {
  std::mt19937 rng(0x6c697465);  // fixed seed: every run of the tool sees the same inputs
  std::vector<std::vector<uint8_t>> data;
  for (int t : sg.inputs()) {
    const runtime::Tensor& tensor = sg.tensors()[static_cast<size_t>(t)];
    std::vector<uint8_t> bytes(tensor.bytes, 0);
    auto file = specs.files.find(tensor.name);
    if (file != specs.files.end()) {
      std::ifstream in(file->second, std::ios::binary | std::ios::ate);
      if (!in) return IoError(fmt::format("{}: cannot open input value file", file->second));
      const std::streamoff size = in.tellg();
      if (size != static_cast<std::streamoff>(tensor.bytes))
        return InvalidArgumentError(
            fmt::format("The size of {} is {} bytes. It should be {} bytes.", file->second, size,
                        tensor.bytes));
      in.seekg(0);
      in.read(reinterpret_cast<char*>(bytes.data()), size);
      if (!in) return IoError(fmt::format("{}: read failed", file->second));
      data.push_back(std::move(bytes));
      continue;
    }
    auto range = specs.ranges.find(tensor.name);
    const bool ranged = range != specs.ranges.end();
    const int64_t n = tensor.data ? tensor.elements() : 0;
    void* p = bytes.data();
    auto lo = [&](int64_t d) { return ranged ? range->second.first : d; };
    auto hi = [&](int64_t d) { return ranged ? range->second.second : d; };
    if (static_cast<size_t>(n) * std::max<size_t>(runtime::DataTypeSize(tensor.type), 1) >
        bytes.size()) {
      data.push_back(std::move(bytes));
      continue;
    }
    switch (tensor.type) {
      case runtime::DataType::kFloat32: {
        std::uniform_real_distribution<float> dist(
            ranged ? static_cast<float>(range->second.first) : -0.5f,
            ranged ? static_cast<float>(range->second.second) : 0.5f);
        float* f = static_cast<float*>(p);
        for (int64_t i = 0; i < n; ++i) f[i] = dist(rng);
        break;
      }
      case runtime::DataType::kInt8:
        FillInts<int8_t>(rng, lo(-128), hi(127), p, n);
        break;
      case runtime::DataType::kUInt8:
        FillInts<uint8_t>(rng, lo(0), hi(255), p, n);
        break;
      case runtime::DataType::kInt16:
        FillInts<int16_t>(rng, lo(-32768), hi(32767), p, n);
        break;
      case runtime::DataType::kUInt16:
        FillInts<uint16_t>(rng, lo(0), hi(65535), p, n);
        break;
      case runtime::DataType::kInt32:
        FillInts<int32_t>(rng, lo(0), hi(99), p, n);
        break;
      case runtime::DataType::kUInt32:
        FillInts<uint32_t>(rng, lo(0), hi(99), p, n);
        break;
      case runtime::DataType::kInt64:
        FillInts<int64_t>(rng, lo(0), hi(99), p, n);
        break;
      case runtime::DataType::kBool:
        FillInts<uint8_t>(rng, lo(0), hi(1), p, n);
        break;
      default:
        break;  // other types (strings, fp16, resources) start as zeros
    }
    data.push_back(std::move(bytes));
  }
  return data;
}

void CopyInputs(const std::vector<std::vector<uint8_t>>& data, runtime::Subgraph& sg) {
  for (size_t i = 0; i < data.size() && i < sg.inputs().size(); ++i) {
    runtime::Tensor& t = sg.tensor(sg.inputs()[i]);
    if (t.data && t.bytes == data[i].size() && !data[i].empty())
      std::memcpy(t.data, data[i].data(), data[i].size());
  }
}

}  // namespace litescope::apps
