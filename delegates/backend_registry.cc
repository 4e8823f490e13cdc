#include "delegates/backend_registry.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include <fmt/format.h>

#include "runtime/interpreter.h"

namespace litescope::delegates {
namespace {

bool ParseBool(const std::string& v, bool* out) {
  if (v.empty() || v == "true" || v == "1") {
    *out = true;
  } else if (v == "false" || v == "0") {
    *out = false;
  } else {
    return false;
  }
  return true;
}

bool ParseInt(const std::string& v, int64_t* out) {
  errno = 0;
  char* end = nullptr;
  const long long x = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || errno == ERANGE) return false;
  *out = static_cast<int64_t>(x);
  return true;
}

bool ParseFloat(const std::string& v, double* out) {
  errno = 0;
  char* end = nullptr;
  const double x = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || errno == ERANGE || x != x) return false;
  *out = x;
  return true;
}

bool ValidName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

}  // namespace

const BackendFlag* BackendRegistration::FindFlag(const std::string& flag) const {
  for (const BackendFlag& f : flags)
    if (f.name == flag) return &f;
  return nullptr;
}

const BackendAction* BackendRegistration::FindAction(const std::string& flag) const {
  for (const BackendAction& a : actions)
    if (a.flag == flag) return &a;
  return nullptr;
}

namespace {

std::string FlagText(const BackendRegistration& r, const BackendConfig& config,
                     const std::string& flag) {
  auto it = config.flag_values.find(flag);
  if (it != config.flag_values.end()) return it->second;
  const BackendFlag* f = r.FindFlag(flag);
  return f ? f->default_value : std::string();
}

}  // namespace

bool BackendRegistration::BoolFlag(const BackendConfig& config, const std::string& flag) const {
  bool v = false;
  return ParseBool(FlagText(*this, config, flag), &v) && v;
}

int64_t BackendRegistration::IntFlag(const BackendConfig& config, const std::string& flag) const {
  int64_t v = 0;
  return ParseInt(FlagText(*this, config, flag), &v) ? v : 0;
}

double BackendRegistration::FloatFlag(const BackendConfig& config, const std::string& flag) const {
  double v = 0;
  return ParseFloat(FlagText(*this, config, flag), &v) ? v : 0;
}

std::string BackendRegistration::StringFlag(const BackendConfig& config,
                                            const std::string& flag) const {
  return FlagText(*this, config, flag);
}

Status CheckBackendFlagValue(const BackendFlag& flag, const std::string& value) {
  bool b = false;
  int64_t i = 0;
  double d = 0;
  const char* expected = nullptr;
  switch (flag.type) {
    case BackendFlag::Type::kBool:
      if (!ParseBool(value, &b)) expected = "true, false, 1 or 0";
      break;
    case BackendFlag::Type::kInt:
      if (!ParseInt(value, &i)) expected = "an integer";
      break;
    case BackendFlag::Type::kFloat:
      if (!ParseFloat(value, &d)) expected = "a number";
      break;
    case BackendFlag::Type::kString:
      break;
  }
  if (!expected) return Status::Ok();
  return InvalidArgumentError(
      fmt::format("--{}: invalid value '{}' (expected {})", flag.name, value, expected));
}

Status BackendRegistry::Register(BackendRegistration r) {
  if (!ValidName(r.name))
    return InvalidArgumentError(
        fmt::format("backend name '{}': expected lower-case letters, digits and '_'", r.name));
  if (r.display_name.empty()) r.display_name = r.name;
  for (const BackendRegistration& b : backends_) {
    if (b.name == r.name)
      return InvalidArgumentError(fmt::format("backend '{}' is registered twice", r.name));
    for (const BackendFlag& f : r.flags)
      if (b.FindFlag(f.name) || f.name == "use_" + b.name)
        return InvalidArgumentError(fmt::format("backend '{}': flag --{} is owned by backend '{}'",
                                                r.name, f.name, b.name));
  }
  backends_.push_back(std::move(r));
  return Status::Ok();
}

const BackendRegistration* BackendRegistry::Find(const std::string& name) const {
  for (const BackendRegistration& b : backends_)
    if (b.name == name) return &b;
  return nullptr;
}

std::string BackendRegistry::NameList() const {
  std::string list;
  for (const BackendRegistration& b : backends_) list += (list.empty() ? "" : ", ") + b.name;
  return list;
}

Result<std::vector<const BackendRegistration*>> BackendRegistry::InPriorityOrder(
    const std::vector<std::string>& names) const {
  std::vector<const BackendRegistration*> chosen;
  for (const std::string& name : names) {
    const BackendRegistration* b = Find(name);
    if (!b)
      return InvalidArgumentError(
          fmt::format("unknown backend '{}' (registered: {})", name, NameList()));
    if (std::find(chosen.begin(), chosen.end(), b) == chosen.end()) chosen.push_back(b);
  }
  // Registration order breaks ties: it is the order of backends_.
  auto position = [&](const BackendRegistration* b) { return b - backends_.data(); };
  std::stable_sort(chosen.begin(), chosen.end(),
                   [&](const BackendRegistration* a, const BackendRegistration* b) {
                     if (a->priority != b->priority) return a->priority > b->priority;
                     return position(a) < position(b);
                   });
  return chosen;
}

Status ApplyBackends(
    const std::vector<const BackendRegistration*>& backends, const BackendConfig& config,
    runtime::Interpreter& interp, AppliedBackends* applied,
    const std::function<void(const BackendRegistration&, runtime::Delegate&)>& after_each) {
  for (const BackendRegistration* b : backends) {
    if (!b->make_delegate)
      return UnsupportedOpError(
          fmt::format("backend '{}' cannot run: {}", b->name, b->description));
    Result<std::unique_ptr<runtime::Delegate>> d = b->make_delegate(config);
    if (!d.ok()) return d.status();
    runtime::Delegate& delegate = **d;
    applied->registrations.push_back(b);
    applied->delegates.push_back(std::move(d.value()));
    LS_RETURN_IF_ERROR(interp.ApplyDelegate(delegate, config.delegate_options));
    if (after_each) after_each(*b, delegate);
  }
  return Status::Ok();
}

}  // namespace litescope::delegates
