#include "runtime/model.h"

#include <catch2/catch.hpp>

#include <vector>

TEST_CASE("Model rejects an empty buffer", "[runtime][model]") {
  std::vector<uint8_t> empty;
  auto m = litescope::runtime::Model::FromBufferCopy(empty.data(), 0, "empty");
  REQUIRE_FALSE(m.ok());
  CHECK(m.status().message() == "empty: file is empty");
}

TEST_CASE("Model rejects a missing file with a one-line error", "[runtime][model]") {
  auto m = litescope::runtime::Model::FromFile("/nonexistent/model.tflite");
  REQUIRE_FALSE(m.ok());
  CHECK(m.status().code() == litescope::StatusCode::kIoError);
  CHECK(m.status().message().find('\n') == std::string::npos);
}
