# Included by delegates/CMakeLists.txt. The "gpu" backend's registration and its device-free
# support checker (this folder) build everywhere; the OpenCL half (cl/: devices, programs,
# kernels) builds only when cmake/dependencies.cmake found OpenCL (headers and the ICD loader,
# packages opencl-headers and ocl-icd-opencl-dev). Without it the registration says that the
# delegate is not available in this build.
if(LITESCOPE_HAVE_OPENCL)
  list(APPEND ls_backend_dirs opencl/cl)
  list(APPEND ls_backend_deps OpenCL::OpenCL)
  list(APPEND ls_backend_definitions LITESCOPE_HAVE_OPENCL)
endif()
