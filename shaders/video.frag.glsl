#version 330 core
// A film's picture: its planes as decoded (Y, Cb, Cr and alpha, 8 or 16-bit samples, each in
// its own single-channel texture) turned into the compositor's space, sRGB-encoded R'G'B' with
// premultiplied alpha: u_matrix * samples + u_offset holds the matrix (BT.601/709/2020), the
// range (limited or full) and the sample depth, computed once per picture on the CPU.
// VT_VIDEO_KIND, defined by the engine before compiling (one program per kind, so no fragment
// runs the others' texture reads: a software rasteriser would run both sides of a branch):
// 0 Y'CbCr, 1 Y'CbCr and alpha, 2 one RGBA texture with straight alpha (pictures converted on
// the CPU).
uniform vec4 u_color;
uniform sampler2D u_y;
uniform sampler2D u_cb;
uniform sampler2D u_cr;
uniform sampler2D u_a;
uniform mat3 u_matrix;
uniform vec3 u_offset;
uniform float u_alpha_scale; // kind 1: alpha = sample x this
in vec2 v_uv;
out vec4 frag;
void main() {
#if VT_VIDEO_KIND == 2
    vec4 t = texture(u_y, v_uv);
    vec3 rgb = t.rgb;
    float a = t.a;
#else
    vec3 s = vec3(texture(u_y, v_uv).r, texture(u_cb, v_uv).r, texture(u_cr, v_uv).r);
    vec3 rgb = clamp(u_matrix * s + u_offset, 0.0, 1.0);
#if VT_VIDEO_KIND == 1
    float a = clamp(texture(u_a, v_uv).r * u_alpha_scale, 0.0, 1.0);
#else
    float a = 1.0;
#endif
#endif
    frag = vec4(rgb * a, a) * u_color;
}
