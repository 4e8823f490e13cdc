# Install rules, the exported CMake package and the .deb (included last by the top
# CMakeLists.txt). Components:
#   tools  bin/benchmark_model, bin/tflite_analyze, bin/tflite_run (what the .deb contains)
#   dev    the static libraries, their headers under include/ (same layout as in the repository,
#          plus the generated runtime/schema/tflite_schema_generated.h) and the CMake package
#          lib/cmake/litescope, so that a consumer does
#            find_package(litescope CONFIG REQUIRED)
#            target_link_libraries(app PRIVATE litescope::runtime litescope::delegates)
# `cmake --install <build> [--prefix DIR] [--component tools|dev]`; `cpack -G DEB` in <build>.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(LITESCOPE_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/litescope CACHE STRING
    "Where the litescope CMake package goes, relative to the install prefix")

set(ls_tools "")
foreach(tool benchmark_model tflite_analyze tflite_run)
  if(TARGET ${tool})
    list(APPEND ls_tools ${tool})
  endif()
endforeach()
install(TARGETS ${ls_tools} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT tools)

# The libraries link one another (delegates -> runtime, reports -> analyzers, profiler, ...):
# all of them go into one export set, so each exported target finds the ones it needs.
set(ls_libraries "")
set(ls_list ${LS_INSTALLED_LIBRARIES})
while(ls_list)
  list(POP_FRONT ls_list ls_target ls_name)
  list(APPEND ls_libraries ${ls_target})
endwhile()
install(TARGETS ${ls_libraries} EXPORT litescopeTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
# The libraries are static: a build with sanitizers needs them at the consumer's link as well.
if(LITESCOPE_SANITIZE)
  target_link_options(ls_runtime INTERFACE
                      $<INSTALL_INTERFACE:-fsanitize=${_litescope_sanitizers}>)
endif()

# Headers go to include/ (the INSTALL_INTERFACE include directory of cmake/litescope_library.cmake).
foreach(dir runtime delegates profiler analyzers reports)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir} DESTINATION include
          COMPONENT dev FILES_MATCHING PATTERN "*.h")
endforeach()
install(FILES ${PROJECT_BINARY_DIR}/gen/runtime/schema/tflite_schema_generated.h
              ${PROJECT_BINARY_DIR}/gen/runtime/schema/tflite_edit_schema_generated.h
        DESTINATION include/runtime/schema COMPONENT dev)

install(EXPORT litescopeTargets NAMESPACE litescope:: DESTINATION ${LITESCOPE_INSTALL_CMAKEDIR}
        COMPONENT dev)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/litescopeConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/litescopeConfig.cmake
                              INSTALL_DESTINATION ${LITESCOPE_INSTALL_CMAKEDIR})
# 0.x: a new minor version may change the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/litescopeConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/litescopeConfig.cmake
              ${PROJECT_BINARY_DIR}/litescopeConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/ls_find_cpu_libs.cmake
        DESTINATION ${LITESCOPE_INSTALL_CMAKEDIR} COMPONENT dev)
# Each backend's find.cmake (delegates/CMakeLists.txt) as backends/<backend>.cmake.
get_property(ls_backend_find_files GLOBAL PROPERTY LS_BACKEND_FIND_FILES)
foreach(find_file ${ls_backend_find_files})
  get_filename_component(backend_dir ${find_file} DIRECTORY)
  get_filename_component(backend_name ${backend_dir} NAME)
  install(FILES ${find_file} DESTINATION ${LITESCOPE_INSTALL_CMAKEDIR}/backends
          RENAME ${backend_name}.cmake COMPONENT dev)
endforeach()

# cpack -G DEB: one package "litescope" with the tools (component tools only). Depends comes from
# dpkg-shlibdeps on the installed binaries (libfmt9, libflatbuffers2, the backends' libraries, ...).
# The default build is portable (kernels picked at run time, docs/cpu_dispatch.md); a package made
# with -DLITESCOPE_NATIVE=ON runs only on CPUs like the build machine's.
set(CPACK_PACKAGE_NAME litescope)
set(CPACK_PACKAGE_VENDOR "litescope")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "TFLite model benchmarking suite: benchmark_model, tflite_analyze, tflite_run")
set(CPACK_PACKAGE_DESCRIPTION
    "litescope runs, analyzes and benchmarks TensorFlow Lite models on its own CPU kernels and \
through the delegates of its backend registry. benchmark_model takes TFLite's benchmark_model flags and writes \
JSON, trace and Google Benchmark reports; tflite_analyze prints a model's structure, cost and \
backend compatibility; tflite_run runs a model once on raw inputs.")
set(LITESCOPE_PACKAGE_MAINTAINER "litescope maintainers <maintainers@litescope.invalid>"
    CACHE STRING "Maintainer field of the .deb")
set(CPACK_PACKAGE_CONTACT "${LITESCOPE_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${LITESCOPE_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL tools)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_GENERATOR DEB)
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "/out/" "__pycache__")
include(CPack)
