# Finds XNNPACK, pthreadpool, fp16.h and cpuinfo, none of which ships a usable CMake config in
# Debian (cpuinfo's cpuinfo-config.cmake points at /usr/lib/lib/...), and defines the imported
# targets xnnpack::xnnpack, fp16::fp16 and cpuinfo::cpuinfo (once). Sets
# LS_XNNPACK_MISSING to the Debian packages still to install (empty when all were found).
# Used by cmake/dependencies.cmake and, installed next to litescopeConfig.cmake, by consumers of
# the installed package, whose litescope::delegates and litescope::runtime link these targets.
set(LS_XNNPACK_MISSING "")
find_path(XNNPACK_INCLUDE_DIR xnnpack.h)
find_library(XNNPACK_LIBRARY XNNPACK)
find_library(PTHREADPOOL_LIBRARY pthreadpool)
find_path(FP16_INCLUDE_DIR fp16.h)
find_path(CPUINFO_INCLUDE_DIR cpuinfo.h)
find_library(CPUINFO_LIBRARY cpuinfo)
if(NOT XNNPACK_INCLUDE_DIR OR NOT XNNPACK_LIBRARY)
  list(APPEND LS_XNNPACK_MISSING libxnnpack-dev)
endif()
if(NOT PTHREADPOOL_LIBRARY)
  list(APPEND LS_XNNPACK_MISSING libpthreadpool-dev)
endif()
if(NOT FP16_INCLUDE_DIR)
  list(APPEND LS_XNNPACK_MISSING libfp16-dev)
endif()
if(NOT CPUINFO_INCLUDE_DIR OR NOT CPUINFO_LIBRARY)
  list(APPEND LS_XNNPACK_MISSING libcpuinfo-dev)
endif()
if(NOT LS_XNNPACK_MISSING)
  if(NOT TARGET xnnpack::xnnpack)
    add_library(xnnpack::xnnpack UNKNOWN IMPORTED)
    set_target_properties(xnnpack::xnnpack PROPERTIES
      IMPORTED_LOCATION "${XNNPACK_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${XNNPACK_INCLUDE_DIR}"
      INTERFACE_LINK_LIBRARIES "${PTHREADPOOL_LIBRARY};Threads::Threads")
  endif()
  if(NOT TARGET fp16::fp16)
    add_library(fp16::fp16 INTERFACE IMPORTED)
    set_target_properties(fp16::fp16 PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${FP16_INCLUDE_DIR}")
  endif()
  if(NOT TARGET cpuinfo::cpuinfo)
    add_library(cpuinfo::cpuinfo UNKNOWN IMPORTED)
    set_target_properties(cpuinfo::cpuinfo PROPERTIES
      IMPORTED_LOCATION "${CPUINFO_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${CPUINFO_INCLUDE_DIR}")
  endif()
endif()
