/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Old film look over the image beneath: grain that changes every frame, a flicker and a vignette",
    "CREDIT": "Vitrine built-in effects (CC0)",
    "CATEGORIES": ["Film", "Stylize"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "grain", "TYPE": "float", "DEFAULT": 0.12, "MIN": 0.0, "MAX": 1.0, "IDENTITY": 0.0},
        {"NAME": "grainSize", "LABEL": "Grain size (pixels)", "TYPE": "float", "DEFAULT": 1.5, "MIN": 1.0, "MAX": 16.0},
        {"NAME": "flicker", "TYPE": "float", "DEFAULT": 0.04, "MIN": 0.0, "MAX": 0.5, "IDENTITY": 0.0},
        {"NAME": "vignette", "TYPE": "float", "DEFAULT": 0.35, "MIN": 0.0, "MAX": 1.0, "IDENTITY": 0.0},
        {"NAME": "sepia", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 1.0, "IDENTITY": 0.0}
    ]
}*/

float hash(vec2 p) {
    return fract(sin(dot(p, vec2(12.9898, 78.233))) * 43758.5453);
}

void main() {
    vec4 c = IMG_THIS_NORM_PIXEL(inputImage);
    /* a new pattern each frame, repeating after 113 frames so the numbers stay small */
    float frame = mod(float(FRAMEINDEX), 113.0);
    float n = hash(floor(gl_FragCoord.xy / grainSize) + vec2(frame * 17.0, frame * 31.0)) - 0.5;
    float f = 1.0 + flicker * (hash(vec2(frame, 7.0)) - 0.5) * 2.0;
    vec2 d = isf_FragNormCoord - 0.5;
    float v = 1.0 - vignette * smoothstep(0.2, 0.75, length(d));
    vec3 rgb = c.rgb;
    float luma = dot(rgb, vec3(0.2126, 0.7152, 0.0722));
    rgb = mix(rgb, luma * vec3(1.07, 0.94, 0.75), sepia);
    rgb = (rgb + n * grain) * f * v;
    gl_FragColor = vec4(clamp(rgb, 0.0, 1.0), c.a);
}
