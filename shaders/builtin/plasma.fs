/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Slow flowing bands of three colours",
    "CREDIT": "Vitrine built-in effects (CC0)",
    "CATEGORIES": ["Generator"],
    "INPUTS": [
        {"NAME": "speed", "TYPE": "float", "DEFAULT": 0.3, "MIN": 0.0, "MAX": 10.0},
        {"NAME": "scale", "TYPE": "float", "DEFAULT": 3.0, "MIN": 0.1, "MAX": 50.0},
        {"NAME": "colorA", "TYPE": "color", "DEFAULT": [0.05, 0.1, 0.3, 1.0]},
        {"NAME": "colorB", "TYPE": "color", "DEFAULT": [0.1, 0.55, 0.6, 1.0]},
        {"NAME": "colorC", "TYPE": "color", "DEFAULT": [0.95, 0.8, 0.45, 1.0]}
    ]
}*/

void main() {
    vec2 p = (isf_FragNormCoord - 0.5) * vec2(RENDERSIZE.x / RENDERSIZE.y, 1.0) * scale;
    float t = TIME * speed;
    float v = sin(p.x + t) + sin(p.y * 1.3 - t * 0.7) + sin((p.x + p.y) * 0.7 + t * 1.1) +
              sin(length(p) * 1.5 - t);
    v = v * 0.125 + 0.5;
    vec4 c = mix(colorA, colorB, smoothstep(0.2, 0.55, v));
    gl_FragColor = mix(c, colorC, smoothstep(0.55, 0.85, v));
}
