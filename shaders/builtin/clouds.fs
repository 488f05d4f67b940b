/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Soft clouds drifting across a sky",
    "CREDIT": "Vitrine built-in effects (CC0)",
    "CATEGORIES": ["Generator"],
    "INPUTS": [
        {"NAME": "speed", "TYPE": "float", "DEFAULT": 0.02, "MIN": 0.0, "MAX": 2.0},
        {"NAME": "scale", "TYPE": "float", "DEFAULT": 3.0, "MIN": 0.1, "MAX": 50.0},
        {"NAME": "cover", "LABEL": "Cloud cover", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0.0, "MAX": 1.0},
        {"NAME": "skyColor", "TYPE": "color", "DEFAULT": [0.3, 0.55, 0.85, 1.0]},
        {"NAME": "cloudColor", "TYPE": "color", "DEFAULT": [1.0, 1.0, 1.0, 1.0]}
    ]
}*/

float hash(vec2 p) {
    return fract(sin(dot(p, vec2(127.1, 311.7))) * 43758.5453);
}

float noise(vec2 p) {
    vec2 i = floor(p), f = fract(p);
    vec2 u = f * f * (3.0 - 2.0 * f);
    return mix(mix(hash(i), hash(i + vec2(1.0, 0.0)), u.x),
               mix(hash(i + vec2(0.0, 1.0)), hash(i + vec2(1.0, 1.0)), u.x), u.y);
}

void main() {
    vec2 p = isf_FragNormCoord * vec2(RENDERSIZE.x / RENDERSIZE.y, 1.0) * scale;
    p.x += TIME * speed;
    float v = 0.0, amp = 0.5;
    for (int i = 0; i < 5; i++) {
        v += amp * noise(p);
        p = p * 2.03 + vec2(1.7, 9.2);
        amp *= 0.5;
    }
    float c = smoothstep(1.0 - cover, 1.0 - cover + 0.35, v);
    gl_FragColor = mix(skyColor, cloudColor, c);
}
