# Compiler warnings and sanitizers, applied per target through imersim_warnings().
add_library(imersim_warnings INTERFACE)
target_compile_options(imersim_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                       -Wno-sign-conversion $<$<BOOL:${IMERSIM_WERROR}>:-Werror>)
if(IMERSIM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
