#version 330 core
// A projection output: samples its source rectangle of the canvas through the warp, then
// applies the edge blends (curves that sum to one in light across an overlap: each output's
// signal is f^(1/gamma)), the black level lift outside the overlaps, and the trim.
in vec2 v_q;
uniform sampler2D u_src;
uniform mat3 u_m;     // (u, v, 1) -> the source fraction, projectively (corner pin)
uniform vec4 u_rect;  // the source in texture coordinates: origin, then extent (v down)
uniform vec2 u_size;  // the output in pixels
uniform vec4 u_blend; // ramp widths in output pixels: left, right, top, bottom
uniform float u_gamma;
uniform float u_black;
uniform vec3 u_trim;
uniform int u_pattern; // calibration: 0 none, 1 over the show, 2 on black instead of it
out vec4 frag;

// Smooth from 0 to 1 over the ramp, and f(t) + f(1 - t) = 1: overlapping ramps sum to one.
float ramp(float d, float w) {
    if (w <= 0.0) {
        return 1.0;
    }
    float t = clamp(d / w, 0.0, 1.0);
    return t * t * (3.0 - 2.0 * t);
}

void main() {
    vec3 q = u_m * vec3(v_q, 1.0);
    vec2 uv = q.xy / q.z;
    if (q.z <= 0.0 || uv.x < 0.0 || uv.y < 0.0 || uv.x > 1.0 || uv.y > 1.0) {
        frag = vec4(0.0, 0.0, 0.0, 1.0);
        return;
    }
    vec3 c = u_pattern == 2 ? vec3(0.0) : texture(u_src, u_rect.xy + uv * u_rect.zw).rgb;
    vec2 d0 = uv * u_size;         // output pixels from the left and top edges of the source
    vec2 d1 = (1.0 - uv) * u_size; // from the right and bottom edges
    float f = ramp(d0.x, u_blend.x) * ramp(d1.x, u_blend.y) * ramp(d0.y, u_blend.z) *
              ramp(d1.y, u_blend.w);
    bool overlap = d0.x < u_blend.x || d1.x < u_blend.y || d0.y < u_blend.z || d1.y < u_blend.w;
    if (!overlap) {
        c = vec3(u_black) + c * (1.0 - u_black);
    }
    c *= pow(f, 1.0 / u_gamma);
    c = clamp(c * u_trim, 0.0, 1.0);
    if (u_pattern != 0) {
        // The calibration pattern, through the warp: the overlaps tinted orange, and green lines
        // at every eighth of the source each way (its border included), 2 output pixels wide.
        if (overlap) {
            c = mix(c, vec3(1.0, 0.45, 0.0), 0.5);
        }
        vec2 g = uv * 8.0;
        vec2 px = abs(fract(g + 0.5) - 0.5) / max(fwidth(g), vec2(1e-6));
        if (min(px.x, px.y) < 1.0) {
            c = vec3(0.0, 1.0, 0.3);
        }
    }
    frag = vec4(c, 1.0);
}
