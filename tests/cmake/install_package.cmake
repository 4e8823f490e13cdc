# install_consumer: `cmake --install` into a temporary prefix, then tests/install_consumer
# (find_package(litescope), links all five litescope:: targets) is configured, built and run
# against that prefix only; its output must match the installed tflite_run's (reference and
# XNNPACK). install_deb: `cpack -G DEB`, then dpkg-deb checks the package name, version,
# Depends (every shared library the tools load) and that usr/bin holds the three tools.
# Both are in label "install" (ctest -L install runs just them).
find_package(Python3 COMPONENTS Interpreter QUIET)
if(NOT Python3_Interpreter_FOUND OR NOT TARGET tflite_run OR NOT TARGET tflite_analyze
   OR NOT TARGET benchmark_model)
  message(STATUS "litescope: install tests disabled (need python3 and the three tools)")
  return()
endif()
set(ls_check_install ${CMAKE_CURRENT_LIST_DIR}/../scripts/check_install.py)
set(ls_install_launcher "")
if(CCACHE_PROGRAM)
  set(ls_install_launcher --launcher ${CCACHE_PROGRAM})
endif()
add_test(NAME install_consumer
         COMMAND Python3::Interpreter ${ls_check_install} install --build ${PROJECT_BINARY_DIR}
                 --source ${PROJECT_SOURCE_DIR} --cmake ${CMAKE_COMMAND}
                 --generator ${CMAKE_GENERATOR} --cxx ${CMAKE_CXX_COMPILER}
                 --build-type $<CONFIG> ${ls_install_launcher}
                 --tmp ${CMAKE_CURRENT_BINARY_DIR}/install_consumer_tmp)
set_tests_properties(install_consumer PROPERTIES LABELS "install;tool" TIMEOUT 900)

find_program(LS_DPKG_DEB dpkg-deb)
find_program(LS_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(LS_DPKG_DEB AND LS_DPKG_SHLIBDEPS)
  add_test(NAME install_deb
           COMMAND Python3::Interpreter ${ls_check_install} deb --build ${PROJECT_BINARY_DIR}
                   --cpack ${CMAKE_CPACK_COMMAND}
                   --tmp ${CMAKE_CURRENT_BINARY_DIR}/install_deb_tmp)
  set_tests_properties(install_deb PROPERTIES LABELS "install;tool" TIMEOUT 600)
else()
  message(STATUS "litescope: install_deb test disabled (needs dpkg-deb and dpkg-shlibdeps)")
endif()
