/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Transition: endImage sweeps over startImage along a direction (angle 0: from the left edge to the right), with a soft edge",
    "CREDIT": "Vitrine built-in effects (CC0)",
    "CATEGORIES": ["Transition"],
    "INPUTS": [
        {"NAME": "startImage", "TYPE": "image"},
        {"NAME": "endImage", "TYPE": "image"},
        {"NAME": "progress", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 1.0},
        {"NAME": "angle", "LABEL": "Direction (degrees, counter-clockwise)", "TYPE": "float", "DEFAULT": 0.0, "MIN": -360.0, "MAX": 360.0},
        {"NAME": "softness", "LABEL": "Edge width", "TYPE": "float", "DEFAULT": 0.05, "MIN": 0.0, "MAX": 1.0}
    ]
}*/

void main() {
    vec2 uv = isf_FragNormCoord;
    float a = radians(angle);
    vec2 dir = vec2(cos(a), sin(a));
    /* where this pixel lies along the sweep: 0 where it begins, 1 where it ends */
    float extent = 0.5 * (abs(dir.x) + abs(dir.y));
    float t = dot(uv - 0.5, dir) / (2.0 * extent) + 0.5;
    float s = max(softness, 0.0001);
    float edge = clamp(progress, 0.0, 1.0) * (1.0 + s);
    float reveal = 1.0 - smoothstep(edge - s, edge, t);
    gl_FragColor = mix(IMG_NORM_PIXEL(startImage, uv), IMG_NORM_PIXEL(endImage, uv), reveal);
}
