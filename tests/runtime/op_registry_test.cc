#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "runtime/data_type.h"
#include "runtime/delegate.h"
#include "runtime/op_registry.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace {

namespace schema = litescope::schema;
using litescope::runtime::DataType;
using litescope::runtime::KernelRegistration;
using litescope::runtime::KernelSupport;
using litescope::runtime::OpRegistry;
using litescope::runtime::ParseKernelTypes;
using litescope::runtime::SupportCode;

int32_t Op(schema::BuiltinOperator op) { return static_cast<int32_t>(op); }

}  // namespace

TEST_CASE("ParseKernelTypes reads the registration's type list", "[runtime][op_registry]") {
  SECTION("a list") {
    auto t = ParseKernelTypes("float32,int8,uint8,int16");
    REQUIRE(t.ok());
    CHECK(*t == std::vector<DataType>{DataType::kFloat32, DataType::kInt8, DataType::kUInt8,
                                      DataType::kInt16});
  }
  SECTION("an empty list") {
    auto t = ParseKernelTypes("");
    REQUIRE(t.ok());
    CHECK(t->empty());
  }
  SECTION("any") {
    auto t = ParseKernelTypes("any");
    REQUIRE(t.ok());
    CHECK(std::count(t->begin(), t->end(), DataType::kInt4) == 1);
    CHECK(std::count(t->begin(), t->end(), DataType::kFloat32) == 1);
  }
  SECTION("an unknown name") {
    auto t = ParseKernelTypes("float32,int9");
    REQUIRE_FALSE(t.ok());
    CHECK(t.status().message().find("unknown type 'int9'") != std::string::npos);
  }
}

TEST_CASE("Every builtin kernel declares a valid type list and version range",
          "[runtime][op_registry]") {
  const OpRegistry registry = OpRegistry::WithBuiltins();
  for (const KernelRegistration& k : registry.kernels()) {
    INFO(k.name);
    CHECK(ParseKernelTypes(k.types ? k.types : "").ok());
    CHECK(k.min_version >= 1);
    CHECK(k.min_version <= k.max_version);
  }
}

TEST_CASE("OpRegistry::Check answers per op, version and input type", "[runtime][op_registry]") {
  const OpRegistry registry = OpRegistry::WithBuiltins();
  const int32_t conv = Op(schema::BuiltinOperator::CONV_2D);
  CHECK(registry.Supports(conv, 1, DataType::kFloat32));
  CHECK(registry.Supports(conv, 3, DataType::kInt8));
  CHECK(registry.Supports(Op(schema::BuiltinOperator::FULLY_CONNECTED), 6, DataType::kUInt8));

  SECTION("a version above the kernel's range") {
    const auto r = registry.Check(conv, "", 99, DataType::kFloat32);
    CHECK(r.code == SupportCode::kOpVersion);
    CHECK(r.message.find("op CONV_2D version 99 is not supported") != std::string::npos);
  }
  SECTION("a type the kernel does not declare") {
    const auto r = registry.Check(Op(schema::BuiltinOperator::LOCAL_RESPONSE_NORMALIZATION), "", 1,
                                  DataType::kInt8);
    CHECK(r.code == SupportCode::kInputType);
    CHECK(r.message.find("input type INT8 is not served") != std::string::npos);
  }
  SECTION("an op without a kernel") {
    const auto r =
        registry.Check(Op(schema::BuiltinOperator::LSH_PROJECTION), "", 1, DataType::kFloat32);
    CHECK(r.code == SupportCode::kNoKernel);
  }
  SECTION("custom ops by name") {
    CHECK(registry
              .Check(litescope::runtime::kCustomOpCode, "TFLite_Detection_PostProcess", 1,
                     DataType::kFloat32)
              .supported());
    CHECK(
        registry.Check(litescope::runtime::kCustomOpCode, "NoSuchOp", 1, DataType::kFloat32).code ==
        SupportCode::kCustomOp);
  }
}

TEST_CASE("OpRegistry::Check takes a kernel without a type list as serving every type",
          "[runtime][op_registry]") {
  OpRegistry registry;
  KernelRegistration k;
  k.name = "RELU";
  k.op = Op(schema::BuiltinOperator::RELU);
  k.min_version = 2;
  k.max_version = 3;
  registry.Add(k);
  CHECK(registry.Supports(k.op, 2, DataType::kInt64));
  CHECK_FALSE(registry.Supports(k.op, 1, DataType::kFloat32));
  k.types = "float32";
  registry.Add(k);  // replaces
  CHECK(registry.Supports(k.op, 3, DataType::kFloat32));
  CHECK_FALSE(registry.Supports(k.op, 3, DataType::kInt64));
}

TEST_CASE("OpRegistry::ListSupport lists every kernel sorted, with versions and types",
          "[runtime][op_registry]") {
  const OpRegistry registry = OpRegistry::WithBuiltins();
  const std::vector<KernelSupport> list = registry.ListSupport();
  REQUIRE(list.size() == registry.kernels().size());
  CHECK(std::is_sorted(
      list.begin(), list.end(),
      [](const KernelSupport& a, const KernelSupport& b) { return a.name < b.name; }));
  std::set<std::string> names;
  for (const KernelSupport& s : list) names.insert(s.name);
  CHECK(names.size() == list.size());
  const auto conv = std::find_if(list.begin(), list.end(),
                                 [](const KernelSupport& s) { return s.name == "CONV_2D"; });
  REQUIRE(conv != list.end());
  CHECK(conv->types_declared);
  CHECK(std::count(conv->types.begin(), conv->types.end(), DataType::kInt8) == 1);
  CHECK(conv->min_version == 1);
  CHECK(conv->max_version >= 3);
  const auto post = std::find_if(list.begin(), list.end(), [](const KernelSupport& s) {
    return s.name == "TFLite_Detection_PostProcess";
  });
  REQUIRE(post != list.end());
  CHECK(post->op == litescope::runtime::kCustomOpCode);
}
