// Compiles and links a WebGL2 shader program from GLSL ES 3.00 sources (shaders/*.vert, *.frag, embedded at build
// time). Returns the program, or 0 with a message in `error` (and the compiler's log on stderr).
#pragma once
#include <GLES3/gl3.h>

#include <string>

namespace recluster::web {

GLuint link_program(const char* vertex_source, const char* fragment_source, std::string& error);

}  // namespace recluster::web
