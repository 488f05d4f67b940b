#version 330 core
// A film's picture: its planes as decoded (Y, Cb, Cr and alpha, 8 or 16-bit samples, each in
// its own single-channel texture) turned into the compositor's space, sRGB-encoded R'G'B' with
// premultiplied alpha: u_matrix * samples + u_offset holds the matrix (BT.601/709/2020), the
// range (limited or full) and the sample depth, computed once per picture on the CPU. u_rgba:
// one RGBA texture with straight alpha instead (pictures converted on the CPU, or HAP's DXT1 and
// DXT5 blocks); 2: HAP Q, scaled YCoCg in a DXT5 texture (Co, Cg, scale, Y), converted here as
// FFmpeg's hap decoder does, in integer code values; 3: the same with HAP Q Alpha's alpha (RGTC1)
// in u_cb.
uniform vec4 u_color;
uniform sampler2D u_y;
uniform sampler2D u_cb;
uniform sampler2D u_cr;
uniform sampler2D u_a;
uniform mat3 u_matrix;
uniform vec3 u_offset;
uniform float u_alpha_scale; // 0: opaque; else sample x this
uniform int u_rgba;
in vec2 v_uv;
out vec4 frag;
void main() {
    vec3 rgb;
    float a = 1.0;
    if (u_rgba >= 2) {
        vec4 t = floor(texture(u_y, v_uv) * 255.0 + 0.5);
        float s = floor(t.b / 8.0) + 1.0;
        float co = trunc((t.r - 128.0) / s), cg = trunc((t.g - 128.0) / s);
        rgb = clamp(vec3(t.a + co - cg, t.a + cg, t.a - co - cg) / 255.0, 0.0, 1.0);
        if (u_rgba == 3) {
            a = texture(u_cb, v_uv).r;
        }
    } else if (u_rgba != 0) {
        vec4 t = texture(u_y, v_uv);
        rgb = t.rgb;
        a = t.a;
    } else {
        vec3 s = vec3(texture(u_y, v_uv).r, texture(u_cb, v_uv).r, texture(u_cr, v_uv).r);
        rgb = clamp(u_matrix * s + u_offset, 0.0, 1.0);
        if (u_alpha_scale > 0.0) {
            a = clamp(texture(u_a, v_uv).r * u_alpha_scale, 0.0, 1.0);
        }
    }
    frag = vec4(rgb * a, a) * u_color;
}
