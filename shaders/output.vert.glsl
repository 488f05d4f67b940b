#version 330 core
// A projection output's triangles: where each vertex lands as fractions of the output (x right,
// y down) and the coordinates (u, v) that the fragment shader maps to the source.
layout(location = 0) in vec4 a_vert;
out vec2 v_q;
void main() {
    v_q = a_vert.zw;
    gl_Position = vec4(a_vert.x * 2.0 - 1.0, 1.0 - a_vert.y * 2.0, 0.0, 1.0);
}
