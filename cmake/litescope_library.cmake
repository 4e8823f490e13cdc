# ls_add_folder_library(<name> DEPS <targets...>): one static library per folder, built from
# every .cc file in the folder (and its internal/ and subfolders listed in SUBDIRS). An empty
# folder yields an INTERFACE library so that dependents link the same way.
function(ls_add_folder_library name)
  cmake_parse_arguments(ARG "" "" "DEPS;SUBDIRS" ${ARGN})
  set(globs ${CMAKE_CURRENT_SOURCE_DIR}/*.cc ${CMAKE_CURRENT_SOURCE_DIR}/internal/*.cc)
  foreach(sub ${ARG_SUBDIRS})
    list(APPEND globs ${CMAKE_CURRENT_SOURCE_DIR}/${sub}/*.cc)
  endforeach()
  file(GLOB sources CONFIGURE_DEPENDS ${globs})
  if(sources)
    add_library(${name} STATIC ${sources})
    set(scope PUBLIC)
  else()
    add_library(${name} INTERFACE)
    set(scope INTERFACE)
  endif()
  target_link_libraries(${name} ${scope} ${ARG_DEPS})
  ls_target_includes(${name} ${scope})
endfunction()

# ls_target_includes(<target> PUBLIC|INTERFACE): includes are written from the repository root
# ("runtime/model.h") and generated headers live under <build>/gen with the same layout; the
# installed package keeps that layout under <prefix>/include.
function(ls_target_includes target scope)
  target_include_directories(${target} ${scope}
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}> $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/gen>
    $<INSTALL_INTERFACE:include>)
endfunction()

# The installed (and exported) libraries: target name in this build, then its name after
# "litescope::". ls_name_libraries() gives each its EXPORT_NAME and a litescope::<name> ALIAS.
set(LS_INSTALLED_LIBRARIES
    ls_runtime runtime
    ls_delegates delegates
    ls_profiler profiler
    ls_analyzers analyzers
    ls_reports reports)
function(ls_name_libraries)
  set(list ${LS_INSTALLED_LIBRARIES})
  while(list)
    list(POP_FRONT list target name)
    set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
    add_library(litescope::${name} ALIAS ${target})
  endwhile()
endfunction()
