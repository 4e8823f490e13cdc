# Finds every dependency (all Debian packages) and stops with a message that names the package
# to install. scripts/install_deps.sh installs them all.

function(ls_fail_missing what package)
  message(FATAL_ERROR "litescope: ${what} not found. Install the Debian package '${package}' "
                      "(or run scripts/install_deps.sh).")
endfunction()

macro(ls_find_config name package)
  find_package(${name} ${ARGN} CONFIG QUIET)
  if(NOT ${name}_FOUND)
    ls_fail_missing(${name} ${package})
  endif()
endmacro()

find_package(Threads REQUIRED)
ls_find_config(FlatBuffers "libflatbuffers-dev flatbuffers-compiler")
if(NOT TARGET flatbuffers::flatc)
  ls_fail_missing("flatc" "flatbuffers-compiler")
endif()
ls_find_config(fmt libfmt-dev)
ls_find_config(CLI11 libcli11-dev)
ls_find_config(nlohmann_json nlohmann-json3-dev)

if(LITESCOPE_BUILD_TESTS)
  ls_find_config(Catch2 catch2 2)
endif()
if(LITESCOPE_BUILD_BENCH)
  ls_find_config(benchmark libbenchmark-dev)
endif()

# fp16.h and cpuinfo (used by the run-time kernel dispatch, runtime/cpu_isa.cc) have no usable
# CMake config in Debian; this file is also installed for consumers of the litescope package.
# Each backend finds its own libraries (delegates/<backend>/backend.cmake).
include(${CMAKE_CURRENT_LIST_DIR}/ls_find_cpu_libs.cmake)
foreach(package ${LS_CPU_LIBS_MISSING})
  ls_fail_missing("${package} (fp16.h or cpuinfo)" ${package})
endforeach()

# OpenCL (headers and the ICD loader) for the GPU delegate (delegates/opencl/backend.cmake):
# found or not, the build goes on; without it the "gpu" backend says it is not available.
find_package(OpenCL QUIET)
if(OpenCL_FOUND)
  set(LITESCOPE_HAVE_OPENCL ON)
  message(STATUS "litescope: OpenCL found (${OpenCL_LIBRARIES})")
else()
  set(LITESCOPE_HAVE_OPENCL OFF)
  message(STATUS "litescope: OpenCL not found (opencl-headers, ocl-icd-opencl-dev); "
                 "building without it")
endif()
