/*{
    "ISFVSN": "2",
    "DESCRIPTION": "A still linear gradient between two colours (angle 0: left to right)",
    "CREDIT": "Vitrine built-in effects (CC0)",
    "CATEGORIES": ["Generator"],
    "INPUTS": [
        {"NAME": "startColor", "TYPE": "color", "DEFAULT": [0.05, 0.08, 0.2, 1.0]},
        {"NAME": "endColor", "TYPE": "color", "DEFAULT": [0.55, 0.75, 0.95, 1.0]},
        {"NAME": "angle", "LABEL": "Direction (degrees, counter-clockwise)", "TYPE": "float", "DEFAULT": 0.0, "MIN": -360.0, "MAX": 360.0}
    ]
}*/

void main() {
    float a = radians(angle);
    vec2 dir = vec2(cos(a), sin(a));
    float extent = 0.5 * (abs(dir.x) + abs(dir.y));
    float t = clamp(dot(isf_FragNormCoord - 0.5, dir) / (2.0 * extent) + 0.5, 0.0, 1.0);
    gl_FragColor = mix(startColor, endColor, t);
}
