#version 330 core
// The atlas's coverage (swizzled into all four channels) scales the premultiplied colour.
uniform vec4 u_color;
uniform sampler2D u_tex;
in vec2 v_uv;
out vec4 frag;
void main() {
    frag = u_color * texture(u_tex, v_uv);
}
