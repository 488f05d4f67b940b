# cmake -DOUT=file.h -DNAMES=a,b -DFILES=a.glsl,b.glsl -P embed.cmake: writes each file as a
# NUL-terminated `static const char NAME[]` into OUT (the engine's GLSL, built into the binary so
# nothing is read at run time). OUT is rewritten only when its text changes.
string(REPLACE "," ";" NAMES "${NAMES}")
string(REPLACE "," ";" FILES "${FILES}")
set(text "/* Generated at build time by cmake/embed.cmake from shaders/: do not edit. */\n")
list(LENGTH NAMES n)
math(EXPR last "${n} - 1")
foreach(i RANGE ${last})
  list(GET NAMES ${i} name)
  list(GET FILES ${i} file)
  file(READ ${file} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n    "
         bytes "${bytes}")
  string(APPEND text "static const char ${name}[] = {\n    ${bytes}0x00};\n")
endforeach()
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT "${old}" STREQUAL "${text}")
  file(WRITE ${OUT} "${text}")
endif()
