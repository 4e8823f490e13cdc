# Finds XNNPACK and pthreadpool (Debian ships no CMake config for either) and defines
# xnnpack::xnnpack (once). Appends the Debian packages still to install to LS_BACKEND_MISSING.
# Included by backend.cmake here and, installed with the package, by litescopeConfig.cmake.
find_path(XNNPACK_INCLUDE_DIR xnnpack.h)
find_library(XNNPACK_LIBRARY XNNPACK)
find_library(PTHREADPOOL_LIBRARY pthreadpool)
set(ls_xnnpack_missing "")
if(NOT XNNPACK_INCLUDE_DIR OR NOT XNNPACK_LIBRARY)
  list(APPEND ls_xnnpack_missing libxnnpack-dev)
endif()
if(NOT PTHREADPOOL_LIBRARY)
  list(APPEND ls_xnnpack_missing libpthreadpool-dev)
endif()
if(NOT ls_xnnpack_missing AND NOT TARGET xnnpack::xnnpack)
  add_library(xnnpack::xnnpack UNKNOWN IMPORTED)
  set_target_properties(xnnpack::xnnpack PROPERTIES
    IMPORTED_LOCATION "${XNNPACK_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${XNNPACK_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${PTHREADPOOL_LIBRARY};Threads::Threads")
endif()
list(APPEND LS_BACKEND_MISSING ${ls_xnnpack_missing})
