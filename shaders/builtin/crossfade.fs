/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Transition: fades from startImage to endImage as progress goes from 0 to 1",
    "CREDIT": "Vitrine built-in effects (CC0)",
    "CATEGORIES": ["Transition"],
    "INPUTS": [
        {"NAME": "startImage", "TYPE": "image"},
        {"NAME": "endImage", "TYPE": "image"},
        {"NAME": "progress", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 1.0}
    ]
}*/

void main() {
    vec4 a = IMG_NORM_PIXEL(startImage, isf_FragNormCoord);
    vec4 b = IMG_NORM_PIXEL(endImage, isf_FragNormCoord);
    gl_FragColor = mix(a, b, clamp(progress, 0.0, 1.0));
}
