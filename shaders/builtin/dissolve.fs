/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Transition: endImage appears through startImage in a pattern of cells",
    "CREDIT": "Vitrine built-in effects (CC0)",
    "CATEGORIES": ["Transition"],
    "INPUTS": [
        {"NAME": "startImage", "TYPE": "image"},
        {"NAME": "endImage", "TYPE": "image"},
        {"NAME": "progress", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 1.0},
        {"NAME": "cell", "LABEL": "Cell size (pixels)", "TYPE": "float", "DEFAULT": 4.0, "MIN": 1.0, "MAX": 256.0},
        {"NAME": "softness", "TYPE": "float", "DEFAULT": 0.1, "MIN": 0.0, "MAX": 1.0}
    ]
}*/

float cell_noise(vec2 p) {
    return fract(sin(dot(p, vec2(12.9898, 78.233))) * 43758.5453);
}

void main() {
    vec2 uv = isf_FragNormCoord;
    float n = cell_noise(floor(gl_FragCoord.xy / max(cell, 1.0)));
    float s = max(softness, 0.0001);
    float reveal = smoothstep(n, n + s, clamp(progress, 0.0, 1.0) * (1.0 + s));
    gl_FragColor = mix(IMG_NORM_PIXEL(startImage, uv), IMG_NORM_PIXEL(endImage, uv), reveal);
}
