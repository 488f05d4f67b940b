#version 330 core
// A rect or image with rounded corners, a border and a gradient fill, or its shadow. Everything
// is measured in target pixels from the box (v_local, 0..2 * u_half): the signed distance to the
// rounded box gives the antialiased edge, the border's inner edge, and the shadow (the box's
// Gaussian blur, as CSS box-shadow, drawn outside the box only). Colours are sRGB-encoded and
// premultiplied, as every layer composites; gradient stops are interpolated premultiplied (as
// CSS does). Smooth ramps (gradients, blurred shadows, 16-bit texels) get the same ordered 8x8
// offset as layer.frag before the 8-bit target rounds them, so they do not band.
uniform vec4 u_color;        // fill, or what multiplies the texels or the gradient; opacity in
uniform int u_textured;
uniform int u_dither;
uniform sampler2D u_tex;
uniform vec2 u_half;         // half the box
uniform float u_radius;      // corner radius (at most the smaller half side)
uniform float u_border;      // border width inside the box; 0: none
uniform vec4 u_border_color; // premultiplied, opacity in
uniform int u_shadow;        // 1: this quad draws the shadow in u_color
uniform vec2 u_offset;       // the shadow's offset along the box's edges
uniform float u_sigma;       // the shadow's Gaussian; 0: a sharp shadow
uniform int u_gradient;      // 0: none, 1: linear, 2: radial
uniform vec2 u_g0;           // linear: direction / length of the gradient line; radial: centre
uniform vec2 u_g1;           // radial: the ellipse's radii
uniform int u_stop_count;
uniform float u_stop_at[8];
uniform vec4 u_stop_color[8]; // premultiplied
in vec2 v_uv;
in vec2 v_local;
out vec4 frag;
const int bayer[64] = int[64](0, 32, 8, 40, 2, 34, 10, 42, 48, 16, 56, 24, 50, 18, 58, 26,
                              12, 44, 4, 36, 14, 46, 6, 38, 60, 28, 52, 20, 62, 30, 54, 22,
                              3, 35, 11, 43, 1, 33, 9, 41, 51, 19, 59, 27, 49, 17, 57, 25,
                              15, 47, 7, 39, 13, 45, 5, 37, 63, 31, 55, 23, 61, 29, 53, 21);

// Signed distance from p (box pixels) to the rounded box: negative inside.
float box_distance(vec2 p) {
    vec2 q = abs(p - u_half) - u_half + u_radius;
    return length(max(q, 0.0)) + min(max(q.x, q.y), 0.0) - u_radius;
}

// Abramowitz and Stegun 7.1.26 (error under 1.5e-7).
float erf_approx(float x) {
    float t = 1.0 / (1.0 + 0.3275911 * abs(x));
    float y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) *
                         t + 0.254829592) * t * exp(-x * x);
    return sign(x) * y;
}

vec4 gradient() {
    float t;
    if (u_gradient == 1) {
        t = dot(v_local - u_half, u_g0) + 0.5;
    } else {
        t = length((v_local - u_g0) / u_g1);
    }
    t = clamp(t, u_stop_at[0], u_stop_at[u_stop_count - 1]);
    vec4 c = u_stop_color[0];
    for (int i = 1; i < u_stop_count; i++) {
        float a = u_stop_at[i - 1], b = u_stop_at[i];
        if (t >= a && b > a) {
            c = mix(u_stop_color[i - 1], u_stop_color[i], clamp((t - a) / (b - a), 0.0, 1.0));
        }
    }
    return c;
}

void main() {
    float d = box_distance(v_local);
    vec4 c;
    if (u_shadow != 0) {
        float s = box_distance(v_local - u_offset);
        float a = u_sigma > 0.0 ? 0.5 - 0.5 * erf_approx(s / (u_sigma * 1.41421356))
                                : clamp(0.5 - s, 0.0, 1.0);
        c = u_color * a * clamp(0.5 + d, 0.0, 1.0);
    } else {
        c = u_color;
        if (u_textured != 0) {
            c *= texture(u_tex, v_uv);
        } else if (u_gradient != 0) {
            c *= gradient();
        }
        if (u_border > 0.0) {
            vec4 b = u_border_color * clamp(d + u_border + 0.5, 0.0, 1.0);
            c = b + c * (1.0 - b.a);
        }
        c *= clamp(0.5 - d, 0.0, 1.0);
    }
    if (u_dither != 0) {
        ivec2 p = ivec2(gl_FragCoord.xy) & 7;
        float offset = (float(bayer[p.y * 8 + p.x]) + 0.5) / 64.0 - 0.5; // -0.49 .. 0.49
        c.rgb = clamp(c.rgb + offset / 255.0, 0.0, c.a);
    }
    frag = c;
}
