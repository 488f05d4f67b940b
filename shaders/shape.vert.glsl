#version 330 core
// Shapes (rounded corners, borders, gradients, shadows): placed like every layer (layer.vert),
// and each corner also carries where it lies in the layer's box, in target pixels along the
// box's own edges (v_local), so the fragment shader measures distances to the box whatever the
// rotation or scale.
layout(location = 0) in vec2 a_unit;
uniform vec2 u_origin;
uniform vec2 u_axis_x;
uniform vec2 u_axis_y;
uniform vec2 u_uv0;
uniform vec2 u_uv1;
uniform vec2 u_local0;
uniform vec2 u_local1;
out vec2 v_uv;
out vec2 v_local;
void main() {
    vec2 p = u_origin + a_unit.x * u_axis_x + a_unit.y * u_axis_y;
    v_uv = mix(u_uv0, u_uv1, a_unit);
    v_local = mix(u_local0, u_local1, a_unit);
    gl_Position = vec4(p, 0.0, 1.0);
}
