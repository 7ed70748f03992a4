# Finds every third-party dependency from Debian 12 packages; fails early with the apt package to install.
include(FindPackageHandleStandardArgs)

macro(imersim_require found what package)
  if(NOT ${found})
    message(FATAL_ERROR "imersim: ${what} not found. On Debian 12 install it with:\n"
                        "  sudo apt-get install ${package}\n"
                        "(or run tools/setup.sh, which installs every dependency).")
  endif()
endmacro()

find_package(Boost 1.74 QUIET CONFIG COMPONENTS random)
imersim_require(Boost_FOUND "Boost.Random" libboost-random-dev)
find_package(TBB QUIET CONFIG)
imersim_require(TBB_FOUND "oneTBB" libtbb-dev)
find_package(HDF5 QUIET COMPONENTS C CXX)
imersim_require(HDF5_FOUND "HDF5 C++ API" libhdf5-dev)
find_package(yaml-cpp QUIET CONFIG)
imersim_require(yaml-cpp_FOUND "yaml-cpp" libyaml-cpp-dev)
find_package(fmt QUIET CONFIG)
imersim_require(fmt_FOUND "fmt" libfmt-dev)
find_package(CLI11 QUIET CONFIG)
imersim_require(CLI11_FOUND "CLI11" libcli11-dev)
find_path(RANDOM123_INCLUDE_DIR Random123/philox.h)
imersim_require(RANDOM123_INCLUDE_DIR "Random123" librandom123-dev)

# HDF5 has no imported target on Debian's 1.10 FindHDF5 in every configuration: wrap it in one.
if(NOT TARGET imersim_hdf5)
  add_library(imersim_hdf5 INTERFACE)
  target_include_directories(imersim_hdf5 SYSTEM INTERFACE ${HDF5_INCLUDE_DIRS})
  target_link_libraries(imersim_hdf5 INTERFACE ${HDF5_CXX_LIBRARIES} ${HDF5_LIBRARIES})
  target_compile_definitions(imersim_hdf5 INTERFACE ${HDF5_DEFINITIONS})
endif()
add_library(imersim_random123 INTERFACE)
target_include_directories(imersim_random123 SYSTEM INTERFACE ${RANDOM123_INCLUDE_DIR})

if(IMERSIM_BUILD_TESTS)
  find_package(GTest QUIET CONFIG)
  imersim_require(GTest_FOUND "GoogleTest" "libgtest-dev libgmock-dev")
endif()
