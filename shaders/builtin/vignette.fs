/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Darkens (or tints) the edges of the image beneath",
    "CREDIT": "Vitrine built-in effects (CC0)",
    "CATEGORIES": ["Stylize"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "amount", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0.0, "MAX": 1.0, "IDENTITY": 0.0},
        {"NAME": "radius", "TYPE": "float", "DEFAULT": 0.75, "MIN": 0.0, "MAX": 2.0},
        {"NAME": "softness", "TYPE": "float", "DEFAULT": 0.45, "MIN": 0.01, "MAX": 2.0},
        {"NAME": "edgeColor", "LABEL": "Edge colour", "TYPE": "color", "DEFAULT": [0.0, 0.0, 0.0, 1.0]}
    ]
}*/

void main() {
    vec4 c = IMG_THIS_NORM_PIXEL(inputImage);
    vec2 d = (isf_FragNormCoord - 0.5) * vec2(RENDERSIZE.x / RENDERSIZE.y, 1.0);
    float r = length(d) / max(0.5 * length(vec2(RENDERSIZE.x / RENDERSIZE.y, 1.0)), 0.001);
    float m = amount * smoothstep(radius - softness, radius, r);
    gl_FragColor = vec4(mix(c.rgb, edgeColor.rgb, m), c.a);
}
