# Records the version, git commit and build type in a generated header for --version, HDF5 attributes
# and calibration provenance. The commit is read at BUILD time (a custom target re-runs
# ImersimVersionWrite.cmake on every build), so a build after a new commit never reports the
# commit of the last configure; the header is rewritten only when its content changes.
find_package(Git QUIET)
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE Release)
endif()
set(IMERSIM_VERSION_HEADER ${CMAKE_BINARY_DIR}/generated/imersim/version.hpp)
set(IMERSIM_VERSION_ARGS
  -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DOUTPUT=${IMERSIM_VERSION_HEADER} -DPROJECT_VERSION=${PROJECT_VERSION}
  -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE} -DGIT_EXECUTABLE=${GIT_EXECUTABLE})
execute_process(COMMAND ${CMAKE_COMMAND} ${IMERSIM_VERSION_ARGS} -P ${CMAKE_SOURCE_DIR}/cmake/ImersimVersionWrite.cmake)
add_custom_target(imersim_version
  COMMAND ${CMAKE_COMMAND} ${IMERSIM_VERSION_ARGS} -P ${CMAKE_SOURCE_DIR}/cmake/ImersimVersionWrite.cmake
  BYPRODUCTS ${IMERSIM_VERSION_HEADER}
  COMMENT "Recording the git commit in imersim/version.hpp")
