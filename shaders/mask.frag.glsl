#version 330 core
// A masked layer, drawn alone into u_layer (premultiplied), composited through its mask drawn
// alone into u_mask: by the mask's alpha, or by its luminance (Rec. 709 weights on the
// premultiplied, sRGB-encoded values: white shows, black and transparent hide), inverted or not.
uniform sampler2D u_layer;
uniform sampler2D u_mask;
uniform int u_mode;   // 0: alpha, 1: luminance
uniform int u_invert; // 1: 1 - the mask
in vec2 v_uv;
out vec4 frag;
void main() {
    vec4 m = texture(u_mask, v_uv);
    float k = u_mode == 1 ? dot(m.rgb, vec3(0.2126, 0.7152, 0.0722)) : m.a;
    if (u_invert != 0) {
        k = 1.0 - k;
    }
    frag = texture(u_layer, v_uv) * k;
}
