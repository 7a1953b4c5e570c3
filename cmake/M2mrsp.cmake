# Build helpers shared by every m2mrsp target.

if(M2MRSP_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

if(M2MRSP_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "M2MRSP_BUILD_FUZZERS needs clang (use the 'fuzz' preset)")
  endif()
  # Instrument everything for coverage; only fuzz targets link the libFuzzer driver.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

set(M2MRSP_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wconversion
                    -Wno-sign-conversion)

# m2mrsp_library(NAME <lib> SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# One library per folder under src/. Targets are m2mrsp_<lib> with alias m2mrsp::<lib>;
# headers are included as "<lib>/<file>.h". The DEPS lists are the layering of DESIGN.md §2:
# scripts/check_layering.py checks that includes never reach past them.
function(m2mrsp_library)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  set(target m2mrsp_${ARG_NAME})
  add_library(${target} STATIC ${ARG_SOURCES})
  add_library(m2mrsp::${ARG_NAME} ALIAS ${target})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(${target} PRIVATE ${M2MRSP_WARNINGS})
  target_link_libraries(${target} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  set_property(GLOBAL APPEND PROPERTY M2MRSP_LIBRARIES m2mrsp::${ARG_NAME})
endfunction()

# The names of the libraries under src/, bottom layer first (DESIGN.md §2). A folder joins the
# build when it has a CMakeLists.txt.
set(M2MRSP_LAYERS base tlv crypto milenage gp pki scp saip euicc net soap es binding store)
