#version 330 core
// What lies beneath a shader layer, for its `below` image inputs: the frame so far (premultiplied)
// read through the layer's box (u_o + x * u_ax + y * u_ay, in the grabbed canvas's uv), then
// un-premultiplied, as ISF shaders expect straight alpha.
uniform sampler2D u_tex;
uniform vec2 u_o;
uniform vec2 u_ax;
uniform vec2 u_ay;
in vec2 v_uv;
out vec4 frag;
void main() {
    vec2 uv = u_o + v_uv.x * u_ax + v_uv.y * u_ay;
    vec4 c = texture(u_tex, uv);
    if (uv.x < 0.0 || uv.y < 0.0 || uv.x > 1.0 || uv.y > 1.0) {
        c = vec4(0.0);
    }
    frag = c.a > 0.0 ? vec4(c.rgb / c.a, c.a) : vec4(0.0);
}
