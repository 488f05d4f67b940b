#version 330 core
// One unit quad serves every layer: the CPU places its corners (origin + a.x * axis_x +
// a.y * axis_y, in clip space) and the part of the texture it shows (uv0..uv1).
layout(location = 0) in vec2 a_unit;
uniform vec2 u_origin;
uniform vec2 u_axis_x;
uniform vec2 u_axis_y;
uniform vec2 u_uv0;
uniform vec2 u_uv1;
out vec2 v_uv;
void main() {
    vec2 p = u_origin + a_unit.x * u_axis_x + a_unit.y * u_axis_y;
    v_uv = mix(u_uv0, u_uv1, a_unit);
    gl_Position = vec4(p, 0.0, 1.0);
}
