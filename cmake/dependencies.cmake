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

# CPU identification for the run-time kernel dispatch (runtime/cpu_isa.cc). Debian 12's
# cpuinfo-config.cmake points one directory too high (/usr/lib/lib/...), so find it by hand.
find_path(CPUINFO_INCLUDE_DIR cpuinfo.h)
find_library(CPUINFO_LIBRARY cpuinfo)
if(NOT CPUINFO_INCLUDE_DIR OR NOT CPUINFO_LIBRARY)
  ls_fail_missing("cpuinfo" libcpuinfo-dev)
endif()
if(NOT TARGET cpuinfo::cpuinfo)
  add_library(cpuinfo::cpuinfo UNKNOWN IMPORTED)
  set_target_properties(cpuinfo::cpuinfo PROPERTIES
    IMPORTED_LOCATION "${CPUINFO_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${CPUINFO_INCLUDE_DIR}")
endif()

# XNNPACK and pthreadpool ship no CMake config or .pc file in Debian.
find_path(XNNPACK_INCLUDE_DIR xnnpack.h)
find_library(XNNPACK_LIBRARY XNNPACK)
find_library(PTHREADPOOL_LIBRARY pthreadpool)
if(NOT XNNPACK_INCLUDE_DIR OR NOT XNNPACK_LIBRARY)
  ls_fail_missing("XNNPACK" libxnnpack-dev)
endif()
if(NOT PTHREADPOOL_LIBRARY)
  ls_fail_missing("pthreadpool" libpthreadpool-dev)
endif()
find_path(FP16_INCLUDE_DIR fp16.h)
if(NOT FP16_INCLUDE_DIR)
  ls_fail_missing("fp16.h" libfp16-dev)
endif()
add_library(xnnpack::xnnpack UNKNOWN IMPORTED)
set_target_properties(xnnpack::xnnpack PROPERTIES
  IMPORTED_LOCATION "${XNNPACK_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${XNNPACK_INCLUDE_DIR}"
  INTERFACE_LINK_LIBRARIES "${PTHREADPOOL_LIBRARY};Threads::Threads")

find_package(OpenCL QUIET)
if(NOT OpenCL_FOUND)
  ls_fail_missing("OpenCL" "opencl-headers ocl-icd-opencl-dev")
endif()
