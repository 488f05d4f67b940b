#version 330 core
// u_color arrives premultiplied with the layer's opacity folded in; texels are premultiplied
// too, so the product is the premultiplied output the blend functions expect. A shader layer's
// picture is straight alpha (ISF): u_straight premultiplies it first.
// u_dither (a texture with more than 8 bits a channel): an ordered 8x8 Bayer offset of less than
// half a step is added before the 8-bit target rounds, so a smooth 16-bit ramp becomes a fine
// pattern instead of flat bands. It depends on the pixel's position only: renders repeat.
uniform vec4 u_color;
uniform int u_textured;
uniform int u_straight;
uniform int u_dither;
uniform sampler2D u_tex;
in vec2 v_uv;
out vec4 frag;
const int bayer[64] = int[64](0, 32, 8, 40, 2, 34, 10, 42, 48, 16, 56, 24, 50, 18, 58, 26,
                              12, 44, 4, 36, 14, 46, 6, 38, 60, 28, 52, 20, 62, 30, 54, 22,
                              3, 35, 11, 43, 1, 33, 9, 41, 51, 19, 59, 27, 49, 17, 57, 25,
                              15, 47, 7, 39, 13, 45, 5, 37, 63, 31, 55, 23, 61, 29, 53, 21);
void main() {
    vec4 c = u_color;
    if (u_textured != 0) {
        vec4 t = texture(u_tex, v_uv);
        if (u_straight != 0) {
            t.rgb *= t.a;
        }
        c *= t;
    }
    if (u_dither != 0) {
        ivec2 p = ivec2(gl_FragCoord.xy) & 7;
        float offset = (float(bayer[p.y * 8 + p.x]) + 0.5) / 64.0 - 0.5; // -0.49 .. 0.49
        c.rgb = clamp(c.rgb + offset / 255.0, 0.0, c.a);
    }
    frag = c;
}
