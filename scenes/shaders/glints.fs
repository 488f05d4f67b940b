/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Moonlight glinting on the water: short streaks that drift and twinkle, thinner toward the horizon and brightest under the moon",
    "CREDIT": "Vitrine demo (CC0)",
    "CATEGORIES": ["Generator"],
    "INPUTS": [
        {"NAME": "speed", "TYPE": "float", "DEFAULT": 0.35, "MIN": 0.0, "MAX": 4.0},
        {"NAME": "density", "TYPE": "float", "DEFAULT": 0.45, "MIN": 0.0, "MAX": 1.0},
        {"NAME": "tint", "TYPE": "color", "DEFAULT": [1.0, 0.93, 0.8, 1.0]}
    ]
}*/

float hash(vec2 p) {
    return fract(sin(dot(p, vec2(127.1, 311.7))) * 43758.5453);
}

void main() {
    vec2 uv = isf_FragNormCoord;  /* y up: the horizon is the layer's top edge */
    float depth = 1.0 - uv.y;     /* 0 at the horizon, 1 nearest the visitor */
    /* rows of waves, thinner toward the horizon */
    float w = sqrt(max(depth, 0.0)) * 30.0;
    float row = floor(w), fy = fract(w);
    float t = TIME * speed;
    float dir = hash(vec2(row, 1.0)) < 0.5 ? -1.0 : 1.0;
    float x = uv.x * mix(14.0, 5.0, depth) + t * dir * (0.5 + hash(vec2(row, 2.0))) +
              hash(vec2(row, 3.0)) * 10.0;
    float cell = floor(x), fx = fract(x);
    float on = step(1.0 - density, hash(vec2(cell, row)));
    float len = 0.3 + 0.6 * hash(vec2(cell, row + 7.0));
    /* a thin line, tapered at both ends */
    float streak = smoothstep(0.0, 0.4 * len, fx) * (1.0 - smoothstep(0.6 * len, len, fx)) *
                   smoothstep(0.25, 0.45, fy) * (1.0 - smoothstep(0.5, 0.7, fy));
    float twinkle = 0.5 + 0.5 * sin(t * 3.0 + hash(vec2(cell, row + 13.0)) * 6.2832);
    float column = exp(-pow((uv.x - 0.5) * mix(9.0, 4.0, depth), 2.0));
    float a = on * streak * twinkle * column * (0.35 + 0.65 * depth);
    gl_FragColor = vec4(tint.rgb, clamp(a, 0.0, 1.0) * tint.a);
}
